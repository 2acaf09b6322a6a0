"""What the report says about its method is computed from the wave: the selection per size
class from Table 1, the questionnaire changes from the codebooks, the firms in both waves
from the pseudonyms; and no trend sentence claims a test that was not made."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from aibarometer import method
from aibarometer.trend import firms_in_both
from conftest import ROOT


def table1(strata, fractions: dict[str, float | list[float]]) -> pd.DataFrame:
    rows = []
    for k, (sector, size) in enumerate(strata.all_strata()):
        f = fractions[size]
        f = f[k % len(f)] if isinstance(f, list) else f
        rows.append({"sector": sector, "size_class": size, "population": 1000, "sample": round(1000 * f)})
    return pd.DataFrame(rows)


def test_a_size_class_taken_in_full_is_said_so_and_changes_when_it_is_sampled(strata):
    full = method.selection(table1(strata, {"micro": 0.1, "small": 0.2, "medium": 1.0, "large": 1.0}), strata)
    assert full["sentence"].startswith("Bij de middelgrote bedrijven en grote bedrijven werd elk bedrijf van de "
                                       "populatie aangeschreven. Van de andere grootteklassen kwam een deel")
    assert "10% van de microbedrijven" in full["sentence"] and "20% van de kleine bedrijven" in full["sentence"]
    assert "verschilt" not in full["sentence"]  # one fraction per size class
    sampled = method.selection(table1(strata, {"micro": 0.1, "small": 0.2, "medium": [0.5, 0.9], "large": 1.0}),
                               strata)
    assert sampled["sentence"] != full["sentence"]
    assert re.search(r"(5\d|6\d|7\d|8\d)% van de middelgrote bedrijven", sampled["sentence"])
    assert "per stratum gaat het om 50% tot 90% van de bedrijven" in sampled["sentence"]
    assert "Bij de grote bedrijven werd elk bedrijf" in sampled["sentence"]


def test_the_standard_error_assumption_is_named_as_one(strata):
    sel = method.selection(table1(strata, {"micro": 0.1, "small": 0.2, "medium": 1.0, "large": 1.0}), strata)
    text = method.assumption(sel)
    assert "enkelvoudige aselecte steekproef" in text and "een aanname" in text
    assert "beslist elk bedrijf zelf of het antwoordt" in text  # true whether or not invitations were drawn
    assert "niet door loting" not in text  # a selection by lot, where there was one, is not denied


def test_the_questionnaire_changes_come_from_the_codebooks(codebook):
    from aibarometer.config import load_codebook

    cb21, cb23 = load_codebook(ROOT / "config/codebook.yaml"), load_codebook(ROOT / "config/codebook-2023.yaml")
    changes = method.questionnaire_changes(cb23, cb21)
    assert [c["label"] for c in changes] == ["Genereren van tekst, beeld of code"]
    assert method.questionnaire_changes(cb23, cb23) == []  # a later wave on the 2023 questionnaire: no change
    text = method.questionnaire_sentence(changes, 2021)
    assert "één antwoordmogelijkheid bij: het genereren van tekst, beeld of code (bij de vraag over toepassingen)" in text
    assert method.questionnaire_changes(codebook, None) == []
    assert method.questionnaire_sentence([], 2021) == "Vraagstelling en antwoordcategorieën zijn dezelfde als in 2021."
    assert "liggen per meetgolf vast" not in method.questionnaire_sentence([], None)


def test_firms_in_both_waves_are_counted_by_pseudonym(tmp_path):
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    pd.DataFrame({"enterprise_pid": ["e_1", "e_2", "e_3", None]}).to_parquet(a)
    pd.DataFrame({"enterprise_pid": ["e_3", "e_2", "e_9"]}).to_parquet(b)
    assert firms_in_both(str(a), str(b)) == 2
    assert "Geen enkel bedrijf" in method.overlap_sentence(0, 2021, 100, 90)
    text = method.overlap_sentence(40, 2021, 100, 80)
    assert text.startswith("In totaal gaven 40 bedrijven in beide metingen een bruikbaar antwoord (40% van de 100")
    assert "covariantie" in text and "afzonderlijke steekproef" not in text


@pytest.mark.slow
def test_the_trend_chapter_claims_no_test_it_did_not_make(two_waves):
    """Every indicator the 2023 report calls unchanged was compared; those not compared are
    said to be so; the firms in both waves are stated."""
    from pypdf import PdfReader

    work = two_waves["work"]
    trend = pd.read_csv(work / "results/2023-demo/trend/trend.csv")
    assert "n_both" in trend and trend["n_both"].notna().all()
    text = " ".join(p.extract_text() for p in PdfReader(work / "results/2023-demo/report/ai-barometer-2023-demo.pdf").pages)
    text = re.sub(r"\s+", " ", text)
    assert "afzonderlijke steekproef" not in text and "tellen de onzekerheden" not in text
    n = int(trend["n_both"].iloc[0])
    assert ("Geen enkel bedrijf dat in deze meting bruikbaar antwoordde" in text) if n == 0 else (f"In totaal gaven {n} bedrijven in beide metingen een bruikbaar antwoord" in text)
    assert n > 100  # the demo waves come from one register: many firms answered twice
    assert "In beide metingen" in text and "Correlatie" in text  # Table 7's columns
    assert "ook afzonderlijk significant bij" in text  # where the rise happened, by size class and sector
    assert "andere kernindicatoren in Tabel 7 veranderden niet significant." not in text
    if (~trend["comparable"].astype(bool)).any():
        assert "vergelijken we de toepassingen in Tabel 7" in text and "niet vergeleken" in text  # text and Table 7
