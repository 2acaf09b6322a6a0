"""Comparing waves: change in the headline indicators, over all firms and by size class and
sector, with its 95% CI and significance.

The variance of a change counts the firms in both waves (aibarometer.change):
se(Δ) = sqrt(se_a² + se_b² − 2·Cov), the covariance estimated from the firms linked by their
keyed pseudonym (0 without any, which gives the independent-samples formula); the 95%
interval is Δ ± z·se(Δ) with the normal quantile and the test is two-sided. The change
tests of one comparison form two families for the false discovery rate (``q_value``): the
changes over all firms, and the changes by size class and sector.

Indicators are matched through the codebook (`var`), never by column position.
A comparison is marked as *not comparable* when the item's definition changed
between the waves: its question text, type, answer codes, routing or condition
differ, or, for a multiple-choice option, the set of options of its block
changed (a new option changes how respondents spread their answers). Such rows
keep both estimates but get no change, interval or test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from .config import Codebook, Item



def _signature(item: Item) -> tuple:
    return (item.text, item.type, tuple(sorted((item.codes or {}).items())), item.routing,
            tuple(sorted((item.condition or {}).items(), key=str)))


def source_items(indicator: str, codebook: Codebook) -> list[Item]:
    """The codebook items an indicator is computed from (a derived one: its declared sources)."""
    if indicator in codebook.derived:
        return [codebook.by_var[v] for v in codebook.derived[indicator].sources]
    return [codebook.by_var[indicator]] if indicator in codebook.by_var else []


def _named(items) -> str:
    """Answer options by their noun phrases (aibarometer.dutch): 'het genereren van tekst, beeld of code'."""
    from .dutch import lijst, np_of

    return lijst([str(np_of(i)) for i in items])


def definition_change(indicator: str, a: Codebook, b: Codebook) -> str:
    """'' when comparable, else a Dutch note saying what changed."""
    items_a, items_b = source_items(indicator, a), source_items(indicator, b)
    vars_a, vars_b = {i.var for i in items_a}, {i.var for i in items_b}
    if not items_a or not items_b:
        return "niet gevraagd in beide golven"
    if vars_a != vars_b:
        return "de onderliggende vragen verschillen tussen de golven"
    for ia in items_a:
        ib = b.by_var[ia.var]
        if _signature(ia) != _signature(ib):
            return f"de vraag '{ia.label}' werd gewijzigd (tekst, antwoordcodes of filter)"
        if ia.type == "multi":
            opts_a = [i.var for i in a.block_items(ia.block)]
            opts_b = [i.var for i in b.block_items(ib.block)]
            if set(opts_a) != set(opts_b):
                new = sorted(set(opts_b) - set(opts_a))
                gone = sorted(set(opts_a) - set(opts_b))
                what = []
                if new:
                    what.append(("kwam er een antwoordmogelijkheid bij: " if len(new) == 1 else
                                 "kwamen er antwoordmogelijkheden bij: ")
                                + _named([b.by_var[v] for v in new]))
                if gone:
                    what.append(("verviel er een antwoordmogelijkheid: " if len(gone) == 1 else
                                 "vielen er antwoordmogelijkheden weg: ") + _named([a.by_var[v] for v in gone]))
                return f"bij de vraag naar {b.blocks.get(ib.block, ib.block).lower()} " + " en ".join(what)
    return ""


def domain_mask(units: pd.DataFrame, domain: str) -> np.ndarray:
    """The rows of a wave's unit values in a domain ('all', 'size:<code>', 'sector:<code>')."""
    if domain == "all":
        return np.ones(len(units), bool)
    kind, _, value = domain.partition(":")
    col = {"size": "size_class", "sector": "sector"}[kind]
    return (units[col].astype(str) == value).to_numpy()


