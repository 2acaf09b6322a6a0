"""Reading the sample frame and the population counts (CSV in any detected encoding and
delimiter, or XLSX), validated: enterprise numbers, strata, e-mail status, counts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import parse
from .config import config_file
from .errors import FaultCollector, unquoted
from .readings import Readings, apply
from .strata import Strata
from .tabular import Table, read_table_file, require_file

FRAME_COLUMNS = ["ondernemingsnummer", "nace", "werknemers", "sector", "grootteklasse", "email_status"]
FRAME_PERSONAL = ["naam", "contactpersoon", "email"]
EMAIL_STATUS = {"afgeleverd": False, "onbestelbaar": True}
POPULATION_COLUMNS = ["sector", "size_class", "population"]


def read_frame(path: str | Path, strata: Strata) -> tuple[pd.DataFrame, dict]:
    path = Path(path)
    faults = FaultCollector()
    require_file(path, "frame")
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
    require_file(path, "population")
    table = read_table_file(path, POPULATION_COLUMNS, faults)
    faults.raise_if_any()
    _require(table, POPULATION_COLUMNS, faults)
    file, readings = str(path), Readings()
    sector, size = table.text("sector"), table.text("size_class")
    known = set(strata.all_strata())
    sectors, sizes = {s for s, _ in known}, {c for _, c in known}

    def code(value, codes) -> str:
        """A stratum code is quoted only when it is one of the configured codes: anything else
        may be a value typed in the wrong column, shown by its shape and length."""
        return str(value) if value in codes else f"({unquoted(value)})"

    def stratum(k) -> str:
        return f"{code(k[0], sectors)} | {code(k[1], sizes)}"

    where = lambda i: f"{table.where(i)} (stratum {stratum((sector[i], size[i]))})"  # noqa: E731
    pop = parse.count(table.columns["population"])
    for mask, how in pop.readings:
        readings.add(file, "population", how, mask, table, table.text("population"), pop.values)
    with np.errstate(invalid="ignore"):
        bad = np.isnan(pop.values) | (pop.values <= 0) | (pop.values > 1e9)
    faults.add_rows(file, "populatie-aantal ontbreekt of is geen positief geheel getal", "vul het aantal bedrijven in "
                    "het stratum in (een geheel getal groter dan 0, bv. 2000 of 2.000)", bad, where, column="population",
                    values=table.text("population"))
    keys = list(zip(sector, size))
    seen = set()
    for i, k in enumerate(keys):
        if k not in known:
            faults.add(file, f"onbekend stratum {stratum(k)}", "gebruik de sector- en grootteklassecodes uit "
                       f"{config_file()} (strata): sector een van {', '.join(sorted(sectors))}; grootteklasse een van "
                       f"{', '.join(sorted(sizes))}", row=table.where(i))
        elif k in seen:
            faults.add(file, f"stratum {k[0]} | {k[1]} komt meer dan eens voor", "houd één rij per stratum", row=table.where(i))
        seen.add(k)
    for s, c in strata.all_strata():
        if (s, c) not in seen:
            faults.add(file, f"stratum {s} | {c} ontbreekt", "voeg een rij toe met het populatie-aantal van dit stratum")
    faults.raise_if_any(readings.items)
    df = pd.DataFrame({"sector": sector, "size_class": size, "population": pop.values.astype(int)})
    return df[POPULATION_COLUMNS], {"format": {**table.format, "file": file}, "rows": len(df), "readings": readings.items}


