"""Personal data (issue 26): what a researcher's inputs may carry never reaches a message,
a log, a recorded reading or the cleaned data.

* a value is quoted only in a form its column expects (errors.quotable, an allow-list);
  anything else shows its shape and length;
* the readings (values read in a tolerated form) follow the same rule for raw and read;
* the platform metadata kept as text (DistributionChannel, UserLanguage) keeps only known
  values; anything else is blanked and counted, never a fault;
* the public demo key is refused for a wave that is not synthetic.

Unit level, plus ingest on the small corpus of tests/bad_inputs/base/ (no workflow run).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from aibarometer import check, parse, pseudonyms
from aibarometer.errors import Fault, FaultCollector, InputError, quotable, safe_value, shape, unquoted
from aibarometer.readings import Readings, apply, example

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "bad_inputs" / "base"
KEY_ENV = "AIBAROMETER_PSEUDONYM_KEY"

PLANTED = [
    "192.0.2.23",  # IPv4
    "10.0.0.1",
    "2001:db8::8a2e:370:7334",  # IPv6
    "fe80::1",
    "BE0123456789",  # enterprise numbers
    "BE 0123.456.789",
    "0123.456.789",
    "0123456789",
    "+32 470 12 34 56",  # phone numbers
    "0470 12 34 56",
    "04 70 12 34 56",
    "02/123.45.67",
    "470 123 456",
    "4 701 234",
    "1234567",
    "12.345.678",
    "Łukasz Żółćplant",  # names
    "marie-plant dubois",
    "Jan Peeters",
    "jan",
    "gaston.plant(at)example.com",  # e-mail, also obfuscated
    "gaston.plant@example.com",
    "mailto:gaston@example.com",
    "vijftig",  # free words
    "misschien",
    "n.b.",
    "62-01",
    "1e30",
]
ALLOWED = ["3", "42", "-66", "2.0", "62.01", "62010", "4711", "12,5", "1.236", "12 500", "2021-03-04",
           "2021-05-03 08:27:06", "2021-05-03T08:27", "3/05/2021 08:27", "999999"]


# ---------------------------------------------------------------------------- the rule

@pytest.mark.parametrize("value", PLANTED)
def test_planted_value_is_not_quoted(value):
    assert not quotable(value) and not safe_value(value)
    text = Fault("export.csv", "geen getal", "vul een getal in", row="regel 5", column="Q2", value=value).render()
    assert value not in text, text
    assert "waarde niet getoond" in text
    assert f"{len(value)} tekens" in text and shape(value) in text


@pytest.mark.parametrize("value", ALLOWED)
def test_allowed_form_is_quoted(value):
    assert quotable(value)
    text = Fault("export.csv", "buiten het bereik", "corrigeer", column="Q2", value=value).render()
    assert f"(waarde: {value!r})" in text


def test_personal_column_never_quoted_even_in_allowed_form():
    text = Fault("export.csv", "p", "x", column="ExternalReference", value="42", personal=True).render()
    assert "'42'" not in text and "waarde niet getoond" in text


@pytest.mark.parametrize("value", ["1234567", "123 456 7", "1.234.567", "12-34-56-7", "(047) 012-345", "1234.567"])
def test_never_seven_digits(value):
    assert not quotable(value)


@pytest.mark.parametrize("value", ["2021-13-04", "31/31/2021 08:27", "0470-12-3456", "1850-01-01"])
def test_implausible_dates_are_not_quoted(value):
    assert not quotable(value)


def test_unquoted_gives_shape_and_length():
    assert unquoted("Jan Peeters") == "vorm: 'xxx xxxxxxx', 11 tekens"
    assert unquoted("x") == "vorm: 'x', 1 teken"


def test_numpy_strings_quoted_as_plain_strings():
    text = Fault("f", "p", "x", value=np.array(["4"], dtype=object)[0]).render()
    assert "(waarde: '4')" in text


# ---------------------------------------------------------------------------- readings

def test_readings_keep_no_raw_seven_digit_value():
    arr = parse.strip(pa.array(["4 701 234", "1 236", "470 123 456", "12"]))
    parsed = parse.count(arr)
    readings = Readings()
    for mask, how in parsed.readings:
        readings.add("export.csv", "Q2", how, mask, None, np.asarray(arr.to_pylist(), dtype=object), parsed.values)
    dumped = json.dumps(readings.items, ensure_ascii=False)
    for secret in ("4 701 234", "4701234", "470 123 456", "470123456"):
        assert secret not in dumped, dumped
    examples = readings.items[0]["examples"]
    assert examples[0] == {"raw_shape": "9 999 999", "raw_length": 9, "read_shape": "9999999", "read_length": 7}
    assert examples[1] == {"raw": "1 236", "read": 1236}


def test_example_quotes_allowed_forms():
    assert example("12,5", 12.5) == {"raw": "12,5", "read": 12.5}
    assert example("3/05/2021 8:27", np.datetime64("2021-05-03T08:27:00", "s")) == {"raw": "3/05/2021 8:27",
                                                                           "read": "2021-05-03 08:27:00"}
    assert "raw" not in example("Jan", 1)


def test_check_report_shows_no_raw_value():
    """check/report.md: shapes for what the readings do not quote (also for an old record with a raw value)."""
    result = {"faults": [], "omitted": 0, "formats": {}, "flow": None, "strata": None, "key": None,
              "readings": [{"file": "export.csv", "column": "Q2", "reading": "duizendtallen", "count": 2,
                            "first_rows": ["regel 5"],
                            "examples": [example("470 123 456", 470123456), {"raw": "0470 12 34 56", "read": 470123456},
                                         example("1 236", 1236)]}],
              "blanked": [{"file": "export.csv", "column": "UserLanguage", "reason": "geen taalcode", "count": 3,
                           "first_rows": ["regel 7"]}]}
    md = check.report_md("w", result, "adjust")
    for secret in ("470 123 456", "470123456", "0470 12 34 56"):
        assert secret not in md, md
    assert "`1 236` → `1236`" in md and "vorm `999 999 999` (11 tekens)" in md
    assert "| export.csv | UserLanguage | geen taalcode | 3 | regel 7 |" in md


def test_faults_of_a_column_follow_the_rule():
    arr = parse.strip(pa.array(["12", "0470 12 34 56", "vijftig", "12.5"]))
    table = SimpleNamespace(columns={"Q2": arr}, text=lambda c: np.asarray(arr.to_pylist(), dtype=object),
                            where=lambda i: f"regel {i + 4}")
    faults, readings = FaultCollector(), Readings()
    apply(parse.count(arr), "export.csv", "Q2", table, table.where, faults, readings)
    text = InputError(faults.faults).render()
    assert "0470 12 34 56" not in text and "vijftig" not in text
    assert "(waarde: '12.5')" in text and "vorm: '9999 99 99 99', 13 tekens" in text


# ---------------------------------------------------------------------------- metadata kept as text

def test_channels_and_languages_known_values_only():
    ch = parse.channels(pa.array(["email", "Preview", "anonymous", "", "Marie Dubois", "marie@example.com",
                                  "0470 12 34 56", "gl"]))
    assert list(ch.values) == ["email", "preview", "anonymous", None, None, None, None, "gl"]
    assert [int(m.sum()) for m, _ in ch.blanked] == [3]
    lang = parse.languages(pa.array(["NL", "nl-be", "PT-BR", "ZH-S", "", "Jan", "Jan Peeters", "jan@x.be",
                                     "+32 470 12 34 56", "EN-ABCDE"]))
    assert list(lang.values) == ["NL", "NL-BE", "PT-BR", "ZH-S", None, None, None, None, None, None]
    assert [int(m.sum()) for m, _ in lang.blanked] == [5]
    free = parse.free_text(pa.array(["", "anything"]))
    assert list(free.values) == [None, None] and int(free.blanked[0][0].sum()) == 1


META = {  # planted in the corpus's export: (column, data row, value)
    "name": ("DistributionChannel", 2, "Marie-Plant Dubois"),
    "email": ("UserLanguage", 3, "gaston.plant@example.com"),
    "phone": ("UserLanguage", 5, "+32 470 12 34 56"),
    "short": ("DistributionChannel", 7, "Żółć"),
}
DURATION = (9, "4 701 234")  # a 7-digit count, read (thousands with spaces) and recorded


def planted_export(tmp: Path) -> Path:
    """base/export.csv (legacy Qualtrics CSV: three header rows) with the values above planted."""
    with open(BASE / "export.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for column, i, value in META.values():
        rows[3 + i][header.index(column)] = value
    rows[3 + DURATION[0]][header.index("Duration (in seconds)")] = DURATION[1]
    out = tmp / "inputs"
    out.mkdir()
    with open(out / "export.csv", "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    for name in ("frame.csv", "population.csv"):
        (out / name).write_bytes((BASE / name).read_bytes())
    return out


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """ingest.run (the rule's entry point) on the planted export: outputs written, nothing raised."""
    from aibarometer import ingest
    from aibarometer.config import load_config
    from aibarometer.stage import Log

    tmp = tmp_path_factory.mktemp("planted")
    inputs = planted_export(tmp)
    config = load_config(ROOT / "config" / "config.yaml")
    res = tmp / "results"
    out = SimpleNamespace(responses=str(res / "ingest/responses.parquet"), frame=str(res / "ingest/frame.parquet"),
                          population=str(res / "ingest/population.parquet"), report=str(res / "ingest/ingest_report.json"))
    inp = SimpleNamespace(export=str(inputs / "export.csv"), frame=str(inputs / "frame.csv"),
                          population=str(inputs / "population.csv"), codebook=str(ROOT / "config/codebook.yaml"))
    params = SimpleNamespace(strata=config["strata"], synthetic=True, key_env=KEY_ENV,
                             real_status_codes=config["cleaning"]["real_status_codes"])
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(KEY_ENV, raising=False)
        ingest.run(inp, out, params, Log(str(res / "logs/ingest.log")))
    return SimpleNamespace(out=out, res=res, inputs=inputs)


def test_planted_metadata_blanked_and_counted(ingested):
    responses = pd.read_parquet(ingested.out.responses)
    report = json.loads(Path(ingested.out.report).read_text())
    for column, i, _ in META.values():
        var = {"DistributionChannel": "distribution_channel", "UserLanguage": "user_language"}[column]
        assert responses[var].iloc[i] is None or pd.isna(responses[var].iloc[i]), (column, i)
    assert set(responses["distribution_channel"].dropna()) <= {"email", "preview"}
    assert set(responses["user_language"].dropna()) == {"NL"}
    counts = {b["column"]: b["count"] for b in report["blanked"]}
    assert counts == {"DistributionChannel": 2, "UserLanguage": 2}
    assert all(b["first_rows"] and "reason" in b for b in report["blanked"])


def test_planted_values_nowhere_in_the_outputs(ingested):
    secrets = [v for _, _, v in META.values()] + [DURATION[1], DURATION[1].replace(" ", "")]
    for p in ingested.res.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            for s in secrets:
                assert s.encode() not in data, (p, s)


def test_seven_digit_reading_recorded_by_shape(ingested):
    report = json.loads(Path(ingested.out.report).read_text())
    got = [r for r in report["readings"] if r["column"] == "Duration (in seconds)"]
    assert got and got[0]["count"] == 1
    assert got[0]["examples"] == [{"raw_shape": "9 999 999", "raw_length": 9, "read_shape": "9999999",
                                   "read_length": 7}]
    for r in report["readings"]:  # no quoted value with seven or more digits
        for e in r.get("examples", []):
            for side in ("raw", "read"):
                if side in e:
                    assert sum(c.isdigit() for c in str(e[side])) < 7, e


# ---------------------------------------------------------------------------- the key

def test_demo_key_refused_for_real_wave(monkeypatch):
    monkeypatch.setenv(KEY_ENV, pseudonyms.DEMO_KEY)
    with pytest.raises(InputError) as err:
        pseudonyms.pseudonym_key(KEY_ENV, synthetic=False)
    text = str(err.value)
    assert KEY_ENV in text and "openssl rand -hex 32" in text and "demosleutel" in text
    assert "1,5 miljoen" in text


@pytest.mark.parametrize("variant", [pseudonyms.DEMO_KEY + "\n", f'"{pseudonyms.DEMO_KEY}"', pseudonyms.DEMO_KEY.upper()])
def test_demo_key_variants_refused(monkeypatch, variant):
    monkeypatch.setenv(KEY_ENV, variant)
    with pytest.raises(InputError):
        pseudonyms.pseudonym_key(KEY_ENV, synthetic=False)


def test_demo_key_accepted_for_synthetic_wave(monkeypatch):
    monkeypatch.setenv(KEY_ENV, pseudonyms.DEMO_KEY)
    key, source = pseudonyms.pseudonym_key(KEY_ENV, synthetic=True)
    assert key == pseudonyms.DEMO_KEY.encode()
    monkeypatch.delenv(KEY_ENV)
    key, source = pseudonyms.pseudonym_key(KEY_ENV, synthetic=True)
    assert key == pseudonyms.DEMO_KEY.encode() and "demo" in source


def test_secret_key_accepted_for_real_wave(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "3f" * 32)
    assert pseudonyms.pseudonym_key(KEY_ENV, synthetic=False)[0] == ("3f" * 32).encode()


def test_keys_printed_in_the_documentation_are_refused(monkeypatch):
    """Any literal key the READMEs show for the variable is a public key."""
    printed = []
    for doc in (ROOT / "README.md", ROOT / "config" / "README.md"):
        text = doc.read_text(encoding="utf-8")
        printed += re.findall(rf"{KEY_ENV}=[\"']?([^\"'\s$][^\"'\s]*)", text)
    for key in printed:
        monkeypatch.setenv(KEY_ENV, key)
        with pytest.raises(InputError):
            pseudonyms.pseudonym_key(KEY_ENV, synthetic=False)


def test_choice_text_labels_quoted_in_readings():
    """A label of the code list (choice-text export) is the codebook's own word: quoted."""
    arr = parse.strip(pa.array(["Ja", "nee", "1"]))
    parsed = parse.codes(arr, {1: "Ja", 2: "Nee"})
    readings = Readings()
    for mask, how in parsed.readings:
        readings.add("export.csv", "Q5_1", how, mask, None, np.asarray(arr.to_pylist(), dtype=object), parsed.values,
                     known=frozenset({"ja", "nee"}))
    assert readings.items[0]["examples"] == [{"raw": "Ja", "read": 1}, {"raw": "nee", "read": 2}]
    assert example("Jan", 1, frozenset({"ja"})) == {"raw_shape": "xxx", "raw_length": 3, "read": 1}
