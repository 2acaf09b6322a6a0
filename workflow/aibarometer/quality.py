"""The quality report of a wave (stage ``quality``), after the ESS Standard for Quality
Reports: accuracy per estimate, unit response per stratum, item non-response per question
and the representativity of the response (R-indicator).

Per estimate (``estimates_quality.csv``)
    ``cv = se / estimate`` (coefficient of variation; empty for an estimate of 0),
    ``deff`` as R's ``svymean(~y, subset(d, dom), na.rm = TRUE, deff = TRUE)`` returns it
    (computed by :func:`aibarometer.survey.estimate`: the design variance over the variance
    of a simple random sample without replacement of the same size ``n`` from a population
    of ``N_hat``), and the effective sample size ``n_eff = n / deff``.

Per frame stratum (``strata.csv``)
    sampled, undeliverable, reached = sampled - undeliverable, responses (export rows of
    the stratum's invited enterprises, the previews and tests of rule (v) left out),
    usable; ``response_rate = usable / reached`` and ``coverage_loss = undeliverable /
    sampled``.  A response is counted in the stratum of the enterprise the invitation went
    to (the frame's sector and size class), not the one its answers assign it to: the
    response rate is a property of the fieldwork.

Per question (``items.csv``)
    Among the usable respondents the routing asked (``routing`` and ``condition`` of the
    codebook): ``answered``, ``dont_know`` (a code of the codebook's ``dont_know_codes``)
    and ``missing``; ``item_nonresponse = (missing + dont_know) / asked``.  A
    multiple-choice question is one row (its block): a respondent who ticked nothing
    gave no answer.

Representativity (``representativity.json``; Schouten, Cobben & Bethlehem 2009)
    The units are the reached enterprises of the frame.  A unit's response propensity is
    the usable-response rate of its frame stratum, ``rho_h = usable_h / reached_h``; its
    design weight ``d_h = N_h / m_h`` (``m_h`` the sampled enterprises of the stratum).
    With ``r_h`` reached units in stratum ``h``::

        D      = sum_h r_h d_h                               (sum of d_i over the units)
        rho    = sum_h r_h d_h rho_h / D
        S^2    = sum_h r_h d_h (rho_h - rho)^2 / (D - 1)
        R      = 1 - 2 S

    The partial indicator of a variable X (sector, size class) is the between-category
    part of that variance, ``P(X) = sqrt(sum_k D_k (rho_k - rho)^2 / (D - 1))`` with
    ``D_k`` and ``rho_k`` the sums and mean over the units of category ``k``: the share of
    the imbalance that X alone explains (0 when every category responds alike).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

STRATA_COLUMNS = ["sector", "size_class", "population", "sampled", "undeliverable", "reached", "responses", "usable",
                  "response_rate", "coverage_loss"]
ITEMS_COLUMNS = ["question", "block", "label", "routing", "asked", "answered", "dont_know", "missing",
                 "item_nonresponse"]


# ----------------------------------------------------------------- per estimate

def cv_and_n_eff(est: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``se / estimate`` (NaN for an estimate of 0) and ``n / deff`` (NaN without a deff)."""
    value, deff = est["estimate"].to_numpy(dtype=float), est["deff"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.where(value > 0, est["se"].to_numpy(dtype=float) / value, np.nan),
                np.where(deff > 0, est["n"].to_numpy(dtype=float) / deff, np.nan))


def estimates_quality(est: pd.DataFrame) -> pd.DataFrame:
    """Every estimate with its CV, design effect and effective sample size."""
    out = est[["indicator", "category", "category_label", "domain", "kind", "estimate", "se", "n", "pop_size",
               "deff", "flag"]].reset_index(drop=True)
    cv, n_eff = cv_and_n_eff(out)
    out.insert(7, "cv", cv)
    out["n_eff"] = n_eff
    return out


# ----------------------------------------------------------------- per stratum

