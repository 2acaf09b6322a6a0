"""Values read in a tolerated form, recorded per file, column and kind (ingest_report.json),
and the step that turns a column's parse into faults and readings."""

from __future__ import annotations

import numpy as np

from . import parse
from .errors import FaultCollector, quotable, shape
from .tabular import Table

EXAMPLES = 3  # raw -> read examples kept per reading (never of a personal column)


def example_value(value, known: frozenset[str] = frozenset()) -> dict:
    """A raw or read value for the record: ``{"value": ...}`` when it is in a quotable form
    (:func:`aibarometer.errors.quotable`) or one of the column's ``known`` words (the labels
    of its code list, lower case), else only ``{"shape": ..., "length": ...}`` -- a phone
    number typed as a count (``470 123 456``) is never written down."""
    text = value if isinstance(value, str) else str(value)
    if quotable(text) or " ".join(text.split()).lower() in known:
        return {"value": value}
    return {"shape": shape(text), "length": len(text)}


def example(raw, read, known: frozenset[str] = frozenset()) -> dict:
    """One raw -> read example: each side quoted only in an allowed form (``raw``/``read``),
    else described by its shape and length (``raw_shape``, ``raw_length``, ...)."""
    out = {}
    for name, v in (("raw", str(raw)), ("read", _plain(read))):
        shown = example_value(v, known) if v is not None else {"value": None}
        if "value" in shown:
            out[name] = shown["value"]
        else:
            out[f"{name}_shape"], out[f"{name}_length"] = shown["shape"], shown["length"]
    return out


class Readings:
    """Values read in a tolerated form: per file, column and kind, a count, the first
    rows and (for columns that are not personal) a few raw -> read examples, each value
    quoted only in an allowed form (:func:`example`)."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, file: str, column: str, how: str, mask: np.ndarray, table: Table | None,
            raw: np.ndarray | None = None, read=None, personal: bool = False,
            known: frozenset[str] = frozenset()) -> None:
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        entry = {"file": file, "column": column, "reading": how, "count": int(len(rows)),
                 "first_rows": [table.where(int(i)) if table is not None else f"rij {i + 1}" for i in rows[:10]]}
        if not personal and raw is not None and read is not None:
            entry["examples"] = [example(raw[i], read[i], known) for i in rows[:EXAMPLES]]
        self.items.append(entry)


def _plain(v):
    if isinstance(v, (float, np.floating)):
        return int(v) if float(v).is_integer() else float(v)
    if isinstance(v, np.datetime64):
        return str(v)[:19].replace("T", " ")
    return v if v is None or isinstance(v, (int, str)) else str(v)


def apply(parsed: parse.Parsed, file: str, column: str, table: Table, where, faults: FaultCollector,
          readings: Readings, personal: bool = False, known: frozenset[str] = frozenset()) -> None:
    """Faults and readings of a column's parse; ``known``: words of the column that may be
    quoted in the readings besides the allowed forms (its code list's labels, lower case)."""
    if not parsed.faults and not parsed.readings:
        return
    raw = table.text(column) if column in table.columns else None  # Python strings: only when needed
    for mask, problem, fix in parsed.faults:
        faults.add_rows(file, problem, fix, mask, where, column=column, values=raw, personal=personal)
    for mask, how in parsed.readings:
        readings.add(file, column, how, mask, table, raw, parsed.values, personal, known)


