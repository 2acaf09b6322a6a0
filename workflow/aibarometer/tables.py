"""Tables 1-6 of the report, from the spec, as CSV, Parquet and one XLSX workbook."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Codebook
from .domains import ALL, sector, size
from .spec import Estimates, bases_by_block, item_label, resolve_items
from .strata import Strata

PCT_COLUMNS = ["estimate", "ci_low", "ci_high"]
DUTCH = {
    "sector": "Sector (NACE)", "sector_label": "Sector", "size_class": "Grootteklasse (code)",
    "size_label": "Grootteklasse", "population": "Populatie", "sample": "Steekproef", "usable": "Bruikbare antwoorden",
    "row_code": "Code", "row_label": "Groep", "item": "Variabele", "item_label": "Item", "estimate": "Aandeel",
    "ci_low": "95%-BI ondergrens", "ci_high": "95%-BI bovengrens", "se": "Standaardfout", "n": "n (ongewogen)",
    "pop_size": "Geschatte populatie", "flag": "Vlag", "significant": "Significant verschillend van de rest",
    "nace": "NACE-codes", "weight": "Gewicht",
}


def strata_table(entry: dict, t1: pd.DataFrame, t2: pd.DataFrame, strata: Strata) -> pd.DataFrame:
    df = t1.merge(t2[["sector", "size_class", "usable", "weight"]], on=["sector", "size_class"])
    df["sector_label"] = df["sector"].map(strata.sector_label)
    df["size_label"] = df["size_class"].map(strata.size_label)
    cols = ["sector", "sector_label", "size_class", "size_label"] + list(entry["values"])
    if "usable" in entry["values"]:
        cols.append("weight")
    return df[cols]


def grid_table(entry: dict, est: Estimates, codebook: Codebook, strata: Strata) -> pd.DataFrame:
    items = resolve_items(entry, codebook)
    if entry["rows"] == "sector":
        groups = [(sector(s).name, s, strata.sector_label(s)) for s in strata.sector_codes]
    else:
        groups = [(size(c).name, c, strata.size_label(c)) for c in strata.size_codes]
    groups.append((ALL.name, "totaal", "Totaal"))
    rows = []
    for domain, code, label in groups:
        for var in items:
            e = est.get(var, entry["category"], domain)
            hidden = e["flag"] == "suppressed"  # too few respondents: no number leaves the pipeline
            rows.append({"row_code": code, "row_label": label, "item": var, "item_label": item_label(var, codebook),
                         **{k: (np.nan if hidden else e[k]) for k in ("estimate", "ci_low", "ci_high", "se")},
                         "n": int(e["n"]), "pop_size": e["pop_size"], "flag": e["flag"],
                         "significant": bool(e["significant"]) and not hidden if pd.notna(e["significant"]) else False})
    return pd.DataFrame(rows)


def sectors_table(config_strata: dict) -> pd.DataFrame:
    return pd.DataFrame([{"sector": s["code"], "sector_label": s["label"], "nace": "; ".join(s["nace"])}
                         for s in config_strata["sectors"]])


def build_tables(spec: dict, est: Estimates, t1: pd.DataFrame, t2: pd.DataFrame, codebook: Codebook,
                 strata: Strata, strata_config: dict) -> dict[int, pd.DataFrame]:
    out = {}
    for entry in spec["tables"]:
        if entry["type"] == "strata":
            out[entry["number"]] = strata_table(entry, t1, t2, strata)
        elif entry["type"] == "grid":
            out[entry["number"]] = grid_table(entry, est, codebook, strata)
        elif entry["type"] == "sectors":
            out[entry["number"]] = sectors_table(strata_config)
        else:
            raise ValueError(f"table {entry['number']}: unknown type {entry['type']!r}")
    return out


def _table_format(col: str) -> str | None:
    return "0.0%" if col in PCT_COLUMNS else "0.0000" if col == "se" else "#,##0.00" if col == "weight" \
        else "#,##0" if col in ("population", "sample", "usable", "n", "pop_size") else None


def _plain_format(col: str) -> str | None:
    return "0.0%" if col in ("Schatting", "95%-BI ondergrens", "95%-BI bovengrens", "Verschil met de rest",
                             "Variatiecoëfficiënt", "Responsgraad (bruikbaar / bereikt)",
                             "Dekkingsverlies (niet afgeleverd / steekproef)",
                             "Item-non-respons (geen antwoord of weet niet)") \
        else "0.0000" if col in ("Standaardfout", "Standaardfout verschil", "p-waarde (t-toets tegen de rest)",
                                 "q-waarde (Benjamini-Hochberg)", "p-waarde", "Waarde") \
        else "0.00" if col == "Designeffect" else "#,##0" if col == "Effectief aantal antwoorden" else None


def _sheet(wb, name: str, df: pd.DataFrame, headers: list[str], number_format, title: str | None = None,
           max_width: int = 60) -> None:
    """A sheet: an optional bold title row, a bold header row, the rows (a text cell is stored
    as text, never a formula, whatever an input file put in it), number formats and widths.
    The workbook is write-only (streamed to disk row by row): widths and the frozen header
    are set before the rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .stage import spreadsheet_safe

    ws = wb.create_sheet(name)
    top = 1 if title is None else 2
    headers = [spreadsheet_safe(h) for h in headers]
    for j, col in enumerate(df.columns, start=1):
        width = max(len(str(headers[j - 1])), *(len(str(v)) for v in df[col].head(50))) if len(df) else 10
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), max_width)
    ws.freeze_panes = f"A{top + 1}"
    bold = Font(bold=True)

    def styled(value, font=None, fmt=None):
        cell = WriteOnlyCell(ws, value=value)
        if font is not None:
            cell.font = font
        if fmt is not None:
            cell.number_format = fmt
        return cell

    if title is not None:
        ws.append([styled(spreadsheet_safe(title), bold)])
    ws.append([styled(h, bold) for h in headers])
    formats = [number_format(col) for col in df.columns]
    for row in df.itertuples(index=False):
        values = [None if (isinstance(v, float) and pd.isna(v)) else spreadsheet_safe(v) for v in row]
        ws.append([v if f is None or v is None else styled(v, fmt=f) for v, f in zip(values, formats)])


