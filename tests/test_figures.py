"""Figures 1-12: files, deterministic bytes, captions with the computed N, Dutch alt texts and
number formats, the house-style marks (flags, suppression, synthetic data)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from aibarometer import figures, fmt
from aibarometer.indicators import load as load_with_derived
from aibarometer.spec import Estimates, bases_by_block, load_spec

NUMBERS = range(1, 13)
PCT = re.compile(r"\d+,\d%")  # a Dutch percentage: 23,2%
ENGLISH_PCT = re.compile(r"\d\.\d+%")  # 23.2%: must never appear
SVG_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


@pytest.fixture(scope="module")
def inputs(demo_run, root):
    estimates = demo_run / "estimates" / "estimates.parquet"
    bases = demo_run / "estimates" / "bases.csv"
    return SimpleNamespace(spec=str(root / "config" / "spec.yaml"), estimates=str(estimates), bases=str(bases),
                           codebook=str(root / "config" / "codebook.yaml"))


@pytest.fixture(scope="module")
def drawn(inputs, tmp_path_factory):
    """One run through the Snakemake entry point (figures + figures.json)."""
    out = tmp_path_factory.mktemp("figures") / "figures"
    messages = []
    figures.run(inputs, SimpleNamespace(alt=str(out / "figures.json")), SimpleNamespace(synthetic=True),
                messages.append)
    return SimpleNamespace(dir=out, info=json.loads((out / "figures.json").read_text(encoding="utf-8")),
                           log=messages)


@pytest.fixture(scope="module")
def drawn_png(inputs, tmp_path_factory):
    """The on-demand PNG entry point (rule figures_png)."""
    out = tmp_path_factory.mktemp("png") / "figures"
    pngs = [str(out / f"figure{n:02d}.png") for n in NUMBERS]
    figures.run_png(inputs, SimpleNamespace(png=pngs), SimpleNamespace(synthetic=True), [].append)
    return out


@pytest.fixture(scope="module")
def est_df(inputs):
    return pd.read_parquet(inputs.estimates)


@pytest.fixture(scope="module")
def bases(inputs):
    with open(inputs.bases, encoding="utf-8") as f:
        return {row["block"]: int(row["n"]) for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def formatted_estimates(est_df):
    """Every estimate as the report prints it (shares via pct, means in % units via pp)."""
    shares = est_df[est_df["kind"] == "proportion"]["estimate"].dropna()
    means = est_df[est_df["kind"] == "mean"]["estimate"].dropna()
    return {fmt.pct(v) for v in shares} | {fmt.pp(v) for v in means}


@pytest.mark.slow
def test_twelve_svg_and_png_on_demand(drawn, drawn_png):
    for n in NUMBERS:
        svg = drawn.dir / f"figure{n:02d}.svg"
        png = drawn_png / f"figure{n:02d}.png"
        assert svg.is_file() and png.is_file(), n
        assert not (drawn.dir / f"figure{n:02d}.png").exists(), "the report's job draws no PNG"
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (drawn_png / "figures.json").exists()
    assert sorted(f["number"] for f in drawn.info) == list(NUMBERS)
    assert not list(drawn.dir.glob(".*")), "temporary files left behind"
    assert drawn.log and "wrote figures" in drawn.log[-1]


@pytest.mark.slow
def test_figures_json(drawn, root):
    spec = load_spec(root / "config" / "spec.yaml")
    by_number = {e["number"]: e for e in spec["figures"]}
    for f in drawn.info:
        assert set(f) >= {"number", "id", "title", "n", "caption", "alt", "note"}
        entry = by_number[f["number"]]
        assert (f["id"], f["title"], f["note"]) == (entry["id"], entry["title"], entry.get("note"))
        assert f["svg"] == f"figure{f['number']:02d}.svg" and "png" not in f


@pytest.mark.slow
def test_drawing_twice_gives_identical_bytes(drawn, drawn_png, inputs, root, tmp_path):

    est = Estimates(pd.read_parquet(inputs.estimates))
    bases = bases_by_block(pd.read_csv(inputs.bases))
    second = figures.draw_all(load_spec(inputs.spec), est, bases, load_with_derived(inputs.codebook, inputs.spec), tmp_path,
                              True, ("svg", "png"))
    assert [second[f["number"]]["alt"] for f in drawn.info] == [f["alt"] for f in drawn.info]
    for n in NUMBERS:
        for ext in ("svg", "png"):
            name = f"figure{n:02d}.{ext}"
            first = drawn.dir if ext == "svg" else drawn_png
            assert (tmp_path / name).read_bytes() == (first / name).read_bytes(), name


@pytest.mark.slow
def test_captions_carry_the_computed_base(drawn, bases, root, est_df, codebook):
    """N is the base of what a figure shows: one group of firms -- its items' n (a range when
    they differ, as for Figure 12); groups side by side -- the block's respondents."""
    from aibarometer.spec import resolve_items
    spec = load_spec(root / "config" / "spec.yaml")
    for f in drawn.info:
        entry = next(e for e in spec["figures"] if e["number"] == f["number"])
        assert f["n"] == bases[entry["block"]]
        domains = set(entry.get("domains") or [s.get("domain", "all") for s in entry.get("series", [])])
        items = [entry["indicator"]] if entry["type"] == "distribution" else resolve_items(entry, codebook)
        ns = est_df[est_df["indicator"].isin(items) & (est_df["domain"] == sorted(domains)[0])]["n"]
        if len(domains) > 1 or ns.min() == ns.max():
            n = bases[entry["block"]] if len(domains) > 1 else int(ns.min())
            want = f"N = {fmt.num(n)}"
        else:
            want = f"N = {fmt.num(int(ns.min()))} tot {fmt.num(int(ns.max()))}"
        assert f["caption"] == f"Figuur {f['number']}: {f['title']} ({want})", f["number"]
    assert "tot" in next(f for f in drawn.info if f["number"] == 12)["caption"]  # its items lost respondents unevenly
    fig1 = next(f for f in drawn.info if f["number"] == 1)
    assert fig1["caption"].endswith(f"(N = {fmt.num(bases['technologies'])})")
    if bases["technologies"] >= 1000:
        assert re.search(r"N = \d\.\d{3}\)$", fig1["caption"])  # Dutch thousands separator: 1.717


