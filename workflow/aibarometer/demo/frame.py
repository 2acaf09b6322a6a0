"""The sample frame and the population counts.

Plants: the published population and sample per stratum (Table 1), valid enterprise
numbers, NACE codes drawn inside each sector's divisions (now and then a class prefix
such as 95.1 that a sector owns), skewed employee counts inside each size class, and
the published number of bounced invitations (``email_status`` = onbestelbaar). Every
name and address is fake: "Demo-" first names, "-fictief" surnames, example.be/.org.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import enterprise
from .context import Context

FIRST = ["An", "Bart", "Els", "Tom", "Lies", "Pieter", "Sofie", "Koen", "Nathalie", "Wim", "Ine", "Joris",
         "Katrien", "Dirk", "Hanne", "Stijn", "Veerle", "Geert", "Leen", "Bram"]
LAST = ["Testmans", "Voorbeeldt", "Fictiefs", "Proefkens", "Nepaert", "Staalens", "Schijnaerts", "Demoens",
        "Namaeckers", "Verzinsel", "Placeboom", "Dummyns"]


def fake_people(rng: np.random.Generator, n: int) -> pd.DataFrame:
    first = np.array(["Demo-" + f for f in FIRST])[rng.integers(0, len(FIRST), n)]
    last = np.array([name + "-fictief" for name in LAST])[rng.integers(0, len(LAST), n)]
    email = [f"{f[5:].lower()}.{s[:-8].lower()}.{k:05d}@example.{'be' if k % 3 else 'org'}"
             for f, s, k in zip(first, last, range(n))]
    return pd.DataFrame({"first": first, "last": last, "email": email})


def population(ctx: Context) -> pd.DataFrame:
    pop = ctx.population()
    return pd.DataFrame([{"sector": s, "size_class": c, "population": int(pop[i, j])}
                         for j, c in enumerate(ctx.sizes) for i, s in enumerate(ctx.sectors)])


def frame(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    sample = ctx.matrix("table1_sample")
    total = int(sample.sum())
    first8 = rng.choice(np.arange(2_000_000, 19_999_999), size=total, replace=False)
    numbers = [enterprise.make(int(f)) for f in first8]
    sectors, sizes, naces, emps = [], [], [], []
    for j, c in enumerate(ctx.sizes):
        for i, s in enumerate(ctx.sectors):
            n = int(sample[i, j])
            sectors += [s] * n
            sizes += [c] * n
            naces += draw_nace(ctx, s, n)
            emps += list(draw_employees(ctx, c, n))
    people = fake_people(rng, total)
    undeliverable = np.zeros(total, bool)
    bounced = ctx.p.undeliverable or ctx.ref["response_flow"]["undeliverable_email"]
    undeliverable[rng.choice(total, size=int(bounced), replace=False)] = True
    return pd.DataFrame({
        "ondernemingsnummer": [enterprise.dotted(x) for x in numbers],
        "naam": [f"Voorbeeldbedrijf {k:05d} BV (fictief)" for k in range(total)],
        "nace": naces,
        "werknemers": emps,
        "sector": sectors,
        "grootteklasse": sizes,
        "contactpersoon": people["first"] + " " + people["last"],
        "email": people["email"],
        "email_status": np.where(undeliverable, "onbestelbaar", "afgeleverd"),
    })


def draw_nace(ctx: Context, sector: str, n: int) -> list[str]:
    rng = ctx.rng
    sec = next(s for s in ctx.strata.sectors if s.code == sector)
    divisions = [d for lo, hi in sec.ranges for d in range(int(lo), int(hi) + 1)]
    out = []
    for _ in range(n):
        if sec.prefixes and rng.random() < 0.03:
            out.append(f"{sec.prefixes[0]}{rng.integers(1, 3)}")
        else:
            d = divisions[rng.integers(0, len(divisions))]
            out.append(f"{d:02d}.{rng.integers(1, 10)}{rng.integers(0, 10)}")
    return out


def draw_employees(ctx: Context, size: str, n: int) -> np.ndarray:
    c = next(x for x in ctx.strata.size_classes if x.code == size)
    if c.max is None:
        return np.minimum(c.min + ctx.rng.lognormal(5.0, 1.0, n).astype(int), 20000)
    # skewed towards the lower end, as real size distributions are
    u = ctx.rng.random(n) ** 1.8
    return (c.min + np.floor(u * (c.max - c.min + 1))).astype(int)
