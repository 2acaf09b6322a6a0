# Stage 3b: the quality report of a wave (ESS Standard for Quality Reports): CV, design
# effect and effective sample size per estimate, unit response per frame stratum, item
# non-response per question, and the R-indicator of the response with its partial
# indicators for sector and size class (formulae in workflow/aibarometer/quality.py).


rule quality:
    input:
        estimates=rules.estimate.output.parquet,
        usable=rules.clean.output.responses,
        exclusions=rules.clean.output.exclusions,
        frame=rules.ingest.output.frame,
        population=rules.ingest.output.population,
        responses=rules.ingest.output.responses,
        codebook=wave_codebook,
        code=code("quality", "figures", "strata", "fmt"),
    output:
        **CATALOG.outputs("quality"),
    log:
        CATALOG.log("quality"),
    resources:
        mem_mb=mem_mb(40),
        runtime=10,
    params:
        strata=config["strata"],
        synthetic=lambda w: WAVES[w.wave]["synthetic"],
    run:
        from aibarometer import quality

        run_rule(quality.run, input, output, params, log)
