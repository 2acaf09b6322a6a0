"""The Dutch PDF report: jinja2 templates + WeasyPrint, every number from the results.

The templates (workflow/templates/) place what they get; this module builds it
(:func:`load_context`: tables, trend, Eurostat, quality, chapter numbers, findings) from the
report rule's inputs, has :mod:`aibarometer.prose` write the sentences, renders the HTML and
writes the PDF. The numbers a sentence quotes, and the claims the statistics support
(``Stat.higher``/``lower`` only where the design-based test against the rest is significant),
are :mod:`aibarometer.quotes`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import dutch, fmt
from .pdf import write_pdf
from .findings import change_phrase
from .quotes import FLAG_MARK, Numbers
from .spec import Estimates, bases_by_block, indicator_label, item_label, resolve_items, table_labels

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def table_context(tables: dict[int, pd.DataFrame], spec: dict, codebook, strata) -> dict:
    """The report's tables in the shape it prints them."""
    out = {}
    labels = table_labels(spec)
    for entry in spec["tables"]:
        number = entry["number"]
        df = tables[number]
        t = {"number": number, "label": labels[number], "title": entry["title"], "type": entry["type"],
             "note": entry.get("note", "")}
        if entry["type"] == "strata":
            t["sectors"] = strata.sector_codes
            t["rows"] = []
            for c in strata.size_codes:
                sub = df[df["size_class"] == c].set_index("sector")
                t["rows"].append({"label": strata.size_label(c),
                                  "cells": [{v: fmt.num(sub.at[s, v]) for v in entry["values"]} for s in strata.sector_codes],
                                  "total": {v: fmt.num(sub[v].sum()) for v in entry["values"]}})
            t["totals"] = {"cells": [{v: fmt.num(df.loc[df["sector"] == s, v].sum()) for v in entry["values"]}
                                     for s in strata.sector_codes],
                           "total": {v: fmt.num(df[v].sum()) for v in entry["values"]}}
            t["vals"] = entry["values"]
            t["value_labels"] = entry.get("value_labels", {})
            # a second value per cell (in italics): the caption names both
            t["second"] = t["vals"][1] if len(t["vals"]) > 1 else ""
            t["caption_values"] = (f"{lc(t['value_labels'][t['vals'][0]])}; {lc(t['value_labels'][t['vals'][1]])} cursief"
                                   if t["second"] else "")
        elif entry["type"] == "grid":
            items = resolve_items(entry, codebook)
            t["columns"] = [dutch.compound_breaks(item_label(v, codebook)) for v in items]
            t["rows"] = []
            for code, grp in df.groupby("row_code", sort=False):
                g = grp.set_index("item")
                cells = []
                for v in items:
                    r = g.loc[v]
                    if r["flag"] == "suppressed":
                        cells.append({"text": fmt.DASH, "flag": "suppressed"})
                    else:
                        cells.append({"text": fmt.pct(r["estimate"]) + (FLAG_MARK if r["flag"] else ""), "flag": r["flag"]})
                t["rows"].append({"code": code, "label": grp["row_label"].iloc[0], "cells": cells,
                                  "total": code == "totaal",
                                  # a sector row: its short name under the code
                                  "sector": dutch.compound_breaks(strata.sector_short(code))
                                  if code in strata.sector_codes else ""})
            t["transpose"] = len(items) > 8  # many columns: items as rows, groups as columns
            t["wide"] = len(t["rows"] if t["transpose"] else t["columns"]) > 8
            t["rowhead"] = "Grootteklasse" if t["rows"] and t["rows"][0]["code"] in strata.size_codes else "Sector"
        else:
            t["rows"] = df.to_dict("records")
            # a column that repeats the row's code says nothing (the sectors table when codes are NACE ranges)
            t["nace_column"] = any(str(r.get("nace", "")) != str(r.get("sector", "")) for r in t["rows"])
        out[number] = t
    return out


lc = fmt.lower_first
NOT_COMPARED = "niet vergeleken"  # Table 7: a changed question (the dash means 'not published')


