"""Sector groups from NACE-BEL codes, size classes from employee counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

NACE_PATTERN = re.compile(r"^\d{2}(\.\d{1,3})?$")


def normalise_nace(value: object) -> str | None:
    """'6201', ' 62.01 ', '62.010' -> '62.01'; empty -> None; ValueError if malformed."""
    if value is None:
        return None
    text = str(value).strip()
    if text == "" or text.lower() == "nan":
        return None
    if re.fullmatch(r"\d{4,5}", text):
        text = text[:2] + "." + text[2:]
    if not NACE_PATTERN.match(text):
        raise ValueError(f"geen NACE-code: {value!r}")
    return text[:5]


@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    ranges: tuple[tuple[float, float], ...]  # inclusive division ranges
    prefixes: tuple[str, ...]  # class prefixes such as "95.1"
    short: str = ""  # a short name for narrow table rows (default: the label)
    noun: str = ""  # for running text, with its article: "de industrie" (default: "de sector <short>")

    def contains(self, nace: str) -> bool:
        division = int(nace[:2])
        if any(lo <= division <= hi for lo, hi in self.ranges):
            return True
        return any(nace.startswith(p) for p in self.prefixes)


@dataclass(frozen=True)
class SizeClass:
    code: str
    label: str
    min: int
    max: int | None
    noun: str = ""  # for running text: "kleine bedrijven"


class Strata:
    """The stratification of a wave: sectors x size classes, from config['strata']."""

    def __init__(self, spec: dict):
        self.sectors = []
        for s in spec["sectors"]:
            ranges, prefixes = [], []
            for part in s["nace"]:
                if re.fullmatch(r"\d{2}-\d{2}", part):
                    lo, hi = part.split("-")
                    ranges.append((int(lo), int(hi)))
                elif re.fullmatch(r"\d{2}", part):
                    ranges.append((int(part), int(part)))
                else:
                    prefixes.append(part)
            self.sectors.append(Sector(s["code"], s["label"], tuple(ranges), tuple(prefixes),
                                       s.get("short", s["label"]), s.get("noun", "")))
        self.size_classes = [
            SizeClass(c["code"], c["label"], int(c["min"]), c.get("max"), c.get("noun", c["label"]))
            for c in spec["size_classes"]
        ]
        self.sector_codes = [s.code for s in self.sectors]
        self.size_codes = [c.code for c in self.size_classes]

    def sector_of(self, nace: str | None) -> str | None:
        if nace is None:
            return None
        for s in self.sectors:
            if s.contains(nace):
                return s.code
        return None

    def sector_series(self, nace: pd.Series) -> pd.Series:
        uniq = {v: self.sector_of(v) for v in nace.dropna().unique()}
        return nace.map(uniq).astype("object")

    def size_series(self, employees: pd.Series) -> pd.Series:
        bins = [c.min for c in self.size_classes] + [np.inf]
        labels = self.size_codes
        cut = pd.cut(employees, bins=bins, right=False, labels=labels)
        return cut.astype("object").where(cut.notna(), None)

    @staticmethod
    def stratum_id(sector: str, size: str) -> str:
        return f"{sector} | {size}"

    def all_strata(self) -> list[tuple[str, str]]:
        return [(s, c) for c in self.size_codes for s in self.sector_codes]

    def sector_label(self, code: str) -> str:
        return next(s.label for s in self.sectors if s.code == code)

    def sector_noun(self, code: str) -> str:
        """The sector in running text: 'de industrie', 'de vrije beroepen en het vastgoed'."""
        s = next(s for s in self.sectors if s.code == code)
        if s.noun:
            return s.noun
        short = s.short[:1].lower() + s.short[1:] if s.short[1:2].islower() else s.short  # acronyms stay
        return f"de sector {short}"

    def sector_short(self, code: str) -> str:
        return next(s.short for s in self.sectors if s.code == code)

    def size_noun(self, code: str) -> str:
        return next(c.noun for c in self.size_classes if c.code == code)

    def size_label(self, code: str) -> str:
        return next(c.label for c in self.size_classes if c.code == code)
