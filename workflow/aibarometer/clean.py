"""Clean: exclusion rules a-d, strata, weights, the response flow, Tables 1 and 2.

Exclusion rules (section 2.3 of the 2021 report), evaluated on every response:

(a) fewer than ``min_employees`` employees according to the answers;
(b) main activity (reported NACE code) outside the sectors in scope;
(c) not a single question on AI answered (every item of the codebook's
    ``ai_blocks`` empty);
(d) a second response for the same enterprise. The enterprise of a response is
    the enterprise number it reports (the invited one when the answer is empty).
    Of several responses for one enterprise, one is kept by this deterministic
    order: first a response not hit by (a)-(c); then one whose reported number
    equals the invited one; then the highest progress; then the earliest
    recorded date; then the smallest pseudonymous response id. The others get (d).

A response hit by several rules lists all of them and counts under the first in
the order a, b, c, d. Every response ends up usable or excluded; the flow table
must add up or the stage fails.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import Codebook
from .errors import Fault, FaultCollector
from .strata import Strata

RULES = {
    "a": "minder dan {min_employees} werknemers volgens de antwoorden",
    "b": "hoofdactiviteit buiten de onderzochte sectoren volgens de antwoorden",
    "c": "geen enkele vraag over AI beantwoord",
    "d": "tweede antwoord voor dezelfde onderneming",
}


def exclusion_rules(df: pd.DataFrame, codebook: Codebook, strata: Strata, min_employees: int) -> pd.DataFrame:
    """Per response: which rules hit, the counted rule, a reason and the evidence."""
    emp = df[codebook.role("employees").var]
    nace = df[codebook.role("nace").var]
    hits = pd.DataFrame(index=df.index)
    hits["a"] = emp.notna() & (emp < min_employees)
    sector = strata.sector_series(nace)
    hits["b"] = nace.notna() & sector.isna()
    ai_vars = [i.var for i in codebook.ai_items]
    answered = df[ai_vars].notna().sum(axis=1)
    hits["c"] = answered == 0

    # (d) duplicates per enterprise
    ent = df["reported_pid"].fillna(df["invited_pid"])
    matches = df["reported_pid"].isna() | (df["reported_pid"] == df["invited_pid"])
    order = pd.DataFrame({
        "ent": ent, "abc": hits[["a", "b", "c"]].any(axis=1), "mismatch": ~matches,
        "progress": -df["progress"].fillna(0), "recorded": df["recorded_date"], "pid": df["response_pid"],
    }).sort_values(["ent", "abc", "mismatch", "progress", "recorded", "pid"], kind="stable")
    first = order.groupby("ent")["pid"].transform("first")
    hits["d"] = (order["pid"] != first).reindex(df.index)
    kept_by = first.reindex(df.index)

    rules = hits.apply(lambda r: ",".join(k for k in "abcd" if r[k]), axis=1)
    counted = rules.str[:1]
    evidence = []
    for i in df.index:
        parts = []
        if hits.at[i, "a"]:
            parts.append(f"werknemers={emp.at[i]:g}")
        if hits.at[i, "b"]:
            parts.append(f"nace={nace.at[i]}")
        if hits.at[i, "c"]:
            parts.append(f"0 van {len(ai_vars)} AI-vragen beantwoord")
        if hits.at[i, "d"]:
            parts.append(f"onderneming {ent.at[i]} al beantwoord in respons {kept_by.at[i]}"
                         + ("" if matches.at[i] else f"; uitgenodigd als {df.at[i, 'invited_pid']}"))
        evidence.append("; ".join(parts))
    out = pd.DataFrame({"response_pid": df["response_pid"], "rule": counted, "rules": rules,
                        "reason": counted.map(lambda r: RULES.get(r, "").format(min_employees=min_employees)),
                        "evidence": evidence, "n_ai_answered": answered})
    return out


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
    """Blank answers the questionnaire did not ask (a survey tool that lets them through is wrong)."""
    df = df.copy()
    tech = [i.var for i in codebook.technology_items]
    df["adopter"] = (df[tech] == 1).any(axis=1)
    cleared = {}
    for item in codebook.items:
        if item.var not in df.columns:
            continue
        mask = pd.Series(False, index=df.index)
        if item.routing == "adopters":
            mask |= ~df["adopter"]
        elif item.routing == "non_adopters":
            mask |= df["adopter"]
        if item.condition:
            mask |= ~df[item.condition["var"]].isin(item.condition["in"])
        hit = mask & df[item.var].notna()
        if hit.any():
            cleared[item.var] = int(hit.sum())
            df.loc[hit, item.var] = pd.NA if str(df[item.var].dtype) == "Int64" else np.nan
    return df, cleared


def collapse_strata(counts: pd.DataFrame, strata: Strata) -> dict[tuple[str, str], tuple[str, str]]:
    """Map empty strata onto the neighbouring size class (of the same sector) with most responses."""
    mapping = {}
    n = counts.set_index(["sector", "size_class"])["usable"]
    sizes = strata.size_codes
    for (s, c), v in n.items():
        if v == 0:
            j = sizes.index(c)
            nbrs = [sizes[k] for k in (j - 1, j + 1) if 0 <= k < len(sizes) and n.get((s, sizes[k]), 0) > 0]
            if not nbrs:
                continue
            best = max(nbrs, key=lambda x: n[(s, x)])
            mapping[(s, c)] = (s, best)
    return mapping


def clean(responses: pd.DataFrame, frame: pd.DataFrame, population: pd.DataFrame, codebook: Codebook,
          strata: Strata, params: dict, paths: dict) -> dict[str, pd.DataFrame]:
    # routing first: an answer to a question the respondent was not asked does not
    # count as answering a question on AI (rule c)
    responses, cleared = apply_routing(responses, codebook)
    hits = exclusion_rules(responses, codebook, strata, params["min_employees"])
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
            faults.add(paths["export"], f"stratum {s} | {c} heeft geen enkel bruikbaar antwoord, dus geen gewicht",
                       "zet cleaning.empty_stratum op 'collapse' in config/config.yaml om het samen te voegen met de "
                       "naburige grootteklasse van dezelfde sector, of herbekijk de stratumindeling")
    faults.raise_if_any()

    per["design_stratum"] = [strata.stratum_id(*design[(s, c)]) for s, c in zip(per["sector"], per["size_class"])]
    dstr = per.groupby("design_stratum")[["population", "usable"]].sum()
    usable["stratum"] = [strata.stratum_id(*design[(s, c)]) for s, c in zip(usable["sector"], usable["size_class"])]
    usable["N_h"] = usable["stratum"].map(dstr["population"]).astype(int)
    usable["n_h"] = usable["stratum"].map(dstr["usable"]).astype(int)
    usable["weight"] = usable["N_h"] / usable["n_h"]
    per["weight"] = per["design_stratum"].map(dstr["population"] / dstr["usable"])

    n_resp = len(responses)
    excluded = hits[~usable_mask]
    by_rule = excluded["rule"].value_counts()
    flow = [
        ("sampled", "Ondernemingen in de steekproef", len(frame)),
        ("undeliverable", "E-mail niet afgeleverd", int(frame["undeliverable"].sum())),
        ("reached", "Bereikt", int((~frame["undeliverable"]).sum())),
        ("responses", "Antwoorden ontvangen", n_resp),
    ] + [(f"excluded_{r}", f"Uitgesloten ({r}): {RULES[r].format(min_employees=params['min_employees'])}",
          int(by_rule.get(r, 0))) for r in "abcd"] + [
        ("excluded", "Uitgesloten in totaal", len(excluded)),
        ("usable", "Bruikbare antwoorden", len(usable)),
    ]
    flow = pd.DataFrame(flow, columns=["step", "label", "count"])
    f = flow.set_index("step")["count"]
    if f["usable"] + f["excluded"] != f["responses"] or sum(f[f"excluded_{r}"] for r in "abcd") != f["excluded"] \
            or f["reached"] + f["undeliverable"] != f["sampled"] or abs(usable["weight"].sum() - pop["population"].sum()) > 1e-6:
        raise RuntimeError(f"the response flow does not add up: {f.to_dict()}")

    keep = ["response_pid", "sector", "size_class", "stratum", "stratum_basis", "N_h", "n_h", "weight", "adopter"]
    items = [i.var for i in codebook.kept if i.var in usable.columns]
    usable["enterprise_pid"] = usable["reported_pid"].fillna(usable["invited_pid"])
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
    responses = pd.read_parquet(input.responses)
    frame = pd.read_parquet(input.frame)
    population = pd.read_parquet(input.population)
    out = clean(responses, frame, population, codebook, strata, dict(params.cleaning),
                {"population": params.population_file, "export": params.export_file})
    flow = out["flow"].set_index("step")["count"]
    log("flow: " + ", ".join(f"{k}={v}" for k, v in flow.items()))
    if len(out["routing"]):
        log(f"answers blanked by routing: {out['routing'].to_dict('records')}")
    for name in ("responses", "exclusions", "flow", "table1", "table2", "collapsed", "routing"):
        write_table(out[name], getattr(output, name))
