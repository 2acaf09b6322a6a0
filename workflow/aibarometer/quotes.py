"""The numbers the report quotes, as the templates see them: :class:`Stat` (one estimate with
its formatted value, flag marker, CI, n and the design-based comparison "opvallend hoger" /
"opvallend lager") and :class:`Numbers` (estimates by indicator, ranked groups, bases), all
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
NUMBER_WORDS = {2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen", 10: "tien",
                11: "elf", 12: "twaalf"}


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

    @property
    def cmp(self) -> str:
        """'significant hoger' / 'significant lager' / '' (only where the test holds)."""
        return "significant hoger" if self.higher else "significant lager" if self.lower else ""

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

    @staticmethod
    def leaders(ranked: list[Stat]) -> list[Stat]:
        """The items that cannot be told apart from the first: every item whose 95% interval
        overlaps the first one's. A ranking word ('de grootste', 'het meest') is only
        written when this group has one member."""
        if not ranked:
            return []
        top = ranked[0]
        return [s for s in ranked if s is top or not top.apart_from(s)]

    @staticmethod
    def tied(ranked: list[Stat], noun: str) -> str:
        """Where the most is reported, as a phrase with its preposition: 'vooral over X en Y'
        when up to three items lead (their intervals overlap the first one's), else that no
        item stands out, with the range of all of them -- never a 'vooral' that covers nearly
        everything."""
        group = Numbers.leaders(ranked)
        if len(group) <= 3:
            return "vooral over " + fmt.join_nl([s.named for s in group])
        low, high = group[-1], group[0]
        n, total = (NUMBER_WORDS.get(k, str(k)) for k in (len(group), len(ranked)))
        text = (f"over {n} van de {total} {noun}, zonder dat er één duidelijk uitspringt ({low.pct} tot {high.pct})"
                if len(group) < len(ranked) else
                f"over alle {total} {noun}, zonder dat er één duidelijk uitspringt ({low.pct} tot {high.pct})")
        below = ranked[len(group):]  # their intervals lie under the first one's
        if below:
            text += f"; duidelijk lager {'ligt' if len(below) == 1 else 'liggen'} " + fmt.join_nl([s.named for s in below])
        return text

    @staticmethod
    def lead(ranked: list[Stat], one: str, many: str) -> str:
        """'de grootste drempel is X (63,7%)' when the first item is clearly apart, else 'tot de
        grootste drempels behoren X (63,7%) en Y (58,3%)': rankings only where the intervals allow."""
        group = Numbers.leaders(ranked)
        if len(group) == 1:
            return f"{one} is {group[0].named}"
        return f"tot {many} behoren {fmt.join_nl([s.named for s in group])}"

    @staticmethod
    def lead_in(ranked: list[Stat], where: str, one: str, many: str) -> str:
        """'bij X is A (63,7%) de grootste drempel' when the first stands apart, else 'bij X behoren
        A (63,7%) en B (58,3%) tot de grootste drempels' (the ranking rule of section 2.4)."""
        group = Numbers.leaders(ranked)
        if len(group) == 1:
            return f"{where} is {group[0].named} {one}"
        return f"{where} behoren {fmt.join_nl([s.named for s in group])} tot {many}"

    def by(self, kind: str, indicator: str, category=1, prefix: str = "") -> list[tuple[str, str, Stat]]:
        """(code, label, Stat) per sector or size class, in the order of the config."""
        if kind == "sector":
            return [(s, self.strata.sector_label(s), self.E(indicator, category, f"{prefix}sector:{s}"))
                    for s in self.strata.sector_codes]
        return [(c, self.strata.size_label(c), self.E(indicator, category, f"{prefix}size:{c}"))
                for c in self.strata.size_codes]

    def gaps(self, items, category=1, domain_a: str = "adopter:no", domain_b: str = "adopter:yes") -> list[dict]:
        """Items (block or list) by the size of the difference between two domains, largest first."""
        if isinstance(items, str):
            items = resolve_items({"items": {"block": items}}, self.codebook)
        out = []
        for v in items:
            a, b = self.E(v, category, domain_a), self.E(v, category, domain_b)
            if not (a.suppressed or b.suppressed):
                out.append({"label": a.label, "a": a, "b": b, "diff": a.value - b.value})
        return sorted(out, key=lambda d: -abs(d["diff"]))

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

