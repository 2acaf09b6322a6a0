# Thin Snakemake wrapper: the logic lives in aibarometer.report.
from aibarometer import report
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, report.run, "report")  # noqa: F821 (provided by Snakemake)
