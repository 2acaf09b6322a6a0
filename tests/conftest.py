"""Shared fixtures: the repository root, the config, and one demo-wave workflow run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def config():
    from aibarometer.config import load_config
    return load_config(ROOT / "config" / "config.yaml")


@pytest.fixture(scope="session")
def codebook():
    """The 2021 questionnaire with the spec's derived indicators (as the stages load it)."""
    from aibarometer.indicators import load
    return load(ROOT / "config" / "codebook.yaml", ROOT / "config" / "spec.yaml")


@pytest.fixture(scope="session")
def strata(config):
    from aibarometer.strata import Strata
    return Strata(config["strata"])


@pytest.fixture(scope="session")
def reference():
    return yaml.safe_load((ROOT / "resources" / "reference" / "ai-barometer-2021.yaml").read_text())


def make_workdir(tmp: Path, waves: list[str] | None = None) -> Path:
    """A working directory that shares the code and inputs but has its own results/."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("workflow", "resources", "profiles"):
        (tmp / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "config", tmp / "config")
    if waves:
        cfg = yaml.safe_load((tmp / "config" / "config.yaml").read_text())
        cfg["waves"] = waves
        (tmp / "config" / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
    return tmp


def run_snakemake(workdir: Path, *args: str, timeout: int = 900, env: dict | None = None):
    return subprocess.run([str(SNAKEMAKE), "--cores", "2", "-d", str(workdir), "-s", str(workdir / "workflow" / "Snakefile"), *args],
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """Run the whole workflow once on the demo wave; tests read its results."""
    work = make_workdir(tmp_path_factory.mktemp("demo") / "work", ["2021-demo"])
    proc = run_snakemake(work)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work / "results" / "2021-demo"


@pytest.fixture(scope="session")
def two_waves(demo_run, tmp_path_factory):
    """Both demo waves, the 2021 one taken over from the demo run (results and Snakemake's
    records): adding 2023 must plan, and then compute, only the new wave."""
    work = make_workdir(tmp_path_factory.mktemp("two") / "work", ["2021-demo", "2023-demo"])
    shutil.copytree(demo_run, work / "results" / "2021-demo")
    shutil.copytree(demo_run.parents[1] / ".snakemake" / "metadata", work / ".snakemake" / "metadata")
    dry = run_snakemake(work, "-n")
    assert dry.returncode == 0, dry.stderr[-3000:]
    proc = run_snakemake(work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {"work": work, "planned": dry.stdout + dry.stderr}


def render_report_html(results: Path, wave: dict, config, codebook, strata, collapsed=None) -> str:
    """The report's HTML for a wave dict, from a run's results (no PDF): for tests that change
    one input of the template, such as the wave file or the collapsed strata."""
    import json

    import pandas as pd

    from aibarometer.report import (build_context, eurostat_context, findings_context, method_context, render_html,
                                    trend_context)
    from aibarometer.spec import Estimates, bases_by_block, load_spec

    from aibarometer.catalog import Catalog

    spec = load_spec(ROOT / "config" / "spec.yaml")
    work, name = results.parents[1], results.name
    files = {k: (work / v if isinstance(v, str) else [work / p for p in v])
             for k, v in Catalog.from_spec(spec).report_inputs(name).items()}
    est = Estimates(pd.read_parquet(files["estimates"]))
    bases = bases_by_block(pd.read_csv(files["bases"]))
    tables = {t["number"]: pd.read_parquet(path) for t, path in zip(spec["tables"], files["tables"])}
    figures = json.loads(files["figures"].read_text())
    collapsed = pd.read_csv(files["collapsed"]) if collapsed is None else collapsed
    ctx = build_context(wave, est, bases, pd.read_csv(files["flow"]), tables, figures, spec, codebook,
                        strata, config, pd.read_csv(files["exclusions"]), collapsed, pd.read_csv(files["design"]))
    trend = pd.read_parquet(files["trend"])
    ctx["trend"] = trend_context(trend, ctx["N"], wave, {})
    ctx["method"] = method_context(tables[1], strata, codebook, ctx["trend"], {})
    ctx.update(findings_context(est.df, trend, codebook, strata))
    ctx["authors"] = {}
    ctx["eurostat"] = eurostat_context(ROOT / "resources" / "eurostat" / "isoc_eb_ai.csv", ctx["N"], wave["year"])
    ctx["css"] = ""
    return render_html(ctx)
