# Shared set-up: config validation (before any rule runs), wave configs, helpers.
import re

from snakemake.utils import validate

from aibarometer.config import load_codebook, load_wave

validate(config, "../schemas/config.schema.yaml")
WAVES = {w: load_wave(w) for w in config["waves"]}
CODEBOOK = load_codebook(config["codebook"])


wildcard_constraints:
    wave="|".join(re.escape(w) for w in WAVES),


def wave_input(key):
    """Input path of a wave, from config/waves/<wave>.yaml (inputs.<key>)."""
    return lambda wildcards: WAVES[wildcards.wave]["inputs"][key]


def code(*modules):
    """The package modules a rule runs: editing one reruns the rules that use it."""
    base = ["__init__", "errors", "stage", "config"]
    return [f"workflow/aibarometer/{m}.py" for m in dict.fromkeys(base + list(modules))]


def all_targets():
    targets = []
    for w in WAVES:
        targets += [
            f"results/{w}/clean/responses.parquet",
            f"results/{w}/clean/flow.csv",
            f"results/{w}/estimates/estimates.parquet",
        ]
    return targets
