# Stage 4: the tables of config/spec.yaml as CSV, Parquet and one XLSX workbook (with the
# report's own tables and the data behind every figure),
# and, for a wave with published reference figures, the reference check.


rule tables:
    input:
        estimates=rules.estimate.output.parquet,
        bases=rules.estimate.output.bases,
        flow=rules.clean.output.flow,
        trend=out("trend", "parquet"),  # rule trend (its file is included after this one)
        table1=rules.clean.output.table1,
        table2=rules.clean.output.table2,
        eurostat="resources/eurostat/isoc_eb_ai.csv",
        quality_strata=rules.quality.output.strata,
        quality_items=rules.quality.output.item_response,
        representativity=rules.quality.output.representativity,
        spec=config["spec"],
        codebook=wave_codebook,
        code=code(
            "tables",
            "contracts",
            "workbook",
            "eurostat",
            "quality",
            "spec",
            "strata",
            "indicators",
            "domains",
            "fmt",
        ),
    output:
        csv=[
            report(
                path,
                caption="../report/tables.rst",
                category="{wave}",
                subcategory="Tabellen",
                labels={"tabel": str(n)},
            )
            for n, path in zip(TABLE_NUMBERS, out("tables", "csv"))
        ],
        parquet=out("tables", "parquet"),
        xlsx=report(
            out("tables", "xlsx"),
            caption="../report/workbook.rst",
            category="{wave}",
            subcategory="Tabellen",
            labels={"tabel": "alle (werkboek)"},
        ),
    log:
        CATALOG.log("tables"),
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        strata=config["strata"],
        synthetic=lambda w: WAVES[w.wave]["synthetic"],
        estimation=config["estimation"],
        wave=lambda w: WAVES[w.wave],
        years=lambda w: {e: WAVES[e]["year"] for e in [w.wave] + earlier_waves(w.wave)},
    run:
        from aibarometer import tables

        run_rule(tables.run, input, output, params, log)


rule reference_check:
    input:
        estimates=rules.estimate.output.parquet,
        flow=rules.clean.output.flow,
        table1=rules.clean.output.table1,
        table2=rules.clean.output.table2,
        reference=lambda w: WAVES[w.wave]["reference"],
        code=code("reference", "domains"),
    output:
        csv=report(
            out("reference_check", "csv"),
            caption="../report/reference_check.rst",
            category="{wave}",
            subcategory="Controle",
            labels={"bestand": "gepubliceerde cijfers"},
        ),
        summary=out("reference_check", "summary"),
    log:
        CATALOG.log("reference_check"),
    run:
        from aibarometer import reference

        run_rule(reference.run, input, output, params, log)
