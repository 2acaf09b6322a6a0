"""Snakemake's own conventions: the catalog layout, `snakemake --lint` and snakefmt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SNAKEFILES = [ROOT / "Snakefile", ROOT / "workflow" / "Snakefile", *sorted((ROOT / "workflow" / "rules").glob("*.smk"))]


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
    """The catalog's crawler looks for workflow/Snakefile; the root one only includes it."""
    assert (ROOT / "workflow" / "Snakefile").is_file()
    root = [line for line in (ROOT / "Snakefile").read_text().splitlines() if line and not line.startswith("#")]
    assert root == ['include: "workflow/Snakefile"']
    catalog = yaml.safe_load((ROOT / ".snakemake-workflow-catalog.yml").read_text())
    assert catalog["usage"]["mandatory-flags"]["flags"] is not None
    keys = set(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()))
    readme = (ROOT / "config" / "README.md").read_text(encoding="utf-8")
    assert all(f"`{k}`" in readme for k in keys), sorted(k for k in keys if f"`{k}`" not in readme)
