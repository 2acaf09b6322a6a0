"""Ingest: read a raw export, the sample frame and the population counts as researchers
hand them in, validate them against the codebook, and drop personal data.

Reading (README, "Inputs"): the export's encoding (UTF-8 with or without BOM, UTF-16,
Windows-1252), delimiter (comma, semicolon, tab) and header rows (Qualtrics legacy CSV
with three, with question texts two, or a single header; SPSS ``.sav``) are found from
the bytes and the codebook's column names; frame and population may also be ``.xlsx``.
Values are read by the rules of :mod:`aibarometer.parse`. What is unambiguous is read and
recorded in ``ingest_report.json`` (``format`` and ``readings``); what is not stops the
stage. Every fault found is collected and reported together: file, line and pseudonym
of the response, column, what is wrong and what would fix it. A value is quoted only
when it cannot be personal data (:func:`aibarometer.errors.safe_value`).

Personal data stops here: columns marked ``personal`` in the codebook (names, e-mail,
IP address, geolocation, free text) and the frame's contact fields are never written;
response ids and enterprise numbers are replaced by keyed pseudonyms (HMAC-SHA256).
"""

from __future__ import annotations

import hmac
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from . import parse
from .config import Codebook, Item
from .errors import Fault, FaultCollector, InputError
from .strata import Strata
from .tabular import Table, read_table_file, read_text_table

DEMO_KEY = "aibarometer-demo-key: public, for synthetic demo waves only"
MIN_KEY_BYTES = 32
FRAME_COLUMNS = ["ondernemingsnummer", "nace", "werknemers", "sector", "grootteklasse", "email_status"]
FRAME_PERSONAL = ["naam", "contactpersoon", "email"]
EMAIL_STATUS = {"afgeleverd": False, "onbestelbaar": True}
POPULATION_COLUMNS = ["sector", "size_class", "population"]
EXAMPLES = 3  # raw -> read examples kept per reading (never of a personal column)


# ---------------------------------------------------------------------------
# pseudonyms


def pseudonym_key(env_var: str, synthetic: bool) -> tuple[bytes, str]:
    """The key from the environment (at least 32 bytes); the documented demo key only for synthetic waves."""
    value = os.environ.get(env_var, "")
    if value and (synthetic or len(value.encode("utf-8")) >= MIN_KEY_BYTES):
        return value.encode("utf-8"), f"environment variable {env_var}"
    if synthetic:
        return DEMO_KEY.encode("utf-8"), "documented demo key (synthetic wave)"
    problem = (f"de sleutel voor de pseudoniemen is te kort ({len(value.encode('utf-8'))} bytes; minstens "
               f"{MIN_KEY_BYTES} nodig, anders zijn de pseudoniemen door uitproberen terug te rekenen)" if value else
               "geen sleutel voor de pseudoniemen ingesteld")
    raise InputError(Fault(
        f"${env_var}", problem,
        f"zet de omgevingsvariabele {env_var} op een geheime, willekeurige sleutel van minstens {MIN_KEY_BYTES} bytes "
        "die buiten de repository bewaard wordt (bv. openssl rand -hex 32 > ~/.aibarometer-key; "
        "export AIBAROMETER_PSEUDONYM_KEY=$(cat ~/.aibarometer-key)); de demosleutel geldt enkel voor synthetische golven"))


def pseudonym_map(values, key: bytes, kind: str) -> dict:
    """value -> keyed pseudonym (HMAC-SHA256, 16 hex digits), one HMAC per distinct value."""
    prefix = kind[0] + "_"
    return {v: prefix + hmac.digest(key, f"{kind}:{v}".encode(), "sha256").hex()[:16]
            for v in pd.unique(pd.Series(values, dtype=object).dropna())}


def pseudonymise(values, key: bytes, kind: str, known: dict | None = None) -> pd.Series:
    values = pd.Series(values, dtype=object)
    mapping = dict(known or {})
    missing = values[values.notna() & ~values.isin(mapping.keys())] if mapping else values
    mapping.update(pseudonym_map(missing, key, kind))
    return values.map(mapping).astype(object).where(values.notna(), None)


# ---------------------------------------------------------------------------
# reading records


