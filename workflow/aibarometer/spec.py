"""The declarative table and figure spec (config/spec.yaml) and estimate look-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import Codebook, load_yaml

if TYPE_CHECKING:  # pandas is imported where it is used: the Snakefile imports this module on every run
    import pandas as pd


def load_spec(path) -> dict:
    """config/spec.yaml, checked against workflow/schemas/spec.schema.yaml."""
    from .config import validate
    return validate(load_yaml(path), "spec.schema.yaml", path, cache=True)


def table_labels(spec: dict) -> dict:
    """What the publication calls each table: a table of ``tables:`` by its number, the
    report's own tables (``report_tables:``) by their id."""
    labels = {t["number"]: t.get("label", str(t["number"])) for t in spec["tables"]}
    defaults = {"eurostat": "Eurostat", "trend": "Evolutie", "trend_groups": "Evolutie per groep",
                "flow": "Responsstroom", "precision": "Precisie", "groups": "Verschillen"}
    labels.update({k: spec.get("report_tables", {}).get(k, v) for k, v in defaults.items()})
    return labels


def resolve_items(entry: dict, codebook: Codebook) -> list[str]:
    """The variables a table or figure shows, in questionnaire order."""
    items = entry.get("items", [])
    if isinstance(items, dict):  # {block, exclude, first}: a block's items, with others put first
        exclude = set(items.get("exclude", []))
        return list(items.get("first", [])) + [i.var for i in codebook.block_items(items["block"]) if i.var not in exclude]
    return list(items)


def item_label(var: str, codebook: Codebook) -> str:
    """The Dutch label of a codebook item or a derived indicator (config/spec.yaml, derived)."""
    if var in codebook.by_var:
        return codebook.by_var[var].label
    if var in codebook.derived:
        return codebook.derived[var].label
    return var


PLAIN_CODES = ("yes_no", "yes_no_dk", "ticked", "tech_use")  # the label alone says which answer is counted


def indicator_label(var: str, category, codebook: Codebook, category_label: str = "", prefix: bool = True) -> str:
    """The label of one answer of an item for a table row: the item's label, followed by the
    answer where the label alone does not say it ('Technische basiskennis AI: groot gebrek',
    'Evolutie AI-budget: gestegen (licht of sterk)')."""
    from .fmt import lower_first

    label = item_label(var, codebook)
    item = codebook.by_var.get(var)
    if item is None:
        return label
    base = " (AI-gebruikers)" if item.routing == "adopters" else ""
    if item.block == "barriers" and prefix:
        label = f"Drempel: {lower_first(label)}"
    if item.codes_name in PLAIN_CODES:
        return label + base
    answer = category_label
    if not answer and str(category).isdigit():
        answer = (item.codes or {}).get(int(category), "")
    return (f"{label}: {lower_first(answer)}" if answer else label) + base


def precision_items(spec: dict, codebook: Codebook) -> list[tuple[str, str, str]]:
    """(indicator, category, label) of the precision annex (spec ``precision:``), in order."""
    from .fmt import lower_first

    out = []
    for entry in spec.get("precision", []):
        names = [entry["indicator"]] if "indicator" in entry else resolve_items(entry, codebook)
        for var in names:
            label = item_label(var, codebook)
            text = entry.get("label", "{label}").format(label=label, lc=lower_first(label))
            out.append((var, str(entry.get("category", 1)), text))
    return out


class Estimates:
    """Fast look-up of one estimate row by (indicator, category, domain)."""

    def __init__(self, est: pd.DataFrame):
        from .domains import check_estimates

        est = check_estimates(est).copy()  # noqa: F821
        est["category"] = est["category"].astype(str)
        self.df = est
        self._idx = est.set_index(["indicator", "category", "domain"]).sort_index()

    def get(self, indicator: str, category, domain: str = "all") -> pd.Series:
        try:
            return self._idx.loc[(indicator, str(category), domain)]
        except KeyError:
            raise KeyError(f"no estimate for indicator={indicator!r} category={category!r} domain={domain!r}") from None

    def value(self, indicator: str, category, domain: str = "all") -> float:
        return float(self.get(indicator, category, domain)["estimate"])


def bases_by_block(bases: pd.DataFrame) -> dict[str, int]:
    return dict(zip(bases["block"], bases["n"].astype(int)))
