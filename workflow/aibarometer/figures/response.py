"""The response figure of the quality annex: the usable-response rate (usable / reached)
per size class and per sector, with the overall rate as a reference line; in the house
style of the other figures (fonts, palette, 8 pt floor, synthetic mark)."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from .style import BLUE, MUTED, SMALL, SYNTHETIC_MARK, TEXT, _rc


def rates(strata: pd.DataFrame, key: str) -> pd.DataFrame:
    """usable / reached per category of ``key`` (quality/strata.csv), in the given order."""
    g = strata.groupby(key, sort=False)[["reached", "usable"]].sum()
    return g.assign(rate=g["usable"] / g["reached"].where(g["reached"] > 0))


def draw_response(strata: pd.DataFrame, path, synthetic: bool, size_labels: dict, sector_labels: dict) -> str:
    """Two panels of horizontal bars; returns the Dutch alt text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    overall = strata["usable"].sum() / strata["reached"].sum()
    panels = [("Grootteklasse", rates(strata, "size_class"), size_labels),
              ("Sector", rates(strata, "sector"), sector_labels)]
    with plt.rc_context(_rc()):
        heights = [len(p[1]) for p in panels]
        fig, axes = plt.subplots(2, 1, figsize=(6.3, 0.24 * sum(heights) + 1.6), gridspec_kw={"height_ratios": heights})
        top = max(float(p[1]["rate"].max()) for p in panels) * 100
        for ax, (title, r, labels) in zip(axes, panels):
            y = list(range(len(r)))[::-1]
            ax.barh(y, r["rate"] * 100, color=BLUE, height=0.62)
            for yi, v in zip(y, r["rate"]):
                ax.text(v * 100 + top * 0.01, yi, fmt.pct(v), va="center", fontsize=SMALL, color=TEXT)
            ax.axvline(overall * 100, color=MUTED, lw=0.8, ls="--")
            ax.set_yticks(y, [labels.get(k, k) for k in r.index])
            ax.set_xlim(0, top * 1.15)
            ax.set_title(title, loc="left", fontsize=SMALL, color=MUTED, style="italic")
            ax.tick_params(axis="both", labelsize=SMALL, colors=TEXT)
            ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.pp(v, 0)))
            ax.spines[["top", "right"]].set_visible(False)
        fig.text(0.01, 0.01, f"Stippellijn: alle bereikte bedrijven samen ({fmt.pct(overall)}).", ha="left",
                 va="bottom", fontsize=SMALL, color=MUTED)
        if synthetic:
            fig.text(0.99, 0.01, SYNTHETIC_MARK, ha="right", va="bottom", fontsize=SMALL, color="#a4161a")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
    parts = []
    for title, r, labels in panels:
        ordered = r.sort_values("rate", ascending=False)
        parts.append(f"{title.lower()}: " + "; ".join(f"{labels.get(k, k)} {fmt.pct(v)}" for k, v in ordered["rate"].items()))
    return (f"Bruikbare respons per grootteklasse en per sector, van hoog naar laag; over alle bereikte bedrijven "
            f"{fmt.pct(overall)}. " + ". ".join(p[0].upper() + p[1:] for p in parts) + ".")
