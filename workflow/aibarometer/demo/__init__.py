"""Seeded generator of the SYNTHETIC demo waves.

There is no real microdata. This package writes a sample frame, population counts and
a raw survey export that look and misbehave like a real wave (exclusions, break-offs,
item non-response, answers that disagree with the frame, stray whitespace, personal
data), calibrated to the numbers the 2021 AI-Barometer publishes
(resources/reference/ai-barometer-2021.yaml). It is no pipeline stage: the workflow
reads its committed output in resources/demo/ like any export.

The parts, in the order they run (each module says what it plants and why):

* ``params``        the per-wave parameter table (2021 as published, 2023 as departures)
* ``context``       what the parts share: parameters, codebook, strata, reference, random generator
* ``frame``         the sample frame and population counts (Table 1)
* ``respondents``   who responds: usable per stratum (Table 2), exclusions a-d, rows that are no answers
* ``firm``          the firmographic answers, by codebook role
* ``technologies``  the first AI block, which decides who is an adopter (Tables 3-4, Figures 1-3)
* ``routing``       who reaches which block: codebook routing, break-offs, skips
* ``targets``       the calibration: what each question's answers aim at, and the defaults
* ``answers``       the answers, generic by question type
* ``export``        the survey platform's metadata and the typed-number noise
* ``writers``       legacy CSV, single-header CSV, choice-text CSV, SPSS .sav

A question added to the codebook gets answers with no code change: its target comes
from the wave's ``rates`` or from the defaults in ``targets.default``.

Usage::

    python -m aibarometer.demo --wave 2021 --out resources/demo/2021
    python -m aibarometer.demo --wave 2021 --out /tmp/x --formats legacy,single,sav

All personal values are obviously fake: names start with "Demo-" or end in
"-fictief", e-mail addresses are at example.be/example.org, IP addresses come from
the documentation ranges (RFC 5737).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Codebook, load_codebook, load_config
from ..strata import Strata
from .answers import answers
from .context import ROOT, Context, load_reference
from .export import export as make_export
from .frame import frame as make_frame
from .frame import population
from .params import WAVES, WaveParams
from .register import REGISTER, evolve
from .respondents import plant_not_real, respondents
from .writers import DemoWave, choice_text_csv, legacy_csv, write_sav, write_wave

__all__ = ["WAVES", "WaveParams", "DemoWave", "Context", "generate", "generate_wave", "write_wave",
           "legacy_csv", "choice_text_csv", "write_sav", "load_reference"]


def generate_wave(ctx: Context) -> DemoWave:
    """Frame, respondents, answers and export of one wave, in a fixed order of draws; a wave
    that evolves from an earlier one (``evolve_from``) is drawn from that wave's register
    (``register.py``)."""
    again, weight_again = None, 1.0
    if ctx.p.evolve_from:
        earlier = WAVES[ctx.p.evolve_from]
        before = generate_wave(Context(earlier, load_codebook(ROOT / earlier.codebook), ctx.strata, ctx.ref))
        frame, ctx.population_override, ctx.usable_override, again = evolve(ctx, before)
        ctx.panel = before.panel
        weight_again = {**REGISTER, **ctx.p.register}["respond_again"]
    else:
        frame = make_frame(ctx)
    pop = population(ctx)
    resp = respondents(ctx, frame, again, weight_again)
    fr = frame.iloc[resp["frame_row"].to_numpy()].reset_index(drop=True)
    ans, routing = answers(ctx, resp, fr)
    usable = (resp["rule"] == "").to_numpy()
    tech = [i.var for i in ctx.cb.technology_items]
    panel = pd.DataFrame({"enterprise": fr["ondernemingsnummer"].to_numpy()[usable],
                          **{v: ans[v].to_numpy()[usable] for v in tech}})
    export = make_export(ctx, fr, ans, routing)
    # the response order a survey tool shows (by recorded date)
    order = np.argsort(export["RecordedDate"].to_numpy(), kind="stable")
    export = export.iloc[order].reset_index(drop=True)
    intended = pd.DataFrame({"ResponseId": export["ResponseId"], "rule": resp["rule"].to_numpy()[order],
                             "rules": resp["rules"].to_numpy()[order], "sector": resp["sector"].to_numpy()[order],
                             "size_class": resp["size"].to_numpy()[order]})
    export, intended = plant_not_real(ctx, export, intended, frame, resp)
    return DemoWave(frame=frame, population=pop, export=export, intended=intended, panel=panel)


def generate(wave: str = "2021", config_path: str | Path = ROOT / "config" / "config.yaml",
             codebook_path: str | Path | None = None) -> tuple[DemoWave, Codebook]:
    """A demo wave and its questionnaire (by default the wave's codebook of params.py)."""
    config = load_config(config_path)
    params = WAVES[wave]
    codebook = load_codebook(codebook_path or ROOT / params.codebook)
    ctx = Context(params, codebook, Strata(config["strata"]), load_reference())
    return generate_wave(ctx), codebook
