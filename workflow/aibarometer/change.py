"""The variance of a change between two waves that share firms.

Most enterprises of one wave are in the next (the register changes slowly; medium and large
firms are invited in full each time), and a firm's answers persist: the two estimates are
positively correlated, and adding their variances overstates the uncertainty of a change.
For overlapping samples the variance of the change is

    Var(Δ) = V₁ + V₂ − 2·Cov(θ̂₁, θ̂₂)

(as ReGenesees ``svyDelta`` and vardpoor ``vardchanges`` compute it). V₁ and V₂ are each
wave's design-based variances (the estimate stage's). The covariance is estimated from the
firms in both waves' usable responses, linked by their keyed pseudonym, with the
linearised values of the domain ratio θ̂ = Σ w·I·y / Σ w·I:

    u_i = I_i (y_i − θ̂) / N̂_d           (0 outside the domain or the item's base)

and, per stratum h that a linked firm belongs to in both waves (n_ch linked firms there,
samples n_1h and n_2h from populations N_1h and N_2h),

    Cov ≈ Σ_h N_1h N_2h · n_ch / (n_1h n_2h) · (1 − n_1h n_2h / (√(N_1h N_2h) · n_ch))⁺ · s_12h

with s_12h the covariance of u₁ and u₂ over the linked firms of h. This is the stratified
form of the classical estimator for two simple random samples with a common part (Kish 1965,
section 12.4; Tam 1984): with n_c = n₁ = n₂ = n it is the covariance of one sample measured
twice (finite population correction 1 − n/N), and with the overlap two independent draws
would give by chance (n₁n₂/N) it is zero. A firm that changed stratum between the waves is
not counted in the covariance (conservative: the covariance is then underestimated, the
interval of the change too wide, never too narrow by it). Without linked firms (no firm in
both waves, or the waves pseudonymised with different keys) the covariance is 0 and the
variance of the change is exactly that of independent samples.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def unit_values(path, codebook, keys: list[tuple[str, str]]) -> pd.DataFrame:
    """Per usable response: enterprise pseudonym, stratum, N_h, n_h, weight (N_h / n_h), sector,
    size class and the 0/1 (or value) of each (indicator, category) in ``keys`` (NaN outside its
    base). The design columns are computed once here, not per indicator and domain."""
    from .estimate import indicator_columns, read_for_estimation
    from .survey import Level

    cols = read_for_estimation(path, codebook)
    specs, makers = indicator_columns(cols, codebook)
    out = pd.DataFrame({"enterprise_pid": pd.read_parquet(path, columns=["enterprise_pid"])["enterprise_pid"],
                        "stratum": np.asarray(cols["stratum"], dtype=object), "N_h": cols["N_h"],
                        "sector": np.asarray(cols["sector"], dtype=object),
                        "size_class": np.asarray(cols["size_class"], dtype=object)})
    out = design_columns(out)
    wanted = {(i, str(c)) for i, c in keys}
    for s in specs:
        if (s.indicator, s.category) in wanted:
            fn = makers[s.column]
            if isinstance(fn, Level):
                codes = fn.codes()
                values = np.where(codes < 0, np.nan, (codes == fn.level).astype(float))
            else:
                values = np.asarray(fn(), dtype=float)
            out[f"{s.indicator}={s.category}"] = values
    return out


def design_columns(df: pd.DataFrame) -> pd.DataFrame:
    """A wave's unit values with n_h (usable responses of the stratum) and the weight N_h / n_h."""
    n_h = df.groupby("stratum")["stratum"].transform("size").to_numpy(dtype=float)
    return df.assign(n_h=n_h, weight=df["N_h"].to_numpy(dtype=float) / n_h)


def linearised(df: pd.DataFrame, column: str, domain: np.ndarray) -> np.ndarray:
    """u_i = I_i (y_i − θ̂) / N̂_d of the domain ratio, with the weights of :func:`unit_values`."""
    w = df["weight"].to_numpy(dtype=float)
    y = df[column].to_numpy(dtype=float)
    inside = domain & ~np.isnan(y)
    total = float((w * inside).sum())
    if total <= 0:
        return np.zeros(len(df))
    theta = float((w * np.where(inside, y, 0.0)).sum()) / total
    return np.where(inside, np.nan_to_num(y) - theta, 0.0) / total


def covariance(a: pd.DataFrame, b: pd.DataFrame, column: str, domain_a: np.ndarray,
               domain_b: np.ndarray) -> tuple[float, int]:
    """Cov(θ̂_a, θ̂_b) from the firms in both waves (see the module), and how many linked firms
    of the domain, with an answer in both waves, it rests on."""
    if column not in a or column not in b:
        return 0.0, 0
    ua, ub = (df[["enterprise_pid", "stratum", "n_h", "N_h"]].assign(
        u=linearised(df, column, domain), **{"in": domain & ~np.isnan(df[column].to_numpy(dtype=float))})
        for df, domain in ((a, domain_a), (b, domain_b)))
    linked = ua.dropna(subset=["enterprise_pid"]).merge(ub.dropna(subset=["enterprise_pid"]), on="enterprise_pid",
                                                         suffixes=("_a", "_b"))
    n_common = int((linked["in_a"] & linked["in_b"]).sum())
    same = linked[linked["stratum_a"] == linked["stratum_b"]]
    if same.empty:
        return 0.0, n_common
    cov = 0.0
    for _, part in same.groupby("stratum_a"):
        n_c = len(part)
        if n_c < 2:
            continue
        first = part.iloc[0]
        n1, n2, N1, N2 = (float(first[k]) for k in ("n_h_a", "n_h_b", "N_h_a", "N_h_b"))
        s12 = float(np.cov(part["u_a"], part["u_b"], ddof=1)[0, 1])
        fpc = max(0.0, 1.0 - n1 * n2 / (np.sqrt(N1 * N2) * n_c))
        cov += N1 * N2 * n_c / (n1 * n2) * fpc * s12
    return cov, n_common
