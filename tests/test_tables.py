"""Tables 1-6 and the reference check on the demo wave."""

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow  # reads the demo run's tables (the workflow)


def test_six_tables_in_three_formats(demo_run):
    for n in range(1, 7):
        csv = pd.read_csv(demo_run / "tables" / f"table{n}.csv")
        pq = pd.read_parquet(demo_run / "tables" / f"table{n}.parquet")
        assert len(csv) == len(pq) > 0
    t1 = pd.read_csv(demo_run / "tables" / "table1.csv")
    assert t1["population"].sum() == 34452 and t1["sample"].sum() == 14274 and len(t1) == 36
    t3 = pd.read_csv(demo_run / "tables" / "table3.csv")
    # 9 sectors + total; "uses at least one technology" and the 7 technologies
    assert t3["row_code"].nunique() == 10 and list(dict.fromkeys(t3["item"]))[0] == "adopter" and t3["item"].nunique() == 8
    t5 = pd.read_csv(demo_run / "tables" / "table5.csv")
    assert t5["item"].nunique() == 10 and (t5.loc[t5["n"] < 10, "flag"] == "suppressed").all()
    hidden = t5[t5["flag"] == "suppressed"]
    assert len(hidden) > 0 and hidden[["estimate", "ci_low", "ci_high", "se"]].isna().all().all()
    assert not hidden["significant"].any()


def test_xlsx_sheets_and_formats(demo_run):
    wb = load_workbook(demo_run / "tables" / "tables.xlsx")
    # named and ordered as the report numbers its tables (config/spec.yaml: label, report_tables)
    assert wb.sheetnames == (["Toelichting"] + [f"Tabel {n}" for n in range(1, 6)]
                             + ["Tabel 6 (Eurostat)", "Tabel 7 (evolutie)", "Tabel A1 (responsstroom)", "Tabel A2",
                                "Tabel A3 (precisie)"]
                             + [f"Figuur {n}" for n in range(1, 13)]
                             + ["Kwaliteit", "Respons per stratum", "Item-non-respons", "Alle schattingen", "Vragen"])
    eu = list(wb["Tabel 6 (Eurostat)"].values)
    assert eu[0][:3] == ("Gebied", "Jaar", "Schatting") and eu[1][0] == "Vlaanderen (deze barometer)"
    assert 0 < eu[1][2] < 1 and len(eu) >= 3  # our share as a fraction, then Eurostat's areas
    ws = wb["Tabel 3"]
    headers = [c.value for c in ws[2]]
    assert "Aandeel" in headers and "95%-BI ondergrens" in headers and "Vlag" in headers
    col = headers.index("Aandeel") + 1
    cell = ws.cell(row=3, column=col)
    assert isinstance(cell.value, float) and cell.number_format == "0.0%"
    assert "SYNTHETISCHE" in ws["A1"].value
    assert "Populatie" not in headers  # Table 3 holds shares, not counts
    t1 = wb["Tabel 1"]
    h1 = [c.value for c in t1[2]]
    assert t1.cell(row=3, column=h1.index("Populatie") + 1).number_format == "#,##0"


def test_reference_check_passes_its_bar(demo_run):
    chk = pd.read_csv(demo_run / "validation" / "reference_check.csv")
    summary = json.loads((demo_run / "validation" / "reference_check.json").read_text())
    assert summary["checked"] == len(chk) >= 370
    pct = chk[chk["kind"] != "count"]
    assert pct["inside"].mean() >= 0.90, pct.loc[~pct["inside"], "key"].tolist()
    counts = chk[chk["kind"] == "count"]
    assert counts["inside"].all(), counts.loc[~counts["inside"], "key"].tolist()


def test_reference_check_can_miss(demo_run, root):
    """A published number far from our estimate is reported as outside."""
    import yaml

    from aibarometer.reference import reference_check
    ref = yaml.safe_load((root / "resources/reference/ai-barometer-2021.yaml").read_text())
    ref["figure1_number_of_technologies"]["any"] = 60.0
    est = pd.read_parquet(demo_run / "estimates" / "estimates.parquet")
    chk = reference_check(ref, est, pd.read_csv(demo_run / "clean" / "flow.csv"),
                          pd.read_csv(demo_run / "clean" / "table1.csv"), pd.read_csv(demo_run / "clean" / "table2.csv"))
    assert not chk.set_index("key").loc["figure1.any", "inside"]


def test_the_workbook_serves_secondary_analysis(demo_run, codebook):
    """All estimates (with p-values, the difference from the rest, Dutch flags and labels),
    the questions with their wording and base, totals in Tables 1 and 2."""
    wb = load_workbook(demo_run / "tables" / "tables.xlsx")
    est = pd.read_parquet(demo_run / "estimates" / "estimates.parquet")
    rows = list(wb["Alle schattingen"].values)
    head, body = rows[0], rows[1:]
    assert len(body) == len(est)
    assert {"p-waarde (t-toets tegen de rest)", "Verschil met de rest", "Betrouwbaarheid", "Groep"} <= set(head)
    col = {h: i for i, h in enumerate(head)}
    flags = {r[col["Betrouwbaarheid"]] for r in body}
    assert not flags & {"low_n", "wide_ci", "suppressed", "low_n+wide_ci"}
    assert any(f and f.startswith("beperkt betrouwbaar") for f in flags)
    assert any(f and f.startswith("niet gepubliceerd") for f in flags)
    suppressed = [r for r in body if (r[col["Betrouwbaarheid"]] or "").startswith("niet gepubliceerd")]
    assert all(r[col["Schatting"]] is None and r[col["p-waarde (t-toets tegen de rest)"]] is None for r in suppressed)
    assert "adopter:yes" not in {r[col["Groep"]] for r in body}  # Dutch words, not internal names
    q = list(wb["Vragen"].values)
    assert {r[1] for r in q[1:]} >= {i.var for i in codebook.technology_items}
    assert all(r[4] for r in q[1:])  # every question with its wording
    for sheet in ("Tabel 1", "Tabel 2"):
        last = [c.value for c in wb[sheet][wb[sheet].max_row]]
        assert last[0] == "Totaal"
    t1 = wb["Tabel 1"]
    assert [c.value for c in t1[t1.max_row]][4:6] == [34452, 14274]
    assert [r[0] for r in wb["Toelichting"].values][0] == "Onderwerp"
    # the numbers behind the figures: Figure 2 draws 7 technologies x 2 series
    fig2 = list(wb["Figuur 2"].values)
    assert len(fig2) - 1 == 14 and {r[1] for r in fig2[1:]} == {"Gebruikt dit nu", "Plant dit binnen het jaar"}
    flow = pd.read_csv(demo_run / "clean" / "flow.csv")
    assert [r[1] for r in list(wb["Tabel A1 (responsstroom)"].values)[1:]] == list(flow["count"])


def test_the_precision_annex_is_declared_once(demo_run, codebook):
    """Tabel A3 of the workbook lists the spec's precision indicators, as the report does."""
    from aibarometer.spec import load_spec, precision_items
    from conftest import ROOT
    wb = load_workbook(demo_run / "tables" / "tables.xlsx")
    rows = list(wb["Tabel A3 (precisie)"].values)[1:]
    items = precision_items(load_spec(ROOT / "config" / "spec.yaml"), codebook)
    assert [r[0] for r in rows] == [label for _, _, label in items]
    assert items[0][2] == "Gebruikt minstens één AI-technologie" and "Gebruikt tekstanalyse" in [i[2] for i in items]
