"""Figures 1-12 of the report, from the spec (config/spec.yaml), as SVG and PNG.

One process draws every figure (matplotlib is imported once, inside the functions, so
that importing this module stays cheap). Per figure it returns the caption (with the N
of its block from bases.csv, computed, never typed), a Dutch alt text with the main
numbers, and the spec's note; ``run`` writes that list to ``figures/figures.json``.

House style
    * 16 cm wide (the text width of an A4 page with 2,5 cm margins), drawn at print size:
      every font is >= 8 pt when the figure is embedded at 100% width.
    * One colour-blind-safe palette: Okabe & Ito (2008), plus two neutral greys for
      "unchanged / not known / no" and "don't know".
    * Every number passes through :mod:`aibarometer.fmt` (23,2%); no axis tick numbers.
    * Flagged estimates (low base or wide interval) get a hatched bar and an asterisk, with
      a footnote; suppressed ones show "–" without a bar.
    * Deterministic bytes: no dates, no creator, salted (fixed) SVG ids.
    * Text stays text (``svg.fonttype = "none"``): WeasyPrint sets it with the same font file
      matplotlib measured it with, so the PDF has real, searchable text. The font is the
      report's body font, Liberation Sans (``fonts-liberation2``, installed by ``make setup``),
      registered from its files because matplotlib's font cache may predate its installation;
      without it, DejaVu Sans (shipped with matplotlib). The SVG names the font actually used.
"""

from __future__ import annotations

import functools
import math
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from . import fmt
from .domains import Domain
from .spec import Estimates, item_label, resolve_items

# --- house style -------------------------------------------------------------------------

FONTS = ("Liberation Sans", "DejaVu Sans")  # the report's body font first; DejaVu ships with matplotlib
FONT_SIZE = 8.5  # pt: labels
SMALL = 8.0  # pt: value labels, legend, footnotes (the minimum)
WIDTH_CM = 16.0
LABEL_COL_CM = 5.2  # the item-label column of bar and stacked figures (aligned across figures)
LINE_CM = FONT_SIZE * 1.2 / 72 * 2.54  # height of one text line
RIGHT_CM = 0.15  # right margin
PNG_DPI = 200
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"

# Okabe, M. & Ito, K. (2008), Color Universal Design.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
LIGHT_GREY = "#D0D0D0"  # neutral: unchanged, not known, no
MID_GREY = "#8C8C8C"  # don't know
SERIES = [BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW]


def _tint(hex_colour: str, share: float) -> str:
    """Mix a colour with white: share 1 = the colour itself."""
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02X}" for c in rgb)


# Colours per answer scale (codebook code list, or a derived indicator), by category code.
SCHEMES: dict[str, dict[str, str]] = {
    "tech_use": {"1": BLUE, "2": ORANGE, "3": LIGHT_GREY},
    "yes_no": {"1": BLUE, "2": LIGHT_GREY},
    "yes_no_dk": {"1": BLUE, "2": LIGHT_GREY, "9": MID_GREY},
    "gap_scale": {"1": VERMILLION, "2": ORANGE, "3": SKY, "9": LIGHT_GREY},
    "budget_change": {"1": VERMILLION, "2": ORANGE, "3": LIGHT_GREY, "4": SKY, "5": BLUE, "9": MID_GREY},
    "employment_change": {"1": VERMILLION, "2": LIGHT_GREY, "3": BLUE, "9": MID_GREY},
    "initiative": {"1": BLUE, "2": SKY, "3": LIGHT_GREY},
    "n_technologies": {"1": _tint(BLUE, 0.4), "2": _tint(BLUE, 0.6), "3": _tint(BLUE, 0.8), "4+": BLUE,
                       "0_plans": ORANGE, "0_no_plans": LIGHT_GREY},
}

DOMAIN_LABELS = {
    "all": "Alle bedrijven",
    "adopter:yes": "Bedrijven die AI gebruiken",
    "adopter:no": "Bedrijven die geen AI gebruiken",
    "size:micro": "Micro (5-9 werknemers)",
    "size:small": "Klein (10-49 werknemers)",
    "size:medium": "Middelgroot (50-249 werknemers)",
    "size:large": "Groot (250+ werknemers)",
}

FLAG_NOTE = "* beperkt betrouwbaar (kleine basis of breed interval)"
SUPPRESSED_NOTE = f"{fmt.DASH} niet getoond: te weinig antwoorden"
CI_NOTE = "Lijntjes: 95%-betrouwbaarheidsinterval."
SYNTHETIC_MARK = "SYNTHETISCHE DEMODATA"


@functools.lru_cache(maxsize=None)
def font_family() -> str:
    """Liberation Sans when its files are installed (registered with matplotlib here), else DejaVu Sans."""
    from pathlib import Path as _P

    from matplotlib import font_manager

    stem = FONTS[0].replace(" ", "")
    files = sorted({str(f) for d in font_manager.X11FontDirectories if _P(d).is_dir()
                    for f in _P(d).rglob(f"{stem}-*.ttf")})
    styles = {_P(f).stem.split("-", 1)[1] for f in files}
    if not {"Regular", "Bold", "Italic"} <= styles:
        return FONTS[1]
    for f in files:
        font_manager.fontManager.addfont(f)
    return FONTS[0]


