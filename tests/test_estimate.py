"""Estimation on the demo wave: bases from the data, precision for every headline number."""

import numpy as np
import pandas as pd
import pytest

from aibarometer.estimate import build_indicators, estimate_all
from aibarometer.survey import LonelyPSUError

BASES_2021 = {"technologies": 1717, "barriers": 1628, "knowledge": 1234, "applications": 555, "sources": 545,
              "budget": 540, "competitiveness": 532, "employment": 532, "policy": 1559}


@pytest.fixture(scope="module")
def est(demo_run):
    e = pd.read_parquet(demo_run / "estimates" / "estimates.parquet")
    return e.set_index(["indicator", "category", "domain"])


@pytest.mark.slow
def test_bases_come_out_of_the_data(demo_run):
    bases = pd.read_csv(demo_run / "estimates" / "bases.csv").set_index("block")["n"].to_dict()
    assert bases == BASES_2021


@pytest.mark.slow
def test_adoption_with_precision(est):
    row = est.loc[("adopter", "1", "all")]
    assert 0.15 < row["estimate"] < 0.32
    assert 0 < row["se"] < 0.03
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    assert row["n"] == 1717 and row["df"] == 1717 - 36
    assert row["pop_size"] == pytest.approx(34452)
    for tech in ["text_mining", "speech", "nlg", "image", "machine_learning", "process_automation", "autonomous"]:
        r = est.loc[(f"tech_{tech}", "1", "all")]
        assert r["se"] > 0 and r["ci_low"] < r["estimate"] < r["ci_high"]


@pytest.mark.slow
def test_categories_of_an_item_sum_to_one(est):
    total = sum(est.loc[("tech_image", str(c), "all")]["estimate"] for c in (1, 2, 3))
    assert total == pytest.approx(1.0)
    dist = sum(est.loc[("n_technologies", c, "all")]["estimate"] for c in ("1", "2", "3", "4+", "0_plans", "0_no_plans"))
    assert dist == pytest.approx(1.0)


@pytest.mark.slow
def test_routing_sets_the_denominators(est):
    # adopter-only questions: the base is the adopters who answered, in every domain
    assert est.loc[("app_ict_security", "1", "all")]["n"] == BASES_2021["applications"]
    assert est.loc[("app_ict_security", "1", "adopter:no")]["n"] == 0
    # the share of adopters among adopters is 1 with an honest (non-degenerate) interval
    r = est.loc[("adopter", "1", "adopter:yes")]
    assert r["estimate"] == 1.0 and r["ci_method"] == "clopper-pearson" and r["ci_low"] < 1.0


@pytest.mark.slow
def test_flags_and_suppression(est):
    """The flags of the demo wave follow the standards (aibarometer.precision): n < 10 not
    published, n < 30 flagged, a mean with CV above 33,3% not published, a proportion's flag
    says 'wide_ci' exactly when its Korn-Graubard interval is 30 points or wider, and nothing
    flagged is significant."""
    from aibarometer.precision import korn_graubard

    e = est.reset_index()
    assert (e.loc[e["n"] < 10, "flag"] == "suppressed").all()
    small = e[(e["n"] >= 10) & (e["n"] < 30)]
    assert (small["flag"].str.contains("low_n") | (small["flag"] == "suppressed")).all()
    cv = e["se"] / e["estimate"].abs()
    big_suppressed = e[(e["n"] >= 30) & (e["flag"] == "suppressed")]
    assert (big_suppressed["kind"] == "mean").all() and (cv[big_suppressed.index] > 0.333).all()
    assert not e.loc[e["flag"] != "", "significant"].any()
    prop = e[(e["kind"] == "proportion") & (e["flag"] != "suppressed")]
    low, high = korn_graubard(prop["estimate"], prop["se"], prop["n"], prop["df"])
    assert (prop["flag"].str.contains("wide_ci").to_numpy() == ((high - low) * 100 >= 30)).all()
    assert (prop["flag"].str.contains("wide_ci") | prop["flag"].str.contains("wide_relative_ci")).any()


@pytest.mark.slow
def test_significance_against_the_rest(est):
    large = est.loc[("adopter", "1", "size:large")]
    assert large["diff_rest"] > 0 and bool(large["significant"]) and large["p_rest"] < 0.05
    assert pd.isna(est.loc[("adopter", "1", "all")]["p_rest"])


