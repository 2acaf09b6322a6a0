"""Reading a table file as it arrives: the encoding, the delimiter and the header rows
found from the bytes and the known column names; CSV or XLSX.

The result is a :class:`Table` of stripped text columns (pyarrow), the physical line
(CSV) or sheet row (XLSX) of every data row for messages, and a ``format`` record
(encoding, delimiter, line endings, header rows) for the ingest report and the manifest.
Only a file with two possible readings is refused, and the message names both.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa

from .errors import Fault, FaultCollector, InputError
from .parse import strip

DELIMITERS = {",": "komma", ";": "puntkomma", "\t": "tab"}
BOMS = [(b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 met BOM"), (b"\xff\xfe", "utf-16", "UTF-16 (little-endian, BOM)"),
        (b"\xfe\xff", "utf-16", "UTF-16 (big-endian, BOM)")]


@dataclass
class Table:
    path: str
    header: list[str]
    columns: dict[str, pa.Array]
    lines: np.ndarray  # CSV: physical line of each row; XLSX: sheet row; SPSS: case number
    format: dict = field(default_factory=dict)
    unit: str = "regel"  # how a message names a row: "regel 17" (a file's line), "rij 17" (a case)

    def __len__(self) -> int:
        return len(self.lines)

    def where(self, i: int) -> str:
        sheet = self.format.get("sheet")
        return (f"blad {sheet!r}, rij {self.lines[i]}" if sheet is not None else f"{self.unit} {self.lines[i]}")

    def text(self, column: str) -> np.ndarray:
        return np.asarray(self.columns[column].to_numpy(zero_copy_only=False), dtype=object)


def require_file(path: Path, key: str) -> None:
    """A configured input that is not there: say which wave-file key names it."""
    if not path.is_file():
        raise InputError(Fault(str(path), "bestand niet gevonden", f"controleer inputs.{key} in config/waves/<wave>.yaml"))


def decode(data: bytes, path: str, faults: FaultCollector) -> tuple[str, str] | None:
    """(text, encoding label): BOMs first; UTF-16 without BOM by its zero bytes; then
    UTF-8; then Windows-1252 (an Excel 'CSV' save). Refused when neither fits."""
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError as err:
                faults.add(path, f"ongeldige {label}-tekst (byte {err.start})", "exporteer het bestand opnieuw")
                return None
    head = data[:4000]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return data.decode("utf-16-le", errors="strict"), "UTF-16 (little-endian, zonder BOM)"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return data.decode("utf-16-be", errors="strict"), "UTF-16 (big-endian, zonder BOM)"
    try:
        return data.decode("utf-8"), "UTF-8" if any(b > 127 for b in head) or not data.isascii() else "UTF-8 (ASCII)"
    except UnicodeDecodeError as utf8_err:
        try:
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as err:
            line = data[: utf8_err.start].count(b"\n") + 1
            faults.add(path, f"tekst in een onbekende codering: geen UTF-8 (byte {utf8_err.start}, regel {line}) en geen "
                       f"Windows-1252 (byte {err.start})", "bewaar het bestand als 'CSV UTF-8' of exporteer opnieuw", row=f"regel {line}")
            return None


def sniff_delimiter(first_line: str, known: set[str], path: str, faults: FaultCollector) -> str | None:
    """The delimiter whose split of the header row gives the most known column names."""
    scores = {}
    for d in DELIMITERS:
        fields = next(csv.reader([first_line], delimiter=d), [])
        scores[d] = sum(f.strip() in known for f in fields)
    best = max(scores.values())
    winners = [d for d, s in scores.items() if s == best]
    if best == 0:
        faults.add(path, "geen enkele verwachte kolomnaam in de kopregel (met komma, puntkomma of tab als "
                   "scheidingsteken)", f"controleer of dit het juiste bestand is; verwacht o.a. {sorted(known)[:8]}",
                   row="regel 1")
        return None
    if len(winners) > 1:
        names = " of ".join(DELIMITERS[d] for d in winners)
        faults.add(path, f"het scheidingsteken is niet zeker: de kopregel leest even goed met {names}",
                   "bewaar het bestand opnieuw met één scheidingsteken", row="regel 1")
        return None
    return winners[0]


def _first_records(text: str, delim: str, n: int) -> tuple[list[list[str]], int]:
    """The first n records and how many physical lines they took."""
    reader = csv.reader(io.StringIO(text[:1 << 20], newline=""), delimiter=delim)
    rows = []
    for row in reader:
        rows.append(row)
        if len(rows) == n:
            break
    return rows, reader.line_num


def decode_utf8_bytes(data: bytes, path: str, faults: FaultCollector) -> tuple[bytes, str] | None:
    """The file as UTF-8 bytes (for pyarrow) and its encoding. UTF-8 is checked without
    decoding the whole file into a Python string; other encodings are converted."""
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        if _valid_utf8(body):
            return body, "UTF-8 met BOM"
    elif not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not (len(data) >= 4 and 0 in data[:4000]):
        if _valid_utf8(data):
            return data, "UTF-8" if not data[:1 << 20].isascii() or not data.isascii() else "UTF-8 (ASCII)"
    decoded = decode(data, path, faults)
    if decoded is None:
        return None
    text, encoding = decoded
    return text.lstrip("\ufeff").encode("utf-8"), encoding


def _valid_utf8(data: bytes) -> bool:
    try:
        pa.array([data], pa.binary()).cast(pa.string())  # pyarrow checks the bytes without a Python str
        return True
    except pa.ArrowInvalid:
        return False


def _line_offset_bytes(raw: bytes, lines: int) -> int:
    pos = 0
    for _ in range(lines):
        nxt = raw.find(b"\n", pos)
        if nxt < 0:
            return len(raw)
        pos = nxt + 1
    return pos


def read_text_table(path: str | Path, known: set[str], faults: FaultCollector,
                    header_rows: Callable[[list[list[str]]], tuple[int, str]] | None = None,
                    skip_columns: set[str] = frozenset()) -> Table | None:
    """Read a CSV-like file into a Table of stripped strings; faults are collected.
    ``skip_columns`` (personal data nobody reads) are parsed for the row structure but
    never turned into values."""
    import pyarrow.csv as pv

    path = Path(path)
    data = path.read_bytes()
    if not re.search(rb"[^\xef\xbb\xbf\xff\xfe\s\x00]", data):
        faults.add(str(path), "het bestand is leeg", "exporteer of bewaar het bestand opnieuw")
        return None
    decoded = decode_utf8_bytes(data, str(path), faults)
    if decoded is None:
        return None
    raw, encoding = decoded  # UTF-8 bytes without a BOM (the original bytes when they were UTF-8)
    del data
    if not re.search(rb"[^\s,;]", raw):
        faults.add(str(path), "het bestand is leeg (enkel lege velden)", "exporteer of bewaar het bestand opnieuw")
        return None
    prefix = raw[:1 << 20].decode("utf-8", errors="ignore")  # the header rows, for the delimiter and the layout
    first_line = prefix.split("\n", 1)[0].rstrip("\r")
    delim = sniff_delimiter(first_line, known, str(path), faults)
    if delim is None:
        return None
    head, _ = _first_records(prefix, delim, 3)
    skip, kind = header_rows(head) if header_rows else (1, "kopregel")
    _, header_lines = _first_records(prefix, delim, skip)
    header = [h.strip() for h in head[0]]
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1 and h})
        faults.add(str(path), f"dubbele kolomnamen {dup}", "geef elke kolom een unieke naam (één kolom per gegeven)", row="regel 1")
        return None
    start = _line_offset_bytes(raw, header_lines)
    fmt = {"encoding": encoding, "delimiter": DELIMITERS[delim],
           "line_endings": "CRLF" if b"\r\n" in raw[:10000] else "LF", "header_rows": skip, "kind": kind}
    if not re.compile(rb"[^\s" + re.escape(delim.encode()) + rb"]").search(raw, start):
        faults.add(str(path), "het bestand bevat enkel kopregels en geen gegevens",
                   "controleer of de export gefilterd werd (bv. op een lege periode) en exporteer opnieuw")
        return None
    body = memoryview(raw)[start:]
    names = [f"c{i}" for i in range(len(header))]
    invalid: list[int] = []

    def on_invalid(row):
        invalid.append(1)
        return "skip"
    import pyarrow.compute as pc

    keep = [h not in skip_columns for h in header]
    reader = pv.open_csv(pa.BufferReader(pa.py_buffer(body)),
                         read_options=pv.ReadOptions(column_names=names, block_size=1 << 23),
                         parse_options=pv.ParseOptions(delimiter=delim, newlines_in_values=True,
                                                       invalid_row_handler=on_invalid),
                         convert_options=pv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                           strings_can_be_null=False, quoted_strings_can_be_null=False))
    chunks: list[list[pa.Array]] = [[] for _ in names]
    breaks, filled = [], []
    for batch in reader:  # batch by batch: a skipped column never stays in memory
        nb = np.zeros(batch.num_rows, dtype=np.int64)
        nf = np.zeros(batch.num_rows, dtype=bool)
        for j, col in enumerate(batch.columns):
            if pc.any(pc.match_substring(col, "\n")).as_py():  # a quoted line break moves later rows down
                nb += np.asarray(pc.count_substring(col, "\n").to_numpy(zero_copy_only=False))
            stripped = strip(col)
            nf |= np.asarray(pc.not_equal(stripped, "").to_numpy(zero_copy_only=False), dtype=bool)
            if keep[j]:
                chunks[j].append(stripped)
        breaks.append(nb)
        filled.append(nf)
    if invalid:
        _row_width_faults(bytes(body).decode("utf-8"), delim, len(header), header_lines, str(path), faults)
        return None
    del body, raw, reader
    breaks = np.concatenate(breaks) if breaks else np.zeros(0, dtype=np.int64)
    filled = np.concatenate(filled) if filled else np.zeros(0, dtype=bool)
    cols = [pa.concat_arrays(c) if c else pa.array([], pa.string()) for c, k in zip(chunks, keep) if k]
    del chunks
    n_rows = len(filled)
    lines = header_lines + 1 + np.arange(n_rows) + np.concatenate([[0], np.cumsum(breaks)[:-1]])
    # rows of nothing but delimiters (a spreadsheet's empty lines) are not data
    if not filled.any():
        faults.add(str(path), "het bestand bevat geen gegevens (enkel lege velden)", "exporteer of bewaar het bestand opnieuw")
        return None
    if not filled.all():
        mask = pa.array(filled)
        cols = [c.filter(mask) for c in cols]
        lines = lines[filled]
        fmt["empty_rows_skipped"] = int((~filled).sum())
    return Table(str(path), header, dict(zip([h for h in header if h not in skip_columns], cols)), lines, fmt)


def _row_width_faults(body: str, delim: str, width: int, header_lines: int, path: str, faults: FaultCollector) -> None:
    """The slow path, only for a broken file: which rows have the wrong number of fields."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delim)
    start = header_lines + 1
    bad = []
    for fields in reader:
        if fields and len(fields) != width and any(f.strip() for f in fields):
            bad.append((start, len(fields)))
        start = header_lines + reader.line_num + 1
    for line, n in bad[:50]:
        faults.add(path, f"de rij heeft {n} velden, de kopregel {width} (afgebroken of verschoven rij, of een "
                   "scheidingsteken in een waarde zonder aanhalingstekens)",
                   "exporteer opnieuw; een afgebroken download of een manueel bewerkte rij veroorzaakt dit", row=f"regel {line}")
    if len(bad) > 50:
        faults.omitted += len(bad) - 50


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d %H:%M:%S") if hasattr(v, "hour") else v.strftime("%Y-%m-%d")
    return str(v)


