"""Every result file of a wave, declared once.

The rules take their outputs (and the results they read) from here, and so do the live
preview, the tests and the clean-up after a failed run: a path is written down in one
place. What depends on what is not listed here: it is the workflow's own graph (the rules'
inputs), which Snakemake knows when a run fails (see :func:`aibarometer.stage.retire_unfinished`).

    from aibarometer.catalog import Catalog
    cat = Catalog(table_numbers=[1, 2, 3], figure_numbers=[1, 2])
    cat.out("clean", "flow")                 # 'results/{wave}/clean/flow.csv' (a rule's pattern)
    cat.out("clean", "flow", "2021-demo")    # 'results/2021-demo/clean/flow.csv'
    cat.files("2021-demo")                   # every result file of the wave, with its stage

Entries with ``{n}`` are one file per table or figure number of config/spec.yaml.
"""

from __future__ import annotations

from pathlib import Path

RESULTS = "results"
STATUS = "STATUS.md"

# stage (the rule that writes them) -> output name -> path under results/<wave>/
OUTPUTS: dict[str, dict[str, str]] = {
    "check_wave": {"report": "check/report.md", "summary": "check/check.json"},
    "ingest": {
        "responses": "ingest/responses.parquet",
        "frame": "ingest/frame.parquet",
        "population": "ingest/population.parquet",
        "report": "ingest/ingest_report.json",
    },
    "clean": {
        "responses": "clean/responses.parquet",
        "exclusions": "clean/exclusions.csv",
        "flow": "clean/flow.csv",
        "table1": "clean/table1.csv",
        "table2": "clean/table2.csv",
        "collapsed": "clean/collapsed_strata.csv",
        "routing": "clean/routing_blanked.csv",
    },
    "estimate": {
        "parquet": "estimates/estimates.parquet",
        "csv": "estimates/estimates.csv",
        "bases": "estimates/bases.csv",
        "design": "estimates/design.csv",
    },
    "quality": {
        "estimates": "quality/estimates_quality.csv",
        "strata": "quality/strata.csv",
        "item_response": "quality/items.csv",
        "representativity": "quality/representativity.json",
        "svg": "quality/response.svg",
        "alt": "quality/response.json",
    },
    "trend": {"csv": "trend/trend.csv", "parquet": "trend/trend.parquet", "svg": "trend/trend.svg"},
    "tables": {"csv": "tables/table{n}.csv", "parquet": "tables/table{n}.parquet", "xlsx": "tables/tables.xlsx"},
    "reference_check": {"csv": "validation/reference_check.csv", "summary": "validation/reference_check.json"},
    "figures": {"alt": "figures/figures.json", "svg": "figures/figure{n:02d}.svg"},
    "figures_png": {"png": "figures/figure{n:02d}.png"},
    "report": {"pdf": "report/ai-barometer-{wave}.pdf", "html": "report/ai-barometer-{wave}.html",
               "layout": "report/layout.json", "findings": "report/findings.json"},
    "manifest": {"manifest": "manifest.json"},
}

# Stages run on demand only (not part of `snakemake`'s default target).
ON_DEMAND = ("check_wave", "figures_png")

# The results the report reads: input name of the report rule -> (stage, output name).
REPORT_INPUTS: dict[str, tuple[str, str]] = {
    "estimates": ("estimate", "parquet"),
    "bases": ("estimate", "bases"),
    "design": ("estimate", "design"),
    "flow": ("clean", "flow"),
    "exclusions": ("clean", "exclusions"),
    "collapsed": ("clean", "collapsed"),
    "tables": ("tables", "parquet"),
    "figures": ("figures", "alt"),
    "svg": ("figures", "svg"),
    "trend": ("trend", "parquet"),
    "trend_svg": ("trend", "svg"),
    "quality_estimates": ("quality", "estimates"),
    "quality_items": ("quality", "item_response"),
    "representativity": ("quality", "representativity"),
    "response_svg": ("quality", "svg"),
    "response_alt": ("quality", "alt"),
}
# The folders of results/<wave>/ whose files the report's HTML refers to (../figures/...).
REPORT_ASSET_DIRS = ("figures", "trend", "quality")


class Catalog:
    """The result paths of the workflow, for the table and figure numbers of the spec."""

    def __init__(self, table_numbers, figure_numbers):
        self.numbers = {"tables": list(table_numbers), "figures": list(figure_numbers),
                        "figures_png": list(figure_numbers)}

    @classmethod
    def from_spec(cls, spec: dict) -> Catalog:
        return cls([t["number"] for t in spec["tables"]], [f["number"] for f in spec["figures"]])

    def out(self, stage: str, name: str, wave: str = "{wave}"):
        """The path of one output (a list for a per-table or per-figure output); with the
        default ``wave`` the pattern a rule declares."""
        rel = OUTPUTS[stage][name]
        if "{n" in rel:
            return [_join(wave, rel.format(n=n, wave=wave)) for n in self.numbers[stage]]
        return _join(wave, rel.format(wave=wave))

    def outputs(self, stage: str, wave: str = "{wave}") -> dict:
        """Every output of a stage: name -> path (or list of paths)."""
        return {name: self.out(stage, name, wave) for name in OUTPUTS[stage]}

    def log(self, stage: str, wave: str = "{wave}") -> str:
        return _join(wave, f"logs/{stage}.log")

    def files(self, wave: str, on_demand: bool = False) -> dict[str, str]:
        """Every result file of a wave -> the stage that writes it."""
        found = {}
        for stage in OUTPUTS:
            if stage in ON_DEMAND and not on_demand:
                continue
            for path in self.outputs(stage, wave).values():
                for p in path if isinstance(path, list) else [path]:
                    found[p] = stage
        return found

    def report_inputs(self, wave: str = "{wave}", compared: list[str] | None = None) -> dict:
        """The results the report rule reads (name -> path or list); with ``compared`` (the
        earlier waves and this one, oldest first) also the R-indicator of each."""
        inputs = {name: self.out(stage, key, wave) for name, (stage, key) in REPORT_INPUTS.items()}
        if compared is not None:
            inputs["representativity_waves"] = [self.out("quality", "representativity", w) for w in compared]
        return inputs


def _join(wave: str, rel: str) -> str:
    return f"{RESULTS}/{wave}/{rel}"


def wave_of(path: str | Path) -> str | None:
    """The wave of a path under results/ (None for any other path)."""
    parts = Path(path).parts
    if len(parts) > 2 and parts[0] == RESULTS:
        return parts[1]
    return None
