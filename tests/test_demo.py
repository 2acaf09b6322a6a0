"""The synthetic 2021 demo wave: determinism, counts, realism."""

import csv
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from aibarometer import demo, enterprise

DEMO = "resources/demo/2021"
SIZES = ["micro", "small", "medium", "large"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("fresh")
    wave, codebook = demo.generate("2021")
    demo.write_wave(wave, codebook, out, ("legacy",))
    return out


@pytest.mark.parametrize("name", ["frame.csv", "population.csv", "export_legacy.csv", "intended_exclusions.csv"])
def test_committed_files_equal_a_fresh_generation(root, fresh, name):
    assert (root / DEMO / name).read_bytes() == (fresh / name).read_bytes()


@pytest.fixture(scope="module")
def export(root):
    raw = (root / DEMO / "export_legacy.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Qualtrics writes UTF-8 with a BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    return rows


def test_export_layout(export, codebook):
    header, texts, import_ids = export[0], export[1], export[2]
    assert header == [i.column for i in codebook.items]
    assert texts[header.index("Q4_1")] == codebook.by_column["Q4_1"].text
    assert all(json.loads(x)["ImportId"] for x in import_ids)
    # 2,741 responses as published, plus 8 rows that are no answers (previews, tests, outside the fieldwork)
    assert len(export) - 3 == 2749
    status = [r[header.index("Status")] for r in export[3:]]
    assert status.count("1") == 3 and status.count("2") == 2


def test_frame_counts(root, reference):
    frame = pd.read_csv(root / DEMO / "frame.csv", dtype=str)
    assert len(frame) == 14274
    assert (frame["email_status"] == "onbestelbaar").sum() == 1656
    assert frame["ondernemingsnummer"].map(enterprise.is_valid).all()
    assert frame["ondernemingsnummer"].is_unique
    secs = [s["code"] for s in reference["sectors"]]
    counts = frame.groupby(["grootteklasse", "sector"]).size()
    for size in SIZES:
        assert [counts[(size, s)] for s in secs] == reference["table1_sample"][size]


def test_population_counts(root, reference):
    pop = pd.read_csv(root / DEMO / "population.csv")
    assert len(pop) == 36 and pop["population"].sum() == 34452
    secs = [s["code"] for s in reference["sectors"]]
    p = pop.set_index(["size_class", "sector"])["population"]
    for size in SIZES:
        assert [p[(size, s)] for s in secs] == reference["table1_population"][size]


def test_intended_exclusions_and_table2(root, reference):
    intended = pd.read_csv(root / DEMO / "intended_exclusions.csv", keep_default_na=False)
    assert len(intended) == 2749
    rules = intended["rule"].value_counts()
    assert rules[""] == 1717 and sum(rules[r] for r in "abcd") == 1024 and rules["v"] == 8
    assert (intended["rules"].str.len() > 1).sum() > 0, "some responses hit several rules"
    usable = intended[intended["rule"] == ""]
    secs = [s["code"] for s in reference["sectors"]]
    counts = usable.groupby(["size_class", "sector"]).size()
    for size in SIZES:
        assert [int(counts.get((size, s), 0)) for s in secs] == reference["table2_responses"][size]


def test_export_enterprise_numbers_and_fake_personal_data(export):
    header = export[0]
    rows = export[3:]
    ext = [r[header.index("ExternalReference")] for r in rows]
    # previews and tests from the survey editor carry no invitation
    real = [r[header.index("Status")] == "0" for r in rows]
    assert all(enterprise.is_valid(x) for x, ok in zip(ext, real) if ok)
    assert all(x == "" for x, ok in zip(ext, real) if not ok)
    q1 = [r[header.index("Q1")] for r in rows if r[header.index("Q1")].strip()]
    assert all(enterprise.is_valid(x) for x in q1)
    assert any(x != x.strip() for x in q1), "stray whitespace, as typed"
    emails = [r[header.index("RecipientEmail")] for r in rows]
    assert all(e.endswith(("@example.be", "@example.org")) for e in emails if e)
    ips = [r[header.index("IPAddress")] for r in rows]
    assert all(ip.startswith(("192.0.2.", "198.51.100.", "203.0.113.")) for ip in ips)
    assert all(r[header.index("RecipientFirstName")].startswith("Demo-") for r, ok in zip(rows, real) if ok)


def test_misbehaves_like_a_real_export(export):
    header = export[0]
    rows = export[3:]
    finished = np.array([r[header.index("Finished")] for r in rows])
    assert 0 < (finished == "0").sum() < len(rows)
    q2 = [r[header.index("Q2")] for r in rows]
    assert any(x == "" for x in q2) and any(x != x.strip() for x in q2 if x)
    assert sum(bool(re.fullmatch(r"\d\.\d{3}", x)) for x in q2) >= 5, "large firms typed the Dutch way (1.236)"
    q3 = [r[header.index("Q3")] for r in rows]
    assert sum(bool(re.fullmatch(r"\d{4}", x)) for x in q3) > 100, "NACE codes without their dot"


def _answered(export_rows, column):
    header = export_rows[0]
    return np.array([r[header.index(column)] != "" for r in export_rows[3:]])


def test_a_question_added_to_the_codebook_gets_answers_without_code(root, tmp_path):
    """Three new items, of three types, in a copy of the codebook: the generator answers
    them by their type, routing and condition, with the documented defaults."""
    from aibarometer.demo import targets

    (tmp_path / "codebook.yaml").write_text(f"""
base: {root / 'config' / 'codebook.yaml'}
version: 9
add_items:
  - {{column: Q7_13, var: app_robots, block: applications, type: multi, codes: ticked, routing: adopters,
     label: "Robots", after: Q7_10, text: "Waarvoor gebruikt uw onderneming AI? - Robots"}}
  - {{column: Q12b, var: knows_ai_act, block: policy, type: single, codes: yes_no, routing: all,
     label: "Kent de AI-verordening", after: Q12, text: "Kent u de Europese AI-verordening?"}}
  - {{column: Q12c, var: ai_act_share, block: policy, type: percentage, routing: all, range: [0, 100],
     condition: {{var: knows_ai_act, in: [1]}}, label: "Aandeel", after: Q12b, text: "Welk deel van uw AI valt eronder?"}}
""", encoding="utf-8")
    wave, codebook = demo.generate("2021", codebook_path=tmp_path / "codebook.yaml")
    demo.write_wave(wave, codebook, tmp_path, ("legacy",))
    rows = list(csv.reader(io.StringIO((tmp_path / "export_legacy.csv").read_text(encoding="utf-8-sig"))))
    header = rows[0]
    # multiple choice: routed to adopters, ticked at the default rate of who answers the block
    block = np.column_stack([_answered(rows, f"Q7_{k}") for k in (*range(1, 12), 13)]).any(1)
    adopters = np.column_stack([[r[header.index(f"Q4_{k}")] == "1" for r in rows[3:]] for k in range(1, 8)]).any(1)
    robots = _answered(rows, "Q7_13")
    assert robots.any() and not (robots & ~adopters).any() and not (block & ~adopters).any()
    assert abs(robots[block].mean() * 100 - targets.DEFAULT_TICKED) < 4
    # single choice, routed to all: answered by exactly who answers the block's other question
    knows, act = _answered(rows, "Q12b"), _answered(rows, "Q12")
    assert (knows == act).all() and knows.sum() > 1000
    values = np.array([r[header.index("Q12b")] for r in rows[3:]])[knows]
    assert set(values) == {"1", "2"} and abs((values == "1").mean() - 0.5) < 0.05  # equal shares by default
    # percentage: only where its condition holds, with the default mean
    share = _answered(rows, "Q12c")
    assert share.any() and not (share & (np.array([r[header.index("Q12b")] for r in rows[3:]]) != "1")).any()
    pct = np.array([float(r[header.index("Q12c")]) for r in rows[3:] if r[header.index("Q12c")]])
    assert abs(pct.mean() - targets.DEFAULT_MEAN) < 1.5


def test_2023_new_option_follows_the_wave_rate(root):
    """The 2023 questionnaire's new option has its rate in the wave parameters only."""
    rows = list(csv.reader(io.StringIO((root / "resources/demo/2023/export_legacy.csv").read_text(encoding="utf-8-sig"))))
    header = rows[0]
    block = np.column_stack([_answered(rows, f"Q7_{k}") for k in range(1, 13)]).any(1)
    adopters = np.column_stack([[r[header.index(f"Q4_{k}")] == "1" for r in rows[3:]] for k in range(1, 8)]).any(1)
    new = _answered(rows, "Q7_12")
    assert new.any() and not (new & ~adopters).any()
    assert abs(new[block].mean() * 100 - demo.WAVES["2023"].rates["app_generative_content"]) < 4
