# Stage 6: the Dutch PDF report (jinja2 + WeasyPrint), tagged PDF/UA-1,
# byte-reproducible; the HTML beside it for inspection.


from aibarometer.authors import files as author_files


rule report:
    input:
        # the results it reads, named as in aibarometer/catalog.py (REPORT_INPUTS)
        **CATALOG.report_inputs(),
        eurostat="resources/eurostat/isoc_eb_ai.csv",
        # the R-indicator of every wave compared, earlier ones first
        representativity_waves=lambda w: [
            out("quality", "representativity", e)
            for e in earlier_waves(w.wave) + [w.wave]
        ],
        spec=config["spec"],
        codebook=wave_codebook,
        # the authors' own words for the wave (config/waves/<wave>/text/<section>.md)
        authors=lambda w: author_files(w.wave),
        template="workflow/templates/report.html.j2",
        chapters=sorted(
            str(p)
            for p in Path("workflow/templates").rglob("*.html.j2")
            if p.name != "report.html.j2"
        ),
        css="workflow/templates/report.css",
        code=code(
            "report",
            "quotes",
            "prose",
            "dutch",
            "method",
            "findings",
            "authors",
            "contracts",
            "pdf",
            "layout",
            "eurostat",
            "quality",
            "spec",
            "fmt",
            "strata",
            "indicators",
            "domains",
        ),
    output:
        pdf=report(
            out("report", "pdf"),
            caption="../report/pdf.rst",
            category="{wave}",
            subcategory="Rapport",
            labels={"bestand": "rapport (PDF)"},
        ),
        html=out("report", "html"),
        # the layout check of every page (aibarometer/layout.py): overflow fails the rule
        layout=out("report", "layout"),
        # what the text may say, chosen by tested evidence (aibarometer/findings.py)
        findings=out("report", "findings"),
    log:
        CATALOG.log("report"),
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        wave=lambda w: WAVES[w.wave],
        strata=config["strata"],
        config=lambda w: {k: config[k] for k in ("cleaning", "estimation")},
        waves_meta=lambda w: {
            e: {
                "year": WAVES[e]["year"],
                "synthetic": WAVES[e]["synthetic"],
                "codebook": WAVES[e].get("codebook", config["codebook"]),
            }
            for e in earlier_waves(w.wave)
        },
        years=lambda w: [WAVES[e]["year"] for e in earlier_waves(w.wave) + [w.wave]],
    run:
        from aibarometer import report

        run_rule(report.run, input, output, params, log)
