"""What the report says about its own method, computed from the wave's data: how the firms
were selected (from the frame and Table 1), what changed in the questionnaire (from the
codebooks), and how many firms answered in two waves (from the pseudonyms). A sentence
about the method is true of this wave or it is not written.
"""

from __future__ import annotations


import pandas as pd

from . import fmt

CENSUS = 0.995  # a stratum whose frame holds (nearly) every firm of the population was taken in full
EVEN = 0.05  # sampling fractions within this many points of each other count as one fraction


_list = fmt.join_nl


def selection(table1: pd.DataFrame, strata) -> dict:
    """Per size class how Table 1 shows the firms were selected: every firm of the population
    (census), one fraction for all its strata, or fractions that differ by stratum."""
    if not {"size_class", "population", "sample"} <= set(table1.columns):
        return {"classes": [], "sentence": "", "all_census": False}
    classes = []
    for code in strata.size_codes:
        part = table1[table1["size_class"] == code]
        if part.empty or part["population"].sum() == 0:
            continue
        f = (part["sample"] / part["population"]).where(part["population"] > 0)
        overall = part["sample"].sum() / part["population"].sum()
        kind = "census" if f.min() >= CENSUS else ("even" if f.max() - f.min() <= EVEN else "varied")
        classes.append({"code": code, "noun": strata.size_noun(code), "kind": kind, "fraction": overall,
                        "low": float(f.min()), "high": float(f.max())})
    census = [c for c in classes if c["kind"] == "census"]
    sampled = [c for c in classes if c["kind"] != "census"]
    sentences = []
    if census:
        sentences.append(f"Bij de {_list([c['noun'] for c in census])} werd elk bedrijf van de populatie aangeschreven.")
    if sampled:
        parts = [f"{fmt.pct(c['fraction'], 0)} van de {c['noun']}" for c in sampled]
        lead = "Van de andere grootteklassen" if census else "Per grootteklasse"
        sentences.append(f"{lead} kwam een deel in de steekproef: {_list(parts)}.")
        varied = [c for c in sampled if c["kind"] == "varied"]
        if varied:
            low, high = min(c["low"] for c in varied), max(c["high"] for c in varied)
            sentences.append(f"Binnen {'een grootteklasse' if len(varied) > 1 else 'die grootteklasse'} verschilt het "
                             f"aangeschreven deel bovendien per sector: per stratum gaat het om {fmt.pct(low, 0)} tot "
                             f"{fmt.pct(high, 0)} van de bedrijven.")
    return {"classes": classes, "sentence": " ".join(sentences), "all_census": bool(classes) and not sampled}


ASSUMPTION = ("De standaardfouten en intervallen behandelen de bruikbare antwoorden binnen elk stratum als een "
              "enkelvoudige aselecte steekproef uit dat stratum. Dat is een aanname: {why}Wijken de bedrijven die "
              "antwoordden systematisch af van de andere bedrijven van hun stratum, dan zit die afwijking niet in de "
              "intervallen.")


def assumption(sel: dict) -> str:
    return ASSUMPTION.format(why="ook waar de uitnodigingen door loting werden bepaald, beslist elk bedrijf zelf of het "
                                 "antwoordt. ")


def questionnaire_changes(codebook, previous_codebook) -> list[dict]:
    """The items of this wave's questionnaire that the previous wave's did not have (matched on
    ``var``, as the trend matches them): none when there is no previous wave."""
    if previous_codebook is None:
        return []
    from .dutch import np_of

    return [{"label": i.label, "noun": str(np_of(i)), "block": codebook.blocks.get(i.block, i.block)}
            for i in codebook.items if i.var not in previous_codebook.by_var and i.block != "meta"]


def questionnaire_sentence(changes: list[dict], previous_year) -> str:
    if previous_year is None:
        return ("Verandert een latere meting een vraag of een antwoordcategorie, dan meldt het rapport van die meting "
                "dat, en vergelijkt het die vraag niet zonder meer met deze meting.")
    if not changes:
        return f"Vraagstelling en antwoordcategorieën zijn dezelfde als in {previous_year}."
    from .dutch import count, verb

    added = _list([f"{c.get('noun') or c['label'][0].lower() + c['label'][1:]} (bij de vraag over {c['block'].lower()})"
                   for c in changes])
    return (f"Tegenover {previous_year} {verb(len(changes), 'kwam', 'kwamen')} er "
            f"{count(len(changes), 'antwoordmogelijkheid', 'antwoordmogelijkheden')} bij: {added}. "
            "De andere vragen en antwoordcategorieën bleven gelijk.")


def overlap_sentence(n_both: int | None, previous_year, n_now: int, n_before: int) -> str:
    """How many firms answered in both waves, and how the change test treats them."""
    if n_both is None:
        return ""
    if n_both == 0:
        return (f"Geen enkel bedrijf dat in deze meting bruikbaar antwoordde, deed dat ook in {previous_year} (bedrijven "
                "worden herkend aan hun pseudoniem, wat enkel kan als beide metingen met dezelfde sleutel verwerkt "
                "werden). De toets op een verandering behandelt de twee metingen daarom als onafhankelijke steekproeven.")
    return (f"In totaal gaven {fmt.num(n_both)} bedrijven in beide metingen een bruikbaar antwoord ({fmt.pct(n_both / n_now, 0)} "
            f"van de {fmt.num(n_now)} bruikbare antwoorden van deze meting, {fmt.pct(n_both / n_before, 0)} van de "
            f"{fmt.num(n_before)} van {previous_year}; herkend aan hun versleutelde ondernemingsnummer). De toets op een verandering houdt daar rekening mee: de "
            "variantie van de verandering is de som van beide varianties min tweemaal hun covariantie, geschat uit de "
            "bedrijven die in beide metingen antwoordden.")
