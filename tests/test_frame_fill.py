"""A missing answer (NACE, employees) is filled from the frame record of the firm the
response counts for: the reported enterprise when it is in the frame, not the invited one."""

from __future__ import annotations

import csv
import io

from aibarometer.ingest import ingest
from aibarometer.pseudonyms import DEMO_KEY
from conftest import ROOT

BASE = ROOT / "tests/bad_inputs/base"


def test_missing_nace_is_filled_from_the_firm_the_response_counts_for(tmp_path, codebook, strata):
    rows = list(csv.reader(io.StringIO((BASE / "export.csv").read_text(encoding="utf-8-sig"), newline="")))
    head, body = rows[0], rows[3:]
    col = {c: i for i, c in enumerate(head)}
    frame = list(csv.DictReader(io.StringIO((BASE / "frame.csv").read_text(encoding="utf-8"))))
    by_number = {f["ondernemingsnummer"].replace(".", ""): f for f in frame}
    k = next(i for i, r in enumerate(body) if r[col["Status"]] == "0" and r[col["ExternalReference"]] in by_number)
    invited = by_number[body[k][col["ExternalReference"]]]
    other = next(f for f in frame if f["nace"][:2] != invited["nace"][:2] and f["sector"] != invited["sector"])
    body[k][col["Q1"]] = other["ondernemingsnummer"].replace(".", "")  # answered for another firm of the frame
    body[k][col["Q3"]] = ""                                           # and left its NACE code blank
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    export = tmp_path / "export.csv"
    export.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    responses, _, _, _ = ingest(export, BASE / "frame.csv", BASE / "population.csv", codebook, strata,
                                DEMO_KEY.encode())
    row = responses.iloc[k]
    assert row["frame_sector"] == other["sector"] != invited["sector"]
    assert str(row["frame_nace"]).replace(".", "")[:4] == other["nace"].replace(".", "")[:4]
    assert bool(row["in_frame_reported"])
