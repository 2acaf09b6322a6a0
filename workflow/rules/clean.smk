# Stage 2: exclusion rules v and a-d, strata and weights, the response flow, Tables 1-2.


rule clean:
    input:
        responses=rules.ingest.output.responses,
        frame=rules.ingest.output.frame,
        population=rules.ingest.output.population,
        codebook=wave_codebook,
        code=code("clean", "contracts", "domains", "strata"),
    output:
        responses=out("clean", "responses"),
        exclusions=out("clean", "exclusions"),
        flow=report(
            out("clean", "flow"),
            caption="../report/flow.rst",
            category="{wave}",
            subcategory="Controle",
            labels={"bestand": "responsstroom"},
        ),
        table1=out("clean", "table1"),
        table2=out("clean", "table2"),
        collapsed=out("clean", "collapsed"),
        routing=out("clean", "routing"),
    log:
        CATALOG.log("clean"),
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
