"""Clean: exclusion rules v and a-d, strata, weights, the response flow, Tables 1 and 2.

Exclusion rules, evaluated on every response. Rules (a)-(d) are those of section 2.3
of the 2021 report; rule (v) comes first and removes what is not a real answer at all:

(v) not a response from the fieldwork: a survey preview or test (``Status`` not in
    ``cleaning.real_status_codes``), or recorded outside the wave's fieldwork period
    (``fieldwork`` in the wave file; also a start before it or an end before the start);
(a) fewer than ``min_employees`` employees according to the answers;
(b) main activity (reported NACE code) outside the sectors in scope;
(c) not a single question on AI answered: every item of the codebook's ``ai_blocks``
    empty or "weet niet" (``dont_know_codes``: a "weet niet" tells nothing about AI);
(d) a second response for the same enterprise. The enterprise of a response is the
    enterprise number it reports when that number is in the sample frame, else the
    invited one: a respondent outside the sample cannot carry a design weight, so a
    response about a firm that was never drawn counts for the invitation it answered.
    Of several responses for one enterprise, one is kept by this deterministic order:
    first a response not hit by (v)-(c); then one whose reported number equals the
    invited one; then the highest progress; then the earliest recorded date; then the
    smallest pseudonymous response id. The others get (d).

A response hit by several rules lists all of them and counts under the first in the
order v, a, b, c, d. Every response ends up usable or excluded; the flow table must
add up or the stage fails.

A usable response that left the technology question unanswered has no adopter status:
it counts in every estimate over all firms but in neither the adopters' nor the
non-adopters' domain, and answers routed to either group are blanked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import Codebook, config_file
from .errors import FaultCollector
from .strata import Strata

ORDER = "vabcd"
RULES = {
    "v": "geen echte respons uit het veldwerk (voorbeeld, test, of buiten de veldwerkperiode)",
    "a": "minder dan {min_employees} werknemers volgens de antwoorden",
    "b": "hoofdactiviteit buiten de onderzochte sectoren volgens de antwoorden",
    "c": "geen enkele vraag over AI inhoudelijk beantwoord",
    "d": "tweede antwoord voor dezelfde onderneming",
}


def substantive(df: pd.DataFrame, codebook: Codebook, items) -> pd.DataFrame:
    """Per item: answered with something other than "weet niet"."""
    out = {}
    dk = list(codebook.dont_know_codes)
    for i in items:
        x = df[i.var]
        ok = x.notna().to_numpy()
        if dk and i.codes and set(dk) & set(i.codes):
            ok &= ~x.isin(dk).fillna(False).to_numpy(dtype=bool)
        out[i.var] = ok
    return pd.DataFrame(out, index=df.index)


def not_from_fieldwork(df: pd.DataFrame, fieldwork: dict | None, real_status: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Rule (v): the mask and the evidence per response."""
    n = len(df)
    hit = np.zeros(n, dtype=bool)
    why = np.full(n, "", dtype=object)

    if "status" in df.columns:
        st = df["status"]
        bad = st.notna().to_numpy() & ~st.isin(real_status).fillna(False).to_numpy(dtype=bool)
        hit |= bad
        why = np.where(bad, "status=" + st.astype("string").fillna("").to_numpy(dtype=object)
                       + " (voorbeeld, test of spam in het enquêteplatform)", why)
    if fieldwork:
        lo = pd.Timestamp(fieldwork["start"])
        hi = pd.Timestamp(fieldwork["end"]) + pd.Timedelta(days=1)
        start, end = df.get("start_date"), df.get("end_date")
        rec = df.get("recorded_date")
        when = rec if rec is not None else end
        checks = []
        if when is not None:
            checks.append((when.notna() & ((when < lo) | (when >= hi)), "geregistreerd buiten het veldwerk "
                           f"({fieldwork['start']} tot en met {fieldwork['end']})"))
        if start is not None:
            checks.append((start.notna() & (start < lo), f"gestart vóór het veldwerk ({fieldwork['start']})"))
        if start is not None and end is not None:
            checks.append((start.notna() & end.notna() & (end < start), "einddatum vóór de startdatum"))
        for mask, text in checks:
            m = mask.to_numpy(dtype=bool)
            why = np.where(m & (why == ""), text, np.where(m & (why != ""), why + "; " + text, why))
            hit |= m
    return hit, why


