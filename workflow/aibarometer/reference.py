"""Reference check: every number the 2021 report publishes against our estimate and 95% CI.

The published numbers come from resources/reference/ai-barometer-2021.yaml (a
transcription of the 2021 AI-Barometer). Each is mapped to an estimate
(indicator, category, domain) or to a count of the clean stage. A percentage
is *inside* when it lies in our 95% interval (rounded to the report's one
decimal); a count is inside when it is equal.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .domains import sector, size

TECHS = ["text_mining", "speech", "nlg", "image", "machine_learning", "process_automation", "autonomous"]
SIZES = ["micro", "small", "medium", "large"]
COMP = {"new_or_improved_products": "comp_new_products", "process_quality": "comp_process_quality",
        "cost_reduction": "comp_cost_reduction"}
SOURCES = {"bought_ready_made_commercial": "source_ready_made_commercial",
           "external_provider_developed": "source_external_provider",
           "own_staff_modified_commercial_or_open_source": "source_own_modified",
           "developed_in_house": "source_in_house"}


def published_estimates(ref: dict) -> list[dict]:
    """(key, published %, indicator, category, domain, complement) for every published percentage."""
    rows = []

    def add(key, value, indicator, category, domain="all", complement=False, note=""):
        if isinstance(value, str):  # e.g. "bijna vier op de tien (about 38-39%)"
            nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", value)]
            value, note = float(np.mean(nums[-2:])), f"tekst: {value}"
        rows.append(dict(key=key, published=float(value), indicator=indicator, category=str(category),
                         domain=domain, complement=complement, note=note))

    f1 = ref["figure1_number_of_technologies"]
    for k, cat in (("one", "1"), ("two", "2"), ("three", "3"), ("four_or_more", "4+"),
                   ("none_with_plans", "0_plans"), ("none_without_plans", "0_no_plans")):
        add(f"figure1.{k}", f1[k], "n_technologies", cat)
    add("figure1.any", f1["any"], "adopter", 1)
    add("figure1.none", f1["none"], "adopter", 1, complement=True)
    f2 = ref["figure2_adoption_by_technology"]
    for t, v in f2["uses"].items():
        add(f"figure2.uses.{t}", v, f"tech_{t}", 1)
    for t, v in f2["plans"].items():
        add(f"figure2.plans.{t}", v, f"tech_{t}", 2)
    for t, v in ref["figure3_adoption_potential"].items():
        add(f"figure3.{t}", v, f"tech_{t}_potential", 1)
    for s, vals in ref["table3_adoption_by_sector"].items():
        for t, v in zip(TECHS, vals):
            add(f"table3.{s}.{t}", v, f"tech_{t}", 1, sector(s).name)
    for c, vals in ref["table4_adoption_by_size"].items():
        for t, v in zip(TECHS, vals):
            add(f"table4.{c}.{t}", v, f"tech_{t}", 1, size(c).name)
    for b, (a, n) in ref["figure4_barriers"].items():
        add(f"figure4.{b}.adopters", a, f"barrier_{b}", 1, "adopter:yes")
        add(f"figure4.{b}.non_adopters", n, f"barrier_{b}", 1, "adopter:no")
    for grp, dom in (("adopters", "adopter:yes"), ("non_adopters", "adopter:no")):
        for k, v in ref["figure5_knowledge_gaps"][grp].items():
            add(f"figure5.{grp}.{k}", v, f"gap_{k}", 1, dom)
    for k, v in ref["figure6_applications"].items():
        add(f"figure6.{k}", v, f"app_{k}", 1)
    t5 = ref["table5_applications_by_sector"]
    for s, vals in t5.items():
        if s == "columns":
            continue
        for k, v in zip(t5["columns"], vals):
            add(f"table5.{s}.{k}", v, f"app_{k}", 1, sector(s).name)
    for k, v in ref["figure7_sources"].items():
        add(f"figure7.{k}", v, SOURCES[k], 1)
    f8 = ref["figure8_budget_change"]
    add("figure8.unchanged", f8["unchanged"], "budget_change", 3)
    add("figure8.slightly_increased", f8["slightly_increased"], "budget_change", 4)
    add("figure8.decreased", f8["decreased"], "budget_change", "decreased")
    for k, d in ref["figure9_competitiveness"].items():
        var = COMP[k]
        add(f"figure9.{k}.share", d["share"], var, 1)
        mean_key = next(m for m in d if m.startswith("mean_"))
        add(f"figure9.{k}.{mean_key}", d[mean_key], f"{var}_pct", "mean")
        add(f"figure9.{k}.micro_mean", d["micro_mean"], f"{var}_pct", "mean", size("micro").name)
    for fig, var in (("figure10_employment_low_educated", "emp_low_educated"),
                     ("figure11_employment_high_educated", "emp_high_educated")):
        for k, code in (("decrease", 1), ("unchanged", 2), ("increase", 3)):
            add(f"{fig.split('_')[0]}.{k}", ref[fig][k], var, code)
    f12 = ref["figure12_policy"]
    add("figure12.knows_action_plan", f12["knows_action_plan"], "knows_action_plan", 1)
    add("figure12.does_not_know_action_plan", f12["does_not_know_action_plan"], "knows_action_plan", 2)
    add("figure12.federation_sessions_participated", f12["federation_sessions_participated"], "init_federation_sessions", 1)
    add("figure12.federation_sessions_known_not_participated", f12["federation_sessions_known_not_participated"],
        "init_federation_sessions", 2)
    return rows


def published_counts(ref: dict, flow: pd.DataFrame, table1: pd.DataFrame, table2: pd.DataFrame) -> list[dict]:
    rows = []
    secs = [s["code"] for s in ref["sectors"]]
    f = flow.set_index("step")["count"]
    for k in ("sampled", "undeliverable_email", "reached", "responses", "usable", "excluded"):
        ours = f["undeliverable" if k == "undeliverable_email" else k]
        rows.append(dict(key=f"response_flow.{k}", published=ref["response_flow"][k], ours=ours))
    t1 = table1.set_index(["size_class", "sector"])
    t2 = table2.set_index(["size_class", "sector"])
    for key, table, col in (("table1_population", t1, "population"), ("table1_sample", t1, "sample"),
                            ("table2_responses", t2, "usable")):
        for c in SIZES:
            for s, v in zip(secs, ref[key][c]):
                rows.append(dict(key=f"{key}.{c}.{s}", published=v, ours=int(table.at[(c, s), col])))
        rows.append(dict(key=f"{key}.total", published=ref[key]["total"], ours=int(table[col].sum())))
    return rows


def reference_check(ref: dict, est: pd.DataFrame, flow: pd.DataFrame, table1: pd.DataFrame,
                    table2: pd.DataFrame) -> pd.DataFrame:
    idx = est.set_index(["indicator", "category", "domain"])
    out = []
    for r in published_estimates(ref):
        e = idx.loc[(r["indicator"], r["category"], r["domain"])]
        scale = 1.0 if r["category"] == "mean" else 100.0
        est_, lo, hi = e["estimate"] * scale, e["ci_low"] * scale, e["ci_high"] * scale
        if r["complement"]:
            est_, lo, hi = 100 - est_, 100 - hi, 100 - lo
        inside = round(lo, 1) - 0.05 <= r["published"] <= round(hi, 1) + 0.05
        out.append(dict(key=r["key"], kind="percentage" if scale == 100 else "mean", published=r["published"],
                        estimate=round(est_, 2), ci_low=round(lo, 2), ci_high=round(hi, 2), n=int(e["n"]),
                        flag=e["flag"], inside=bool(inside), indicator=r["indicator"], category=r["category"],
                        domain=r["domain"], note=r["note"]))
    for r in published_counts(ref, flow, table1, table2):
        out.append(dict(key=r["key"], kind="count", published=r["published"], estimate=r["ours"], ci_low=np.nan,
                        ci_high=np.nan, n=np.nan, flag="", inside=r["published"] == r["ours"], indicator="",
                        category="", domain="", note="telling: moet gelijk zijn"))
    return pd.DataFrame(out)


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``reference_check``)."""
    import yaml

    from .stage import write_json, write_table

    ref = yaml.safe_load(open(input.reference, encoding="utf-8"))
    est = pd.read_parquet(input.estimates)
    est["category"] = est["category"].astype(str)
    chk = reference_check(ref, est, pd.read_csv(input.flow), pd.read_csv(input.table1), pd.read_csv(input.table2))
    write_table(chk, output.csv)
    by_kind = chk.groupby("kind")["inside"].agg(["size", "sum"])
    summary = {"checked": int(len(chk)), "inside": int(chk["inside"].sum()),
               "share_inside": round(float(chk["inside"].mean()), 4),
               "by_kind": {k: {"checked": int(r["size"]), "inside": int(r["sum"])} for k, r in by_kind.iterrows()},
               "misses": chk.loc[~chk["inside"], "key"].tolist()}
    write_json(summary, output.summary)
    log(f"{summary['inside']} of {summary['checked']} published numbers inside ({summary['share_inside']:.1%}); "
        f"misses: {summary['misses']}")
