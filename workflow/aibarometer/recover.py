"""One run at a time, and after an interrupted run: remove Snakemake's stale lock.

    .venv/bin/python -m aibarometer.recover     # what `make demo` and `make run` run first

Every run of the workflow holds a lock of its own for its whole life: an exclusive
``flock`` on ``.snakemake/aibarometer-run.lock``, taken when the run starts (the
Snakefile's ``onstart``), released by the kernel when the process ends however it ends
(``kill -9`` and a power cut included). A run that finds it held stops with a message, and
so does ``make run`` (this module): "a run is active here" is decided by that lock, not by
process names, so a run started as ``snakemake``, ``python -m snakemake`` or from a script
is seen alike.

A run killed hard leaves Snakemake's own lock in ``.snakemake/locks/`` (it holds paths,
not process ids); the next run then refuses to start. When our lock is free and no
Snakemake process is running in this directory, that lock is stale and is removed
(``snakemake --unlock``). Half-written outputs are redone by the next run: the workflow
profile sets ``rerun-incomplete: true``.

On a cluster or a shared disk another machine may be running the workflow; ``flock`` on a
network file system is not reliable there, so run ``snakemake --unlock`` by hand when you
know no run is active.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

RUN_LOCK = Path(".snakemake") / "aibarometer-run.lock"
_HELD: list = []  # the open lock file of this process's run (kept open until the process ends)


class RunActive(RuntimeError):
    """Another run holds the lock of this working directory."""


def holder(workdir: Path = Path(".")) -> str | None:
    """Who holds the run lock of ``workdir`` ("pid 123, gestart 2026-12-06 10:00:00"), or None
    when no run is active there."""
    path = Path(workdir) / RUN_LOCK
    if not path.is_file():
        return None
    with open(path, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            return fh.read().strip() or "een ander proces"
        fcntl.flock(fh, fcntl.LOCK_UN)
    return None


def hold_run_lock(workdir: Path = Path(".")) -> None:
    """Take the run lock of ``workdir`` for the life of this process; raise RunActive when
    another run holds it."""
    if _HELD:
        return
    path = Path(workdir) / RUN_LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        who = fh.read().strip() or "een ander proces"
        fh.close()
        raise RunActive(active_message(who)) from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}, gestart {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    fh.flush()
    _HELD.append(fh)


def active_message(who: str) -> str:
    return (f"er loopt al een run van de workflow in deze map ({who}); twee runs tegelijk zouden dezelfde "
            "resultaten schrijven. Wacht tot die run klaar is (of stop hem) en start dan opnieuw.")


def snakemake_running_here(workdir: Path) -> list[int]:
    """PIDs of other Snakemake processes whose working directory is ``workdir``: a command
    line that runs snakemake in any form (``snakemake``, ``python -m snakemake``, a path)."""
    mine = {os.getpid(), os.getppid()}
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if int(proc.name) in mine:
                continue
            cmd = [a.decode(errors="replace") for a in (proc / "cmdline").read_bytes().split(b"\0") if a]
            if not any(Path(a).name == "snakemake" or a.startswith("snakemake") for a in cmd[:4]):
                continue
            if Path(os.readlink(proc / "cwd")).resolve() == workdir.resolve():
                found.append(int(proc.name))
        except (OSError, ValueError):
            continue
    return found


def stale_lock(workdir: Path) -> bool:
    locks = workdir / ".snakemake" / "locks"
    return locks.is_dir() and any(locks.iterdir()) and not snakemake_running_here(workdir)


def main(workdir: str | Path = ".") -> int:
    workdir = Path(workdir)
    who = holder(workdir)
    if who is None and snakemake_running_here(workdir):
        who = "pid " + ", ".join(map(str, snakemake_running_here(workdir)))
    if who is not None:
        sys.stderr.write(active_message(who) + "\n")
        return 1
    if not stale_lock(workdir):
        return 0
    snakemake = Path(sys.executable).with_name("snakemake")
    proc = subprocess.run([str(snakemake), "--unlock", "--cores", "1"], cwd=workdir, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-2000:])
        return proc.returncode
    print("an earlier run was interrupted: its lock was removed (no other run is active here); "
          "unfinished outputs are made again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
