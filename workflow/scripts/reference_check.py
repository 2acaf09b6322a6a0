# Thin Snakemake wrapper: the logic lives in aibarometer.reference.
from aibarometer import reference
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, reference.run, "reference_check")  # noqa: F821 (provided by Snakemake)
