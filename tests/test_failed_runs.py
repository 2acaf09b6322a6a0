"""A failed run: no personal value in any log (results/ and .snakemake/ scanned), and nothing
downstream left looking current."""

from __future__ import annotations

import csv
import io
import shutil

import yaml

from conftest import ROOT, make_workdir, run_snakemake
from test_clean import _personal_values, find_personal

CORPUS = ROOT / "tests" / "bad_inputs"


def wave_file(work, name: str, inputs: dict) -> None:
    wave = yaml.safe_load((ROOT / "config/waves/2021-demo.yaml").read_text(encoding="utf-8"))
    wave.pop("reference")
    wave.update(wave=name, inputs=inputs)
    (work / "config/waves" / f"{name}.yaml").write_text(yaml.safe_dump(wave, allow_unicode=True), encoding="utf-8")


def test_a_failed_run_logs_no_personal_data(tmp_path, root, codebook):
    rows = list(csv.reader(io.StringIO((ROOT / "resources/demo/2021/export_legacy.csv").read_text(encoding="utf-8-sig"),
                                       newline="")))
    head = rows[0]
    col = {c: i for i, c in enumerate(head)}
    body = rows[3:]
    real = [k for k, r in enumerate(body) if r[col["Status"]] == "0"]
    a, b, c, d, e = real[10:15]
    planted = {
        (a, "Q2"): body[a][col["RecipientEmail"]],                    # an e-mail address typed into a number
        (b, "Q4_1"): body[b][col["RecipientFirstName"]] + " " + body[b][col["RecipientLastName"]],  # a name as answer
        (c, "Q3"): "+32 470 12 34 56",                               # a phone number as NACE code
        (d, "Q1"): body[d][col["ExternalReference"]][:-1] + "0",      # an enterprise number with a typo
        (e, "ExternalReference"): "0" + body[e][col["ExternalReference"]][1:-2] + "00",
    }
    for (k, column), value in planted.items():
        body[k][col[column]] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    work = make_workdir(tmp_path / "work", ["leaky"])
    (work / "inputs").mkdir()
    (work / "inputs/export.csv").write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    wave_file(work, "leaky", {"export": "inputs/export.csv", "frame": "resources/demo/2021/frame.csv",
                              "population": "resources/demo/2021/population.csv"})
    proc = run_snakemake(work)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "[ingest] 5 fouten in de invoer" in output, output[-3000:]
    assert "waarde niet getoond" in output and "Traceback" not in output

    values = _personal_values(root, codebook) | {v for v in planted.values() if len(v) >= 6}
    files = [p for p in list((work / "results").rglob("*")) + list((work / ".snakemake").rglob("*")) if p.is_file()]
    assert any(p.name.endswith(".snakemake.log") for p in files) and any(p.name == "ingest.log" for p in files)
    hits = find_personal(files, values)
    assert hits == {}, hits
    # the terminal output holds the same messages
    assert find_personal_in_text(output, values) == []


def find_personal_in_text(text: str, values: set[str]) -> list[str]:
    return sorted(v for v in values if v in text and not v.replace(".", "").isdigit() or
                  (v.replace(".", "").isdigit() and f"'{v}'" in text))


def test_a_failed_stage_leaves_nothing_downstream_that_looks_current(tmp_path):
    work = make_workdir(tmp_path / "work", ["mini"])
    inputs = work / "inputs"
    inputs.mkdir()
    for f in ("export.csv", "frame.csv", "population.csv"):
        shutil.copyfile(CORPUS / "base" / f, inputs / f)
    wave_file(work, "mini", {k: f"inputs/{k}.csv" for k in ("export", "frame", "population")})
    proc = run_snakemake(work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    wave = work / "results/mini"
    assert (wave / "report/ai-barometer-mini.pdf").is_file() and (wave / "manifest.json").is_file()
    assert not (wave / "STATUS.md").exists()

    # a new population file that clean refuses: ingest's outputs are new, the rest is from before
    shutil.copyfile(CORPUS / "clean_usable_exceeds_population" / "population.csv", inputs / "population.csv")
    proc = run_snakemake(work)
    assert proc.returncode != 0 and "[clean]" in proc.stdout + proc.stderr
    for stale in ("estimates", "tables", "figures", "trend", "report", "manifest.json"):
        assert not (wave / stale).exists(), stale
    status = (wave / "STATUS.md").read_text()
    assert "Stap **clean** faalde" in status and "bruikbare antwoorden maar een populatie van 1" in status

    # fixed again: a complete run, and the note is gone
    shutil.copyfile(CORPUS / "base" / "population.csv", inputs / "population.csv")
    proc = run_snakemake(work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (wave / "manifest.json").is_file() and not (wave / "STATUS.md").exists()
