# Pre-flight (not part of `all`): `snakemake --cores 1 check` reads and cleans every
# configured wave's inputs without estimating anything, writes results/<wave>/check/report.md
# and exits non-zero when any wave has faults.


rule check_wave:
    input:
        export=wave_input("export"),
        frame=wave_input("frame"),
        population=wave_input("population"),
        codebook=wave_codebook,
        code=code(
            "check",
            "ingest",
            "export",
            "sample",
            "readings",
            "pseudonyms",
            "clean",
            "parse",
            "tabular",
            "enterprise",
            "strata",
        ),
    output:
        **CATALOG.outputs("check_wave"),
    log:
        CATALOG.log("check"),
    params:
        wave="{wave}",
        strata=config["strata"],
        cleaning=config["cleaning"],
        fieldwork=lambda w: WAVES[w.wave]["fieldwork"],
        synthetic=lambda w: WAVES[w.wave]["synthetic"],
        key_env=config["cleaning"]["pseudonym_key_env"],
        lonely_psu=config["estimation"]["lonely_psu"],
    run:
        from aibarometer import check

        run_rule(check.run, input, output, params, log)


rule check:
    input:
        [out("check_wave", "summary", w) for w in WAVES],
    log:
        "results/logs/check.log",
    run:
        from aibarometer.check import verdict

        verdict(list(input), log[0])
