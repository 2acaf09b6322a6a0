"""Errors a researcher can act on, and the command-line wrapper that prints them.

Stages collect every fault they find in an input file into one :class:`InputError`
(several faults are reported together, not one per run). :func:`run_cli` turns it
into a plain message and exit code 1: no stack trace, and any outputs the stage
had started are removed so nothing half-written looks valid.
"""

from __future__ import annotations

import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

MAX_LISTED = 25
MAX_PER_KIND = 50  # faults of one kind in one column that are listed (all are counted)

SPACES = " \u00a0\u202f\u2009"
MAX_QUOTED_DIGITS = 6  # a number with more digits may be a phone number, an enterprise number or an id

# The forms a value may be quoted in (an allow-list: anything else shows only its shape and
# length). A short integer or code, a count with a thousands separator, a decimal number or
# a NACE code, an ISO date (-time), a spreadsheet date (-time).
_INTEGER = re.compile(r"[+-]?\d{1,6}")
_GROUPED = re.compile(rf"\d{{1,3}}[.,{SPACES}]\d{{3}}([.,]0+)?")
_DECIMAL = re.compile(r"[+-]?(\d{1,6}[.,]\d{1,6}|[.,]\d{1,6})")
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})([ T]\d{1,2}:\d{2}(:\d{2})?)?")
_LOCAL_DATE = re.compile(r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4})([ T]\d{1,2}:\d{2}(:\d{2})?)?")
_TIME = re.compile(r"[ T](?P<h>\d{1,2}):(?P<mi>\d{2})(:(?P<s>\d{2}))?$")


def _plausible_date(m: re.Match, iso: bool) -> bool:
    year = int(m["y"])
    if not 1900 <= year <= 2099:
        return False
    parts = (int(m["m"]), int(m["d"])) if iso else (int(m["a"]), int(m["b"]))
    month_ok = 1 <= parts[0] <= 12 if iso else min(parts) <= 12
    if not (month_ok and all(1 <= p <= 31 for p in parts)):
        return False
    t = _TIME.search(m.group(0))
    return t is None or (int(t["h"]) <= 23 and int(t["mi"]) <= 59 and int(t["s"] or 0) <= 59)


def quotable(value: object) -> bool:
    """May a cell value be quoted in a message, a log or a report? Only when it has a form a
    column of the inputs expects and that cannot be personal data: a code or short integer
    (at most six digits: ``3``, ``42``, ``62010``), a count with a thousands separator
    (``1.236``, ``12 500``), a decimal number (``12,5``, a NACE code ``62.01``), a date or
    date-time (``2021-03-04``, ``2021-05-03 08:27:06``, ``3/05/2021 8:27``), or an empty
    cell. Never seven or more digits, with or without separators (a phone number, an
    enterprise number, an id), never a word (a name, a label with a typo), an address
    (e-mail, IP) or anything else: those are shown by :func:`unquoted` (shape and length)."""
    if value is None:
        return False
    text = str(value)
    if text == "":
        return True
    if len(text) > 19:
        return False
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        return _plausible_date(iso, True)
    local = _LOCAL_DATE.fullmatch(text)
    if local:
        return _plausible_date(local, False)
    if sum(c.isdigit() for c in text) > MAX_QUOTED_DIGITS:
        return False
    return any(p.fullmatch(text) for p in (_INTEGER, _GROUPED, _DECIMAL))


def safe_value(value: object) -> bool:
    """Kept for callers of the old name: :func:`quotable`."""
    return quotable(value)


def shape(value: object) -> str:
    """The form of a value without its content: digits as 9, letters as x (at most 40 characters)."""
    return re.sub(r"[^\W\d_]", "x", re.sub(r"\d", "9", str(value)))[:40]


def unquoted(value: object) -> str:
    """How a value that is not :func:`quotable` is described: its shape and its length."""
    n = len(str(value))
    return f"vorm: {shape(value)!r}, {n} teken{'s' if n != 1 else ''}"


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass(frozen=True)
class Fault:
    file: str
    problem: str
    fix: str
    row: str | None = None  # "regel 17 (respons r_5f3a...)" -- a line and a pseudonym, never a raw id
    column: str | None = None
    value: object = None
    personal: bool = False  # the column holds personal data or ids: its values are never shown

    def render(self) -> str:
        where = [f"bestand {self.file}"]
        if self.row is not None:
            where.append(str(self.row))
        if self.column is not None:
            where.append(f"kolom {self.column!r}")
        text = ", ".join(where) + f": {self.problem}"
        if self.value is not None:
            if not self.personal and quotable(self.value):
                text += f" (waarde: {str(self.value)!r})"
            else:  # not a form the column expects, or a personal column: only its shape and length
                text += f" (waarde niet getoond, mogelijk een persoonsgegeven; {unquoted(self.value)})"
        return text + f"\n      oplossing: {self.fix}"


class InputError(Exception):
    """One or more faults in the inputs of a stage (``omitted``: more of the same kinds,
    counted but not listed)."""

    def __init__(self, faults: Iterable[Fault] | Fault, omitted: int = 0, readings: list | None = None):
        self.faults = [faults] if isinstance(faults, Fault) else list(faults)
        self.omitted = omitted
        self.readings = list(readings or [])  # what was read in a tolerated form before the stop
        super().__init__(self.render())

    @property
    def total(self) -> int:
        return len(self.faults) + self.omitted

    def render(self) -> str:
        n = self.total
        shown = min(len(self.faults), MAX_LISTED)
        head = f"{thousands(n)} fout{'en' if n != 1 else ''} in de invoer"
        head += f", de eerste {shown} hieronder:" if shown < n else ":"
        lines = [f"  - {f.render()}" for f in self.faults[:MAX_LISTED]]
        if n > shown:
            lines.append(f"  ... en nog {thousands(n - shown)} fouten van dezelfde soorten")
        return "\n".join([head, *lines])


class FaultCollector:
    """Collects faults; :meth:`raise_if_any` raises them together."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.omitted = 0
        self.readings: list = []

    def add(self, *args, **kwargs) -> None:
        self.faults.append(Fault(*args, **kwargs))

    def add_rows(self, file: str, problem: str, fix: str, mask, where: Callable[[int], str], column: str | None = None,
                 values=None, personal: bool = False) -> None:
        """One fault per row in ``mask`` (the first MAX_PER_KIND listed, every one counted)."""
        import numpy as np

        rows = np.flatnonzero(mask)
        for i in rows[:MAX_PER_KIND]:
            self.add(file, problem, fix, row=where(int(i)), column=column,
                     value=None if values is None else values[i], personal=personal)
        self.omitted += max(0, len(rows) - MAX_PER_KIND)

    def extend(self, err: "InputError") -> None:
        self.faults += err.faults
        self.omitted += err.omitted
        self.readings += err.readings

    def raise_if_any(self, readings: list | None = None) -> None:
        if self.faults:
            raise InputError(self.faults, self.omitted, (getattr(self, "readings", []) or []) + list(readings or []))


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