def _rc() -> dict:
    return {
        "font.family": [font_family()],
        "font.size": FONT_SIZE,
        "text.color": TEXT,
        "text.parse_math": False,  # labels are plain text: "$" or "_" stay literal
        "svg.fonttype": "none",
        "svg.hashsalt": "aibarometer",
        "axes.linewidth": 0.8,
        "hatch.linewidth": 0.6,
        "path.simplify": False,
        "savefig.facecolor": "white",
    }


# --- data ----------------------------------------------------------------------------------

@dataclass
class Cell:
    """One estimate as a share (means are divided by 100 so that fmt.pct applies)."""

    value: float
    low: float
    high: float
    flag: str
    n: int

    @property
    def suppressed(self) -> bool:
        return self.flag == "suppressed" or self.value is None or math.isnan(self.value)

    @property
    def flagged(self) -> bool:
        return not self.suppressed and self.flag not in ("", None)

    @property
    def text(self) -> str:
        if self.suppressed:
            return fmt.DASH
        return fmt.pct(self.value) + ("*" if self.flagged else "")

    @property
    def say(self) -> str:
        """For alt texts: no bare asterisk (a screen reader would read it out)."""
        if self.suppressed:
            return "niet getoond"
        return fmt.pct(self.value) + (", beperkt betrouwbaar" if self.flagged else "")

    @property
    def sort_key(self) -> float:
        return -1.0 if self.suppressed else self.value


def _cell(est: Estimates, indicator: str, category, domain: str) -> Cell:
    row = est.get(indicator, category, domain)
    scale = 100.0 if row["kind"] == "mean" else 1.0
    flag = row["flag"] if isinstance(row["flag"], str) else ""

    def f(x):
        return float(x) / scale if x is not None and not (isinstance(x, float) and math.isnan(x)) else float("nan")

    return Cell(f(row["estimate"]), f(row["ci_low"]), f(row["ci_high"]), flag, int(row["n"]))


def _category_label(est: Estimates, indicator: str, category, domain: str) -> str:
    return str(est.get(indicator, category, domain)["category_label"])


def _scheme(indicator: str, codebook) -> dict[str, str]:
    item = codebook.by_var.get(indicator)
    if item is not None and item.codes:
        for name, codes in codebook.code_lists.items():
            if codes == item.codes and name in SCHEMES:
                return SCHEMES[name]
    return SCHEMES.get(indicator, {})


def _colours(indicator: str, categories: list, codebook) -> list[str]:
    scheme = _scheme(indicator, codebook)
    out, spare = [], iter(SERIES)
    for c in categories:
        c = str(c)
        out.append(scheme.get(c) or (MID_GREY if c == "9" else next(spare)))
    return out


def _domain_label(domain: str) -> str:
    if domain in DOMAIN_LABELS:
        return DOMAIN_LABELS[domain]
    d = Domain.parse(domain)
    return {"sector": f"Sector {d.value}", "adopter_size": f"AI-gebruikers, {d.value}",
            "adopter_sector": f"AI-gebruikers, sector {d.value}"}.get(d.type, domain)


_lower = fmt.lower_first


def _scope(items: list[str], codebook) -> str:
    routings = {codebook.by_var[v].routing for v in items if v in codebook.by_var}
    return {"adopters": " bij bedrijven die AI gebruiken", "non_adopters": " bij bedrijven die geen AI gebruiken"} \
        .get(routings.pop() if len(routings) == 1 else "", "")


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


# --- text measurement and layout ---------------------------------------------------------

class _Measure:
    """Text extents in cm, with matplotlib's own font metrics (as in the saved figure)."""

    def __init__(self):
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.font_manager import FontProperties

        self._renderer = RendererAgg(1, 1, 72)
        self._props = {}
        self._fp = FontProperties

    def width(self, text: str, size: float = FONT_SIZE, weight: str = "normal") -> float:
        key = (size, weight)
        if key not in self._props:
            self._props[key] = self._fp(family=font_family(), size=size, weight=weight)
        widths = [self._renderer.get_text_width_height_descent(line or " ", self._props[key], ismath=False)[0]
                  for line in text.split("\n")]
        return max(widths) / 72 * 2.54

    def wrap(self, text: str, max_cm: float, size: float = FONT_SIZE, weight: str = "normal") -> str:
        if self.width(text, size, weight) <= max_cm:
            return text
        for chars in range(len(text), 5, -1):
            wrapped = "\n".join(textwrap.wrap(text, chars, break_on_hyphens=False))
            if self.width(wrapped, size, weight) <= max_cm:
                return wrapped
        return "\n".join(textwrap.wrap(text, 6))


@dataclass
class _Page:
    """A figure of fixed width whose parts are placed in cm from the top-left corner."""

    height: float
    fig: object = None

    def __post_init__(self):
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=(WIDTH_CM / 2.54, self.height / 2.54))

    def axes(self, left: float, top: float, width: float, height: float):
        ax = self.fig.add_axes((left / WIDTH_CM, 1 - (top + height) / self.height, width / WIDTH_CM,
                                height / self.height))
        ax.set_axis_off()
        return ax

    def text(self, x: float, top: float, s: str, **kw):
        return self.fig.text(x / WIDTH_CM, 1 - top / self.height, s, **kw)


