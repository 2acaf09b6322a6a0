"""Figure type distribution: one stacked bar of the categories of one indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import fmt
from ..spec import Estimates
from .style import RIGHT_CM, SMALL, TEXT, WIDTH_CM
from .data import Cell, _category_label, _cell, _colours
from .layout import _Measure, _Page, _footer, _footer_height, _legend, _legend_height, _notes
from .segments import _draw_segments, _fits, _segments


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


