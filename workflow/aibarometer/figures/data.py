"""What a figure shows: cells (estimate, CI, flag) looked up in the estimates, colours, labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import fmt
from ..domains import Domain
from ..spec import Estimates
from .style import DOMAIN_LABELS, MID_GREY, SCHEMES, SERIES


# --- data ----------------------------------------------------------------------------------

@dataclass
class Cell:
    """One estimate as a share (means are divided by 100 so that fmt.pct applies)."""

    value: float
    low: float
    high: float
    flag: str
    n: int

    @property
    def suppressed(self) -> bool:
        return self.flag == "suppressed" or self.value is None or math.isnan(self.value)

    @property
    def flagged(self) -> bool:
        return not self.suppressed and self.flag not in ("", None)

    @property
    def text(self) -> str:
        if self.suppressed:
            return fmt.DASH
        return fmt.pct(self.value) + ("*" if self.flagged else "")

    @property
    def say(self) -> str:
        """For alt texts: no bare asterisk (a screen reader would read it out)."""
        if self.suppressed:
            return "niet getoond"
        return fmt.pct(self.value) + (", beperkt betrouwbaar" if self.flagged else "")

    @property
    def sort_key(self) -> float:
        return -1.0 if self.suppressed else self.value


def _cell(est: Estimates, indicator: str, category, domain: str) -> Cell:
    row = est.get(indicator, category, domain)
    scale = 100.0 if row["kind"] == "mean" else 1.0
    flag = row["flag"] if isinstance(row["flag"], str) else ""

    def f(x):
        return float(x) / scale if x is not None and not (isinstance(x, float) and math.isnan(x)) else float("nan")

    return Cell(f(row["estimate"]), f(row["ci_low"]), f(row["ci_high"]), flag, int(row["n"]))


def _category_label(est: Estimates, indicator: str, category, domain: str) -> str:
    return str(est.get(indicator, category, domain)["category_label"])


def _scheme(indicator: str, codebook) -> dict[str, str]:
    item = codebook.by_var.get(indicator)
    if item is not None and item.codes:
        for name, codes in codebook.code_lists.items():
            if codes == item.codes and name in SCHEMES:
                return SCHEMES[name]
    return SCHEMES.get(indicator, {})


def _colours(indicator: str, categories: list, codebook) -> list[str]:
    scheme = _scheme(indicator, codebook)
    out, spare = [], iter(SERIES)
    for c in categories:
        c = str(c)
        out.append(scheme.get(c) or (MID_GREY if c == "9" else next(spare)))
    return out


def _domain_label(domain: str) -> str:
    if domain in DOMAIN_LABELS:
        return DOMAIN_LABELS[domain]
    d = Domain.parse(domain)
    return {"sector": f"Sector {d.value}", "adopter_size": f"AI-gebruikers, {d.value}",
            "adopter_sector": f"AI-gebruikers, sector {d.value}"}.get(d.type, domain)


_lower = fmt.lower_first


def _scope(items: list[str], codebook) -> str:
    routings = {codebook.by_var[v].routing for v in items if v in codebook.by_var}
    return {"adopters": " bij AI-gebruikers", "non_adopters": " bij niet-gebruikers"} \
        .get(routings.pop() if len(routings) == 1 else "", "")


_join = fmt.join_nl


