"""Figure type stacked: one stacked bar per item (categories to 100%), per domain panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..spec import Estimates, item_label, resolve_items
from .style import FONT_SIZE, LABEL_COL_CM, LINE_CM, RIGHT_CM, WIDTH_CM
from .data import Cell, _category_label, _cell, _colours, _domain_label
from .layout import _Measure, _Page, _footer, _footer_height, _legend, _legend_height, _notes
from .segments import _draw_segments, _fits, _segments


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