def exclusion_rules(df: pd.DataFrame, codebook: Codebook, strata: Strata, min_employees: int,
                    fieldwork: dict | None = None, real_status: list[int] | None = None) -> pd.DataFrame:
    """Per response: which rules hit, the counted rule, a reason and the evidence."""
    emp = df[codebook.role("employees").var]
    nace = df[codebook.role("nace").var]
    hits = pd.DataFrame(index=df.index)
    hits["v"], v_why = not_from_fieldwork(df, fieldwork, real_status if real_status is not None else [0])
    hits["a"] = (emp.notna() & (emp < min_employees)).to_numpy()
    sector = strata.sector_series(nace)
    hits["b"] = (nace.notna() & sector.isna()).to_numpy()
    ai_items = codebook.ai_items
    answered = substantive(df, codebook, [i for i in ai_items if i.var in df.columns]).sum(axis=1)
    hits["c"] = (answered == 0).to_numpy()

    # (d) duplicates per enterprise: the reported firm when it is in the frame, else the invitation
    in_frame = df["in_frame_reported"].to_numpy(dtype=bool) if "in_frame_reported" in df.columns else \
        np.ones(len(df), dtype=bool)
    reported = df["reported_pid"].where(in_frame)
    # a preview or test without invitation is an enterprise of its own (rule v excludes it)
    ent = reported.fillna(df["invited_pid"]).fillna("respons:" + df["response_pid"])
    matches = df["reported_pid"].isna() | (df["reported_pid"] == df["invited_pid"])
    order = pd.DataFrame({
        "ent": ent, "earlier": hits[["v", "a", "b", "c"]].any(axis=1), "mismatch": ~matches,
        "progress": -df["progress"].fillna(0), "recorded": df["recorded_date"], "pid": df["response_pid"],
    }).sort_values(["ent", "earlier", "mismatch", "progress", "recorded", "pid"], kind="stable")
    first = order.groupby("ent")["pid"].transform("first")
    hits["d"] = (order["pid"] != first).reindex(df.index).to_numpy()
    kept_by = first.reindex(df.index)

    H = hits[list(ORDER)].to_numpy(dtype=bool)
    letters = np.array(list(ORDER), dtype=object)
    rules = np.array([",".join(letters[row]) for row in H], dtype=object) if len(H) else np.array([], dtype=object)
    counted = np.where(H.any(axis=1), letters[np.argmax(H, axis=1)], "")
    excluded = np.flatnonzero(H.any(axis=1))
    evidence = np.full(len(df), "", dtype=object)
    n_ai = len(ai_items)
    for i in excluded:  # only excluded rows carry evidence
        parts = []
        if H[i, 0]:
            parts.append(v_why[i])
        if H[i, 1]:
            parts.append(f"werknemers={emp.iat[i]:g}")
        if H[i, 2]:
            parts.append(f"nace={nace.iat[i]}")
        if H[i, 3]:
            parts.append(f"0 van {n_ai} AI-vragen inhoudelijk beantwoord")
        if H[i, 4]:
            parts.append(f"onderneming {ent.iat[i]} al beantwoord in respons {kept_by.iat[i]}"
                         + ("" if matches.iat[i] else f"; uitgenodigd als {df['invited_pid'].iat[i]}")
                         + ("" if in_frame[i] else "; het opgegeven ondernemingsnummer staat niet in het kader, "
                            "dus telt het antwoord voor de uitgenodigde onderneming"))
        evidence[i] = "; ".join(parts)
    reason = pd.Series(counted).map(lambda r: RULES.get(r, "").format(min_employees=min_employees)).to_numpy()
    return pd.DataFrame({"response_pid": df["response_pid"].to_numpy(), "rule": counted, "rules": rules,
                         "reason": reason, "evidence": evidence, "n_ai_answered": answered.to_numpy()}, index=df.index)


