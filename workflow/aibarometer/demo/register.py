"""A later demo wave drawn from the same, evolving business register as the earlier one.

In the real survey most enterprises of one wave are in the next: the register changes
slowly, medium and large firms are invited in full each time and micro firms nearly so.
This module plants that, starting from the earlier wave's frame and respondents:

* **the register moves**: of the earlier wave's firms, ``survive`` (93%) are still active;
  of those, ``change_size`` (5%) moved to a neighbouring size class and ``change_sector``
  (1%) to another sector group (a new NACE code); the population of each stratum grows or
  shrinks by its own factor (mean ``growth_mean``, spread ``growth_sd``), for firms that
  closed, were born or moved;
* **the same design**: each stratum's selection fraction of the earlier wave (Table 1)
  applied to the new population gives the new sample size; where the earlier wave took
  nearly everyone (a fraction of 40% or more) a surviving invited firm is invited again with
  probability ``reinvite_full`` (92%), elsewhere with the stratum's fraction (a new random
  draw); new firms (other firms of the register, and births) fill the rest;
* **the same firms answer again**: a surviving firm that gave a usable response before is
  ``respond_again`` (4 times) as likely as another invited firm to be among the usable
  respondents of its stratum, and with probability ``persist`` (70%) it answers the
  technology questions (which decide who is an AI user) as it did before: a firm's AI use
  persists (``answers.py``).

Usable responses per stratum follow the new sample (the earlier wave's response rate per
stratum, times the wave's ``usable_factor`` per size class), so Tables 1 and 2 differ from
the earlier wave's where the register moved.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import enterprise
from .context import Context
from .frame import draw_employees, draw_nace, fake_people

REGISTER = {"survive": 0.93, "change_size": 0.05, "change_sector": 0.01, "growth_mean": 1.03, "growth_sd": 0.03,
            "reinvite_full": 0.92, "full_fraction": 0.40, "respond_again": 4.0, "persist": 0.70}


def evolve(ctx: Context, before) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The new frame, population (S x C), usable responses (S x C) and, per frame row, whether
    the firm gave a usable response in the earlier wave."""
    rng, r = ctx.rng, {**REGISTER, **ctx.p.register}
    sectors, sizes = ctx.sectors, ctx.sizes
    old = before.frame.reset_index(drop=True)
    pop_before = _matrix(before.population, sectors, sizes, "population")
    sample_before = old.groupby(["sector", "grootteklasse"]).size()
    fraction = np.array([[sample_before.get((s, c), 0) / max(pop_before[i, j], 1) for j, c in enumerate(sizes)]
                         for i, s in enumerate(sectors)])
    # the register moves
    alive = rng.random(len(old)) < r["survive"]
    firms = old[alive].copy()
    move_size = rng.random(len(firms)) < r["change_size"]
    for k in np.flatnonzero(move_size):
        j = sizes.index(firms["grootteklasse"].iloc[k])
        j2 = j + (1 if j == 0 else -1 if j == len(sizes) - 1 else rng.choice([-1, 1]))
        firms.iloc[k, firms.columns.get_loc("grootteklasse")] = sizes[j2]
        firms.iloc[k, firms.columns.get_loc("werknemers")] = int(draw_employees(ctx, sizes[j2], 1)[0])
    move_sector = rng.random(len(firms)) < r["change_sector"]
    for k in np.flatnonzero(move_sector):
        s2 = sectors[rng.integers(0, len(sectors))]
        firms.iloc[k, firms.columns.get_loc("sector")] = s2
        firms.iloc[k, firms.columns.get_loc("nace")] = draw_nace(ctx, s2, 1)[0]
    growth = rng.normal(r["growth_mean"], r["growth_sd"], size=pop_before.shape)
    population = np.maximum(np.round(pop_before * growth).astype(int), 1)
    sample = np.minimum(np.round(fraction * population).astype(int), population)
    # the same design: invite survivors again, fill with other firms of the register
    responded = set(before.panel["enterprise"]) if before.panel is not None else set()
    keep, new_counts = [], np.zeros_like(sample)
    for i, s in enumerate(sectors):
        for j, c in enumerate(sizes):
            here = np.flatnonzero(((firms["sector"] == s) & (firms["grootteklasse"] == c)).to_numpy())
            p_again = r["reinvite_full"] if fraction[i, j] >= r["full_fraction"] else fraction[i, j]
            again = here[rng.random(len(here)) < p_again]
            if len(again) > sample[i, j]:
                again = rng.choice(again, size=sample[i, j], replace=False)
            population[i, j] = max(population[i, j], len(here))  # the survivors are in the population
            keep += list(again)
            new_counts[i, j] = sample[i, j] - len(again)
    kept = firms.iloc[np.sort(np.array(keep, dtype=int))]
    new = _new_firms(ctx, new_counts, exclude=set(old["ondernemingsnummer"]))
    frame = pd.concat([kept, new], ignore_index=True)
    order = np.lexsort((frame["sector"].map(sectors.index), frame["grootteklasse"].map(sizes.index)))
    frame = frame.iloc[order].reset_index(drop=True)
    frame["naam"] = [f"Voorbeeldbedrijf {k:05d} BV (fictief)" for k in range(len(frame))]
    people = fake_people(rng, len(frame))
    frame["contactpersoon"] = people["first"] + " " + people["last"]
    frame["email"] = people["email"]
    undeliverable = np.zeros(len(frame), bool)
    bounced = int(ctx.p.undeliverable or round(len(frame) * (old["email_status"] == "onbestelbaar").mean()))
    undeliverable[rng.choice(len(frame), size=bounced, replace=False)] = True
    frame["email_status"] = np.where(undeliverable, "onbestelbaar", "afgeleverd")
    frame = frame[list(old.columns)]
    # usable responses follow the new sample: the earlier response rate per stratum
    usable_before = ctx.matrix("table2_responses")
    usable = np.round(usable_before * np.where(sample_before_matrix(old, sectors, sizes) > 0,
                                               sample / np.maximum(sample_before_matrix(old, sectors, sizes), 1), 0))
    if ctx.p.usable_factor:
        usable = usable * np.array([ctx.p.usable_factor[c] for c in sizes])[None, :]
    usable = np.maximum(1, np.round(usable)).astype(int)
    was_respondent = frame["ondernemingsnummer"].isin(responded).to_numpy()
    return frame, population, usable, was_respondent


