"""The report's Dutch (aibarometer.dutch, aibarometer.prose, aibarometer.findings): sentence by
sentence, with the sentences independent readers quoted from earlier reports as regression
cases, and the templates checked to hold no sentence-building logic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aibarometer import dutch
from aibarometer.config import load_codebook
from aibarometer.dutch import NP, count, lijst, lijst_samen, more, number, of_total, sentence, tidy
from aibarometer.prose import ranking
from aibarometer.quotes import Stat

ROOT = Path(__file__).resolve().parents[1]


# --- the grammar ------------------------------------------------------------------------------

def test_noun_phrases_carry_article_and_number():
    assert str(NP("verhouding tussen kosten en baten", "de")) == "de verhouding tussen kosten en baten"
    assert str(NP("beperkte nut voor het bedrijf", "het")) == "het beperkte nut voor het bedrijf"
    assert str(NP("tekstanalyse")) == "tekstanalyse"  # a mass noun: no article
    assert str(NP("externe aanbieder", "een")) == "een externe aanbieder"
    assert NP("ethische overwegingen", "de", plural=True).verb("weegt", "wegen") == "wegen"
    assert NP("gebrek aan financiering", "het").verb("weegt", "wegen") == "weegt"
    assert NP("kennis van het AI-landschap").bare == "kennis van het AI-landschap"
    with pytest.raises(ValueError):
        NP("x", "den")


def test_numbers_below_thirteen_in_words():
    assert [number(n) for n in (1, 7, 12, 13, 1717)] == ["één", "zeven", "twaalf", "13", "1.717"]
    assert count(1, "technologie", "technologieën") == "één technologie"
    assert count(7, "soort", "soorten") == "zeven soorten"  # not '7 soorten'
    assert count(10, "drempel", "drempels") == "tien drempels"  # not '10 mogelijke drempels'
    assert of_total(7, 7) == "alle zeven" and of_total(4, 10) == "vier van de tien"


def test_lists_have_a_conjunction_and_no_semicolons():
    assert lijst([]) == "" and lijst(["a"]) == "a" and lijst(["a", "b"]) == "a en b"
    assert lijst(["a", "b", "c"]) == "a, b en c"
    assert lijst(["a", "b"], "of") == "a of b"
    assert lijst_samen(["middelgrote bedrijven", "grote bedrijven"]) == "middelgrote en grote bedrijven"
    assert lijst_samen(["microbedrijven", "grote bedrijven"]) == "microbedrijven en grote bedrijven"


def test_comparatives():
    assert more("higher") == "significant vaker" and more("lower") == "significant minder vaak"
    assert more("up", "level") == "significant hoger" and more("down", "level") == "significant lager"


@pytest.mark.parametrize("raw, tidied", [
    ("(7,3%).Tabel 5", "(7,3%). Tabel 5"),  # regression: no space after the full stop
    ("naast elkaar.De R-indicator", "naast elkaar. De R-indicator"),
    ("23,2% ,  zie ( Tabel 3 )", "23,2%, zie (Tabel 3)"),  # the decimal comma stays
    ("einde..", "einde."),
    ("a,b", "a, b"),
    ("14.274 bedrijven", "14.274 bedrijven"),
    ("ICT-beveiliging (29,7%) (Figuur 6).", "ICT-beveiliging (29,7%; Figuur 6)."),  # regression: two brackets
])
def test_spacing(raw, tidied):
    assert tidy(raw) == tidied


def test_a_sentence_has_a_capital_and_one_full_stop():
    assert sentence("bij de gebruikers", "weegt", "het gebrek aan financiering", "het zwaarst") == \
        "Bij de gebruikers weegt het gebrek aan financiering het zwaarst."
    assert sentence("Klaar.") == "Klaar." and sentence("", "") == ""


# --- the codebook gives every named answer its noun phrase ----------------------------------------

@pytest.mark.parametrize("name", ["codebook.yaml", "codebook-2023.yaml"])
def test_every_answer_the_report_names_has_a_noun_phrase(name):
    cb = load_codebook(ROOT / "config" / name)
    named_blocks = ("technologies", "barriers", "knowledge", "applications", "sources", "budget", "competitiveness",
                    "employment", "policy")
    missing = [i.var for i in cb.items if i.block in named_blocks and i.type in ("single", "multi")
               and not i.var.endswith("_none") and not i.noun]
    assert not missing
    assert cb.answer_nouns["budget_change"][5] == "een sterke stijging"


# --- ranking: what the top of a list may be called (regression cases) ------------------------------

def _stat(name, est, low, high, plural=False):
    row = pd.Series({"estimate": est, "ci_low": low, "ci_high": high, "flag": "", "n": 100, "significant": False,
                     "diff_rest": 0.0})
    return Stat(row, "proportion", name.capitalize(), NP(name, plural=plural), name)


FORMS = dict(one="Bij de gebruikers weegt {np} het zwaarst ({pct})", many="Bij de gebruikers staan {list} samen bovenaan",
             close="Bij de gebruikers liggen alle {total} drempels dicht bij elkaar ({range})",
             some="Bij de gebruikers staan {n} drempels samen bovenaan ({range})")


def test_one_leader_only_when_its_interval_stands_apart():
    apart = [_stat("a", .6, .55, .65), _stat("b", .4, .35, .45), _stat("c", .3, .25, .35)]
    assert ranking(apart, **FORMS) == "Bij de gebruikers weegt a het zwaarst (60,0%)."
    close = [_stat("a", .6, .5, .7), _stat("b", .55, .45, .65), _stat("c", .3, .25, .35)]
    assert ranking(close, **FORMS) == "Bij de gebruikers staan a (60,0%) en b (55,0%) samen bovenaan."


def test_a_list_of_all_items_is_never_called_the_top():
    """Regression: 'Tot de meest gebruikte technologieën behoren [all seven]' and 'Een groot gebrek
    melden AI-gebruikers vooral over zeven domeinen' (seven is all of them)."""
    tied = [_stat(x, .3 - k * .01, .2, .4) for k, x in enumerate("abcdefg")]
    text = ranking(tied, **FORMS)
    assert text == "Bij de gebruikers liggen alle zeven drempels dicht bij elkaar (24,0% tot 30,0%)."
    five = tied[:5] + [_stat("f", .05, .03, .07), _stat("g", .04, .02, .06)]
    assert ranking(five, **FORMS) == "Bij de gebruikers staan vijf van de zeven drempels samen bovenaan (26,0% tot 30,0%)."