def css_string(value) -> str:
    """A value as a CSS string literal for a <style> block: quoted, every character that
    could end the string, the declaration or the element (quotes, backslash, ; { } < > &,
    line breaks) written as a CSS escape. A title can then never add a CSS rule."""
    from markupsafe import Markup

    out = []
    for ch in " ".join(str(value).split()):  # line breaks and tabs become single spaces
        out.append(ch if ch.isalnum() or ch in " .,:!?()-_/+" else f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def environment(templates: str | Path = TEMPLATES):
    """The jinja2 environment of the report's templates in ``templates``: reused (as by the
    preview), it recompiles only the templates whose files changed."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    # formatting only: the sentences come from aibarometer.prose (tests/test_dutch.py forbids building them here)
    env.filters.update(pct=fmt.pct, num=fmt.num, pp=fmt.pp, css_string=css_string)
    return env


def render_html(context: dict, templates: str | Path = TEMPLATES, env=None) -> str:
    """The report's HTML from a context (:func:`load_context`) and the templates in
    ``templates`` (or those of ``env``, an :func:`environment` kept between renders)."""
    from . import prose

    env = env if env is not None else environment(templates)
    authors = context.get("authors") or {}
    context = {**context, "text": prose.write(context),
               "authors_replace": {k: bool(v.get("replace")) for k, v in authors.items()} | {
                   k: False for k in ("inleiding", "conclusies") if k not in authors}}
    return env.get_template("report.html.j2").render(**context)


def build_context(wave: dict, est: Estimates, bases: dict, flow: pd.DataFrame, tables: dict, figures: list[dict],
                  spec: dict, codebook, strata, config: dict, exclusions: pd.DataFrame, collapsed: pd.DataFrame,
                  design: pd.DataFrame) -> dict:
    """Everything the template shows; ``design`` is the estimate stage's design summary
    (estimates/design.csv): lonely strata as the estimates treated them."""
    numbers = Numbers(est, bases, codebook, strata)
    f = flow.set_index("step")["count"]
    flow_rows = [{"label": r.label, "count": fmt.num(r.count), "step": r.step, "total": r.step == "usable"}
                 for r in flow.itertuples()]
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]

    def date_nl(text: str) -> str:
        d = pd.Timestamp(text)
        return f"{d.day} {months[d.month - 1]} {d.year}"

    rel = config["estimation"]["reliability"]
    return {
        "wave": wave, "N": numbers,
        "flow": {k: fmt.num(v) for k, v in f.items()}, "flow_raw": f.to_dict(), "flow_rows": flow_rows,
        "response_rate": fmt.pct(f["responses"] / f["reached"], 0),
        "usable_rate": fmt.pct(f["usable"] / f["responses"], 0),
        "tables": table_context(tables, spec, codebook, strata),
        "tl": table_labels(spec),
        "quality": None,  # the quality annex (aibarometer.quality.report_context), set by run()
        "figures": {fig["number"]: fig for fig in figures},
        "fieldwork": {"start": date_nl(wave["fieldwork"]["start"]), "end": date_nl(wave["fieldwork"]["end"])},
        "publication_date": date_nl(wave["report"].get("publication_date", wave["fieldwork"]["end"])),
        "strata": strata, "n_strata": len(strata.sector_codes) * len(strata.size_codes),
        "min_employees": config["cleaning"]["min_employees"],
        "rel": rel, "lonely_psu": config["estimation"]["lonely_psu"],
        "level": fmt.pct(config["estimation"]["confidence_level"], 0),
        "alpha": fmt.pct(1 - config["estimation"]["confidence_level"], 0),
        "lonely_strata_nouns": [f"de {dutch.lijst_samen([strata.size_noun(c) for c in r.size_class.split(' + ')])} van "
                                f"NACE {r.sector}" for r in design.itertuples() if r.lonely],
        "collapsed": [{**c, "size_noun": strata.size_noun(c["size_class"]), "merged_noun": strata.size_noun(c["merged_into"])}
                      for c in collapsed.to_dict("records")],
        "n_technologies": dutch.number(len(codebook.technology_items)),
        # the demo's design: 2021 uses the published counts, a later demo wave an evolved register
        "design_as_published": wave["year"] == 2021,
        "cite_first_wave": wave["year"] > 2021,
        "derived_sentences": derived_sentences(numbers, codebook),
        "fig_items": lambda n: resolve_items(next(e for e in spec["figures"] if e["number"] == n), codebook),
        "population_share": lambda sizes: fmt.pct(tables[1].loc[tables[1]["size_class"].isin(sizes), "population"].sum()
                                                  / tables[1]["population"].sum()) if "size_class" in tables[1] else "",
        "allocation": allocation(tables[1], strata),
        "technology_items": codebook.technology_items,
        "merged_sectors": [{"label": s.label, "parts": [f"{lo:02d}-{hi:02d}" if lo != hi else f"{lo:02d}" for lo, hi in s.ranges]
                            + list(s.prefixes)} for s in strata.sectors if len(s.ranges) + len(s.prefixes) > 1],
        "software_version": software_version(),
        "ch": chapter_numbers(trend=False),  # run() renumbers when the wave has a trend chapter
        "precision": precision_annex(numbers, codebook, spec),
    }


CHAPTERS = ["inleiding", "methodologie", "resultaten", "evolutie", "conclusies"]


def chapter_numbers(trend: bool) -> dict[str, int]:
    """Chapter numbers, decided once: the trend chapter only when earlier waves are configured."""
    names = [c for c in CHAPTERS if trend or c != "evolutie"]
    return {c: k for k, c in enumerate(names, start=1)}


def software_version() -> str:
    """The release of this package that made the numbers (``aibarometer.__version__``, the
    code the job imported, not the metadata of an installation that may be older)."""
    from . import __version__

    return __version__


def allocation(table1: pd.DataFrame, strata) -> list[dict]:
    """Per size class the share of the population that was sampled (Table 1): the
    allocation as the frame shows it."""
    if not {"size_class", "population", "sample"} <= set(table1.columns):
        return []
    g = table1.groupby("size_class")[["population", "sample"]].sum()
    return [{"code": c, "noun": strata.size_noun(c), "fraction": fmt.pct(g.at[c, "sample"] / g.at[c, "population"], 0)}
            for c in strata.size_codes if c in g.index]


def derived_sentences(numbers: Numbers, codebook) -> list[str]:
    """The summary sentences that derived indicators declare (config/spec.yaml, ``sentence``),
    with the estimate over all firms; an estimate too uncertain to publish gets none."""
    out = []
    for d in codebook.derived.values():
        if not d.sentence:
            continue
        stat = numbers.E(d.name, d.categories[0].code)
        if stat.row["flag"] == "suppressed":
            continue
        out.append(d.sentence.format(pct=stat.pct + ("*" if stat.row["flag"] else "")))
    return out


def precision_annex(numbers: Numbers, codebook, spec: dict) -> list[dict]:
    """Every headline estimate of the spec's ``precision:`` list with its 95% CI and n (appendix)."""
    from .spec import precision_items

    rows = [(label, numbers.E(var, cat)) for var, cat, label in precision_items(spec, codebook)]
    return [{"label": label, "pct": s.pct, "ci": s.ci, "n": s.n, "flag": s.row["flag"]} for label, s in rows]


def trend_context(trend: pd.DataFrame, numbers: Numbers, wave: dict, waves_meta: dict) -> dict | None:
    """Rows of the trend table: each indicator in every wave, the change since the previous wave."""
    if trend.empty:
        return None
    full = trend
    trend = trend[trend["domain"] == "all"] if "domain" in trend else trend  # Table 7: over all firms
    earlier = list(dict.fromkeys(trend["wave_from"]))
    prev = earlier[-1]
    rows = []
    for key, grp in trend.groupby(["indicator", "category"], sort=False):
        last = grp[grp["wave_from"] == prev].iloc[0]
        label = indicator_label(key[0], key[1], numbers.codebook, str(grp["label"].iloc[0]) if "label" in grp else "")
        values = [fmt.pct(grp[grp["wave_from"] == w]["estimate_from"].iloc[0]) for w in earlier]
        values.append(fmt.pct(last["estimate_to"]))
        comparable = bool(last["comparable"])
        rows.append({
            "label": label, "vals": values, "comparable": comparable, "note": last["note"] if not comparable else "",
            "change": fmt.points(last["change"]) if comparable else NOT_COMPARED,
            "ci": f"[{fmt.points(last['ci_low'])}; {fmt.points(last['ci_high'])}]" if comparable else "",
            "significant": bool(last["significant"]), "up": comparable and last["change"] > 0,
            "change_raw": float(last["change"]) if comparable else 0.0,
            # the firms in both waves behind the change's variance, and their correlation (aibarometer.change)
            "n_common": fmt.num(last["n_common"]) if comparable and "n_common" in last else "",
            "correlation": (fmt.num(round(float(last["correlation"]), 2) + 0.0, 2).replace("-", "\u2212")
                            if comparable and "correlation" in last and pd.notna(last["correlation"]) else ""),
            # for running text: the indicator and its move, e.g. in the summary and the conclusions
            "phrase": f"{change_phrase(key[0], numbers.codebook, key[1])} (van {values[-2]} naar "
                      f"{values[-1]})",
            "indicator": key[0],
        })
    years = [waves_meta.get(w, {}).get("year", w) for w in earlier] + [wave["year"]]
    sig = [r for r in rows if r["significant"]]
    return {"waves": earlier + [wave["wave"]], "years": years, "previous": prev,
            "previous_year": waves_meta.get(prev, {}).get("year", prev), "rows": rows,
            # a real wave compared with synthetic demo waves must say so
            "synthetic_earlier": [waves_meta[w]["year"] for w in earlier
                                  if waves_meta.get(w, {}).get("synthetic") and not wave["synthetic"]],
            "significant_up": [r for r in sig if r["up"]], "significant_down": [r for r in sig if not r["up"]],
            "changed": [r for r in rows if not r["comparable"]],
            "adopt": next((r for r in rows if r["indicator"] == "adopter" and r["comparable"]), None),
            "overlap": _overlap(trend[trend["wave_from"] == prev], waves_meta.get(prev, {}).get("year", prev)),
            "linked": bool("n_both" in trend and trend.loc[trend["wave_from"] == prev, "n_both"].fillna(0).max() > 0),
            # the figure's bases: this wave's respondents per comparable indicator
            "n_range": _n_range(trend[(trend["wave_from"] == prev) & trend["comparable"].astype(bool)]["n_to"]),
            "groups": group_change_rows(full, prev, numbers.strata),
            # the size of the BH family behind Table 8's (s): every comparison by size class and sector
            "group_tests": fmt.num(int((full["wave_from"].eq(prev) & full["domain"].ne("all") & full["q_value"].notna()).sum()))
            if {"domain", "q_value"} <= set(full.columns) else ""}


def group_change_rows(trend: pd.DataFrame, prev: str, strata) -> list[dict]:
    """Table 8: the use of AI by size class and sector in the previous and this wave, with the
    change and whether it is significant (trend.* rows by domain, their own BH family)."""
    if "domain" not in trend:
        return []
    part = trend[(trend["indicator"] == "adopter") & (trend["wave_from"] == prev) & (trend["domain"] != "all")]
    rows = []
    for r in part.itertuples():
        kind, _, code = r.domain.partition(":")
        label = strata.size_label(code) if kind == "size" else f"NACE {code} {strata.sector_short(code)}"
        flagged = bool(getattr(r, "flag_from", "") or getattr(r, "flag_to", ""))
        rows.append({"label": label, "kind": kind, "from": fmt.pct(r.estimate_from) + ("*" if getattr(r, "flag_from", "") else ""),
                     "to": fmt.pct(r.estimate_to) + ("*" if getattr(r, "flag_to", "") else ""),
                     "change": fmt.points(r.change) if r.comparable else NOT_COMPARED,
                     "ci": f"[{fmt.points(r.ci_low)}; {fmt.points(r.ci_high)}]" if r.comparable else "",
                     "significant": bool(r.significant) and not flagged, "n_common": fmt.num(getattr(r, "n_common", 0) or 0)})
    return rows


def _overlap(latest: pd.DataFrame, previous_year) -> str:
    """The sentence on the firms in both waves (trend.csv ``n_both``) and how the test treats them."""
    from .method import overlap_sentence

    if "n_both" not in latest or latest.empty:
        return ""
    return overlap_sentence(int(latest["n_both"].iloc[0]), previous_year, int(latest["n_to"].max()),
                            int(latest["n_from"].max()))


def _n_range(n: pd.Series) -> str:
    if n.empty:
        return ""
    lo, hi = int(n.min()), int(n.max())
    return f"N = {fmt.num(lo)}" if lo == hi else f"N = {fmt.num(lo)} tot {fmt.num(hi)} naargelang de indicator"


def findings_context(est: pd.DataFrame, trend: pd.DataFrame, codebook, strata, table: str = "A4") -> dict:
    """What is worth saying, chosen by tested evidence (aibarometer.findings): the findings
    (written beside the report) and their Dutch per block, per pair of blocks shown together,
    and for the changes by group."""
    from .findings import BLOCKS, change_by_group, findings, group_sentences

    found = findings(est, trend, codebook)
    said: list[dict] = []  # every sentence about groups with the finding ids it rests on (findings.json)
    shown = {"technologies", "barriers", "knowledge", "applications", "policy"}  # the others shown in pairs
    groups = {b: group_sentences(found, b, strata, codebook, table=table, record=said if b in shown else None)
              for b in BLOCKS}
    groups["sources_budget"] = group_sentences(found, ["sources", "budget"], strata, codebook, record=said)
    groups["impact"] = group_sentences(found, ["competitiveness", "employment"], strata, codebook, record=said)
    change_groups = change_by_group(found, strata, codebook, record=said)
    found["said"] = said
    return {"findings": found, "groups": groups, "change_groups": change_groups}


def new_items(codebook, previous: dict) -> list[str]:
    """Answer options of this wave's questionnaire that the previous wave's did not have."""
    from .config import load_codebook

    if not previous.get("codebook"):
        return []
    before = load_codebook(previous["codebook"])
    return [i.var for i in codebook.items if i.block in codebook.ai_blocks and i.type in ("single", "multi")
            and i.var not in before.by_var and not i.var.endswith("_none")]


def method_context(table1: pd.DataFrame, strata, codebook, trend: dict | None, waves_meta: dict) -> dict:
    """The sentences about the method that the data decide (aibarometer.method)."""
    from . import method
    from .config import load_codebook

    sel = method.selection(table1, strata)
    latest = max(waves_meta.values(), key=lambda m: m["year"], default=None)
    previous = trend["previous_year"] if trend else (latest["year"] if latest else None)
    before = load_codebook(latest["codebook"]) if latest and latest.get("codebook") else None
    return {"selection": sel["sentence"], "assumption": method.assumption(sel),
            "questionnaire": method.questionnaire_sentence(method.questionnaire_changes(codebook, before), previous)}


def eurostat_context(path, numbers: Numbers, year: int) -> dict:
    """Our adoption rate for 10+ employees beside Eurostat's published figures."""
    from .eurostat import published

    rows = [{**r, "value": fmt.DASH if r["value"] is None else fmt.pp(r["value"])} for r in published(path, year)]
    return {"flanders_10plus": numbers.E("adopter", 1, "employees:10+"), "flanders_all": numbers.E("adopter", 1),
            "rows": rows, "older_years": any(not r["same_year"] for r in rows),
            "statbel": any("Statbel" in str(r["source"]) for r in rows)}


def load_context(input, params) -> dict:
    """Everything the templates get, from the report rule's inputs and params (Snakemake's
    or the preview's, :mod:`aibarometer.preview`): the one place that reads the results."""
    from . import contracts as c
    from .config import load_codebook
    from .indicators import attach
    from .quality import report_context
    from .spec import load_spec
    from .strata import Strata

    spec = load_spec(input.spec)
    codebook = attach(load_codebook(input.codebook), spec)
    strata = Strata(params.strata)
    est = Estimates(pd.read_parquet(input.estimates))
    bases = bases_by_block(pd.read_csv(input.bases))
    tables = {t["number"]: pd.read_parquet(p) for t, p in zip(spec["tables"], input.tables)}
    figures = json.loads(Path(input.figures).read_text(encoding="utf-8"))
    flow, design = pd.read_csv(input.flow), pd.read_csv(input.design)
    c.require_steps(flow, input.flow)
    c.require(design.columns, c.DESIGN, input.design, "estimate")
    ctx = build_context(dict(params.wave), est, bases, flow, tables, figures, spec, codebook, strata,
                        dict(params.config), pd.read_csv(input.exclusions), pd.read_csv(input.collapsed), design)
    numbers = ctx["N"]
    trend = pd.read_parquet(input.trend)
    ctx["trend"] = trend_context(trend, numbers, dict(params.wave), dict(params.waves_meta))
    ctx["ch"] = chapter_numbers(trend=ctx["trend"] is not None)
    ctx["method"] = method_context(tables[1], strata, codebook, ctx["trend"], dict(params.waves_meta))
    if ctx["trend"]:
        ctx["trend"]["new_items"] = new_items(codebook, dict(params.waves_meta).get(ctx["trend"]["previous"], {}))
    ctx.update(findings_context(est.df, trend, codebook, strata, ctx["tl"]["groups"]))
    ctx["eurostat"] = eurostat_context(input.eurostat, numbers, params.wave["year"])
    # the authors' own words for this wave (config/waves/<wave>/text/*.md), numbers by placeholder
    from . import authors

    own = getattr(input, "authors", [])
    ctx["authors"] = authors.context([own] if isinstance(own, str) else list(own), ctx)
    response = json.loads(Path(input.response_alt).read_text(encoding="utf-8"))
    ctx["quality"] = report_context(
        pd.read_csv(input.quality_estimates), pd.read_csv(input.quality_items),
        json.loads(Path(input.representativity).read_text(encoding="utf-8")),
        response["alt"], spec, codebook,
        waves=[(y, json.loads(Path(p).read_text(encoding="utf-8")))
               for y, p in zip(params.years, input.representativity_waves)] if ctx["trend"] else [])
    # the usable response per size class (Figure A1), for the conclusions' caveat
    ctx["quality"]["response_by_size"] = [{"code": c, "noun": strata.size_noun(c), "rate": response["by_size"][c]}
                                          for c in strata.size_codes if c in response.get("by_size", {})]
    ctx["css"] = Path(input.css).read_text(encoding="utf-8")
    return ctx


def write_report_pdf(html: str, input, params, html_path: str | Path, pdf_path: str | Path):
    """The PDF of the rendered HTML, as the report rule writes it: image paths are relative
    to report/ (../figures/...), resources only from the wave's figure folders. Returns the
    layout check of its pages (aibarometer.layout)."""
    fig_dir = Path(input.figures).parent
    title = f"{params.wave['report']['title']}" + (" (synthetische demodata)" if params.wave["synthetic"] else "")
    return write_pdf(html, str(Path(html_path).parent) + "/", pdf_path, title,
              identifier=f"aibarometer-{params.wave['wave']}",
              allowed=[fig_dir, Path(input.trend_svg).parent, Path(input.response_svg).parent])


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``report``)."""
    import time

    from .errors import Fault, InputError
    from .stage import write_json, write_text

    t0 = time.perf_counter()
    ctx = load_context(input, params)
    html = render_html(ctx)
    write_text(html, output.html)
    write_json({"wave": params.wave["wave"], **ctx["findings"]}, output.findings)
    log(f"html rendered in {time.perf_counter() - t0:.2f}s")
    # the saved HTML opens with its figures too: its image paths are relative to report/
    layout = write_report_pdf(html, input, params, output.html, output.pdf)
    log(f"pdf written in {time.perf_counter() - t0:.2f}s: {layout.pages} pages, fill {layout.fill}")
    write_json(layout.as_dict(), output.layout)
    for note in layout.notes():
        log(f"opmaak: {note}")
    if layout.overflow:  # a table or figure past the page edge must never reach print
        raise InputError([Fault(str(output.pdf), problem, "geef de tabel of figuur een opmaak die past (report.css: "
                                "kleinere letter, smallere kolommen, afgebroken koppen of een liggende pagina)")
                          for problem in layout.errors()])
