"""An interrupted run: `kill -9` in the middle of the report rule, then the README's command
(`make demo` runs `make run` after setup) completes the run, and every output equals an
uninterrupted run's."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SNAKEMAKE, make_workdir

pytestmark = pytest.mark.slow  # kills and reruns the workflow

BIN = Path(sys.executable).parent


def report_running(work: Path) -> bool:
    marks = work / ".snakemake" / "incomplete"
    for f in marks.rglob("*") if marks.is_dir() else []:
        try:
            if b"/report/ai-barometer" in base64.urlsafe_b64decode(f.name + "=" * (-len(f.name) % 4)):
                return True
        except ValueError:
            continue
    return False


def test_a_killed_run_is_completed_by_the_readme_command(tmp_path, demo_run):
    work = make_workdir(tmp_path / "work", ["2021-demo"])
    proc = subprocess.Popen([str(SNAKEMAKE), "--cores", "2"], cwd=work, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while not report_running(work):
        assert proc.poll() is None and time.time() < deadline, "the run ended before the report rule started"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert any((work / ".snakemake" / "locks").iterdir()), "a hard kill leaves the lock behind"

    again = subprocess.run(["make", "-f", str(ROOT / "Makefile"), "run", f"BIN={BIN}", "CORES=2"], cwd=work,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    assert "lock was removed" in again.stdout
    ours = work / "results" / "2021-demo"
    files = sorted(p.relative_to(demo_run) for p in demo_run.rglob("*") if p.is_file()
                   and "logs" not in p.parts and p.name != "manifest.json")
    assert files == sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file()
                           and "logs" not in p.parts and p.name != "manifest.json")
    for rel in files:
        assert (ours / rel).read_bytes() == (demo_run / rel).read_bytes(), rel
