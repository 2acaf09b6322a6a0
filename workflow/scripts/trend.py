# Thin Snakemake wrapper: the logic lives in aibarometer.trend.
from aibarometer import trend
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, trend.run, "trend")  # noqa: F821 (provided by Snakemake)
