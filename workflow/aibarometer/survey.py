"""Design-based estimates for a stratified simple random sample, as R's ``survey`` does them.

The AI-Barometer sample is a stratified simple random sample of enterprises drawn
without replacement; every respondent is its own primary sampling unit (PSU).  In
R this design is::

    d <- svydesign(ids = ~1, strata = ~stratum, fpc = ~N_h, data = data)

with weights ``N_h / n_h`` (``n_h`` = respondents in stratum ``h``).  This module
reproduces, for that one design, what the following R calls return (checked
against survey 4.1-1 by ``tests/test_survey_vs_r.py``):

* estimate and standard error: ``svymean(~y, subset(d, domain), na.rm = TRUE)``,
  i.e. the ratio mean with the linearisation variance of ``svyrecvar`` ->
  ``multistage`` -> ``onestage`` -> ``onestrat``;
* degrees of freedom: ``degf()`` of the design svymean actually uses (the domain
  subset with missing values removed);
* confidence interval of a proportion: ``svyciprop(~y, ..., method = "logit")``,
  of a mean: ``confint(svymean(...), df = degf(...))``.  Deliberate deviation:
  for a proportion of exactly 0 or 1 the logit interval is degenerate (R 4.1-1
  returns about [5e-12, 1e-11] for 0% and [1, 1] for 100%), so the exact
  Clopper-Pearson interval on the unweighted counts is given instead, as
  ``binom.test(x, n)``, with ``ci_method = "clopper-pearson"``;
* comparison of a domain with the rest of the base (the rows outside the domain
  with ``y`` observed): the difference of the two domain means, with the
  variance of the difference of their influence functions on the base design
  ``b <- subset(d, !is.na(y))``.  In R that is
  ``svycontrast(svyby(~y, ~in_domain, b, svymean, covmat = TRUE), c(-1, 1))``
  or, identically, the ``in_domain`` coefficient of ``svyglm(y ~ in_domain, b)``.
  (``svyby(~y, ~in_domain, d, svymean, na.rm = TRUE, covmat = TRUE)`` on the full
  design stops with an error in survey 4.1-1 when ``y`` has missing values.)
  The t-test uses ``degf(b)`` degrees of freedom; ``svyttest`` would use one
  fewer (the residual df of its two-parameter svyglm);
* lonely PSUs: ``options(survey.lonely.psu = ...)`` with
  ``survey.adjust.domain.lonely = FALSE`` (its default).  One difference: with
  ``"fail"`` the error is raised up front when the data has any lonely stratum,
  where R raises only once a variance involves it.

How it stays fast
-----------------
All the sums the estimator needs are per-stratum aggregates.  For a stratum ``h``,
a domain ``d`` and a variable ``y`` let ``B`` be the number of rows in ``h`` and
``d`` with ``y`` observed, ``A`` the sum of ``y`` and ``Q`` the sum of ``y**2``
over them.  With ``u_i = w_h (y_i - est) / N_dom`` for those rows and ``0`` for
the other rows of the stratum::

    sum_i u_i               = S  = (w_h / N_dom) * (A - est B)
    sum_i u_i**2            = SS = (w_h / N_dom)**2 * (Q - 2 est A + est**2 B)
    sum_i (u_i - mean_h u)**2 = SS - S**2 / n_h

The complement ("rest of the base") sums are the whole-sample sums minus the
domain sums.  Rows are grouped into *cells* (stratum x pattern of domain
memberships; a few hundred or thousand in practice).  Each variable is summed per
cell in one pass over its rows (``np.bincount``; a factor's levels together, as
``svymean(~factor(x))``), and the cell sums are added up into (domain, stratum)
totals by a sparse product.  No array of rows x variables or rows x domains is
ever built: memory holds the design, the cell numbers and one variable at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse, special  # scipy.special, not scipy.stats: a third of the import time

__all__ = [
    "LONELY_PSU_POLICIES",
    "KINDS",
    "RESULT_COLUMNS",
    "LonelyPSUError",
    "estimate",
    "Level",
    "design_weights",
]

#: Values of ``lonely_psu``, as R's ``options(survey.lonely.psu = ...)``.
LONELY_PSU_POLICIES = ("fail", "certainty", "remove", "adjust", "average")

#: Values of ``kind``.
KINDS = ("proportion", "mean")

#: Columns of the frame :func:`estimate` returns, in order.
RESULT_COLUMNS = [
    "variable", "domain", "estimate", "se", "ci_low", "ci_high", "n", "pop_size",
    "df", "ci_method", "diff_rest", "se_diff", "p_rest", "significant", "deff",
]

#: Variables whose statistics are computed together (one block of arrays; each variable is
#: still summed in a pass of its own).
CHUNK_SIZE = 16

#: Most cells per grouping (see _Cells); their sums then stay in the CPU cache.
CELL_LIMIT = 16384

#: Rows per chunk of a sum of values (see _CellGroup.sums).
SUM_ROWS = 1 << 16

# onestrat(): ``if (all(f < 1e-07)) return(0)`` with f = (N_h - n_h) / N_h.
_FPC_ZERO = 1e-7


class LonelyPSUError(ValueError):
    """A stratum has a single respondent and ``lonely_psu="fail"`` was asked for.

    Mirrors R's ``Stratum (h) has only one PSU at stage 1`` error under
    ``options(survey.lonely.psu = "fail")``.
    """

    def __init__(self, strata: Sequence[object]):
        self.strata = list(strata)
        listed = ", ".join(repr(s) for s in self.strata)
        plural = "strata have" if len(self.strata) != 1 else "stratum has"
        super().__init__(
            f"{len(self.strata)} {plural} only one respondent (lonely PSU): {listed}. "
            "Its variance cannot be estimated with lonely_psu='fail'; set the option "
            "lonely_psu to 'adjust', 'average', 'certainty' or 'remove' "
            "(R: options(survey.lonely.psu = ...)) or merge the stratum with another."
        )


# --------------------------------------------------------------------------- design


@dataclass(frozen=True)
class _Design:
    """Per-stratum constants of ``svydesign(ids=~1, strata=~stratum, fpc=~N_h)``."""

    codes: np.ndarray  # stratum index of each row (intp)
    labels: np.ndarray  # stratum label of each index (object)
    n_h: np.ndarray  # respondents per stratum (float)
    N_h: np.ndarray  # population size per stratum
    w_h: np.ndarray  # design weight N_h / n_h
    scale_h: np.ndarray  # onestrat's scale: f n/(n-1) (n > 1), f (n == 1), 0 if f < 1e-7
    f_h: np.ndarray  # finite population correction (N_h - n_h) / N_h
    lonely_h: np.ndarray  # n_h == 1 and f >= 1e-7: handled by the lonely-PSU policy

    @property
    def n_strata(self) -> int:
        return len(self.labels)


def _build_design(data: pd.DataFrame, stratum: str, popsize: str) -> _Design:
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    for col, role in ((stratum, "stratum"), (popsize, "popsize")):
        if col not in data.columns:
            raise ValueError(f"{role} column {col!r} is not in the data")
        if isinstance(data[col], pd.DataFrame):
            raise ValueError(f"the data has more than one column named {col!r}")
    if len(data) == 0:
        raise ValueError("the data has no rows")

    codes, labels = pd.factorize(data[stratum], sort=False)
    if (codes < 0).any():
        raise ValueError(
            f"stratum column {stratum!r} has {(codes < 0).sum()} missing value(s); "
            "every respondent needs a stratum"
        )
    labels = np.asarray(labels, dtype=object)
    n_strata = len(labels)
    n_h = np.bincount(codes, minlength=n_strata).astype(np.float64)

    try:
        pop = data[popsize].to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"popsize column {popsize!r} is not numeric") from exc
    if not np.isfinite(pop).all() or (pop <= 0).any():
        bad = ~np.isfinite(pop) | (pop <= 0)
        raise ValueError(
            f"popsize column {popsize!r} must be a finite positive population size; "
            f"{bad.sum()} row(s) are missing, infinite or <= 0"
        )
    first = np.empty(n_strata, dtype=np.intp)
    first[codes] = np.arange(len(codes))  # any row of the stratum will do
    N_h = pop[first]
    varying = np.unique(codes[pop != N_h[codes]])
    if varying.size:
        raise ValueError(
            f"popsize column {popsize!r} is not constant within stratum/strata "
            f"{_list_labels(labels[varying])}; it must hold the stratum population size N_h"
        )
    over = np.flatnonzero(N_h < n_h)
    if over.size:
        detail = ", ".join(f"{labels[i]!r}: n_h={int(n_h[i])} > N_h={N_h[i]:g}" for i in over[:10])
        raise ValueError(
            f"popsize is smaller than the number of respondents in {over.size} stratum/strata "
            f"({detail}); R's svydesign stops with 'Over 100% sampling in some strata'"
        )

    f_h = (N_h - n_h) / N_h
    with np.errstate(divide="ignore", invalid="ignore"):
        scale_h = np.where(n_h > 1, f_h * n_h / (n_h - 1), f_h)
    zero = f_h < _FPC_ZERO
    scale_h = np.where(zero, 0.0, scale_h)
    lonely_h = lonely(n_h, N_h)
    return _Design(codes.astype(np.intp), labels, n_h, N_h, N_h / n_h, scale_h, f_h, lonely_h)


def lonely(n_h, N_h) -> np.ndarray:
    """Lonely strata, the one definition: a single respondent in a stratum that was not
    fully enumerated (with f = 1 the stratum has no sampling variance and is not lonely)."""
    n_h, N_h = np.asarray(n_h, dtype=np.float64), np.asarray(N_h, dtype=np.float64)
    return (n_h == 1) & ((N_h - n_h) / N_h >= _FPC_ZERO)


def design_summary(data: pd.DataFrame, *, stratum: str, popsize: str, by: list[str] = ()) -> pd.DataFrame:
    """Per stratum of the design: respondents n_h, population N_h, weight N_h/n_h, sampling
    fraction, whether it is lonely or fully enumerated; ``by`` columns carried along (their
    values joined when a stratum holds several, as a collapsed one does)."""
    d = _build_design(data, stratum, popsize)
    out = pd.DataFrame({"stratum": d.labels, "n_h": d.n_h.astype(int), "N_h": d.N_h, "weight": d.w_h,
                        "sampling_fraction": d.n_h / d.N_h, "lonely": d.lonely_h,
                        "fully_enumerated": d.f_h < _FPC_ZERO})
    for col in by:
        vals = data.groupby(data[stratum], sort=False)[col].agg(lambda s: " + ".join(dict.fromkeys(map(str, s))))
        out[col] = out["stratum"].map(vals).to_numpy()
    return out


def _list_labels(labels, limit: int = 10) -> str:
    labels = list(labels)
    text = ", ".join(repr(x) for x in labels[:limit])
    return text + (f" and {len(labels) - limit} more" if len(labels) > limit else "")


def design_weights(data: pd.DataFrame, *, stratum: str, popsize: str) -> pd.Series:
    """Design weights ``N_h / n_h`` per row (``weights(svydesign(...))`` in R).

    Validates the design columns exactly as :func:`estimate` does.
    """
    design = _build_design(data, stratum, popsize)
    return pd.Series(design.w_h[design.codes], index=data.index, name="weight")


# ----------------------------------------------------------------------- variance


def _stratified_variance(S: np.ndarray, SS: np.ndarray, present: np.ndarray,
                         design: _Design, lonely_psu: str) -> np.ndarray:
    """Linearisation variance from per-stratum sums of the influence function.

    ``S``, ``SS`` (sum and sum of squares of ``u`` over the stratum) and
    ``present`` (the stratum has at least one row in the subset design) have the
    strata on the last axis.  Mirrors ``onestage()``/``onestrat()`` of survey:

    * ``n_h > 1``: ``(1 - n_h/N_h) * n_h/(n_h-1) * sum_i (u_i - ubar_h)**2``,
      ``ubar_h`` over all ``n_h`` rows (rows outside the subset count as 0:
      ``onestrat`` pads the subset with zero rows up to ``nPSU``);
    * ``f_h < 1e-7`` (stratum fully enumerated): 0, before any lonely-PSU rule;
    * ``n_h == 1`` (lonely PSU) by ``lonely_psu``:
      ``certainty``/``remove``: 0 (R centres the single row at its own mean);
      ``adjust``: ``(1 - 1/N_h) * u_i**2`` (not centred, i.e. centred at the
      grand mean 0);
      ``average``: the stratum is left out and the sum of the others is
      multiplied by (strata in the subset) / (strata in the subset that are not
      lonely) - R's ``nstrat/nokstrat``.  Strata without rows in the subset are
      not counted, as R's ``tapply`` only sees the strata present.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = np.maximum(SS - S * S / design.n_h, 0.0)
        contrib = design.scale_h * centred
        lonely = design.lonely_h
        if lonely.any():
            if lonely_psu == "adjust":
                contrib = np.where(lonely, design.f_h * SS, contrib)
            else:  # certainty, remove, average (fail is refused up front)
                contrib = np.where(lonely, 0.0, contrib)
        var = contrib.sum(axis=-1)
        if lonely_psu == "average" and lonely.any():
            n_present = present.sum(axis=-1)
            n_ok = (present & ~lonely).sum(axis=-1)
            var = var * n_present / n_ok
    return var


