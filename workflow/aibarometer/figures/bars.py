"""Figure type bars: one bar per item, optionally one series per domain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import fmt
from ..spec import Estimates, item_label, resolve_items
from .style import FONT_SIZE, LABEL_COL_CM, LINE_CM, MUTED, RIGHT_CM, SERIES, SMALL, TEXT, WIDTH_CM, _tint
from .data import Cell, _cell, _domain_label
from .layout import _Measure, _Page, _footer, _footer_height, _legend, _legend_height, _notes


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


