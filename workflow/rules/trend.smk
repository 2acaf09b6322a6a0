# Stage: compare a wave with the earlier waves in the config (empty for the first wave).


rule trend:
    input:
        estimates=rules.estimate.output.parquet,
        # usable responses of this wave and the earlier ones: the firms in both (pseudonyms)
        responses=rules.clean.output.responses,
        earlier_responses=lambda w: [
            out("clean", "responses", e) for e in earlier_waves(w.wave)
        ],
        codebook=wave_codebook,
        earlier_estimates=lambda w: [
            out("estimate", "parquet", e) for e in earlier_waves(w.wave)
        ],
        earlier_codebooks=lambda w: [
            WAVES[e].get("codebook", config["codebook"]) for e in earlier_waves(w.wave)
        ],
        spec=config["spec"],
        code=code(
            "trend",
            "change",
            "estimate",
            "survey",
            "strata",
            "fmt",
            "spec",
            "indicators",
            "figures",
            "domains",
            "precision",
        ),
    output:
        **CATALOG.outputs("trend"),
    log:
        CATALOG.log("trend"),
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        wave="{wave}",
        earlier=lambda w: earlier_waves(w.wave),
        level=config["estimation"]["confidence_level"],
        strata=config["strata"],
        synthetic=lambda w: WAVES[w.wave]["synthetic"],
        # legend labels: the year, and a synthetic comparison wave said so when this wave is real
        years=lambda w: {
            e: str(WAVES[e]["year"])
            + (
                " (synthetisch)"
                if WAVES[e]["synthetic"] and not WAVES[w.wave]["synthetic"]
                else ""
            )
            for e in [w.wave] + earlier_waves(w.wave)
        },
    run:
        from aibarometer import trend

        run_rule(trend.run, input, output, params, log)