def assign_strata(df: pd.DataFrame, codebook: Codebook, strata: Strata, source: str) -> pd.DataFrame:
    emp = df[codebook.role("employees").var]
    nace = df[codebook.role("nace").var]
    if source == "answers":
        sector = strata.sector_series(nace).fillna(df["frame_sector"])
        size = strata.size_series(emp).fillna(df["frame_size_class"])
        basis = np.where(nace.notna() & emp.notna(), "antwoorden", "antwoorden, aangevuld uit het kader")
    else:
        sector, size = df["frame_sector"], df["frame_size_class"]
        basis = np.full(len(df), "kader")
    return pd.DataFrame({"sector": sector, "size_class": size, "stratum_basis": basis}, index=df.index)


def apply_routing(df: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, dict[str, int]]:
    """Blank answers the questionnaire did not ask (a survey tool that lets them through is
    wrong). ``adopter`` is True / False, or missing when no technology item was answered."""
    df = df.copy()
    tech = [i.var for i in codebook.technology_items]
    uses = (df[tech] == 1).any(axis=1).to_numpy(dtype=bool)
    known = df[tech].notna().any(axis=1).to_numpy(dtype=bool)
    df["adopter"] = pd.array(np.where(known, uses, False), dtype="boolean")
    df.loc[~known, "adopter"] = pd.NA
    is_adopter = known & uses
    is_non_adopter = known & ~uses
    cleared = {}
    for item in codebook.items:
        if item.var not in df.columns:
            continue
        mask = np.zeros(len(df), dtype=bool)
        if item.routing == "adopters":
            mask |= ~is_adopter
        elif item.routing == "non_adopters":
            mask |= ~is_non_adopter
        if item.condition:
            mask |= ~df[item.condition["var"]].isin(item.condition["in"]).fillna(False).to_numpy(dtype=bool)
        hit = mask & df[item.var].notna().to_numpy()
        if hit.any():
            cleared[item.var] = int(hit.sum())
            df.loc[hit, item.var] = pd.NA if isinstance(df[item.var].dtype, pd.api.extensions.ExtensionDtype) else np.nan
    return df, cleared


def collapse_strata(counts: pd.DataFrame, strata: Strata) -> dict[tuple[str, str], tuple[str, str]]:
    """Map empty strata onto the neighbouring size class (of the same sector) with most
    responses; a run of adjacent empty strata goes to the nearest non-empty one."""
    mapping: dict[tuple[str, str], tuple[str, str]] = {}
    n = counts.set_index(["sector", "size_class"])["usable"]
    sizes = strata.size_codes
    for _ in sizes:  # each pass can reach one size class further
        changed = False
        for (s, c), v in n.items():
            if v > 0 or (s, c) in mapping:
                continue
            j = sizes.index(c)
            nbrs = [sizes[k] for k in (j - 1, j + 1) if 0 <= k < len(sizes)
                    and (n.get((s, sizes[k]), 0) > 0 or (s, sizes[k]) in mapping)]
            if not nbrs:
                continue
            target = [mapping.get((s, x), (s, x)) for x in nbrs]
            best = max(target, key=lambda t: (n[t], -sizes.index(t[1])))
            mapping[(s, c)] = best
            changed = True
        if not changed:
            break
    return mapping