# -------------------------------------------------------------------- aggregation


def _domain_masks(data: pd.DataFrame, domains: Mapping[str, object]) -> list[np.ndarray]:
    masks = []
    n = len(data)
    for name, mask in domains.items():
        if isinstance(mask, pd.Series):
            if len(mask) != n:
                raise ValueError(f"domain {name!r}: mask has {len(mask)} values, data has {n} rows")
            if not mask.index.equals(data.index):
                raise ValueError(f"domain {name!r}: the mask's index does not match the data's index")
            if mask.dtype == bool:
                arr = mask.to_numpy()
            elif isinstance(mask.dtype, pd.BooleanDtype):
                # subset.survey.design(): r <- r & !is.na(r)
                arr = mask.fillna(False).to_numpy(dtype=bool)
            else:
                raise ValueError(f"domain {name!r}: mask must be boolean, not {mask.dtype}")
        else:
            arr = np.asarray(mask)
            if arr.dtype != bool:
                raise ValueError(f"domain {name!r}: mask must be boolean, not {arr.dtype}")
            if arr.shape != (n,):
                raise ValueError(f"domain {name!r}: mask has shape {arr.shape}, data has {n} rows")
        masks.append(arr)
    return masks


@dataclass(frozen=True)
class _CellGroup:
    """Rows grouped into cells of equal stratum and membership of ``domains``.

    ``cell`` is each row's cell number (``0 .. n_cells - 1``).  ``to_domain`` adds
    cells up into (domain, stratum) totals: a sparse ``len(domains) * n_strata`` x
    cells 0/1 matrix.  Domain number ``n_domains`` stands for the whole sample (the
    "base").
    """

    domains: list[int]
    n_cells: int
    cell: np.ndarray
    to_domain: sparse.csr_matrix

    def states(self, state: np.ndarray, n_states: int) -> np.ndarray:
        """(cells x n_states) counts of the rows in each state (0 <= ``state`` < n_states),
        a chunk of :data:`SUM_ROWS` rows at a time (the index temporaries stay small)."""
        counts = np.zeros(self.n_cells * n_states, dtype=np.int64)
        for start in range(0, len(self.cell), SUM_ROWS):
            stop = start + SUM_ROWS
            index = self.cell[start:stop] * n_states
            index += state[start:stop]
            counts += np.bincount(index, minlength=self.n_cells * n_states)
        return counts.reshape(self.n_cells, n_states)

    def sums(self, weights: np.ndarray) -> np.ndarray:
        """Per-cell sums of ``weights``, added up over row chunks of :data:`SUM_ROWS`: a
        sum runs over a chunk's rows of a cell and then over the chunks, so its rounding
        error does not grow with the number of rows as one running sum's does."""
        total = np.zeros(self.n_cells)
        for start in range(0, len(self.cell), SUM_ROWS):
            stop = start + SUM_ROWS
            total += np.bincount(self.cell[start:stop], weights=weights[start:stop], minlength=self.n_cells)
        return total


