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
in a form its column expects and that cannot be personal data (an allow-list,
:func:`aibarometer.errors.quotable`); anything else shows only its shape and length.

Personal data stops here: columns marked ``personal`` in the codebook (names, e-mail,
IP address, geolocation, free text) and the frame's contact fields are never read;
response ids and enterprise numbers are replaced by keyed pseudonyms (HMAC-SHA256). The
platform's metadata kept as text (distribution channel, language) is read as known values
only; anything else typed there is blanked and counted (``blanked``), never kept or quoted.

The parts: :mod:`~aibarometer.tabular` (files), :mod:`~aibarometer.parse` (values),
:mod:`~aibarometer.export` (the export), :mod:`~aibarometer.sample` (frame and
population), :mod:`~aibarometer.pseudonyms`; this module joins them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import parse
from .config import Codebook
from .errors import FaultCollector, InputError
from .export import read_export, read_export_table, spss_name  # noqa: F401 (callers import them here)
from .pseudonyms import DEMO_KEY, pseudonym_key, pseudonym_map, pseudonymise  # noqa: F401
from .readings import apply
from .sample import FRAME_PERSONAL, read_frame, read_population
from .strata import Strata

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

    # join frame values (fallback for missing answers) of the firm the response counts for: the
    # reported enterprise when it is in the frame, else the invited one (as rule d decides)
    reported_in_frame = responses[reported.var].isin(fr.index)
    counts_for = responses[reported.var].where(reported_in_frame, responses[invited.var])
    fill = fr[["nace", "employees", "sector", "size_class"]].reindex(counts_for.to_numpy())  # no key column kept
    for col in fill.columns:
        responses["frame_" + col] = fill[col].to_numpy()
    responses["in_frame_reported"] = reported_in_frame | responses[reported.var].isna()
    responses["response_pid"] = pids
    # one HMAC per firm, shared by the three (a Series: its index is hashed once for the three lookups)
    firms = pd.Series(pseudonym_map(frame["enterprise"], key, "enterprise"), dtype=object)
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
    for b in info.get("blanked", []):
        log(f"blanked (not a known value, not kept): {b['count']}x in column {b['column']} ({Path(b['file']).name})")
    if info["dropped_unknown_columns"]:
        log(f"dropped columns not in the codebook: {info['dropped_unknown_columns']}")
    from . import contracts as c
    assert set(c.INGEST_RESPONSES) <= set(responses.columns) and list(frame.columns) == c.INGEST_FRAME
    write_table(responses, output.responses)
    write_table(frame, output.frame)
    write_table(population, output.population)
    info.update(pseudonym_key=key_source, dropped_personal_columns=[i.column for i in codebook.personal],
                dropped_frame_columns=FRAME_PERSONAL)
    write_json(info, output.report)
