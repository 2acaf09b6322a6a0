"""The PDF report: numbers as the estimates say, accessible structure, reproducible bytes."""

import re

import pandas as pd
import pytest
from pypdf import PdfReader

from aibarometer import fmt

from conftest import make_workdir, render_report_html, run_snakemake

pytestmark = pytest.mark.slow  # reads the demo run's report (the workflow), renders PDFs


@pytest.fixture(scope="module")
def pdf_path(demo_run):
    return demo_run / "report" / "ai-barometer-2021-demo.pdf"


@pytest.fixture(scope="module")
def reader(pdf_path):
    """One reader for the module: pypdf keeps what it parsed (the structure tree is slow to walk the first time)."""
    return PdfReader(pdf_path)


@pytest.fixture(scope="module")
def text(reader):
    raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", raw)


@pytest.fixture(scope="module")
def est(demo_run):
    e = pd.read_parquet(demo_run / "estimates" / "estimates.parquet")
    return e.set_index(["indicator", "category", "domain"])


def shown(est, indicator, category="1", domain="all"):
    r = est.loc[(indicator, category, domain)]
    return fmt.pct(r["estimate"]) + ("*" if r["flag"] and r["flag"] != "suppressed" else "")


def test_headline_numbers_appear_as_estimated(text, est, codebook):
    assert f"Van de Vlaamse bedrijven gebruikt {shown(est, 'adopter')} minstens één" in text
    for item in codebook.technology_items:
        assert shown(est, item.var) in text, item.var
    for cat in ("1", "2", "3", "4+", "0_plans", "0_no_plans"):
        assert shown(est, "n_technologies", cat) in text


def test_flow_counts_and_captions(text, demo_run):
    flow = pd.read_csv(demo_run / "clean" / "flow.csv").set_index("step")["count"]
    for step in ("sampled", "undeliverable", "reached", "responses", "usable", "excluded_a", "excluded_d"):
        assert fmt.num(flow[step]) in text
    bases = pd.read_csv(demo_run / "estimates" / "bases.csv").set_index("block")["n"]
    for n, block in ((1, "technologies"), (4, "barriers"), (5, "knowledge"), (6, "applications"), (7, "sources"),
                     (8, "budget"), (9, "competitiveness"), (12, "policy")):
        caption = re.search(rf"Figuur {n}: [^()]*\((N = [\d.]+(?: tot [\d.]+)?)\)", text)
        assert caption and caption.group(1).startswith("N = "), n
        if n != 12:  # Figure 12's items lost respondents unevenly: a range up to the block's base
            assert caption.group(1) == fmt.n_caption(bases[block]), n
        else:
            assert caption.group(1).endswith(f"tot {fmt.num(bases[block])}")
    for n in ("1", "2", "3", "4", "5", "6", "A1", "A2", "A3"):
        assert f"Tabel {n}:" in text


def test_synthetic_notice_on_every_page(reader):
    pages = reader.pages
    assert "synthetische demodata" in (pages[0].extract_text() or "").lower()
    for page in pages[1:]:
        assert "SYNTHETISCHE DEMODATA" in (page.extract_text() or "")


def _walk(node, out):
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if node.get("/S") == "/Figure":
            out.append(node.get("/Alt"))
        kids = node.get("/K")
        if kids is not None:
            _walk(kids, out)
    elif isinstance(node, list):
        for k in node:
            _walk(k, out)


def test_tagged_pdf_with_language_title_and_alt_texts(reader):
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl-BE"
    assert "AI-Barometer" in reader.metadata.title
    alts = []
    _walk(root["/StructTreeRoot"], alts)
    assert len(alts) >= 12
    assert all(a and len(str(a)) > 20 for a in alts)
    assert sum("%" in str(a) for a in alts) >= 12
    assert len(reader.outline) >= 5  # bookmarks


def test_two_cold_runs_give_identical_bytes(tmp_path, demo_run, pdf_path):
    work = make_workdir(tmp_path / "second", ["2021-demo"])
    proc = run_snakemake(work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    second = work / "results" / "2021-demo"
    assert (second / "report" / "ai-barometer-2021-demo.pdf").read_bytes() == pdf_path.read_bytes()
    assert (second / "tables" / "tables.xlsx").read_bytes() == (demo_run / "tables" / "tables.xlsx").read_bytes()
    names = [f"figures/figure{n:02d}.svg" for n in range(1, 13)] + [
        f"quality/{f}" for f in ("estimates_quality.csv", "strata.csv", "items.csv", "representativity.json",
                                 "response.svg", "response.json")]
    for name in names:
        assert (second / name).read_bytes() == (demo_run / name).read_bytes(), name


def _count(node, tag):
    """Structure elements with role `tag` below `node`."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        return sum(_count(k, tag) for k in node)
    if isinstance(node, dict):
        return int(node.get("/S") == tag) + _count(node.get("/K", []), tag)
    return 0


def test_table_headers_are_tagged_as_headers(reader):
    root = reader.trailer["/Root"]
    assert _count(root["/StructTreeRoot"], "/Table") >= 8
    assert _count(root["/StructTreeRoot"], "/TH") >= 100


def test_a_real_wave_carries_no_synthetic_notice(demo_run, root, config, codebook, strata):
    """The notice follows the wave's `synthetic` flag, not the template."""
    from aibarometer.config import load_wave

    html = {}
    for synthetic in (True, False):
        wave = dict(load_wave("2021-demo", root), synthetic=synthetic)
        if not synthetic:  # a real wave's file has its own facts, not the demo's (which say they are synthetic)
            wave["report"] = {k: v for k, v in wave["report"].items()
                              if k in ("title", "subtitle", "commissioner", "publication_date")}
        html[synthetic] = render_report_html(demo_run, wave, config, codebook, strata)
    assert "SYNTHETISCHE DEMODATA" in html[True] and "synthetische demodata" in html[True]
    assert "SYNTHETISCHE" not in html[False] and "synthetische" not in html[False].lower()