@dataclass(frozen=True)
class _Cells:
    """One or more :class:`_CellGroup`.

    Normally all domains share one grouping.  When the domains cut the sample
    into so many cells that grouping saves nothing (many independent row-level
    domains), they are split into several groupings of at most
    :data:`CELL_LIMIT` cells each.
    """

    groups: list[_CellGroup]


def _pattern_codes(codes: np.ndarray, masks: list[np.ndarray]) -> tuple[np.ndarray, int]:
    """Number the (stratum, membership pattern) combinations, stratum by stratum."""
    key = codes.astype(np.int64)
    bound = int(codes.max()) + 1 if len(codes) else 1  # key < bound
    for m in masks:
        if bound >= 2**61:
            key, uniq = pd.factorize(key, sort=True)
            key = key.astype(np.int64, copy=False)
            bound = len(uniq)
        key <<= 1  # key * 2 + m, in place
        key |= m
        bound *= 2
    cell, uniq = pd.factorize(key, sort=True)
    return cell, len(uniq)


def _cells(design: _Design, masks: list[np.ndarray]) -> _Cells:
    D = len(masks)
    limit = CELL_LIMIT
    cell, n_cells = _pattern_codes(design.codes, masks)
    if n_cells <= limit:
        plan = [(list(range(D)) + [D], cell, n_cells)]
    else:  # greedy: add domains to a grouping while it stays under the limit
        plan, current, key = [], [], design.codes
        for d, m in enumerate(masks):
            cand, n_cand = _pattern_codes(key, [m])
            if current and n_cand > limit:
                plan.append((current, key, int(key.max()) + 1))
                current = []
                cand, n_cand = _pattern_codes(design.codes, [m])
            current.append(d)
            key = cand
        plan.append((current, key, int(key.max()) + 1))
        plan[0][0].append(D)  # the base comes with the first grouping
    return _Cells([_cell_group(design, masks, doms, cell, n_cells) for doms, cell, n_cells in plan])


