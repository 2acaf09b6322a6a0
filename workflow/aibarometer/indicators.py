"""Derived indicators, declared once in config/spec.yaml (``derived:``).

What an indicator is -- its name, Dutch label, the codebook items it is made of, its
base and its formula -- is read from that list by every stage that needs it: the
estimate stage computes it (:func:`makers`), the trend stage checks whether its
sources changed between waves (:func:`sources`), tables, figures and the report take
its label (:func:`labels`) and, where declared, a summary sentence (``sentence``).

Formulas (evaluated on one usable response at a time, vectorised):

* ``any``: 1 when any source item has one of ``codes``, else 0.
* ``count``: per category, whether the number of source items with one of ``codes``
  lies in ``count: [min, max]`` (and, with ``also_any`` / ``also_none``, whether some /
  none of the items has one of those codes).
* ``recode``: per category, whether the single source item has one of its ``codes``.

Base: ``answered`` -- responses that answered at least one source item (missing
elsewhere); ``block`` -- the respondents to the block of the first source (the base of
a multiple-choice option).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .config import Codebook, Item


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    count: tuple[int, int | None] | None = None
    codes: tuple[int, ...] = ()
    also_any: tuple[int, ...] = ()
    also_none: tuple[int, ...] = ()


@dataclass(frozen=True)
class Derived:
    name: str
    label: str
    sources: tuple[str, ...]  # codebook vars
    block: str  # the block of its sources (its base in bases.csv)
    base: str  # answered | block
    formula: str  # any | count | recode
    codes: tuple[int, ...]
    categories: tuple[Category, ...]
    sentence: str | None = None
    category_label: str | None = None  # for formula any: the estimate's category label (default: label)


def _source_vars(sources, codebook: Codebook) -> list[str]:
    if isinstance(sources, dict):
        return [i.var for i in codebook.block_items(sources["block"])]
    return list(sources)


def declared(spec: dict, codebook: Codebook) -> list[Derived]:
    """The derived indicators of the spec that this wave's codebook can compute (a
    declaration whose sources the questionnaire lacks is skipped)."""
    out = []
    for d in spec.get("derived", []):
        if "for_each" in d:
            expanded = [{**d, "name": d["name"].format(var=i.var), "label": d["label"].format(label=i.label),
                         "category_label": d.get("category_label", d["label"]).format(label=i.label),
                         "sources": [i.var]} for i in codebook.block_items(d["for_each"])]
        else:
            expanded = [d]
        for e in expanded:
            src = _source_vars(e["sources"], codebook)
            if not src or any(v not in codebook.by_var for v in src):
                continue
            if e["formula"] == "any":
                cats = (Category("1", e.get("category_label", e["label"])),)
            else:
                cats = tuple(Category(str(c["code"]), c["label"],
                                      tuple(c["count"]) if "count" in c else None, tuple(c.get("codes", ())),
                                      tuple(c.get("also_any", ())), tuple(c.get("also_none", ())))
                             for c in e["categories"])
            out.append(Derived(e["name"], e["label"], tuple(src), codebook.by_var[src[0]].block, e["base"],
                               e["formula"], tuple(e.get("codes", ())), cats, e.get("sentence")))
    return out


def by_name(spec: dict, codebook: Codebook) -> dict[str, Derived]:
    return {d.name: d for d in declared(spec, codebook)}


def sources(name: str, spec: dict, codebook: Codebook) -> list[Item]:
    """The codebook items an indicator is computed from (itself, for a codebook item)."""
    d = by_name(spec, codebook).get(name)
    if d is not None:
        return [codebook.by_var[v] for v in d.sources]
    return [codebook.by_var[name]] if name in codebook.by_var else []


def labels(spec: dict, codebook: Codebook) -> dict[str, str]:
    return {d.name: d.label for d in declared(spec, codebook)}


def load(codebook_path, spec_path) -> Codebook:
    """Load a wave's codebook with the spec's derived indicators attached."""
    from .config import load_codebook
    from .spec import load_spec
    return attach(load_codebook(codebook_path), load_spec(spec_path))


def attach(codebook: Codebook, spec: dict) -> Codebook:
    """The questionnaire together with the derived indicators it can compute: every stage
    that loads both calls this once, and asks ``codebook.derived`` from then on."""
    import copy

    codebook = copy.copy(codebook)  # a loaded codebook may be shared: attach to a copy
    codebook.derived = by_name(spec, codebook)
    return codebook


def makers(d: Derived, x_of: Callable[[str], np.ndarray], bases: dict[str, np.ndarray]) -> list[tuple[Category, Callable]]:
    """(category, function giving the 0/1/NaN column) for every category of ``d``."""
    kept: dict = {}  # base and hit counts, shared by the categories; dropped after the last one

    def once(key, compute):
        if key not in kept:
            kept[key] = compute()
        return kept[key]

    def base() -> np.ndarray:
        if d.base == "block":
            return bases[d.block]

        def answered():
            out = np.zeros(len(x_of(d.sources[0])), dtype=bool)
            for v in d.sources:
                out |= ~np.isnan(x_of(v))
            return out
        return once("base", answered)

    def has(codes) -> np.ndarray:
        def hits():
            hit = np.zeros(len(x_of(d.sources[0])), dtype=np.int16)
            for v in d.sources:
                hit += np.isin(x_of(v), codes)
            return hit
        return once(("has", tuple(codes)), hits)

    def fn(cat: Category):
        def column():
            if d.formula == "any":
                value = has(d.codes) > 0
            elif d.formula == "count":
                n = has(d.codes)
                lo, hi = cat.count
                value = (n >= lo) & (n <= (hi if hi is not None else len(d.sources)))
                if cat.also_any:
                    value &= has(cat.also_any) > 0
                if cat.also_none:
                    value &= has(cat.also_none) == 0
            else:  # recode
                value = np.isin(x_of(d.sources[0]), cat.codes)
            out = np.where(base(), value, np.nan)
            if cat is d.categories[-1]:  # the categories are asked for in order: free the shared arrays
                kept.clear()
            return out
        return column
    return [(cat, fn(cat)) for cat in d.categories]
