"""Estimate: every indicator in every domain, design-based, in long form.

Indicators come from the codebook (every answer category of every single-choice
item in the AI blocks, every option of the multiple-choice blocks, the mean of
every percentage item) plus the derived ones declared in config/spec.yaml
(``derived:``: adoption, the number of technologies used, adoption potential, ...). Denominators follow the
questionnaire's routing: an item's base is the usable responses that answered
it; a multiple-choice option's base is the respondents to its block.

Domains: all enterprises, each sector group, each size class, adopters and
non-adopters, and size class and sector within adopters (the comparisons the
report makes). The statistics are those of :mod:`aibarometer.survey`.

Reliability flags and significance: :mod:`aibarometer.precision` (NCHS standards for
proportions, the CV rule for means; Benjamini-Hochberg q-values over all domain-versus-rest
tests of the wave, ``q_value``; ``significant`` = q below alpha for an unflagged estimate).
Flagged cells are marked in tables, figures, the workbook and the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import Codebook, config_file
from .domains import ESTIMATES_COLUMNS, Domain
from .errors import Fault, InputError
from .indicators import makers as derived_makers
from .precision import reliability, significance
from .survey import Level, LonelyPSUError
from .survey import estimate as survey_estimate



@dataclass(frozen=True)
class Indicator:
    column: str  # name of the column in the indicator matrix
    indicator: str  # codebook var or derived name
    category: str
    category_label: str
    block: str
    kind: str  # proportion | mean


@dataclass(frozen=True)
class Answers:
    """An item's answers as the clean stage stored them: integer codes (any value where
    the answer is missing) and where it is missing. Kept so, a 1,000x wave holds two
    bytes a row per item, and factor codes are one table lookup."""

    values: np.ndarray  # integer codes as stored
    missing: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.values)

    def as_float(self) -> np.ndarray:
        out = self.values.astype(np.float32)  # answer codes are small integers: exact
        out[self.missing] = np.nan
        return out


def _num(s) -> np.ndarray:
    """A column as a float array with NaN for missing: float32 stays float32 (answer codes
    and 0/1 are exact in it), float64 stays float64 (a mean's values), the rest float64."""
    if isinstance(s, Answers):
        return s.as_float()
    if isinstance(s, np.ndarray) and s.dtype.kind == "f":
        return s
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _missing(s) -> np.ndarray:
    return s.missing if isinstance(s, Answers) else np.isnan(_num(s))


def factor_level(code: int, codes: list) -> int:
    """The factor code (see :func:`factor_codes`) of answer ``code`` of an item with ``codes``."""
    return int(code) - min(codes) + 1


def factor_codes(col, codes: list) -> np.ndarray:
    """An answer column as factor codes: ``answer - min(codes) + 1`` for an answer in the
    range of ``codes``, -1 where it is missing, 0 or another code that is no level
    (``factor_level`` of none of the codes) for an answer that is none of them: answered,
    so in the base, but in no category."""
    lo, hi = min(codes), max(codes)
    small = hi - lo + 3 <= 127  # every code and the two "other" codes fit in int8
    if isinstance(col, Answers) and col.values.dtype == np.int8 and small and lo - 1 >= -128 and hi + 1 <= 127:
        # elementwise int8 arithmetic only (no lookup, no masked assignment: no branch per row)
        out = np.clip(col.values, np.int8(lo - 1), np.int8(hi + 1))
        out -= np.int8(lo - 1)  # lo - 1 (below the range) -> 0, hi + 1 (above it) -> hi - lo + 2
        out += np.int8(1)
        out *= ~col.missing
        out -= np.int8(1)
        return out
    x = _num(col)
    out = np.zeros(len(x), dtype=np.int8 if small else np.int64)
    for code in codes:
        out[x == code] = factor_level(code, codes)
    out[np.isnan(x)] = -1
    return out


def _columns(df) -> dict:
    """Column access for a DataFrame or a mapping of arrays (the stage passes arrays to save memory)."""
    return {c: df[c] for c in df.columns} if isinstance(df, pd.DataFrame) else dict(df)


def block_base(df, codebook: Codebook, block: str) -> np.ndarray:
    """Respondents to a block: answered at least one of its items."""
    cols = _columns(df)
    base = None
    for i in codebook.block_items(block):
        if i.var in cols:
            answered = ~_missing(cols[i.var])
            base = answered if base is None else base | answered
    return base if base is not None else np.zeros(len(next(iter(cols.values()))), bool)


def block_bases(df, codebook: Codebook) -> dict[str, np.ndarray]:
    return {b: block_base(df, codebook, b) for b in codebook.ai_blocks}


def indicator_columns(df, codebook: Codebook, bases: dict | None = None) -> tuple[list[Indicator], dict]:
    """Every indicator and the function computing its column (0/1 or a value, NaN outside
    the base). The columns are computed when the estimator needs them, a block at a
    time, so the rows x indicators matrix is never held in memory."""
    cols = _columns(df)
    specs: list[Indicator] = []
    makers: dict = {}

    def add(indicator, category, label, block, kind, fn):
        spec = Indicator(f"{indicator}={category}", indicator, str(category), label, block, kind)
        specs.append(spec)
        makers[spec.column] = fn

    num = {}

    def x_of(var):  # each item converted once
        if var not in num:
            num[var] = _num(cols[var])
        return num[var]

    bases = bases if bases is not None else block_bases(cols, codebook)
    for item in codebook.ai_items:
        v = item.var
        if item.type == "single":  # a factor: all its categories counted in one pass (survey.Level)
            of_item = (lambda v=v, codes=list(item.codes): factor_codes(cols[v], codes))
            for code, label in item.codes.items():
                add(v, code, label, item.block, "proportion", Level(v, of_item, factor_level(code, list(item.codes))))
        elif item.type == "multi":
            add(v, 1, item.label, item.block, "proportion",
                lambda v=v, b=item.block: np.where(bases[b], x_of(v) == 1, np.float32(np.nan)))
        elif item.type == "percentage":
            add(v, "mean", "Gemiddelde (%)", item.block, "mean", lambda v=v: x_of(v))
            cond = item.condition
            if cond and len(cond["in"]) > 1:  # e.g. the size of a decrease and of an increase separately
                codes = codebook.by_var[cond["var"]].codes
                for code in cond["in"]:
                    add(v, f"mean_when_{code}", f"Gemiddelde (%) bij '{codes[code]}'", item.block, "mean",
                        lambda v=v, c=cond["var"], code=code: np.where(x_of(c) == code, x_of(v), np.nan))

    # derived indicators, as declared in config/spec.yaml (aibarometer.indicators)
    for d in codebook.derived.values():
        for cat, fn in derived_makers(d, x_of, bases):
            add(d.name, cat.code, cat.label, d.block, "proportion", fn)
    return specs, makers


def build_indicators(df, codebook: Codebook, bases: dict | None = None) -> tuple[pd.DataFrame, list[Indicator]]:
    """The indicator matrix itself (rows x indicators), for inspection and tests."""
    specs, makers = indicator_columns(df, codebook, bases)
    def column(fn):
        if isinstance(fn, Level):  # the factor as the 0/1/NaN indicator of its level
            codes = fn.codes()
            return np.where(codes < 0, np.nan, codes == fn.level)
        return fn()
    return pd.DataFrame({s.column: column(makers[s.column]) for s in specs}), specs


def _codes(values, categories: list[str]) -> np.ndarray:
    """Positions of the values in ``categories`` (-1 elsewhere): a categorical column is
    recoded without touching its strings."""
    return pd.Categorical(values, categories=categories).codes


def build_domains(df, sector_codes: list[str], size_codes: list[str]) -> pd.DataFrame:
    """Domain definitions (:class:`aibarometer.domains.Domain`): name, type, value and the boolean mask."""
    cols = _columns(df)
    sector, size = _codes(cols["sector"], sector_codes), _codes(cols["size_class"], size_codes)
    # adopter is missing for a firm that left the technology question open: in neither domain
    status = pd.array(cols["adopter"], dtype="boolean")
    adopter = status.fillna(False).to_numpy(dtype=bool)
    non_adopter = (~status).fillna(False).to_numpy(dtype=bool)
    masks = [(Domain("all"), np.ones(len(sector), bool))]
    masks += [(Domain("sector", s), sector == k) for k, s in enumerate(sector_codes)]
    masks += [(Domain("size", c), size == k) for k, c in enumerate(size_codes)]
    # Eurostat's ICT survey covers enterprises with 10+ employees: the comparable population
    masks.append((Domain("eurostat", "10+"), size != 0))
    masks += [(Domain("adopter", "yes"), adopter), (Domain("adopter", "no"), non_adopter)]
    masks += [(Domain("adopter_size", c), adopter & (size == k)) for k, c in enumerate(size_codes)]
    masks += [(Domain("adopter_sector", s), adopter & (sector == k)) for k, s in enumerate(sector_codes)]
    return pd.DataFrame([(d.name, d.type, d.value, m) for d, m in masks],
                        columns=["domain", "domain_type", "domain_value", "mask"])


def estimate_all(df: pd.DataFrame, codebook: Codebook, sector_codes: list[str], size_codes: list[str],
                 params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = _columns(df)
    masks_by_block = block_bases(cols, codebook)
    specs, values = indicator_columns(cols, codebook, masks_by_block)
    domains = build_domains(cols, sector_codes, size_codes)
    data = pd.DataFrame({"stratum": cols["stratum"], "N_h": cols["N_h"]})
    if isinstance(df, pd.DataFrame):
        data.index = df.index
    masks = dict(zip(domains["domain"], domains["mask"]))
    parts = []
    for kind in ("proportion", "mean"):
        names = [s.column for s in specs if s.kind == kind]
        if names:
            parts.append(survey_estimate(data, stratum="stratum", popsize="N_h", variables=names, domains=masks,
                                         kind=kind, lonely_psu=params["lonely_psu"], level=params["confidence_level"],
                                         values=values))
    est = pd.concat(parts, ignore_index=True)
    meta = pd.DataFrame([s.__dict__ for s in specs]).rename(columns={"column": "variable"})
    est = meta.merge(est, on="variable", how="right")
    est = est.merge(domains.drop(columns="mask"), on="domain", how="left")
    est["flag"] = reliability(est, params["reliability"], params["confidence_level"])
    # Every domain-versus-rest test of the wave is one family: Benjamini-Hochberg q-values over
    # the tests that can be reported (a suppressed estimate is not published; a domain whose own
    # standard error is zero, a share of exactly 0% or 100%, has a degenerate variance: no
    # evidence), and "significant" is q below alpha, for an estimate without a reliability flag.
    eligible = (est["flag"] != "suppressed") & (est["se"] > 0) & np.isfinite(est["p_rest"])
    est["q_value"], sig = significance(est["p_rest"], eligible, 1 - params["confidence_level"])
    est["significant"] = sig & (est["flag"] == "")
    order = ESTIMATES_COLUMNS
    est = est[order]
    bases = pd.DataFrame([
        {"block": b, "label": codebook.blocks[b], "n": int(base.sum())} for b, base in masks_by_block.items()])
    return est, bases


def read_for_estimation(path, codebook: Codebook) -> dict:
    """The columns estimation needs, in compact form: stratum, sector and size class as
    categoricals (codes, never Python strings), integer answer codes as :class:`Answers`
    (other answer columns as float32, exact for small integers), the values of
    percentage questions as float64 (they enter means)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from . import contracts as c

    names = set(pq.read_schema(path).names)
    c.require(names, c.CLEAN_RESPONSES, path, "clean")
    pf = pq.ParquetFile(path, read_dictionary=["stratum", "sector", "size_class"])
    out = {}
    for k in ("stratum", "sector", "size_class"):
        col = pf.read(columns=[k]).column(0).combine_chunks()
        if not pa.types.is_dictionary(col.type):  # stored as something else than strings
            col = pc.dictionary_encode(col)
        out[k] = pd.Categorical.from_codes(col.indices.to_numpy(zero_copy_only=False).astype(np.int16),
                                           categories=col.dictionary.to_pylist())
    out["N_h"] = pf.read(columns=["N_h"]).column(0).to_numpy().astype(np.float64, copy=False)
    out["adopter"] = pf.read(columns=["adopter"]).column(0).to_numpy(zero_copy_only=False)
    items = [i for i in codebook.ai_items if i.var in names]
    for start in range(0, len(items), 12):  # a few columns at a time: never the whole table in Arrow memory
        part = items[start:start + 12]
        table = pf.read(columns=[i.var for i in part])
        for i in part:
            col = table.column(i.var)
            if i.type != "percentage" and pa.types.is_integer(col.type):
                out[i.var] = _answers(col)
            else:
                kind = pa.float64() if i.type == "percentage" else pa.float32()
                out[i.var] = pc.cast(col, kind).to_numpy()
    return out


def _answers(col) -> Answers:
    """An integer Arrow column as :class:`Answers`, straight from its buffers (values and
    validity bitmap) without a float copy."""
    values, missing = [], []
    for a in col.chunks:
        n, off = len(a), a.offset
        if n == 0:
            continue
        validity, data = a.buffers()[0], a.buffers()[1]
        values.append(np.frombuffer(data, dtype=a.type.to_pandas_dtype(), count=n + off)[off:])
        if a.null_count and validity is not None:
            bits = np.unpackbits(np.frombuffer(validity, np.uint8), count=n + off, bitorder="little")[off:]
            missing.append(bits == 0)
        else:
            missing.append(np.zeros(n, dtype=bool))
    if not values:
        return Answers(np.zeros(0, dtype=col.type.to_pandas_dtype()), np.zeros(0, dtype=bool))
    return Answers(np.concatenate(values), np.concatenate(missing))


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``estimate``)."""
    import time

    from .indicators import load as load_codebook_and_derived
    from .stage import write_table
    from .strata import Strata

    t0 = time.perf_counter()
    codebook = load_codebook_and_derived(input.codebook, input.spec)
    strata = Strata(params.strata)
    df = read_for_estimation(input.responses, codebook)
    try:
        est, bases = estimate_all(df, codebook, strata.sector_codes, strata.size_codes, dict(params.estimation))
    except LonelyPSUError as err:
        raise InputError(Fault(
            config_file(), f"strata met één enkel bruikbaar antwoord: {', '.join(map(str, err.strata))}; "
            f"het beleid estimation.lonely_psu = {params.estimation['lonely_psu']!r} weigert die",
            f"kies in {config_file()} estimation.lonely_psu: adjust (aanbevolen), certainty, remove of average",
            column="estimation.lonely_psu")) from None
    log(f"{len(est)} estimates ({est['indicator'].nunique()} indicators x {est['domain'].nunique()} domains) "
        f"from {len(df['stratum'])} responses in {time.perf_counter() - t0:.2f}s; lonely PSU policy {params.estimation['lonely_psu']}")
    log("bases: " + ", ".join(f"{r.block}={r.n}" for r in bases.itertuples()))
    assert list(est.columns) == ESTIMATES_COLUMNS, "the estimates file's columns are its contract (domains.py)"
    write_table(est, output.parquet)
    write_table(est, output.csv)
    write_table(bases, output.bases)
    # the design as the estimates used it: later stages read this instead of deciding again
    from .survey import design_summary
    keys = pd.read_parquet(input.responses, columns=["stratum", "N_h", "sector", "size_class"])
    design = design_summary(keys, stratum="stratum", popsize="N_h", by=["sector", "size_class"])
    design["degrees_of_freedom"] = len(keys) - len(design)
    from .contracts import BASES, DESIGN
    assert list(design.columns) == DESIGN and list(bases.columns) == BASES
    write_table(design, output.design)
    log(f"design: {len(design)} strata, {int(design['lonely'].sum())} lonely, "
        f"{int(design['fully_enumerated'].sum())} fully enumerated, {len(keys) - len(design)} degrees of freedom")