def _cell_group(design: _Design, masks: list[np.ndarray], domains: list[int],
                cell: np.ndarray, n_cells: int) -> _CellGroup:
    n = len(cell)
    rep = np.empty(n_cells, dtype=np.intp)
    rep[cell] = np.arange(n)  # any row of a cell represents its stratum and pattern
    cell_stratum = design.codes[rep]
    H = design.n_strata
    r_idx, c_idx = [], []
    for pos, d in enumerate(domains):
        inside = np.flatnonzero(masks[d][rep]) if d < len(masks) else np.arange(n_cells)
        r_idx.append(pos * H + cell_stratum[inside])
        c_idx.append(inside)
    r_idx = np.concatenate(r_idx)
    c_idx = np.concatenate(c_idx)
    to_domain = sparse.csr_matrix(
        (np.ones(len(r_idx)), (r_idx, c_idx)), shape=(len(domains) * H, n_cells)
    )
    return _CellGroup(domains, n_cells, np.asarray(cell, dtype=np.intp), to_domain)


def _column_values(data: pd.DataFrame, name: str) -> np.ndarray:
    """Column ``name`` as a float64 array (a view where possible), missing as NaN."""
    col = data[name]
    if isinstance(col, pd.DataFrame):
        raise ValueError(f"the data has more than one column named {name!r}")
    if isinstance(col.dtype, np.dtype) and col.dtype.kind == "f":
        return col.to_numpy()  # float32 stays float32 (no copy); cells are summed in float64
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iub":
        return np.asarray(col.to_numpy(), dtype=np.float64)
    try:
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"variable {name!r} is not numeric ({col.dtype})") from exc


