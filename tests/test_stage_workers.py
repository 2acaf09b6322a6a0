"""The worker processes of the heavy stages (aibarometer.stage): started without running
the parent's main script again (under Snakemake that script imports all of Snakemake)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest


@pytest.fixture
def main_script(tmp_path, monkeypatch):
    """__main__ pretends to be a script that leaves a marker file when a child runs it."""
    marker = tmp_path / "main-ran"
    script = tmp_path / "fake_main.py"
    script.write_text(f"open({str(marker)!r}, 'a').write('x')\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules["__main__"], "__file__", str(script), raising=False)
    monkeypatch.setattr(sys.modules["__main__"], "__spec__", None, raising=False)
    return script, marker


def _pool(workers):
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def test_spawned_workers_run_the_main_script_unless_told_not_to(main_script):
    from aibarometer.stage import _start_without_main

    script, marker = main_script
    with _pool(1) as plain:  # the control: plain spawn runs the main script in the child
        plain.submit(os.getpid).result()
    assert marker.exists()
    marker.unlink()
    with _pool(2) as pool:
        _start_without_main(pool, 2)
        pids = {pool.submit(os.getpid).result() for _ in range(6)}
    assert not marker.exists(), "a worker ran the main script"
    assert len(pids) <= 2 and os.getpid() not in pids
    assert sys.modules["__main__"].__file__ == str(script)  # restored for the parent