@pytest.mark.slow
def test_alt_texts_are_dutch_with_real_numbers(drawn, formatted_estimates):
    for f in drawn.info:
        alt = f["alt"]
        assert alt and alt.strip() == alt and alt.endswith("."), f["number"]
        found = PCT.findall(alt)
        assert found, f"figure {f['number']}: no Dutch percentage in {alt!r}"
        assert not ENGLISH_PCT.search(alt), alt
        assert set(found) <= formatted_estimates, f"figure {f['number']}: {set(found) - formatted_estimates}"
        assert re.search(r"\b(van|bij|het|en|de)\b", alt), alt
        assert "*" not in alt  # a screen reader would read the asterisk out
    fig1, fig2 = drawn.info[0]["alt"], drawn.info[1]["alt"]
    assert "gebruikt AI: " in fig1 and "gebruikt geen AI: " in fig1  # the spec's groups, with their shares
    assert "minstens één AI-technologie" in fig2 and "De balken van lang naar kort" in fig2


@pytest.mark.slow
def test_figure1_and_2_alt_mention_the_adoption_rate(drawn, est_df):
    """Figure 1's group 'Gebruikt AI' sums to the adoption rate; figure 2 opens with it (lead: adopter)."""
    row = est_df[(est_df["indicator"] == "adopter") & (est_df["category"].astype(str) == "1")
                 & (est_df["domain"] == "all")].iloc[0]
    assert f"gebruikt AI: {fmt.pct(row['estimate'])} (" in drawn.info[0]["alt"]
    assert drawn.info[1]["alt"].startswith(f"{fmt.pct(row['estimate'])} van de bedrijven gebruikt minstens één")


