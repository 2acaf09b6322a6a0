"""What may be published and what may be called significant.

**Reliability flags**, as published standards define them (thresholds in config/config.yaml,
``estimation.reliability``):

* Proportions: the NCHS Data Presentation Standards for Proportions (Parker et al. 2017,
  Vital and Health Statistics 2(175)). An estimate is unreliable when its unweighted base
  is below ``min_n_flag`` (30: ``low_n``), its effective sample size is below
  ``min_effective_n`` (30: ``low_neff``), the absolute width of its Korn–Graubard interval
  is ``max_ci_width_pp`` (30) points or more (``wide_ci``), or that width is above
  ``relative_ci_from_pp`` (5) points and more than ``max_relative_ci_width`` (130) % of the
  estimate (``wide_relative_ci``). Fewer than ``min_df`` (8) degrees of freedom is flagged for
  review (``low_df``). The standard asks for the Korn–Graubard interval to decide; the flags
  use it here, while the interval printed stays the logit interval of the estimates (both
  are computed from the same standard error; the report says which it prints).
* Means: the coefficient of variation, as Statistics Canada and Eurostat grade it: up to
  ``cv_caution`` (16.5 %) reliable, up to ``cv_unreliable`` (33.3 %) to use with caution
  (``cv_caution``), above that too unreliable to publish (``suppressed``).
* Any estimate on fewer than ``min_n_suppress`` (10) responses is not published
  (``suppressed``).

A flag names every reason, joined by ``+`` (``low_n+low_neff``); tables, figures, the
workbook and the text mark a flagged estimate with an asterisk and never call it significant.

**Significance** with the false discovery rate controlled (Benjamini and Hochberg 1995):
all domain-versus-rest tests of a wave form one family, the change tests of the trend
another; ``q_value`` is the BH-adjusted p-value (R's ``p.adjust(p, "BH")``) and
"significant" means ``q_value`` below the level's alpha (0,05).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def bh(p) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (as R's ``p.adjust(p, method = "BH")``), over the
    finite values of ``p``; NaN stays NaN and is not counted in the family."""
    p = np.asarray(p, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    m = int(ok.sum())
    if m == 0:
        return q
    pv = p[ok]
    order = np.argsort(pv, kind="stable")[::-1]  # largest first
    ranks = np.arange(m, 0, -1)
    adjusted = np.minimum.accumulate(pv[order] * m / ranks)
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    q[ok] = out
    return q


def effective_n(p, se, n, df) -> np.ndarray:
    """The effective sample size of a proportion, p(1-p)/SE², adjusted for the degrees of
    freedom as Korn and Graubard (1998) do ((t_{n-1} / t_df)², at most n)."""
    from scipy.stats import t

    p, se, n, df = (np.asarray(x, dtype=float) for x in (p, se, n, df))
    with np.errstate(divide="ignore", invalid="ignore"):
        neff = np.where(se > 0, p * (1 - p) / se**2, n)
        ratio = (t.ppf(0.975, np.maximum(n - 1, 1)) / t.ppf(0.975, np.maximum(df, 1))) ** 2
    return np.minimum(np.where(np.isfinite(neff), neff * np.where(np.isfinite(ratio), ratio, 1.0), n), n)


def korn_graubard(p, se, n, df, level: float = 0.95, neff=None) -> tuple[np.ndarray, np.ndarray]:
    """The Korn–Graubard (1998) interval: Clopper–Pearson with the effective sample size
    (``neff`` when the caller has it already, else :func:`effective_n`)."""
    from scipy.stats import beta

    p = np.asarray(p, dtype=float)
    neff = effective_n(p, se, n, df) if neff is None else neff
    x = p * neff
    a = (1 - level) / 2
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, beta.ppf(a, x, neff - x + 1), 0.0)
        high = np.where(x < neff, beta.ppf(1 - a, x + 1, neff - x), 1.0)
    return np.nan_to_num(low, nan=0.0), np.nan_to_num(high, nan=1.0)


def reliability(est: pd.DataFrame, rel: dict, level: float = 0.95) -> pd.Series:
    """The flag of every estimate ('' when reliable): its reasons joined by '+', or
    'suppressed'."""
    n = est["n"].to_numpy(dtype=float)
    prop = (est["kind"] == "proportion").to_numpy()
    p = est["estimate"].to_numpy(dtype=float)
    se = est["se"].to_numpy(dtype=float)
    df = est["df"].to_numpy(dtype=float) if "df" in est else n - 1
    reasons = [np.full(len(est), "", dtype=object)]

    def add(mask, name):
        reasons.append(np.where(mask, name, ""))

    add(n < rel["min_n_flag"], "low_n")
    # proportions: NCHS
    neff = effective_n(p, se, n, df)
    low, high = korn_graubard(p, se, n, df, level, neff)
    width = (high - low) * 100
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(p > 0, width / (p * 100) * 100, np.inf)
    add(prop & (neff < rel.get("min_effective_n", 30)), "low_neff")
    add(prop & (width >= rel["max_ci_width_pp"]), "wide_ci")
    add(prop & (width > rel.get("relative_ci_from_pp", 5)) & (width < rel["max_ci_width_pp"])
        & (relative > rel.get("max_relative_ci_width", 130)), "wide_relative_ci")
    add(df < rel.get("min_df", 8), "low_df")
    # means: the CV
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(p != 0, se / np.abs(p) * 100, np.inf)
    add(~prop & (cv > rel.get("cv_caution", 16.5)) & (cv <= rel.get("cv_unreliable", 33.3)), "cv_caution")
    too = ~prop & (cv > rel.get("cv_unreliable", 33.3))
    flag = pd.Series(["+".join(r for r in row if r) for row in zip(*reasons)], index=est.index, dtype=object)
    return flag.where(~((n < rel["min_n_suppress"]) | too), "suppressed")


def significance(p, eligible, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """q-values over the eligible tests (one family) and which are significant (q < alpha)."""
    p = np.where(np.asarray(eligible, dtype=bool), np.asarray(p, dtype=float), np.nan)
    q = bh(p)
    return q, np.nan_to_num(q, nan=1.0) < alpha
