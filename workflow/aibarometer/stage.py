"""Glue between Snakemake rules and the package: run a stage, write outputs safely."""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog import RESULTS, STATUS, wave_of
from .errors import Fault, InputError, run_stage

if TYPE_CHECKING:  # pandas is imported by the stages that need it, not by the Snakefile
    import pandas as pd

# matplotlib (its global rcParams, pyplot) and our patch of WeasyPrint's tag ids are not
# made for threads: stages that use one take its lock, so a figures job of one wave can
# run beside the report of another.
_MATPLOTLIB = threading.Lock()
_WEASYPRINT = threading.Lock()
_LOCKS = {"figures": _MATPLOTLIB, "trend": _MATPLOTLIB, "quality": _MATPLOTLIB, "report": _WEASYPRINT}


_UMASK = os.umask(0)
os.umask(_UMASK)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
    apostrophe, as OWASP advises for CSV files; numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_for_spreadsheets(df: pd.DataFrame) -> pd.DataFrame:
    text = [c for c in df.columns if df[c].dtype == object or str(df[c].dtype) in ("string", "str")]
    risky = [c for c in text if df[c].astype("string").str.match(r"^[=+\-@\t\r]").fillna(False).any()]
    if not risky:
        return df
    df = df.copy()
    for c in risky:
        df[c] = df[c].map(spreadsheet_safe)
    return df


def mem_mb(per_input_mb: float, base: int = 600, floor: int = 1000):
    """A rule's ``mem_mb`` for a cluster, from the size of its inputs: the peak measured per
    MB of input by bench/scale_ingest.py at 100x the demo wave (ingest about 6.3x its CSV
    inputs, clean about 70x its Parquet input), with headroom."""
    return lambda wildcards, input: max(floor, int(base + per_input_mb * input.size_mb))


