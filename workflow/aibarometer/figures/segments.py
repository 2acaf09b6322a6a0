"""Segment labels inside stacked bars (stacked and distribution figures).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import fmt
from .style import SMALL, TEXT, _tint
from .data import Cell
from .layout import _Measure, _on


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


