"""Writers: the demo wave as files, in the forms real exports come in.

* ``export_legacy.csv``: Qualtrics' legacy CSV (UTF-8 with BOM, CRLF, three header
  rows: column names, question texts, ImportIds);
* ``export_single.csv``: the same with one header row;
* ``export_choice_text.csv``: "Use choice text": answer labels instead of codes;
* ``export.sav``: SPSS, with the column names ingest maps back, numbers as numbers;
* ``frame.csv``, ``population.csv`` and ``intended_exclusions.csv`` beside them.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Codebook


@dataclass
class DemoWave:
    frame: pd.DataFrame
    population: pd.DataFrame
    export: pd.DataFrame  # columns = codebook columns, values as the tool writes them (strings)
    intended: pd.DataFrame  # per response: the exclusion rule the generator intended ('' = usable) and stratum
    # the usable respondents' enterprise numbers and technology answers (for a later wave
    # drawn from the same register, demo/register.py); not written
    panel: pd.DataFrame | None = None


def import_id(item) -> str:
    if item.block == "meta":
        meta_ids = {"StartDate": "startDate", "EndDate": "endDate", "RecordedDate": "recordedDate"}
        if item.column in meta_ids:
            return json.dumps({"ImportId": meta_ids[item.column], "timeZone": "Europe/Brussels"})
        return json.dumps({"ImportId": item.column[0].lower() + item.column[1:].replace(" ", "")})
    qid = item.column.replace("Q", "QID", 1)
    return json.dumps({"ImportId": qid})


def legacy_csv(export: pd.DataFrame, codebook: Codebook, header_rows: int = 3) -> bytes:
    """The export as Qualtrics writes it: UTF-8 with BOM, three header rows (or one)."""
    items = [codebook.by_column[c] for c in export.columns]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(export.columns)
    if header_rows == 3:
        w.writerow([i.text for i in items])
        w.writerow([import_id(i) for i in items])
    w.writerows(export.itertuples(index=False, name=None))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def choice_text_csv(export: pd.DataFrame, codebook: Codebook) -> bytes:
    """The export as Qualtrics writes it with "Use choice text": answer labels instead of
    codes (a ticked option as its choice text), Finished as True/False, Progress as 100.0."""
    out = export.copy()
    for item in (codebook.by_column[c] for c in export.columns):
        col = out[item.column]
        if item.column == "Finished":
            out[item.column] = col.map({"1": "True", "0": "False"}).fillna(col)
        elif item.column == "Status":
            out[item.column] = col.map({"0": "IP Address", "1": "Survey Preview", "2": "Survey Test"}).fillna(col)
        elif item.column == "Progress":
            out[item.column] = [f"{v}.0" if v else v for v in col]
        elif item.type == "multi":
            choice = item.text.rsplit(" - ", 1)[1] if " - " in item.text else item.label
            out[item.column] = [choice if v.strip() == "1" else v for v in col]
        elif item.type == "single":
            labels = {str(k): lab for k, lab in item.codes.items()}
            out[item.column] = [labels.get(v.strip(), v) for v in col]
    return legacy_csv(out, codebook, 3)


def write_sav(export: pd.DataFrame, codebook: Codebook, path: Path) -> None:
    import pyreadstat

    from ..ingest import spss_name  # the same mapping ingest reads back
    df = pd.DataFrame()
    labels, value_labels = {}, {}
    for col in export.columns:
        item = codebook.by_column[col]
        name = spss_name(col)
        series = export[col]
        if item.type in ("single", "multi", "number", "percentage"):
            # a .sav stores numbers: the Dutch-typed 1.236 of the CSV is the number 1236 there
            text = series.str.strip().replace("", np.nan)
            if item.type == "number":
                text = text.str.replace(r"^(\d{1,3})\.(\d{3})$", r"\1\2", regex=True)
            df[name] = pd.to_numeric(text)
        else:
            df[name] = series
        labels[name] = item.text
        if item.codes:
            value_labels[name] = {float(k): v for k, v in item.codes.items()}
    pyreadstat.write_sav(df, str(path), column_labels=labels, variable_value_labels=value_labels)


def write_wave(wave: DemoWave, codebook: Codebook, out: Path, formats=("legacy",)) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def put(name: str, data: bytes):
        p = out / name
        p.write_bytes(data)
        written.append(p)

    put("frame.csv", wave.frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    put("population.csv", wave.population.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    put("intended_exclusions.csv", wave.intended.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    if "legacy" in formats:
        put("export_legacy.csv", legacy_csv(wave.export, codebook, 3))
    if "single" in formats:
        put("export_single.csv", legacy_csv(wave.export, codebook, 1))
    if "choice" in formats:
        put("export_choice_text.csv", choice_text_csv(wave.export, codebook))
    if "sav" in formats:
        write_sav(wave.export, codebook, out / "export.sav")
        written.append(out / "export.sav")
    return written


