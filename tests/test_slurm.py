"""The workflow under SLURM (profiles/slurm), on a real one-node cluster started here.

tests/slurm/minislurm.py starts munged, slurmctld and slurmd on this machine
(installing Debian's slurmd, slurmctld, slurm-client and munge when missing)
and stops them by PID when the module's tests end, pass or fail.

Skipped, with the reason, where that cannot be done (not root, no apt-get or no
package access, daemons that do not come up, a real /etc/slurm/slurm.conf).
Never skipped where it must run: with CI set and as root (CI's machine), or with
AIBAROMETER_SLURM_TEST=require, a SLURM that cannot be started fails the test.
AIBAROMETER_SLURM_TEST=skip skips it everywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, SNAKEMAKE, make_workdir, run_snakemake

sys.path.insert(0, str(Path(__file__).parent / "slurm"))
from minislurm import MiniSlurm, SlurmUnavailable, ensure_packages  # noqa: E402

pytestmark = pytest.mark.slow  # the workflow on a simulated SLURM cluster

WAVE = "2021-demo"
# Up to the tables and the reference check: every stage whose results are data.
TARGETS = [f"results/{WAVE}/estimates/estimates.parquet",
           f"results/{WAVE}/tables/tables.xlsx",
           f"results/{WAVE}/validation/reference_check.csv"]
PROFILE = ROOT / "profiles" / "slurm"
# On top of the profile: a cluster without accounting (job states from squeue, as
# sacct fails and the plugin would poll forever; no account to guess) and a short
# test (first status check after 1 s, not 40 s). The plugin then polls 1 s, 11 s,
# 21 s, ... after a submission until a job has finished, whatever
# --seconds-between-status-checks says: about 12 s per stage of the workflow.
TEST_ARGS = ["--profile", str(PROFILE),
             "--slurm-status-command", "squeue",
             "--slurm-init-seconds-before-status-checks", "1",
             "--seconds-between-status-checks", "1",
             "--slurm-no-account",
             "--latency-wait", "10"]
TIMEOUT = 240  # seconds, for one snakemake run under SLURM (measured: 50 s, 14 s)


def _required() -> bool:
    mode = os.environ.get("AIBAROMETER_SLURM_TEST", "auto").lower()
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    return mode == "require" or (ci and os.geteuid() == 0)


_UNAVAILABLE: list[str] = []  # why set-up failed, so that the next test does not retry it


@pytest.fixture(scope="module")
def slurm():
    """A running one-node SLURM cluster; stopped (daemons by PID) when the module ends."""
    if os.environ.get("AIBAROMETER_SLURM_TEST", "").lower() == "skip":
        pytest.skip("AIBAROMETER_SLURM_TEST=skip")

    def unavailable(reason: str):
        if not _UNAVAILABLE:
            _UNAVAILABLE.append(f"SLURM test cluster unavailable: {reason}")
        reason = _UNAVAILABLE[0]
        if _required():
            pytest.fail(reason + "\n(required here: CI as root, or AIBAROMETER_SLURM_TEST=require)",
                        pytrace=False)
        pytest.skip(reason)

    if _UNAVAILABLE:
        unavailable(_UNAVAILABLE[0])
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        unavailable("snakemake-executor-plugin-slurm is not installed "
                    "(pip install -c requirements.lock -e '.[test]')")
    cluster = MiniSlurm()
    try:
        try:
            ensure_packages()
            cluster.start()
        except SlurmUnavailable as e:
            unavailable(str(e))
        yield cluster
    finally:
        cluster.stop(keep=os.environ.get("AIBAROMETER_SLURM_KEEP") == "1")


def run_under_slurm(cluster: MiniSlurm, workdir: Path, *args: str, snakefile: Path | None = None):
    """snakemake --profile profiles/slurm ..., started in workdir (as a user would: the plugin
    submits with sbatch -D <current directory> and writes its logs below it)."""
    cmd = [str(SNAKEMAKE), "-d", str(workdir), "-s", str(snakefile or workdir / "workflow" / "Snakefile"),
           *TEST_ARGS, *args]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=workdir, env=cluster.env, capture_output=True, text=True,
                              timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        out = (e.stderr or b"")
        out = out.decode(errors="replace") if isinstance(out, bytes) else out
        pytest.fail(f"snakemake under SLURM did not finish within {TIMEOUT} s\n"
                    f"jobs: {cluster.jobs()}\n{out[-4000:]}\n{cluster.log_tail()}", pytrace=False)
    proc.seconds = time.monotonic() - start
    return proc


def submitted(stderr: str) -> list[str]:
    """The SLURM job ids in the plugin's 'has been submitted with SLURM jobid N' lines."""
    return re.findall(r"submitted with SLURM jobid (\d+)", stderr)


