"""Several waves: trend arithmetic, changed questions, the manifest, incremental runs."""

import hashlib
import json
import re

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader
from scipy import stats

from aibarometer.indicators import load
from aibarometer.trend import compare, definition_change



def load_codebook(path, root):
    """A questionnaire with the spec's derived indicators, as the trend stage loads it."""
    return load(path, root / "config" / "spec.yaml")


def _est(p, se, indicator="adopter", category="1"):
    return pd.DataFrame([{"indicator": indicator, "category": category, "domain": "all", "category_label": "x",
                          "estimate": p, "se": se, "n": 1000}])


def test_trend_arithmetic_by_hand(root):
    cb = load_codebook(root / "config" / "codebook.yaml", root)
    out = compare(_est(0.20, 0.01), _est(0.26, 0.02), cb, cb, [{"indicator": "adopter", "category": 1}], "a", "b")
    r = out.iloc[0]
    se = np.sqrt(0.01 ** 2 + 0.02 ** 2)  # independent samples: variances add
    assert r["change"] == pytest.approx(0.06)
    assert r["se_change"] == pytest.approx(se)
    assert r["ci_low"] == pytest.approx(0.06 - 1.959964 * se, abs=1e-6)
    assert r["ci_high"] == pytest.approx(0.06 + 1.959964 * se, abs=1e-6)
    assert r["p_value"] == pytest.approx(2 * stats.norm.sf(0.06 / se))
    assert r["significant"] and r["comparable"]
    small = compare(_est(0.20, 0.01), _est(0.21, 0.02), cb, cb, [{"indicator": "adopter", "category": 1}], "a", "b")
    assert not small.iloc[0]["significant"]


def test_changed_questions_are_not_compared(root, tmp_path):
    a = load_codebook(root / "config" / "codebook.yaml", root)
    b = load_codebook(root / "config" / "codebook-2023.yaml", root)
    assert definition_change("tech_image", a, b) == ""
    assert definition_change("adopter", a, b) == ""
    note = definition_change("app_ict_security", a, b)
    assert note == "bij de vraag naar toepassingen kwam er een antwoordmogelijkheid bij: het genereren van tekst, beeld of code"
    assert "niet gevraagd" in definition_change("app_generative_content", a, b)
    # a recoded answer scale is a changed definition too
    text = (root / "config" / "codebook.yaml").read_text().replace('3: "Geen gebrek"', '3: "Geen enkel gebrek"')
    (tmp_path / "cb.yaml").write_text(text)
    c = load_codebook(tmp_path / "cb.yaml", root)
    assert "gewijzigd" in definition_change("gap_ai_landscape", a, c)
    out = compare(_est(0.3, 0.02, "app_ict_security"), _est(0.32, 0.02, "app_ict_security"), a, b,
                  [{"indicator": "app_ict_security", "category": 1}], "2021", "2023")
    assert not out.iloc[0]["comparable"] and np.isnan(out.iloc[0]["change"])


@pytest.mark.slow
def test_manifest_checksums(demo_run, root):
    m = json.loads((demo_run / "manifest.json").read_text())
    assert m["wave"] == "2021-demo" and m["synthetic"] is True
    for name in ("export", "frame", "population", "codebook"):
        entry = m["inputs"][name]
        assert entry["sha256"] == hashlib.sha256((root / entry["path"]).read_bytes()).hexdigest()
    for path, digest in m["outputs"].items():
        assert hashlib.sha256((demo_run.parents[1] / path).read_bytes()).hexdigest() == digest
    assert m["versions"]["weasyprint"] and m["versions"]["pandas"]
    assert m["run"]["started"] and m["run"]["finished"] >= m["run"]["started"]
    assert "lonely_psu" in m["config"]["estimation"]


@pytest.mark.slow
def test_adding_a_wave_only_computes_what_is_new(two_waves):
    work = two_waves["work"]
    planned = re.findall(r"wildcards: wave=(\S+)", two_waves["planned"])
    assert planned and set(planned) == {"2023-demo"}
    text = " ".join(p.extract_text() or "" for p in
                    PdfReader(work / "results/2023-demo/report/ai-barometer-2023-demo.pdf").pages)
    assert "Evolutie sinds 2021" in text and "Tabel 7" in text
    first_report = " ".join(p.extract_text() or "" for p in
                            PdfReader(work / "results/2021-demo/report/ai-barometer-2021-demo.pdf").pages)
    assert "Evolutie sinds" not in first_report
    trend = pd.read_csv(work / "results/2023-demo/trend/trend.csv")
    assert (~trend["comparable"]).sum() >= 1 and trend["comparable"].sum() >= 8
