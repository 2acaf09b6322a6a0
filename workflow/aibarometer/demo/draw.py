"""Random draws with quotas, and the small calibration maths behind them.

Calibration uses *quotas*: within a group of respondents the number giving an answer
is the expected count, stochastically rounded, so the weighted estimates land close
to their targets while every single answer is still random.
"""

from __future__ import annotations

import numpy as np


def stoch_round(x: np.ndarray | float, rng: np.random.Generator) -> np.ndarray:
    """Unbiased stochastic rounding: floor(x) + Bernoulli(frac(x))."""
    x = np.asarray(x, dtype=float)
    low = np.floor(x)
    return (low + (rng.random(x.shape) < (x - low))).astype(int)


def split_counts(n: int, probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Counts per category summing to n, each close to n*p (systematic rounding from a random start)."""
    probs = np.asarray(probs, dtype=float)
    probs = probs / probs.sum()
    cum = np.concatenate([[0.0], np.cumsum(probs) * n])
    start = rng.random()
    edges = np.floor(cum - start + 1.0).astype(int)
    edges[0], edges[-1] = 0, n
    return np.diff(edges)


def assign(n: int, probs, codes, rng: np.random.Generator) -> np.ndarray:
    """An array of n codes whose counts follow probs (quota), in random order."""
    counts = split_counts(n, np.asarray(probs, dtype=float), rng)
    out = np.repeat(np.asarray(codes), counts)
    rng.shuffle(out)
    return out


def pick(rng: np.random.Generator, idx: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    """k elements of idx without replacement, with probability proportional to weights."""
    k = int(min(k, len(idx)))
    if k <= 0:
        return idx[:0]
    if weights is None:
        return rng.choice(idx, size=k, replace=False)
    keys = np.log(np.maximum(weights, 1e-12)) + rng.gumbel(size=len(idx))
    return idx[np.argsort(-keys, kind="stable")[:k]]


def pick_share(rng: np.random.Generator, idx: np.ndarray, share: float) -> np.ndarray:
    """A quota of idx: share (0-1) of its length, stochastically rounded."""
    return pick(rng, idx, int(stoch_round(len(idx) * share, rng)))


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def expit(x):
    return 1 / (1 + np.exp(-x))


def rake_rates(pop: np.ndarray, sector_t: np.ndarray, size_t: np.ndarray, iters: int = 200) -> np.ndarray:
    """Per-stratum rates (sector x size) whose population-weighted margins hit both targets.

    pop: (S, C) population counts; sector_t: (S,) target rate per sector; size_t: (C,).
    Iterative proportional fitting on the logit scale.
    """
    eta = np.zeros(pop.shape)
    for _ in range(iters):
        cur = (pop * expit(eta)).sum(1) / pop.sum(1)
        eta += (logit(sector_t) - logit(cur))[:, None]
        cur = (pop * expit(eta)).sum(0) / pop.sum(0)
        eta += (logit(size_t) - logit(cur))[None, :]
    return expit(eta)


def tilt(base: np.ndarray, target_mean: float) -> np.ndarray:
    """Exponentially tilt a distribution over 1..K to a target mean."""
    k = np.arange(1, len(base) + 1)
    lo, hi = -5.0, 5.0
    for _ in range(80):
        mid = (lo + hi) / 2
        q = base * np.exp(mid * k)
        q /= q.sum()
        if (q * k).sum() < target_mean:
            lo = mid
        else:
            hi = mid
    return q


def solve_by_size(overall: float, fixed: dict[int, float], w: np.ndarray) -> np.ndarray:
    """A value per size class: the fixed ones as given, the others equal and such that
    the mean weighted by the size shares ``w`` is ``overall`` (at least 0.1)."""
    free = [c for c in range(len(w)) if c not in fixed]
    rest = (overall - sum(w[c] * v for c, v in fixed.items())) / w[free].sum()
    out = np.full(len(w), max(rest, 0.1))
    for c, v in fixed.items():
        out[c] = v
    return out


def values_with_mean(rng: np.random.Generator, mean: float, k: int, shape: float, low: int) -> np.ndarray:
    """k whole percentages, gamma-shaped, rescaled so their mean is close to ``mean``."""
    if k == 0:
        return np.array([], dtype=int)
    x = rng.gamma(shape, mean / shape, k)
    x = x * mean / x.mean()
    return np.clip(np.round(x), low, 100).astype(int)
