# Stage 5: Figures 1-12 (config/spec.yaml) as SVG, with Dutch alt texts, all drawn in
# one job: one Python process costs more than drawing a figure. PNG copies only on
# demand (`snakemake --cores all png`): the report uses the SVGs.


rule figures:
    input:
        estimates=rules.estimate.output.parquet,
        bases=rules.estimate.output.bases,
        spec=config["spec"],
        codebook=wave_codebook,
        code=code("figures", "spec", "fmt", "indicators", "domains"),
    output:
        alt=out("figures", "alt"),
        svg=[
            report(
                path,
                caption="../report/figures.rst",
                category="{wave}",
                subcategory="Figuren",
                labels={"figuur": str(n)},
            )
            for n, path in zip(FIGURE_NUMBERS, out("figures", "svg"))
        ],
    log:
        CATALOG.log("figures"),
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        synthetic=lambda w: WAVES[w.wave]["synthetic"],
    run:
        from aibarometer import figures

        run_rule(figures.run, input, output, params, log)


rule figures_png:
    input:
        estimates=rules.estimate.output.parquet,
        bases=rules.estimate.output.bases,
        spec=config["spec"],
        codebook=wave_codebook,
        code=code("figures", "spec", "fmt", "indicators", "domains"),
    output:
        **CATALOG.outputs("figures_png"),
    log:
        CATALOG.log("figures_png"),
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        synthetic=lambda w: WAVES[w.wave]["synthetic"],
    run:
        from aibarometer import figures

        run_rule(figures.run_png, input, output, params, log)


# PNG copies of every wave's figures, for slides and documents: `snakemake --cores all png`
rule png:
    input:
        [p for w in WAVES for p in out("figures_png", "png", w)],
