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
        alt="results/{wave}/figures/figures.json",
        svg=[
            report(
                f"results/{{wave}}/figures/figure{n:02d}.svg",
                caption="../report/figures.rst",
                category="{wave}",
                subcategory="Figuren",
                labels={"figuur": str(n)},
            )
            for n in FIGURE_NUMBERS
        ],
    log:
        "results/{wave}/logs/figures.log",
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
        png=expand("results/{{wave}}/figures/figure{n:02d}.png", n=FIGURE_NUMBERS),
    log:
        "results/{wave}/logs/figures_png.log",
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
        expand(
            "results/{wave}/figures/figure{n:02d}.png",
            wave=list(WAVES),
            n=FIGURE_NUMBERS,
        ),
