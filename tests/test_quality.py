"""The quality report (aibarometer.quality): design effects against R's survey package,
the R-indicator on a design small enough to check by hand, and the stage's files."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aibarometer.quality import estimates_quality, item_response, r_indicator, strata_response
from aibarometer.survey import estimate

HERE = Path(__file__).parent / "r"


# ------------------------------------------------------------------ design effects vs R

def test_deff_matches_r_svymean_deff():
    """deff(svymean(~v, d[dom, ], na.rm = TRUE, deff = TRUE)) of tests/r/make_quality_fixture.R,
    for every lonely-PSU policy, proportions and a continuous mean, to 1e-9."""
    data = pd.read_csv(HERE / "survey_fixture_data.csv", dtype={"stratum": str, "sector": str, "size": str})
    exp = pd.read_csv(HERE / "quality_fixture_expected.csv", keep_default_na=False, na_values=["NA"])
    assert len(exp) > 90 and exp["deff"].notna().sum() > 80
    checked = 0
    for (policy, kind), grp in exp.groupby(["policy", "kind"]):
        names = list(dict.fromkeys(grp["domain"]))
        masks = {}
        for name in names:
            if name == "all":
                masks[name] = np.ones(len(data), bool)
            else:
                col, value = name.split("=", 1)
                masks[name] = (data[col].astype(str) == value).to_numpy()
        got = estimate(data, stratum="stratum", popsize="N_h", variables=list(dict.fromkeys(grp["variable"])),
                       domains=masks, kind=kind, lonely_psu=policy)
        m = grp.merge(got, on=["variable", "domain"], suffixes=("_r", ""), validate="1:1")
        assert len(m) == len(grp)
        assert np.allclose(m["se"], m["se_r"], atol=1e-12, rtol=0)
        r, py = m["deff_r"].to_numpy(float), m["deff"].to_numpy(float)
        assert (np.isnan(r) == np.isnan(py)).all(), m.loc[np.isnan(r) != np.isnan(py), ["variable", "domain"]]
        assert np.nanmax(np.abs(r - py)) < 1e-9, m.loc[np.abs(r - py) >= 1e-9, ["variable", "domain", "deff_r", "deff"]]
        checked += int((~np.isnan(r)).sum())
    assert checked > 80


def test_deff_of_a_hand_checkable_design():
    """Two strata of 4 respondents, N_h = 8 and 16, y = 1,1,0,0 in both: the design variance
    is sum_h (N_h/N)^2 (1 - n_h/N_h) s_h^2 / n_h = (1/9)(1/2)(1/3)/4 + (4/9)(3/4)(1/3)/4 = 7/216,
    svyvar = 8/7 * 1/4 = 2/7, vsrs = 2/7 * (24 - 8)/(24 * 8) = 1/42, deff = (7/216)/(1/42) = 49/36."""
    data = pd.DataFrame({"stratum": ["a"] * 4 + ["b"] * 4, "N_h": [8] * 4 + [16] * 4, "y": [1, 1, 0, 0] * 2})
    got = estimate(data, stratum="stratum", popsize="N_h", variables=["y"], domains={"all": np.ones(8, bool)})
    assert got["se"].iloc[0] ** 2 == pytest.approx(7 / 216, abs=1e-15)
    assert got["deff"].iloc[0] == pytest.approx(49 / 36, abs=1e-13)
    q = estimates_quality(got.rename(columns={"variable": "indicator"}).assign(
        category="1", category_label="", kind="proportion", flag=""))
    assert q["cv"].iloc[0] == pytest.approx(math.sqrt(7 / 216) / 0.5)
    assert q["n_eff"].iloc[0] == pytest.approx(8 * 36 / 49)


# ------------------------------------------------------------------ R-indicator

def _unit_level(strata):
    """The same formulae over a list of units (one per reached enterprise): an independent path."""
    units = [(s, Fraction(s["population"], s["sampled"]), Fraction(s["usable"], s["reached"]))
             for s in strata for _ in range(s["reached"])]
    D = sum(d for _, d, _ in units)
    rho = sum(d * p for _, d, p in units) / D
    return D, rho, sum(d * (p - rho) ** 2 for _, d, p in units) / (D - 1)


def test_r_indicator_by_hand():
    """Two strata that differ only in sector, 5 of 5 reached in each, every one responding in
    the first and none in the second: d = 2 for all ten units, rho = 1/2,
    S^2 = 10 * 2 * (1/2)^2 / (20 - 1) = 5/19; the sector explains all of it, the size nothing."""
    strata = [{"sector": "A", "size_class": "s", "population": 10, "sampled": 5, "reached": 5, "usable": 5},
              {"sector": "B", "size_class": "s", "population": 10, "sampled": 5, "reached": 5, "usable": 0}]
    frac = [{k: (Fraction(v) if isinstance(v, int) else v) for k, v in s.items()} for s in strata]
    r = r_indicator(frac)
    assert r["mean_propensity"] == Fraction(1, 2) and r["variance"] == Fraction(5, 19)
    assert r["R"] == pytest.approx(1 - 2 * math.sqrt(5 / 19), abs=1e-15)
    assert r["partial"]["sector"]["variance"] == Fraction(5, 19) and r["partial"]["size_class"]["variance"] == 0


def test_r_indicator_agrees_with_the_unit_level_sum_and_decomposes():
    strata = [{"sector": s, "size_class": c, "population": N, "sampled": m, "reached": r, "usable": u}
              for s, c, N, m, r, u in [("A", "s", 100, 10, 9, 3), ("A", "l", 40, 8, 8, 5),
                                       ("B", "s", 60, 12, 10, 2), ("B", "l", 10, 5, 5, 4)]]
    got = r_indicator([{k: (Fraction(v) if isinstance(v, int) else v) for k, v in s.items()} for s in strata])
    D, rho, S2 = _unit_level(strata)
    assert got["mean_propensity"] == rho and got["variance"] == S2
    assert got["units"] == 32
    for key in ("sector", "size_class"):  # the between part of a variable alone never exceeds the total
        assert 0 < got["partial"][key]["variance"] < S2
    # unreached strata hold no units: adding one changes nothing
    assert r_indicator(strata + [{"sector": "C", "size_class": "s", "population": 5, "sampled": 2, "reached": 0,
                                  "usable": 0}])["R"] == pytest.approx(got["R"], abs=1e-15)


# ------------------------------------------------------------------ unit and item response

def test_strata_response_counts_by_the_invited_enterprise():
    frame = pd.DataFrame({"enterprise_pid": ["e1", "e2", "e3", "e4"], "sector": ["A", "A", "B", "B"],
                          "size_class": ["s"] * 4, "undeliverable": [False, True, False, False]})
    pop = pd.DataFrame({"sector": ["A", "B"], "size_class": ["s", "s"], "population": [10, 20]})
    responses = pd.DataFrame({"response_pid": ["r1", "r2", "r3", "r4", "r5"],
                              "invited_pid": ["e1", "e3", "e4", None, "e3"]})
    exclusions = pd.DataFrame({"response_pid": ["r5", "r2"], "rule": ["v", "d"]})
    out, outside = strata_response(frame, pop, responses, exclusions, ["r1", "r3", "r4"])
    a, b = out.set_index("sector").loc["A"], out.set_index("sector").loc["B"]
    assert (a["sampled"], a["undeliverable"], a["reached"], a["responses"], a["usable"]) == (2, 1, 1, 1, 1)
    assert (b["sampled"], b["reached"], b["responses"], b["usable"]) == (2, 2, 2, 1)  # r5 is a preview (v)
    assert b["response_rate"] == 0.5 and a["coverage_loss"] == 0.5
    assert outside == {"responses": 1, "usable": 1}  # r4: no invitation, still usable


def test_item_response_follows_the_routing(codebook):
    items = codebook.ai_items
    df = pd.DataFrame({i.var: pd.array([pd.NA] * 4, dtype="Float64") for i in items})
    df["adopter"] = [True, True, False, False]
    df["budget_change"] = [3, 9, pd.NA, pd.NA]  # adopters only: one answer, one "weet niet"
    df["knows_action_plan"] = [1, pd.NA, 2, 1]  # everyone: one missing
    df["app_marketing_sales"] = [1, pd.NA, pd.NA, pd.NA]  # the block: one of two adopters ticked something
    out = item_response(df, codebook).set_index("question")
    assert tuple(out.loc["budget_change", ["asked", "answered", "dont_know", "missing"]]) == (2, 1, 1, 0)
    assert tuple(out.loc["knows_action_plan", ["asked", "answered", "missing"]]) == (4, 3, 1)
    assert out.loc["knows_action_plan", "item_nonresponse"] == 0.25
    assert tuple(out.loc["applications", ["asked", "answered", "missing"]]) == (2, 1, 1)
    pct = codebook.by_var["comp_new_products_pct"]  # asked only of those who said yes
    assert out.loc[pct.var, "asked"] == 0


# ------------------------------------------------------------------ the stage on the demo wave

@pytest.mark.slow
def test_quality_files_of_the_demo_wave(demo_run):
    q = demo_run / "quality"
    est = pd.read_csv(q / "estimates_quality.csv")
    assert {"cv", "deff", "n_eff"} <= set(est.columns) and est["deff"].notna().mean() > 0.8
    strata = pd.read_csv(q / "strata.csv")
    flow = pd.read_csv(demo_run / "clean" / "flow.csv").set_index("step")["count"]
    rep = json.loads((q / "representativity.json").read_text())
    assert strata["sampled"].sum() == flow["sampled"] and strata["reached"].sum() == flow["reached"]
    assert strata["responses"].sum() + rep["outside_frame"]["responses"] == flow["responses"]
    assert strata["usable"].sum() + rep["outside_frame"]["usable"] == flow["usable"]
    assert 0 < rep["R"] < 1 and rep["partial"]["sector"]["indicator"] > 0
    items = pd.read_csv(q / "items.csv")
    assert (items["answered"] + items["dont_know"] + items["missing"] == items["asked"]).all()


@pytest.mark.slow
def test_quality_annex_in_the_report(demo_run):
    """The annex prints what the quality files hold: the R-indicator, the partial indicators
    and the three questions with the highest item non-response; the new figure has alt text."""
    from pypdf import PdfReader

    from aibarometer import fmt

    text = " ".join(p.extract_text() or "" for p in PdfReader(demo_run / "report" / "ai-barometer-2021-demo.pdf").pages)
    text = " ".join(text.split())
    rep = json.loads((demo_run / "quality" / "representativity.json").read_text())
    assert f"bedraagt hij {fmt.num(rep['R'], 2)}" in text
    assert fmt.num(rep["partial"]["sector"]["indicator"], 3) in text
    items = pd.read_csv(demo_run / "quality" / "items.csv").sort_values(["item_nonresponse", "question"],
                                                                          ascending=[False, True])
    for r in items.head(3).itertuples():
        assert f"{fmt.lower_first(r.label)}’ ({fmt.pct(r.item_nonresponse)} van {fmt.num(r.asked)})" in text
    html = (demo_run / "report" / "ai-barometer-2021-demo.html").read_text()
    alt = json.loads((demo_run / "quality" / "response.json").read_text())["alt"]
    assert 'src="../quality/response.svg"' in html and len(alt) > 80 and "Micro" in alt
