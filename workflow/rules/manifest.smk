# Last stage: the run manifest (inputs with SHA-256, config, versions, git commit, times).


rule manifest:
    input:
        export=wave_input("export"),
        frame=wave_input("frame"),
        population=wave_input("population"),
        codebook=wave_codebook,
        spec=config["spec"],
        outputs=lambda w: wave_outputs(w.wave),
        ingest_report=rules.ingest.output.report,
        code=code("manifest"),
    output:
        **CATALOG.outputs("manifest"),
    log:
        CATALOG.log("manifest"),
    params:
        wave=lambda w: WAVES[w.wave],
        config=lambda w: {
            k: config[k]
            for k in ("codebook", "spec", "strata", "cleaning", "estimation")
        },
    run:
        from aibarometer import manifest

        run_rule(manifest.run, input, output, params, log)
