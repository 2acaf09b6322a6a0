"""Integrity of the cleaning: what counts as a response, "weet niet", respondents outside
the sample, collapsed strata and the messages about them."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from aibarometer.clean import clean, collapse_strata
from aibarometer.errors import Fault, FaultCollector, InputError
from aibarometer.ingest import DEMO_KEY, ingest

from conftest import ROOT, render_report_html

BASE = ROOT / "tests" / "bad_inputs" / "base"
FIELDWORK = {"start": "2021-05-03", "end": "2021-08-31"}


@pytest.fixture()
def base(codebook, strata):
    return ingest(BASE / "export.csv", BASE / "frame.csv", BASE / "population.csv", codebook, strata, DEMO_KEY.encode())


def run_clean(responses, frame, population, codebook, strata, config, **cleaning):
    return clean(responses, frame, population, codebook, strata, {**config["cleaning"], **cleaning},
                 {"population": "population.csv", "export": "export.csv", "fieldwork": FIELDWORK})


@pytest.mark.slow
def test_previews_tests_and_answers_outside_the_fieldwork_are_rule_v(demo_run):
    ex = pd.read_csv(demo_run / "clean" / "exclusions.csv", keep_default_na=False)
    v = ex[ex["rule"] == "v"]
    assert len(v) == 8
    ev = " | ".join(v["evidence"])
    assert ev.count("status=1") == 3 and ev.count("status=2") == 2
    assert "einddatum vóór de startdatum" in ev and ev.count("geregistreerd buiten het veldwerk") >= 5
    flow = pd.read_csv(demo_run / "clean" / "flow.csv").set_index("step")["count"]
    assert flow["export_rows"] == 2749 and flow["excluded_v"] == 8 and flow["responses"] == 2741


def test_rule_v_by_status_and_dates(base, codebook, strata, config):
    responses, frame, population, _ = base
    r = responses.copy()
    usable = run_clean(r, frame, population, codebook, strata, config)["responses"]["response_pid"]
    rows = r.index[r["response_pid"].isin(usable)][:4]
    r.loc[rows[0], "status"] = 2                                        # a test response
    r.loc[rows[1], "recorded_date"] = pd.Timestamp("2021-09-01 00:00:01")  # a day after the fieldwork
    r.loc[rows[2], "end_date"] = r.loc[rows[2], "start_date"] - pd.Timedelta(minutes=5)
    r.loc[rows[3], "status"] = 4                                        # imported: a real answer
    out = run_clean(r, frame, population, codebook, strata, config, empty_stratum="collapse")
    ex = out["exclusions"].set_index("response_pid")
    for k in rows[:3]:
        assert ex.at[r.at[k, "response_pid"], "rule"] == "v"
    assert r.at[rows[3], "response_pid"] in set(out["responses"]["response_pid"])
    f = out["flow"].set_index("step")["count"]
    assert f["excluded_v"] == 4 and f["responses"] + f["excluded_v"] == f["export_rows"]


def test_weet_niet_alone_is_no_answer_and_an_open_technology_question_is_in_neither_domain(base, codebook, strata,
                                                                                          config):
    responses, frame, population, _ = base
    r = responses.copy()
    ai = [i.var for i in codebook.ai_items]
    tech = [i.var for i in codebook.technology_items]
    out0 = run_clean(r, frame, population, codebook, strata, config)
    kept = list(out0["responses"]["response_pid"])
    # a usable response that answers only "weet niet"
    k = r.index[r["response_pid"] == kept[0]][0]
    for v in ai:
        r.loc[k, v] = pd.NA if str(r[v].dtype).startswith("Int") else np.nan
    r.loc[k, "gap_ai_specialists"] = 9
    # a usable response that leaves the technology question open but answers a barrier
    j = r.index[r["response_pid"] == kept[1]][0]
    for v in tech:
        r.loc[j, v] = pd.NA
    r.loc[j, "barrier_lack_of_knowledge_skills"] = 1
    out = run_clean(r, frame, population, codebook, strata, config, empty_stratum="collapse")
    ex = out["exclusions"].set_index("response_pid")
    assert ex.at[kept[0], "rule"] == "c" and "inhoudelijk" in ex.at[kept[0], "evidence"]
    resp = out["responses"].set_index("response_pid")
    assert pd.isna(resp.at[kept[1], "adopter"])

    from aibarometer.estimate import build_domains
    dom = build_domains(out["responses"], strata.sector_codes, strata.size_codes).set_index("domain")["mask"]
    pos = list(out["responses"]["response_pid"]).index(kept[1])
    assert dom["all"][pos] and not dom["adopter:yes"][pos] and not dom["adopter:no"][pos]


def test_a_respondent_outside_the_sample_counts_for_its_invitation(base, codebook, strata, config):
    """A second response on one invitation that reports a valid enterprise number not in the
    frame: rule (d) for the invited firm, never a second weighted unit."""
    from aibarometer import enterprise
    responses, frame, population, _ = base
    out0 = run_clean(responses, frame, population, codebook, strata, config)
    k = responses.index[responses["response_pid"] == out0["responses"]["response_pid"].iloc[5]][0]
    twin = responses.loc[[k]].copy()
    twin["response_pid"] = "r_twin"
    twin["reported_pid"] = "e_not_in_frame"
    twin["in_frame_reported"] = False
    twin["progress"] = 50.0
    r = pd.concat([responses, twin], ignore_index=True)
    out = run_clean(r, frame, population, codebook, strata, config)
    ex = out["exclusions"].set_index("response_pid")
    assert ex.at["r_twin", "rule"] == "d" and "staat niet in het kader" in ex.at["r_twin", "evidence"]
    assert len(out["responses"]) == len(out0["responses"])
    assert not enterprise.is_valid("e_not_in_frame")
    # kept alone (the twin is the only response), it stands for the invited firm
    alone = r[r["response_pid"] != responses.at[k, "response_pid"]]
    out2 = run_clean(alone, frame, population, codebook, strata, config)
    kept = out2["responses"].set_index("response_pid")
    assert kept.at["r_twin", "enterprise_pid"] == twin["invited_pid"].iloc[0]


def test_adjacent_empty_strata_collapse_and_a_whole_empty_sector_is_named(strata):
    counts = pd.DataFrame([{"sector": s, "size_class": c, "usable": 5} for s, c in strata.all_strata()])
    counts.loc[(counts["sector"] == "35-39") & counts["size_class"].isin(["micro", "small"]), "usable"] = 0
    mapping = collapse_strata(counts, strata)
    assert mapping[("35-39", "small")] == ("35-39", "medium") and mapping[("35-39", "micro")] == ("35-39", "medium")


def test_collapse_message_when_collapse_is_already_set(base, codebook, strata, config):
    responses, frame, population, _ = base
    out0 = run_clean(responses, frame, population, codebook, strata, config)
    sector = "35-39"
    drop = out0["responses"].loc[out0["responses"]["sector"] == sector, "response_pid"]
    r = responses[~responses["response_pid"].isin(drop)]
    with pytest.raises(InputError) as err:
        run_clean(r, frame, population, codebook, strata, config, empty_stratum="collapse")
    text = str(err.value)
    assert f"stratum {sector} | micro" in text and "samenvoegen binnen de sector kan niet" in text
    assert "zet cleaning.empty_stratum op 'collapse'" not in text
    with pytest.raises(InputError) as err:
        run_clean(r, frame, population, codebook, strata, config, empty_stratum="fail")
    assert "zet cleaning.empty_stratum op 'collapse' in config/config.yaml" in str(err.value)


def test_messages_name_the_configuration_file_of_the_run(base, codebook, strata, config, monkeypatch):
    """A run with --configfile other.yaml is told to edit other.yaml (the Snakefile sets it)."""
    responses, frame, population, _ = base
    out0 = run_clean(responses, frame, population, codebook, strata, config)
    drop = out0["responses"].loc[out0["responses"]["sector"] == "35-39", "response_pid"]
    monkeypatch.setenv("AIBAROMETER_CONFIG", "config/andere.yaml")
    with pytest.raises(InputError) as err:
        run_clean(responses[~responses["response_pid"].isin(drop)], frame, population, codebook, strata, config,
                  empty_stratum="fail")
    assert "in config/andere.yaml" in str(err.value) and "config/config.yaml" not in str(err.value)


def test_fault_counts_say_how_many_and_how_many_are_listed():
    faults = FaultCollector()
    mask = np.ones(2741, dtype=bool)
    faults.add_rows("export.csv", "geen getal", "vul een getal in", mask, lambda i: f"regel {i + 4}", column="Q2",
                    values=np.array(["x"] * 2741, dtype=object))
    with pytest.raises(InputError) as err:
        faults.raise_if_any()
    text = str(err.value)
    assert text.startswith("2.741 fouten in de invoer, de eerste 25 hieronder:")
    assert "en nog 2.716 fouten van dezelfde soorten" in text
    assert err.value.total == 2741 and len(err.value.faults) == 50


def test_values_that_may_be_personal_are_not_shown():
    def shown(value, personal=False):
        return "(waarde:" in Fault("f", "p", "x", value=value, personal=personal).render()
    assert shown("12.5") and shown("3/05/2021 08:27") and shown("62.01") and shown("3")
    for value in ("vijftig", "62-01", "jan@example.be", "+32 470 12 34 56", "0470123456", "Jan Peeters", "Peeters", "0869.663.101"):
        assert not shown(value), value
    assert not shown("12", personal=True)


@pytest.mark.slow
def test_the_collapse_sentence_uses_dutch_size_classes(demo_run, root, config, codebook, strata):
    from aibarometer.config import load_wave

    collapsed = pd.DataFrame([{"sector": "35-39", "size_class": "micro", "merged_into": "small"}])
    html = " ".join(render_report_html(demo_run, load_wave("2021-demo", root), config, codebook, strata,
                                       collapsed).split())
    assert "de microbedrijven van NACE 35-39 met de kleine bedrijven" in html
    assert "micro met small" not in html


def test_memory_requests_grow_with_the_inputs():
    """A SLURM job asks for memory by its input size (100x the demo: ingest peaks at about
    1.8 GB on 285 MB of CSV, bench/scale_ingest.py)."""
    from aibarometer.stage import mem_mb
    ingest_mem, clean_mem = mem_mb(8), mem_mb(80)
    assert ingest_mem(None, SimpleNamespace(size_mb=2.9)) == 1000  # the demo wave: the floor
    assert ingest_mem(None, SimpleNamespace(size_mb=285)) >= 1.5 * 1825
    assert clean_mem(None, SimpleNamespace(size_mb=20)) >= 1.5 * 1410
    assert ingest_mem(None, SimpleNamespace(size_mb=2850)) > ingest_mem(None, SimpleNamespace(size_mb=285))


def test_a_stage_refuses_an_input_its_producer_did_not_write(tmp_path, base, codebook, strata, config):
    """Declared contracts between stages: clean reads an ingest file without in_frame_reported
    (an older version) and stops with a plain message instead of a KeyError."""
    from aibarometer import clean as clean_stage
    from aibarometer.errors import run_cli
    from aibarometer.stage import Log

    responses, frame, population, _ = base
    responses.drop(columns=["in_frame_reported"]).to_parquet(tmp_path / "r.parquet")
    frame.to_parquet(tmp_path / "f.parquet")
    population.to_parquet(tmp_path / "p.parquet")
    names = ("responses", "exclusions", "flow", "table1", "table2", "collapsed", "routing")
    out = SimpleNamespace(**{n: str(tmp_path / f"{n}.out") for n in names})
    inp = SimpleNamespace(responses=str(tmp_path / "r.parquet"), frame=str(tmp_path / "f.parquet"),
                          population=str(tmp_path / "p.parquet"), codebook=str(ROOT / "config" / "codebook.yaml"))
    params = SimpleNamespace(strata=config["strata"], cleaning=config["cleaning"], fieldwork=FIELDWORK,
                             population_file="p", export_file="e")
    with pytest.raises(SystemExit):
        run_cli("clean", lambda: clean_stage.run(inp, out, params, Log(tmp_path / "clean.log")),
                outputs=list(vars(out).values()), log=tmp_path / "clean.log")
    text = (tmp_path / "clean.log").read_text()
    assert "in_frame_reported" in text and "ingest-stap" in text and "Traceback" not in text


def test_estimate_memory_request_follows_the_rows(tmp_path):
    """The estimate job asks for memory by its input's rows, not its compressed size: at
    1000x the demo wave (1,717,000 rows) the stage peaks at about 1.1 GB (make bench)."""
    from aibarometer.stage import mem_mb_rows

    mem = mem_mb_rows(1.0)
    for rows in (1717, 1_717_000):
        pd.DataFrame({"x": np.zeros(rows, dtype=np.int8)}).to_parquet(tmp_path / f"r{rows}.parquet")
    small = mem(None, {"responses": str(tmp_path / "r1717.parquet")})
    large = mem(None, {"responses": str(tmp_path / "r1717000.parquet")})
    assert small == 1000 and large >= 1.5 * 1100
    assert mem(None, {"responses": str(tmp_path / "missing.parquet")}) == 1000  # a dry run: the floor
