"""Ingest: read a raw export, validate it against the codebook, drop personal data.

Reads the three export formats researchers use (Qualtrics legacy CSV with three
header rows, single-header CSV, SPSS .sav), the sample frame and the population
counts. Every fault found is collected and reported together (file, row or
response id, column, value, and what would fix it).

Personal data stops here: columns marked ``personal`` in the codebook (names,
e-mail, IP address, geolocation, free text) and the frame's contact fields are
never written; response ids and enterprise numbers are replaced by keyed
pseudonyms (HMAC-SHA256).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import enterprise
from .config import Codebook, Item
from .errors import Fault, FaultCollector, InputError
from .strata import Strata, normalise_nace

DEMO_KEY = "aibarometer-demo-key: public, for synthetic demo waves only"
FRAME_COLUMNS = ["ondernemingsnummer", "nace", "werknemers", "sector", "grootteklasse", "email_status"]
FRAME_PERSONAL = ["naam", "contactpersoon", "email"]
EMAIL_STATUS = {"afgeleverd": False, "onbestelbaar": True}
POPULATION_COLUMNS = ["sector", "size_class", "population"]


# ---------------------------------------------------------------------------
# pseudonyms


def pseudonym_key(env_var: str, synthetic: bool) -> tuple[bytes, str]:
    """The key from the environment; the documented demo key only for synthetic waves."""
    value = os.environ.get(env_var, "")
    if value:
        return value.encode("utf-8"), f"environment variable {env_var}"
    if synthetic:
        return DEMO_KEY.encode("utf-8"), "documented demo key (synthetic wave)"
    raise InputError(Fault(
        f"${env_var}", "geen sleutel voor de pseudoniemen ingesteld",
        f"zet de omgevingsvariabele {env_var} op een geheime sleutel die buiten de repository bewaard wordt "
        "(bv. export AIBAROMETER_PSEUDONYM_KEY=$(cat ~/.aibarometer-key)); de demosleutel geldt enkel voor synthetische golven"))


def pseudonymise(values: pd.Series, key: bytes, kind: str) -> pd.Series:
    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        return kind[0] + "_" + hmac.new(key, f"{kind}:{v}".encode(), hashlib.sha256).hexdigest()[:16]
    return values.map(one)


# ---------------------------------------------------------------------------
# reading the export


def spss_name(column: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", column)
    return name if name[0].isalpha() else "V" + name


def _decode(path: Path, faults: FaultCollector) -> str | None:
    data = path.read_bytes()
    if not data.strip(b"\xef\xbb\xbf \r\n\t"):
        faults.add(str(path), "het bestand is leeg", "exporteer de antwoorden opnieuw uit het enquêteplatform")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        faults.add(str(path), f"geen UTF-8-tekst (byte {err.start}, regel {line}: {data[err.start:err.start + 1]!r}); "
                   "wellicht Windows-1252/Latin-1", "exporteer opnieuw als CSV in UTF-8 (in Qualtrics: 'Download all fields', "
                   "codering UTF-8) of sla het bestand op als 'CSV UTF-8'")
        return None


def read_csv_export(path: Path, codebook: Codebook, faults: FaultCollector) -> tuple[pd.DataFrame, str, int] | None:
    """Parse a CSV export into strings; returns (data, format, first data line number)."""
    text = _decode(path, faults)
    if text is None:
        return None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        faults.add(str(path), "het bestand is leeg (enkel lege velden)", "exporteer de antwoorden opnieuw uit het enquêteplatform")
        return None
    header = [h.strip() for h in rows[0]]
    if len(header) == 1 and any(d in header[0] for d in (";", "\t", "|")):
        delim = next(d for d in (";", "\t", "|") if d in header[0])
        faults.add(str(path), f"verkeerd scheidingsteken: de kopregel bevat {delim!r} in plaats van komma's",
                   "exporteer opnieuw als komma-gescheiden CSV, of vervang het scheidingsteken door een komma", row="regel 1")
        return None
    fmt, skip = "single-header csv", 1
    if len(rows) >= 3 and rows[2] and rows[2][0].lstrip().startswith('{"ImportId"'):
        fmt, skip = "qualtrics legacy csv", 3
    elif len(rows) >= 2 and rows[1] and header and header[0] in codebook.by_column and \
            rows[1][0].strip() == codebook.by_column[header[0]].text:
        fmt, skip = "qualtrics csv with question texts", 2
    body = rows[skip:]
    if not body:
        faults.add(str(path), "het bestand bevat enkel kopregels en geen antwoorden",
                   "controleer of de export gefilterd werd (bv. op een lege periode) en exporteer opnieuw")
        return None
    bad = [(skip + i + 1, len(r)) for i, r in enumerate(body) if len(r) != len(header)]
    for line, n in bad:
        faults.add(str(path), f"de rij heeft {n} velden, de kopregel {len(header)} (afgebroken of verschoven rij)",
                   "exporteer opnieuw; een afgebroken download of een manueel bewerkte rij veroorzaakt dit", row=f"regel {line}")
    if bad:
        return None
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        faults.add(str(path), f"dubbele kolomnamen {dup}", "geef elke kolom een unieke naam")
        return None
    df = pd.DataFrame(body, columns=header, dtype=object)
    return df, fmt, skip + 1


def read_sav_export(path: Path, codebook: Codebook, faults: FaultCollector) -> tuple[pd.DataFrame, str, int] | None:
    import pyreadstat
    try:
        df, _meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as err:  # pyreadstat raises its own error types
        faults.add(str(path), f"geen leesbaar SPSS-bestand: {err}", "exporteer opnieuw als SPSS (.sav)")
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
    return df.apply(lambda col: col.map(as_text)).astype(object), "spss sav", 1


# ---------------------------------------------------------------------------
# validating values


def _row_label(df: pd.DataFrame, i: int, first_line: int, id_col: str) -> str:
    rid = df.at[i, id_col] if id_col in df.columns else ""
    line = f"regel {first_line + i}" if first_line else f"rij {i + 1}"
    return f"{line} (respons {rid})" if rid else line


def convert_item(item: Item, raw: pd.Series, path: str, label, faults: FaultCollector) -> pd.Series:
    """Strip and convert one export column; record faults with their rows."""
    s = raw.fillna("").astype(str).str.strip()
    empty = s == ""
    if item.type in ("single", "multi"):
        num = pd.to_numeric(s.where(~empty), errors="coerce")
        bad = ~empty & (num.isna() | ~num.isin(list(item.codes)))
        for i in np.flatnonzero(bad.to_numpy())[:50]:
            codes = ", ".join(f"{k}={v}" for k, v in item.codes.items())
            faults.add(path, "onbekende antwoordcode", f"gebruik een code uit de codelijst ({codes}) of voeg de code toe "
                       "aan config/codebook.yaml", row=label(i), column=item.column, value=raw.iloc[i])
        return num.where(~bad).astype("Int64")
    if item.type in ("number", "percentage"):
        num = pd.to_numeric(s.str.replace(",", ".", regex=False).where(~empty), errors="coerce")
        notnum = ~empty & num.isna()
        for i in np.flatnonzero(notnum.to_numpy())[:50]:
            faults.add(path, "geen getal", "vul een getal in (of laat de cel leeg als de vraag niet beantwoord werd)",
                       row=label(i), column=item.column, value=raw.iloc[i])
        lo, hi = item.range
        out = ~empty & num.notna() & ((num < lo) | (num > hi))
        for i in np.flatnonzero(out.to_numpy())[:50]:
            faults.add(path, f"buiten het toegelaten bereik [{lo:.10g}, {hi:.10g}]",
                       "corrigeer de waarde of pas het bereik in config/codebook.yaml aan",
                       row=label(i), column=item.column, value=raw.iloc[i])
        return num.astype(float)
    if item.type == "enterprise_number":
        out = pd.Series([None] * len(s), index=s.index, dtype=object)
        for i, v in enumerate(s):
            if v == "":
                continue
            try:
                digits = enterprise.normalise(v)
            except ValueError:
                digits = None
            if digits is None or not enterprise.is_valid(digits):
                faults.add(path, "ongeldig ondernemingsnummer (10 cijfers met modulo-97-controle vereist)",
                           "corrigeer het nummer aan de hand van de KBO (Kruispuntbank van Ondernemingen)",
                           row=label(i), column=item.column, value=raw.iloc[i])
            else:
                out.iloc[i] = digits
        return out
    if item.type == "nace":
        out = pd.Series([None] * len(s), index=s.index, dtype=object)
        for i, v in enumerate(s):
            if v == "":
                continue
            try:
                out.iloc[i] = normalise_nace(v)
            except ValueError:
                faults.add(path, "ongeldige NACE-code (verwacht bv. 62.01)", "corrigeer de code",
                           row=label(i), column=item.column, value=raw.iloc[i])
        return out
    if item.type == "datetime":
        dt = pd.to_datetime(s.where(~empty), errors="coerce", format="%Y-%m-%d %H:%M:%S")
        bad = ~empty & dt.isna()
        for i in np.flatnonzero(bad.to_numpy())[:50]:
            faults.add(path, "ongeldige datum/tijd (verwacht JJJJ-MM-DD UU:MM:SS)", "exporteer opnieuw met de standaard datumnotatie",
                       row=label(i), column=item.column, value=raw.iloc[i])
        return dt
    return s.where(~empty, None).astype(object)


def read_export(path: str | Path, codebook: Codebook) -> tuple[pd.DataFrame, dict]:
    """Read and validate a raw export. Returns typed data keyed by codebook var (personal data included)."""
    path = Path(path)
    faults = FaultCollector()
    if not path.is_file():
        raise InputError(Fault(str(path), "bestand niet gevonden", "controleer inputs.export in config/waves/<wave>.yaml"))
    parsed = (read_sav_export if path.suffix.lower() == ".sav" else read_csv_export)(path, codebook, faults)
    faults.raise_if_any()
    raw, fmt, first_line = parsed
    expected = [i.column for i in codebook.items]
    missing = [c for c in expected if c not in raw.columns]
    unknown = [c for c in raw.columns if c not in codebook.by_column]
    for c in missing:
        hint = f"; de export heeft wel de onbekende kolom(men) {unknown} — hernoemd?" if unknown else ""
        faults.add(str(path), f"verplichte kolom ontbreekt{hint}",
                   "exporteer alle velden opnieuw, of pas config/codebook.yaml aan als de vragenlijst veranderde",
                   column=c)
    faults.raise_if_any()
    id_col = codebook.role("response_id").column
    label = lambda i: _row_label(raw, i, first_line, id_col)  # noqa: E731
    out = pd.DataFrame(index=raw.index)
    for item in codebook.items:
        out[item.var] = convert_item(item, raw[item.column], str(path), label, faults)
    ids = out[codebook.role("response_id").var]
    if ids.isna().any():
        for i in np.flatnonzero(ids.isna().to_numpy()):
            faults.add(str(path), "lege respons-id", "elke respons moet een unieke id hebben; exporteer opnieuw",
                       row=label(i), column=id_col)
    dup = ids[ids.duplicated(keep=False) & ids.notna()]
    for rid, grp in dup.groupby(dup):
        lines = ", ".join(str(first_line + i) for i in grp.index)
        faults.add(str(path), f"respons-id komt {len(grp)} keer voor (regels {lines})",
                   "verwijder de dubbele rijen (bv. twee exports samengevoegd) of exporteer opnieuw",
                   row=f"respons {rid}", column=id_col, value=rid)
    invited = codebook.role("invited_enterprise").var
    for i in np.flatnonzero(out[invited].isna().to_numpy()):
        if raw.at[i, codebook.role("invited_enterprise").column].strip() == "":
            faults.add(str(path), "geen uitgenodigd ondernemingsnummer", "elke uitnodiging moet het ondernemingsnummer als "
                       "External Data Reference meekrijgen; vul het aan uit de verzendlijst", row=label(i),
                       column=codebook.role("invited_enterprise").column)
    faults.raise_if_any()
    out.insert(0, "export_line", np.arange(len(out)) + first_line)
    info = {"format": fmt, "rows": int(len(out)), "dropped_unknown_columns": unknown}
    return out, info


# ---------------------------------------------------------------------------
# frame and population


def read_table(path: str | Path, columns: list[str], what: str) -> pd.DataFrame:
    path = Path(path)
    faults = FaultCollector()
    if not path.is_file():
        raise InputError(Fault(str(path), "bestand niet gevonden", f"controleer inputs.{what} in config/waves/<wave>.yaml"))
    text = _decode(path, faults)
    faults.raise_if_any()
    first = text.splitlines()[0]
    if "," not in first and any(d in first for d in (";", "\t")):
        raise InputError(Fault(str(path), "verkeerd scheidingsteken (geen komma's in de kopregel)",
                               "sla het bestand op als komma-gescheiden CSV", row="regel 1"))
    faults = FaultCollector()
    reader = csv.reader(io.StringIO(text, newline=""))
    width = None
    for fields in reader:
        if width is None:
            width = len(fields)
        elif fields and len(fields) != width:
            faults.add(str(path), f"de rij heeft {len(fields)} velden, de kopregel {width} (komma in een waarde zonder "
                       "aanhalingstekens, of een afgebroken rij)", "zet waarden met een komma tussen aanhalingstekens of "
                       "herstel de rij", row=f"regel {reader.line_num}")
    faults.raise_if_any()
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, index_col=False)
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError([Fault(str(path), "verplichte kolom ontbreekt", f"voeg de kolom toe (verwacht: {columns})", column=c)
                          for c in missing])
    if df.empty:
        raise InputError(Fault(str(path), "het bestand bevat geen rijen", "vul het bestand aan"))
    return df.apply(lambda c: c.str.strip())


def read_population(path: str | Path, strata: Strata) -> pd.DataFrame:
    df = read_table(path, POPULATION_COLUMNS, "population")
    faults = FaultCollector()
    path = str(path)
    plain = df["population"].str.fullmatch(r"\d{1,9}")
    pop = pd.to_numeric(df["population"].where(plain), errors="coerce")
    for i in np.flatnonzero((pop.isna() | (pop <= 0)).to_numpy()):
        faults.add(path, "populatie-aantal ontbreekt of is geen positief geheel getal (enkel cijfers, zonder "
                   "duizendtalscheiding)", "vul het aantal bedrijven in het stratum in, bv. 2000 en niet 2.000",
                   row=f"regel {i + 2} (stratum {df.at[i, 'sector']} | {df.at[i, 'size_class']})", column="population",
                   value=df.at[i, "population"])
    known = set(strata.all_strata())
    keys = list(zip(df["sector"], df["size_class"]))
    for i, k in enumerate(keys):
        if k not in known:
            faults.add(path, f"onbekend stratum {k[0]} | {k[1]}", "gebruik de sector- en grootteklassecodes uit "
                       "config/config.yaml (strata)", row=f"regel {i + 2}")
    seen = set()
    for i, k in enumerate(keys):
        if k in seen:
            faults.add(path, f"stratum {k[0]} | {k[1]} komt meer dan eens voor", "houd één rij per stratum", row=f"regel {i + 2}")
        seen.add(k)
    for s, c in strata.all_strata():
        if (s, c) not in seen:
            faults.add(path, f"stratum {s} | {c} ontbreekt", "voeg een rij toe met het populatie-aantal van dit stratum")
    faults.raise_if_any()
    df["population"] = pop.astype(int)
    return df[POPULATION_COLUMNS]


def read_frame(path: str | Path, strata: Strata) -> pd.DataFrame:
    df = read_table(path, FRAME_COLUMNS, "frame")
    faults = FaultCollector()
    path = str(path)
    numbers = []
    for i, v in enumerate(df["ondernemingsnummer"]):
        if not enterprise.is_valid(v):
            faults.add(path, "ongeldig ondernemingsnummer (modulo-97)", "corrigeer het nummer aan de hand van de KBO",
                       row=f"regel {i + 2}", column="ondernemingsnummer", value=v)
            numbers.append(None)
        else:
            numbers.append(enterprise.normalise(v))
    df["ondernemingsnummer"] = numbers
    dup = df["ondernemingsnummer"].duplicated(keep=False) & df["ondernemingsnummer"].notna()
    for v, grp in df[dup].groupby("ondernemingsnummer"):
        faults.add(path, f"onderneming komt {len(grp)} keer voor (regels {', '.join(str(i + 2) for i in grp.index)})",
                   "houd één rij per onderneming in het steekproefkader", column="ondernemingsnummer", value=v)
    bad_sector = ~df["sector"].isin(strata.sector_codes)
    for i in np.flatnonzero(bad_sector.to_numpy())[:50]:
        faults.add(path, "onbekende sector", f"gebruik een code uit {strata.sector_codes}", row=f"regel {i + 2}",
                   column="sector", value=df.at[i, "sector"])
    bad_size = ~df["grootteklasse"].isin(strata.size_codes)
    for i in np.flatnonzero(bad_size.to_numpy())[:50]:
        faults.add(path, "onbekende grootteklasse", f"gebruik een code uit {strata.size_codes}", row=f"regel {i + 2}",
                   column="grootteklasse", value=df.at[i, "grootteklasse"])
    bad_status = ~df["email_status"].isin(list(EMAIL_STATUS))
    for i in np.flatnonzero(bad_status.to_numpy())[:50]:
        faults.add(path, "onbekende e-mailstatus", f"gebruik {list(EMAIL_STATUS)}", row=f"regel {i + 2}",
                   column="email_status", value=df.at[i, "email_status"])
    emp = pd.to_numeric(df["werknemers"], errors="coerce")
    for i in np.flatnonzero((emp.isna() & (df["werknemers"] != "")).to_numpy())[:50]:
        faults.add(path, "geen getal", "vul het aantal werknemers in", row=f"regel {i + 2}", column="werknemers",
                   value=df.at[i, "werknemers"])
    naces = []
    for i, v in enumerate(df["nace"]):
        try:
            naces.append(normalise_nace(v))
        except ValueError:
            faults.add(path, "ongeldige NACE-code", "corrigeer de code (bv. 62.01)", row=f"regel {i + 2}", column="nace", value=v)
            naces.append(None)
    faults.raise_if_any()
    return pd.DataFrame({
        "enterprise": df["ondernemingsnummer"], "nace": naces, "employees": emp, "sector": df["sector"],
        "size_class": df["grootteklasse"], "undeliverable": df["email_status"].map(EMAIL_STATUS).astype(bool)})


# ---------------------------------------------------------------------------
# the stage


def ingest(export_path, frame_path, population_path, codebook: Codebook, strata: Strata, key: bytes):
    """Validate all three inputs; return pseudonymised responses, frame and population."""
    errors: list[Fault] = []
    results = {}
    for name, fn in (("export", lambda: read_export(export_path, codebook)),
                     ("frame", lambda: read_frame(frame_path, strata)),
                     ("population", lambda: read_population(population_path, strata))):
        try:
            results[name] = fn()
        except InputError as err:
            errors += err.faults
    if errors:
        raise InputError(errors)
    responses, info = results["export"]
    frame, population = results["frame"], results["population"]

    faults = FaultCollector()
    invited = codebook.role("invited_enterprise").var
    id_var = codebook.role("response_id").var
    in_frame = responses[invited].isin(frame["enterprise"])
    for i in np.flatnonzero(~in_frame.to_numpy())[:50]:
        faults.add(str(export_path), "uitgenodigd ondernemingsnummer staat niet in het steekproefkader",
                   f"controleer of {frame_path} het kader van deze golf is, of dat de uitnodiging bij een andere golf hoort",
                   row=f"respons {responses.at[i, id_var]}", column=codebook.role("invited_enterprise").column,
                   value=responses.at[i, invited])
    undeliverable = set(frame.loc[frame["undeliverable"], "enterprise"])
    bounced = responses[invited].isin(undeliverable)
    for i in np.flatnonzero(bounced.to_numpy())[:50]:
        faults.add(str(frame_path), "onderneming antwoordde maar staat als 'onbestelbaar' in het kader",
                   "zet email_status op 'afgeleverd' voor deze onderneming", row=f"respons {responses.at[i, id_var]}",
                   column="email_status", value=responses.at[i, invited])
    # Two responses on one invitation (a retaken link) are not a fault of the file:
    # exclusion rule (d) keeps one of them in the clean stage.
    info["responses_on_a_shared_invitation"] = int(
        (responses[invited].duplicated(keep=False) & responses[invited].notna()).sum())
    frame_counts = frame.groupby(["sector", "size_class"]).size()
    pop = population.set_index(["sector", "size_class"])["population"]
    for (s, c), n in frame_counts.items():
        if n > pop.get((s, c), 0):
            faults.add(str(population_path), f"stratum {s} | {c}: {n} ondernemingen in het kader, maar populatie {pop.get((s, c), 0)}",
                       "het populatie-aantal kan niet kleiner zijn dan de steekproef; controleer beide bestanden",
                       column="population")
    faults.raise_if_any()

    # join frame values (fallback for missing answers), then pseudonymise
    fr = frame.set_index("enterprise")
    responses = responses.join(fr[["nace", "employees", "sector", "size_class"]].add_prefix("frame_"), on=invited)
    reported = codebook.role("reported_enterprise").var
    responses["response_pid"] = pseudonymise(responses[id_var], key, "response")
    responses["invited_pid"] = pseudonymise(responses[invited], key, "enterprise")
    responses["reported_pid"] = pseudonymise(responses[reported], key, "enterprise")
    drop = [i.var for i in codebook.personal] + [id_var, invited, reported]
    responses = responses.drop(columns=drop)
    frame = frame.assign(enterprise_pid=pseudonymise(frame["enterprise"], key, "enterprise")).drop(columns=["enterprise"])
    # export_line (the row in the raw export) would link results back to the personal data: dropped
    responses = responses.drop(columns=["export_line"])
    front = ["response_pid", "invited_pid", "reported_pid"]
    responses = responses[front + [c for c in responses.columns if c not in front]]
    return responses, frame[["enterprise_pid", "nace", "employees", "sector", "size_class", "undeliverable"]], population, info


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``ingest``)."""
    from .config import load_codebook
    from .stage import write_json, write_table

    codebook = load_codebook(input.codebook)
    strata = Strata(params.strata)
    key, key_source = pseudonym_key(params.key_env, params.synthetic)
    responses, frame, population, info = ingest(input.export, input.frame, input.population, codebook, strata, key)
    log(f"read {info['rows']} responses ({info['format']}); frame {len(frame)}; {len(population)} strata")
    if info["dropped_unknown_columns"]:
        log(f"dropped columns not in the codebook: {info['dropped_unknown_columns']}")
    write_table(responses, output.responses)
    write_table(frame, output.frame)
    write_table(population, output.population)
    info.update(pseudonym_key=key_source, dropped_personal_columns=[i.column for i in codebook.personal],
                dropped_frame_columns=FRAME_PERSONAL)
    write_json(info, output.report)