class Readings:
    """Values read in a tolerated form: per file, column and kind, a count, the first
    rows and (for columns that are not personal) a few raw -> read examples."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, file: str, column: str, how: str, mask: np.ndarray, table: Table | None,
            raw: np.ndarray | None = None, read=None, personal: bool = False) -> None:
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        entry = {"file": file, "column": column, "reading": how, "count": int(len(rows)),
                 "first_rows": [table.where(int(i)) if table is not None else f"rij {i + 1}" for i in rows[:10]]}
        if not personal and raw is not None and read is not None:
            entry["examples"] = [{"raw": str(raw[i]), "read": _plain(read[i])} for i in rows[:EXAMPLES]]
        self.items.append(entry)


def _plain(v):
    if isinstance(v, (float, np.floating)):
        return int(v) if float(v).is_integer() else float(v)
    if isinstance(v, np.datetime64):
        return str(v)[:19].replace("T", " ")
    return v if v is None or isinstance(v, (int, str)) else str(v)


def apply(parsed: parse.Parsed, file: str, column: str, table: Table, where, faults: FaultCollector,
          readings: Readings, personal: bool = False) -> None:
    if not parsed.faults and not parsed.readings:
        return
    raw = table.text(column) if column in table.columns else None  # Python strings: only when needed
    for mask, problem, fix in parsed.faults:
        faults.add_rows(file, problem, fix, mask, where, column=column, values=raw, personal=personal)
    for mask, how in parsed.readings:
        readings.add(file, column, how, mask, table, raw, parsed.values, personal)


# ---------------------------------------------------------------------------
# reading the export


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
                 {"encoding": "spss", "header_rows": 0, "kind": "spss sav", "sheet": None})


def read_export_table(path: Path, codebook: Codebook, faults: FaultCollector) -> Table | None:
    if path.suffix.lower() == ".sav":
        table = read_sav_table(path, codebook, faults)
        if table is not None:
            table.format.pop("sheet")
            table.where = lambda i: f"rij {i + 1}"  # type: ignore[method-assign]
        return table
    return read_text_table(path, set(codebook.by_column), faults, export_header_rows(codebook),
                           skip_columns={i.column for i in codebook.personal})  # personal data: never read


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
    values = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)
    return parse.Parsed(np.where(values == "", None, values))


def read_export(path: str | Path, codebook: Codebook, key: bytes = DEMO_KEY.encode(),
                real_status: tuple[int, ...] = (0, 4, 16)):
    """Read and validate a raw export. Returns (typed data keyed by codebook var -- personal
    columns are checked to be there but never read; info; the table; pending NACE readings
    for the frame to settle)."""
    path = Path(path)
    faults = FaultCollector()
    if not path.is_file():
        raise InputError(Fault(str(path), "bestand niet gevonden", "controleer inputs.export in config/waves/<wave>.yaml"))
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
        apply(parsed, file, item.column, table, where, faults, readings, personal)
        if item.type == "nace":
            nace_pending = (item, parsed)
        values = parsed.values
        if item.type in ("single", "multi"):
            values = pd.array(np.where(np.isnan(values), 0, values).astype(np.int64), dtype="Int64")
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
            "readings": readings.items}
    return df, info, (table, where, readings, nace_pending, pids)


def real_rows(df: pd.DataFrame, real_status) -> np.ndarray:
    """Rows whose Status marks a real response (no Status column: all)."""
    if "status" not in df.columns:
        return np.ones(len(df), dtype=bool)
    return df["status"].isin(list(real_status)).fillna(False).to_numpy(dtype=bool) | df["status"].isna().to_numpy()


# ---------------------------------------------------------------------------
# frame and population


def read_frame(path: str | Path, strata: Strata) -> tuple[pd.DataFrame, dict]:
    path = Path(path)
    faults = FaultCollector()
    if not path.is_file():
        raise InputError(Fault(str(path), "bestand niet gevonden", "controleer inputs.frame in config/waves/<wave>.yaml"))
    table = read_table_file(path, FRAME_COLUMNS, faults, skip_columns=set(FRAME_PERSONAL))  # contacts: never read
    faults.raise_if_any()
    _require(table, FRAME_COLUMNS, faults)
    file, where, readings = str(path), table.where, Readings()
    numbers = parse.enterprise_numbers(table.columns["ondernemingsnummer"])
    apply(numbers, file, "ondernemingsnummer", table, where, faults, readings, personal=True)
    ent = numbers.values
    dup = pd.Series(ent).duplicated(keep=False).to_numpy() & pd.notna(ent)
    for _, grp in pd.Series(np.flatnonzero(dup)).groupby(ent[dup]):
        faults.add(file, f"onderneming komt {len(grp)} keer voor ({', '.join(where(int(i)) for i in grp[:10])})",
                   "houd één rij per onderneming in het steekproefkader", column="ondernemingsnummer")
    for column, allowed in (("sector", strata.sector_codes), ("grootteklasse", strata.size_codes),
                            ("email_status", list(EMAIL_STATUS))):
        vals = table.text(column)
        faults.add_rows(file, f"onbekende {'e-mailstatus' if column == 'email_status' else column}",
                        f"gebruik een code uit {allowed}", ~np.isin(vals, allowed), where, column=column, values=vals)
    emp = parse.count(table.columns["werknemers"])
    apply(emp, file, "werknemers", table, where, faults, readings)
    nace = parse.nace(table.columns["nace"])
    nace = parse.settle_nace(nace)  # no other source settles the frame's own codes
    apply(nace, file, "nace", table, where, faults, readings)
    faults.raise_if_any(readings.items)
    frame = pd.DataFrame({
        "enterprise": ent, "nace": nace.values, "employees": emp.values, "sector": table.text("sector"),
        "size_class": table.text("grootteklasse"),
        "undeliverable": pd.Series(table.text("email_status")).map(EMAIL_STATUS).astype(bool).to_numpy()})
    return frame, {"format": {**table.format, "file": file}, "rows": len(frame), "readings": readings.items}


def _require(table: Table, columns: list[str], faults: FaultCollector) -> None:
    missing = [c for c in columns if c not in table.columns]
    for c in missing:
        faults.add(table.path, "verplichte kolom ontbreekt", f"voeg de kolom toe (verwacht: {columns})", column=c)
    faults.raise_if_any()


def read_population(path: str | Path, strata: Strata) -> tuple[pd.DataFrame, dict]:
    path = Path(path)
    faults = FaultCollector()
    if not path.is_file():
        raise InputError(Fault(str(path), "bestand niet gevonden", "controleer inputs.population in config/waves/<wave>.yaml"))
    table = read_table_file(path, POPULATION_COLUMNS, faults)
    faults.raise_if_any()
    _require(table, POPULATION_COLUMNS, faults)
    file, readings = str(path), Readings()
    sector, size = table.text("sector"), table.text("size_class")
    where = lambda i: f"{table.where(i)} (stratum {sector[i]} | {size[i]})"  # noqa: E731
    pop = parse.count(table.columns["population"])
    for mask, how in pop.readings:
        readings.add(file, "population", how, mask, table, table.text("population"), pop.values)
    with np.errstate(invalid="ignore"):
        bad = np.isnan(pop.values) | (pop.values <= 0) | (pop.values > 1e9)
    faults.add_rows(file, "populatie-aantal ontbreekt of is geen positief geheel getal", "vul het aantal bedrijven in "
                    "het stratum in (een geheel getal groter dan 0, bv. 2000 of 2.000)", bad, where, column="population",
                    values=table.text("population"))
    known = set(strata.all_strata())
    keys = list(zip(sector, size))
    seen = set()
    for i, k in enumerate(keys):
        if k not in known:
            faults.add(file, f"onbekend stratum {k[0]} | {k[1]}", "gebruik de sector- en grootteklassecodes uit "
                       "config/config.yaml (strata)", row=table.where(i))
        elif k in seen:
            faults.add(file, f"stratum {k[0]} | {k[1]} komt meer dan eens voor", "houd één rij per stratum", row=table.where(i))
        seen.add(k)
    for s, c in strata.all_strata():
        if (s, c) not in seen:
            faults.add(file, f"stratum {s} | {c} ontbreekt", "voeg een rij toe met het populatie-aantal van dit stratum")
    faults.raise_if_any(readings.items)
    df = pd.DataFrame({"sector": sector, "size_class": size, "population": pop.values.astype(int)})
    return df[POPULATION_COLUMNS], {"format": {**table.format, "file": file}, "rows": len(df), "readings": readings.items}


# ---------------------------------------------------------------------------
# the stage


def ingest(export_path, frame_path, population_path, codebook: Codebook, strata: Strata, key: bytes,
           real_status: tuple[int, ...] = (0, 4, 16)):
    """Validate all three inputs; return pseudonymised responses, frame and population."""
    faults = FaultCollector()
    results = {}
    for name, fn in (("export", lambda: read_export(export_path, codebook, key, real_status)),
                     ("frame", lambda: read_frame(frame_path, strata)),
                     ("population", lambda: read_population(population_path, strata))):
        try:
            results[name] = fn()
        except InputError as err:
            faults.extend(err)
    faults.raise_if_any()
    responses, info, (table, where, readings, nace_pending, pids) = results["export"]
    frame, frame_info = results["frame"]
    population, pop_info = results["population"]
    file = str(export_path)

    invited = codebook.role("invited_enterprise")
    reported = codebook.role("reported_enterprise")
    in_frame = responses[invited.var].isin(frame["enterprise"]).to_numpy() | responses[invited.var].isna().to_numpy()
    faults.add_rows(file, "uitgenodigd ondernemingsnummer staat niet in het steekproefkader",
                    f"controleer of {frame_path} het kader van deze golf is, of dat de uitnodiging bij een andere golf hoort",
                    ~in_frame, where, column=invited.column, values=responses[invited.var].to_numpy(), personal=True)
    undeliverable = set(frame.loc[frame["undeliverable"], "enterprise"])
    bounced = responses[invited.var].isin(undeliverable).to_numpy()
    faults.add_rows(str(frame_path), "onderneming antwoordde maar staat als 'onbestelbaar' in het kader",
                    "zet email_status op 'afgeleverd' voor deze onderneming", bounced, where, column="email_status")
    # A four-digit NACE code is settled by the frame's code for the firm the response is about.
    fr = frame.set_index("enterprise")
    item, parsed = nace_pending
    settled = parse.settle_nace(parsed, responses[reported.var].map(fr["nace"]).to_numpy(dtype=object),
                                responses[invited.var].map(fr["nace"]).to_numpy(dtype=object))
    settled.faults = settled.faults[len(parsed.faults):]
    settled.readings = settled.readings[len(parsed.readings):]
    apply(settled, file, item.column, table, where, faults, readings)
    responses[item.var] = settled.values
    # Two responses on one invitation (a retaken link) are not a fault of the file:
    # exclusion rule (d) keeps one of them in the clean stage.
    info["responses_on_a_shared_invitation"] = int(
        (responses[invited.var].duplicated(keep=False) & responses[invited.var].notna()).sum())
    frame_counts = frame.groupby(["sector", "size_class"]).size()
    pop = population.set_index(["sector", "size_class"])["population"]
    for (s, c), n in frame_counts.items():
        if n > pop.get((s, c), 0):
            faults.add(str(population_path), f"stratum {s} | {c}: {n} ondernemingen in het kader, maar populatie {pop.get((s, c), 0)}",
                       "het populatie-aantal kan niet kleiner zijn dan de steekproef; controleer beide bestanden",
                       column="population")
    faults.raise_if_any(readings.items + frame_info["readings"] + pop_info["readings"])

    # join frame values (fallback for missing answers), then pseudonymise
    responses = responses.join(fr[["nace", "employees", "sector", "size_class"]].add_prefix("frame_"), on=invited.var)
    responses["in_frame_reported"] = responses[reported.var].isin(fr.index) | responses[reported.var].isna()
    responses["response_pid"] = pids
    firms = pseudonym_map(frame["enterprise"], key, "enterprise")  # one HMAC per firm, shared by the three
    responses["invited_pid"] = pseudonymise(responses[invited.var], key, "enterprise", firms).to_numpy()
    responses["reported_pid"] = pseudonymise(responses[reported.var], key, "enterprise", firms).to_numpy()
    drop = [i.var for i in codebook.personal] + [codebook.role("response_id").var, invited.var, reported.var]
    responses = responses.drop(columns=drop, errors="ignore")  # personal columns were never read
    frame = frame.assign(enterprise_pid=frame["enterprise"].map(firms).to_numpy()).drop(columns=["enterprise"])
    front = ["response_pid", "invited_pid", "reported_pid"]
    responses = responses[front + [c for c in responses.columns if c not in front]]
    info["readings"] = readings.items + frame_info["readings"] + pop_info["readings"]
    info["formats"] = {"export": info.pop("format"), "frame": frame_info["format"], "population": pop_info["format"]}
    return responses, frame[["enterprise_pid", "nace", "employees", "sector", "size_class", "undeliverable"]], population, info


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``ingest``)."""
    from .config import load_codebook
    from .stage import write_json, write_table

    codebook = load_codebook(input.codebook)
    strata = Strata(params.strata)
    key, key_source = pseudonym_key(params.key_env, params.synthetic)
    responses, frame, population, info = ingest(input.export, input.frame, input.population, codebook, strata, key,
                                                tuple(params.real_status_codes))
    fmt = info["formats"]["export"]
    log(f"read {info['rows']} responses ({fmt['kind']}, {fmt['encoding']}, {fmt.get('delimiter', '')}); "
        f"frame {len(frame)}; {len(population)} strata")
    for r in info["readings"]:
        log(f"read in a tolerated form: {r['count']}x {r['reading']} ({Path(r['file']).name}, column {r['column']})")
    if info["dropped_unknown_columns"]:
        log(f"dropped columns not in the codebook: {info['dropped_unknown_columns']}")
    write_table(responses, output.responses)
    write_table(frame, output.frame)
    write_table(population, output.population)
    info.update(pseudonym_key=key_source, dropped_personal_columns=[i.column for i in codebook.personal],
                dropped_frame_columns=FRAME_PERSONAL)
    write_json(info, output.report)
