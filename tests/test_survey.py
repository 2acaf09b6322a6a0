"""aibarometer.survey on designs small enough to check by hand.

The arithmetic is written out with exact fractions.  For a stratified SRS without
replacement (every respondent its own PSU) R's survey package gives, for the
ratio mean ``p = sum(w y) / sum(w)`` over a domain with estimated size ``N_dom``,

    u_i = w_h (y_i - p) / N_dom      (0 for rows outside the domain or missing)
    var = sum_h (1 - n_h/N_h) n_h/(n_h - 1) sum_i (u_i - mean_h(u))**2

with the mean over all n_h rows of the stratum.  test_survey_vs_r.py compares the
same function against R itself.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from aibarometer.survey import (
    LONELY_PSU_POLICIES,
    RESULT_COLUMNS,
    LonelyPSUError,
    design_weights,
    estimate,
)

# ------------------------------------------------------------------ fixtures


def two_strata(y=(1, 0, 1, 0, 1)) -> pd.DataFrame:
    """Stratum a: N=10, 3 respondents (w = 10/3); stratum b: N=4, 2 respondents (w = 2)."""
    return pd.DataFrame({
        "stratum": ["a", "a", "a", "b", "b"],
        "N": [10, 10, 10, 4, 4],
        "y": np.asarray(y, dtype=float),
    })


def with_lonely(N_c: int = 5) -> pd.DataFrame:
    """two_strata() plus stratum c with a single respondent (y = 1) and N = N_c."""
    d = two_strata()
    return pd.concat([d, pd.DataFrame({"stratum": ["c"], "N": [N_c], "y": [1.0]})],
                     ignore_index=True)


def run(data, domains=None, **kw):
    domains = domains if domains is not None else {"all": np.ones(len(data), dtype=bool)}
    kw.setdefault("variables", ["y"])
    return estimate(data, stratum="stratum", popsize="N", domains=domains, **kw)


def row(result: pd.DataFrame, domain: str, variable: str = "y") -> pd.Series:
    sel = result[(result["domain"] == domain) & (result["variable"] == variable)]
    assert len(sel) == 1
    return sel.iloc[0]


def mask(*bits) -> np.ndarray:
    return np.array(bits, dtype=bool)


# ------------------------------------------------- a reference written out plainly


def reference_variance(strata, N, u, policy):
    """R's onestage()/onestrat() for one-PSU-per-row strata, row by row.

    ``strata``, ``N``, ``u`` are per-row lists; ``u`` is None for rows not in the
    subset design (they are padded in as 0).  Only strata with a row in the subset
    count for ``average``.
    """
    total, n_strata, n_ok = F(0), 0, 0
    for h in dict.fromkeys(strata):
        idx = [i for i, s in enumerate(strata) if s == h]
        if all(u[i] is None for i in idx):
            continue  # stratum absent from the subset design
        n_strata += 1
        n_h, N_h = len(idx), F(N[idx[0]])
        vals = [F(0) if u[i] is None else u[i] for i in idx]
        f = (N_h - n_h) / N_h
        if f < F(1, 10**7):
            n_ok += 1
            continue
        if n_h > 1:
            mean = sum(vals) / n_h
            total += f * F(n_h, n_h - 1) * sum((v - mean) ** 2 for v in vals)
            n_ok += 1
        elif policy == "adjust":
            total += f * vals[0] ** 2
            n_ok += 1
        elif policy in ("certainty", "remove"):
            n_ok += 1
        elif policy == "average":
            pass
        else:
            raise AssertionError(policy)
    return total * n_strata / n_ok if policy == "average" else total


def reference_mean(data, dom, policy):
    """Domain mean and variance from the definitions, with exact fractions."""
    w = {h: F(int(g["N"].iloc[0]), len(g)) for h, g in data.groupby("stratum")}
    strata, N, y = list(data["stratum"]), list(data["N"]), list(data["y"])
    inside = [bool(m) and not math.isnan(v) for m, v in zip(dom, y)]
    N_dom = sum(w[s] for s, i in zip(strata, inside) if i)
    est = sum(w[s] * F(v) for s, v, i in zip(strata, y, inside) if i) / N_dom
    u = [w[s] * (F(v) - est) / N_dom if i else None for s, v, i in zip(strata, y, inside)]
    # rows of the stratum outside the domain are in the design with u = 0
    keep = [s for s, i in zip(strata, inside) if i]
    u = [x if x is not None else (F(0) if s in keep else None) for x, s in zip(u, strata)]
    return est, reference_variance(strata, N, u, policy)


# ------------------------------------------------------------ hand-checked cases


def test_whole_sample_proportion_by_hand():
    res = run(two_strata())
    r = row(res, "all")
    # p = (10/3 * 2 + 2 * 1) / 14 = 13/21
    assert r["estimate"] == pytest.approx(13 / 21, abs=1e-15)
    # stratum a: u = (10/3)/14 * (y - 13/21) = (5/21) * (8, -13, 8)/21; mean 1/21 * 5/21;
    #   deviations (5/21) * (7, -14, 7)/21 -> sum of squares (25/441) * (2/3) = 50/1323
    #   times (1 - 3/10) * 3/2 = 1.05                                  -> 5/126
    # stratum b: u = (2/14) * (-13, 8)/21, deviations (1/7) * (-1/2, 1/2)
    #   -> sum of squares 1/98, times (1 - 2/4) * 2/1 = 1              -> 1/98
    var = F(5, 126) + F(1, 98)
    assert var == F(22, 441)
    assert r["se"] == pytest.approx(math.sqrt(22) / 21, abs=1e-15)
    assert r["n"] == 5 and r["df"] == 5 - 2
    assert r["pop_size"] == pytest.approx(14)
    # logit interval on 3 df
    t = stats.t.ppf(0.975, 3)
    p, se = 13 / 21, math.sqrt(22) / 21
    half = t * se / (p * (1 - p))
    lo, hi = (1 / (1 + math.exp(-(math.log(p / (1 - p)) + s * half))) for s in (-1, 1))
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi), abs=1e-12)
    assert r["ci_method"] == "logit"
    assert math.isnan(r["diff_rest"]) and math.isnan(r["p_rest"]) and not r["significant"]


def test_domain_is_a_subset_of_the_design_not_a_new_design():
    data = two_strata()
    dom = mask(1, 1, 0, 0, 1)  # a1 (y=1), a2 (y=0), b2 (y=1)
    r = row(run(data, {"d": dom}), "d")
    # N_dom = 2 * 10/3 + 2 = 26/3; p = (10/3 + 2) / (26/3) = 8/13
    assert r["estimate"] == pytest.approx(8 / 13, abs=1e-15)
    # a: u = (10/3)/(26/3) (y - 8/13) = (10/26) (5/13, -8/13, -) and 0 for a3:
    #    (50, -80, 0)/338, mean -10/338, deviations (60, -70, 10)/338
    #    -> 8600/338**2, times 1.05 = 9030/114244
    # b: u = (0, 2 (5/13) / (26/3)) = (0, 30/338), deviations (-15, 15)/338
    #    -> 450/114244, times 1
    var = F(9030, 338**2) + F(450, 338**2)
    assert r["se"] == pytest.approx(math.sqrt(var), abs=1e-15)
    assert r["n"] == 3 and r["df"] == 3 - 2 and r["pop_size"] == pytest.approx(26 / 3)

    # Re-running the design on the filtered rows is something else: n_h becomes 2 and 1,
    # so the weights become 5 and 4 and the estimate (5 + 4)/14 = 9/14
    filtered = data[dom].reset_index(drop=True)
    r2 = row(run(filtered, lonely_psu="certainty"), "all")
    assert r2["estimate"] == pytest.approx(9 / 14)
    assert abs(r2["estimate"] - r["estimate"]) > 0.02
    assert abs(r2["se"] - r["se"]) > 0.01


def test_missing_values_leave_the_base_but_not_the_design():
    data = two_strata(y=(1, 0, np.nan, 0, 1))
    r = row(run(data), "all")
    # as the domain {a1, a2, b1, b2} of the complete data: n_h stays 3 for stratum a
    same = row(run(two_strata(), {"d": mask(1, 1, 0, 1, 1)}), "d")
    assert r["estimate"] == pytest.approx(same["estimate"], abs=1e-15)
    assert r["se"] == pytest.approx(same["se"], abs=1e-15)
    assert r["n"] == 4 and r["df"] == 4 - 2
    est, var = reference_mean(data, [True] * 5, "adjust")
    assert r["estimate"] == pytest.approx(float(est), abs=1e-15)
    assert r["se"] == pytest.approx(math.sqrt(var), abs=1e-15)


def test_difference_with_the_rest_by_hand():
    r = row(run(two_strata(), {"a": mask(1, 1, 1, 0, 0)}), "a")
    # domain = stratum a: p = 2/3; rest = stratum b: p = 1/2
    assert r["diff_rest"] == pytest.approx(1 / 6, abs=1e-15)
    # u_dom on a: (10/3)(y - 2/3)/10 = (1/9, -2/9, 1/9): mean 0, squares 6/81, times 1.05
    # u_rest on b: 2 (y - 1/2)/4 = (-1/4, 1/4); u_dom - u_rest: squares 1/8, times 1
    var = F(105, 100) * F(6, 81) + F(1, 8)
    assert var == F(73, 360)
    assert r["se_diff"] == pytest.approx(math.sqrt(73 / 360), abs=1e-15)
    # no stratum is shared, so the variance of the difference is the sum of the two
    assert r["se_diff"] ** 2 == pytest.approx(r["se"] ** 2 + (1 / 8), abs=1e-15)
    p = 2 * stats.t.sf((1 / 6) / math.sqrt(73 / 360), df=5 - 2)  # df of the base design
    assert r["p_rest"] == pytest.approx(p, abs=1e-14)
    assert not r["significant"]


def test_difference_with_the_rest_in_shared_strata_uses_the_covariance():
    rng = np.random.default_rng(7)
    data = pd.DataFrame({
        "stratum": np.repeat(["a", "b", "c"], [8, 6, 5]),
        "N": np.repeat([40, 30, 9], [8, 6, 5]),
        "y": rng.integers(0, 2, 19).astype(float),
    })
    dom = rng.random(19) < 0.5
    r = row(run(data, {"d": dom}), "d")
    est_d, _ = reference_mean(data, dom, "adjust")
    est_c, _ = reference_mean(data, ~dom, "adjust")
    # u_dom - u_rest, row by row
    w = {h: F(int(g["N"].iloc[0]), len(g)) for h, g in data.groupby("stratum")}
    Nd = sum(w[s] for s, m in zip(data["stratum"], dom) if m)
    Nc = sum(w[s] for s, m in zip(data["stratum"], dom) if not m)
    u = [w[s] * (F(v) - est_d) / Nd if m else -w[s] * (F(v) - est_c) / Nc
         for s, v, m in zip(data["stratum"], data["y"], dom)]
    var = reference_variance(list(data["stratum"]), list(data["N"]), u, "adjust")
    assert r["diff_rest"] == pytest.approx(float(est_d - est_c), abs=1e-15)
    assert r["se_diff"] == pytest.approx(math.sqrt(var), abs=1e-14)
    # ... which is not the naive sqrt(se_d^2 + se_rest^2)
    rest = row(run(data, {"rest": ~dom}), "rest")
    assert abs(r["se_diff"] - math.hypot(r["se"], rest["se"])) > 1e-4


def test_mean_by_hand():
    data = two_strata(y=(1, 2, 6, 4, 8))
    r = row(run(data, kind="mean"), "all")
    # (10/3 * 9 + 2 * 12) / 14 = 27/7
    assert r["estimate"] == pytest.approx(27 / 7, abs=1e-14)
    # a: (5/21)(y - 27/7) = (5/21)(-20, -13, 15)/7, deviations (5/21)(-2, -1, 3)
    #    -> (25/441) * 14 = 50/63, times 1.05 = 5/6
    # b: (1/7)(1, 29)/7, deviations (1/7)(-2, 2) -> 8/49, times 1
    var = F(5, 6) + F(8, 49)
    assert r["se"] == pytest.approx(math.sqrt(var), abs=1e-14)
    t = stats.t.ppf(0.975, 3)
    assert r["ci_low"] == pytest.approx(27 / 7 - t * math.sqrt(var), abs=1e-13)
    assert r["ci_high"] == pytest.approx(27 / 7 + t * math.sqrt(var), abs=1e-13)
    assert r["ci_method"] == "t"


def test_large_values_keep_their_precision():
    base = two_strata(y=(1, 2, 6, 4, 8))
    big = base.assign(y=base["y"] + 1e9)
    a, b = row(run(base, kind="mean"), "all"), row(run(big, kind="mean"), "all")
    assert b["estimate"] - 1e9 == pytest.approx(a["estimate"], abs=1e-6)
    assert b["se"] == pytest.approx(a["se"], rel=1e-9)


# --------------------------------------------------------------- lonely PSUs


def test_fail_names_the_stratum_and_the_option():
    with pytest.raises(LonelyPSUError) as err:
        run(with_lonely(), lonely_psu="fail")
    text = str(err.value)
    assert "'c'" in text and "lonely_psu" in text and "adjust" in text
    assert err.value.strata == ["c"]
    assert isinstance(err.value, ValueError)


def test_lonely_policies_by_hand():
    data = with_lonely()
    # p = (10/3 * 2 + 2 + 5) / 19 = 41/57
    # a: (10/57)(16, -41, 16)/57 -> deviations (10/57)(1/3, -2/3, 1/3): 2/3 * 100/3249, * 1.05
    va = F(105, 100) * F(2, 3) * F(100, 3249)
    # b: (2/19)(-41, 16)/57 -> deviations (2/19)(-1/2, 1/2): 1/2 * 4/361, * 1
    vb = F(1, 2) * F(4, 361)
    # c: the lonely respondent, u = 5 (1 - 41/57) / 19 = 80/1083
    uc = F(80, 1083)
    expected = {
        "certainty": va + vb,  # centred at its own mean: contributes 0
        "remove": va + vb,
        "adjust": va + vb + (1 - F(1, 5)) * uc**2,  # centred at 0, times 1 - 1/N_c
        "average": (va + vb) * F(3, 2),  # 3 strata, 2 with a variance
    }
    for policy, var in expected.items():
        r = row(run(data, lonely_psu=policy), "all")
        assert r["estimate"] == pytest.approx(41 / 57, abs=1e-15)
        assert r["se"] == pytest.approx(math.sqrt(var), abs=1e-15), policy
        _, ref = reference_mean(data, [True] * 6, policy)
        assert ref == var


def test_average_counts_only_strata_in_the_domain():
    data = with_lonely()
    no_c = mask(1, 1, 1, 1, 1, 0)
    with_c = mask(1, 1, 1, 0, 0, 1)  # strata a and c: factor 2/1
    for dom in (no_c, with_c):
        r = row(run(data, {"d": dom}, lonely_psu="average"), "d")
        _, var = reference_mean(data, dom, "average")
        assert r["se"] == pytest.approx(math.sqrt(var), abs=1e-15)
    cert = row(run(data, {"d": no_c}, lonely_psu="certainty"), "d")
    avg = row(run(data, {"d": no_c}, lonely_psu="average"), "d")
    assert avg["se"] == pytest.approx(cert["se"], abs=1e-15)  # no lonely stratum touched
    cert = row(run(data, {"d": with_c}, lonely_psu="certainty"), "d")
    avg = row(run(data, {"d": with_c}, lonely_psu="average"), "d")
    assert avg["se"] ** 2 == pytest.approx(2 * cert["se"] ** 2, abs=1e-15)


def test_fully_enumerated_single_respondent_is_not_lonely():
    data = with_lonely(N_c=1)  # f = 0: R returns 0 before looking at the policy
    ses = {p: row(run(data, lonely_psu=p), "all")["se"] for p in LONELY_PSU_POLICIES}
    assert len({round(s, 15) for s in ses.values()}) == 1


def test_lonely_policy_on_random_designs_matches_the_reference():
    rng = np.random.default_rng(3)
    sizes = [5, 1, 4, 1, 3, 6]
    N = [50, 7, 12, 1, 3, 60]  # stratum 3 fully enumerated (n = N = 1), stratum 4 too (3 = 3)
    data = pd.DataFrame({
        "stratum": np.repeat([f"s{i}" for i in range(6)], sizes),
        "N": np.repeat(N, sizes),
        "y": rng.integers(0, 2, sum(sizes)).astype(float),
    })
    data.loc[rng.random(len(data)) < 0.15, "y"] = np.nan
    doms = {"all": np.ones(len(data), bool), "r": rng.random(len(data)) < 0.6,
            "s01": data["stratum"].isin(["s0", "s1"]).to_numpy()}
    for policy in ("adjust", "certainty", "remove", "average"):
        res = run(data, doms, lonely_psu=policy)
        for name, dom in doms.items():
            est, var = reference_mean(data, dom, policy)
            r = row(res, name)
            assert r["estimate"] == pytest.approx(float(est), abs=1e-14)
            assert r["se"] == pytest.approx(math.sqrt(var), abs=1e-14), (policy, name)


# ---------------------------------------------------------- 0% and 100%


def test_zero_and_hundred_percent_use_clopper_pearson():
    data = pd.DataFrame({
        "stratum": ["a"] * 3 + ["b"] * 2 + ["c"] * 4,
        "N": [10] * 3 + [4] * 2 + [20] * 4,
        "y": [0, 0, 0, 0, 0, 1, 1, 0, 1],
        "z": [1, 1, 1, 1, 1, np.nan, 1, 1, 1],
    })
    doms = {"ab": mask(1, 1, 1, 1, 1, 0, 0, 0, 0), "c": mask(0, 0, 0, 0, 0, 1, 1, 1, 1)}
    res = run(data, doms, variables=["y", "z"])
    zero = row(res, "ab", "y")
    assert zero["estimate"] == 0 and zero["se"] == 0
    # binom.test(0, 5): [0, 1 - 0.025^(1/5)]
    assert (zero["ci_low"], zero["ci_high"]) == pytest.approx((0.0, 1 - 0.025 ** (1 / 5)), abs=1e-14)
    assert zero["ci_method"] == "clopper-pearson"
    full = row(res, "c", "z")  # 3 observed, all 1
    assert full["estimate"] == 1 and full["n"] == 3
    assert (full["ci_low"], full["ci_high"]) == pytest.approx((0.025 ** (1 / 3), 1.0), abs=1e-14)
    assert full["ci_method"] == "clopper-pearson"
    assert row(res, "c", "y")["ci_method"] == "logit"


def test_empty_domain():
    data = two_strata(y=(1, 0, 1, np.nan, np.nan))
    r = row(run(data, {"b": mask(0, 0, 0, 1, 1)}), "b")
    assert r["n"] == 0 and r["pop_size"] == 0 and r["df"] == 0
    assert math.isnan(r["estimate"]) and math.isnan(r["se"]) and math.isnan(r["ci_low"])
    assert r["ci_method"] == "none" and not r["significant"]


# --------------------------------------------------------------- weights


def test_weights_sum_to_the_population():
    data = with_lonely()
    w = design_weights(data, stratum="stratum", popsize="N")
    assert list(w) == pytest.approx([10 / 3] * 3 + [2, 2, 5])
    assert w.sum() == pytest.approx(10 + 4 + 5)
    res = run(data, {"all": np.ones(6, bool), "ab": mask(1, 1, 1, 1, 1, 0)})
    assert row(res, "all")["pop_size"] == pytest.approx(19)
    assert row(res, "ab")["pop_size"] == pytest.approx(14)


# ---------------------------------------------------------- shape of the result


def test_result_layout():
    data = two_strata().assign(x=[0.0, 1, 1, np.nan, 0])
    doms = {"all": np.ones(5, bool), "b": pd.Series([False] * 3 + [True] * 2), "a": mask(1, 1, 1, 0, 0)}
    res = run(data, doms, variables=["y", "x"])
    assert list(res.columns) == RESULT_COLUMNS
    assert list(zip(res["variable"], res["domain"])) == [
        (v, d) for v in ("y", "x") for d in ("all", "b", "a")]
    assert res["n"].dtype == np.int64 and res["df"].dtype == np.int64
    assert res["significant"].dtype == bool
    sig = res["p_rest"] < 0.05
    assert (res["significant"] == sig).all()


def test_nullable_columns_and_masks():
    data = two_strata().assign(y=pd.array([1, 0, None, 0, 1], dtype="Int64"))
    dom = pd.Series(pd.array([True, True, None, True, True], dtype="boolean"))
    a = row(run(data, {"d": dom}), "d")
    b = row(run(two_strata(y=(1, 0, np.nan, 0, 1))), "all")
    assert a["estimate"] == pytest.approx(b["estimate"]) and a["se"] == pytest.approx(b["se"])


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("change,message", [
    (dict(stratum="nope"), "stratum column 'nope'"),
    (dict(popsize="nope"), "popsize column 'nope'"),
    (dict(variables=["nope"]), "not in the data"),
    (dict(lonely_psu="drop"), "unknown lonely_psu"),
    (dict(kind="median"), "unknown kind"),
    (dict(level=95), "level"),
])
def test_bad_arguments(change, message):
    kw = dict(stratum="stratum", popsize="N", variables=["y"],
              domains={"all": np.ones(5, bool)})
    kw.update(change)
    with pytest.raises(ValueError, match=message):
        estimate(two_strata(), **kw)


def test_bad_design_columns():
    d = two_strata()
    with pytest.raises(ValueError, match="smaller than the number of respondents.*'b'"):
        run(d.assign(N=[10, 10, 10, 1, 1]))
    with pytest.raises(ValueError, match="not constant within.*'a'"):
        run(d.assign(N=[10, 11, 10, 4, 4]))
    with pytest.raises(ValueError, match="missing"):
        run(d.assign(stratum=["a", None, "a", "b", "b"]))
    with pytest.raises(ValueError, match="finite positive"):
        run(d.assign(N=[10, 10, 10, np.nan, np.nan]))


def test_bad_variables_and_masks():
    d = two_strata()
    with pytest.raises(ValueError, match="'y'.*other than 0, 1"):
        run(d.assign(y=[0, 1, 2, 0, 1]))
    assert row(run(d.assign(y=[0, 1, 2, 0, 1]), kind="mean"), "all")["n"] == 5
    with pytest.raises(ValueError, match="not numeric"):
        run(d.assign(y=["x", "y", "z", "x", "y"]))
    with pytest.raises(ValueError, match="infinite"):
        run(d.assign(y=[0, 1, np.inf, 0, 1]), kind="mean")
    with pytest.raises(ValueError, match="has shape"):
        run(d, {"d": np.ones(4, bool)})
    with pytest.raises(ValueError, match="boolean"):
        run(d, {"d": np.ones(5)})
    with pytest.raises(ValueError, match="more than once"):
        run(d, variables=["y", "y"])


# Speed and memory at scale are measured by bench/run.py, not by the test suite.


def test_many_row_level_domains_are_split_into_groupings(monkeypatch):
    """When domains cut the sample into more than CELL_LIMIT cells, they are summed in
    several groupings; the numbers must not change."""
    import aibarometer.survey as survey

    rng = np.random.default_rng(11)
    n = 400
    data = pd.DataFrame({
        "stratum": rng.integers(0, 6, n),
        "y": rng.integers(0, 2, n).astype(float),
        "x": rng.normal(50, 10, n),
    })
    data["N"] = data["stratum"].map(data["stratum"].value_counts() * 7)
    data.loc[rng.random(n) < 0.1, ["y", "x"]] = np.nan
    domains = {"all": np.ones(n, bool)} | {f"r{i}": rng.random(n) < 0.4 for i in range(8)}
    whole = {k: run(data, domains, variables=["y", "x"] if k == "mean" else ["y"], kind=k)
             for k in ("proportion", "mean")}
    monkeypatch.setattr(survey, "CELL_LIMIT", 30)
    cells = survey._cells(survey._build_design(data, "stratum", "N"), list(domains.values()))
    assert len(cells.groups) > 2
    for kind, expected in whole.items():
        got = run(data, domains, variables=["y", "x"] if kind == "mean" else ["y"], kind=kind)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=1e-12)


def _factor_data(n=600, n_codes=4, seed=5):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"stratum": rng.integers(0, 7, n)})
    data["N"] = data["stratum"].map(data["stratum"].value_counts() * 9)
    codes = rng.integers(0, n_codes + 1, n)  # n_codes = observed, but none of the levels
    codes[rng.random(n) < 0.2] = -1
    return data, codes


@pytest.mark.parametrize("n_codes", [3, 20])  # 20: more levels than one block of CHUNK_SIZE variables
def test_levels_of_a_factor_equal_their_indicator_columns(n_codes):
    """A factor's levels (survey.Level: one pass counts all of them) give exactly what the
    0/1/missing indicator of each level gives, an observed code outside the levels
    included (in the base, in no level), in every domain."""
    from aibarometer.survey import Level

    data, codes = _factor_data(n_codes=n_codes)
    rng = np.random.default_rng(1)
    domains = {"all": np.ones(len(data), bool), "d1": rng.random(len(data)) < 0.5,
               "d2": rng.random(len(data)) < 0.3}
    names = [f"f={k}" for k in range(n_codes)]
    calls = []

    def of_factor():
        calls.append(1)
        return codes.astype(np.int8)

    levels = {nm: Level("f", of_factor, k) for k, nm in enumerate(names)}
    columns = {nm: (lambda k=k: np.where(codes < 0, np.nan, codes == k)) for k, nm in enumerate(names)}
    design = data[["stratum", "N"]]
    got = run(design, domains, variables=names, values=levels)
    expected = run(design, domains, variables=names, values=columns)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert len(calls) == 1  # once for all its levels, across blocks of CHUNK_SIZE variables too
    assert (got["n"] > 0).all() and got["estimate"].between(0, 1).all()


def test_a_factor_with_bad_codes_is_refused():
    from aibarometer.survey import Level

    data, codes = _factor_data()
    design = data[["stratum", "N"]]
    with pytest.raises(ValueError, match="codes must be 600 integers"):
        run(design, variables=["f=0"], values={"f=0": Level("f", lambda: codes.astype(float), 0)})
    with pytest.raises(ValueError, match="code -2"):
        run(design, variables=["f=0"], values={"f=0": Level("f", lambda: np.where(codes < 0, -2, codes), 0)})
    with pytest.raises(ValueError, match="only kind='proportion'"):
        run(design, variables=["f=0"], kind="mean", values={"f=0": Level("f", lambda: codes, 0)})
