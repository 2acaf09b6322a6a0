"""The questionnaire as data: schema, completeness for the report, personal data marked."""

import pytest

from aibarometer.config import load_codebook
from aibarometer.errors import InputError

TECHS = ["text_mining", "speech", "nlg", "image", "machine_learning", "process_automation", "autonomous"]


def test_codebook_validates(codebook):
    assert len(codebook.items) == len({i.column for i in codebook.items}) == len({i.var for i in codebook.items})


def test_covers_the_report(codebook):
    v = codebook.by_var
    assert [f"tech_{t}" for t in TECHS] == [i.var for i in codebook.technology_items]
    assert all(v[f"tech_{t}"].codes == {1: "Gebruikt dit nu", 2: "Plant dit binnen het jaar", 3: "Geen van beide"} for t in TECHS)
    assert len(codebook.block_items("barriers")) == 10
    assert len([i for i in codebook.block_items("applications") if i.var != "app_none"]) == 10
    assert len(codebook.block_items("sources")) == 5
    gaps = codebook.block_items("knowledge")
    assert len(gaps) >= 5 and all(9 in i.codes and "Weet niet" in i.codes[9] for i in gaps)
    for var in ("budget_change", "comp_new_products_pct", "emp_low_educated_pct", "emp_high_educated",
                "knows_action_plan", "init_federation_sessions", "employees", "nace", "enterprise_number"):
        assert var in v
    assert v["comp_new_products_pct"].type == "percentage" and v["comp_new_products_pct"].condition["var"] == "comp_new_products"
    adopters_only = {i.block for i in codebook.items if i.routing == "adopters"}
    assert adopters_only == {"applications", "sources", "budget", "competitiveness", "employment"}


def test_personal_data_marked(codebook):
    personal = {i.column for i in codebook.personal}
    assert {"IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
            "LocationLatitude", "LocationLongitude", "Q14", "Q15"} <= personal
    assert not {"ResponseId", "Q4_1"} & personal


def test_broken_codebook_is_reported(tmp_path, root):
    text = (root / "config" / "codebook.yaml").read_text()
    text = text.replace("routing: all, label: \"Spraakherkenning\"", "routing: everyone, label: \"Spraakherkenning\"")
    bad = tmp_path / "codebook.yaml"
    bad.write_text(text)
    with pytest.raises(InputError) as err:
        load_codebook(bad)
    assert "everyone" in str(err.value)


def test_unknown_code_list_is_reported(tmp_path, root):
    """On its own (a schema error would stop before this check is reached)."""
    text = (root / "config" / "codebook.yaml").read_text().replace("codes: tech_use", "codes: tech_usage", 1)
    bad = tmp_path / "codebook.yaml"
    bad.write_text(text)
    with pytest.raises(InputError) as err:
        load_codebook(bad)
    assert "onbekende codelijst 'tech_usage'" in str(err.value) and "kolom 'Q4_1'" in str(err.value)
