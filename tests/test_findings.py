"""What the report may say about groups comes from tested evidence (aibarometer.findings): on
waves generated here with null items and items with a planted difference, the findings (and
so the sentences) name the planted differences and, with rare exceptions BH allows, none of
the null items; and findings.json is written beside every demo report."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from aibarometer.findings import findings, group_sentences
from aibarometer.precision import significance
from test_precision import planted_wave


class _Strata:
    def size_noun(self, code):
        return {"3": "grote bedrijven"}.get(str(code), f"bedrijven van klasse {code}")

    size_codes = ["1", "2", "3"]

    def sector_short(self, code):
        return f"sector{code}"

    def sector_noun(self, code):
        return f"de sector {code}"


def _wave_estimates(seed: int):
    est = planted_wave(seed)
    est["indicator"] = est["variable"]
    est["category"], est["category_label"] = "1", "Ja"
    est["block"] = "technologies"
    est["kind"] = "proportion"
    est["flag"] = ""
    kind, _, value = est["domain"].str.partition(":")[[0, 1, 2]].T.to_numpy()
    est["domain_type"], est["domain_value"] = kind, value
    est["q_value"], est["significant"] = significance(est["p_rest"], np.isfinite(est["p_rest"]), 0.05)
    items = {v: SimpleNamespace(type="multi", label=v.capitalize(), codes={1: "ja"}) for v in est["indicator"].unique()}
    return est, SimpleNamespace(by_var=items, derived={})


def test_group_findings_name_the_planted_differences_and_rarely_a_null_item():
    null_named, planted_found = [], []
    for seed in range(10):
        est, codebook = _wave_estimates(seed)
        found = findings(est, None, codebook)
        named = {f["indicator"] for f in found["group"]}
        null_named.append(sum(v.startswith("null") for v in named))
        planted_found.append(all(f"planted{k}" in named for k in range(4)))
        text = group_sentences(found, "technologies", _Strata(), codebook)
        assert "planted" in text.lower()  # the strongest differences are the planted ones
        for f in found["group"]:  # every finding carries its numbers and a weight
            assert f["numbers"]["q_value"] < 0.05 and f["weight"] == pytest.approx(abs(f["numbers"]["diff"]) * 100)
    assert all(planted_found)
    assert np.mean(null_named) <= 1


def test_no_group_difference_is_said_so():
    est, codebook = _wave_estimates(0)
    est["significant"] = False
    text = group_sentences(findings(est, None, codebook), "technologies", _Strata(), codebook)
    assert text == ("Over het gebruik per technologie antwoorden de bedrijven van geen enkele grootteklasse of sector "
                    "significant anders dan de andere bedrijven.")


def test_differences_in_questions_users_and_non_users_answer_differently_carry_their_caveat():
    """Barriers and knowledge are compared over all firms: the text says that a group's share of
    AI users explains part of such a difference; a block of the users' own questions does not."""
    est, codebook = _wave_estimates(0)
    est["block"] = "barriers"
    found = findings(est, None, codebook)
    assert found["group"]
    text = group_sentences(found, "barriers", _Strata(), codebook)
    assert "samenhangen met het aandeel AI-gebruikers in de groep" in text and "Tabel A4" in text
    est["block"] = "technologies"
    assert "aandeel AI-gebruikers in de groep" not in group_sentences(findings(est, None, codebook), "technologies", _Strata(), codebook)


@pytest.mark.slow
def test_findings_json_beside_every_demo_report(two_waves):
    for wave in ("2021-demo", "2023-demo"):
        path = two_waves["work"] / "results" / wave / "report" / "findings.json"
        found = json.loads(path.read_text(encoding="utf-8"))
        assert found["wave"] == wave and found["level"] and found["group"]
        assert all(f["numbers"]["q_value"] < 0.05 for f in found["group"])
        ids = {f["id"] for f in found["group"] + found["change"]}
        assert found["said"] and all(set(s["ids"]) <= ids for s in found["said"])  # every group claim traced
    changes = json.loads((two_waves["work"] / "results/2023-demo/report/findings.json").read_text())["change"]
    assert any(c["domain"] == "all" for c in changes) and any(c["domain"] != "all" for c in changes)


def test_the_trend_says_where_a_change_happened():
    from aibarometer.findings import change_by_group

    def change(domain, a, b, weight):
        return {"kind": "change", "indicator": "adopter", "label": "Gebruikt AI", "domain": domain, "direction": "up",
                "numbers": {"from": a, "to": b}, "weight": weight}

    strata = SimpleNamespace(size_noun=lambda c: {"large": "grote bedrijven", "small": "kleine bedrijven"}[c],
                             sector_noun=lambda c: "de sector informatie en communicatie",
                             size_codes=["micro", "small", "medium", "large"])
    codebook = SimpleNamespace(by_var={})
    found = {"change": [change("all", 0.23, 0.336, 10.6), change("sector:58-63", 0.572, 0.837, 26.5),
                        change("size:small", 0.214, 0.316, 10.2), change("size:large", 0.714, 0.833, 11.9)]}
    text = change_by_group(found, strata, codebook)
    assert text.startswith("Het aandeel bedrijven dat AI gebruikt, steeg ook afzonderlijk significant bij kleine bedrijven "
                           "(van 21,4% naar 31,6%), bij grote bedrijven (van 71,4% naar 83,3%) en in de sector informatie "
                           "en communicatie (NACE 58-63, van 57,2% naar 83,7%).")  # size classes in their own order
    found["change"] = found["change"][:1]
    assert "geen enkele van die veranderingen afzonderlijk significant" in change_by_group(found, strata, codebook)
    assert change_by_group({"change": []}, strata, codebook) == ""


def test_every_group_sentence_is_traced_to_its_findings():
    """findings.json 'said': each sentence about groups with the ids of the findings it rests on,
    and nothing said that is not a finding."""
    est, codebook = _wave_estimates(3)
    found = findings(est, None, codebook)
    said = []
    text = group_sentences(found, "technologies", _Strata(), codebook, record=said)
    ids = {f["id"] for f in found["group"]}
    assert said and all(set(s["ids"]) <= ids and s["sentence"] in text for s in said)
    assert " ".join(s["sentence"] for s in said) == text  # every sentence of the paragraph is traced