def read_xlsx_table(path: str | Path, required: list[str], faults: FaultCollector) -> Table | None:
    """The one sheet whose first row holds the required columns."""
    import openpyxl

    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several types for a broken file
        faults.add(str(path), f"geen leesbaar Excel-bestand ({type(err).__name__})", "bewaar het bestand opnieuw als .xlsx")
        return None
    candidates = []
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first and all(c in [_cell_text(v).strip() for v in first] for c in required):
            candidates.append(ws.title)
    if len(candidates) != 1:
        problem = ("geen enkel blad heeft de verwachte kolommen in de eerste rij" if not candidates else
                   f"meerdere bladen hebben de verwachte kolommen: {candidates}")
        faults.add(str(path), problem, f"houd één blad met de kolommen {required} in de eerste rij")
        wb.close()
        return None
    ws = wb[candidates[0]]
    rows = [[_cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    wb.close()
    header = [h.strip() for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    named = [h for h in header if h]
    if len(set(named)) != len(named):
        dup = sorted({h for h in named if named.count(h) > 1})
        faults.add(str(path), f"dubbele kolomnamen {dup}", "geef elke kolom een unieke naam", row=f"blad {ws.title!r}, rij 1")
        return None
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(str(v).strip() for v in r)]
    if not body:
        faults.add(str(path), "het blad bevat geen gegevens", "vul het blad aan", row=f"blad {ws.title!r}")
        return None
    cols = {}
    for j, h in enumerate(header):
        if h:
            cols[h] = strip(pa.array([r[j] if j < len(r) else "" for _, r in body], pa.string()))
    lines = np.array([i for i, _ in body])
    return Table(str(path), header, cols, lines, {"encoding": "xlsx", "sheet": ws.title, "header_rows": 1, "kind": "Excel-blad"})


def read_table_file(path: str | Path, required: list[str], faults: FaultCollector,
                    skip_columns: set[str] = frozenset()) -> Table | None:
    """Frame or population: CSV (any detected encoding and delimiter) or XLSX."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_table(path, required, faults)
    return read_text_table(path, set(required), faults, skip_columns=skip_columns)
