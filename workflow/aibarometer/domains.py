"""The contracts between stages: domain names and the columns of the estimates file.

A domain is a subset of the population an estimate is about ("all", a sector, a size
class, adopters, ...). The estimate stage writes its name into ``estimates.parquet``
(``domain``, with ``domain_type`` and ``domain_value``); tables, figures, the report and
the reference check build and read names only through :class:`Domain`, so a name is
spelled in one place. :func:`check_estimates` is what a reader calls on the file.
"""

from __future__ import annotations

from dataclasses import dataclass

# domain types, and the prefix of their names where it differs from the type
TYPES = ("all", "sector", "size", "eurostat", "adopter", "adopter_size", "adopter_sector")
PREFIX = {"eurostat": "employees"}  # Eurostat's population: enterprises with 10+ employees

# results/<wave>/estimates/estimates.parquet (and .csv): one row per indicator x category x domain
ESTIMATES_COLUMNS = ["indicator", "category", "category_label", "block", "kind", "domain", "domain_type",
                     "domain_value", "estimate", "se", "ci_low", "ci_high", "n", "pop_size", "df", "ci_method",
                     "flag", "diff_rest", "se_diff", "p_rest", "significant", "deff", "q_value"]


@dataclass(frozen=True)
class Domain:
    type: str
    value: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown domain type {self.type!r} (known: {TYPES})")

    @property
    def name(self) -> str:
        return "all" if self.type == "all" else f"{PREFIX.get(self.type, self.type)}:{self.value}"

    @classmethod
    def parse(cls, name: str) -> "Domain":
        if name == "all":
            return cls("all")
        prefix, sep, value = name.partition(":")
        types = {PREFIX.get(t, t): t for t in TYPES}
        if not sep or prefix not in types:
            raise ValueError(f"not a domain name: {name!r}")
        return cls(types[prefix], value)

    def __str__(self) -> str:
        return self.name


ALL = Domain("all")


def sector(code: str) -> Domain:
    return Domain("sector", code)


def size(code: str) -> Domain:
    return Domain("size", code)


def check_estimates(df, path: str = "estimates.parquet"):
    """The estimates file as the estimate stage writes it: every column there, every domain
    name one that :class:`Domain` reads back. Returns the frame."""
    missing = [c for c in ESTIMATES_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: columns {missing} missing; rerun the estimate stage")
    for name in df["domain"].unique():
        Domain.parse(name)
    return df
