# Thin Snakemake wrapper: the logic lives in aibarometer.ingest.
from aibarometer import ingest
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, ingest.run, "ingest")  # noqa: F821 (provided by Snakemake)