def result_frames(wave_dir: Path) -> dict[str, pd.DataFrame]:
    """Every Parquet and CSV result of a wave (logs aside), read with pandas."""
    frames = {}
    for path in sorted(wave_dir.rglob("*")):
        rel = path.relative_to(wave_dir).as_posix()
        if rel.startswith("logs/"):
            continue
        if path.suffix == ".parquet":
            frames[rel] = pd.read_parquet(path)
        elif path.suffix == ".csv":
            frames[rel] = pd.read_csv(path)
    return frames


def test_workflow_under_slurm_equals_local_run(slurm, tmp_path):
    local = make_workdir(tmp_path / "local", [WAVE])
    proc = run_snakemake(local, *TARGETS, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr[-4000:]

    work = make_workdir(tmp_path / "slurm", [WAVE])
    proc = run_under_slurm(slurm, work, *TARGETS)
    print(f"snakemake under SLURM: {proc.seconds:.1f} s")
    assert proc.returncode == 0, f"{proc.stderr[-6000:]}\n{slurm.log_tail()}"

    # The jobs really went through SLURM, and SLURM saw them complete.
    jobs = {j["jobid"]: j for j in slurm.jobs()}
    ids = submitted(proc.stderr)
    assert ids, f"no job was submitted to SLURM:\n{proc.stderr[-4000:]}"
    for jobid in ids:
        assert jobs[jobid]["state"] == "COMPLETED", jobs[jobid]
    slurm_rules = {re.sub(r"^rule_(\w+?)(_wildcards_.*)?$", r"\1", jobs[i]["comment"]) for i in ids}
    assert "estimate" in slurm_rules, slurm_rules

    # Same results as the local run: same files, same content (read, not bytes).
    want = result_frames(local / "results" / WAVE)
    got = result_frames(work / "results" / WAVE)
    assert "estimates/estimates.parquet" in want
    assert sorted(got) == sorted(want)
    for rel, frame in want.items():
        pd.testing.assert_frame_equal(got[rel], frame, check_exact=False, rtol=1e-12, atol=1e-12,
                                      obj=rel)


def test_failing_rule_under_slurm_fails_the_run(slurm, tmp_path):
    work = tmp_path / "failing"
    work.mkdir()
    snakefile = work / "Snakefile"
    shutil.copy(ROOT / "tests" / "slurm" / "failing" / "Snakefile", snakefile)
    proc = run_under_slurm(slurm, work, snakefile=snakefile)
    print(f"failing snakemake under SLURM: {proc.seconds:.1f} s")
    assert proc.returncode != 0, proc.stderr[-4000:]
    assert "Error in rule slurm_test_failing_rule" in proc.stderr, proc.stderr[-4000:]
    assert "Error in rule slurm_test_succeeding_rule" not in proc.stderr, proc.stderr[-4000:]
    ids = submitted(proc.stderr)
    assert len(ids) == 2, f"expected 2 SLURM jobs:\n{proc.stderr[-4000:]}"
    by_rule = {j["comment"]: j["state"] for j in slurm.jobs() if j["jobid"] in ids}
    assert by_rule == {"rule_slurm_test_failing_rule": "FAILED",
                       "rule_slurm_test_succeeding_rule": "COMPLETED"}, by_rule
    assert not (work / "failing.txt").exists()
    assert (work / "succeeding.txt").exists()