def strata_response(frame: pd.DataFrame, population: pd.DataFrame, responses: pd.DataFrame,
                    exclusions: pd.DataFrame, usable_ids) -> tuple[pd.DataFrame, dict]:
    """Unit response per frame stratum, and what the strata do not hold (responses of
    enterprises outside the frame, e.g. an open survey link), so the totals add up."""
    keys = ["sector", "size_class"]
    excluded_v = set(exclusions.loc[exclusions["rule"] == "v", "response_pid"])
    real = responses[~responses["response_pid"].isin(excluded_v)]
    stratum_of = frame.set_index("enterprise_pid")[keys]
    matched = real.join(stratum_of, on="invited_pid", how="left")
    in_frame = matched["sector"].notna()
    usable = matched["response_pid"].isin(set(usable_ids))

    def count(df, name):
        return df.groupby(keys).size().rename(name)

    out = population[keys + ["population"]].set_index(keys)
    out = out.join(count(frame, "sampled")).join(count(frame[frame["undeliverable"]], "undeliverable"))
    out = out.join(count(matched[in_frame], "responses")).join(count(matched[in_frame & usable], "usable"))
    out = out.fillna(0).astype(int).reset_index()
    out.insert(5, "reached", out["sampled"] - out["undeliverable"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["response_rate"] = np.where(out["reached"] > 0, out["usable"] / out["reached"].where(out["reached"] > 0), np.nan)
        out["coverage_loss"] = np.where(out["sampled"] > 0, out["undeliverable"] / out["sampled"].where(out["sampled"] > 0),
                                        np.nan)
    outside = {"responses": int((~in_frame).sum()), "usable": int((~in_frame & usable).sum())}
    return out[STRATA_COLUMNS], outside


# ----------------------------------------------------------------- per question

def _asked(df: pd.DataFrame, item) -> np.ndarray:
    adopter = df["adopter"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    asked = {"all": np.ones(len(df), bool), "adopters": adopter, "non_adopters": ~adopter}[item.routing]
    cond = item.condition
    if cond:
        asked = asked & pd.to_numeric(df[cond["var"]], errors="coerce").isin(cond["in"]).to_numpy()
    return asked


def item_response(df: pd.DataFrame, codebook) -> pd.DataFrame:
    """Item non-response per question of the AI blocks among the usable responses."""
    dk = set(codebook.dont_know_codes)
    rows, multi = [], defaultdict(list)
    for item in codebook.ai_items:
        if item.var not in df.columns:
            continue
        if item.type == "multi":
            multi[item.block].append(item)
            continue
        asked = _asked(df, item)
        x = pd.to_numeric(df[item.var], errors="coerce").to_numpy(dtype=float)
        has = asked & ~np.isnan(x)
        dont = has & np.isin(x, list(dk)) if item.codes and dk & set(item.codes) else np.zeros(len(df), bool)
        rows.append((item.var, item.block, item.label, item.routing, asked, has & ~dont, dont))
    for block, items in multi.items():
        asked = _asked(df, items[0])
        ticked = np.zeros(len(df), bool)
        for item in items:
            ticked |= pd.to_numeric(df[item.var], errors="coerce").to_numpy(dtype=float) == 1
        rows.append((block, block, codebook.blocks.get(block, block), items[0].routing, asked, asked & ticked,
                     np.zeros(len(df), bool)))
    out = pd.DataFrame([{"question": q, "block": b, "label": lab, "routing": r, "asked": int(a.sum()),
                         "answered": int(ans.sum()), "dont_know": int(d.sum()),
                         "missing": int(a.sum() - ans.sum() - d.sum())} for q, b, lab, r, a, ans, d in rows])
    out["item_nonresponse"] = np.where(out["asked"] > 0, (out["missing"] + out["dont_know"]) / out["asked"].clip(lower=1),
                                       np.nan)
    return out[ITEMS_COLUMNS]


# ----------------------------------------------------------------- representativity

def r_indicator(strata: list[dict], by: tuple[str, ...] = ("sector", "size_class")) -> dict:
    """R-indicator and partial indicators from per-stratum counts (``population``,
    ``sampled``, ``reached``, ``usable`` and the keys in ``by``); see the module docstring.
    Plain arithmetic, so exact fractions in give exact variances out."""
    units = [s for s in strata if s["reached"] > 0]
    if not units:
        raise ValueError("no reached enterprise in any stratum: no response propensity to compute")
    mass = [(s, s["reached"] * s["population"] / s["sampled"], s["usable"] / s["reached"]) for s in units]
    D = sum(m for _, m, _ in mass)
    rho = sum(m * p for _, m, p in mass) / D
    S2 = sum(m * (p - rho) ** 2 for _, m, p in mass) / (D - 1)
    partial = {}
    for key in by:
        groups = defaultdict(lambda: [0, 0])
        for s, m, p in mass:
            groups[s[key]][0] += m
            groups[s[key]][1] += m * p
        between = sum(Dk * (Sk / Dk - rho) ** 2 for Dk, Sk in groups.values()) / (D - 1)
        partial[key] = {"variance": between, "indicator": math.sqrt(between),
                        "categories": {k: Sk / Dk for k, (Dk, Sk) in groups.items()}}
    return {"mean_propensity": rho, "variance": S2, "sd": math.sqrt(S2), "R": 1 - 2 * math.sqrt(S2),
            "partial": partial, "units": sum(s["reached"] for s in units)}


# ----------------------------------------------------------------- the stage

def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``quality``)."""
    from .config import load_codebook
    from .stage import write_table, write_text

    codebook = load_codebook(input.codebook)
    est = pd.read_parquet(input.estimates)
    write_table(estimates_quality(est), output.estimates)
    usable = pd.read_parquet(input.usable)
    strata, outside = strata_response(pd.read_parquet(input.frame), pd.read_parquet(input.population),
                                      pd.read_parquet(input.responses, columns=["response_pid", "invited_pid"]),
                                      pd.read_csv(input.exclusions), usable["response_pid"])
    write_table(strata, output.strata)
    write_table(item_response(usable, codebook), output.item_response)
    rep = r_indicator(strata.to_dict("records"))
    rep["outside_frame"] = outside
    rep["totals"] = {c: int(strata[c].sum()) for c in ("sampled", "undeliverable", "reached", "responses", "usable")}
    write_text(json.dumps(rep, indent=2, sort_keys=True, ensure_ascii=False) + "\n", output.representativity)
    from .figures.response import draw_response
    from .strata import Strata

    st = Strata(params.strata)
    tmp = Path(output.svg).with_name(f".{Path(output.svg).name}.tmp")
    alt = draw_response(strata, tmp, params.synthetic, {c: st.size_label(c) for c in st.size_codes},
                        {c: f"{c} {st.sector_short(c)}" for c in st.sector_codes})
    tmp.replace(output.svg)
    from .figures.response import rates

    by_size = {str(k): float(v) for k, v in rates(strata, "size_class")["rate"].dropna().items()}
    write_text(json.dumps({"alt": alt, "by_size": by_size}, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
               output.alt)
    log(f"R-indicator {rep['R']:.4f} (sector {rep['partial']['sector']['indicator']:.4f}, "
        f"size {rep['partial']['size_class']['indicator']:.4f}) over {rep['units']} reached enterprises")


# ----------------------------------------------------------------- for the report

def report_context(est_quality: pd.DataFrame, items: pd.DataFrame, rep: dict, alt: str, spec: dict, codebook,
                   waves: list[tuple[int, dict]] = ()) -> dict:
    """What the quality annex prints: the headline indicators (the spec's precision list)
    with CV and deff, the R-indicator and which dimension its imbalance lies along, the
    three questions with the highest item non-response, and the R-indicator per wave."""
    from . import fmt
    from .spec import precision_items

    idx = est_quality.assign(category=est_quality["category"].astype(str)).set_index(["indicator", "category", "domain"])
    picked = [idx.loc[(var, cat, "all")] for var, cat, _ in precision_items(spec, codebook)]
    labels = [label for _, _, label in precision_items(spec, codebook)]
    rows = [{"label": label, "cv": fmt.pct(r["cv"]), "deff": fmt.num(r["deff"], 2) if pd.notna(r["deff"]) else fmt.DASH,
             "n_eff": fmt.num(round(r["n_eff"])) if pd.notna(r["n_eff"]) else fmt.DASH} for label, r in zip(labels, picked)]
    with_deff = [i for i, r in enumerate(picked) if pd.notna(r["deff"])]
    worst_deff = rows[max(with_deff, key=lambda i: picked[i]["deff"])] if with_deff else None
    share = {k: (v["variance"] / rep["variance"] if rep["variance"] > 0 else 0.0) for k, v in rep["partial"].items()}
    names = {"size_class": "de grootteklasse", "sector": "de sector"}
    dims = sorted(share, key=lambda k: -share[k])
    top = items[items["asked"] > 0].sort_values(["item_nonresponse", "question"], ascending=[False, True]).head(3)
    worst = [{"phrase": f"\u2018{fmt.lower_first(r.label)}\u2019 ({fmt.pct(r.item_nonresponse)} van {fmt.num(r.asked)})"}
             for r in top.itertuples()]
    return {
        "rows": rows, "worst_deff": worst_deff, "R": fmt.num(rep["R"], 2),
        "overall": fmt.pct(rep["totals"]["usable"] / rep["totals"]["reached"]) if rep["totals"]["reached"] else fmt.DASH,
        "reached": fmt.num(rep["totals"]["reached"]),
        "partial": [{"name": names.get(k, k), "value": fmt.num(rep["partial"][k]["indicator"], 3),
                     "share": fmt.pct(share[k], 0)} for k in dims],
        "worst_items": worst, "alt": alt,
        "per_wave": [{"text": f"{fmt.num(r['R'], 2)} in {y}"} for y, r in waves],
    }