LEGEND_ROW_CM = 0.45


def _legend_layout(m: _Measure, entries, width: float) -> tuple[int, int, list[float]]:
    """Fewest rows whose columns fit the width; entries run down the columns (related ones stay together)."""
    sw, gap, colgap = 0.32, 0.15, 0.55
    cells = [sw + gap + m.width(label, SMALL) for label, _, _ in entries]
    for rows in range(1, len(entries) + 1):
        ncol = math.ceil(len(entries) / rows)
        cols = [max(cells[c * rows:(c + 1) * rows]) for c in range(ncol)]
        if sum(cols) + colgap * (ncol - 1) <= width:
            return rows, ncol, cols
    return len(entries), 1, [max(cells)]


def _legend_height(m: _Measure, entries, width: float) -> float:
    return _legend_layout(m, entries, width)[0] * LEGEND_ROW_CM if entries else 0.0


def _legend(page: _Page, m: _Measure, entries: list[tuple[str, str, bool]], left: float, top: float,
            width: float) -> float:
    """Draw a legend (swatch + label) from (left, top); return its height in cm."""
    from matplotlib.patches import Rectangle

    sw, gap, colgap = 0.32, 0.15, 0.55
    rows, ncol, cols = _legend_layout(m, entries, width)
    ax = page.axes(left, top, width, rows * LEGEND_ROW_CM)
    ax.set_xlim(0, width)
    ax.set_ylim(rows * LEGEND_ROW_CM, 0)
    for i, (label, colour, hatched) in enumerate(entries):
        c, r = divmod(i, rows)
        x = sum(cols[:c]) + colgap * c
        y = r * LEGEND_ROW_CM + LEGEND_ROW_CM / 2
        ax.add_patch(Rectangle((x, y - sw / 2), sw, sw, facecolor=_tint(colour, 0.45) if hatched else colour,
                               edgecolor=_edge(colour), linewidth=0.5, hatch="////" if hatched else None))
        ax.text(x + sw + gap, y, label, va="center_baseline", ha="left", size=SMALL)
    return rows * LEGEND_ROW_CM


def _edge(colour: str) -> str:
    return "#9a9a9a" if colour.upper() in (LIGHT_GREY, "#FFFFFF") else colour


def _on(colour: str) -> str:
    """The text colour (white or near-black) with the higher WCAG contrast on a fill."""
    def lum(hex_colour):
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    fill = lum(colour)
    return "white" if 1.05 / (fill + 0.05) > (fill + 0.05) / (lum(TEXT) + 0.05) else TEXT


def _footer(page: _Page, top: float, notes: list[str], synthetic: bool) -> None:
    for i, note in enumerate(notes):
        page.text(0.0, top + 0.1 + i * 0.42, note, ha="left", va="top", size=SMALL, color=MUTED)
    if synthetic:
        page.text(WIDTH_CM - RIGHT_CM, top + 0.1 + max(len(notes) - 1, 0) * 0.42, SYNTHETIC_MARK, ha="right",
                  va="top", size=SMALL, weight="bold", color=VERMILLION)


def _footer_height(notes: list[str], synthetic: bool) -> float:
    lines = max(len(notes), 1 if synthetic else 0)
    return 0.15 + lines * 0.42 if lines else 0.1


def _notes(cells: list[Cell], ci: bool = False) -> list[str]:
    notes = [CI_NOTE] if ci else []
    if any(c.flagged for c in cells):
        notes.append(FLAG_NOTE)
    if any(c.suppressed for c in cells):
        notes.append(SUPPRESSED_NOTE)
    return notes


# --- figure type: bars -----------------------------------------------------------------------

@dataclass
class _Series:
    label: str
    category: str
    domain: str
    colour: str


@dataclass
class _BarRow:
    var: str
    label: str
    cells: list[Cell]
    mean: Cell | None = None
    mean_label: str = ""


def _bars_data(entry: dict, est: Estimates, codebook) -> tuple[list[_Series], list[_BarRow]]:
    domains = entry.get("domains", ["all"])
    series = []
    for s in entry["series"]:
        for d in ([s["domain"]] if "domain" in s else domains):
            label = s["label"] if "domain" in s or len(domains) == 1 else f"{s['label']} ({_domain_label(d)})"
            series.append(_Series(label, str(s["category"]), d, SERIES[len(series) % len(SERIES)]))
    rows = []
    means = entry.get("means", {})
    for var in resolve_items(entry, codebook):
        row = _BarRow(var, item_label(var, codebook), [_cell(est, var, s.category, s.domain) for s in series])
        if var in means:
            mvar = means[var]
            row.mean = _cell(est, mvar, "mean", series[0].domain)
            row.mean_label = item_label(mvar, codebook).replace(" (%)", "")
        rows.append(row)
    if entry.get("sort", "none") == "desc":
        rows.sort(key=lambda r: -r.cells[0].sort_key)  # stable: ties keep questionnaire order
    return series, rows


