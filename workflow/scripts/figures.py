# Thin Snakemake wrapper: the logic lives in aibarometer.figures.
from aibarometer import figures
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, figures.run, "figures")  # noqa: F821 (provided by Snakemake)
