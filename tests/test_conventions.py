"""Snakemake's own conventions: the catalog layout, `snakemake --lint` and snakefmt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SNAKEFILES = [ROOT / "workflow" / "Snakefile", *sorted((ROOT / "workflow" / "rules").glob("*.smk"))]


def test_lint_finds_nothing():
    proc = subprocess.run([str(BIN / "snakemake"), "--lint"], cwd=ROOT, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Lints for" not in out and "good condition" in out, out


def test_snakefmt_leaves_every_snakefile_unchanged():
    proc = subprocess.run([str(BIN / "snakefmt"), "--check", *map(str, SNAKEFILES)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_catalog_layout():
    """The catalog's crawler looks for workflow/Snakefile, and so does `snakemake` run from the
    root (no root Snakefile: an include there would drop the default target)."""
    assert (ROOT / "workflow" / "Snakefile").is_file() and not (ROOT / "Snakefile").exists()
    dry = subprocess.run([str(BIN / "snakemake"), "-n", "--forceall"], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0 and "manifest" in dry.stdout, dry.stdout[-2000:] + dry.stderr[-2000:]
    catalog = yaml.safe_load((ROOT / ".snakemake-workflow-catalog.yml").read_text())
    assert catalog["usage"]["mandatory-flags"]["flags"] is not None
    keys = set(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()))
    readme = (ROOT / "config" / "README.md").read_text(encoding="utf-8")
    assert all(f"`{k}`" in readme for k in keys), sorted(k for k in keys if f"`{k}`" not in readme)


@pytest.mark.slow
def test_snakemake_report_holds_figures_tables_and_pdf_of_every_wave(two_waves):
    """`snakemake --report results/report.zip` after a run: a browsable archive with the
    twelve figures, the tables, the checks and the PDF of both waves."""
    import zipfile

    from conftest import run_snakemake

    work = two_waves["work"]
    proc = run_snakemake(work, "--report", "results/report.zip")
    assert proc.returncode == 0, proc.stderr[-3000:]
    archive = zipfile.ZipFile(work / "results" / "report.zip")
    files = [n.rsplit("/", 1)[-1] for n in archive.namelist() if "/data/raw/" in n]
    for n in range(1, 13):  # one per wave
        assert files.count(f"figure{n:02d}.svg") == 2, n
    for name in ("tables.xlsx", "flow.csv", *(f"table{n}.csv" for n in range(1, 7))):
        assert files.count(name) == 2, name
    assert files.count("reference_check.csv") == 1  # the 2021 wave has published figures
    assert {"ai-barometer-2021-demo.pdf", "ai-barometer-2023-demo.pdf"} <= set(files)
    page = archive.read("report/report.html").decode("utf-8")
    assert "2021-demo" in page and "2023-demo" in page  # one category per wave


@pytest.mark.slow
def test_one_version_in_package_changelog_readme_manifest_and_colophon(demo_run):
    """The release is written once (aibarometer.__version__); the installed metadata, the
    changelog, the README, the run manifest and the report's colophon all show it."""
    import json
    import re
    from importlib import metadata

    from pypdf import PdfReader

    import aibarometer

    version = aibarometer.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    assert metadata.version("aibarometer") == version  # pyproject.toml reads it from the package
    assert f"## [{version}] - " in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"**Version {version}**" in (ROOT / "README.md").read_text(encoding="utf-8")
    manifest = json.loads((demo_run / "manifest.json").read_text(encoding="utf-8"))
    assert version in json.dumps(manifest), "the manifest does not name the release"
    pdf = demo_run / "report" / "ai-barometer-2021-demo.pdf"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(pdf).pages[-3:]))
    assert f"versie {version}" in text
