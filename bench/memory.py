"""Peak resident memory of this process, for the benchmark scripts.

``getrusage(RUSAGE_SELF).ru_maxrss`` is not the process's own on Linux: the kernel keeps the
high-water mark across fork and exec, so a script started by a parent that held 2.5 GB reports
2.5 GB whatever it used itself (bench/run.py builds the 3000x file before it starts the 100x
ingest). ``VmHWM`` in /proc/self/status belongs to the address space exec made, so it is.
"""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """The peak resident set of this process since its exec, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the best there is