@pytest.mark.slow
def test_svg_text_is_text_with_decimal_commas(drawn, est_df):
    for n in NUMBERS:
        svg = (drawn.dir / f"figure{n:02d}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg and "<dc:creator>" not in svg and "Matplotlib" not in svg
        assert 'width="453.543307pt"' in svg  # 16 cm wide
        texts = SVG_TEXT.findall(svg)
        assert texts, f"figure {n}: no <text> (svg.fonttype must be 'none')"
        values = [t for t in texts if re.fullmatch(r"[\d.,]+%\*?", t)]  # the value labels
        assert values, n
        assert not any(ENGLISH_PCT.search(t) for t in texts), n
        assert all(re.fullmatch(r"\d+,\d%\*?", t) for t in values), [t for t in values if not PCT.search(t)]
        sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
        assert sizes and min(sizes) >= 8.0, f"figure {n}: font below 8 pt"  # user unit = pt
        families = set(re.findall(r"font-family: ([^;\"]+)", svg))
        assert families == {f"'{figures.font_family()}'"}, families  # the font the text was measured with
        assert "SYNTHETISCHE DEMODATA" in svg
    one = est_df[(est_df["indicator"] == "n_technologies") & (est_df["category"].astype(str) == "1")
                 & (est_df["domain"] == "all")].iloc[0]
    assert f">{fmt.pct(one['estimate'])}</text>" in (drawn.dir / "figure01.svg").read_text(encoding="utf-8")


def _draw_one(number: int, est_df: pd.DataFrame, inputs, outdir: Path, synthetic: bool, **extra) -> tuple[dict, str]:

    spec = load_spec(inputs.spec)
    entry = {**next(e for e in spec["figures"] if e["number"] == number), **extra}
    import matplotlib

    with matplotlib.rc_context(figures._rc()):
        info = figures.draw_figure(entry, Estimates(est_df), bases_by_block(pd.read_csv(inputs.bases)),
                                   load_with_derived(inputs.codebook, inputs.spec), outdir, synthetic)
    return info, (outdir / f"figure{number:02d}.svg").read_text(encoding="utf-8")


@pytest.mark.slow
def test_flagged_and_suppressed_estimates_are_marked(est_df, inputs, tmp_path):
    df = est_df.copy()
    cat1 = (df["category"].astype(str) == "1") & (df["domain"] == "all")
    apps = df[cat1 & df["indicator"].str.startswith("app_") & (df["indicator"] != "app_none")]
    flagged = cat1 & (df["indicator"] == apps.loc[apps["estimate"].idxmax(), "indicator"])  # surely in the alt text
    suppressed = cat1 & (df["indicator"] == "app_purchasing")
    df.loc[flagged, "flag"] = "low_n"
    df.loc[suppressed, ["estimate", "ci_low", "ci_high"]] = float("nan")
    df.loc[suppressed, "flag"] = "suppressed"
    info, svg = _draw_one(6, df, inputs, tmp_path, synthetic=False)
    texts = SVG_TEXT.findall(svg)
    assert f"{fmt.pct(df.loc[flagged, 'estimate'].iloc[0])}*" in texts
    assert fmt.DASH in texts
    assert figures.FLAG_NOTE in texts and figures.SUPPRESSED_NOTE in texts
    assert "SYNTHETISCHE DEMODATA" not in svg
    # the alt text names the flagged value with its caveat and never gives a number for the suppressed one
    label = df.loc[flagged, "category_label"].iloc[0]
    assert f"{fmt.lower_first(label)} {fmt.pct(df.loc[flagged, 'estimate'].iloc[0])}, beperkt betrouwbaar" in info["alt"]
    assert fmt.lower_first(df.loc[suppressed, "category_label"].iloc[0]) not in info["alt"]


@pytest.mark.slow
def test_distribution_groups_bracket(est_df, inputs, tmp_path):
    groups = [{"label": "Gebruikt AI", "categories": ["1", "2", "3", "4+"]},
              {"label": "Gebruikt geen AI", "categories": ["0_plans", "0_no_plans"]}]
    _, svg = _draw_one(1, est_df, inputs, tmp_path, synthetic=True, groups=groups)
    rows = est_df[(est_df["indicator"] == "n_technologies") & (est_df["domain"] == "all")]
    users = rows[rows["category"].isin(["1", "2", "3", "4+"])]["estimate"].sum()
    assert f"Gebruikt AI: {fmt.pct(users)}" in SVG_TEXT.findall(svg)
    with pytest.raises(ValueError, match="aaneensluitende"):
        _draw_one(1, est_df, inputs, tmp_path, synthetic=True,
                  groups=[{"label": "x", "categories": ["1", "0_plans"]}])


def test_text_on_every_fill_reaches_wcag_contrast():
    """Value labels inside bars: WCAG's 4.5:1 with a margin (5:1) on every colour of every
    answer scale and on the tinted fill of a flagged cell (Figures 5 and 10 once printed
    near-black on vermillion at 4.50:1)."""
    from aibarometer.figures.layout import _on, contrast
    from aibarometer.figures.style import SCHEMES, _tint

    fills = {c for scheme in SCHEMES.values() for c in scheme.values()}
    for fill in fills | {_tint(c, 0.45) for c in fills}:
        assert contrast(_on(fill), fill) >= 5.0, fill
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21.0)


def test_response_figure_labels_clear_the_reference_line_and_each_other():
    """Figure A1: a bar ending just short of the overall rate would have its value label
    crossed by the dashed reference line (the 2021 demo's 13,5% and 10,7%); the figure code
    moves such labels, and no two labels overlap."""
    import matplotlib.pyplot as plt
    import pandas as pd

    from aibarometer.figures.response import collisions, response_figure

    rates = {"a": 0.135, "b": 0.107, "c": 0.40, "d": 0.02, "e": 0.139, "f": 0.12}
    strata = pd.DataFrame([{"sector": s, "size_class": z, "reached": 1000, "usable": round(1000 * r)}
                           for s, r in rates.items() for z in ("small", "large")])
    overall = strata["usable"].sum() / strata["reached"].sum() * 100
    assert any(abs(r * 100 - overall) < 3 for r in rates.values())
    labels = {k: k for k in list(rates) + ["small", "large"]}
    fig, axes, ref = response_figure(strata, True, labels, labels, clear=False)
    assert ref == pytest.approx(overall)
    assert any(collisions(ax, [ref]) for ax in axes)  # as drawn before: the line runs through labels
    plt.close(fig)
    fig, axes, ref = response_figure(strata, True, labels, labels)
    assert [c for ax in axes for c in collisions(ax, [ref])] == []
    plt.close(fig)