def _draw_bars(entry, series, rows, m: _Measure, synthetic: bool) -> _Page:
    from matplotlib.patches import Rectangle

    n_series = len(series)
    bar_h = 0.42 if n_series == 1 else 0.34
    labels = [m.wrap(r.label, LABEL_COL_CM - 0.25) for r in rows]
    max_lines = max(lab.count("\n") + 1 for lab in labels)
    row_h = max(n_series * bar_h + (0.26 if n_series == 1 else 0.32), max_lines * LINE_CM + 0.14)

    has_means = any(r.mean is not None for r in rows)
    mean_texts = [f"{r.mean_label}:\ngemiddeld {r.mean.text}" if r.mean is not None else "" for r in rows]
    mean_header = "Gemiddelde omvang bij\nbedrijven met dit effect"
    mean_col = (max(m.width(t, SMALL) for t in mean_texts + [mean_header]) + 0.5) if has_means else 0.0

    cells = [c for r in rows for c in r.cells] + [r.mean for r in rows if r.mean is not None]
    notes = _notes(cells, ci=True)
    legend_entries = [(s.label, s.colour, False) for s in series] if n_series > 1 else []
    if any(c.flagged for r in rows for c in r.cells):  # show what a hatched bar means
        legend_entries.append(("* beperkt betrouwbaar", series[0].colour, True))

    ax_left = LABEL_COL_CM
    ax_w = WIDTH_CM - ax_left - RIGHT_CM - mean_col
    legend_w = WIDTH_CM - ax_left - RIGHT_CM
    legend_h = _legend_height(m, legend_entries, legend_w)
    header_h = 2 * 0.34 + 0.1 if has_means else 0.0  # two-line column header over the averages
    top_h = (legend_h + 0.2 if legend_entries else 0.0) + header_h or 0.25
    plot_h = row_h * len(rows)
    foot_h = _footer_height(notes, synthetic)
    page = _Page(top_h + plot_h + foot_h)
    if legend_entries:
        _legend(page, m, legend_entries, ax_left, 0.08, legend_w)
    ax = page.axes(ax_left, top_h, ax_w, plot_h)

    # x range (data units) such that every value label fits right of its bar and interval
    pad = 0.12
    need = 1e-9
    for r in rows:
        for c in r.cells:
            end = 0.0 if c.suppressed else max(c.value, c.high if not math.isnan(c.high) else c.value)
            frac = (pad + m.width(c.text, SMALL) + 0.05) / ax_w
            need = max(need, end / (1 - frac))
    xmax = need
    ax.set_xlim(0, xmax)
    ax.set_ylim(plot_h, 0)
    per_cm = xmax / ax_w

    for i, (row, label) in enumerate(zip(rows, labels)):
        centre = i * row_h + row_h / 2
        ax.text(-0.2 / ax_w, centre, label, transform=ax.get_yaxis_transform(), ha="right",
                va="center", size=FONT_SIZE, linespacing=1.15)
        for j, (s, c) in enumerate(zip(series, row.cells)):
            yb = centre - n_series * bar_h / 2 + j * bar_h
            yc = yb + bar_h / 2
            if c.suppressed:
                ax.text(pad * per_cm, yc, fmt.DASH, va="center", ha="left", size=SMALL)
                continue
            ax.add_patch(Rectangle((0, yb + 0.02), c.value, bar_h - 0.04,
                                   facecolor=_tint(s.colour, 0.45) if c.flagged else s.colour,
                                   edgecolor=s.colour if c.flagged else "none", linewidth=0.6,
                                   hatch="////" if c.flagged else None))
            end = c.value
            if not (math.isnan(c.low) or math.isnan(c.high)):
                cap = min(0.09, bar_h * 0.3)
                ax.plot([c.low, c.high], [yc, yc], color=TEXT, linewidth=0.7, solid_capstyle="butt")
                ax.plot([c.low, c.low], [yc - cap, yc + cap], color=TEXT, linewidth=0.7, solid_capstyle="butt")
                ax.plot([c.high, c.high], [yc - cap, yc + cap], color=TEXT, linewidth=0.7, solid_capstyle="butt")
                end = max(end, c.high)
            ax.text(end + pad * per_cm, yc, c.text, va="center", ha="left", size=SMALL)
        if has_means:
            page.text(WIDTH_CM - RIGHT_CM - mean_col + 0.5, top_h + centre, mean_texts[i], ha="left",
                      va="center", size=SMALL, linespacing=1.15)
    ax.plot([0, 0], [0, plot_h], color=TEXT, linewidth=0.8, solid_capstyle="butt")
    if has_means:  # column headers: the bars and the averages beside them
        page.text(ax_left, top_h - 0.12, series[0].label, ha="left", va="bottom", size=SMALL, color=MUTED,
                  style="italic")
        page.text(WIDTH_CM - RIGHT_CM - mean_col + 0.5, top_h - 0.12, mean_header, ha="left", va="bottom",
                  size=SMALL, color=MUTED, linespacing=1.15, style="italic")
    _footer(page, top_h + plot_h, notes, synthetic)
    return page


# --- segment labels (stacked and distribution) --------------------------------------------