@pytest.mark.slow
def test_lonely_stratum_policies(demo_run, codebook, config):
    df = pd.read_parquet(demo_run / "clean" / "responses.parquet")
    assert (df.groupby("stratum").size() == 1).sum() == 1
    params = dict(config["estimation"])
    strata = config["strata"]
    secs = [s["code"] for s in strata["sectors"]]
    sizes = [c["code"] for c in strata["size_classes"]]
    params["lonely_psu"] = "fail"
    with pytest.raises(LonelyPSUError, match="35-39 \\| micro"):
        estimate_all(df, codebook, secs, sizes, params)
    ses = {}
    for policy in ("adjust", "certainty", "average"):
        params["lonely_psu"] = policy
        e, _ = estimate_all(df, codebook, secs, sizes, params)
        ses[policy] = e.set_index(["indicator", "category", "domain"]).loc[("adopter", "1", "sector:35-39"), "se"]
    assert ses["certainty"] < ses["adjust"] and ses["certainty"] != ses["average"]


@pytest.mark.slow
def test_indicators_follow_the_codebook(demo_run, codebook):
    df = pd.read_parquet(demo_run / "clean" / "responses.parquet")
    X, specs = build_indicators(df, codebook)
    names = {s.indicator for s in specs}
    assert {i.var for i in codebook.ai_items if i.type in ("single", "multi", "percentage")} <= names
    # a multiple-choice option is 0 for block respondents who did not tick it, missing for the rest
    col = X["app_marketing_sales=1"]
    assert col.notna().sum() == BASES_2021["applications"]


@pytest.mark.slow
def test_the_stage_read_path_gives_the_estimates_of_the_plain_table(demo_run, codebook, strata, config, tmp_path):
    """read_for_estimation keeps integer answers as codes plus a missing mask (Answers)
    and counts single-choice items as factors; estimating from it must give exactly what
    the plain float table gives (every answer a float, missing as NaN, every category its
    own 0/1 column), on a file split into many row groups (many Arrow chunks)."""
    from aibarometer.estimate import Answers, read_for_estimation

    src = pd.read_parquet(demo_run / "clean" / "responses.parquet")
    path = tmp_path / "responses.parquet"
    src.to_parquet(path, index=False, row_group_size=97)
    cols = read_for_estimation(path, codebook)
    single = [i.var for i in codebook.ai_items if i.type == "single"]
    assert all(isinstance(cols[v], Answers) for v in single)
    params = dict(config["estimation"])
    fast, _ = estimate_all(cols, codebook, strata.sector_codes, strata.size_codes, params)
    plain = pd.read_parquet(path)
    assert plain[single].isna().any().any()  # a table of Series: the float path of every helper
    slow, _ = estimate_all(plain, codebook, strata.sector_codes, strata.size_codes, params)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)


def test_answers_from_arrow_buffers_keep_values_and_missing():
    """A sliced Arrow column (chunks with an offset, nulls) read from its buffers gives the
    values and missing answers pyarrow itself reports."""
    import pyarrow as pa

    from aibarometer.estimate import _answers, factor_codes, factor_level

    rng = np.random.default_rng(3)
    values = rng.integers(-3, 9, 1000)
    mask = rng.random(1000) < 0.25
    whole = pa.array(values, type=pa.int8(), mask=mask)
    col = pa.chunked_array([whole.slice(3, 400), whole.slice(411, 589), pa.array([], type=pa.int8())])
    a = _answers(col)
    expected = col.to_pandas()
    assert np.array_equal(a.missing, expected.isna().to_numpy())
    assert np.array_equal(a.values[~a.missing], expected.dropna().astype(np.int8).to_numpy())
    item_codes = [1, 2, -3, 7]
    levels = [factor_level(c, item_codes) for c in item_codes]
    assert len(set(levels)) == 4 and min(levels) >= 0
    want = np.select([expected.isna()] + [expected == c for c in item_codes], [-1] + levels, 0)
    for got in (factor_codes(a, item_codes), factor_codes(expected.to_numpy(np.float64, na_value=np.nan), item_codes)):
        # an answer that is none of the codes may get any code that is no level and not -1
        assert np.array_equal(np.where(np.isin(got, levels + [-1]), got, 0), want)
        assert not np.isin(got[want == 0], levels + [-1]).any()
