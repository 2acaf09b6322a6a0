"""The trend chart: each comparable headline indicator in the earlier wave and in this one,
with this wave's 95% interval and the change in percentage points; in the house style of
the other figures (fonts, palette, 8 pt floor, notes, synthetic mark)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from .. import fmt
from .style import BLUE, CI_NOTE, MUTED, ORANGE, SMALL, SYNTHETIC_MARK, TEXT, _rc

SIGNIFICANT = "(s)"
SIGNIFICANT_NOTE = f"{SIGNIFICANT} significante verandering (q-waarde onder 5%)"


def draw_trend(df: pd.DataFrame, path, synthetic: bool, level: float = 0.95, years: dict | None = None) -> None:
    """Dumbbell chart of ``df`` (rows of trend.parquet for one earlier wave, with ``label_text``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = years or {}
    with plt.rc_context(_rc()):
        z = special.ndtri(0.5 + level / 2)
        d = df[df["comparable"].astype(bool)].iloc[::-1]
        fig, ax = plt.subplots(figsize=(6.3, 0.3 * max(len(d), 1) + 1.3))
        y = np.arange(len(d))
        hi = ((d[["estimate_from", "estimate_to"]].max(axis=1) + z * d["se_to"]) * 100).max() if len(d) else 50
        label_x = hi + 3  # one aligned column of value labels, clear of the markers and intervals
        for yi, r in zip(y, d.itertuples()):
            ax.plot([r.estimate_from * 100, r.estimate_to * 100], [yi, yi], color="#999999", lw=1.2, zorder=1)
            ax.errorbar(r.estimate_to * 100, yi, xerr=z * r.se_to * 100, fmt="none", ecolor=BLUE, lw=0.8, capsize=2)
            ax.text(label_x, yi, f"{fmt.pct(r.estimate_to)}, {fmt.points(r.change)}{' ' + SIGNIFICANT if r.significant else ''}",
                    va="center", fontsize=SMALL, color=TEXT)
        first = lambda col: str(d[col].iloc[0]) if len(d) else ""  # noqa: E731
        ax.scatter(d["estimate_to"] * 100, y, color=BLUE, s=22, zorder=2, label=str(years.get(first("wave_to"), first("wave_to"))))
        # the earlier wave as a ring on top: equal values keep both markers visible
        ax.scatter(d["estimate_from"] * 100, y, facecolors="none", edgecolors=ORANGE, linewidths=1.4, s=40, zorder=3,
                   label=str(years.get(first("wave_from"), first("wave_from"))))
        ax.set_yticks(y, [r.label_text for r in d.itertuples()] if "label_text" in d else d["indicator"])
        ax.tick_params(axis="both", labelsize=SMALL, colors=TEXT)
        # the value labels take a fixed share of the axis width, whatever its scale
        ax.set_xlim(0, max(label_x + 22, label_x / 0.64))
        step = 10 if label_x < 60 else 20
        ax.set_xticks(list(range(0, int(min(hi + step, label_x + step / 2)) // step * step + 1, step)))
        ax.spines["bottom"].set_bounds(0, min(hi + step, label_x))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.pp(v, 0)))
        ax.spines[["top", "right"]].set_visible(False)
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="lower center", bbox_to_anchor=(0.35, 1.0), ncol=2, frameon=False,
                  fontsize=SMALL)
        fig.text(0.01, 0.01, f"{CI_NOTE} {SIGNIFICANT_NOTE}.", ha="left", va="bottom", fontsize=SMALL, color=MUTED)
        if synthetic:
            fig.text(0.99, 0.01, SYNTHETIC_MARK, ha="right", va="bottom", fontsize=SMALL, color="#a4161a")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
