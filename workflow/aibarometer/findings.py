"""What is worth saying, chosen by tested evidence: ``results/<wave>/report/findings.json``.

For every block of the questionnaire the findings are:

* ``level``: the items of the block over all firms, and which stand apart at the top (95%
  intervals that do not overlap the next one's) -- or that none does;
* ``group``: the differences by size class and by sector that are significant (q < 0,05
  after Benjamini-Hochberg over all tests of the wave) for an estimate without a
  reliability flag; for a block asked of AI users only, the rest is the other AI users;
* ``change``: the significant changes since the previous wave, over all firms and by size
  class and sector (trend.csv, with the variance that counts the firms in both waves);
* ``new_option``: answer options that changed between the waves (not compared).

Each finding has an id, its numbers with their bases and a weight (the size of the
difference or change in points), so a chapter says the most important first and leaves out
the rest. :func:`group_sentences` realises the group findings of a block in Dutch.
"""

from __future__ import annotations

import pandas as pd

from . import fmt
from .spec import item_label

BLOCKS = ("technologies", "barriers", "knowledge", "applications", "sources", "budget", "competitiveness",
          "employment", "policy")
GROUP_TYPES = ("size", "sector")
DERIVED_SKIP = ("adopter", "n_technologies")  # adoption itself is discussed with Tables 3 and 4


def _headline(codebook, indicator: str, category: str) -> bool:
    """The category a sentence speaks of: a multiple-choice option ticked, the first answer of
    a single-choice item ('ja', 'gebruikt dit nu', 'groot gebrek'), a derived indicator's
    first category."""
    if indicator in codebook.derived:
        return indicator not in DERIVED_SKIP and str(category) == str(codebook.derived[indicator].categories[0].code)
    item = codebook.by_var.get(indicator)
    if item is None:
        return False
    if item.type == "multi":
        return str(category) == "1"
    if item.type == "single":
        return str(category) == str(next(iter(item.codes)))
    return False


def group_findings(est: pd.DataFrame, codebook) -> list[dict]:
    rows = est[est["domain_type"].isin(GROUP_TYPES) & est["significant"].astype(bool) & (est["flag"] == "")
               & (est["kind"] == "proportion") & est["block"].isin(BLOCKS)]
    out = []
    for r in rows.itertuples():
        if not _headline(codebook, r.indicator, r.category):
            continue
        rest = float(r.estimate) - float(r.diff_rest)
        out.append({
            "id": f"group.{r.block}.{r.indicator}={r.category}.{r.domain}", "kind": "group", "block": r.block,
            "indicator": r.indicator, "category": str(r.category), "label": item_label(r.indicator, codebook),
            "domain": r.domain, "group_type": r.domain_type, "group": r.domain_value,
            "direction": "higher" if r.diff_rest > 0 else "lower",
            "numbers": {"estimate": float(r.estimate), "rest": rest, "diff": float(r.diff_rest),
                        "q_value": float(r.q_value), "n": int(r.n)},
            "weight": round(abs(float(r.diff_rest)) * 100, 6)})
    return sorted(out, key=lambda f: (-f["weight"], f["id"]))


def level_findings(est: pd.DataFrame, codebook) -> list[dict]:
    out = []
    all_rows = est[(est["domain"] == "all") & (est["kind"] == "proportion") & (est["flag"] != "suppressed")]
    for block in BLOCKS:
        part = [r for r in all_rows[all_rows["block"] == block].itertuples()
                if _headline(codebook, r.indicator, r.category) and r.indicator not in codebook.derived]
        if len(part) < 2:
            continue
        part.sort(key=lambda r: -r.estimate)
        top = part[0]
        leaders = [r for r in part if r is top or not top.ci_low > r.ci_high]
        out.append({"id": f"level.{block}", "kind": "level", "block": block,
                    "items": [{"indicator": r.indicator, "label": item_label(r.indicator, codebook),
                               "estimate": float(r.estimate), "ci": [float(r.ci_low), float(r.ci_high)], "n": int(r.n)}
                              for r in part],
                    "leaders": [r.indicator for r in leaders], "apart": len(leaders) == 1,
                    "weight": round(float(top.estimate) * 100, 6)})
    return out


