# Thin Snakemake wrapper: the logic lives in aibarometer.manifest.
from aibarometer import manifest
from aibarometer.stage import run_snakemake

run_snakemake(snakemake, manifest.run, "manifest")  # noqa: F821 (provided by Snakemake)
