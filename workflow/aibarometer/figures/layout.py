"""Text measurement and a page of fixed width whose parts are placed in cm.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from .style import CI_NOTE, FLAG_NOTE, FONT_SIZE, LIGHT_GREY, MUTED, RIGHT_CM, SMALL, SUPPRESSED_NOTE, SYNTHETIC_MARK, TEXT, VERMILLION, WIDTH_CM, _tint, font_family
from .data import Cell


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


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (#RRGGBB)."""
    def lum(hex_colour):
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _on(colour: str) -> str:
    """The text colour on a fill: white or the house's near-black, whichever contrasts more,
    and black where that stays below 5:1 -- WCAG's 4.5:1 with a margin for 8 pt text that the
    renderer anti-aliases (vermillion: white 3.9, near-black 4.50, black 5.4)."""
    best = max(("#FFFFFF", TEXT), key=lambda t: contrast(t, colour))
    return best if contrast(best, colour) >= 5.0 else max((best, "#000000"), key=lambda t: contrast(t, colour))


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


