# Thin Snakemake wrapper: the logic lives in aibarometer.tables.
from aibarometer import tables
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, tables.run, "tables")  # noqa: F821 (provided by Snakemake)