def mem_mb_rows(kb_per_row: float, base: int = 600, floor: int = 1000, key: str = "responses"):
    """A rule's ``mem_mb`` from the number of rows of its Parquet input ``key`` (read from
    the file's footer): a replicated or very regular wave compresses far better than a
    real one, so rows say more than megabytes. The estimate stage peaks at about 0.6 KB
    per row at 1000x the demo wave (bench/scale_estimate.py); asked with headroom."""
    def mem(wildcards, input):
        try:
            import pyarrow.parquet as pq

            rows = pq.read_metadata(str(input[key])).num_rows
        except (OSError, KeyError, ValueError):  # not there yet (a dry run): the floor
            return floor
        return max(floor, int(base + kb_per_row * rows / 1024))
    return mem


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write CSV or Parquet atomically (temp file + rename): no half-written output.
    CSV text cells that a spreadsheet would run as a formula are defused (:func:`spreadsheet_safe`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if path.suffix == ".parquet":
            df.to_parquet(tmp, index=False, compression="zstd")
        else:
            safe_for_spreadsheets(df).to_csv(tmp, index=False, lineterminator="\n")
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


# rule -> wave -> message of the failures of this process's run (what onerror writes down)
FAILURES: dict[tuple[str, str | None], str] = {}


def wave_dir(outputs) -> Path | None:
    """results/<wave>/ of a job's outputs."""
    for out in outputs:
        wave = wave_of(out)
        if wave is not None:
            return Path(RESULTS, wave)
    return None


def note_failure(rule: str, outputs, message: str) -> None:
    """A stage failed: say so at once in results/<wave>/STATUS.md (a run on a cluster may not
    get to its end); what later stages made of the older inputs is retired when the run stops
    (:func:`retire_unfinished`, from the Snakefile's ``onerror``)."""
    wave = wave_dir(outputs)
    FAILURES[(rule, wave.name if wave else None)] = message
    if wave is not None:
        write_status(wave, [(rule, wave.name, message)], [])


def retire_unfinished(unfinished: list[str], failed: list[tuple[str, str]]) -> dict:
    """The run stopped with a failure: every job of the run that had to run and did not
    finish (the failed jobs, and all that depend on them or were not reached, in every
    wave, later waves that compare with the failed one included) leaves results made of
    older inputs. Remove them, and write STATUS.md in each wave concerned.

    ``unfinished``: the output paths of those jobs, as Snakemake's graph of the run has them;
    ``failed``: (rule, wave) of the failed jobs. Returns wave -> removed paths."""
    removed: dict[str, list[str]] = {}
    for out in unfinished:
        p = Path(out)
        if wave_of(p) is None or not (p.is_file() or p.is_symlink()):
            continue
        p.unlink()
        removed.setdefault(wave_of(p), []).append(str(p))
        _remove_empty_parents(p)
    waves = set(removed) | {w for _, w in failed if w}
    for wave in sorted(waves):
        here = [(r, w, FAILURES.get((r, w))) for r, w in failed if w == wave]
        elsewhere = sorted({w for _, w in failed if w and w != wave})
        write_status(Path(RESULTS, wave), here, removed.get(wave, []), elsewhere)
    return removed


def _remove_empty_parents(p: Path) -> None:
    parent = p.parent
    while len(parent.parts) > 2 and parent.parts[0] == RESULTS:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def write_status(wave: Path, failed: list, removed: list[str], elsewhere: list[str] = ()) -> None:
    """results/<wave>/STATUS.md: which step failed, what was removed because it was made of
    older inputs, and what to do (the next complete run's manifest removes the file)."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    lines = ["# De laatste run van deze golf stopte", ""]
    for rule, _, message in failed:
        lines.append(f"Stap **{rule}** faalde op {stamp}.")
        if message:
            lines += ["", "```", message, "```"]
        else:
            lines.append(f"Zie het logbestand logs/{rule}.log van deze golf.")
        lines.append("")
    if elsewhere:
        lines += [f"Een stap van golf {', '.join(elsewhere)} faalde; deze golf steunt erop (vergelijking tussen "
                  "golven) en kon niet worden bijgewerkt.", ""]
    if removed:
        groups: dict[str, int] = {}
        for p in removed:
            rel = Path(p).relative_to(wave)
            key = f"{rel.parts[0]}/" if len(rel.parts) > 1 else str(rel)
            groups[key] = groups.get(key, 0) + 1
        lines += ["Wat latere stappen eerder maakten, hoorde bij oudere invoer en is verwijderd:", ""]
        lines += [f"- {k}" + (f" ({n} bestanden)" if n > 1 else "") for k, n in sorted(groups.items())] + [""]
    lines.append("Herstel de invoer en draai de workflow opnieuw; een volledige run verwijdert dit bestand.")
    write_text("\n".join(lines) + "\n", wave / STATUS)


# The heavy stages (figures, the tables with their workbook, the report) run in worker
# processes (started once per run and reused), so two of them - the figures of one wave
# and the report of another - use two cores instead of taking turns on one interpreter
# lock. The other stages stay in the
# Snakemake process (no start-up, no repeated imports). AIBAROMETER_IN_PROCESS=1 keeps
# every stage in-process (e.g. to debug one).
_OWN_PROCESS = {"figures", "report", "tables"}
_POOL: list = []


def _pool():
    if not _POOL:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        workers = os.cpu_count() or 1
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        _start_without_main(pool, workers)
        _POOL.append(pool)
    return _POOL[0]


def _start_without_main(pool, workers: int) -> None:
    """Start every worker now, without running the parent's main script again: a spawned
    child re-runs the file of ``__main__`` (for Snakemake its command-line script, which
    imports all of Snakemake: about 3 s of CPU a worker) unless ``__main__`` has no file.
    The workers need only the package, which they import by name."""
    import sys

    main = sys.modules["__main__"]
    path = main.__dict__.pop("__file__", None)
    try:
        for _ in range(workers):  # one new worker per submit, spawned before submit returns
            pool.submit(os.getpid)
    finally:
        if path is not None:
            main.__file__ = path


class Named(list):
    """A plain, picklable copy of a Snakemake Namedlist (input, output, params): the
    values by position and by name, file names as plain strings."""

    def __init__(self, namedlist):
        super().__init__(_plain(v) for v in namedlist)
        for name, value in namedlist.items():
            setattr(self, name, _plain(value))


def _plain(value):
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list) and not isinstance(value, Named):
        return [_plain(v) for v in value]
    return value


def _in_worker(module: str, name: str, rule: str, input, output, params, log_path) -> str | None:
    """A stage in a worker process: the same run_stage as in-process, its message back."""
    import importlib

    func = getattr(importlib.import_module(module), name)
    return run_stage(rule, lambda: func(input, output, params, Log(log_path)), list(output), log_path)


# For the tests of failed runs: AIBAROMETER_FAIL="quality@2021-demo,report" makes those jobs
# (a rule, in one wave or in all) fail as a stage with a bad input does, before they start.
FAIL_ENV = "AIBAROMETER_FAIL"


def injected_failure(rule: str, output) -> bool:
    asked = [a.strip() for a in os.environ.get(FAIL_ENV, "").split(",") if a.strip()]
    wave = wave_dir(list(output))
    return rule in asked or (wave is not None and f"{rule}@{wave.name}" in asked)


def _fail_as_asked() -> None:
    raise InputError(Fault(f"${FAIL_ENV}", "deze stap faalt op verzoek (een test van mislukte runs)",
                           f"maak {FAIL_ENV} leeg"))


TIMINGS_ENV = "AIBAROMETER_TIMINGS"
_TIMINGS_LOCK = threading.Lock()  # jobs of one Snakemake process append to the same file


def record_timing(rule: str, input, output, started: float) -> None:
    """With AIBAROMETER_TIMINGS set to a file (the benchmark sets it), one JSON line per job:
    rule, start, end and its files, from which bench/run.py finds the critical path."""
    path = os.environ.get(TIMINGS_ENV)
    if not path:
        return
    files = {"input": [str(p) for p in input], "output": [str(p) for p in output]}
    line = json.dumps({"rule": rule, "start": started, "end": time.time(), **files})
    with _TIMINGS_LOCK, open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def run_rule(func, input, output, params, log) -> None:
    """What every rule's ``run:`` block calls: the stage function the rule names
    (``run_rule(ingest.run, ...)``), with the rule's input, output, params and log.

    The stage runs inside the Snakemake process, so a job costs no interpreter start-up
    and no repeated imports; the heavy renders (``_OWN_PROCESS``) run in a worker
    process, so they can use another core. A failure removes the job's outputs, retires what later
    stages made of the wave's older inputs, and becomes a WorkflowError carrying the
    plain message (which file, row, column, fix)."""
    from snakemake.exceptions import WorkflowError

    stage = func.__module__.rsplit(".", 1)[-1]
    rule = {"reference": "reference_check"}.get(stage, stage)
    if func.__name__.startswith("run_"):  # a second entry point of a stage: figures.run_png -> figures_png
        rule = f"{rule}_{func.__name__[4:]}"
    log_path = log[0] if len(log) else None

    def main():
        func(input, output, params, Log(log_path))

    lock = _LOCKS.get(stage)
    started = time.time()
    if injected_failure(rule, output):
        message = run_stage(rule, _fail_as_asked, list(output), log_path)
    elif stage in _OWN_PROCESS and os.environ.get("AIBAROMETER_IN_PROCESS") != "1":
        message = _pool().submit(_in_worker, func.__module__, func.__name__, rule, Named(input), Named(output),
                                 Named(params), log_path).result()
    elif lock is not None:
        with lock:
            message = run_stage(rule, main, list(output), log_path)
    else:
        message = run_stage(rule, main, list(output), log_path)
    record_timing(rule, input, output, started)
    if message:
        note_failure(rule, list(output), message)
        raise WorkflowError(message)