def compare(est_a: pd.DataFrame, est_b: pd.DataFrame, cb_a: Codebook, cb_b: Codebook, indicators: list[dict],
            wave_a: str, wave_b: str, level: float = 0.95, domains: tuple[str, ...] = ("all",),
            units: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Each indicator in each domain: both estimates and the change with its interval and test;
    with ``units`` (the two waves' unit values, :func:`aibarometer.change.unit_values`) the
    variance of the change counts the firms in both waves (aibarometer.change)."""
    from .change import covariance

    ia = est_a.assign(category=est_a["category"].astype(str)).set_index(["indicator", "category", "domain"])
    ib = est_b.assign(category=est_b["category"].astype(str)).set_index(["indicator", "category", "domain"])
    z = special.ndtri(0.5 + level / 2)
    rows = []
    for spec, domain in ((s, d) for d in domains for s in indicators):
        key = (spec["indicator"], str(spec["category"]), domain)
        note = definition_change(spec["indicator"], cb_a, cb_b)
        ra = ia.loc[key] if key in ia.index else None
        rb = ib.loc[key] if key in ib.index else None
        if ra is None or rb is None:
            note = note or "geen schatting in beide golven"
        row = {"indicator": spec["indicator"], "category": str(spec["category"]), "domain": domain,
               "label": (ra if ra is not None else rb)["category_label"] if (ra is not None or rb is not None) else "",
               "wave_from": wave_a, "wave_to": wave_b,
               "estimate_from": ra["estimate"] if ra is not None else np.nan,
               "se_from": ra["se"] if ra is not None else np.nan,
               "n_from": ra["n"] if ra is not None else np.nan,
               "estimate_to": rb["estimate"] if rb is not None else np.nan,
               "se_to": rb["se"] if rb is not None else np.nan,
               "n_to": rb["n"] if rb is not None else np.nan,
               "comparable": note == "", "note": note,
               "flag_from": str(ra["flag"]) if ra is not None and "flag" in ra else "",
               "flag_to": str(rb["flag"]) if rb is not None and "flag" in rb else ""}
        if note == "":
            diff = rb["estimate"] - ra["estimate"]
            cov, n_common = 0.0, 0
            if units is not None:
                ua, ub = units
                column = f"{spec['indicator']}={spec['category']}"
                cov, n_common = covariance(ua, ub, column, domain_mask(ua, domain), domain_mask(ub, domain))
            var = float(ra["se"]) ** 2 + float(rb["se"]) ** 2 - 2 * cov
            se = float(np.sqrt(max(var, 0.0)))
            se_ab = float(ra["se"]) * float(rb["se"])
            p = 2 * special.ndtr(-abs(diff) / se) if se > 0 else np.nan
            row.update(change=diff, se_change=se, ci_low=diff - z * se, ci_high=diff + z * se, p_value=p,
                       n_common=n_common, correlation=cov / se_ab if se_ab > 0 else 0.0)
        else:
            row.update(change=np.nan, se_change=np.nan, ci_low=np.nan, ci_high=np.nan, p_value=np.nan,
                       n_common=0, correlation=np.nan)
        rows.append(row)
    out = pd.DataFrame(rows)
    # Benjamini-Hochberg q-values (aibarometer.precision), "significant" = q below alpha, in two
    # families per comparison: the headline changes over all firms (Table 7), and the changes
    # by size class and sector
    from .precision import significance

    out["q_value"], out["significant"] = np.nan, False
    published = (out["flag_from"] != "suppressed") & (out["flag_to"] != "suppressed")
    for family in (out["domain"] == "all", out["domain"] != "all"):
        if family.any():
            part = out[family]
            q, sig = significance(part["p_value"], (part["comparable"].astype(bool) & published[family]), 1 - level)
            out.loc[family, "q_value"], out.loc[family, "significant"] = q, sig
    # a change of a flagged estimate is never called significant (as a flagged level is not)
    out["significant"] = out["significant"].astype(bool) & (out["flag_from"] == "") & (out["flag_to"] == "")
    return out


COLUMNS = ["indicator", "category", "domain", "label", "wave_from", "wave_to", "estimate_from", "se_from", "n_from",
           "estimate_to", "se_to", "n_to", "comparable", "note", "change", "se_change", "ci_low", "ci_high",
           "p_value", "significant", "n_both", "q_value", "n_common", "correlation", "flag_from", "flag_to"]


def firms_in_both(responses_a: str, responses_b: str) -> int:
    """Firms with a usable response in both waves, linked by their keyed pseudonym (the same
    key in both waves gives the same pseudonym; another key links nobody)."""
    return linked_firms(*(pd.read_parquet(p, columns=["enterprise_pid"]) for p in (responses_a, responses_b)))


def linked_firms(a: pd.DataFrame, b: pd.DataFrame) -> int:
    """How many enterprise pseudonyms two waves' responses (or unit values) share."""
    return int(len(set(a["enterprise_pid"].dropna()) & set(b["enterprise_pid"].dropna())))


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``trend``): this wave against every earlier wave in the config."""
    from .config import load_codebook
    from .spec import load_spec
    from .stage import write_table

    from .indicators import attach

    spec = load_spec(input.spec)
    est_b = pd.read_parquet(input.estimates)
    cb_b = attach(load_codebook(input.codebook), spec)
    parts = []
    from .change import unit_values
    from .strata import Strata

    strata = Strata(params.strata)
    domains = ("all", *(f"size:{c}" for c in strata.size_codes), *(f"sector:{s}" for s in strata.sector_codes))
    keys = [(t["indicator"], str(t["category"])) for t in spec.get("trend", [])]
    units_b = unit_values(input.responses, cb_b, keys) if params.earlier else None  # the first wave compares nothing
    for wave_a, est_path, cb_path, resp_a in zip(params.earlier, input.earlier_estimates, input.earlier_codebooks,
                                                 input.earlier_responses):
        cb_a = attach(load_codebook(cb_path), spec)
        units = (unit_values(resp_a, cb_a, keys), units_b)
        part = compare(pd.read_parquet(est_path), est_b, cb_a, cb_b, spec.get("trend", []),
                       wave_a, params.wave, params.level, domains, units)
        parts.append(part.assign(n_both=linked_firms(*units)))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    write_table(out[COLUMNS], output.csv)
    write_table(out[COLUMNS], output.parquet)
    latest = out[(out["wave_from"] == params.earlier[-1]) & (out["domain"] == "all")] if parts else out
    if len(latest):
        from .spec import indicator_label
        latest = latest.assign(label_text=[indicator_label(r.indicator, r.category, cb_b, r.label)
                                           for r in latest.itertuples()])
        from .figures.trend import draw_trend
        draw_trend(latest, output.svg, params.synthetic, params.level, dict(params.years))
    else:  # first wave: nothing to compare, an empty (valid) image keeps the rule's outputs fixed
        from .stage import write_text
        write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n', output.svg)
    log(f"{len(out)} comparisons with {len(parts)} earlier wave(s); "
        f"{int((~out['comparable'].astype(bool)).sum()) if len(out) else 0} not comparable")