def label_order(label: str) -> tuple[int, int]:
    """Main-text tables (1, 2, ...) before the appendix (A1, A2, ...)."""
    return (1, int(label[1:])) if label.startswith("A") else (0, int(label))


def write_xlsx(tables: dict[int, pd.DataFrame], spec: dict, path: str | Path, synthetic: bool,
               first: tuple[str, pd.DataFrame] | None = None, own: list[tuple[str, str, pd.DataFrame]] = (),
               extra: list[tuple[str, pd.DataFrame]] = (), rel: dict | None = None) -> None:
    """One sheet per table, named and ordered as the report numbers them (``own``: the
    report's own tables as (label, short name, data)); Dutch headers, shares as numbers
    formatted as percentages; a first sheet that explains the workbook and further sheets
    (the data behind the figures, all estimates, the questions)."""
    from openpyxl import Workbook

    from .spec import table_labels
    from .workbook import flag_words, with_totals

    def plain(name, df):
        _sheet(wb, name, df, list(df.columns), _plain_format, max_width=70)

    labels = table_labels(spec)
    titles = {e["number"]: e["title"] for e in spec["tables"]}
    types = {e["number"]: e.get("type") for e in spec["tables"]}
    note = " (SYNTHETISCHE DEMODATA)" if synthetic else ""
    wb = Workbook(write_only=True)
    if first is not None:
        plain(*first)
    sheets = [(labels[n], n, None, df) for n, df in tables.items()] + [(lab, None, name, df) for lab, name, df in own]
    for label, number, name, df in sorted(sheets, key=lambda s: label_order(s[0])):
        if number is None:
            plain(f"Tabel {label} ({name})", df)
            continue
        if types.get(number) == "strata":
            df = with_totals(df)
        if rel is not None and "flag" in df.columns:
            df = df.assign(flag=[flag_words(f, rel) for f in df["flag"]])
        if "significant" in df.columns:
            df = df.assign(significant=np.where(df["significant"].astype(bool), "ja", "nee"))
        _sheet(wb, f"Tabel {label}", df, [DUTCH.get(c, c) for c in df.columns], _table_format,
               title=f"Tabel {label}: {titles[number]}{note}")
    for name, df in extra:
        plain(name, df)
    wb.properties.creator = "aibarometer"
    tmp = Path(path).with_name(f".{Path(path).name}.tmp")
    wb.save(tmp)
    _stable_zip(tmp, path)
    tmp.unlink()


def _stable_zip(src: Path, dst: str | Path) -> None:
    """Same workbook, same bytes: openpyxl stamps the save time into docProps/core.xml
    and into every zip entry; replace both by a fixed date."""
    import re
    import zipfile

    fixed = "2000-01-01T00:00:00Z"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + fixed.encode() + rb"\2", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, data)


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``tables``)."""
    from . import contracts as c
    from .config import load_codebook
    from .indicators import attach
    from .spec import load_spec
    from .stage import write_table

    spec = load_spec(input.spec)
    codebook = attach(load_codebook(input.codebook), spec)
    strata = Strata(params.strata)
    est = Estimates(pd.read_parquet(input.estimates))
    t1, t2 = pd.read_csv(input.table1), pd.read_csv(input.table2)
    c.require(t1.columns, c.TABLE1, input.table1, "clean")
    c.require(t2.columns, c.TABLE2, input.table2, "clean")
    tables = build_tables(spec, est, t1, t2, codebook, strata, params.strata)
    outdir = Path(output.xlsx).parent
    for number, df in tables.items():
        write_table(df, outdir / f"table{number}.csv")
        write_table(df, outdir / f"table{number}.parquet")
    from .spec import table_labels
    from .workbook import (all_estimates, eurostat_sheet, explanation, figure_data, flow_sheet, precision_sheet,
                           quality_sheets, questions, trend_sheet)

    rel = params.estimation["reliability"]
    bases = bases_by_block(pd.read_csv(input.bases))
    n_usable = int(pd.read_csv(input.table2)["usable"].sum())
    labels = table_labels(spec)
    write_xlsx(tables, spec, output.xlsx, params.synthetic,
               first=("Toelichting", explanation(dict(params.wave), params.estimation["confidence_level"], rel, n_usable,
                                                 params.synthetic)),
               own=[(labels["flow"], "responsstroom", flow_sheet(pd.read_csv(input.flow))),
                    (labels["eurostat"], "Eurostat", eurostat_sheet(input.eurostat, est.df, params.wave["year"])),
                    (labels["trend"], "evolutie", trend_sheet(pd.read_parquet(input.trend), codebook, dict(params.years))),
                    (labels["precision"], "precisie", precision_sheet(spec, est.df, codebook, rel))],
               extra=[(f"Figuur {e['number']}", figure_data(e, est.df, codebook, strata, rel)) for e in spec["figures"]]
               + quality_sheets(pd.read_csv(input.quality_strata), pd.read_csv(input.quality_items),
                                json.loads(Path(input.representativity).read_text(encoding="utf-8")), strata)
               + [("Alle schattingen", all_estimates(est.df, codebook, strata, rel)),
                  ("Vragen", questions(codebook, bases))], rel=rel)
    log(f"wrote tables {sorted(tables)} to {outdir}")
