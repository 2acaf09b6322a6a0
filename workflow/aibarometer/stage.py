"""Glue between Snakemake rules and the package: run a stage, write outputs safely."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Callable

import pandas as pd

from .errors import run_cli


_UMASK = os.umask(0)
os.umask(_UMASK)


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write CSV or Parquet atomically (temp file + rename): no half-written output."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if path.suffix == ".parquet":
            df.to_parquet(tmp, index=False, compression="zstd")
        else:
            df.to_csv(tmp, index=False, lineterminator="\n")
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; results are meant to be shared
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(text: str, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_json(data, path: str | Path) -> None:
    write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n", path)


class Log:
    """A small log file per job (Snakemake's `log:`)."""

    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path else None
        self.lines: list[str] = []
        self.t0 = time.perf_counter()

    def __call__(self, msg: str) -> None:
        self.lines.append(f"[{time.perf_counter() - self.t0:7.2f}s] {msg}")
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("\n".join(self.lines) + "\n")


def run_snakemake(smk, func: Callable, stage: str) -> None:
    """Call ``func(input, output, params, log)`` with Snakemake's named objects; clean errors."""
    log_path = smk.log[0] if len(smk.log) else None
    log = Log(log_path)
    run_cli(stage, lambda: func(smk.input, smk.output, smk.params, log), outputs=list(smk.output), log=log_path)