@dataclass
class _Segment:
    start: float  # share
    value: float
    colour: str
    cell: Cell


def _segments(cells: list[Cell], colours: list[str]) -> list[_Segment]:
    segs, start = [], 0.0
    for c, colour in zip(cells, colours):
        v = 0.0 if c.suppressed else c.value
        segs.append(_Segment(start, v, colour, c))
        start += v
    return segs


def _fits(m: _Measure, seg: _Segment, width_cm: float) -> bool:
    return m.width(seg.cell.text, SMALL) + 0.03 <= seg.value * width_cm


def _draw_segments(ax, segments: list[_Segment], y_top: float, bar_h: float, width_cm: float, m: _Measure,
                   levels: int, level_h: float, end_labels: bool) -> None:
    """One 100% bar from y_top down to y_top + bar_h (x in shares 0-1), with value labels: inside a
    segment when they fit; else, for the last segment, right of the bar (end_labels) and otherwise
    above the bar on up to `levels` rows, with a tick pointing at the segment."""
    from matplotlib.patches import Rectangle

    shown = [s for s in segments if not s.cell.suppressed and s.value > 0]
    if not shown:  # nothing to draw (every category suppressed): one dash where the bar would be
        ax.text(0.0, y_top + bar_h / 2, fmt.DASH, ha="left", va="center_baseline", size=SMALL)
        return
    outside = []
    for s in shown:
        c = s.cell
        face = _tint(s.colour, 0.45) if c.flagged else s.colour
        ax.add_patch(Rectangle((s.start, y_top), s.value, bar_h, facecolor=face, edgecolor="white", linewidth=0.6))
        if c.flagged:  # hatching in the category's own colour
            ax.add_patch(Rectangle((s.start, y_top), s.value, bar_h, fill=False, edgecolor=s.colour, linewidth=0,
                                   hatch="////"))
        if _fits(m, s, width_cm):
            ax.text(s.start + s.value / 2, y_top + bar_h / 2, c.text, ha="center", va="center_baseline",
                    size=SMALL, color=TEXT if c.flagged else _on(face))
        elif end_labels and s is shown[-1]:
            ax.text(1 + 0.12 / width_cm, y_top + bar_h / 2, c.text, ha="left", va="center_baseline", size=SMALL)
        else:
            outside.append((s.start + s.value / 2, m.width(c.text, SMALL) / width_cm, c.text))
    for s in segments:  # a suppressed category has no bar; say so where it would be
        if s.cell.suppressed:
            outside.append((min(s.start, 0.999), m.width(fmt.DASH, SMALL) / width_cm, fmt.DASH))
    outside.sort()
    gap = 0.15 / width_cm
    rights = [-1.0] * levels
    for x, w, text in outside:
        left = min(max(x - w / 2, 0.0), 1.0 - w)
        level = next((lv for lv in range(levels) if rights[lv] + gap <= left), None)
        if level is None:  # no free row: shift right of the lowest row's last label
            level = min(range(levels), key=lambda lv: rights[lv])
            left = min(rights[level] + gap, 1.0 - w)
        rights[level] = left + w
        y_text = y_top - 0.1 - level * level_h
        ax.text(left + w / 2, y_text, text, ha="center", va="bottom", size=SMALL)
        if left <= x <= left + w:
            ax.plot([x, x], [y_top, y_text], color=TEXT, linewidth=0.5)
        else:  # elbow just above the bar: up from the segment, along, then up to the label's centre
            xc, y_mid = left + w / 2, y_top - 0.045
            ax.plot([x, x, xc, xc], [y_top, y_mid, y_mid, y_text], color=TEXT, linewidth=0.5)


# --- figure type: stacked -----------------------------------------------------------------------

@dataclass
class _Panel:
    domain: str
    title: str
    categories: list[str]
    labels: list[str]
    colours: list[str]
    rows: list[tuple[str, str, list[Cell]]] = field(default_factory=list)  # (var, label, cells)


def _stacked_data(entry: dict, est: Estimates, codebook) -> list[_Panel]:
    items = resolve_items(entry, codebook)
    domains = entry.get("domains", ["all"])
    by_item = {k: [str(c) for c in v] for k, v in entry.get("categories_by_item", {}).items()}
    default = [str(c) for c in entry.get("categories", [])]
    # consecutive items with the same categories share a panel (and a legend)
    groups: list[tuple[list[str], list[str]]] = []
    for var in items:
        cats = by_item.get(var, default)
        if groups and groups[-1][0] == cats:
            groups[-1][1].append(var)
        else:
            groups.append((cats, [var]))
    order = None
    if entry.get("sort", "none") == "desc":  # by the first category in the first domain; same order in all
        first = domains[0]
        order = sorted(items, key=lambda v: -_cell(est, v, by_item.get(v, default)[0], first).sort_key)
    panels = []
    for d in domains:
        for cats, vars_ in groups:
            if order is not None:
                vars_ = [v for v in order if v in vars_]
            panel = _Panel(d, _domain_label(d) if len(domains) > 1 else "", cats,
                           [_category_label(est, vars_[0], c, d) for c in cats],
                           _colours(vars_[0], cats, codebook))
            panel.rows = [(v, item_label(v, codebook), [_cell(est, v, c, d) for c in cats]) for v in vars_]
            panels.append(panel)
    return panels


