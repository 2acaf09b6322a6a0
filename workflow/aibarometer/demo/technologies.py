"""The first AI block: which technologies a firm uses or plans (a grid of single-choice
items with the codes *uses*, *plans*, *neither*, in that order). It decides who is an
adopter, and with it the routing of every adopter block after it.

Plants: per stratum and technology the rate of use raked to the published rates by
sector (Table 3) and by size class (Table 4); the number of technologies per adopter
from a distribution tilted to a mean per size class (Figure 1's shape); plans among
non-adopters (Figure 1's "none, with plans") and among adopters for what they do not
use yet, so use plus plans gives the published potential (Figures 2 and 3). A
technology the reference does not know gets DEFAULT_RATE in every stratum.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .draw import assign, expit, logit, pick, rake_rates, split_counts, stoch_round, tilt

DEFAULT_RATE = 0.03  # use of a technology the 2021 report does not publish
BASE_K = np.array([.487, .263, .159, .055, .024, .008, .004])  # technologies per adopter, before tilting
PLANS_K = np.array([.55, .25, .12, .08])  # technologies planned by a non-adopter who plans


def reference_index(ctx: Context, var: str) -> int | None:
    """The column of a technology item in the reference's tables (var tech_<code>)."""
    codes = [t["code"] for t in ctx.ref["technologies"]]
    return next((k for k, c in enumerate(codes) if var == f"tech_{c}"), None)


def rates(ctx: Context, items) -> np.ndarray:
    """(S, C, T) probability of using each technology, raked to Tables 3 and 4."""
    pop = ctx.population().astype(float)
    out = []
    for item in items:
        k = reference_index(ctx, item.var)
        if k is None:
            out.append(np.full(pop.shape, DEFAULT_RATE))
            continue
        t3 = np.array([ctx.ref["table3_adoption_by_sector"][s][k] for s in ctx.sectors]) / 100
        t4 = np.array([ctx.ref["table4_adoption_by_size"][c][k] for c in ctx.sizes]) / 100
        out.append(rake_rates(pop, t3, t4))
    out = np.stack(out, axis=-1)
    return expit(logit(out) + np.log(ctx.p.adoption_odds)) if ctx.p.adoption_odds != 1.0 else out


def groups(strat: np.ndarray, rows: np.ndarray) -> list[tuple[tuple[int, int], np.ndarray]]:
    key = strat[rows, 0] * 100 + strat[rows, 1]
    return [(divmod(int(k), 100), g.to_numpy()) for k, g in pd.Series(rows).groupby(key)]


def draw(ctx: Context, answering: np.ndarray, strat: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Answer codes per technology item for the responding rows (others NaN)."""
    items = ctx.cb.technology_items
    p = rates(ctx, items)
    grp = groups(strat, answering)
    uses = _uses(ctx, grp, p, n)
    plans = _plans(ctx, grp, p, uses, items)
    out = {}
    for t, item in enumerate(items):
        use, plan, neither = list(item.codes)[:3]
        col = np.where(uses[:, t], use, np.where(plans[:, t], plan, neither)).astype(object)
        mask = np.ones(n, bool)
        mask[answering] = False
        col[mask] = np.nan
        out[item.var] = col
    return out


def _uses(ctx: Context, grp, p: np.ndarray, n: int) -> np.ndarray:
    """Per stratum: a quota of adopters, each with a number of technologies, and the
    technologies dealt out so each one's count matches its rate."""
    rng = ctx.rng
    T = p.shape[-1]
    uses = np.zeros((n, T), bool)
    K = min(len(BASE_K), T)
    for (si, ci), rows in grp:
        rate = p[si, ci]
        kdist = tilt(BASE_K[:K] / BASE_K[:K].sum(), ctx.p.k_mean[ctx.sizes[ci]])
        kmean = (kdist * np.arange(1, K + 1)).sum()
        a = max(int(stoch_round(len(rows) * min(0.95, rate.sum() / kmean), rng)), 0)
        adopters = pick(rng, rows, a)
        if a == 0:
            continue
        k = assign(a, kdist, np.arange(1, K + 1), rng)
        m = np.minimum(split_counts(int(k.sum()), rate / rate.sum(), rng), a)
        cap = k.copy()  # largest remaining capacity first
        for t in np.argsort(-m, kind="stable"):
            take = np.lexsort((rng.random(a), -cap))[: m[t]]
            take = take[cap[take] > 0]
            uses[adopters[take], t] = True
            cap[take] -= 1
    return uses


def _plan_targets(ctx: Context, items, pop: np.ndarray) -> np.ndarray:
    """Share of all firms planning each technology: Figure 2, else potential (Figure 3)
    minus use (Figure 2, or Table 4 weighted by size), else half the default rate."""
    f2, f3 = ctx.ref["figure2_adoption_by_technology"], ctx.ref["figure3_adoption_potential"]
    out = []
    for item in items:
        k = reference_index(ctx, item.var)
        code = ctx.ref["technologies"][k]["code"] if k is not None else None
        if code in f2["plans"]:
            out.append(f2["plans"][code])
        elif code in f3:
            uses = f2["uses"].get(code)
            if uses is None:
                t4 = np.array([ctx.ref["table4_adoption_by_size"][c][k] for c in ctx.sizes])
                uses = float((t4 * pop.sum(0)).sum() / pop.sum())
            out.append(f3[code] - uses)
        else:
            out.append(100 * DEFAULT_RATE / 2)
    return np.array(out) / 100


def _plans(ctx: Context, grp, p: np.ndarray, uses: np.ndarray, items) -> np.ndarray:
    """Non-adopters who plan (Figure 1) and adopters who plan what they do not use yet."""
    rng = ctx.rng
    f1 = ctx.ref["figure1_number_of_technologies"]
    pop = ctx.matrix("table1_population")
    T = len(items)
    plan_t = _plan_targets(ctx, items, pop)
    use_t = np.array([(p[..., t] * pop).sum() / pop.sum() for t in range(T)])
    kp = PLANS_K[:T] / PLANS_K[:T].sum()
    non_adopter_part = (f1["none_with_plans"] / 100) * (kp * np.arange(1, len(kp) + 1)).sum() * plan_t / plan_t.sum()
    r_adopt = np.clip((plan_t - non_adopter_part) / np.maximum(f1["any"] / 100 - use_t, 1e-3), 0, 0.9)
    adopter = uses.any(1)
    plans = np.zeros_like(uses)
    for _, rows in grp:
        non = rows[~adopter[rows]]
        for r in pick(rng, non, int(stoch_round(len(non) * f1["none_with_plans"] / f1["none"], rng))):
            kk = int(rng.choice(np.arange(1, len(kp) + 1), p=kp))
            plans[r, pick(rng, np.arange(T), kk, plan_t)] = True
        ad = rows[adopter[rows]]
        for t in range(T):
            elig = ad[~uses[ad, t]]
            plans[pick(rng, elig, int(stoch_round(len(elig) * r_adopt[t], rng))), t] = True
    return plans
