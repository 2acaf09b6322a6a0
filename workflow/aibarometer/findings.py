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

SCALED_BLOCKS = ("budget", "employment")  # answers on a scale: each rise or fall is a finding
BLOCKS = ("technologies", "barriers", "knowledge", "applications", "sources", "budget", "competitiveness",
          "employment", "policy")
GROUP_TYPES = ("size", "sector")


def _headline(codebook, indicator: str, category: str) -> bool:
    """The category a sentence speaks of: a multiple-choice option ticked, the first answer of
    a single-choice item ('ja', 'gebruikt dit nu', 'groot gebrek'), a derived indicator's
    first category."""
    if indicator in codebook.derived:  # composites (adoption, potential): discussed with Tables 3 and 4
        return False
    item = codebook.by_var.get(indicator)
    if item is None or indicator.endswith("_none"):  # 'geen van deze' is no finding about a group
        return False
    if item.type == "multi":
        return str(category) == "1"
    if item.type == "single":
        if item.block in SCALED_BLOCKS:  # a rise or a fall, not the middle or 'weet niet'
            label = str(item.codes.get(int(category)) if str(category).isdigit() else "").lower()
            return bool(label) and not label.startswith(("onveranderd", "weet niet", "geen"))
        return str(category) == str(next(iter(item.codes)))
    return False


# Blocks asked of every firm whose answers differ strongly between users and non-users: a group
# compared with the rest of all firms differs partly because it has more or fewer users. The
# estimates test a domain against the rest of all firms (also for the adopter_ domains), so the
# text says so beside these differences.
MIXED_BLOCKS = ("barriers", "knowledge")
MIXED_LEAD = {
    "barriers": "Naar grootteklasse en sector zijn er bij de drempels {n} significante verschillen met de rest (Tabel {table}). "
                "Die vergelijkingen gaan over alle bedrijven samen; omdat gebruikers en niet-gebruikers een deel van de "
                "drempels anders inschatten, kunnen ze voor een groot deel samenhangen met het aandeel AI-gebruikers in "
                "de groep, en daarom bespreken we ze hier niet afzonderlijk.",
    "knowledge": "Ook de {n} significante verschillen in kennis naar grootteklasse en sector (Tabel {table}) gaan over alle "
                 "bedrijven samen en kunnen voor een groot deel samenhangen met het aandeel AI-gebruikers in de groep.",
}
# A group's share must rest on at least this many answers in its smaller category (n * min(p, 1 - p)):
# a test of 0,2% against 9,2% on a few hundred answers leans on one or two firms.
MIN_EVENTS = 5


