"""Reading the raw export: the three Qualtrics CSV layouts or SPSS .sav, every column of the
codebook parsed by the rules of :mod:`aibarometer.parse`; faults name the line and the
response's pseudonym, never its raw id."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from . import parse
from .config import Codebook, Item
from .errors import FaultCollector
from .pseudonyms import DEMO_KEY, pseudonymise
from .readings import Readings, apply
from .tabular import Table, read_text_table, require_file


def spss_name(column: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", column)
    return name if name[0].isalpha() else "V" + name


def export_header_rows(codebook: Codebook):
    """The three Qualtrics CSV layouts, told apart by their second and third rows."""
    def detect(rows: list[list[str]]) -> tuple[int, str]:
        if len(rows) >= 3 and rows[2] and rows[2][0].lstrip().startswith('{"ImportId"'):
            return 3, "qualtrics legacy csv"
        header = [h.strip() for h in rows[0]]
        if header[:2] == ["V1", "V2"] and len(rows) >= 2 and rows[1] and rows[1][0].strip() == "ResponseID":
            return 2, "qualtrics csv, old layout (V1, V2, ... with field names in the second row)"
        if len(rows) >= 2 and rows[1] and header and header[0] in codebook.by_column and \
                rows[1][0].strip() == codebook.by_column[header[0]].text:
            return 2, "qualtrics csv with question texts"
        return 1, "single-header csv"
    return detect


def read_sav_table(path: Path, codebook: Codebook, faults: FaultCollector) -> Table | None:
    import pyreadstat
    try:
        df, _meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as err:  # pyreadstat raises its own error types
        faults.add(str(path), f"geen leesbaar SPSS-bestand ({type(err).__name__})", "exporteer opnieuw als SPSS (.sav)")
        return None
    if df.empty:
        faults.add(str(path), "het bestand bevat geen antwoorden", "exporteer opnieuw uit het enquêteplatform")
        return None
    rename = {spss_name(i.column): i.column for i in codebook.items}
    df = df.rename(columns={c: rename.get(c, c) for c in df.columns})

    def as_text(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    cols = {c: parse.strip(pa.array(df[c].map(as_text).tolist(), pa.string())) for c in df.columns}
    return Table(str(path), list(df.columns), cols, np.arange(1, len(df) + 1),
                 {"encoding": "spss", "header_rows": 0, "kind": "spss sav"}, unit="rij")


def read_export_table(path: Path, codebook: Codebook, faults: FaultCollector) -> Table | None:
    if path.suffix.lower() == ".sav":
        table = read_sav_table(path, codebook, faults)
        return table
    return read_text_table(path, set(codebook.by_column), faults, export_header_rows(codebook),
                           skip_columns={i.column for i in codebook.personal})  # personal data: never read


# Platform metadata kept as text, read as known values (by var); any other text item that is
# not marked personal keeps nothing (parse.free_text): free text may hold personal data.
META_TEXT = {"distribution_channel": parse.channels, "user_language": parse.languages}


def blanked_entry(file: str, column: str, mask: np.ndarray, why: str, where) -> dict:
    """A column's values not kept (ingest_report.json ``blanked``): how many and where, never the values."""
    rows = np.flatnonzero(mask)
    return {"file": file, "column": column, "reason": why, "count": int(len(rows)),
            "first_rows": [where(int(i)) for i in rows[:10]]}


def code_labels(item: Item, codebook: Codebook) -> frozenset[str]:
    """The words of a code list (labels, aliases; lower case): the codebook's own, so a
    reading may quote them (a choice-text export's ``Ja`` read as 1)."""
    if item.type not in ("single", "multi") or not item.codes:
        return frozenset()
    words = {str(v) for v in item.codes.values()} | set(codebook.label_aliases.get(item.codes_name, {}))
    if item.type == "multi":
        words.add(item.label)
        if " - " in item.text:
            words.add(item.text.rsplit(" - ", 1)[1])
    return frozenset(" ".join(w.split()).lower() for w in words)


def parse_item(item: Item, arr: pa.Array, codebook: Codebook, evidence) -> parse.Parsed:
    if item.type in ("single", "multi"):
        extra = {item.label: 1} if item.type == "multi" else None
        if item.type == "multi" and " - " in item.text:
            extra[item.text.rsplit(" - ", 1)[1]] = 1
        return parse.codes(arr, item.codes, codebook.label_aliases.get(item.codes_name), extra)
    if item.type == "number":
        return parse.count(arr)
    if item.type == "percentage":
        return parse.decimal(arr)
    if item.type == "enterprise_number":
        return parse.enterprise_numbers(arr)
    if item.type == "nace":
        return parse.nace(arr)
    if item.type == "datetime":
        return parse.datetimes(arr, evidence)
    if item.type == "text":  # not personal (those are never read): a known form, or nothing is kept
        return META_TEXT.get(item.var, parse.free_text)(arr)
    values = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)
    return parse.Parsed(np.where(values == "", None, values))


