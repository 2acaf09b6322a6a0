# Stage 1: read and validate the raw export, the sample frame and the population
# counts; drop personal data and pseudonymise ids. Nothing personal passes this rule.


rule ingest:
    input:
        export=wave_input("export"),
        frame=wave_input("frame"),
        population=wave_input("population"),
        codebook=wave_codebook,
        code=code(
            "ingest",
            "contracts",
            "domains",
            "export",
            "sample",
            "readings",
            "pseudonyms",
            "parse",
            "tabular",
            "enterprise",
            "strata",
        ),
    output:
        **CATALOG.outputs("ingest"),
    log:
        CATALOG.log("ingest"),
    resources:
        mem_mb=mem_mb(8),
        runtime=10,
    params:
        strata=config["strata"],
        synthetic=lambda w: WAVES[w.wave]["synthetic"],
        key_env=config["cleaning"]["pseudonym_key_env"],
        real_status_codes=config["cleaning"].get("real_status_codes", [0, 4, 16]),
    run:
        from aibarometer import ingest

        run_rule(ingest.run, input, output, params, log)