def _draw_stacked(entry, panels: list[_Panel], m: _Measure, synthetic: bool) -> _Page:
    bar_h = 0.46
    ax_left = LABEL_COL_CM
    ax_w = WIDTH_CM - ax_left - RIGHT_CM

    def last_too_narrow(width):
        for p in panels:
            for _, _, cs in p.rows:
                segs = [s for s in _segments(cs, p.colours) if not s.cell.suppressed and s.value > 0]
                if segs and not _fits(m, segs[-1], width):
                    return True
        return False

    if last_too_narrow(ax_w):  # room right of the bars for a last segment too narrow for its label
        ax_w -= 1.05
    wrapped = {v: m.wrap(label, LABEL_COL_CM - 0.25) for p in panels for v, label, _ in p.rows}
    cells = [c for p in panels for _, _, cs in p.rows for c in cs]
    notes = _notes(cells)
    # a row needs room above its bar only where a label goes above it
    def above(cs, colours):
        segs = [s for s in _segments(cs, colours) if not s.cell.suppressed and s.value > 0]
        return any(not _fits(m, s, ax_w) for s in segs[:-1]) or any(c.suppressed for c in cs)

    shared = all(p.categories == panels[0].categories for p in panels)
    legend_w = WIDTH_CM - ax_left - RIGHT_CM

    def entries(p):
        return [(lab, col, False) for lab, col in zip(p.labels, p.colours)]

    layout, top = [], 0.1
    if shared:
        top += _legend_height(m, entries(panels[0]), legend_w) + 0.15
    for p in panels:
        title_top = top
        if p.title:
            top += 0.6
        legend_top = top
        if not shared:
            top += _legend_height(m, entries(p), legend_w) + 0.1
        # rows of a panel are evenly spaced; room above the bars only where a label goes there
        gap_above = 0.5 if any(above(cs, p.colours) for _, _, cs in p.rows) else 0.2
        lines = max(wrapped[var].count("\n") + 1 for var, _, _ in p.rows)
        h = max(gap_above + bar_h + 0.12, lines * LINE_CM + 0.18)
        rows = []
        for var, _, cs in p.rows:
            rows.append((var, cs, top + max(gap_above, (h - bar_h) / 2)))
            top += h
        layout.append((p, title_top, legend_top, rows))
        top += 0.25
    page = _Page(top + _footer_height(notes, synthetic))
    if shared:
        _legend(page, m, entries(panels[0]), ax_left, 0.1, legend_w)
    ax = page.axes(ax_left, 0, ax_w, page.height)  # one axes over the whole height: y in cm from the top
    ax.set_xlim(0, 1)
    ax.set_ylim(page.height, 0)
    for p, title_top, legend_top, rows in layout:
        if p.title:
            page.text(0.0, title_top + 0.1, p.title, ha="left", va="top", size=FONT_SIZE, weight="bold")
        if not shared:
            _legend(page, m, entries(p), ax_left, legend_top, legend_w)
        for var, cs, bar_top in rows:
            ax.text(-0.2 / ax_w, bar_top + bar_h / 2, wrapped[var], transform=ax.get_yaxis_transform(),
                    ha="right", va="center", size=FONT_SIZE, linespacing=1.15)
            _draw_segments(ax, _segments(cs, p.colours), bar_top, bar_h, ax_w, m, levels=1, level_h=0.0,
                           end_labels=True)
    _footer(page, top - 0.15, notes, synthetic)
    return page


# --- figure type: distribution --------------------------------------------------------------------

@dataclass
class _Distribution:
    indicator: str
    categories: list[str]
    labels: list[str]
    colours: list[str]
    cells: list[Cell]
    means: dict[str, Cell]
    groups: list[tuple[str, list[int]]]  # (label, indices of its categories)


def _distribution_data(entry: dict, est: Estimates, codebook) -> _Distribution:
    ind = entry["indicator"]
    d = entry.get("domains", ["all"])[0]
    cats = [str(c) for c in entry["categories"]]
    means = {str(k): _cell(est, v[0], v[1], d) for k, v in entry.get("means", {}).items()}
    groups = []
    for g in entry.get("groups", []):  # brackets under the bar over neighbouring categories
        idx = [cats.index(str(c)) for c in g["categories"]]
        if idx != list(range(idx[0], idx[0] + len(idx))):
            raise ValueError(f"figuur {entry['number']}: groep {g['label']!r} moet aaneensluitende categorieën "
                             f"bevatten, in de volgorde van `categories`")
        groups.append((g["label"], idx))
    return _Distribution(ind, cats, [_category_label(est, ind, c, d) for c in cats], _colours(ind, cats, codebook),
                         [_cell(est, ind, c, d) for c in cats], means, groups)


def _distribution_legend_label(data: _Distribution, i: int) -> str:
    label, c = data.labels[i], data.categories[i]
    if c in data.means:
        return f"{label} (gemiddeld met {data.means[c].text})"
    return label


