"""The report as a publication: no claim the estimates do not support, no file path or
internal id, and the 2023 report tells its own trend."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pypdf import PdfReader

from aibarometer import fmt
from aibarometer.dutch import np_of

pytestmark = pytest.mark.slow  # reads both demo waves' reports (two workflow runs)

WAVES = ("2021-demo", "2023-demo")


@pytest.fixture(scope="module")
def reports(two_waves):
    out = {}
    for w in WAVES:
        res = two_waves["work"] / "results" / w
        text = " ".join(p.extract_text() or "" for p in PdfReader(res / "report" / f"ai-barometer-{w}.pdf").pages)
        out[w] = {"text": re.sub(r"\s+", " ", text).replace("- ", "-"), "res": res,
                  "est": pd.read_parquet(res / "estimates" / "estimates.parquet")}
    return out


@pytest.mark.parametrize("wave", WAVES)
def test_no_file_path_internal_id_or_unqualified_word(reports, wave):
    text = reports[wave]["text"]
    assert not re.search(r"\b(resources|results|config|workflow)/", text)
    assert not re.search(r"\.(csv|parquet|yaml|json|py)\b", text)
    assert not re.search(r"\b20\d\d-demo\b", text)  # the wave's internal id
    assert "opvallend" not in text  # "significant" is the word the report defines
    assert "meting(en)" not in text and "grootste deel van de populatie" not in text


def _item_stats(est, items, domain):
    rows = est[(est["domain"] == domain) & (est["category"].astype(str) == "1") & (est["flag"] != "suppressed")]
    rows = rows[rows["indicator"].isin([i.var for i in items])].copy()
    rows["label"] = rows["indicator"].map({i.var: i.label for i in items})
    rows["named"] = rows["indicator"].map({i.var: str(np_of(i)) for i in items})
    return rows


@pytest.mark.parametrize("wave", WAVES)
def test_a_ranking_word_needs_intervals_that_do_not_overlap(reports, wave, codebook):
    """'weegt X het zwaarst (p)' only when X's interval lies above every other barrier's in that
    group; 'staan X, Y en Z samen bovenaan' only when they overlap."""
    text, est = reports[wave]["text"], reports[wave]["est"]
    barriers = codebook.block_items("barriers")
    groups = {"Bij de AI-gebruikers": "adopter:yes", "Bij de niet-gebruikers": "adopter:no"}
    checked = 0
    for lead, domain in groups.items():
        for m in re.finditer(re.escape(lead) + r" (?:weegt (.+?) het zwaarst|staan (.+?) samen bovenaan)", text):
            stats = _item_stats(est, barriers, domain).sort_values("estimate", ascending=False)
            top, rest = stats.iloc[0], stats.iloc[1:]
            named = m.group(1) or m.group(2)
            assert top["named"] in named  # the codebook's noun phrase
            apart = (top["ci_low"] > rest["ci_high"]).all()
            assert apart == (m.group(1) is not None), (lead, m.group(0))
            checked += 1
    assert checked >= 2  # the chapter, both groups
    assert "gevolgd door" not in text.replace("gevolgd door twee herinneringen", "")


def test_the_2023_report_tells_its_significant_changes(reports):
    text = reports["2023-demo"]["text"]
    trend = pd.read_csv(reports["2023-demo"]["res"] / "trend" / "trend.csv")
    trend = trend[trend["domain"] == "all"]  # the summary and conclusions speak of all firms
    sig = trend[trend["comparable"] & trend["significant"]]
    assert len(sig) >= 1
    start = text.index("Samenvatting De AI-Barometer")
    summary = text[start:text.index("Inleiding", start)]
    head = re.search(r"Conclusies (?!AI-Barometer|\.)", text[start:])  # the chapter, not the running head
    conclusions = text[start + head.start():]
    for r in sig.itertuples():
        move = f"(van {fmt.pct(r.estimate_from)} naar {fmt.pct(r.estimate_to)})"
        assert move in summary, move
    # the conclusions give adoption then and now with the test's verdict, and send the reader to chapter 4
    adopt = sig[sig["indicator"] == "adopter"].iloc[0]
    assert f"In 2021 was dat {fmt.pct(adopt.estimate_from)}; de stijging is significant" in conclusions
    assert "significant (hoofdstuk 4)" in conclusions
    not_sig = trend[trend["comparable"] & ~trend["significant"]]
    for r in not_sig.itertuples():
        assert f"(van {fmt.pct(r.estimate_from)} naar {fmt.pct(r.estimate_to)})" not in summary


def test_claims_about_the_population_come_from_table_1(reports):
    text = reports["2021-demo"]["text"]
    t1 = pd.read_parquet(reports["2021-demo"]["res"] / "tables" / "table1.parquet")
    g = t1.groupby("size_class")[["population", "sample"]].sum()
    for size, noun in (("micro", "microbedrijven"), ("large", "grote bedrijven")):
        assert f"{fmt.pct(g.at[size, 'sample'] / g.at[size, 'population'], 0)} van de {noun}" in text


def test_the_synthetic_notice_says_what_is_real(reports):
    text = reports["2021-demo"]["text"]
    assert "gepubliceerde cijfers van die meting" in text and "alle antwoorden zijn verzonnen" in text


def test_a_zero_share_without_variance_is_never_significant(reports):
    for w in WAVES:
        est = reports[w]["est"]
        assert not est[(est["se"] == 0) & est["significant"]].any().any()
        assert (est["se"] == 0).any()  # the case exists in the demo waves


def test_a_real_wave_says_when_its_comparison_wave_is_synthetic(reports, codebook, strata):
    from aibarometer.report import Numbers, trend_context
    from aibarometer.spec import Estimates
    res = reports["2023-demo"]["res"]
    trend = pd.read_parquet(res / "trend" / "trend.parquet")
    numbers = Numbers(Estimates(reports["2023-demo"]["est"]), {}, codebook, strata)
    meta = {"2021-demo": {"year": 2021, "synthetic": True}}
    real = trend_context(trend, numbers, {"wave": "2023", "year": 2023, "synthetic": False}, meta)
    demo = trend_context(trend, numbers, {"wave": "2023-demo", "year": 2023, "synthetic": True}, meta)
    assert real["synthetic_earlier"] == [2021] and demo["synthetic_earlier"] == []


@pytest.mark.parametrize("wave", WAVES)
def test_tables_numbered_in_order_of_appearance(reports, wave):
    """Each table's caption once, the main text numbered 1, 2, 3, ... and the appendix
    A1, A2, ... in the order the reader meets them (config/spec.yaml: label, report_tables)."""
    captions = re.findall(r"Tabel (A?\d+): ", reports[wave]["text"])
    main = [int(c) for c in captions if not c.startswith("A")]
    appendix = [int(c[1:]) for c in captions if c.startswith("A")]
    assert main == list(range(1, len(main) + 1)) and appendix == list(range(1, len(appendix) + 1)), captions
    assert captions == [str(n) for n in main] + [f"A{n}" for n in appendix]  # the appendix comes last
    assert len(main) >= 6 + 2 * (wave == "2023-demo") and len(appendix) == 4