@dataclass(frozen=True)
class Level:
    """A proportion that is one level of a factor, as ``svymean(~factor(x))`` in R
    estimates every level of ``x`` at once: 1 where the factor's code is ``level``,
    0 at its other observed codes, missing where the code is negative.

    ``codes`` returns one integer code per row (-1 for missing; a code that is no
    estimated level still counts as observed).  Pass a ``Level`` instead of a
    function in ``values`` of :func:`estimate`: the levels of one ``factor`` are then
    counted in a single pass over the rows, and ``codes`` is called once for the
    levels that follow each other in ``variables``.
    """

    factor: str
    codes: Callable[[], np.ndarray]
    level: int


class _Factors:
    """Per-cell counts of each code of the factor last asked for (one factor at a time)."""

    def __init__(self, cells: _Cells, n: int):
        self.cells, self.n = cells, n
        self.key, self.counts = None, None

    def counts_of(self, lv: Level) -> list[np.ndarray]:
        if self.key != (lv.factor, lv.codes):
            codes = np.asarray(lv.codes())
            if codes.shape != (self.n,) or codes.dtype.kind not in "iu":
                raise ValueError(f"factor {lv.factor!r}: codes must be {self.n} integers, "
                                 f"not {codes.dtype} of shape {codes.shape}")
            low, high = (int(codes.min()), int(codes.max())) if len(codes) else (0, 0)
            if low < -1:
                raise ValueError(f"factor {lv.factor!r}: code {low}; codes are >= 0, or -1 for missing")
            wide = codes.dtype if high < np.iinfo(codes.dtype).max else np.dtype(np.intp)
            state = codes.astype(wide, copy=False) + wide.type(1)  # 0 = missing
            self.counts = [g.states(state, high + 2) for g in self.cells.groups]
            self.key = (lv.factor, lv.codes)
        return self.counts