def _group_share(data: _Distribution, idx: list[int]) -> str:
    cells = [data.cells[i] for i in idx]
    if any(c.suppressed for c in cells):
        return fmt.DASH
    return fmt.pct(sum(c.value for c in cells)) + ("*" if any(c.flagged for c in cells) else "")


def _draw_distribution(entry, data: _Distribution, m: _Measure, synthetic: bool) -> _Page:
    left, width = 0.1, WIDTH_CM - 0.1 - RIGHT_CM
    bar_h = 0.9
    segs = _segments(data.cells, data.colours)
    n_outside = sum(1 for s in segs if s.cell.suppressed or (s.value > 0 and not _fits(m, s, width)))
    levels = 2 if n_outside > 1 else 1
    level_h = 0.42
    above = (0.2 + levels * level_h) if n_outside else 0.1
    groups_h = 0.75 if data.groups else 0.0
    entries = [(_distribution_legend_label(data, i), col, data.cells[i].flagged)
               for i, col in enumerate(data.colours)]
    legend_h = _legend_height(m, entries, width)
    notes = _notes(data.cells + list(data.means.values()))
    bar_top = 0.1 + above
    legend_top = bar_top + bar_h + groups_h + 0.3
    page = _Page(legend_top + legend_h + 0.1 + _footer_height(notes, synthetic))
    ax = page.axes(left, 0, width, bar_top + bar_h + groups_h)
    ax.set_xlim(0, 1)
    ax.set_ylim(bar_top + bar_h + groups_h, 0)
    _draw_segments(ax, segs, bar_top, bar_h, width, m, levels=levels, level_h=level_h, end_labels=False)
    for label, idx in data.groups:  # a bracket under the bar: "Gebruikt AI: 23,0%"
        inset = 0.06 / width  # a little air between neighbouring brackets
        x0, x1 = segs[idx[0]].start + inset, segs[idx[-1]].start + segs[idx[-1]].value - inset
        y = bar_top + bar_h + 0.18
        ax.plot([x0, x0, x1, x1], [y - 0.1, y, y, y - 0.1], color=TEXT, linewidth=0.7)
        text = f"{label}: {_group_share(data, idx)}"
        tw = m.width(text, SMALL, "bold") / width
        xc = min(max((x0 + x1) / 2, tw / 2), 1 - tw / 2)
        ax.text(xc, y + 0.08, text, ha="center", va="top", size=SMALL, weight="bold")
    _legend(page, m, entries, left, legend_top, width)
    _footer(page, legend_top + legend_h + 0.1, notes, synthetic)
    return page


# --- alt texts ----------------------------------------------------------------------------------------

def _ranked(rows: list[_BarRow], j: int = 0) -> list[_BarRow]:
    return sorted([r for r in rows if not r.cells[j].suppressed], key=lambda r: -r.cells[j].value)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _alt_bars(entry, series, rows, codebook, est) -> str:
    scope = _scope([r.var for r in rows], codebook)
    if entry.get("lead"):  # the spec names an indicator whose share opens the text
        use = _ranked(rows, 0)
        lead = ""
        try:
            lead = f"{_cell(est, entry['lead'], 1, series[0].domain).say} van de bedrijven " \
                   f"{_lower(item_label(entry['lead'], codebook))}. "
        except KeyError:
            pass
        text = (f"{lead}Het meest gebruikt wordt {_lower(use[0].label)} ({use[0].cells[0].say}), gevolgd door "
                + _join([f"{_lower(r.label)} ({r.cells[0].say})" for r in use[1:3]])
                + f"; het minst {_lower(use[-1].label)} ({use[-1].cells[0].say}).")
        if len(series) > 1:
            plan = _ranked(rows, 1)
            text += (f" {series[1].label}: het vaakst {_lower(plan[0].label)} ({plan[0].cells[1].say}) en "
                     f"{_lower(plan[1].label)} ({plan[1].cells[1].say}).")
        return text
    if len(series) == 2:
        def who(s):
            return _domain_label(s.domain) if s.domain != series[1 - series.index(s)].domain else s.label

        parts = []
        for j, s in enumerate(series):
            r = _ranked(rows, j)
            parts.append(f"{_lower(who(s)) if j else who(s)}: het vaakst {_lower(r[0].label)} ({r[0].cells[j].say})"
                         + (f" en {_lower(r[1].label)} ({r[1].cells[j].say})" if len(r) > 1 else ""))
        return "; ".join(parts) + "."
    ranked = _ranked(rows, 0)
    with_means = any(r.mean is not None for r in rows)
    parts = [f"{_lower(r.label)} {r.cells[0].say}"
             + (f" ({_lower(r.mean_label)} gemiddeld {r.mean.say})" if r.mean is not None else "")
             for r in (ranked if with_means else ranked[:3])]
    text = f"{entry['title']}{scope}: " + _join(parts)
    if len(ranked) > 3 and not with_means:
        text += f"; het laagst is {_lower(ranked[-1].label)} ({ranked[-1].cells[0].say})"
    return text + "."


