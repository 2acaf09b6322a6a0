"""Real exports that we did not write: public fixtures of other projects, read without a
crash and refused with a clear message because their questionnaire is not ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from aibarometer.errors import InputError
from aibarometer.ingest import read_export, read_export_table
from aibarometer.errors import FaultCollector

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = ROOT / "tests" / "fixtures" / "external"  # sources and licences: SOURCES.md there

CSV_LAYOUTS = {  # file -> (header rows, layout the reader must recognise, a column it must find)
    "qualtrics/sample.csv": (3, "qualtrics legacy csv", "ResponseId"),
    "qualtrics/sample_legacy.csv": (2, "qualtrics csv, old layout", "V1"),
}


@pytest.mark.parametrize("name", sorted(CSV_LAYOUTS))
def test_qualtrics_fixtures_header_rows_are_read_right(name, codebook):
    rows, kind, column = CSV_LAYOUTS[name]
    faults = FaultCollector()
    table = read_export_table(EXTERNAL / name, codebook, faults)
    assert not faults.faults
    assert table.format["header_rows"] == rows and table.format["kind"].startswith(kind)
    assert len(table) == 1  # one response: the header rows did not become data
    assert column in table.columns
    assert not any(v.startswith('{"ImportId"') for col in table.columns.values() for v in col.to_pylist())


@pytest.mark.parametrize("name", sorted(CSV_LAYOUTS) + ["pyreadstat/sample.sav", "pyreadstat/sample_missing.sav"])
def test_foreign_exports_stop_with_a_missing_columns_message(name, codebook):
    with pytest.raises(InputError) as err:
        read_export(EXTERNAL / name, codebook)
    text = str(err.value)
    assert err.value.total == 1, text  # one message for another questionnaire, not one per column
    assert "verplichte kolommen ontbreken" in text and "andere vragenlijst" in text
    assert f"bestand {EXTERNAL / name}" in text and "oplossing:" in text
    if name.endswith("sample_legacy.csv"):
        assert "oude Qualtrics-indeling" in text


def test_sources_and_licences_are_kept():
    sources = (EXTERNAL / "SOURCES.md").read_text()
    for name in list(CSV_LAYOUTS) + ["pyreadstat/sample.sav", "pyreadstat/sample_missing.sav"]:
        assert Path(name).name in sources and (EXTERNAL / name).is_file()
    assert (EXTERNAL / "qualtrics" / "LICENSE").is_file() and (EXTERNAL / "pyreadstat" / "LICENSE").is_file()