def _provided(values: Mapping[str, Callable[[], np.ndarray] | Level], name: str, n: int):
    """A variable computed on demand: a float array of one value per row (missing as
    NaN), or a :class:`Level` of a factor."""
    source = values[name]
    if isinstance(source, Level):
        return source
    arr = np.asarray(source())
    if arr.shape != (n,):
        raise ValueError(f"variable {name!r}: {arr.shape} values for {n} rows")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def _shift(values: np.ndarray) -> float:
    """A centring constant near the mean of the observed values (any constant is
    exact; one near the data keeps the sums of squares precise)."""
    step = max(1, len(values) // 100_000)
    sample = values[::step]
    observed = sample[~np.isnan(sample)]
    if observed.size == 0:
        observed = values[~np.isnan(values)]
    return float(observed.mean()) if observed.size else 0.0


def _aggregate(column, names: list[str], kind: str, cells: _Cells,
               n_domains: int, n_strata: int, factors: _Factors):
    """Per (domain, stratum, variable): counts B, sums A and sums of squares Q.

    Every variable is first summed per cell (one pass over its rows): a proportion
    by counting its rows per (cell, value) with ``np.bincount`` (value 0, 1 or
    missing; a factor's levels all at once), a mean by summing its observed
    indicator, its values and their squares per cell.  The cell sums are then added
    up into (domain, stratum) totals by a sparse product.

    For means the values are shifted by a constant near their mean first
    (returned as ``shift``): variances do not change and the sums of squares
    keep their precision.  For proportions the values must be 0/1, so Q = A.
    """
    k = len(names)
    is_mean = kind == "mean"
    n_stats = 3 if is_mean else 2
    shift = np.zeros(k)
    accs = [np.zeros((g.n_cells, n_stats * k)) for g in cells.groups]
    for j, name in enumerate(names):
        col = column(name)
        if isinstance(col, Level):
            for acc, counts in zip(accs, factors.counts_of(col)):
                acc[:, j] = counts[:, 1:].sum(axis=1)
                if 0 <= col.level < counts.shape[1] - 1:
                    acc[:, k + j] = counts[:, col.level + 1]
            continue
        miss = np.isnan(col)
        if is_mean:
            if np.isinf(col).any():
                raise ValueError(f"variable {name!r} has infinite values")
            shift[j] = _shift(col)
            y = np.where(miss, 0.0, col - shift[j])
            observed = np.logical_not(miss).astype(np.float64)
            for acc, g in zip(accs, cells.groups):
                acc[:, j], acc[:, k + j], acc[:, 2 * k + j] = g.sums(observed), g.sums(y), g.sums(y * y)
            continue
        one = col == 1.0
        state = miss.view(np.uint8) << np.uint8(1)
        state |= one.view(np.uint8)  # 0, 1, or 2 = missing
        for acc, g in zip(accs, cells.groups):
            counts = g.states(state, 3)
            acc[:, j], acc[:, k + j] = counts[:, 0] + counts[:, 1], counts[:, 1]
        if np.count_nonzero(one) + np.count_nonzero(col == 0.0) + np.count_nonzero(miss) != len(col):
            _raise_not_binary(col, name)
    H = n_strata
    if len(cells.groups) == 1:
        agg = cells.groups[0].to_domain @ accs[0]  # ((D+1)*H) x (2|3 k)
    else:
        agg = np.empty(((n_domains + 1) * H, n_stats * k))
        for group, acc in zip(cells.groups, accs):
            rows = (np.asarray(group.domains)[:, None] * H + np.arange(H)).ravel()
            agg[rows] = group.to_domain @ acc
    agg = agg.reshape(n_domains + 1, n_strata, n_stats, k).transpose(2, 0, 3, 1)  # (2|3, D+1, k, H)
    B, A = agg[0], agg[1]
    Q = agg[2] if is_mean else A
    return B, A, Q, shift


def _raise_not_binary(values: np.ndarray, name: str) -> None:
    bad = ~(np.isnan(values) | (values == 0.0) | (values == 1.0))
    examples = np.unique(values[bad])[:5].tolist()
    raise ValueError(
        f"variable {name!r} is estimated as a proportion but has values other than "
        f"0, 1 and missing (e.g. {examples}); use kind='mean' or recode it"
    )


# ----------------------------------------------------------------------- estimates


@dataclass
class _Moments:
    """Ratio mean and influence-function sums of one set of subsets (last axis = strata)."""

    B: np.ndarray
    est: np.ndarray  # shifted scale
    S: np.ndarray
    SS: np.ndarray
    n: np.ndarray
    pop: np.ndarray


# Relative size below which a centred sum of squares is rounding error, not spread: R
# centres every value (exactly 0 for a constant y), we expand sum (y - e)^2 =
# Q - 2eA + e^2 B, whose cancellation leaves about 1e-16 of its terms.
_CENTRED_ZERO = 1e-12


def _centred(B, A, Q, e):
    """sum (y - e)**2 from the counts, sums and sums of squares; 0 where it is only the
    rounding error of the expansion (a constant y, as R's centred sum gives exactly)."""
    c = Q - 2.0 * e * A + e * e * B
    return np.where(c > _CENTRED_ZERO * (np.abs(Q) + e * e * B), c, 0.0)


def _moments(B, A, Q, w_h) -> _Moments:
    """``svymean``'s ratio estimate and ``u_i = w_i (y_i - est) / N_hat``, summed per stratum."""
    with np.errstate(invalid="ignore", divide="ignore"):
        pop = (B * w_h).sum(axis=-1)
        est = (A * w_h).sum(axis=-1) / pop
        g = w_h / pop[..., None]
        e = est[..., None]
        S = g * (A - e * B)
        SS = g * g * _centred(B, A, Q, e)
    return _Moments(B, est, S, SS, B.sum(axis=-1), pop)


def _deff(dom: _Moments, A, Q, w_h, var) -> np.ndarray:
    """``deff(svymean(~y, subset(d, dom), na.rm = TRUE, deff = TRUE))``: the design variance
    over ``vsrs = svyvar(~y) * (N_hat - n) / (N_hat * n)``, the variance of the mean under
    simple random sampling without replacement of the domain base's ``n`` respondents from
    ``N_hat`` (the sum of their weights), where ``svyvar = n / (n - 1) * sum_i w_i (y_i -
    est)**2 / N_hat``.  NaN where ``vsrs`` is 0 or undefined (n < 2, a constant ``y``, or a
    base that is its whole population), where R returns NaN or Inf."""
    with np.errstate(invalid="ignore", divide="ignore"):
        e = dom.est[..., None]
        ssq = (w_h * _centred(dom.B, A, Q, e)).sum(axis=-1)  # sum_i w_i (y_i - est)^2
        n, pop = dom.n, dom.pop
        vsrs = ssq / pop * n / (n - 1.0) * (pop - n) / (pop * n)
        return np.where((n > 1) & (vsrs > 0), var / vsrs, np.nan)


def _t_quantile(level: float, df: np.ndarray) -> np.ndarray:
    dfv = np.where(df > 0, df, np.nan).astype(np.float64)
    return special.stdtrit(dfv, 1.0 - (1.0 - level) / 2.0)  # = stats.t.ppf


def estimate(data: pd.DataFrame, *, stratum: str, popsize: str,
             variables: list[str], domains: dict[str, np.ndarray | pd.Series],
             kind: str = "proportion", lonely_psu: str = "adjust",
             level: float = 0.95,
             values: Mapping[str, Callable[[], np.ndarray] | Level] | None = None) -> pd.DataFrame:
    """Estimate means or proportions of ``variables`` in each of ``domains``.

    Parameters
    ----------
    data
        One row per respondent.
    stratum
        Column with the stratum of each row (any hashable values, no missing).
    popsize
        Column with the stratum population size ``N_h`` (constant within a stratum,
        at least the number of respondents ``n_h`` in it).  ``n_h`` is counted from
        ``data``: all rows of the stratum, whatever the variable or domain.
    variables
        Numeric columns.  Missing (NaN/NA) means "not in the base for this
        variable" (item non-response, routed out), as ``na.rm = TRUE`` in R.  For
        ``kind="proportion"`` the observed values must be 0/1.
    domains
        Name -> boolean mask over the rows (a NumPy array, or a Series on the
        data's index; NA in a nullable boolean Series counts as False, as in R's
        ``subset``).  A domain is a subset of the design, as R's
        ``subset(design, ...)``/``svyby``: strata keep their full ``n_h`` and
        ``N_h`` in the variance, which is *not* what re-running the design on the
        filtered rows gives.
    kind
        ``"proportion"`` (logit confidence interval) or ``"mean"`` (t interval).
    lonely_psu
        What to do with a stratum of a single respondent, one of
        :data:`LONELY_PSU_POLICIES` (R's ``options(survey.lonely.psu=)``).  With
        ``"fail"`` a :class:`LonelyPSUError` is raised up front if the data has
        any such stratum (R raises only when a variance touches it).
    level
        Confidence level of the intervals; ``significant`` is ``p_rest < 1 - level``.
    values
        Optional: name -> a function returning that variable's values (one per row of
        ``data``), called once, when its block of :data:`CHUNK_SIZE` variables is
        summed. Then ``data`` needs only the design columns and the rows x variables
        matrix is never built: memory holds one variable at a time.  A proportion may
        be given as a :class:`Level` of a factor instead of a function: its levels are
        counted together.

    Returns
    -------
    pandas.DataFrame
        One row per (variable, domain), variables in the given order and domains
        in the given order within each, with the columns :data:`RESULT_COLUMNS`:

        ``estimate``, ``se``
            ``svymean(~y, subset(design, domain), na.rm=TRUE)``: the weighted
            mean over the domain rows with ``y`` observed and its linearisation
            standard error.
        ``ci_low``, ``ci_high``, ``ci_method``
            Proportions strictly between 0 and 1: ``svyciprop(method="logit")``,
            ``expit(logit(p) -/+ t * se / (p (1 - p)))``.  Proportions of exactly
            0 or 1 (where the logit interval degenerates to a point):
            Clopper-Pearson on the unweighted count and ``n`` (R's
            ``binom.test``), ``ci_method="clopper-pearson"``.  Means:
            ``est -/+ t * se`` (``"t"``).  ``t`` is the t quantile on ``df``; the
            bounds are NaN when ``df <= 0``.  ``ci_method="none"`` for an empty
            domain.
        ``n``
            Respondents in the domain with ``y`` observed (unweighted).
        ``pop_size``
            Sum of their weights: the estimated population size of the domain base.
        ``df``
            ``degf()`` of that subset design: ``n`` minus the strata it touches.
        ``diff_rest``, ``se_diff``, ``p_rest``, ``significant``
            Domain estimate minus the estimate for the rest of the base (rows
            outside the domain with ``y`` observed); the standard error of the
            difference from the influence function ``u_domain - u_rest`` on the
            design restricted to the base (``svyglm(y ~ in_domain,
            subset(design, !is.na(y)))``, or ``svyby(covmat=TRUE)`` +
            ``svycontrast``); the two-sided t-test p-value on the base design's
            ``degf()``.  NaN (``significant`` False) when the domain or the rest
            is empty, e.g. for a domain covering everyone.
        ``deff``
            ``deff(svymean(~y, subset(design, domain), na.rm=TRUE, deff=TRUE))``:
            the variance against that of a simple random sample without
            replacement of the same size (see :func:`_deff`).
    """
    if lonely_psu not in LONELY_PSU_POLICIES:
        raise ValueError(f"unknown lonely_psu policy {lonely_psu!r}; use one of {LONELY_PSU_POLICIES}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {KINDS}")
    if not isinstance(level, (int, float)) or not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be between 0 and 1 (exclusive), not {level!r}")
    level = float(level)
    if isinstance(variables, str):
        raise ValueError("variables must be a list of column names, not a single string")
    variables = list(variables)
    missing = [v for v in variables if v not in (data.columns if values is None else values)]
    if missing:
        raise ValueError(f"variable column(s) not in the data: {missing}")
    dupes = sorted({v for v in variables if variables.count(v) > 1})
    if dupes:
        raise ValueError(f"variables listed more than once: {dupes}")
    if not isinstance(domains, Mapping):
        raise ValueError("domains must be a mapping of name -> boolean mask")
    if values is not None and kind != "proportion":
        levels = [v for v in variables if isinstance(values[v], Level)]
        if levels:
            raise ValueError(f"variable(s) {levels} are levels of a factor: only kind='proportion' estimates them")

    design = _build_design(data, stratum, popsize)
    masks = _domain_masks(data, domains)
    if lonely_psu == "fail" and design.lonely_h.any():
        raise LonelyPSUError(design.labels[design.lonely_h].tolist())
    if not variables or not masks:
        return pd.DataFrame({c: [] for c in RESULT_COLUMNS})

    cells = _cells(design, masks)
    factors = _Factors(cells, len(data))
    H, D = design.n_strata, len(masks)

    def column(name: str) -> np.ndarray:
        return _column_values(data, name) if values is None else _provided(values, name, len(data))
    parts = [
        _estimate_block(column, variables[i:i + CHUNK_SIZE], kind, lonely_psu, level, design,
                        cells, factors, D, H)
        for i in range(0, len(variables), CHUNK_SIZE)
    ]
    cols = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
    out = pd.DataFrame({
        "variable": np.repeat(np.asarray(variables, dtype=object), D),
        "domain": np.tile(np.asarray(list(domains.keys()), dtype=object), len(variables)),
        **cols,
    })
    return out[RESULT_COLUMNS]


def _estimate_block(column, names, kind, lonely_psu, level, design, cells, factors, D, H):
    """All statistics for a block of variables; arrays are (variables, domains) then raveled."""
    B, A, Q, shift = _aggregate(column, names, kind, cells, D, H, factors)
    w = design.w_h

    dom = _moments(B[:D], A[:D], Q[:D], w)  # (D, k, H)
    var = _stratified_variance(dom.S, dom.SS, dom.B > 0, design, lonely_psu)
    se = np.sqrt(var)
    est = dom.est + shift
    n = dom.n
    df = n - (dom.B > 0).sum(axis=-1)
    deff = _deff(dom, A[:D], Q[:D], w, var)

    # ---- confidence intervals
    q = _t_quantile(level, df)
    ci_low = np.full(est.shape, np.nan)
    ci_high = np.full(est.shape, np.nan)
    method = np.full(est.shape, "none", dtype=object)
    has = n > 0
    if kind == "mean":
        ci_low = est - q * se
        ci_high = est + q * se
        method[has] = "t"
    else:
        ones = A[:D].sum(axis=-1)  # unweighted count of 1s (exact: integer sums)
        zero = has & (ones == 0)
        full = has & (ones == n)
        inner = has & ~zero & ~full
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.where(inner, est, 0.5)
            half = q * se / (p * (1.0 - p))
            ci_low = np.where(inner, special.expit(special.logit(p) - half), np.nan)
            ci_high = np.where(inner, special.expit(special.logit(p) + half), np.nan)
        alpha = 1.0 - level
        nn = np.where(has, n, 1.0)
        # binom.test(): x = 0 -> [0, qbeta(1 - a/2, 1, n)]; x = n -> [qbeta(a/2, n, 1), 1]
        ci_low = np.where(zero, 0.0, ci_low)
        ci_high = np.where(zero, special.betaincinv(1.0, nn, 1.0 - alpha / 2.0), ci_high)  # = stats.beta.ppf
        ci_low = np.where(full, special.betaincinv(nn, 1.0, alpha / 2.0), ci_low)
        ci_high = np.where(full, 1.0, ci_high)
        method[inner] = "logit"
        method[zero | full] = "clopper-pearson"

    # ---- domain versus the rest of the base
    Bb, Ab, Qb = B[D], A[D], Q[D]  # (k, H) whole base
    rest = _moments(Bb - B[:D], Ab - A[:D], Qb - Q[:D], w)
    S_diff = dom.S - rest.S
    SS_diff = dom.SS + rest.SS
    present = np.broadcast_to(Bb > 0, S_diff.shape)
    var_diff = _stratified_variance(S_diff, SS_diff, present, design, lonely_psu)
    defined = (n > 0) & (rest.n > 0)
    diff = np.where(defined, dom.est - rest.est, np.nan)
    se_diff = np.where(defined, np.sqrt(var_diff), np.nan)
    df_base = Bb.sum(axis=-1) - (Bb > 0).sum(axis=-1)  # (k,)
    df_base = np.broadcast_to(df_base, diff.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.abs(diff) / se_diff
        p_rest = 2.0 * special.stdtr(np.where(df_base > 0, df_base, np.nan), -t)  # = stats.t.sf(t, df)
    p_rest = np.where(defined, p_rest, np.nan)
    significant = np.where(np.isnan(p_rest), False, p_rest < 1.0 - level)

    def flat(x):  # (D, k) -> variable-major, domain-minor
        return np.ascontiguousarray(np.asarray(x).T).ravel()

    return {
        "estimate": flat(est),
        "se": flat(se),
        "ci_low": flat(ci_low),
        "ci_high": flat(ci_high),
        "n": flat(n).astype(np.int64),
        "pop_size": flat(dom.pop),
        "df": flat(df).astype(np.int64),
        "ci_method": flat(method),
        "diff_rest": flat(diff),
        "se_diff": flat(se_diff),
        "p_rest": flat(p_rest),
        "significant": flat(significant).astype(bool),
        "deff": flat(deff),
    }
