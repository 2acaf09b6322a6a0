"""A derived indicator is declared once (config/spec.yaml, derived:) and reaches the
estimates, a table, a figure and a sentence of the report with no code change."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import yaml
from pypdf import PdfReader

from aibarometer import fmt

from conftest import make_workdir, run_snakemake

pytestmark = pytest.mark.slow  # runs the workflow with a changed codebook

NEW = {"name": "uses_language_ai", "label": "Gebruikt taaltechnologie",
       "sources": ["tech_text_mining", "tech_speech", "tech_nlg"], "base": "answered", "formula": "any", "codes": [1],
       "sentence": "Taaltechnologie (tekstanalyse, spraakherkenning of tekstgeneratie) gebruikt {pct} van de bedrijven."}


def test_one_declaration_reaches_estimates_table_figure_and_report(tmp_path):
    work = make_workdir(tmp_path / "work", ["2021-demo"])
    spec_path = work / "config" / "spec.yaml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    spec["derived"].append(NEW)
    spec["tables"].append({"number": 7, "id": "language_ai_by_sector", "type": "grid", "title": "Taaltechnologie per sector",
                           "block": "technologies", "items": ["uses_language_ai"], "category": 1, "rows": "sector"})
    spec["figures"].append({"number": 13, "id": "language_ai", "type": "bars", "title": "Taaltechnologie",
                            "block": "technologies", "items": ["uses_language_ai"],
                            "series": [{"category": 1, "label": "Gebruikt"}], "domains": ["all"], "sort": "none"})
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    proc = run_snakemake(work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = work / "results" / "2021-demo"

    # estimates: the design-based share, checked by hand (weights N_h/n_h, base: answered a source)
    est = pd.read_parquet(res / "estimates" / "estimates.parquet")
    row = est[(est["indicator"] == "uses_language_ai") & (est["domain"] == "all")].iloc[0]
    r = pd.read_parquet(res / "clean" / "responses.parquet")
    src = r[NEW["sources"]].astype("float")
    base = src.notna().any(axis=1)
    hit = (src == 1).any(axis=1)
    expected = (r["weight"] * hit)[base].sum() / r["weight"][base].sum()
    assert abs(row["estimate"] - expected) < 1e-12 and row["n"] == base.sum()
    assert row["category_label"] == NEW["label"]
    assert est[est["indicator"] == "uses_language_ai"]["domain"].nunique() == est["domain"].nunique()

    table = pd.read_csv(res / "tables" / "table7.csv")
    assert set(table["item_label"]) == {NEW["label"]} and len(table) == 10  # nine sectors and the total

    alt = {f["number"]: f["alt"] for f in json.loads((res / "figures" / "figures.json").read_text())}
    assert NEW["label"].lower() in alt[13].lower() and fmt.pct(row["estimate"]) in alt[13]
    assert (res / "figures" / "figure13.svg").is_file()

    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(res / "report" /
                                                                                  "ai-barometer-2021-demo.pdf").pages))
    assert NEW["sentence"].format(pct=fmt.pct(row["estimate"])) in text
    assert np.isfinite(row["se"]) and row["se"] > 0
