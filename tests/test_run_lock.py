"""One run at a time: every run holds a lock of its own (an flock on
.snakemake/aibarometer-run.lock) for its whole life, and `make run` or a second Snakemake
refuses to start while it is held, however the first run was started."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aibarometer import recover
from conftest import ROOT, make_workdir

BIN = Path(sys.executable).parent
HOLD = ("import sys, time; from pathlib import Path; from aibarometer.recover import hold_run_lock; "
        "hold_run_lock(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)")


def test_the_lock_is_seen_while_held_and_free_after_its_process_ends(tmp_path):
    assert recover.holder(tmp_path) is None
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        who = recover.holder(tmp_path)
        assert who is not None and f"pid {child.pid}" in who
        with pytest.raises(recover.RunActive, match=f"pid {child.pid}"):
            recover.hold_run_lock(tmp_path)
        assert recover.main(tmp_path) == 1  # what `make run` runs first: refused
    finally:
        child.kill()  # as kill -9: the kernel frees the lock
        child.wait()
    assert recover.holder(tmp_path) is None
    assert recover.main(tmp_path) == 0


def test_snakemake_started_with_python_m_is_seen_as_running(tmp_path):
    """A run started as `python -m snakemake` counts as a Snakemake process of this directory
    (the lock of Snakemake itself is never removed from under it)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "-m", "snakemake"], cwd=tmp_path)
    fake = subprocess.Popen([sys.executable, "-m", "snakemake", "--version"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 5
        while fake.pid not in recover.snakemake_running_here(tmp_path) and fake.poll() is None:
            assert time.time() < deadline
            time.sleep(0.01)
    finally:
        for p in (child, fake):
            p.kill()
            p.wait()


@pytest.mark.slow
@pytest.mark.parametrize("first", ["snakemake", "python -m snakemake"])
def test_a_second_run_is_refused_while_one_runs(tmp_path, first):
    from test_failed_runs import CORPUS, wave_file

    work = make_workdir(tmp_path / "work", ["mini"])
    (work / "inputs").mkdir()
    for f in ("export.csv", "frame.csv", "population.csv"):
        shutil.copyfile(CORPUS / "base" / f, work / "inputs" / f)
    wave_file(work, "mini", {k: f"inputs/{k}.csv" for k in ("export", "frame", "population")})
    cmd = [str(BIN / "snakemake")] if first == "snakemake" else [sys.executable, "-m", "snakemake"]
    run = subprocess.Popen([*cmd, "--cores", "1"], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    try:
        deadline = time.time() + 120
        while recover.holder(work) is None:
            assert run.poll() is None and time.time() < deadline, "the run ended before it held its lock"
            time.sleep(0.05)
        again = subprocess.run(["make", "-f", str(ROOT / "Makefile"), "run", f"BIN={BIN}", "CORES=1"], cwd=work,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode != 0
        assert "er loopt al een run van de workflow in deze map" in again.stderr
        assert (work / ".snakemake" / "locks").is_dir() and any((work / ".snakemake" / "locks").iterdir())
        direct = subprocess.run([str(BIN / "snakemake"), "--cores", "1", "--forcerun", "manifest"], cwd=work,
                                capture_output=True, text=True, timeout=120)
        assert direct.returncode != 0
        assert "er loopt al een run" in direct.stdout + direct.stderr or "cannot be locked" in direct.stderr
    finally:
        out, _ = run.communicate(timeout=600)
    assert run.returncode == 0, out[-3000:]
    assert (work / "results/mini/manifest.json").is_file()