def group_findings(est: pd.DataFrame, codebook) -> list[dict]:
    rows = est[est["domain_type"].isin(GROUP_TYPES) & est["significant"].astype(bool) & (est["flag"] == "")
               & (est["kind"] == "proportion") & est["block"].isin(BLOCKS)]
    out = []
    for r in rows.itertuples():
        if not _headline(codebook, r.indicator, r.category):
            continue
        if int(r.n) * min(float(r.estimate), 1 - float(r.estimate)) < MIN_EVENTS:
            continue  # a share that rests on a handful of answers: its test is not to be trusted
        rest = float(r.estimate) - float(r.diff_rest)
        out.append({
            "id": f"group.{r.block}.{r.indicator}={r.category}.{r.domain}", "kind": "group", "block": r.block,
            "indicator": r.indicator, "category": str(r.category), "label": item_label(r.indicator, codebook),
            "category_label": str(r.category_label), "scaled": r.block in SCALED_BLOCKS,
            "domain": r.domain, "group_type": r.domain_type, "group": r.domain_value,
            "users": r.block in ADOPTER_BLOCKS,
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
            if r.domain == "all" and "antwoordmogelijkhe" in str(r.note):
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


def group_moves(trend: pd.DataFrame | None, changes: list[dict]) -> list[dict]:
    """Every change by size class and sector (significant or not) of the indicators whose change
    over all firms is significant: for the text to say whether the other groups moved the same way."""
    moved = {c["indicator"] for c in changes if c["kind"] == "change" and c["domain"] == "all"}
    if trend is None or trend.empty or not moved or "domain" not in trend:
        return []
    prev = list(dict.fromkeys(trend["wave_from"]))[-1]
    part = trend[(trend["wave_from"] == prev) & (trend["domain"] != "all") & trend["indicator"].isin(moved)
                 & trend["comparable"].astype(bool)]
    return [{"indicator": r.indicator, "domain": r.domain, "change": float(r.change), "significant": bool(r.significant)}
            for r in part.itertuples() if pd.notna(r.change)]


def findings(est: pd.DataFrame, trend: pd.DataFrame | None, codebook) -> dict:
    changes = change_findings(trend, codebook)
    return {"level": level_findings(est, codebook), "group": group_findings(est, codebook),
            "change": changes, "group_moves": group_moves(trend, changes)}


# --- Dutch (aibarometer.dutch: noun phrases from the codebook, lists, comparatives) ---------

ADOPTER_BLOCKS = ("applications", "sources", "budget", "competitiveness", "employment")
BLOCK_NOUN = {"technologies": "het gebruik per technologie", "barriers": "de drempels",
              "knowledge": "de tekorten aan kennis", "applications": "de toepassingen", "sources": "de bronnen van AI",
              "budget": "de evolutie van het AI-budget", "competitiveness": "de impact op de competitiviteit",
              "employment": "de impact op de tewerkstelling", "policy": "de kennis van het Vlaamse AI-beleid"}


COMBINED_ANSWERS = {"increased": "een stijging", "decreased": "een daling"}


def _np(indicator: str, codebook):
    from .dutch import NP, np_of

    item = codebook.by_var.get(indicator)
    return np_of(item) if item is not None else NP(fmt.lower_first(item_label(indicator, codebook)))


def _answer(indicator: str, category, codebook) -> str:
    """A scaled answer as a noun phrase ('een sterke stijging'), from the codebook's answer_nouns."""
    item = codebook.by_var.get(indicator)
    nouns = getattr(codebook, "answer_nouns", {}).get(item.codes_name if item else "", {})
    code = int(category) if str(category).lstrip("-").isdigit() else None
    if code in nouns:
        return nouns[code]
    if str(category) in COMBINED_ANSWERS:  # a derived category of config/spec.yaml (codes 4-5, 1-2)
        return COMBINED_ANSWERS[str(category)]
    label = item.codes.get(code, str(category)) if item and item.codes else str(category)
    return f"het antwoord ‘{fmt.lower_first(label)}’"


def change_by_group(found: dict, strata, codebook, record: list | None = None) -> str:
    """Where the significant changes over all firms happened: per size class and sector, the
    groups whose change is itself significant (after BH, no flag), strongest first, or that none is."""
    from .dutch import capfirst, lijst, number, sentence as zin

    overall = {c["indicator"]: c for c in found["change"] if c["kind"] == "change" and c["domain"] == "all"}
    by_group = [c for c in found["change"] if c["kind"] == "change" and c["domain"] != "all"]
    if not overall:
        return ""
    sentences = []
    for ind, c in overall.items():
        groups = [g for g in by_group if g["indicator"] == ind and g["direction"] == c["direction"]]
        if not groups:
            continue
        subject = change_phrase(ind, codebook, c.get("category", "1"))
        verb = "steeg" if c["direction"] == "up" else "daalde"
        parts = []
        sizes = [g for g in groups if g["domain"].startswith("size:")]
        if len(sizes) == len(strata.size_codes) > 1:  # every size class: said once, in the order of the classes
            order = {c: k for k, c in enumerate(strata.size_codes)}
            moves = [f"{strata.size_noun(g['domain'][5:])} van {fmt.pct(g['numbers']['from'])} naar "
                     f"{fmt.pct(g['numbers']['to'])}" for g in sorted(sizes, key=lambda g: order[g["domain"][5:]])]
            parts.append(f"in alle {number(len(sizes))} grootteklassen ({lijst(moves)})")
            groups = [g for g in groups if not g["domain"].startswith("size:")]
        order = {c: k for k, c in enumerate(strata.size_codes)}
        for g in sorted(groups, key=lambda g: (g["domain"].split(":")[0] != "size",
                                               order.get(g["domain"].partition(":")[2], 0) if g["domain"].startswith("size:")
                                               else -g["weight"])):
            kind, _, code = g["domain"].partition(":")
            move = f"van {fmt.pct(g['numbers']['from'])} naar {fmt.pct(g['numbers']['to'])}"
            parts.append(f"bij {strata.size_noun(code)} ({move})" if kind == "size" else
                         f"in {strata.sector_noun(code)} (NACE {code}, {move})")
        comma = "," if " dat " in subject else ""  # 'het aandeel bedrijven dat AI gebruikt, steeg'
        sentences.append(zin(capfirst(subject) + comma, verb, "ook afzonderlijk significant", lijst(parts)))
        if record is not None:
            record.append({"section": "trend", "ids": [c["id"]] + [g["id"] for g in groups], "sentence": sentences[-1]})
        if len(sentences) == 3:
            break
    if not sentences:
        return ("Per grootteklasse en per sector is geen enkele van die veranderingen afzonderlijk significant: de groepen "
                "zijn daarvoor te klein.")
    rest = [c for c in found.get("group_moves", []) if c["indicator"] in overall and not c["significant"]]
    same = [c for c in rest if (c["change"] > 0) == (next(iter(overall.values()))["direction"] == "up")]
    tail = " In de andere grootteklassen en sectoren is de verandering niet significant"
    if rest and len(same) == len(rest):
        tail += ", al gaat ze in dezelfde richting: die groepen zijn te klein om ze afzonderlijk met zekerheid vast te stellen"
    return " ".join(sentences) + tail + "."


def block_of(indicator: str, codebook) -> str:
    """The questionnaire block of an item or a derived indicator ('' when neither)."""
    if indicator in codebook.by_var:
        return codebook.by_var[indicator].block
    derived = getattr(codebook, "derived", {})
    return derived[indicator].block if indicator in derived else ""


def change_phrase(indicator: str, codebook, category="1") -> str:
    """A headline indicator as the subject of a change: 'het gebruik van tekstanalyse', 'het
    aandeel dat de verhouding tussen kosten en baten een drempel noemt'."""
    if indicator == "adopter":
        return "het aandeel bedrijven dat AI gebruikt"
    block, np = block_of(indicator, codebook), _np(indicator, codebook)
    item = codebook.by_var.get(indicator)
    if block in SCALED_BLOCKS:
        return f"het aandeel dat {_answer(indicator, category, codebook)} van {np} meldt"
    if block == "policy":
        return f"het aandeel dat {np} kent" if item is None or item.codes_name != "initiative" else \
            f"het aandeel dat deelnam aan {np}"
    return {
        "technologies": f"het gebruik van {np}",
        "applications": f"het gebruik van AI voor {np}",
        "barriers": f"het aandeel dat {np} een drempel noemt",
        "knowledge": f"het aandeel met een groot gebrek aan {np.bare}",
        "sources": f"het aandeel dat zijn AI verwerft via {np}",
        "competitiveness": f"het aandeel dat {np} meldt",
    }.get(block, f"het aandeel voor {np}")


def _group_phrase(group_type: str, group: str, strata, adopters: bool) -> str:
    if group_type == "size":
        noun = strata.size_noun(group)
        return f"AI-gebruikers onder de {noun}" if adopters else noun
    where = f"{strata.sector_noun(group)} (NACE {group})"
    return f"AI-gebruikers uit {where}" if adopters else f"bedrijven uit {where}"


def _several_groups(parts: list[dict], strata, codebook, adopters: bool, with_numbers: bool) -> str:
    from .dutch import lijst, lijst_samen

    f = parts[0]
    if f["group_type"] == "size":
        nouns = lijst_samen([strata.size_noun(g["group"]) for g in parts])
        who_sg = f"AI-gebruikers onder de {nouns}" if adopters else nouns
    else:
        where = lijst([f"{strata.sector_noun(g['group'])} (NACE {g['group']})" for g in parts])
        who_sg = f"AI-gebruikers uit {where}" if adopters else f"bedrijven uit {where}"
    one = dict(f, group=parts[0]["group"])
    text = sentence([one], strata, codebook, numbers=False)
    head = _group_phrase(f["group_type"], f["group"], strata, adopters)
    text = who_sg[:1].upper() + who_sg[1:] + text[len(head):]
    if with_numbers:
        others = "de andere AI-gebruikers" if adopters else "de andere bedrijven"
        nums = (f"({lijst([fmt.pct(g['numbers']['estimate']) for g in parts])}, tegenover "
                f"{lijst([fmt.pct(g['numbers']['rest']) for g in parts])} bij {others})")
        text = text[:-1] + " " + nums + "." if not text.endswith("als drempel.") else \
            text[:-len(" als drempel.")] + " " + nums + " als drempel."
    return text


def merge_groups(sets: list[list[dict]]) -> list[list[dict]]:
    """Groups of one kind that differ on the same single answer in the same direction become one
    sentence ('AI-gebruikers onder de middelgrote en grote bedrijven melden ...'), not two
    sentences that differ in the group alone."""
    out: list[list[dict]] = []
    for parts in sets:
        f = parts[0]
        twin = next((o for o in out if len(parts) == 1
                     and all(g["indicator"] == f["indicator"] and g["category"] == f["category"]
                             and g["direction"] == f["direction"] and g["group_type"] == f["group_type"]
                             and g["group"] != f["group"] for g in o)), None)
        if twin is not None:
            twin.append(f)
        else:
            out.append(list(parts))
    return out


def sentence(parts: list[dict], strata, codebook, numbers: bool = True) -> str:
    """Group findings of one group, block and direction as one Dutch sentence: who, the verb
    with 'significant vaker' or 'significant minder vaak', what (a list of noun phrases), each
    number beside the rest's."""
    from .dutch import lijst, more, sentence as zin

    f = parts[0]
    adopters = f.get("users", f["block"] in ADOPTER_BLOCKS)
    if len({g["group"] for g in parts}) > 1:  # one answer, several groups of one kind (merge_groups)
        return _several_groups(parts, strata, codebook, adopters, numbers)
    who = _group_phrase(f["group_type"], f["group"], strata, adopters)
    often = more(f["direction"])
    others = "de andere AI-gebruikers" if adopters else "de andere bedrijven"

    with_numbers = numbers

    def numbers(g, last):
        if not with_numbers:
            return ""
        x, y = fmt.pct(g["numbers"]["estimate"]), fmt.pct(g["numbers"]["rest"])
        return f"({x} tegenover {y}{' bij ' + others if last else ''})"

    def named(g, k, form=str):
        return f"{form(_np(g['indicator'], codebook))} {numbers(g, k == len(parts) - 1)}"

    block, item = f["block"], codebook.by_var.get(f["indicator"])
    if f.get("scaled"):  # an answer on a scale: 'een sterke stijging van het AI-budget'
        what = lijst([f"{_answer(g['indicator'], g['category'], codebook)} van {named(g, k)}"
                      for k, g in enumerate(parts)])
        return zin(who, "melden", often, what)
    what = lijst([named(g, k, (lambda n: n.bare) if block == "knowledge" else str) for k, g in enumerate(parts)])
    if block == "technologies":
        return zin(who, "gebruiken", often, what)
    if block == "barriers":
        return zin(who, "ervaren", often, what, "als drempel")
    if block == "knowledge":
        return zin(who, "melden", often, "een groot gebrek aan", what)
    if block == "applications":
        return zin(who, "zetten AI", often, "in voor", what)
    if block == "sources":
        return zin(who, "verwerven hun AI", often, "via", what)
    if block == "policy" and item is not None and item.codes_name == "initiative":
        return zin(who, "namen", often, "deel aan", what)
    if block == "policy":
        return zin(who, "kennen", often, what)
    return zin(who, "melden", often, what)


def group_sentences(found: dict, blocks, strata, codebook, limit: int = 4, table: str = "A4",
                    record: list | None = None) -> str:
    """The strongest group differences of a block or blocks, gathered per group and direction,
    or one sentence saying that none is significant. With ``record``, each sentence is appended
    to it with the ids of the findings it says (findings.json ``said``: every claim traced)."""

    blocks = [blocks] if isinstance(blocks, str) else list(blocks)
    out = []
    for block in blocks:
        chosen, seen = [], set()
        for f in (g for g in found["group"] if g["block"] == block):
            key = (f["indicator"], f["group"])
            if key in seen:
                continue
            seen.add(key)
            chosen.append(f)
            if len(chosen) == limit:
                break
        groups: dict[tuple, list[dict]] = {}
        for f in chosen:  # in order of weight: the strongest group first
            groups.setdefault((f["group_type"], f["group"], f["direction"], f.get("scaled")), []).append(f)
        merged = merge_groups(list(groups.values()))
        said = [sentence(parts, strata, codebook) for parts in merged]
        trace = [{"section": block, "ids": [f["id"] for f in parts], "sentence": s} for parts, s in zip(merged, said)]
        if said and block in MIXED_BLOCKS:  # what such a difference mostly measures is the share of users
            every = [g for g in found["group"] if g["block"] == block]
            from .dutch import number

            said = [MIXED_LEAD[block].format(n=number(len(every)), table=table)]
            trace = [{"section": block, "ids": [g["id"] for g in every], "counted": True, "sentence": said[0]}]
        if record is not None:
            record.extend(trace)
        out.append((block, said))
    quiet = [b for b, sentences in out if not sentences]
    text = " ".join(s for _, sentences in out for s in sentences)
    if quiet:
        text += (" " if text else "") + quiet_sentence(quiet)
    return text


def quiet_sentence(blocks: list[str]) -> str:
    """That no size class or sector differs significantly, said for the blocks together, with the
    right comparison group (the other AI users for questions asked of users)."""
    from .dutch import lijst, sentence as zin

    users = all(b in ADOPTER_BLOCKS for b in blocks)
    who = "AI-gebruikers" if users else "bedrijven"
    what = lijst([BLOCK_NOUN[b] for b in blocks])
    forms = (f"Over {what} antwoorden de {who} van geen enkele grootteklasse of sector significant anders dan de "
             f"andere {who}",
             f"Bij {what} wijken de {who} van geen enkele grootteklasse of sector significant af van de andere {who}",
             f"Ook voor {what} is geen enkel verschil naar grootteklasse of sector significant")
    return zin(forms[BLOCKS.index(blocks[0]) % len(forms)])
