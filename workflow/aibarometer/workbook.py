"""The workbook a researcher can reuse (tables.xlsx): beside the report's tables, a first
sheet that explains it, every estimate with its interval, p-value and difference from the
rest, and the questions with their wording and base -- in Dutch words, with labels
instead of internal names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt
from .domains import Domain
from .spec import item_label

ROUTING = {"all": "alle bedrijven", "adopters": "bedrijven die AI gebruiken", "non_adopters": "bedrijven zonder AI"}


def flag_words(flag: str, rel: dict) -> str:
    """A reliability flag in Dutch words, with the threshold that set it."""
    if not flag:
        return ""
    if flag == "suppressed":
        return f"niet gepubliceerd (minder dan {rel['min_n_suppress']} antwoorden)"
    return "beperkt betrouwbaar (" + ", ".join(flag_reasons(flag, rel)) + ")"


def flag_reasons(flag: str, rel: dict) -> list[str]:
    """The reasons of a flag (aibarometer.precision) in Dutch, with their thresholds."""
    words = {
        "low_n": f"minder dan {rel['min_n_flag']} antwoorden",
        "low_neff": f"effectief minder dan {rel.get('min_effective_n', 30)} antwoorden",
        "wide_ci": f"interval minstens {rel['max_ci_width_pp']} procentpunten breed",
        "wide_relative_ci": f"interval breder dan {rel.get('max_relative_ci_width', 130)}% van het cijfer",
        "low_df": f"minder dan {rel.get('min_df', 8)} vrijheidsgraden",
        "cv_caution": f"variatiecoëfficiënt boven {fmt.num(rel.get('cv_caution', 16.5), 1)}%",
    }
    return [words[r] for r in flag.split("+") if r in words]


def domain_words(name: str, strata) -> str:
    d = Domain.parse(name)
    if d.type == "all":
        return "Alle bedrijven"
    if d.type == "sector":
        return f"Sector {d.value} ({strata.sector_label(d.value)})"
    if d.type == "size":
        return strata.size_label(d.value)
    if d.type == "eurostat":
        return "Bedrijven met minstens 10 werknemers"
    if d.type == "adopter":
        return "AI-gebruikers" if d.value == "yes" else "Niet-gebruikers"
    if d.type == "adopter_size":
        return f"AI-gebruikers, {fmt.lower_first(strata.size_label(d.value))}"
    return f"AI-gebruikers, sector {d.value} ({strata.sector_label(d.value)})"


def all_estimates(est: pd.DataFrame, codebook, strata, rel: dict) -> pd.DataFrame:
    """Every estimate: numbers blanked where suppressed (no such number leaves the pipeline)."""
    from .quality import cv_and_n_eff

    hidden = est["flag"] == "suppressed"
    cv, n_eff = cv_and_n_eff(est)
    out = pd.DataFrame({
        "Indicator": est["indicator"], "Vraag of indicator": [item_label(v, codebook) for v in est["indicator"]],
        "Antwoord": est["category_label"], "Soort": est["kind"].map({"proportion": "aandeel", "mean": "gemiddelde (%)"}),
        "Groep": [domain_words(d, strata) for d in est["domain"]],
        "Schatting": est["estimate"], "95%-BI ondergrens": est["ci_low"], "95%-BI bovengrens": est["ci_high"],
        "Standaardfout": est["se"], "n (ongewogen)": est["n"].astype(int), "Geschatte populatie": est["pop_size"],
        "Betrouwbaarheid": [flag_words(f, rel) for f in est["flag"]],
        "Verschil met de rest": est["diff_rest"], "Standaardfout verschil": est["se_diff"],
        "p-waarde (t-toets tegen de rest)": est["p_rest"],
        "q-waarde (Benjamini-Hochberg)": est["q_value"],
        "Significant verschillend van de rest": np.where(est["significant"].astype(bool), "ja", "nee"),
        "Variatiecoëfficiënt": cv, "Designeffect": est["deff"], "Effectief aantal antwoorden": n_eff,
    })
    numeric = ["Schatting", "95%-BI ondergrens", "95%-BI bovengrens", "Standaardfout", "Geschatte populatie",
               "Verschil met de rest", "Standaardfout verschil", "p-waarde (t-toets tegen de rest)",
               "q-waarde (Benjamini-Hochberg)",
               "Variatiecoëfficiënt", "Designeffect", "Effectief aantal antwoorden"]
    out.loc[hidden.to_numpy(), numeric] = np.nan
    out.loc[hidden.to_numpy(), "Significant verschillend van de rest"] = ""
    return out


def quality_sheets(strata: pd.DataFrame, items: pd.DataFrame, rep: dict, strata_labels) -> list[tuple[str, pd.DataFrame]]:
    """The quality report (results/<wave>/quality/) in three sheets: the R-indicator,
    response per frame stratum, item non-response per question."""
    summary = pd.DataFrame([
        ("R-indicator (Schouten, Cobben & Bethlehem 2009)", rep["R"],
         "1 - 2 S, S de gewogen standaardafwijking van de responskans per stratum over de bereikte bedrijven"),
        ("Gemiddelde responskans", rep["mean_propensity"], "gewogen met N_h / m_h"),
        ("Partiële indicator sector", rep["partial"]["sector"]["indicator"], "spreiding tussen de sectoren alleen"),
        ("Partiële indicator grootteklasse", rep["partial"]["size_class"]["indicator"],
         "spreiding tussen de grootteklassen alleen"),
        ("Bereikte bedrijven", rep["units"], "de eenheden van de R-indicator"),
        ("Antwoorden buiten het steekproefkader", rep["outside_frame"]["responses"],
         "niet bij een uitgenodigd bedrijf te plaatsen; niet in de strata geteld"),
    ], columns=["Maat", "Waarde", "Toelichting"])
    per = pd.DataFrame({
        "Sector": [f"{s} ({strata_labels.sector_label(s)})" for s in strata["sector"]],
        "Grootteklasse": [strata_labels.size_label(c) for c in strata["size_class"]],
        "Populatie": strata["population"], "Steekproef": strata["sampled"], "Niet afgeleverd": strata["undeliverable"],
        "Bereikt": strata["reached"], "Antwoorden": strata["responses"], "Bruikbaar": strata["usable"],
        "Responsgraad (bruikbaar / bereikt)": strata["response_rate"],
        "Dekkingsverlies (niet afgeleverd / steekproef)": strata["coverage_loss"]})
    q = pd.DataFrame({
        "Vraag": items["label"], "Gesteld aan": items["routing"].map(ROUTING), "Gesteld (n)": items["asked"],
        "Beantwoord": items["answered"], "Weet niet": items["dont_know"], "Geen antwoord": items["missing"],
        "Item-non-respons (geen antwoord of weet niet)": items["item_nonresponse"]})
    return [("Kwaliteit", summary), ("Respons per stratum", per), ("Item-non-respons", q)]


def questions(codebook, bases: dict[str, int]) -> pd.DataFrame:
    rows = []
    for i in codebook.kept:
        if i.block not in codebook.ai_blocks and i.block != "firm":
            continue
        codes = "; ".join(f"{k} = {v}" for k, v in (i.codes or {}).items())
        rows.append({"Kolom in de export": i.column, "Variabele": i.var, "Blok": codebook.blocks.get(i.block, i.block),
                     "Label": i.label, "Vraag": i.text, "Antwoordcodes": codes, "Gesteld aan": ROUTING[i.routing],
                     "Basis (n, beantwoord het blok)": bases.get(i.block)})
    return pd.DataFrame(rows)


def explanation(wave: dict, level: float, rel: dict, n_usable: int, synthetic: bool) -> pd.DataFrame:
    lines = [
        ("Werkmap", f"{wave['report']['title']}{' (synthetische demodata)' if synthetic else ''}"),
        ("Meetgolf", str(wave["year"])),
        ("Bron", f"AI-Barometer, bevraging van Vlaamse bedrijven; {fmt.num(n_usable)} bruikbare antwoorden"),
        ("Eenheid", "bedrijven (ondernemingen met minstens 5 werknemers); aandelen als fractie, opgemaakt als %"),
        ("Gewichten", "per stratum (sector x grootteklasse): populatie gedeeld door het aantal bruikbare antwoorden"),
        ("Basis", "de ongewogen n per cijfer: de bedrijven die de vraag kregen en beantwoordden"),
        ("Interval", f"{fmt.pct(level, 0)}-betrouwbaarheidsinterval: voor aandelen op de logitschaal, bij 0% of 100% "
                     "Clopper-Pearson; standaardfouten volgens het gestratificeerde steekproefontwerp met eindige-"
                     "populatiecorrectie"),
        ("Betrouwbaarheid", "aandelen volgens de NCHS-standaard voor aandelen (Parker e.a. 2017), beslist op het "
                            "Korn-Graubard-interval; gemiddelden volgens de variatiecoëfficiënt (Statistics Canada, "
                            "Eurostat). 'beperkt betrouwbaar': " + "; ".join(flag_reasons(
                                "low_n+low_neff+wide_ci+wide_relative_ci+low_df+cv_caution", rel))
                            + f"; 'niet gepubliceerd': minder dan {rel['min_n_suppress']} antwoorden, of een "
                            f"gemiddelde met een variatiecoëfficiënt boven {fmt.num(rel.get('cv_unreliable', 33.3), 1)}% "
                            "(geen cijfer)"),
        ("Significant", f"het verschil met de rest van de bedrijven is significant als de q-waarde (Benjamini-Hochberg, "
                        f"over alle toetsen van deze meting samen) onder {fmt.pct(1 - level, 0)} ligt en het cijfer "
                        "geen betrouwbaarheidsmarkering heeft; nooit bij een standaardfout van nul"),
        ("Bladen", "de tabellen met hun nummer in het rapport (Tabel A1 en volgende staan in de bijlage); "
                   "'Figuur 1' enzovoort: de cijfers achter elke figuur; 'Alle schattingen': elk cijfer met interval "
                   "en toets; 'Vragen': de vragen met hun formulering en basis"),
    ]
    if synthetic:
        lines.append(("Let op", "synthetische demodata: de antwoorden zijn verzonnen en beschrijven geen echte bedrijven"))
    return pd.DataFrame(lines, columns=["Onderwerp", "Toelichting"])


def with_totals(df: pd.DataFrame) -> pd.DataFrame:
    """A strata table with a totals row (the counts summed; the weight left empty)."""
    total = {c: (df[c].sum() if c in ("population", "sample", "usable") else "") for c in df.columns}
    total[df.columns[0]] = "Totaal"
    total["weight"] = np.nan if "weight" in df.columns else None
    return pd.concat([df, pd.DataFrame([{k: v for k, v in total.items() if k in df.columns}])], ignore_index=True)


def figure_data(entry: dict, est: pd.DataFrame, codebook, strata, rel: dict) -> pd.DataFrame:
    """The numbers behind a figure of the report: one row per bar or segment it draws."""
    from .spec import resolve_items

    domains = entry.get("domains", ["all"])
    cells = []  # (indicator, category, domain)
    if entry["type"] == "bars":
        for s in entry["series"]:
            for var in resolve_items(entry, codebook):
                cells.append((var, str(s["category"]), s.get("domain", domains[0])))
    elif entry["type"] == "stacked":
        for d in domains:
            for var in resolve_items(entry, codebook):
                for c in entry.get("categories_by_item", {}).get(var, entry["categories"]):
                    cells.append((var, str(c), d))
    else:
        cells = [(entry["indicator"], str(c), domains[0]) for c in entry["categories"]]
    idx = est.assign(category=est["category"].astype(str)).set_index(["indicator", "category", "domain"])
    rows = []
    for var, cat, dom in cells:
        if (var, cat, dom) not in idx.index:
            continue
        r = idx.loc[(var, cat, dom)]
        hidden = r["flag"] == "suppressed"
        rows.append({"Vraag of indicator": item_label(var, codebook), "Antwoord": r["category_label"],
                     "Groep": domain_words(dom, strata),
                     **{k: (np.nan if hidden else r[c]) for k, c in (("Schatting", "estimate"), ("95%-BI ondergrens", "ci_low"),
                                                                     ("95%-BI bovengrens", "ci_high"))},
                     "n (ongewogen)": int(r["n"]), "Betrouwbaarheid": flag_words(r["flag"], rel)})
    return pd.DataFrame(rows)


def flow_sheet(flow: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Stap": flow["label"], "Aantal": flow["count"].astype(int)})


def precision_sheet(spec: dict, est: pd.DataFrame, codebook, rel: dict) -> pd.DataFrame:
    """The precision annex of the report: the headline estimates with interval and base."""
    from .spec import precision_items

    idx = est.assign(category=est["category"].astype(str)).set_index(["indicator", "category", "domain"])
    rows = []
    for var, cat, label in precision_items(spec, codebook):
        r = idx.loc[(var, cat, "all")]
        hidden = r["flag"] == "suppressed"
        rows.append({"Indicator": label, "Schatting": np.nan if hidden else r["estimate"],
                     "95%-BI ondergrens": np.nan if hidden else r["ci_low"],
                     "95%-BI bovengrens": np.nan if hidden else r["ci_high"], "n (ongewogen)": int(r["n"]),
                     "Betrouwbaarheid": flag_words(r["flag"], rel)})
    return pd.DataFrame(rows)


def eurostat_sheet(path, est: pd.DataFrame, year: int) -> pd.DataFrame:
    """Table 6 of the report: our adoption rate for enterprises with 10+ employees beside
    Eurostat's published figure for the same (or the latest earlier) year."""
    from .eurostat import published

    ours = est[(est["indicator"] == "adopter") & (est["category"].astype(str) == "1")
               & (est["domain"] == str(Domain("eurostat", "10+")))].iloc[0]
    rows = [{"Gebied": "Vlaanderen (deze barometer)", "Jaar": year, "Schatting": ours["estimate"],
             "95%-BI ondergrens": ours["ci_low"], "95%-BI bovengrens": ours["ci_high"], "n (ongewogen)": int(ours["n"]),
             "Bron": "AI-Barometer, bruikbare antwoorden van bedrijven met minstens 10 werknemers"}]
    for r in published(path, year):
        rows.append({"Gebied": r["label"], "Jaar": r["year"], "Schatting": np.nan if r["value"] is None else r["value"] / 100,
                     "95%-BI ondergrens": np.nan, "95%-BI bovengrens": np.nan, "n (ongewogen)": np.nan,
                     "Bron": r["source"]})
    return pd.DataFrame(rows)


