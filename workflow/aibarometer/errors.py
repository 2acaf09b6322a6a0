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


def run_stage(stage: str, main: Callable[[], None], outputs: Iterable[str | Path] = (),
              log: str | Path | None = None) -> str | None:
    """Run a stage. On failure remove its outputs (nothing half-written may look valid),
    write the log, and return the message for the user; None when it succeeded.

    Bad input (InputError) gives the collected faults; anything else is a bug: the
    message then points to the log, which holds the full trace."""
    outputs = list(outputs)
    try:
        main()
        return None
    except InputError as err:
        message = f"[{stage}] {err}"
        log_text = message
    except Exception:
        trace = traceback.format_exc()
        message = (f"[{stage}] interne fout (zie het logbestand {log} voor details):\n"
                   f"  {trace.strip().splitlines()[-1]}")
        log_text = trace
    for out in outputs:
        p = Path(out)
        if p.is_file():
            p.unlink()
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        Path(log).write_text(log_text + "\n")
    return message


def run_cli(stage: str, main: Callable[[], None], outputs: Iterable[str | Path] = (),
            log: str | Path | None = None) -> None:
    """Run a stage from the command line: on failure print the message and exit 1."""
    message = run_stage(stage, main, outputs, log)
    if message:
        sys.stderr.write(message + "\n")
        sys.exit(1)
