"""Inputs cannot rewrite the outputs: a wave title cannot inject CSS or fetch files, and
text from input files is never run as a spreadsheet formula."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from pypdf import PdfReader

from aibarometer import report
from aibarometer.catalog import Catalog
from aibarometer.spec import load_spec
from aibarometer.stage import Log, spreadsheet_safe, write_table

HOSTILE = 'AI & "B" 2021\n}@page{@bottom-left{content:none}}@page{background:url(file:///etc/hostname)}' \
          '</style><img src="http://127.0.0.1:9/x.png">'


def test_css_string_keeps_a_title_inside_its_string():
    quoted = str(report.css_string(HOSTILE))
    assert quoted.startswith('"') and quoted.endswith('"') and quoted.count('"') == 2
    for ch in '{};<>"&\n':
        assert ch not in quoted[1:-1]  # only as CSS escapes
    assert str(report.css_string("AI-Barometer 2021")) == '"AI-Barometer 2021"'


def test_confined_fetcher_reads_only_the_allowed_folder(tmp_path):
    allowed = tmp_path / "figures"
    allowed.mkdir()
    (allowed / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    from aibarometer.pdf import confined_fetcher
    fetch = confined_fetcher([allowed])
    assert fetch((allowed / "a.svg").as_uri())["string" if "string" in fetch((allowed / "a.svg").as_uri()) else "file_obj"]
    for url in ((tmp_path / "secret.txt").as_uri(), (allowed / ".." / "secret.txt").as_uri(), "http://127.0.0.1:9/x",
                "file:///etc/hostname"):
        with pytest.raises(ValueError):
            fetch(url)


@pytest.mark.slow
def test_a_hostile_wave_title_changes_no_page(demo_run, tmp_path):
    """The report rule with a title that tries to remove the synthetic footer, embed a local
    file and fetch a URL: the footer stays on every page, the title reads as typed, nothing is fetched."""
    from aibarometer.config import load_config, load_wave

    root = Path(__file__).resolve().parents[1]
    wave = load_wave("2021-demo", root)
    wave["report"] = {**wave["report"], "title": HOSTILE}
    cfg = load_config(root / "config" / "config.yaml")
    d = demo_run
    # the report rule's inputs, named and placed as the catalog declares them
    spec = load_spec(root / cfg["spec"])
    work = d.parents[1]
    results = {k: ([str(work / p) for p in v] if isinstance(v, list) else str(work / v))
               for k, v in Catalog.from_spec(spec).report_inputs("2021-demo", ["2021-demo"]).items()}
    inp = SimpleNamespace(**results, eurostat=str(root / "resources/eurostat/isoc_eb_ai.csv"),
                          spec=str(root / "config/spec.yaml"), codebook=str(root / "config/codebook.yaml"),
                          css=str(root / "workflow/templates/report.css"))
    out = SimpleNamespace(**{k: str(tmp_path / Path(v).name)
                             for k, v in Catalog.from_spec(spec).outputs("report", "r").items()})
    params = SimpleNamespace(wave=wave, strata=cfg["strata"], config={k: cfg[k] for k in ("cleaning", "estimation")},
                             waves_meta={}, years=[wave["year"]])
    report.run(inp, out, params, Log(tmp_path / "report.log"))
    html = Path(out.html).read_text()
    style = html[html.index("<style>"):html.index("</style>")]
    assert "@bottom-left { content: none" not in style.split("@top-right")[1].split(";")[0]
    assert "&amp;amp;" not in html
    assert json.loads(Path(out.layout).read_text())["overflow"] == []
    pages = PdfReader(out.pdf).pages
    texts = [re.sub(r"\s+", " ", p.extract_text() or "") for p in pages]
    # the long title may push the cover onto a second page (the cover has no running head or footer)
    cover = 2 if "Let op" in texts[1] and "Inhoud" not in texts[1] else 1
    for text in texts[cover:]:
        assert "SYNTHETISCHE DEMODATA" in text
        assert 'AI & "B" 2021' in text
    images = sum(len(p.images) for p in pages)
    own = len(list((d / "figures").glob("*.svg"))) + 1  # and the quality annex's response figure
    assert images <= own  # no embedded /etc/hostname, no fetched PNG


def test_formula_like_text_is_defused_in_csv_and_xlsx(tmp_path):
    df = pd.DataFrame({"label": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "gewoon", "5-9"],
                       "value": [-1.5, 2, 3, 4, 5, 6]})
    write_table(df, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv")
    assert list(back["label"][:4]) == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)"]
    assert list(back["label"][4:]) == ["gewoon", "5-9"] and back["value"][0] == -1.5
    assert spreadsheet_safe(-3) == -3

    import openpyxl

    from aibarometer.tables import write_xlsx
    write_xlsx({1: df}, {"tables": [{"number": 1, "title": "=cmd|' /C calc'!A0"}]}, tmp_path / "t.xlsx", synthetic=True)
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["Tabel 1"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert ws["A3"].value.startswith("'=")