def change_findings(trend: pd.DataFrame, codebook) -> list[dict]:
    if trend is None or trend.empty:
        return []
    prev = list(dict.fromkeys(trend["wave_from"]))[-1]
    latest = trend[trend["wave_from"] == prev]
    out = []
    for r in latest.itertuples():
        if not r.comparable:
            if r.domain == "all" and "optie" in str(r.note):
                out.append({"id": f"new_option.{r.indicator}", "kind": "new_option", "indicator": r.indicator,
                            "label": item_label(r.indicator, codebook), "note": r.note, "weight": 0.0})
            continue
        if not bool(r.significant):
            continue
        out.append({"id": f"change.{r.indicator}={r.category}.{r.domain}", "kind": "change", "indicator": r.indicator,
                    "category": str(r.category), "label": item_label(r.indicator, codebook), "domain": r.domain,
                    "direction": "up" if r.change > 0 else "down",
                    "numbers": {"from": float(r.estimate_from), "to": float(r.estimate_to), "change": float(r.change),
                                "q_value": float(r.q_value), "n_from": int(r.n_from), "n_to": int(r.n_to),
                                "n_common": int(getattr(r, "n_common", 0) or 0)},
                    "weight": round(abs(float(r.change)) * 100, 6)})
    return sorted(out, key=lambda f: (-f["weight"], f["id"]))


def findings(est: pd.DataFrame, trend: pd.DataFrame | None, codebook) -> dict:
    return {"level": level_findings(est, codebook), "group": group_findings(est, codebook),
            "change": change_findings(trend, codebook)}


# --- Dutch --------------------------------------------------------------------------------

ADOPTER_BLOCKS = ("applications", "sources", "budget", "competitiveness", "employment")


def _group_phrase(f: dict, strata, adopters: bool) -> str:
    if f["group_type"] == "size":
        noun = strata.size_noun(f["group"])
        return f"AI-gebruikers onder de {noun}" if adopters else noun
    label = fmt.lower_first(strata.sector_label(f["group"]))
    return f"AI-gebruikers uit {label}" if adopters else f"bedrijven uit {label}"


def sentence(f: dict, strata) -> str:
    """One group finding as a Dutch sentence, with its number and the rest's."""
    adopters = f["block"] in ADOPTER_BLOCKS
    who = _group_phrase(f, strata, adopters)
    more = "vaker" if f["direction"] == "higher" else "minder vaak"
    x, y = fmt.pct(f["numbers"]["estimate"]), fmt.pct(f["numbers"]["rest"])
    others = "de andere AI-gebruikers" if adopters else "de andere bedrijven"
    obj = fmt.lower_first(f["label"])
    verb = {
        "technologies": f"gebruiken {more} {obj}",
        "barriers": f"noemen {more} ‘{obj}’ een drempel",
        "knowledge": f"melden {more} een groot tekort aan kennis over ‘{obj}’",
        "applications": f"zetten AI {more} in voor {obj}",
        "policy": f"kennen {more} ‘{obj}’",
    }.get(f["block"], f"antwoorden {more} ‘{obj}’")
    text = f"{who} {verb} ({x}, tegenover {y} bij {others})."
    return text[0].upper() + text[1:]


def group_sentences(found: dict, block: str, strata, limit: int = 3) -> str:
    """The strongest group differences of a block (one per item and group type at most), or
    the statement that none is significant."""
    chosen, seen = [], set()
    for f in (g for g in found["group"] if g["block"] == block):
        key = (f["indicator"], f["group_type"])
        if key in seen:
            continue
        seen.add(key)
        chosen.append(f)
        if len(chosen) == limit:
            break
    if not chosen:
        return ("Naar grootteklasse en sector wijkt geen enkel antwoord op deze vragen significant af van de rest "
                "(na correctie voor het aantal toetsen).")
    lead = ("De grootste verschillen naar grootteklasse en sector, alle significant na correctie voor het aantal "
            "toetsen:" if len(chosen) > 1 else "Naar grootteklasse en sector valt één significant verschil op:")
    return lead + " " + " ".join(sentence(f, strata) for f in chosen)

