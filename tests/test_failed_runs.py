"""A failed run: no personal value in any log (results/ and .snakemake/ scanned), and nothing
downstream left looking current."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
import yaml

from aibarometer.catalog import STATUS, Catalog
from aibarometer.stage import FAIL_ENV
from conftest import ROOT, make_workdir, run_snakemake
from test_clean import _personal_values, find_personal

CORPUS = ROOT / "tests" / "bad_inputs"


def wave_file(work, name: str, inputs: dict, year: int | None = None) -> None:
    wave = yaml.safe_load((ROOT / "config/waves/2021-demo.yaml").read_text(encoding="utf-8"))
    wave.pop("reference")
    wave.update(wave=name, inputs=inputs)
    if year is not None:
        wave["year"] = year
    (work / "config/waves" / f"{name}.yaml").write_text(yaml.safe_dump(wave, allow_unicode=True), encoding="utf-8")


@pytest.mark.slow
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


def _planned(work) -> set[str]:
    """The result files the workflow itself says are made of older inputs (`snakemake -D`: plan
    'update pending')."""
    proc = run_snakemake(work, "-D")
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [line.split("\t") for line in proc.stdout.splitlines() if line.startswith("results/")]
    return {r[0] for r in rows if r[-1] == "update pending"}


def _restore(work, snapshot) -> None:
    for name in ("results", ".snakemake/metadata"):
        shutil.rmtree(work / name, ignore_errors=True)
        shutil.copytree(snapshot / name, work / name)  # copy2: the files keep their times


@pytest.mark.slow
def test_a_failed_stage_leaves_no_result_of_older_inputs(tmp_path):
    """Every stage of the catalog fails in turn (in the earlier of two waves, after its
    population file changed): no result of the older inputs stays, in that wave or in the
    later wave that compares with it, and each wave that lost results has a STATUS.md."""
    work = make_workdir(tmp_path / "work", ["mini", "later"])
    inputs = work / "inputs"
    inputs.mkdir()
    for f in ("export.csv", "frame.csv", "population.csv"):
        shutil.copyfile(CORPUS / "base" / f, inputs / f)
    files = {k: f"inputs/{k}.csv" for k in ("export", "frame", "population")}
    wave_file(work, "mini", files)
    wave_file(work, "later", files, year=2023)
    proc = run_snakemake(work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    spec = yaml.safe_load((work / "config/spec.yaml").read_text(encoding="utf-8"))
    catalog = Catalog.from_spec(spec)
    made = {w: [p for p in catalog.files(w) if (work / p).is_file()] for w in ("mini", "later")}
    assert made["mini"] and all(not (work / "results" / w / STATUS).exists() for w in made)
    snapshot = tmp_path / "snapshot"
    for name in ("results", ".snakemake/metadata"):
        shutil.copytree(work / name, snapshot / name)

    stages = sorted({stage for p, stage in catalog.files("mini").items() if p in made["mini"]})
    assert {"ingest", "clean", "estimate", "quality", "trend", "tables", "figures", "report", "manifest"} <= set(stages)
    population = (CORPUS / "base" / "population.csv").read_text(encoding="utf-8")
    for n, stage in enumerate(stages):
        _restore(work, snapshot)
        # new inputs for the earlier wave (one more line end each time: a new checksum)
        (inputs / "population.csv").write_text(population + "\n" * (n + 1), encoding="utf-8")
        older = _planned(work)
        assert any(p.startswith("results/mini/") for p in older) and any(p.startswith("results/later/") for p in older)
        proc = run_snakemake(work, env={FAIL_ENV: f"{stage}@mini"})
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0 and f"[{stage}]" in out, (stage, out[-3000:])
        assert "Traceback" not in out
        before = {p: (snapshot / p).stat().st_mtime_ns for p in older if (snapshot / p).is_file()}
        stale = sorted(p for p in older if (work / p).is_file() and (work / p).stat().st_mtime_ns == before.get(p))
        assert stale == [], (stage, stale)
        assert f"Stap **{stage}** faalde" in (work / "results/mini" / STATUS).read_text(encoding="utf-8"), stage
        for wave in ("mini", "later"):
            gone = [p for p in older if p.startswith(f"results/{wave}/") and not (work / p).is_file()]
            if gone:
                assert (work / "results" / wave / STATUS).is_file(), (stage, wave, gone)
        if stage in ("ingest", "clean", "estimate"):  # the later wave compares with the failed one's estimates
            assert not (work / catalog.out("report", "pdf", "later")).exists(), stage
            assert "golf mini faalde" in (work / "results/later" / STATUS).read_text(encoding="utf-8")

    # fixed: a complete run, and the notes are gone
    proc = run_snakemake(work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for wave in ("mini", "later"):
        assert (work / catalog.out("manifest", "manifest", wave)).is_file()
        assert not (work / "results" / wave / STATUS).exists()
