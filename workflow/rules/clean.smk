# Stage 2: exclusion rules v and a-d, strata and weights, the response flow, Tables 1-2.


rule clean:
    input:
        responses=rules.ingest.output.responses,
        frame=rules.ingest.output.frame,
        population=rules.ingest.output.population,
        codebook=wave_codebook,
        code=code("clean", "contracts", "domains", "strata"),
    output:
        responses="results/{wave}/clean/responses.parquet",
        exclusions="results/{wave}/clean/exclusions.csv",
        flow=report(
            "results/{wave}/clean/flow.csv",
            caption="../report/flow.rst",
            category="{wave}",
            subcategory="Controle",
            labels={"bestand": "responsstroom"},
        ),
        table1="results/{wave}/clean/table1.csv",
        table2="results/{wave}/clean/table2.csv",
        collapsed="results/{wave}/clean/collapsed_strata.csv",
        routing="results/{wave}/clean/routing_blanked.csv",
    log:
        "results/{wave}/logs/clean.log",
    resources:
        mem_mb=mem_mb(80),
        runtime=10,
    params:
        strata=config["strata"],
        cleaning=config["cleaning"],
        population_file=wave_input("population"),
        export_file=wave_input("export"),
        fieldwork=lambda w: WAVES[w.wave]["fieldwork"],
    run:
        from aibarometer import clean

        run_rule(clean.run, input, output, params, log)
