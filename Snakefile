# The AI-Barometer workflow: raw survey export -> Dutch PDF report, per wave.
#
#   snakemake --cores all                 # every wave in config/config.yaml
#   snakemake --cores all --config waves='["2021-demo"]'
#
# Stages, in pipeline order (one rule file each, logic in workflow/aibarometer/):
#   check     pre-flight, on demand: `snakemake --cores 1 check` (reads and cleans, no estimates)
#   ingest    validate the raw export, frame and population; drop personal data
#   clean     exclusion rules a-d, strata, weights, response flow, Tables 1-2
#   estimate  design-based estimates with SE, 95% CI, flags and significance
#   quality   the quality report: CV and design effects, response per stratum, item
#             non-response, representativity (R-indicator)
#   tables    Tables 1-6 (CSV, Parquet, XLSX) and the check against published figures
#   trend     changes against earlier waves, with 95% CI and significance
#   figures   Figures 1-12 (SVG) with Dutch alt texts, in one job (PNG on demand: target `png`)
#   report    the Dutch PDF report (tagged PDF/UA-1, reproducible)
#   manifest  inputs with SHA-256, config, versions and git commit of the run

from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/check.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/estimate.smk"
include: "workflow/rules/quality.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/trend.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/manifest.smk"


onstart:
    # the run manifest records when the run started
    from aibarometer.manifest import note_run_start

    note_run_start()


# Quick bookkeeping rules stay on the submitting host under a cluster executor
# (the manifest also records that host's git state).
localrules:
    all,
    check,
    check_wave,
    reference_check,
    manifest,
    png,


rule all:
    input:
        all_targets(),
    default_target: True
