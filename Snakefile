# The workflow lives in workflow/Snakefile (the layout of the Snakemake workflow catalog);
# this file lets `snakemake` run from the repository's root.
include: "workflow/Snakefile"
