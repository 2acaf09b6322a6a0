"""What may be called significant and what may be published (aibarometer.precision):
Benjamini-Hochberg q-values over one family of tests, NCHS flags for proportions, the CV
rule for means; and a wave generated here with null items and planted differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aibarometer.precision import bh, korn_graubard, reliability, significance
from aibarometer.survey import estimate

REL = {"min_n_flag": 30, "min_n_suppress": 10, "max_ci_width_pp": 30, "min_effective_n": 30,
       "relative_ci_from_pp": 5, "max_relative_ci_width": 130, "min_df": 8, "cv_caution": 16.5, "cv_unreliable": 33.3}


def bh_by_definition(p):
    """q_(i) = min over k >= i of m p_(k) / k (Benjamini and Hochberg 1995), written out."""
    p = np.asarray(p, float)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    srt = sorted(ok, key=lambda i: p[i])
    q = np.full(len(p), np.nan)
    for r, i in enumerate(srt, 1):
        q[i] = min(1.0, min(m * p[j] / k for k, j in enumerate(srt, 1) if k >= r))
    return q


def test_bh_equals_its_definition_and_keeps_missing_out_of_the_family():
    assert bh([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    rng = np.random.default_rng(3)
    p = rng.uniform(size=400) ** 3
    p[rng.choice(400, 40, replace=False)] = np.nan
    np.testing.assert_allclose(bh(p), bh_by_definition(p), rtol=0, atol=1e-15, equal_nan=True)
    assert np.isnan(bh([np.nan])).all()


def test_the_issue_example_is_flagged_and_a_precise_share_is_not():
    est = pd.DataFrame({"kind": ["proportion", "proportion", "proportion", "mean", "mean", "mean"],
                        "estimate": [0.026, 0.40, 0.0, 10.0, 10.0, 10.0], "se": [0.026, 0.012, 0.0, 1.0, 2.5, 4.0],
                        "n": [50, 1700, 25, 200, 200, 200], "df": [1680] * 6})
    flags = reliability(est, REL).tolist()
    assert "wide_relative_ci" in flags[0]            # app_none in NACE 45-47: 2,6% with SE 2,6%, n = 50
    assert flags[1] == ""                              # 40% on 1.700 answers
    assert "low_n" in flags[2] and "wide_relative_ci" in flags[2]  # 0% on 25 answers is not "precise"
    assert flags[3:] == ["", "cv_caution", "suppressed"]  # CV 10%, 25%, 40%


def test_korn_graubard_is_clopper_pearson_for_a_simple_random_sample():
    from scipy.stats import beta

    n, x = 200, 30
    p = x / n
    se = np.sqrt(p * (1 - p) / n)
    neff_ratio = 1.0  # with df = n - 1 the degrees-of-freedom adjustment is 1
    low, high = korn_graubard(np.array([p]), np.array([se]), np.array([n]), np.array([n - 1]))
    assert low[0] == pytest.approx(beta.ppf(0.025, x, n - x + 1) * neff_ratio, rel=1e-9)
    assert high[0] == pytest.approx(beta.ppf(0.975, x + 1, n - x), rel=1e-9)


def _sample(rng, n_null: int) -> pd.DataFrame:
    """36 strata (9 sectors x 4 size classes) of 30 to 69 respondents from populations 10,000
    times larger (a negligible finite population correction), with ``n_null`` items at 25%."""
    rows = []
    for s in range(9):
        for z in range(4):
            n_h = int(rng.integers(30, 70))
            rows.append(pd.DataFrame({"stratum": f"{s}|{z}", "N_h": n_h * 10_000, "sector": s, "size": z}, index=range(n_h)))
    data = pd.concat(rows, ignore_index=True)
    for k in range(n_null):
        data[f"null{k}"] = (rng.uniform(size=len(data)) < 0.25).astype(float)
    return data


def planted_wave(seed: int, n_null: int = 40, n_planted: int = 4):
    """A stratified sample (9 sectors x 4 size classes) with null items, independent of sector
    and size, and items with a planted difference: +20 points in sector 0 and in size class 3."""
    rng = np.random.default_rng(seed)
    data = _sample(rng, n_null)
    for k in range(n_planted):
        lift = 0.20 * ((data["sector"] == 0) | (data["size"] == 3))
        data[f"planted{k}"] = (rng.uniform(size=len(data)) < 0.20 + lift).astype(float)
    domains = {f"sector:{s}": (data["sector"] == s).to_numpy() for s in range(9)}
    domains |= {f"size:{z}": (data["size"] == z).to_numpy() for z in range(4)}
    variables = [c for c in data.columns if c.startswith(("null", "planted"))]
    return estimate(data, stratum="stratum", popsize="N_h", variables=variables, domains=domains)


def test_null_items_are_rarely_significant_and_the_planted_ones_are():
    """Forty generated waves (each 520 null tests and 52 tests of items with a planted
    difference): the unadjusted tests are calibrated (about 5% of null tests below 0,05), so
    without control each wave reports a score of chance differences; with the false
    discovery rate controlled the share of false findings among all findings stays small
    (BH bounds its expectation, it does not make it zero) and the planted differences are
    found."""
    raw, fdp, power, null_found = [], [], [], []
    for seed in range(40):
        est = planted_wave(seed)
        tests = est[np.isfinite(est["p_rest"])]
        _, sig = significance(tests["p_rest"], np.ones(len(tests), bool), 0.05)
        null = tests["variable"].str.startswith("null").to_numpy()
        planted = (tests["variable"].str.startswith("planted") & tests["domain"].isin(["sector:0", "size:3"])).to_numpy()
        raw.append((tests["p_rest"].to_numpy()[null] < 0.05).mean())
        fdp.append(sig[null].sum() / max(sig.sum(), 1))
        power.append(sig[planted].mean())
        null_found.append(sig[null].sum())
    assert 0.04 <= np.mean(raw) <= 0.065          # about 26 chance "findings" a wave without control
    assert np.mean(null_found) <= 2               # with BH: about one a wave (26 without)
    assert np.mean(fdp) <= 0.10
    assert np.mean(power) >= 0.8


def _wave(rng, lift: float, n_null: int, n_changed: int):
    data = _sample(rng, n_null)
    for k in range(n_changed):
        data[f"changed{k}"] = (rng.uniform(size=len(data)) < 0.20 + lift).astype(float)
    domains = {"all": np.ones(len(data), bool)} | {f"size:{z}": (data["size"] == z).to_numpy() for z in range(4)}
    variables = [c for c in data.columns if c.startswith(("null", "changed"))]
    est = estimate(data, stratum="stratum", popsize="N_h", variables=variables, domains=domains)
    return est.assign(indicator=est["variable"], category="1", category_label=est["variable"])


def test_change_tests_of_null_items_are_rarely_significant_and_real_changes_are(monkeypatch, codebook):
    """The trend's change tests (trend.compare, one BH family): forty null items and four with a
    real rise of 12 points, over all firms and per size class, in twenty generated pairs."""
    from aibarometer import trend

    monkeypatch.setattr(trend, "definition_change", lambda *a: "")
    null_found, raw, power = [], [], []
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        a, b = _wave(rng, 0.0, 40, 4), _wave(rng, 0.12, 40, 4)
        spec = [{"indicator": v, "category": "1"} for v in a["indicator"].unique()]
        out = trend.compare(a, b, codebook, codebook, spec, "a", "b", 0.95, ("all", "size:0", "size:1", "size:2", "size:3"))
        null = out["indicator"].str.startswith("null").to_numpy()
        changed_all = (out["indicator"].str.startswith("changed") & (out["domain"] == "all")).to_numpy()
        null_found.append(out["significant"].to_numpy()[null].sum())
        raw.append((out["p_value"].to_numpy()[null] < 0.05).mean())
        power.append(out["significant"].to_numpy()[changed_all].mean())
    assert 0.03 <= np.mean(raw) <= 0.07       # about ten chance "changes" a comparison without control
    assert np.mean(null_found) <= 1           # with BH
    assert np.mean(power) >= 0.9
