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


def _extent(ax, text):
    """A text's extent in data units of ``ax`` (x0, x1, y0, y1), as drawn."""
    renderer = ax.figure.canvas.get_renderer()
    box = text.get_window_extent(renderer).transformed(ax.transData.inverted())
    return box.x0, box.x1, box.y0, box.y1


def clear_of_lines(ax, x_line: float, pad: float) -> None:
    """A value label that the vertical reference line at ``x_line`` would cross is moved:
    inside the end of its bar (white) when the bar holds it clear of the line, else just
    past the line."""
    for text in ax.texts:
        x0, x1, _, _ = _extent(ax, text)
        if not x0 - pad <= x_line <= x1 + pad:
            continue
        width, y = x1 - x0, text.get_position()[1]
        bar_end = text.get_position()[0] - pad
        inside = (bar_end - pad - width, bar_end - pad)
        if inside[0] >= pad and not inside[0] - pad <= x_line <= inside[1] + pad:
            text.set_position((inside[1], y))
            text.set_horizontalalignment("right")
            text.set_color("white")
        else:
            text.set_position((max(x_line, bar_end) + pad, y))


def collisions(ax, lines_x: list[float]) -> list[str]:
    """Labels of ``ax`` that overlap each other or are crossed by a vertical line at one of
    ``lines_x`` (what a reader cannot read): for the tests."""
    boxes = [(t.get_text(), _extent(ax, t)) for t in ax.texts]
    found = [f"{name} kruist de lijn bij {x:.1f}" for name, (x0, x1, _, _) in boxes for x in lines_x if x0 <= x <= x1]
    for i, (a, (ax0, ax1, ay0, ay1)) in enumerate(boxes):
        for b, (bx0, bx1, by0, by1) in boxes[i + 1:]:
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                found.append(f"{a} overlapt {b}")
    return found


def draw_response(strata: pd.DataFrame, path, synthetic: bool, size_labels: dict, sector_labels: dict) -> str:
    """Two panels of horizontal bars; returns the Dutch alt text."""
    import matplotlib.pyplot as plt

    with plt.rc_context(_rc()):
        fig, _, _ = response_figure(strata, synthetic, size_labels, sector_labels)
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
    return response_alt(strata, size_labels, sector_labels)


def response_figure(strata: pd.DataFrame, synthetic: bool, size_labels: dict, sector_labels: dict, clear: bool = True):
    """The figure, its two axes and the reference value (in percent); labels kept clear of
    the reference line unless ``clear`` is False (for the test that shows the difference)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    overall = strata["usable"].sum() / strata["reached"].sum()
    panels = [("Grootteklasse", rates(strata, "size_class"), size_labels),
              ("Sector", rates(strata, "sector"), sector_labels)]
    heights = [len(p[1]) for p in panels]
    fig, axes = plt.subplots(2, 1, figsize=(6.3, 0.24 * sum(heights) + 1.6), gridspec_kw={"height_ratios": heights})
    top = max(float(p[1]["rate"].max()) for p in panels) * 100
    for ax, (title, r, labels) in zip(axes, panels):
        y = list(range(len(r)))[::-1]
        ax.barh(y, r["rate"] * 100, color=BLUE, height=0.62)
        ax.set_xlim(0, top * 1.15)
        ax.axvline(overall * 100, color=MUTED, lw=0.8, ls="--")
        for yi, v in zip(y, r["rate"]):
            ax.text(v * 100 + top * 0.01, yi, fmt.pct(v), va="center", fontsize=SMALL, color=TEXT)
        ax.set_yticks(y, [labels.get(k, k) for k in r.index])
        ax.set_title(title, loc="left", fontsize=SMALL, color=MUTED, style="italic")
        ax.tick_params(axis="both", labelsize=SMALL, colors=TEXT)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.pp(v, 0)))
        ax.spines[["top", "right"]].set_visible(False)
    fig.text(0.01, 0.01, f"Stippellijn: alle bereikte bedrijven samen ({fmt.pct(overall)}).", ha="left",
             va="bottom", fontsize=SMALL, color=MUTED)
    if synthetic:
        fig.text(0.99, 0.01, SYNTHETIC_MARK, ha="right", va="bottom", fontsize=SMALL, color="#a4161a")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    if clear:
        for ax in axes:
            clear_of_lines(ax, overall * 100, top * 0.01)
    return fig, axes, overall * 100


def response_alt(strata: pd.DataFrame, size_labels: dict, sector_labels: dict) -> str:
    overall = strata["usable"].sum() / strata["reached"].sum()
    panels = [("Grootteklasse", rates(strata, "size_class"), size_labels),
              ("Sector", rates(strata, "sector"), sector_labels)]
    parts = []
    for title, r, labels in panels:
        ordered = r.sort_values("rate", ascending=False)
        parts.append(f"{title.lower()}: " + "; ".join(f"{labels.get(k, k)} {fmt.pct(v)}" for k, v in ordered["rate"].items()))
    return (f"Bruikbare respons per grootteklasse en per sector, van hoog naar laag; over alle bereikte bedrijven "
            f"{fmt.pct(overall)}. " + ". ".join(p[0].upper() + p[1:] for p in parts) + ".")
