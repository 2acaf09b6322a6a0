# Stage 3: design-based estimates (stratified SRSWOR, weights N_h/n_h, finite
# population correction, domains as R's survey package) with SE, 95% CI,
# reliability flags and a test against the rest of the population.


rule estimate:
    input:
        responses=rules.clean.output.responses,
        codebook=wave_codebook,
        spec=config["spec"],
        code=code(
            "estimate",
            "precision",
            "contracts",
            "survey",
            "strata",
            "indicators",
            "spec",
            "domains",
        ),
    output:
        **CATALOG.outputs("estimate"),
    log:
        CATALOG.log("estimate"),
    resources:
        mem_mb=mem_mb_rows(1.0),
        runtime=10,
    params:
        strata=config["strata"],
        estimation=config["estimation"],
    run:
        from aibarometer import estimate

        run_rule(estimate.run, input, output, params, log)