def clean(responses: pd.DataFrame, frame: pd.DataFrame, population: pd.DataFrame, codebook: Codebook,
          strata: Strata, params: dict, paths: dict) -> dict[str, pd.DataFrame]:
    # routing first: an answer to a question the respondent was not asked does not
    # count as answering a question on AI (rule c)
    responses, cleared = apply_routing(responses, codebook)
    hits = exclusion_rules(responses, codebook, strata, params["min_employees"], paths.get("fieldwork"),
                           params.get("real_status_codes", [0, 4, 16]))
    usable_mask = hits["rule"] == ""
    st = assign_strata(responses, codebook, strata, params["stratum_source"])
    usable = pd.concat([responses, st], axis=1)[usable_mask.to_numpy()].copy()

    pop = population.copy()
    counts = usable.groupby(["sector", "size_class"]).size().rename("usable")
    per = pop.merge(counts.reset_index(), on=["sector", "size_class"], how="left").fillna({"usable": 0})
    per["usable"] = per["usable"].astype(int)
    sample = frame.groupby(["sector", "size_class"]).size().rename("sample").reset_index()
    reached = frame[~frame["undeliverable"]].groupby(["sector", "size_class"]).size().rename("reached").reset_index()
    per = per.merge(sample, how="left").merge(reached, how="left").fillna({"sample": 0, "reached": 0})
    per[["sample", "reached"]] = per[["sample", "reached"]].astype(int)

    faults = FaultCollector()
    for _, r in per[per["usable"] > per["population"]].iterrows():
        faults.add(paths["population"], f"stratum {r.sector} | {r.size_class}: {r.usable} bruikbare antwoorden maar "
                   f"een populatie van {r.population}", "het populatie-aantal moet minstens het aantal bruikbare "
                   "antwoorden zijn; controleer het populatiebestand of de stratumindeling", column="population")
    design = {(r.sector, r.size_class): (r.sector, r.size_class) for r in per.itertuples()}
    collapsed = []
    empty = per[per["usable"] == 0]
    if len(empty):
        if params["empty_stratum"] == "collapse":
            mapping = collapse_strata(per, strata)
            for k, v in mapping.items():
                design[k] = v
                collapsed.append({"sector": k[0], "size_class": k[1], "merged_into": v[1]})
            left = [k for k in zip(empty["sector"], empty["size_class"]) if k not in mapping]
        else:
            left = list(zip(empty["sector"], empty["size_class"]))
        for s, c in left:
            if params["empty_stratum"] == "collapse":
                faults.add(paths["export"], f"stratum {s} | {c} heeft geen enkel bruikbaar antwoord, en geen enkele "
                           "grootteklasse van deze sector heeft er een: samenvoegen binnen de sector kan niet",
                           "herbekijk de stratumindeling (voeg de sector bv. samen met een verwante sector in "
                           f"{config_file()}, strata) of ga na waarom deze sector geen bruikbare antwoorden heeft")
            else:
                faults.add(paths["export"], f"stratum {s} | {c} heeft geen enkel bruikbaar antwoord, dus geen gewicht",
                           f"zet cleaning.empty_stratum op 'collapse' in {config_file()} om het samen te voegen met de "
                           "naburige grootteklasse van dezelfde sector, of herbekijk de stratumindeling")
    faults.raise_if_any()

    per["design_stratum"] = [strata.stratum_id(*design[(s, c)]) for s, c in zip(per["sector"], per["size_class"])]
    dstr = per.groupby("design_stratum")[["population", "usable"]].sum()
    usable["stratum"] = [strata.stratum_id(*design[(s, c)]) for s, c in zip(usable["sector"], usable["size_class"])]
    usable["N_h"] = usable["stratum"].map(dstr["population"]).astype(int)
    usable["n_h"] = usable["stratum"].map(dstr["usable"]).astype(int)
    usable["weight"] = usable["N_h"] / usable["n_h"]
    per["weight"] = per["design_stratum"].map(dstr["population"] / dstr["usable"])

    excluded = hits[~usable_mask]
    by_rule = excluded["rule"].value_counts()
    label = {r: RULES[r].format(min_employees=params["min_employees"]) for r in ORDER}
    n_v = int(by_rule.get("v", 0))
    flow = [
        ("sampled", "Ondernemingen in de steekproef", len(frame)),
        ("undeliverable", "E-mail niet afgeleverd", int(frame["undeliverable"].sum())),
        ("reached", "Bereikt", int((~frame["undeliverable"]).sum())),
        ("export_rows", "Rijen in de export van het enquêteplatform", len(responses)),
        ("excluded_v", f"Vooraf verwijderd (v): {label['v']}", n_v),
        ("responses", "Antwoorden ontvangen", len(responses) - n_v),
    ] + [(f"excluded_{r}", f"Uitgesloten ({r}): {label[r]}", int(by_rule.get(r, 0))) for r in "abcd"] + [
        ("excluded", "Uitgesloten in totaal (a-d)", len(excluded) - n_v),
        ("usable", "Bruikbare antwoorden", len(usable)),
    ]
    flow = pd.DataFrame(flow, columns=["step", "label", "count"])
    f = flow.set_index("step")["count"]
    if f["usable"] + f["excluded"] != f["responses"] or sum(f[f"excluded_{r}"] for r in "abcd") != f["excluded"] \
            or f["responses"] + f["excluded_v"] != f["export_rows"] \
            or f["reached"] + f["undeliverable"] != f["sampled"] or abs(usable["weight"].sum() - pop["population"].sum()) > 1e-6:
        raise RuntimeError(f"the response flow does not add up: {f.to_dict()}")

    keep = ["response_pid", "sector", "size_class", "stratum", "stratum_basis", "N_h", "n_h", "weight", "adopter"]
    items = [i.var for i in codebook.kept if i.var in usable.columns]
    # the enterprise a usable response stands for (rule d): the reported one when it was drawn
    in_frame = usable["in_frame_reported"].to_numpy(dtype=bool) if "in_frame_reported" in usable.columns else True
    usable["enterprise_pid"] = usable["reported_pid"].where(in_frame).fillna(usable["invited_pid"])
    keep.insert(1, "enterprise_pid")
    usable = usable[keep + [v for v in items if v not in keep]].reset_index(drop=True)

    table1 = per[["sector", "size_class", "population", "sample"]]
    table2 = per[["sector", "size_class", "sample", "reached", "usable", "weight", "design_stratum"]]
    routing = pd.DataFrame(sorted(cleared.items()), columns=["var", "answers_blanked"])
    return {"responses": usable, "exclusions": excluded.reset_index(drop=True), "flow": flow,
            "table1": table1, "table2": table2, "collapsed": pd.DataFrame(collapsed, columns=["sector", "size_class", "merged_into"]),
            "routing": routing}


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``clean``)."""
    from .config import load_codebook
    from .stage import write_table

    codebook = load_codebook(input.codebook)
    strata = Strata(params.strata)
    from . import contracts as c

    responses = pd.read_parquet(input.responses)
    frame = pd.read_parquet(input.frame)
    population = pd.read_parquet(input.population)
    c.require(responses.columns, c.INGEST_RESPONSES, input.responses, "ingest")
    c.require(frame.columns, c.INGEST_FRAME, input.frame, "ingest")
    c.require(population.columns, c.POPULATION, input.population, "ingest")
    out = clean(responses, frame, population, codebook, strata, dict(params.cleaning),
                {"population": params.population_file, "export": params.export_file,
                 "fieldwork": dict(params.fieldwork) if getattr(params, "fieldwork", None) else None})
    flow = out["flow"].set_index("step")["count"]
    log("flow: " + ", ".join(f"{k}={v}" for k, v in flow.items()))
    if len(out["routing"]):
        log(f"answers blanked by routing: {out['routing'].to_dict('records')}")
    assert list(out["responses"].columns[:len(c.CLEAN_RESPONSES)]) == c.CLEAN_RESPONSES
    assert list(out["exclusions"].columns) == c.EXCLUSIONS and list(out["flow"]["step"]) == c.FLOW_STEPS
    assert list(out["table1"].columns) == c.TABLE1 and list(out["table2"].columns) == c.TABLE2
    for name in ("responses", "exclusions", "flow", "table1", "table2", "collapsed", "routing"):
        write_table(out[name], getattr(output, name))