def sample_before_matrix(frame: pd.DataFrame, sectors, sizes) -> np.ndarray:
    counts = frame.groupby(["sector", "grootteklasse"]).size()
    return np.array([[counts.get((s, c), 0) for c in sizes] for s in sectors])


def _matrix(df: pd.DataFrame, sectors, sizes, col: str) -> np.ndarray:
    t = df.set_index(["sector", "size_class"])[col]
    return np.array([[int(t.get((s, c), 0)) for c in sizes] for s in sectors])


def _new_firms(ctx: Context, counts: np.ndarray, exclude: set) -> pd.DataFrame:
    rng = ctx.rng
    total = int(counts.sum())
    first8 = rng.choice(np.arange(2_000_000, 19_999_999), size=total + 200, replace=False)
    numbers = [enterprise.dotted(enterprise.make(int(f))) for f in first8]
    numbers = [x for x in numbers if x not in exclude][:total]
    rows = []
    for j, c in enumerate(ctx.sizes):
        for i, s in enumerate(ctx.sectors):
            n = int(counts[i, j])
            for nace, emp in zip(draw_nace(ctx, s, n), draw_employees(ctx, c, n)):
                rows.append({"nace": nace, "werknemers": int(emp), "sector": s, "grootteklasse": c})
    out = pd.DataFrame(rows, columns=["nace", "werknemers", "sector", "grootteklasse"])
    out.insert(0, "ondernemingsnummer", numbers)
    return out
