# Shared set-up: config validation (before any rule runs), wave configs, helpers.
import re
from pathlib import Path

from snakemake.exceptions import WorkflowError

from aibarometer.catalog import Catalog
from aibarometer.config import config_file, load_wave, set_config_file, validate
from aibarometer.errors import InputError
from aibarometer.spec import load_spec
from aibarometer.stage import mem_mb, mem_mb_rows, run_rule

# Messages name the configuration file of this run (--configfile), not always config/config.yaml.
set_config_file(
    str(workflow.configfiles[-1]) if workflow.configfiles else "config/config.yaml"
)

# Validate the configuration and every wave file before any rule runs (each
# questionnaire is validated by the ingest rule that reads it).
try:
    validate(
        config,
        "config.schema.yaml",
        config_file() + " (with any --config overrides)",
        cache=True,
    )
    WAVES = {w: load_wave(w, cache=True) for w in config["waves"]}
except InputError as err:
    raise WorkflowError(f"configuratie ongeldig: {err}") from None
SPEC = load_spec(config["spec"])
TABLE_NUMBERS = [t["number"] for t in SPEC["tables"]]
FIGURE_NUMBERS = [f["number"] for f in SPEC["figures"]]
# every result path of a wave (aibarometer/catalog.py): rules take their outputs from it
CATALOG = Catalog(TABLE_NUMBERS, FIGURE_NUMBERS)
out = CATALOG.out


def wave_input(key):
    """Input path of a wave, from config/waves/<wave>.yaml (inputs.<key>)."""
    return lambda wildcards: WAVES[wildcards.wave]["inputs"][key]


def wave_codebook(wildcards):
    """The questionnaire of a wave: config/waves/<wave>.yaml `codebook`, else config `codebook`."""
    return WAVES[wildcards.wave].get("codebook", config["codebook"])


def earlier_waves(wave):
    """Waves in the config measured before this one (by year), oldest first."""
    year = WAVES[wave]["year"]
    return sorted(
        (w for w in WAVES if WAVES[w]["year"] < year), key=lambda w: WAVES[w]["year"]
    )


def code(*modules):
    """The package modules a job runs: editing one reruns the jobs that use it (a
    subpackage such as ``figures`` counts with all its modules)."""
    base = ["__init__", "errors", "stage", "config"]
    out = []
    for m in dict.fromkeys(base + list(modules)):
        package = Path("workflow/aibarometer") / m
        out += (
            sorted(str(p) for p in package.glob("*.py"))
            if package.is_dir()
            else [f"{package}.py"]
        )
    return out


def wave_outputs(w):
    """The results of a wave that users and later stages rely on."""
    targets = [
        out("clean", "responses", w),
        out("clean", "flow", w),
        out("estimate", "parquet", w),
        out("quality", "representativity", w),
        out("tables", "xlsx", w),
        out("report", "pdf", w),
    ]
    if WAVES[w].get("reference"):
        targets.append(out("reference_check", "csv", w))
    return targets


def all_targets():
    return [
        t for w in WAVES for t in wave_outputs(w) + [out("manifest", "manifest", w)]
    ]
