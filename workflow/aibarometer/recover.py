"""After an interrupted run: remove Snakemake's stale lock so the next run can start.

    .venv/bin/python -m aibarometer.recover     # what `make demo` runs first

A run killed hard (power cut, ``kill -9``, a closed laptop) leaves its lock in
``.snakemake/locks/``; the next run then refuses to start. The lock is stale when no
Snakemake process is running in this directory on this machine, and only then is it
removed (``snakemake --unlock``). Half-written outputs are redone by the next run:
the workflow profile sets ``rerun-incomplete: true``.

On a cluster or a shared disk another machine may be running the workflow; this check
cannot see it, so there run ``snakemake --unlock`` by hand when you know no run is active.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def snakemake_running_here(workdir: Path) -> list[int]:
    """PIDs of other Snakemake processes whose working directory is ``workdir``."""
    mine = {os.getpid(), os.getppid()}
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if int(proc.name) in mine:
                continue
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
            if not any(Path(a.decode(errors="replace")).name == "snakemake" for a in cmd[:2] if a):
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