def read_export(path: str | Path, codebook: Codebook, key: bytes = DEMO_KEY.encode(),
                real_status: tuple[int, ...] = (0, 4, 16)):
    """Read and validate a raw export. Returns (typed data keyed by codebook var -- personal
    columns are checked to be there but never read; info; the table; pending NACE readings
    for the frame to settle)."""
    path = Path(path)
    faults = FaultCollector()
    require_file(path, "export")
    table = read_export_table(path, codebook, faults)
    faults.raise_if_any()
    missing = [i.column for i in codebook.items if i.column not in table.header]
    unknown = [c for c in table.header if c not in codebook.by_column]
    if len(missing) > 5:  # another questionnaire or another layout: one message, not one per column
        found = len(codebook.items) - len(missing)
        layout = (" De export heeft de oude Qualtrics-indeling (V1, V2, ...)." if table.format.get("kind", "").startswith(
            "qualtrics csv, old") else "")
        faults.add(str(path), f"{len(missing)} van de {len(codebook.items)} verplichte kolommen ontbreken (bv. "
                   f"{missing[:6]}); de export heeft {len(table.header)} kolommen, waarvan {found} uit het codeboek "
                   f"(onbekend o.a. {unknown[:6]}).{layout} Dit is de export van een andere vragenlijst of een "
                   "andere exportindeling", "exporteer de antwoorden van deze vragenlijst opnieuw uit het "
                   "enquêteplatform ('Download all fields', CSV of SPSS), of geef de golf een codeboek dat bij deze "
                   "vragenlijst past (codebook in config/waves/<golf>.yaml)", column=None)
        missing = []
    for c in missing:
        hint = f"; de export heeft wel de onbekende kolom(men) {unknown[:10]} — hernoemd?" if unknown else ""
        faults.add(str(path), f"verplichte kolom ontbreekt{hint}",
                   "exporteer alle velden opnieuw, of pas het codeboek van de golf aan als de vragenlijst veranderde",
                   column=c)
    faults.raise_if_any()
    id_item = codebook.role("response_id")
    ids = table.text(id_item.column)
    pids = pseudonymise(np.where(ids == "", None, ids), key, "response").to_numpy()

    def where(i: int) -> str:
        return f"{table.where(i)} (respons {pids[i]})" if pids[i] else table.where(i)

    readings = Readings()
    file = str(path)
    evidence = parse.day_first_evidence([table.columns[i.column] for i in codebook.items if i.type == "datetime"])
    out: dict[str, object] = {}
    blanked: list[dict] = []
    nace_pending = None
    for item in codebook.items:
        if item.column not in table.columns:  # a personal column: its values are never read
            continue
        parsed = parse_item(item, table.columns[item.column], codebook, evidence)
        personal = item.personal or item.type in ("enterprise_number", "meta")
        if item.type in ("number", "percentage") and item.range:
            lo, hi = item.range
            out_of = parse.in_range(parsed.values, lo, hi)
            if out_of.any():
                parsed.faults.append((out_of, f"buiten het toegelaten bereik [{lo:.10g}, {hi:.10g}]",
                                      "corrigeer de waarde of pas het bereik in het codeboek aan"))
        apply(parsed, file, item.column, table, where, faults, readings, personal, code_labels(item, codebook))
        blanked += [blanked_entry(file, item.column, mask, why, where) for mask, why in parsed.blanked]
        if item.type == "nace":
            nace_pending = (item, parsed)
        values = parsed.values
        if item.type in ("single", "multi"):
            # the smallest integer type the code list fits: a 1000x wave reads back 8x less
            top = max(map(abs, item.codes), default=0) if item.codes else 0
            kind = "Int8" if top <= 127 else "Int16" if top <= 32767 else "Int64"
            values = pd.array(np.where(np.isnan(values), 0, values).astype(np.int64), dtype=kind)
            values[np.isnan(parsed.values)] = pd.NA
        out[item.var] = values
    df = pd.DataFrame(out)
    if (ids == "").any():
        faults.add_rows(file, "lege respons-id", "elke respons moet een unieke id hebben; exporteer opnieuw",
                        ids == "", where, column=id_item.column)
    dup = pd.Series(ids).duplicated(keep=False).to_numpy() & (ids != "")
    if dup.any():
        for pid, grp in pd.Series(np.flatnonzero(dup)).groupby(pids[dup]):
            places = ", ".join(table.where(int(i)) for i in grp)
            faults.add(file, f"respons-id komt {len(grp)} keer voor ({places})",
                       "verwijder de dubbele rijen (bv. twee exports samengevoegd) of exporteer opnieuw",
                       row=f"respons {pid}", column=id_item.column)
    invited = codebook.role("invited_enterprise")
    # a preview or test from the survey editor has no invitation; it is excluded by rule (v)
    real = real_rows(df, real_status)
    no_invite = (table.text(invited.column) == "") & real
    faults.add_rows(file, "geen uitgenodigd ondernemingsnummer", "elke uitnodiging moet het ondernemingsnummer als "
                    "External Data Reference meekrijgen; vul het aan uit de verzendlijst", no_invite, where,
                    column=invited.column)
    faults.raise_if_any(readings.items)
    info = {"format": {**table.format, "file": file}, "rows": int(len(df)), "dropped_unknown_columns": unknown,
            "readings": readings.items, "blanked": blanked}
    return df, info, (table, where, readings, nace_pending, pids)


def real_rows(df: pd.DataFrame, real_status) -> np.ndarray:
    """Rows whose Status marks a real response (no Status column: all)."""
    if "status" not in df.columns:
        return np.ones(len(df), dtype=bool)
    return df["status"].isin(list(real_status)).fillna(False).to_numpy(dtype=bool) | df["status"].isna().to_numpy()