def trend_sheet(trend: pd.DataFrame, codebook, years: dict) -> pd.DataFrame:
    """The trend table of the report: each headline indicator per wave and the change, with its interval."""
    if trend.empty:
        return pd.DataFrame({"Toelichting": ["geen eerdere meetgolf in de configuratie: geen vergelijking"]})
    trend = trend[trend["domain"] == "all"]
    return pd.DataFrame({
        "Indicator": [item_label(v, codebook) for v in trend["indicator"]],
        "Vorige meting": [str(years.get(w, w)) for w in trend["wave_from"]], "Schatting toen": trend["estimate_from"],
        "Deze meting": [str(years.get(w, w)) for w in trend["wave_to"]], "Schatting nu": trend["estimate_to"],
        "Vergelijkbaar": np.where(trend["comparable"].astype(bool), "ja", "nee"), "Opmerking": trend["note"].fillna(""),
        "Verandering (procentpunten)": trend["change"] * 100, "95%-BI ondergrens (pp)": trend["ci_low"] * 100,
        "95%-BI bovengrens (pp)": trend["ci_high"] * 100, "p-waarde": trend["p_value"],
        "q-waarde (Benjamini-Hochberg)": trend["q_value"],
        "Significant": np.where(trend["significant"].astype(bool), "ja", "nee"),
    })
