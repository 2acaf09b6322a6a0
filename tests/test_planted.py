"""Personal data planted in every column of an export (text, number, code, date and
metadata columns alike), once in a run that succeeds and once in one that fails: none of
it is found under results/, .snakemake/ or in the terminal output."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest

from conftest import make_workdir, run_snakemake
from test_clean import find_personal
from test_failed_runs import CORPUS, wave_file

PLANTED = [
    "192.168.17.42",                     # IPv4
    "2001:db8:85a3::8a2e:370:7334",      # IPv6
    "BE0417497106",                      # an enterprise number with BE
    "BE 0417.497.106",
    "+32 470 12 34 56",                  # a phone number with spaces
    "0470 12 34 56",
    "Łukasz Żółćplant",                  # names with diacritics or a hyphen
    "marie-plant dubois",
    "gaston.plant(at)example.com",       # an obfuscated e-mail
    "jan.plant@example.be",
    "zie mijn gsm nummer",               # free words
    "4 701 234",                         # a spaced run of seven digits
]
# The columns a run tolerates anything in (personal columns are dropped, platform metadata
# read as known values or blanked).
TOLERANT = ["IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "LocationLatitude",
            "LocationLongitude", "DistributionChannel", "UserLanguage", "Q14", "Q15"]


def _needles() -> set[str]:
    """Each planted value, and each run of seven or more digits in it (with its separators removed)."""
    out = set(PLANTED)
    for v in PLANTED:
        out |= {d for d in re.findall(r"\d{7,}", re.sub(r"[\s.+]", "", v))}
    out |= {"Żółć", "gsm nummer", "marie-plant", ".plant("}
    return out


def _export(columns: str) -> str:
    text = (CORPUS / "base" / "export.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    head, body = rows[0], rows[3:]
    targets = TOLERANT if columns == "tolerant" else head
    n = 0
    for column in targets:
        j = head.index(column)
        for _ in range(2):  # two rows a column, each with another planted value
            body[n % len(body)][j] = PLANTED[n % len(PLANTED)]
            n += 1
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return "\ufeff" + out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["tolerant", "every"])
def test_planted_personal_values_reach_no_file_and_no_terminal(tmp_path, columns):
    work = make_workdir(tmp_path / "work", ["planted"])
    (work / "inputs").mkdir()
    (work / "inputs/export.csv").write_text(_export(columns), encoding="utf-8")
    for f in ("frame.csv", "population.csv"):
        shutil.copyfile(CORPUS / "base" / f, work / "inputs" / f)
    wave_file(work, "planted", {k: f"inputs/{k}.csv" for k in ("export", "frame", "population")})
    proc = run_snakemake(work)
    output = proc.stdout + proc.stderr
    if columns == "tolerant":
        assert proc.returncode == 0, output[-3000:]
        assert (work / "results/planted/report/ai-barometer-planted.pdf").is_file()
        blanked = (work / "results/planted/ingest/ingest_report.json").read_text(encoding="utf-8")
        assert '"blanked"' in blanked and "DistributionChannel" in blanked and "UserLanguage" in blanked
    else:
        assert proc.returncode != 0 and "[ingest]" in output and "Traceback" not in output, output[-3000:]
        assert "waarde niet getoond" in output
    files = [p for p in list((work / "results").rglob("*")) + list((work / ".snakemake").rglob("*"))
             if p.is_file() and p.suffix != ".pdf"]
    assert files
    needles = _needles()
    assert find_personal(files, needles) == {}
    assert sorted(v for v in needles if v in output) == []
