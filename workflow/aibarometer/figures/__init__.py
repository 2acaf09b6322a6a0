"""Figures 1-12 of the report, from the spec (config/spec.yaml), as SVG (PNG on demand).

One process draws every figure (matplotlib is imported once, inside the functions, so
that importing this module stays cheap). Per figure it returns the caption (with the N
of its block from bases.csv, computed, never typed), a Dutch alt text with the main
numbers, and the spec's note; ``run`` writes that list to ``figures/figures.json``.

House style
    * 16 cm wide (the text width of an A4 page with 2,5 cm margins), drawn at print size:
      every font is >= 8 pt when the figure is embedded at 100% width.
    * One colour-blind-safe palette: Okabe & Ito (2008), plus two neutral greys for
      "unchanged / not known / no" and "don't know".
    * Every number passes through :mod:`aibarometer.fmt` (23,2%); no axis tick numbers.
    * Flagged estimates (low base or wide interval) get a hatched bar and an asterisk, with
      a footnote; suppressed ones show "–" without a bar.
    * Deterministic bytes: no dates, no creator, salted (fixed) SVG ids.
    * Text stays text (``svg.fonttype = "none"``): WeasyPrint sets it with the same font file
      matplotlib measured it with, so the PDF has real, searchable text. The font is the
      report's body font, Liberation Sans (``fonts-liberation2``, installed by ``make setup``),
      registered from its files because matplotlib's font cache may predate its installation;
      without it, DejaVu Sans (shipped with matplotlib). The SVG names the font actually used.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import fmt
from ..spec import Estimates
from .style import FLAG_NOTE, PNG_DPI, SUPPRESSED_NOTE, _rc, font_family  # noqa: F401 (re-exported)
from .layout import _Measure, _Page  # noqa: F401 (re-exported)
from .bars import _bars_data, _draw_bars  # noqa: F401 (re-exported)
from .stacked import _draw_stacked, _stacked_data  # noqa: F401 (re-exported)
from .distribution import _distribution_data, _draw_distribution  # noqa: F401 (re-exported)
from .alt import _alt_bars, _alt_distribution, _alt_stacked  # noqa: F401 (re-exported)


# --- entry points ---------------------------------------------------------------------------------------

def _save(page: _Page, path: Path) -> None:
    """Write atomically with fixed metadata (no dates, no software version): identical bytes per run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        if path.suffix == ".svg":
            page.fig.savefig(tmp, format="svg", metadata={"Date": None, "Creator": None, "Format": None,
                                                          "Type": None})
        else:
            page.fig.savefig(tmp, format="png", dpi=PNG_DPI, metadata={"Software": None})
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def draw_figure(entry: dict, est: Estimates, bases: dict[str, int], codebook, outdir: Path, synthetic: bool,
                m: _Measure | None = None, formats: tuple[str, ...] = ("svg",)) -> dict:
    m = m or _Measure()
    kind = entry["type"]
    if kind == "bars":
        series, rows = _bars_data(entry, est, codebook)
        page = _draw_bars(entry, series, rows, m, synthetic)
        alt = _alt_bars(entry, series, rows, codebook, est)
    elif kind == "stacked":
        panels = _stacked_data(entry, est, codebook)
        page = _draw_stacked(entry, panels, m, synthetic)
        alt = _alt_stacked(entry, panels, codebook)
    elif kind == "distribution":
        data = _distribution_data(entry, est, codebook)
        page = _draw_distribution(entry, data, m, synthetic)
        alt = _alt_distribution(entry, data, codebook, est)
    else:
        raise ValueError(f"figuur {entry['number']}: onbekend type {kind!r}")
    number = int(entry["number"])
    if entry["block"] not in bases:
        raise KeyError(f"figuur {number}: geen basis (N) voor blok {entry['block']!r} in bases.csv")
    n = int(bases[entry["block"]])
    n_text = _caption_n(entry, est, codebook, n)
    stem = f"figure{number:02d}"
    for ext in formats:
        _save(page, outdir / f"{stem}.{ext}")
    return {"number": number, "id": entry["id"], "title": entry["title"], "n": n, "n_text": n_text,
            "caption": f"Figuur {number}: {entry['title']} ({n_text})", "alt": alt,
            "note": entry.get("note"), "svg": f"{stem}.svg"}


def _caption_n(entry: dict, est: Estimates, codebook, block_n: int) -> str:
    """The caption's N: the base of what the figure shows. One group of firms: the n of its
    items (a range when items lost respondents differently); several groups side by side:
    the block's respondents, all groups together."""
    from ..spec import resolve_items

    domains = set(entry.get("domains") or [s.get("domain", "all") for s in entry.get("series", [])] or ["all"])
    if len(domains) > 1:
        return fmt.n_caption(block_n)
    items = [entry["indicator"]] if entry["type"] == "distribution" else resolve_items(entry, codebook)
    df = est.df
    ns = df[df["indicator"].isin(items) & (df["domain"] == next(iter(domains)))]["n"].astype(int)
    if ns.empty:
        return fmt.n_caption(block_n)
    lo, hi = int(ns.min()), int(ns.max())
    return fmt.n_caption(lo) if lo == hi else f"N = {fmt.num(lo)} tot {fmt.num(hi)}"


def draw_all(spec: dict, est: Estimates, bases: dict[str, int], codebook, outdir: Path, synthetic: bool,
             formats: tuple[str, ...] = ("svg",)) -> dict:
    """Draw every figure of the spec into outdir (figureNN.svg, or the formats asked for);
    return {number: figure info}."""
    import matplotlib

    matplotlib.use("Agg")
    outdir = Path(outdir)
    out = {}
    with matplotlib.rc_context(_rc()):
        m = _Measure()
        for entry in spec["figures"]:
            out[int(entry["number"])] = draw_figure(entry, est, bases, codebook, outdir, synthetic, m, formats)
    return out


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``figures``): the SVGs the report uses and figures.json."""
    _run(input, params, log, ("svg",), Path(output.alt).parent, output.alt)


def run_png(input, output, params, log) -> None:
    """Snakemake entry point (rule ``figures_png``, on demand): PNG copies for slides and
    documents, drawn by the same code at PNG_DPI."""
    _run(input, params, log, ("png",), Path(output.png[0]).parent)


def _run(input, params, log, formats: tuple[str, ...], outdir: Path, alt_path: str | None = None) -> None:
    import time

    import pandas as pd

    from ..config import load_codebook
    from ..indicators import attach
    from ..spec import bases_by_block, load_spec
    from ..stage import write_json

    t0 = time.perf_counter()
    spec = load_spec(input.spec)
    codebook = attach(load_codebook(input.codebook), spec)
    est = Estimates(pd.read_parquet(input.estimates))
    bases = bases_by_block(pd.read_csv(input.bases))
    figures = draw_all(spec, est, bases, codebook, outdir, bool(params.synthetic), formats)
    if alt_path:
        write_json(list(figures.values()), alt_path)
    log(f"wrote figures {sorted(figures)} ({', '.join(formats)}) to {outdir} in {time.perf_counter() - t0:.1f}s "
        f"(font: {font_family()})")
