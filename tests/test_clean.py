"""Ingest and clean on the demo wave: the flow adds up, nothing personal gets through."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aibarometer import demo
from aibarometer.ingest import DEMO_KEY, ingest, read_export

SIZES = ["micro", "small", "medium", "large"]


@pytest.mark.slow
def test_flow_reads_like_the_2021_report(demo_run):
    flow = pd.read_csv(demo_run / "clean" / "flow.csv").set_index("step")["count"]
    assert flow["sampled"] == 14274
    assert flow["undeliverable"] == 1656
    assert flow["reached"] == 12618
    assert flow["responses"] == 2741
    assert flow["excluded"] == 1024
    assert flow["usable"] == 1717
    assert sum(flow[f"excluded_{r}"] for r in "abcd") == 1024


@pytest.mark.slow
def test_exclusions_match_what_the_generator_intended(demo_run, root):
    # the generator knows which rule it meant for each raw response id; the
    # pipeline only sees pseudonyms, so compare the per-rule counts and hits
    intended = pd.read_csv(root / "resources/demo/2021/intended_exclusions.csv", keep_default_na=False)
    ex = pd.read_csv(demo_run / "clean" / "exclusions.csv", keep_default_na=False)
    assert ex["rule"].value_counts().to_dict() == intended[intended["rule"] != ""]["rule"].value_counts().to_dict()
    assert sorted(ex["rules"]) == sorted(intended.loc[intended["rule"] != "", "rules"])
    assert (ex["evidence"] != "").all() and (ex["reason"] != "").all()


@pytest.mark.slow
def test_usable_per_stratum_equals_table2(demo_run, reference):
    t2 = pd.read_csv(demo_run / "clean" / "table2.csv").set_index(["size_class", "sector"])["usable"]
    secs = [s["code"] for s in reference["sectors"]]
    for size in SIZES:
        assert [t2[(size, s)] for s in secs] == reference["table2_responses"][size]


@pytest.mark.slow
def test_every_response_is_accounted_for(demo_run):
    usable = pd.read_parquet(demo_run / "clean" / "responses.parquet")
    ex = pd.read_csv(demo_run / "clean" / "exclusions.csv")
    ing = pd.read_parquet(demo_run / "ingest" / "responses.parquet")
    assert set(usable["response_pid"]).isdisjoint(ex["response_pid"])
    assert set(usable["response_pid"]) | set(ex["response_pid"]) == set(ing["response_pid"])
    assert len(usable) + len(ex) == len(ing) == 2749


@pytest.mark.slow
def test_weights(demo_run, reference):
    r = pd.read_parquet(demo_run / "clean" / "responses.parquet")
    assert r["weight"].sum() == pytest.approx(reference["table1_population"]["total"])
    assert np.allclose(r["weight"], r["N_h"] / r["n_h"])
    assert r.groupby("stratum")["n_h"].first().sum() == 1717
    lonely = r[r["n_h"] == 1]
    assert list(lonely["stratum"]) == ["35-39 | micro"]


@pytest.mark.slow
def test_typed_columns(demo_run, codebook):
    r = pd.read_parquet(demo_run / "clean" / "responses.parquet")
    assert str(r["tech_text_mining"].dtype) == "Int8"  # the smallest type its codes fit
    assert r["employees"].dtype == float
    assert set(r["tech_text_mining"].dropna().unique()) <= {1, 2, 3}
    # routing: adopter-only blocks are empty for non-adopters
    assert r.loc[~r["adopter"], "budget_change"].isna().all()
    assert r.loc[r["comp_new_products"] != 1, "comp_new_products_pct"].isna().all()


def _personal_values(root: Path, codebook) -> set[str]:
    wave, _ = demo.generate("2021")
    values = set()
    for item in codebook.personal:
        values |= {v.strip() for v in wave.export[item.column] if v and v.strip()}
    values |= set(wave.export["ResponseId"])
    values |= {v for v in wave.export["ExternalReference"]}
    values |= {v.strip() for v in wave.export["Q1"] if v.strip()}
    values |= set(wave.frame["contactpersoon"]) | set(wave.frame["email"]) | set(wave.frame["naam"])
    values |= set(wave.frame["ondernemingsnummer"]) | set(wave.frame["ondernemingsnummer"].str.replace(".", "", regex=False))
    return {v for v in values if len(v) >= 6}


def _text_of(path: Path) -> str:
    if path.suffix == ".parquet":
        return pd.read_parquet(path).to_csv()
    if path.suffix == ".xlsx":
        return "\n".join(df.to_csv() for df in pd.read_excel(path, sheet_name=None).values())
    if path.suffix == ".pdf":
        from pypdf import PdfReader
        return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages) + path.read_bytes().decode("latin-1")
    return path.read_bytes().decode("utf-8", errors="replace")


def _as_token(value: str, text: str) -> bool:
    """Numbers (coordinates, enterprise numbers) count only as whole numbers, not as digits inside
    another number (3.26493 is inside 13.2649301, a standard error)."""
    if not re.fullmatch(r"[\d.]+", value):
        return True
    return re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", text) is not None


def find_personal(files: list[Path], values: set[str]) -> dict[Path, list[str]]:
    hits = {}
    for path in files:
        text = _text_of(path)
        # a value can only occur where its first six characters occur
        grams = {text[i:i + 6] for i in range(len(text) - 5)}
        found = [v for v in values if v[:6] in grams and v in text and _as_token(v, text)]
        if found:
            hits[path] = found
    return hits


@pytest.mark.slow
def test_no_personal_data_under_results(demo_run, root, codebook):
    values = _personal_values(root, codebook)
    assert len(values) > 10000
    files = [p for p in demo_run.rglob("*") if p.is_file()]
    assert len(files) >= 8
    assert find_personal(files, values) == {}


@pytest.mark.slow
def test_the_personal_data_scan_can_fail(tmp_path, demo_run, root, codebook):
    values = _personal_values(root, codebook)
    leaked = sorted(v for v in values if "@example" in v)[0]
    df = pd.read_parquet(demo_run / "clean" / "responses.parquet").head(3)
    df["note"] = ["", leaked, ""]
    df.to_parquet(tmp_path / "leak.parquet")
    hits = find_personal([tmp_path / "leak.parquet"], values)
    assert leaked in hits[tmp_path / "leak.parquet"]


@pytest.mark.slow  # generates the demo wave and ingests it twice per format
@pytest.mark.parametrize("fmt", ["single", "sav", "choice"])
def test_other_export_formats_give_the_same_data(tmp_path, root, codebook, strata, fmt):
    wave, cb = demo.generate("2021")
    demo.write_wave(wave, cb, tmp_path, ("legacy", fmt))
    other = tmp_path / {"single": "export_single.csv", "sav": "export.sav", "choice": "export_choice_text.csv"}[fmt]
    key = DEMO_KEY.encode()
    args = (tmp_path / "frame.csv", tmp_path / "population.csv", codebook, strata, key)
    legacy = ingest(tmp_path / "export_legacy.csv", *args)[0]
    alt = ingest(other, *args)[0]
    pd.testing.assert_frame_equal(legacy, alt, check_dtype=True)
    assert read_export(other, codebook)[1]["format"] != read_export(tmp_path / "export_legacy.csv", codebook)[1]["format"]


def test_pseudonym_key_comes_from_outside(monkeypatch):
    import pandas as pd

    from aibarometer.errors import InputError
    from aibarometer.ingest import DEMO_KEY, pseudonym_key, pseudonymise

    monkeypatch.delenv("AIBAROMETER_PSEUDONYM_KEY", raising=False)
    with pytest.raises(InputError, match="AIBAROMETER_PSEUDONYM_KEY"):
        pseudonym_key("AIBAROMETER_PSEUDONYM_KEY", synthetic=False)  # a real wave never falls back
    assert pseudonym_key("AIBAROMETER_PSEUDONYM_KEY", synthetic=True)[0] == DEMO_KEY.encode()
    monkeypatch.setenv("AIBAROMETER_PSEUDONYM_KEY", "s3cret")  # brute-forceable: refused for a real wave
    with pytest.raises(InputError, match="te kort.*6 bytes.*minstens 32"):
        pseudonym_key("AIBAROMETER_PSEUDONYM_KEY", synthetic=False)
    secret = "k" * 31 + "!"
    monkeypatch.setenv("AIBAROMETER_PSEUDONYM_KEY", secret)
    key, source = pseudonym_key("AIBAROMETER_PSEUDONYM_KEY", synthetic=False)
    assert key == secret.encode() and "AIBAROMETER_PSEUDONYM_KEY" in source
    ids = pd.Series(["R_abc", "R_abc", "R_def"])
    ours, demo = pseudonymise(ids, key, "response"), pseudonymise(ids, DEMO_KEY.encode(), "response")
    assert ours[0] == ours[1] != ours[2] and ours[0] != demo[0] and "R_abc" not in ours[0]


@pytest.mark.parametrize("key_bytes", [32, 64, 65, 200])  # shorter than, equal to and longer than a block
def test_pseudonyms_are_hmac_sha256_of_kind_and_value(key_bytes):
    """pseudonym_map builds HMAC-SHA256 from copied SHA-256 states (for speed): it must be
    the standard HMAC, so a pseudonym can be recomputed with any HMAC implementation."""
    import hmac

    from aibarometer.pseudonyms import pseudonym_map

    key = bytes(range(256))[:key_bytes]
    values = ["0123456789", 98765, "R_é x", "0123456789"]
    got = pseudonym_map(values, key, "enterprise")
    assert len(got) == 3
    for v, p in got.items():
        assert p == "e_" + hmac.digest(key, f"enterprise:{v}".encode(), "sha256").hex()[:16]
