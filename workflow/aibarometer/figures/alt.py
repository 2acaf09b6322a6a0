"""Dutch alt texts of the figures, from the same data the figures draw.
"""

from __future__ import annotations

from .. import fmt
from ..spec import item_label
from .data import _cell, _domain_label, _join, _lower, _scope
from .bars import _BarRow
from .stacked import _Panel
from .distribution import _Distribution


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
        # the bars as the figure draws them, from long to short: a description, not a ranking claim
        text = (f"{lead}De balken van lang naar kort: "
                + _join([f"{_lower(r.label)} ({r.cells[0].say})" for r in use]) + ".")
        if len(series) > 1:
            plan = _ranked(rows, 1)
            text += (f" {series[1].label}, de langste balken: {_lower(plan[0].label)} ({plan[0].cells[1].say}) en "
                     f"{_lower(plan[1].label)} ({plan[1].cells[1].say}).")
        return text
    if len(series) == 2:
        def who(s):
            return _domain_label(s.domain) if s.domain != series[1 - series.index(s)].domain else s.label

        parts = []
        for j, s in enumerate(series):
            r = _ranked(rows, j)
            parts.append(f"{_lower(who(s)) if j else who(s)}: de langste balken zijn {_lower(r[0].label)} ({r[0].cells[j].say})"
                         + (f" en {_lower(r[1].label)} ({r[1].cells[j].say})" if len(r) > 1 else ""))
        return "; ".join(parts) + "."
    ranked = _ranked(rows, 0)
    with_means = any(r.mean is not None for r in rows)
    parts = [f"{_lower(r.label)} {r.cells[0].say}"
             + (f" ({_lower(r.mean_label)} gemiddeld {r.mean.say})" if r.mean is not None else "")
             for r in (ranked if with_means else ranked[:3])]
    text = f"{entry['title']}{scope}: " + _join(parts)
    if len(ranked) > 3 and not with_means:
        text += f"; de kortste balk: {_lower(ranked[-1].label)} ({ranked[-1].cells[0].say})"
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