# --- the sentences of findings, with the quotes of earlier readers as regressions --------------------

class _Strata:
    size_codes = ["micro", "small", "medium", "large"]

    def size_noun(self, code):
        return {"large": "grote bedrijven", "micro": "microbedrijven"}[code]

    def sector_noun(self, code):
        return "de industrie"


def _finding(indicator, block, direction="higher", group_type="size", group="large", category="1", scaled=False):
    return {"indicator": indicator, "block": block, "category": category, "direction": direction,
            "group_type": group_type, "group": group, "scaled": scaled,
            "numbers": {"estimate": 0.41, "rest": 0.10}}


@pytest.fixture(scope="module")
def cb():
    return load_codebook(ROOT / "config" / "codebook-2023.yaml")


def test_group_sentences_use_noun_phrases_not_labels(cb):
    from aibarometer.findings import sentence as finding

    text = finding([_finding("barrier_cost_benefit", "barriers", "lower")], _Strata(), cb)
    assert text == ("Grote bedrijven ervaren significant minder vaak de verhouding tussen kosten en baten (41,0% "
                    "tegenover 10,0% bij de andere bedrijven) als drempel.")
    # regression: "tekort aan kennis over '…'" -- the noun phrase after 'een groot gebrek aan'
    text = finding([_finding("gap_ai_landscape", "knowledge")], _Strata(), cb)
    assert "een groot gebrek aan kennis van het AI-landschap (41,0%" in text and "‘" not in text
    # regression: "antwoorden significant vaker 'gestegen' op de vraag naar evolutie AI-budget"
    text = finding([_finding("budget_change", "budget", category="5", scaled=True)], _Strata(), cb)
    assert text.startswith("AI-gebruikers onder de grote bedrijven melden significant vaker een sterke stijging van "
                           "het AI-budget (41,0%") and "op de vraag naar" not in text
    text = finding([_finding("app_generative_content", "applications", group_type="sector", group="10-33")],
                   _Strata(), cb, numbers=False)
    assert text == "AI-gebruikers uit de industrie (NACE 10-33) zetten AI significant vaker in voor het genereren van " \
                   "tekst, beeld of code."
    text = finding([_finding("init_training", "policy")], _Strata(), cb, numbers=False)
    assert text == "Grote bedrijven namen significant vaker deel aan de opleidingen rond AI."


def test_change_phrases_read_as_subjects(cb):
    from aibarometer.findings import change_phrase

    assert change_phrase("adopter", cb) == "het aandeel bedrijven dat AI gebruikt"
    assert change_phrase("tech_image", cb) == "het gebruik van beeldherkenning"
    assert change_phrase("app_customer_service", cb) == "het gebruik van AI voor de klantendienst"
    assert change_phrase("barrier_ethical_considerations", cb) == "het aandeel dat de ethische overwegingen een drempel noemt"
    assert change_phrase("knows_action_plan", cb) == \
        "het aandeel dat het Vlaams Actieplan Artificiële Intelligentie kent"
    assert change_phrase("emp_high_educated", cb, "3") == \
        "het aandeel dat een stijging van de tewerkstelling van hoogopgeleide werknemers meldt"


# --- templates: no comparison, no ranking, no sentence built from labels ---------------------------

