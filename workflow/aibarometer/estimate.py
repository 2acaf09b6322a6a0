"""Estimate: every indicator in every domain, design-based, in long form.

Indicators come from the codebook (every answer category of every single-choice
item in the AI blocks, every option of the multiple-choice blocks, the mean of
every percentage item) plus a few derived ones the report needs (adoption, the
number of technologies used, adoption potential, ...). Denominators follow the
questionnaire's routing: an item's base is the usable responses that answered
it; a multiple-choice option's base is the respondents to its block.

Domains: all enterprises, each sector group, each size class, adopters and
non-adopters, and size class and sector within adopters (the comparisons the
report makes). The statistics are those of :mod:`aibarometer.survey`.

Reliability flags (defaults in config/config.yaml, ``estimation.reliability``):

* ``suppressed``: unweighted base below ``min_n_suppress`` (10): too few
  respondents to publish; tables and the report show "–".
* ``low_n``: unweighted base below ``min_n_flag`` (30), the usual rule of
  thumb below which a proportion's sampling distribution is far from normal
  and its standard error itself unstable.
* ``wide_ci``: the 95% interval is wider than ``max_ci_width_pp`` (30)
  percentage points: the estimate says too little to quote as a number.
Flagged cells are marked in tables and the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import Codebook
from .errors import Fault, InputError
from .survey import LonelyPSUError
from .survey import estimate as survey_estimate

TECH_COUNT_CATEGORIES = [("1", "Eén technologie"), ("2", "Twee technologieën"), ("3", "Drie technologieën"),
                         ("4+", "Vier of meer technologieën"), ("0_plans", "Geen, maar plant er een"),
                         ("0_no_plans", "Geen, en plant er geen")]


@dataclass(frozen=True)
class Indicator:
    column: str  # name of the column in the indicator matrix
    indicator: str  # codebook var or derived name
    category: str
    category_label: str
    block: str
    kind: str  # proportion | mean


def _num(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").astype(float).to_numpy()


def block_base(df: pd.DataFrame, codebook: Codebook, block: str) -> np.ndarray:
    """Respondents to a block: answered at least one of its items."""
    vars_ = [i.var for i in codebook.block_items(block) if i.var in df.columns]
    return df[vars_].notna().any(axis=1).to_numpy()


def build_indicators(df: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, list[Indicator]]:
    cols: dict[str, np.ndarray] = {}
    specs: list[Indicator] = []

    def add(indicator, category, label, block, kind, values):
        name = f"{indicator}={category}"
        cols[name] = values
        specs.append(Indicator(name, indicator, str(category), label, block, kind))

    bases = {b: block_base(df, codebook, b) for b in codebook.ai_blocks}
    for item in codebook.ai_items:
        x = _num(df[item.var])
        if item.type == "single":
            answered = ~np.isnan(x)
            for code, label in item.codes.items():
                add(item.var, code, label, item.block, "proportion", np.where(answered, (x == code).astype(float), np.nan))
        elif item.type == "multi":
            base = bases[item.block]
            add(item.var, 1, item.label, item.block, "proportion", np.where(base, (x == 1).astype(float), np.nan))
        elif item.type == "percentage":
            add(item.var, "mean", "Gemiddelde (%)", item.block, "mean", x)
            cond = item.condition
            if cond and len(cond["in"]) > 1:  # e.g. the size of a decrease and of an increase separately
                c = _num(df[cond["var"]])
                codes = codebook.by_var[cond["var"]].codes
                for code in cond["in"]:
                    add(item.var, f"mean_when_{code}", f"Gemiddelde (%) bij '{codes[code]}'", item.block, "mean",
                        np.where(c == code, x, np.nan))

    # derived indicators
    tech = np.column_stack([_num(df[i.var]) for i in codebook.technology_items])
    answered = ~np.isnan(tech).all(axis=1)
    uses = (tech == 1).sum(axis=1)
    plans = (tech == 2).any(axis=1)
    add("adopter", 1, "Gebruikt minstens één AI-technologie", "technologies", "proportion",
        np.where(answered, (uses > 0).astype(float), np.nan))
    cat = np.where(uses >= 4, "4+", np.where(uses > 0, uses.astype(str), np.where(plans, "0_plans", "0_no_plans")))
    for code, label in TECH_COUNT_CATEGORIES:
        add("n_technologies", code, label, "technologies", "proportion", np.where(answered, (cat == code).astype(float), np.nan))
    for item in codebook.technology_items:
        x = _num(df[item.var])
        add(f"{item.var}_potential", 1, f"{item.label}: gebruikt of plant", "technologies", "proportion",
            np.where(np.isnan(x), np.nan, np.isin(x, [1, 2]).astype(float)))
    if {"source_modified_commercial", "source_modified_open_source"} <= set(df.columns):
        base = bases["sources"]
        own = (_num(df["source_modified_commercial"]) == 1) | (_num(df["source_modified_open_source"]) == 1)
        add("source_own_modified", 1, "Zelf aangepast (commercieel of open source)", "sources", "proportion",
            np.where(base, own.astype(float), np.nan))
    if "budget_change" in df.columns:
        x = _num(df["budget_change"])
        for code, label, vals in (("decreased", "Gedaald (licht of sterk)", [1, 2]),
                                  ("increased", "Gestegen (licht of sterk)", [4, 5])):
            add("budget_change", code, label, "budget", "proportion",
                np.where(np.isnan(x), np.nan, np.isin(x, vals).astype(float)))
    return pd.DataFrame(cols, index=df.index), specs


def build_domains(df: pd.DataFrame, sector_codes: list[str], size_codes: list[str]) -> pd.DataFrame:
    """Domain definitions: name, type, value and the boolean mask."""
    rows = [("all", "all", "", np.ones(len(df), bool))]
    for s in sector_codes:
        rows.append((f"sector:{s}", "sector", s, (df["sector"] == s).to_numpy()))
    for c in size_codes:
        rows.append((f"size:{c}", "size", c, (df["size_class"] == c).to_numpy()))
    # Eurostat's ICT survey covers enterprises with 10+ employees: the comparable population
    rows.append(("employees:10+", "eurostat", "10+", (df["size_class"] != size_codes[0]).to_numpy()))
    adopter = df["adopter"].to_numpy(bool)
    rows.append(("adopter:yes", "adopter", "yes", adopter))
    rows.append(("adopter:no", "adopter", "no", ~adopter))
    for c in size_codes:
        rows.append((f"adopter_size:{c}", "adopter_size", c, adopter & (df["size_class"] == c).to_numpy()))
    for s in sector_codes:
        rows.append((f"adopter_sector:{s}", "adopter_sector", s, adopter & (df["sector"] == s).to_numpy()))
    return pd.DataFrame(rows, columns=["domain", "domain_type", "domain_value", "mask"])


def reliability_flags(est: pd.DataFrame, rel: dict) -> pd.Series:
    scale = np.where(est["kind"] == "proportion", 100.0, 1.0)
    width = (est["ci_high"] - est["ci_low"]) * scale
    low = est["n"] < rel["min_n_flag"]
    wide = width > rel["max_ci_width_pp"]
    flag = np.where(low & wide, "low_n+wide_ci", np.where(low, "low_n", np.where(wide, "wide_ci", "")))
    return pd.Series(np.where(est["n"] < rel["min_n_suppress"], "suppressed", flag), index=est.index)


def estimate_all(df: pd.DataFrame, codebook: Codebook, sector_codes: list[str], size_codes: list[str],
                 params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    X, specs = build_indicators(df, codebook)
    domains = build_domains(df, sector_codes, size_codes)
    data = pd.concat([df[["stratum", "N_h"]].reset_index(drop=True), X.reset_index(drop=True)], axis=1)
    masks = dict(zip(domains["domain"], domains["mask"]))
    parts = []
    for kind in ("proportion", "mean"):
        names = [s.column for s in specs if s.kind == kind]
        if names:
            parts.append(survey_estimate(data, stratum="stratum", popsize="N_h", variables=names, domains=masks,
                                         kind=kind, lonely_psu=params["lonely_psu"], level=params["confidence_level"]))
    est = pd.concat(parts, ignore_index=True)
    meta = pd.DataFrame([s.__dict__ for s in specs]).rename(columns={"column": "variable"})
    est = meta.merge(est, on="variable", how="right")
    est = est.merge(domains.drop(columns="mask"), on="domain", how="left")
    est["flag"] = reliability_flags(est, params["reliability"])
    order = ["indicator", "category", "category_label", "block", "kind", "domain", "domain_type", "domain_value",
             "estimate", "se", "ci_low", "ci_high", "n", "pop_size", "df", "ci_method", "flag",
             "diff_rest", "se_diff", "p_rest", "significant"]
    est = est[order]
    bases = pd.DataFrame([
        {"block": b, "label": codebook.blocks[b], "n": int(block_base(df, codebook, b).sum())} for b in codebook.ai_blocks])
    return est, bases


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``estimate``)."""
    import time

    from .config import load_codebook
    from .stage import write_table
    from .strata import Strata

    t0 = time.perf_counter()
    codebook = load_codebook(input.codebook)
    strata = Strata(params.strata)
    df = pd.read_parquet(input.responses)
    try:
        est, bases = estimate_all(df, codebook, strata.sector_codes, strata.size_codes, dict(params.estimation))
    except LonelyPSUError as err:
        raise InputError(Fault(
            "config/config.yaml", f"strata met één enkel bruikbaar antwoord: {', '.join(map(str, err.strata))}; "
            f"het beleid estimation.lonely_psu = {params.estimation['lonely_psu']!r} weigert die",
            "kies in config/config.yaml estimation.lonely_psu: adjust (aanbevolen), certainty, remove of average",
            column="estimation.lonely_psu")) from None
    log(f"{len(est)} estimates ({est['indicator'].nunique()} indicators x {est['domain'].nunique()} domains) "
        f"from {len(df)} responses in {time.perf_counter() - t0:.2f}s; lonely PSU policy {params.estimation['lonely_psu']}")
    log("bases: " + ", ".join(f"{r.block}={r.n}" for r in bases.itertuples()))
    write_table(est, output.parquet)
    write_table(est, output.csv)
    write_table(bases, output.bases)
