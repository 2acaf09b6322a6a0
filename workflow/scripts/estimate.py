# Thin Snakemake wrapper: the logic lives in aibarometer.estimate.
from aibarometer import estimate
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, estimate.run, "estimate")  # noqa: F821 (provided by Snakemake)