FORBIDDEN_FILTERS = {"selectattr", "rejectattr", "select", "reject", "map", "sort", "groupby", "join", "words", "lc",
                     "capfirst", "min", "max", "sum", "first", "last", "unique"}


def _template_problems(source: str) -> list[str]:
    from jinja2 import nodes

    from aibarometer.report import environment

    env = environment()
    problems = []
    for node in env.parse(source).find_all((nodes.Compare, nodes.CondExpr, nodes.Filter, nodes.Call, nodes.For,
                                            nodes.Concat)):
        if isinstance(node, nodes.Compare):
            problems.append(f"line {node.lineno}: comparison")
        elif isinstance(node, nodes.CondExpr):
            problems.append(f"line {node.lineno}: inline if/else (a choice of words)")
        elif isinstance(node, nodes.Concat):
            problems.append(f"line {node.lineno}: string concatenation (~)")
        elif isinstance(node, nodes.Filter) and node.name in FORBIDDEN_FILTERS:
            problems.append(f"line {node.lineno}: filter {node.name}")
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in ("join_nl",):
            problems.append(f"line {node.lineno}: {node.node.name}")
        elif isinstance(node, nodes.For):  # a loop may repeat rows, items or paragraphs, never build a sentence
            markup = "".join(d.data for d in node.find_all(nodes.TemplateData))
            if not any(tag in markup for tag in ("<tr", "<td", "<th", "<li", "<p", "<dt", "<figure")):
                problems.append(f"line {node.lineno}: a loop that builds running text")
    return problems


def test_templates_hold_no_sentence_logic():
    found = {}
    for path in sorted((ROOT / "workflow" / "templates").rglob("*.j2")):
        problems = _template_problems(path.read_text(encoding="utf-8"))
        if problems:
            found[path.name] = problems
    assert not found


@pytest.mark.parametrize("snippet", [
    "{% if a.value > 0.5 %}De meeste{% endif %}",
    "{{ 'is' if n == 1 else 'zijn' }}",
    "{{ join_nl(xs|map(attribute='named')|list) }}",
    "{{ xs|selectattr('higher')|list }}",
    "{% for s in xs %}{{ s.label }}{% if not loop.last %}, {% endif %}{% endfor %}",
])
def test_the_template_check_catches_what_it_forbids(snippet):
    """Mutation check: each of the old templates' constructions is caught."""
    assert _template_problems(snippet)


def test_dutch_module_is_the_one_place_for_number_words():
    assert dutch.WORDS[7] == "zeven"


def test_table_headers_break_at_compound_boundaries():
    from aibarometer.dutch import SOFT_HYPHEN, compound_breaks

    assert compound_breaks("Tekstanalyse") == f"Tekst{SOFT_HYPHEN}analyse"  # not 'Tekstana-lyse'
    assert compound_breaks("Ondersteunende diensten") == f"Onder{SOFT_HYPHEN}steunende diensten"
    assert compound_breaks("Gebruikt minstens één AI-technologie") == f"Gebruikt minstens één AI-techno{SOFT_HYPHEN}logie"
    assert compound_breaks("Procesautomatisatie") == f"Proces{SOFT_HYPHEN}automatisatie"  # one break: WeasyPrint
    # draws the hyphen of only the last of two soft hyphens in a word ('Proces automati-satie')
    assert compound_breaks("Logistiek") == "Logistiek"


def test_table_a4_lists_every_group_finding_under_its_block(cb):
    from types import SimpleNamespace

    from aibarometer.prose import group_rows

    strata = SimpleNamespace(size_label=lambda c: {"large": "Groot (250+ werknemers)"}[c],
                             sector_short=lambda c: "Industrie")
    found = [dict(_finding("barrier_cost_benefit", "barriers", "lower"), id="a", weight=9.0, category_label="Ja",
                  numbers={"estimate": .4, "rest": .5, "q_value": .01, "n": 300}),
             dict(_finding("tech_image", "technologies"), id="b", weight=20.0, category_label="Gebruikt dit nu",
                  numbers={"estimate": .3, "rest": .1, "q_value": .0004, "n": 300}),
             dict(_finding("tech_nlg", "technologies", group_type="sector", group="10-33"), id="c", weight=5.0,
                  category_label="Gebruikt dit nu", numbers={"estimate": .2, "rest": .1, "q_value": .02, "n": 90})]
    numbers = SimpleNamespace(codebook=cb, by=lambda kind, indicator: [])  # no adoption difference here
    rows = group_rows({"N": numbers, "strata": strata, "findings": {"group": found}})
    assert [r["answer"] for r in rows] == ["Beeldherkenning", "Taalgeneratie", "Kosten-batenverhouding"]
    assert [r["first"] for r in rows] == [True, False, True]  # one heading row per block
    assert rows[0]["q"] == "< 0,001" and rows[2]["q"] == "0,010" and rows[1]["group"] == "NACE 10-33 Industrie"
