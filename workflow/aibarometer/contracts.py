"""The files stages hand to each other under results/<wave>/: their columns (or steps),
declared once. A stage that writes one asserts it; a stage that reads one calls
:func:`require`, so a file from another version or a hand edit stops with a clear message
instead of a KeyError deep inside a computation."""

from __future__ import annotations

from .domains import ESTIMATES_COLUMNS  # noqa: F401 (the estimates file, with the Domain type)

# ingest/responses.parquet: these, then the codebook's non-personal items and frame_* fallbacks
INGEST_RESPONSES = ["response_pid", "invited_pid", "reported_pid", "in_frame_reported"]
INGEST_FRAME = ["enterprise_pid", "nace", "employees", "sector", "size_class", "undeliverable"]
POPULATION = ["sector", "size_class", "population"]
# clean/responses.parquet: these, then the codebook's non-personal items
CLEAN_RESPONSES = ["response_pid", "enterprise_pid", "sector", "size_class", "stratum", "stratum_basis", "N_h", "n_h",
                   "weight", "adopter"]
EXCLUSIONS = ["response_pid", "rule", "rules", "reason", "evidence", "n_ai_answered"]
FLOW_STEPS = ["sampled", "undeliverable", "reached", "export_rows", "excluded_v", "responses", "excluded_a",
              "excluded_b", "excluded_c", "excluded_d", "excluded", "usable"]
TABLE1 = ["sector", "size_class", "population", "sample"]
TABLE2 = ["sector", "size_class", "sample", "reached", "usable", "weight", "design_stratum"]
BASES = ["block", "label", "n"]
DESIGN = ["stratum", "n_h", "N_h", "weight", "sampling_fraction", "lonely", "fully_enumerated", "sector", "size_class",
          "degrees_of_freedom"]


def require(columns, needed: list[str], path, producer: str) -> None:
    """Stop with a plain message when a stage's input lacks what its producer writes."""
    from .errors import Fault, InputError

    missing = [c for c in needed if c not in set(columns)]
    if missing:
        raise InputError(Fault(str(path), f"kolommen {missing} ontbreken: dit bestand komt niet van de huidige "
                               f"{producer}-stap (een oudere versie, of met de hand bewerkt)",
                               "verwijder results/ van deze golf en draai de workflow opnieuw"))


def require_steps(flow, path) -> None:
    require(list(flow["step"]), FLOW_STEPS, path, "clean")
