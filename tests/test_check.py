"""The pre-flight check: `snakemake --cores 1 check` reports every wave's faults and
tolerances without estimating, and exits non-zero when a wave has faults."""

from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import ROOT, make_workdir, run_snakemake

pytestmark = pytest.mark.slow  # runs `snakemake check` on two waves

CORPUS = ROOT / "tests" / "bad_inputs"


def add_wave(work, name: str, case: str | None) -> None:
    """A wave made of the corpus base with a case's files on top."""
    inputs = work / "inputs" / name
    inputs.mkdir(parents=True)
    for f in ("export.csv", "frame.csv", "population.csv"):
        src = CORPUS / case / f if case and (CORPUS / case / f).exists() else CORPUS / "base" / f
        shutil.copyfile(src, inputs / f)
    wave = yaml.safe_load((ROOT / "config/waves/2021-demo.yaml").read_text(encoding="utf-8"))
    wave.pop("reference")
    wave.update(wave=name, inputs={k: f"inputs/{name}/{k}.csv" for k in ("export", "frame", "population")})
    (work / "config/waves" / f"{name}.yaml").write_text(yaml.safe_dump(wave, allow_unicode=True), encoding="utf-8")


def test_check_reports_faults_tolerances_flow_and_strata(tmp_path):
    work = make_workdir(tmp_path / "work", ["ok", "bad"])
    add_wave(work, "ok", "export_excel_resave")
    add_wave(work, "bad", "export_many_faults")
    proc = run_snakemake(work, "check")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "golf bad: 5 fouten" in out and "Traceback" not in out

    ok = (work / "results/ok/check/report.md").read_text()
    assert "**In orde**" in ok
    assert "codering: Windows-1252" in ok and "scheidingsteken: puntkomma" in ok
    assert "| Bruikbare antwoorden | 38 |" in ok and "Vooraf verwijderd (v)" in ok
    assert "met één bruikbaar antwoord" in ok

    bad = (work / "results/bad/check/report.md").read_text()
    assert "**5 fouten**" in bad
    for problem in ("onbekende antwoordcode", "geen getal", "buiten het toegelaten bereik", "ongeldige NACE-code",
                    "ongeldige datum/tijd"):
        assert problem in bad
    # nothing was estimated
    assert not (work / "results/ok/estimates").exists() and not (work / "results/bad/ingest").exists()

    # all waves fine: exit 0
    shutil.rmtree(work / "inputs" / "bad")
    add_wave(work, "bad", "export_number_forms")
    proc = run_snakemake(work, "check")
    assert proc.returncode == 0, proc.stderr[-3000:]
    fixed = (work / "results/bad/check/report.md").read_text()
    assert "duizendtallen gescheiden door spaties" in fixed and "**In orde**" in fixed