def _alt_stacked(entry, panels: list[_Panel], codebook) -> str:
    sentences = []
    for p in panels:
        ranked = sorted([r for r in p.rows if not r[2][0].suppressed], key=lambda r: -r[2][0].value)
        if not ranked:
            continue
        who = f"{p.title}: " if p.title else ""
        if len(p.rows) == 1:
            _, label, cs = p.rows[0]
            parts = [f"{_lower(lab)} {c.say}" for lab, c in zip(p.labels, cs)]
            sentences.append(_sentence(f"{who}{label}: {_join(parts)}."))
            continue
        top, low = ranked[0], ranked[-1]
        sentences.append(_sentence(f"{who}het aandeel '{_lower(p.labels[0])}' is het hoogst bij {_lower(top[1])} "
                                   f"({top[2][0].say}) en het laagst bij {_lower(low[1])} ({low[2][0].say})."))
    return " ".join(sentences)


def _alt_distribution(entry, data: _Distribution, codebook, est) -> str:
    if data.groups:  # the spec's groups: each group's share, then its categories
        parts = []
        for label, idx in data.groups:
            shown = [i for i in idx if not data.cells[i].suppressed]
            share = fmt.pct(sum(data.cells[i].value for i in shown))
            inner = _join([f"{_lower(data.labels[i])} {data.cells[i].say}" for i in shown])
            parts.append(f"{_lower(label)}: {share} ({inner})")
        return _sentence(f"{item_label(data.indicator, codebook)}{_scope([data.indicator], codebook)}: "
                         + "; ".join(parts) + ".")
    parts = []
    for i in sorted(range(len(data.categories)), key=lambda i: -data.cells[i].sort_key):
        c = data.categories[i]
        if data.cells[i].suppressed:
            continue
        part = f"{_lower(data.labels[i])} {data.cells[i].say}"
        if c in data.means:
            part += f" (gemiddeld met {data.means[c].say})"
        parts.append(part)
    return f"{item_label(data.indicator, codebook)}{_scope([data.indicator], codebook)}: {_join(parts)}."


# --- entry points ---------------------------------------------------------------------------------------

def _save(page: _Page, path: Path) -> None:
    """Write atomically with fixed metadata (no dates, no software version): identical bytes per run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        if path.suffix == ".svg":
            page.fig.savefig(tmp, format="svg", metadata={"Date": None, "Creator": None, "Format": None,
                                                          "Type": None})
        else:
            page.fig.savefig(tmp, format="png", dpi=PNG_DPI, metadata={"Software": None})
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def draw_figure(entry: dict, est: Estimates, bases: dict[str, int], codebook, outdir: Path, synthetic: bool,
                m: _Measure | None = None) -> dict:
    m = m or _Measure()
    kind = entry["type"]
    if kind == "bars":
        series, rows = _bars_data(entry, est, codebook)
        page = _draw_bars(entry, series, rows, m, synthetic)
        alt = _alt_bars(entry, series, rows, codebook, est)
    elif kind == "stacked":
        panels = _stacked_data(entry, est, codebook)
        page = _draw_stacked(entry, panels, m, synthetic)
        alt = _alt_stacked(entry, panels, codebook)
    elif kind == "distribution":
        data = _distribution_data(entry, est, codebook)
        page = _draw_distribution(entry, data, m, synthetic)
        alt = _alt_distribution(entry, data, codebook, est)
    else:
        raise ValueError(f"figuur {entry['number']}: onbekend type {kind!r}")
    number = int(entry["number"])
    if entry["block"] not in bases:
        raise KeyError(f"figuur {number}: geen basis (N) voor blok {entry['block']!r} in bases.csv")
    n = int(bases[entry["block"]])
    stem = f"figure{number:02d}"
    _save(page, outdir / f"{stem}.svg")
    _save(page, outdir / f"{stem}.png")
    return {"number": number, "id": entry["id"], "title": entry["title"], "n": n,
            "caption": f"Figuur {number}: {entry['title']} ({fmt.n_caption(n)})", "alt": alt,
            "note": entry.get("note"), "svg": f"{stem}.svg", "png": f"{stem}.png"}


def draw_all(spec: dict, est: Estimates, bases: dict[str, int], codebook, outdir: Path, synthetic: bool) -> dict:
    """Draw every figure of the spec into outdir (figureNN.svg/.png); return {number: figure info}."""
    import matplotlib

    matplotlib.use("Agg")
    outdir = Path(outdir)
    out = {}
    with matplotlib.rc_context(_rc()):
        m = _Measure()
        for entry in spec["figures"]:
            out[int(entry["number"])] = draw_figure(entry, est, bases, codebook, outdir, synthetic, m)
    return out


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``figures``)."""
    import time

    import pandas as pd

    from .config import load_codebook
    from .indicators import attach
    from .spec import bases_by_block, load_spec
    from .stage import write_json

    t0 = time.perf_counter()
    spec = load_spec(input.spec)
    codebook = attach(load_codebook(input.codebook), spec)
    est = Estimates(pd.read_parquet(input.estimates))
    bases = bases_by_block(pd.read_csv(input.bases))
    outdir = Path(output.alt).parent
    figures = draw_all(spec, est, bases, codebook, outdir, bool(params.synthetic))
    write_json(list(figures.values()), output.alt)
    log(f"wrote figures {sorted(figures)} to {outdir} in {time.perf_counter() - t0:.1f}s (font: {font_family()})")
