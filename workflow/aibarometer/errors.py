"""Errors a researcher can act on, and the command-line wrapper that prints them.

Stages collect every fault they find in an input file into one :class:`InputError`
(several faults are reported together, not one per run). :func:`run_cli` turns it
into a plain message and exit code 1: no stack trace, and any outputs the stage
had started are removed so nothing half-written looks valid.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

MAX_LISTED = 25


@dataclass(frozen=True)
class Fault:
    file: str
    problem: str
    fix: str
    row: str | None = None  # data row number (1 = first data row) or response id
    column: str | None = None
    value: object = None

    def render(self) -> str:
        where = [f"bestand {self.file}"]
        if self.row is not None:
            where.append(str(self.row))
        if self.column is not None:
            where.append(f"kolom {self.column!r}")
        text = ", ".join(where) + f": {self.problem}"
        if self.value is not None:
            text += f" (waarde: {self.value!r})"
        return text + f"\n      oplossing: {self.fix}"


class InputError(Exception):
    """One or more faults in the inputs of a stage."""

    def __init__(self, faults: Iterable[Fault] | Fault):
        self.faults = [faults] if isinstance(faults, Fault) else list(faults)
        super().__init__(self.render())

    def render(self) -> str:
        n = len(self.faults)
        head = f"{n} fout{'en' if n != 1 else ''} in de invoer:"
        lines = [f"  - {f.render()}" for f in self.faults[:MAX_LISTED]]
        if n > MAX_LISTED:
            lines.append(f"  ... en nog {n - MAX_LISTED} gelijkaardige fouten")
        return "\n".join([head, *lines])


class FaultCollector:
    """Collects faults; :meth:`raise_if_any` raises them together."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, *args, **kwargs) -> None:
        self.faults.append(Fault(*args, **kwargs))

    def raise_if_any(self) -> None:
        if self.faults:
            raise InputError(self.faults)


def run_cli(stage: str, main: Callable[[], None], outputs: Iterable[str | Path] = (),
            log: str | Path | None = None) -> None:
    """Run a stage; on InputError print the message, remove outputs, exit 1."""
    try:
        main()
    except InputError as err:
        _fail(stage, str(err), outputs, log)
    except Exception:  # a bug, not bad input: keep the trace, but in the log
        trace = traceback.format_exc()
        if log:
            Path(log).parent.mkdir(parents=True, exist_ok=True)
            Path(log).write_text(trace)
        _fail(stage, f"interne fout (zie het logbestand {log} voor details):\n"
              f"  {trace.strip().splitlines()[-1]}", outputs, None, keep_log=True)


def _fail(stage: str, message: str, outputs: Iterable[str | Path], log, keep_log: bool = False) -> None:
    for out in outputs:
        p = Path(out)
        if p.is_file():
            p.unlink()
    text = f"[{stage}] {message}\n"
    if log and not keep_log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        Path(log).write_text(text)
    sys.stderr.write(text)
    sys.exit(1)
