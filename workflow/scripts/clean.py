# Thin Snakemake wrapper: the logic lives in aibarometer.clean.
from aibarometer import clean
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, clean.run, "clean")  # noqa: F821 (provided by Snakemake)
