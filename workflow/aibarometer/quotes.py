"""The numbers the report quotes (aibarometer.prose): :class:`Stat` (one estimate with its
formatted value, flag marker, CI, n and the design-based comparison with the rest) and
:class:`Numbers` (estimates by indicator, ranked lists, values by group, bases), all
formatted through :mod:`aibarometer.fmt`. A flagged estimate carries a marker ("*"); a
suppressed one is shown as "–", and :class:`Stat` refuses to let a template quote it as a
number.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import fmt
from .spec import Estimates, item_label, resolve_items

FLAG_MARK = "*"


@dataclass
class Stat:
    """One estimate, ready for the text."""

    row: pd.Series
    kind: str
    label: str = ""
    noun: object = None  # the codebook's noun phrase for running text (aibarometer.dutch.NP)
    indicator: str = ""

    @property
    def value(self) -> float:
        return float(self.row["estimate"])

    @property
    def suppressed(self) -> bool:
        return self.row["flag"] == "suppressed"

    @property
    def flagged(self) -> bool:
        return bool(self.row["flag"]) and not self.suppressed

    @property
    def mark(self) -> str:
        return FLAG_MARK if self.flagged else ""

    def _fmt(self, v: float, decimals: int = 1) -> str:
        return fmt.pct(v, decimals) if self.kind == "proportion" else fmt.pp(v, decimals)

    @property
    def pct(self) -> str:
        """'23,2%' (with '*' when flagged; '–' when suppressed)."""
        if self.suppressed:
            return fmt.DASH
        return self._fmt(self.value) + self.mark

    @property
    def ci(self) -> str:
        if self.suppressed:
            return fmt.DASH
        return f"[{self._fmt(self.row['ci_low'])}; {self._fmt(self.row['ci_high'])}]"

    @property
    def n(self) -> str:
        return fmt.num(int(self.row["n"]))

    @property
    def significant(self) -> bool:
        if self.suppressed or pd.isna(self.row["significant"]):
            return False
        return bool(self.row["significant"])

    @property
    def higher(self) -> bool:
        """Significantly above the rest -- and reliable enough to say so without a caveat."""
        return self.significant and not self.flagged and self.row["diff_rest"] > 0

    @property
    def lower(self) -> bool:
        return self.significant and not self.flagged and self.row["diff_rest"] < 0

    def apart_from(self, other: "Stat") -> bool:
        """Clearly above ``other``: the two 95% intervals do not overlap (a conservative test of
        a difference, which needs no covariance between the two estimates)."""
        return float(self.row["ci_low"]) > float(other.row["ci_high"])

    @property
    def named(self) -> str:
        """'tekstanalyse (9,6%)' for running text."""
        return f"{self.noun if self.noun is not None else fmt.lower_first(self.label)} ({self.pct})"


class Numbers:
    """What the templates call: E(indicator, category, domain), ranked lists, bases."""

    def __init__(self, est: Estimates, bases: dict[str, int], codebook, strata):
        self.est = est
        self.bases = bases
        self.codebook = codebook
        self.strata = strata

    def E(self, indicator: str, category=1, domain: str = "all") -> Stat:
        row = self.est.get(indicator, category, domain)
        item = self.codebook.by_var.get(indicator)
        from .dutch import np_of

        return Stat(row, row["kind"], item_label(indicator, self.codebook), np_of(item) if item else None, indicator)

    def ranked(self, items, category=1, domain: str = "all", exclude=()) -> list[Stat]:
        """Items (a block name or a list of vars) sorted by estimate, largest first; suppressed left out."""
        if isinstance(items, str):
            items = resolve_items({"items": {"block": items, "exclude": list(exclude)}}, self.codebook)
        stats = [self.E(v, category, domain) for v in items]
        return sorted([s for s in stats if not s.suppressed], key=lambda s: -s.value)

    def by(self, kind: str, indicator: str, category=1, prefix: str = "") -> list[tuple[str, str, Stat]]:
        """(code, label, Stat) per sector or size class, in the order of the config."""
        if kind == "sector":
            return [(s, self.strata.sector_label(s), self.E(indicator, category, f"{prefix}sector:{s}"))
                    for s in self.strata.sector_codes]
        return [(c, self.strata.size_label(c), self.E(indicator, category, f"{prefix}size:{c}"))
                for c in self.strata.size_codes]

    def summed(self, items, categories, domain: str = "all") -> list[dict]:
        """Items by the sum of several answer categories (e.g. participated + known), largest first."""
        out = []
        for v in items:
            stats = [self.E(v, c, domain) for c in categories]
            if not any(s.suppressed for s in stats):
                out.append({"label": stats[0].label, "value": sum(s.value for s in stats), "var": v,
                            "pct": fmt.pct(sum(s.value for s in stats))})
        return sorted(out, key=lambda d: -d["value"])

    def N(self, block: str) -> str:
        return fmt.n_caption(self.bases[block])

