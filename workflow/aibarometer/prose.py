"""The report's running text, written from the results: every sentence of the chapters.

The templates only place what this module writes (``text.<slot>``: a list of paragraphs,
or of list items for the summary) and decide which chapter, table or figure is shown. What a
sentence may claim is decided here, by the evidence the methodology names:

* a ranking ('het meest', 'de grootste drempel') only at a clear break: no 95% interval of
  the items named overlaps one of the items below them (:func:`top_group`); two or three items
  above such a break are named together, without a break the text says how far the values run
  or that they lie close -- never a cut between two items whose intervals overlap;
* a difference between groups only where it is significant after the Benjamini-Hochberg
  correction and the estimate carries no flag (``Stat.higher``/``lower``, the findings);
* a change only where the trend's test says so (``trend.csv``), with its groups
  (:func:`aibarometer.findings.change_by_group`);
* 'een meerderheid' only where the interval lies above 50%.

The Dutch comes from :mod:`aibarometer.dutch` (noun phrases from the codebook, lists,
agreement, numbers in words, spacing).
"""

from __future__ import annotations

from . import fmt
from .dutch import capfirst, count, lijst, lijst_samen, number, of_total, paragraph, sentence, verb
from .quotes import Numbers, Stat

TOO_MANY = 3  # more leaders than this: the text says the items lie close together


def _named(stats: list[Stat]) -> str:
    return lijst([s.named for s in stats])


def _majority(s: Stat) -> bool:
    """More than half, as the interval shows (not the point estimate alone)."""
    return not s.suppressed and float(s.row["ci_low"]) > 0.5


def _minority(s: Stat) -> bool:
    return not s.suppressed and float(s.row["ci_high"]) < 0.5


def top_group(ranked: list[Stat]) -> list[Stat]:
    """The items above the first clear break: the smallest k for which every one of the first k
    intervals lies above every interval after them (no interval of the top overlaps one of the
    rest). Without such a break, all items. A ranking word is never a cut between two items whose
    intervals overlap."""
    for k in range(1, len(ranked)):
        if min(float(s.row["ci_low"]) for s in ranked[:k]) > max(float(s.row["ci_high"]) for s in ranked[k:]):
            return ranked[:k]
    return list(ranked)


def leaders_phrase(ranked: list[Stat]) -> tuple[str, list[Stat]]:
    """('apart' | 'together' | 'all', leaders): how the top of a ranked list may be described."""
    group = top_group(ranked)
    if len(group) == 1:
        return "apart", group
    if len(group) > TOO_MANY or len(group) == len(ranked):
        return "all", group
    return "together", group


def _range(group: list[Stat]) -> str:
    return f"{group[-1].pct} tot {group[0].pct}"


def ranking(ranked: list[Stat], *, one: str, many: str, close: str, some: str = "", gradual: str = "") -> str:
    """A sentence on the top of a ranked list. ``one`` is formatted with {np} and {pct} (the first
    stands apart), ``many`` with {list} (two or three lead together), ``close`` with {total} and
    {range} (all lie together), ``some`` with {n} ('vier van de elf') and {range} (more than three
    lead, not all)."""
    how, group = leaders_phrase(ranked)
    if how == "apart":
        return sentence(one.format(np=group[0].noun if group[0].noun is not None else fmt.lower_first(group[0].label),
                                   pct=group[0].pct))
    if how == "together":
        return sentence(many.format(list=_named(group)))
    total = len(ranked)
    if gradual and group[0].apart_from(group[-1]):
        # no clear break near the top, and the ends of the group differ: say how far the values run
        text = sentence(gradual.format(n=of_total(len(group), total), low=group[-1].named, high=group[0].named))
        rest = ranked[len(group):]
        if rest:
            lies = rest[0].noun.verb("ligt", "liggen") if len(rest) == 1 and rest[0].noun is not None else "liggen"
            text += " " + sentence("Duidelijk lager", lies, _named(rest))
        return text
    if len(group) == total or not some:
        return sentence(close.format(total=number(total), n=of_total(len(group), total), range=_range(group)))
    names = lijst([str(s.noun) if s.noun is not None else fmt.lower_first(s.label) for s in group])
    return sentence(some.format(n=of_total(len(group), total), range=_range(group), names=names))


def bottom(ranked: list[Stat]) -> list[Stat]:
    """The items below the last clear break from the bottom (the mirror of :func:`top_group`),
    when there are at most three of them."""
    if len(ranked) < 4:
        return []
    rev = list(reversed(ranked))
    for k in range(1, TOO_MANY + 1):
        if max(float(s.row["ci_high"]) for s in rev[:k]) < min(float(s.row["ci_low"]) for s in rev[k:]):
            return list(reversed(rev[:k]))
    return []


def _sizes_with(stats: list[tuple[str, str, Stat]], attr: str) -> list[tuple[str, Stat]]:
    return [(code, s) for code, _, s in stats if getattr(s, attr)]


class Writer:
    """The paragraphs of one report, from its context (:func:`aibarometer.report.load_context`)."""

    def __init__(self, ctx: dict):
        self.ctx = ctx
        self.N: Numbers = ctx["N"]
        self.E = self.N.E
        self.strata = ctx["strata"]
        self.codebook = self.N.codebook
        self.tl = ctx["tl"]
        self.trend = ctx.get("trend")
        self.adopt = self.E("adopter", 1)
        self.planners = self.E("n_technologies", "0_plans")
        self.nonplan = self.E("n_technologies", "0_no_plans")
        self.techs = self.N.ranked([i.var for i in self.codebook.technology_items])
        self.bar_a = self.N.ranked("barriers", 1, "adopter:yes")
        self.bar_n = self.N.ranked("barriers", 1, "adopter:no")
        self.gap_a = self.N.ranked("knowledge", 1, "adopter:yes")
        self.gap_n = self.N.ranked("knowledge", 1, "adopter:no")
        self.apps = self.N.ranked("applications", 1, "all", ["app_none"])
        self.srcs = self.N.ranked("sources")
        self.sizes = self.N.by("size", "adopter")
        self.sectors = self.N.by("sector", "adopter")

    # --- pieces used in more than one chapter ----------------------------------------------

    def sector_np(self, code: str) -> str:
        return f"{self.strata.sector_noun(code)} (NACE {code})"

    def size_list(self, pairs, with_pct: bool = True) -> str:
        if not with_pct:
            return lijst_samen([self.strata.size_noun(c) for c, _ in pairs])
        return lijst([f"{self.strata.size_noun(c)} ({s.pct})" for c, s in pairs])

    def sector_list(self, stats) -> str:
        return lijst([f"{self.strata.sector_noun(code)} ({s.pct}; NACE {code})" for code, _, s in stats],
                     "en in") if len(stats) == 2 else lijst(
            [f"{self.strata.sector_noun(code)} ({s.pct}; NACE {code})" for code, _, s in stats])

    def barriers_top(self, ranked: list[Stat], who: str) -> str:
        return ranking(ranked, one=who + " weegt {np} het zwaarst ({pct})",
                       many=who + " staan {list} samen bovenaan",
                       gradual=who + " lopen {n} drempels zonder duidelijke breuk uiteen van {low} tot {high}",
                       close=who + " liggen alle {total} drempels dicht bij elkaar ({range}): geen enkele springt er "
                                   "duidelijk uit",
                       some=who + " staan {n} drempels samen bovenaan ({range})")

    def knowledge_top(self, ranked: list[Stat], who: str, below: bool = True) -> str:
        """Where a large gap is reported most: one, two or three items named by the interval rule,
        or the items that share the top (named), or that all lie together."""
        how, group = leaders_phrase(ranked)
        if how == "apart":
            return sentence(who, "melden het vaakst een groot gebrek aan", group[0].noun.bare, f"({group[0].pct})")
        if how == "together":
            return sentence(who, "melden het vaakst een groot gebrek aan",
                            lijst([f"{s.noun.bare} ({s.pct})" for s in group]))
        total = len(ranked)
        if len(group) == total and group[0].apart_from(group[-1]):
            return sentence(f"{who} melden voor de {number(total)} soorten kennis een groot gebrek in {_range(group)} "
                            "van de gevallen, zonder duidelijke breuk tussen de soorten")
        if len(group) == total:
            return sentence(f"{who} melden voor alle {number(total)} soorten kennis een groot gebrek in {_range(group)} "
                            "van de gevallen; hun intervallen overlappen, zodat geen enkele soort eruit springt")
        rest = ranked[len(group):]
        if len(rest) < len(group) - 1:  # name the few that lie lower, not the many that lead
            return sentence(f"{who} melden voor {of_total(len(group), total)} soorten kennis een groot gebrek in "
                            f"{_range(group)} van de gevallen; enkel voor", lijst([s.noun.bare for s in rest]),
                            f"ligt het aandeel duidelijk lager ({lijst([s.pct for s in rest])})")
        text = sentence(f"{who} melden het vaakst een groot gebrek aan",
                        lijst([s.noun.bare for s in group]), f"({_range(group)})")
        if below and rest:
            text += " " + sentence("Voor", lijst([s.noun.bare for s in rest]), "ligt het aandeel onder het hoogste",
                                   f"({lijst([s.pct for s in rest])})")
        return text

    # --- summary -----------------------------------------------------------------------------

    def summary(self) -> dict:
        """The summary: its own short wording (the chapters give the detail), what changed first."""
        ctx, E = self.ctx, self.E
        lead = paragraph(
            sentence(f"De AI-Barometer volgt hoe Vlaamse bedrijven met minstens {ctx['min_employees']} werknemers "
                     "artificiële intelligentie (AI) inzetten, wat hen tegenhoudt en welke kennis hun ontbreekt"),
            sentence(f"Deze editie steunt op {ctx['flow']['usable']} bruikbare antwoorden van de {ctx['flow']['sampled']} "
                     "aangeschreven bedrijven, gekozen per sector en grootteklasse; alle cijfers zijn gewogen naar de "
                     f"populatie van {ctx['tables'][1]['totals']['total']['population']} bedrijven"))
        items = []
        change = self.change_summary()
        if change:
            items.append(change)
        items.append(paragraph(
            sentence(f"AI is in gebruik bij {self.adopt.pct} van de bedrijven: zij zetten minstens één van de "
                     f"{count(len(self.techs), 'bevraagde technologie', 'bevraagde technologieën')} in "
                     f"(95%-betrouwbaarheidsinterval {self.adopt.ci})"),
            sentence(f"Nog eens {self.planners.pct} van de bedrijven wil binnen het jaar met AI beginnen")))
        hi = _sizes_with(self.sizes, "higher")
        sec_hi = [t for t in self.sectors if t[2].higher]
        parts = ([f"bij {lijst_samen([self.strata.size_noun(c) for c, _ in hi])}"] if hi else []) + [
            f"in {self.sector_np(code)}" for code, _, _ in sec_hi]
        if parts:
            items.append(self.higher_groups("summary"))
        if leaders_phrase(self.techs)[0] in ("apart", "together"):  # a summary says only what stands out
            items.append(ranking(self.techs, one="Van de technologieën wordt {np} het vaakst gebruikt ({pct})",
                                 many="Van de technologieën worden {list} het vaakst gebruikt",
                                 close="De zeven technologieën worden ongeveer even vaak gebruikt ({range})"))
        how_a, lead_a = leaders_phrase(self.bar_a)
        how_n, lead_n = leaders_phrase(self.bar_n)
        if how_n == "apart":
            items.append(sentence(f"Wie geen AI gebruikt, ziet vooral {lead_n[0].noun} als drempel ({lead_n[0].pct})"
                                  + (f"; gebruikers noemen het vaakst {lead_a[0].noun} ({lead_a[0].pct})"
                                     if how_a == "apart" else "")))
        worse = [s for s in self.gap_a if E(s.indicator, 1, "adopter:yes").lower]
        if worse:
            items.append(sentence(f"Een groot gebrek aan kennis melden vooral de niet-gebruikers: voor "
                                  f"{of_total(len(worse), len(self.gap_a))} soorten kennis doen ze dat significant "
                                  "vaker dan de gebruikers"))
        items.append(sentence(f"Als effect van AI meldt {E('comp_process_quality', 1).pct} van de gebruikers een hogere "
                              f"kwaliteit van de processen, {E('comp_cost_reduction', 1).pct} lagere kosten en "
                              f"{E('comp_new_products', 1).pct} nieuwe of verbeterde producten of diensten"))
        items.append(self.employment_sentence(short=True))
        items.append(sentence(f"Het Vlaams Actieplan Artificiële Intelligentie is bekend bij "
                              f"{E('knows_action_plan', 1).pct} van de bedrijven"))
        items.append(sentence("Bedrijven die met AI bezig zijn, beantwoorden een enquête over AI wellicht eerder dan "
                              "andere; in dat geval liggen de cijfers over het gebruik aan de hoge kant (paragraaf 2.3)"))
        items += ctx.get("derived_sentences", [])
        items = [i for i in items if i]
        return {"lead": lead, "items": items, "marks": any("*" in i for i in items)}

    def higher_groups(self, form: str) -> str:
        """Where use is significantly higher than in the rest: the summary's and the conclusions' own wording."""
        hi = _sizes_with(self.sizes, "higher")
        sec_hi = [t for t in self.sectors if t[2].higher]
        if not hi and not sec_hi:
            return ""
        sizes = lijst_samen([self.strata.size_noun(c) for c, _ in hi]) if hi else ""
        if form == "summary":
            return sentence(lijst(([f"bij {sizes}"] if sizes else []) + [f"in {self.sector_np(code)}"
                                                                      for code, _, _ in sec_hi]),
                            "ligt het gebruik significant hoger dan bij de andere bedrijven")
        who = lijst(([capfirst(sizes)] if sizes else []) + [f"bedrijven uit {self.sector_np(code)}"
                                                             for code, _, _ in sec_hi])
        return sentence(who, "gebruiken AI significant vaker dan de andere bedrijven")

    def change_summary(self) -> str:
        """The summary's first point when there is an earlier wave: what changed significantly."""
        t = self.trend
        if not t:
            return ""
        moved = sorted(t["significant_up"] + t["significant_down"], key=lambda r: -abs(r["change_raw"]))
        if not moved:
            return sentence(f"Geen enkele kernindicator veranderde significant sinds {t['previous_year']} "
                            f"(Tabel {self.tl['trend']})")
        limit = 5 if len(moved) <= 5 else 3  # all of them, unless the list gets long
        up = [r["phrase"] for r in moved if r["up"]][:limit]
        down = [r["phrase"] for r in moved if not r["up"]][:limit]
        parts = []
        if up:
            parts.append(f"{verb(len(up), 'steeg', 'stegen')} {lijst(up)} significant")
        if down:
            parts.append(f"{verb(len(down), 'daalde', 'daalden')} {lijst(down)} significant")
        rest = len(moved) - len(up) - len(down)
        extra = (" " + sentence(f"Nog {count(rest, 'andere kernindicator', 'andere kernindicatoren')}",
                                verb(rest, "veranderde", "veranderden"), "significant (hoofdstuk "
                                f"{self.ctx['ch']['evolutie']})")) if rest else ""
        return sentence(f"Sinds {t['previous_year']}", ", terwijl ".join(parts), f"(Tabel {self.tl['trend']})") + extra

    def employment_sentence(self, short: bool = False) -> str:
        E = self.E
        lo_d, lo_u, hi_d, hi_u = (E("emp_low_educated", 1), E("emp_low_educated", 3), E("emp_high_educated", 1),
                                  E("emp_high_educated", 3))
        same = [E("emp_low_educated", 2), E("emp_high_educated", 2)]
        opening = ("De meeste AI-gebruikers melden geen verandering in hun tewerkstelling die ze aan AI toeschrijven"
                   if all(map(_majority, same)) else "Een deel van de gebruikers meldt een verandering in de tewerkstelling "
                   "die het aan AI toeschrijft")
        if short:
            return sentence(f"{opening}: bij laagopgeleiden meldt {lo_d.pct} een daling en {lo_u.pct} een stijging, bij "
                            f"hoogopgeleiden {hi_d.pct} een daling en {hi_u.pct} een stijging")
        return paragraph(
            sentence(opening, "(Figuren 10 en 11)"),
            sentence(f"Bij laagopgeleide werknemers meldt {lo_d.pct} een daling en {lo_u.pct} een stijging, bij "
                     f"hoogopgeleiden {hi_d.pct} een daling en {hi_u.pct} een stijging"),
            sentence("Wie een daling meldt, schat ze gemiddeld op",
                     f"{self.mean('emp_low_educated_pct', 'mean_when_1', 'bij laagopgeleiden')} en",
                     f"{self.mean('emp_high_educated_pct', 'mean_when_1', 'bij hoogopgeleiden')}; wie een stijging "
                     "meldt, op", f"{self.mean('emp_low_educated_pct', 'mean_when_3', 'bij laagopgeleiden')} en",
                     self.mean('emp_high_educated_pct', 'mean_when_3', 'bij hoogopgeleiden')))

    # --- chapter 3 -------------------------------------------------------------------------------

    def adoption(self) -> list[str]:
        E, tl = self.E, self.tl
        n = len(self.techs)
        p1 = paragraph(
            sentence(f"Van de Vlaamse bedrijven gebruikt {self.adopt.pct} minstens één van de "
                     f"{count(n, 'voorgelegde AI-technologie', 'voorgelegde AI-technologieën')} (Figuur 1):",
                     f"{E('n_technologies', '1').pct} gebruikt er precies één, {E('n_technologies', '2').pct} twee, "
                     f"{E('n_technologies', '3').pct} drie en {E('n_technologies', '4+').pct} vier of meer"),
            sentence(f"Van alle bedrijven is {self.planners.pct} van plan AI binnen de komende twaalf maanden in te "
                     f"voeren; de overige {self.nonplan.pct} gebruikt geen AI en is dat ook niet van plan"))
        low = bottom(self.techs)
        least = ""
        if len(low) == 1:
            least = sentence(f"Het minst gebruikt {'worden' if low[0].noun.plural else 'wordt'} {low[0].named}")
        pot = self.N.ranked(self.ctx["fig_items"](3))
        p2 = paragraph(
            sentence("Figuur 2 toont het gebruik per technologie"),
            ranking(self.techs, one="{np} is met {pct} de meest gebruikte technologie",
                    many="De meest gebruikte technologieën zijn {list}; de intervallen van de andere technologieën "
                         "overlappen niet met dat van de eerste",
                    gradual="Er is geen duidelijke breuk tussen {n} technologieën: het gebruik varieert geleidelijk "
                            "van {low} tot {high}",
                    close="Het gebruik van alle {total} technologieën ligt dicht bij elkaar ({range}): geen enkele "
                          "springt er duidelijk uit",
                    some="{names} staan samen bovenaan ({range})"),
            least,
            sentence("Tellen we de bedrijven mee die een technologie binnen het jaar willen invoeren, dan ontstaat het "
                     "adoptiepotentieel van Figuur 3"),
            ranking(pot, one="Dat potentieel is het grootst voor {np} ({pct})",
                    many="Dat potentieel is het grootst voor {list}",
                    close="Voor alle {total} technologieën ligt dat potentieel dicht bij elkaar ({range})",
                    gradual="Dat potentieel varieert zonder duidelijke breuk van {low} tot {high}",
                    some="Het grootst is het voor {names} ({range})"))
        hi = [t for t in self.sectors if t[2].higher]
        lo = [t for t in self.sectors if t[2].lower]
        if hi or lo:
            sec = [sentence(f"Het gebruik verschilt naar sector (Tabel {tl[3]})")]
            if hi:
                sec.append(sentence("In", self.sector_list(hi), "ligt het aandeel AI-gebruikers significant hoger dan "
                                    "bij de andere bedrijven"))
            if lo:
                sec.append(sentence("In", self.sector_list(lo), "ligt het significant lager"))
        else:
            sec = [sentence(f"Tabel {tl[3]} geeft het gebruik per sector; geen enkele sector wijkt significant af van "
                            "de rest")]
        size_hi = _sizes_with(self.sizes, "higher")
        size_lo = _sizes_with(self.sizes, "lower")
        sizes = [sentence(f"Het gebruik hangt samen met de grootte van het bedrijf (Tabel {tl[4]}):",
                          lijst([f"{s.pct} bij {self.strata.size_noun(c)}" for c, _, s in self.sizes]))]
        if size_hi:
            sizes.append(sentence("Bij", self.size_list(size_hi, False), "ligt het significant hoger dan bij de rest"))
        if size_lo:
            share = self.ctx["population_share"]([c for c, _ in size_lo])
            sizes.append(sentence("Bij", self.size_list(size_lo, False), "ligt het gebruik significant lager; omdat ze",
                                  f"{share} van de populatie vormen (Tabel {tl[1]}), drukt dat het cijfer voor alle "
                                  "bedrijven"))
        return [p1, p2, paragraph(*sec, *sizes), self.ctx["groups"]["technologies"]]

    def barriers(self) -> list[str]:
        E = self.E
        p1 = paragraph(
            sentence(f"De bedrijven kregen {count(len(self.bar_a), 'mogelijke drempel', 'mogelijke drempels')} "
                     "voorgelegd (Figuur 4)"),
            self.barriers_top(self.bar_a, "Bij de AI-gebruikers"),
            self.barriers_top(self.bar_n, "Bij de niet-gebruikers"))
        # users against non-users: the test of the domain adopter:yes against the rest (the non-users)
        differ = []
        for v in [s.indicator for s in self.bar_a]:
            a, b = E(v, 1, "adopter:no"), E(v, 1, "adopter:yes")
            if b.higher or b.lower:
                differ.append((abs(a.value - b.value), a, b))
        differ.sort(key=lambda d: -d[0])
        if differ:
            more_n = [(a, b) for _, a, b in differ if a.value > b.value]
            more_u = [(a, b) for _, a, b in differ if a.value < b.value]
            said = []
            if more_n:
                said.append(sentence("Niet-gebruikers noemen significant vaker", lijst(
                    [f"{a.noun} ({a.pct} tegenover {b.pct})" for a, b in more_n]), "een drempel"))
            if more_u:
                said.append(sentence("Gebruikers noemen significant vaker", lijst(
                    [f"{a.noun} ({b.pct} tegenover {a.pct})" for a, b in more_u]), "een drempel"))
            p2 = paragraph(
                sentence(f"Gebruikers en niet-gebruikers verschillen significant bij "
                         f"{of_total(len(differ), len(self.bar_a))} drempels"), *said)
        else:
            p2 = sentence("Tussen gebruikers en niet-gebruikers is geen enkel verschil significant")
        return [p1, p2, self.ctx["groups"]["barriers"]]

    def knowledge(self) -> list[str]:
        E = self.E
        worse = [s for s in self.gap_a if E(s.indicator, 1, "adopter:yes").lower]
        lo, hi = self.gap_n[-1], self.gap_n[0]
        none_a = self.N.ranked("knowledge", 3, "adopter:yes")
        odd = ""
        if none_a and len(top_group(none_a)) == 1:
            s0 = none_a[0]
            odd = sentence(f"Opvallend is {s0.noun.bare}: {s0.pct} van de gebruikers antwoordt daarvoor ‘geen gebrek’, "
                           "meer dan bij elke andere soort kennis")
        p1 = paragraph(
            sentence(f"Figuur 5 toont voor elk van de {count(len(self.gap_a), 'soort', 'soorten')} kennis en "
                     f"vaardigheden hoe groot het tekort is; {self.N.bases['knowledge'] and fmt.num(self.N.bases['knowledge'])} "
                     f"van de {self.ctx['flow']['usable']} bedrijven beantwoordden die vragen"),
            self.knowledge_top(self.gap_a, "AI-gebruikers"),
            odd,
            sentence(f"Bij de niet-gebruikers loopt het aandeel met een groot gebrek uiteen van {lo.pct} "
                     f"({lo.noun.bare}) tot {hi.pct} ({hi.noun.bare})"),
            sentence(f"Voor {of_total(len(worse), len(self.gap_a))} soorten kennis melden niet-gebruikers "
                     "significant vaker een groot gebrek dan gebruikers") if worse else
            sentence("Gebruikers en niet-gebruikers verschillen bij geen enkele soort kennis significant"),
            sentence("Een groot gebrek meldt dus een minderheid: het aandeel ligt voor elke soort kennis onder de helft")
            if all(map(_minority, self.gap_a + self.gap_n)) else "")
        return [p1, self.ctx["groups"]["knowledge"]]

    def applications(self) -> list[str]:
        low = bottom(self.apps)
        t5 = self.ctx["tables"][5]
        flags = {c["flag"] for r in t5["rows"] for c in r["cells"]}
        marks = lijst((["met een sterretje gemarkeerd"] if flags - {"", "suppressed"} else [])
                      + (["weggelaten (–)"] if "suppressed" in flags else []), "of")
        p1 = paragraph(
            ranking(self.apps, one="AI-gebruikers zetten AI het vaakst in voor {np} ({pct}; Figuur 6)",
                    many="AI-gebruikers zetten AI het vaakst in voor {list} (Figuur 6)",
                    close="De {total} toepassingen komen ongeveer even vaak voor ({range}; Figuur 6)",
                    gradual="Tussen {n} toepassingen is er geen duidelijke breuk: hun aandeel varieert "
                            "geleidelijk van {low} tot {high} (Figuur 6)",
                    some="AI-gebruikers zetten AI het vaakst in voor {names} ({range}; Figuur 6)"),
            sentence("Het minst vaak gaat het om", _named(low)) if low else "",
            sentence(f"Tabel {self.tl[5]} splitst de toepassingen uit per sector",
                     f"; een cijfer dat op te weinig antwoorden steunt of een te breed interval heeft, is {marks}, "
                     "volgens de criteria in de bijlage" if marks else ""))
        new = self.new_options()
        return [p1, *([new] if new else []), self.ctx["groups"]["applications"]]

    def new_options(self) -> str:
        """An answer option new in this wave: its level (the trend chapter says what it means for the comparison)."""
        t = self.trend
        if not t:
            return ""
        before = t.get("new_items", [])
        from .findings import block_of

        out = []
        for var in before:
            s = self.E(var, 1)
            if s.suppressed:
                continue
            if block_of(var, self.codebook) == "applications":
                out.append(sentence(f"Nieuw in deze meting is de antwoordmogelijkheid ‘{fmt.lower_first(s.label)}’: "
                                    f"{s.pct} van de AI-gebruikers zet AI daarvoor in"))
            else:
                out.append(sentence(f"Nieuw in deze meting is de antwoordmogelijkheid {s.noun} ({s.pct})"))
        return " ".join(out)

    def next_sources(self) -> str:
        """After a source that stands apart: the ones that follow, as the figure shows them."""
        lead = top_group(self.srcs)
        rest = self.srcs[len(lead):len(lead) + 2]
        if len(lead) != 1 or not rest:
            return ""
        return sentence("Minder vaak verwerven ze hun AI via", lijst([s.named for s in rest], "of"))

    def sources_budget(self) -> list[str]:
        E = self.E
        inhouse, own = E("source_in_house", 1), E("source_own_modified", 1)
        p1 = paragraph(
            ranking(self.srcs, one="De gebruikers verwerven hun AI het vaakst via {np} ({pct}; Figuur 7)",
                    many="De gebruikers verwerven hun AI het vaakst via {list} (Figuur 7)",
                    close="Alle {total} manieren om AI te verwerven komen ongeveer even vaak voor ({range}; Figuur 7)",
                    gradual="De manieren om AI te verwerven variëren zonder duidelijke breuk van {low} tot {high} "
                            "(Figuur 7)",
                    some="De gebruikers verwerven hun AI het vaakst via {names} ({range}; Figuur 7)"),
            self.next_sources(),
            sentence(f"Zelf ontwikkelen doet {inhouse.pct}. Tellen we de gebruikers die commerciële of "
                     f"opensourcesoftware met eigen personeel aanpasten samen (wie beide deed, één keer), dan gaat het om "
                     f"{own.pct}"))
        same, up, down = E("budget_change", 3), E("budget_change", "increased"), E("budget_change", "decreased")
        up_hi = [(c, s) for c, _, s in self.N.by("size", "budget_change", "increased", "adopter_") if s.higher]
        p2 = paragraph(
            sentence(f"Het AI-budget bleef het afgelopen jaar gelijk bij {same.pct} van de gebruikers (Figuur 8); "
                     f"{up.pct} meldt een stijging, {down.pct} een daling"),
            sentence("Een stijging kwam significant vaker voor bij", self.size_list(up_hi)) if up_hi else "")
        return [p1, p2, self.ctx["groups"]["sources_budget"]]

    def mean(self, var: str, cat: str = "mean", where: str = "") -> str:
        """A mean with its base: '9,0% (n = 231)', or '7,9% bij laagopgeleiden (n = 36)'; a flagged
        one keeps its asterisk."""
        s = self.E(var, cat)
        return f"{s.pct}{' ' + where if where else ''} (n = {s.n})"

    def impact(self) -> dict:
        E = self.E
        np_, pq, cr = E("comp_new_products", 1), E("comp_process_quality", 1), E("comp_cost_reduction", 1)
        micro = E("comp_new_products_pct", "mean", "size:micro")
        comp = paragraph(
            sentence("Figuur 9 toont welke effecten de gebruikers zelf aan AI toeschrijven"),
            sentence(f"Van de gebruikers bracht {np_.pct} dankzij AI nieuwe of verbeterde producten of diensten op de "
                     "markt; volgens die bedrijven maken ze gemiddeld",
                     self.mean('comp_new_products_pct', where="van de omzet uit")),
            sentence(f"Een hogere kwaliteit van de processen meldt {pq.pct}; de bedrijven die de omzetstijging "
                     f"daarvan konden becijferen, schatten ze gemiddeld op {self.mean('comp_process_quality_pct')}"),
            sentence(f"Lagere kosten meldt {cr.pct}, met een geschatte daling van gemiddeld "
                     f"{self.mean('comp_cost_reduction_pct')}"),
            sentence(f"Bij microbedrijven is het omzetaandeel van nieuwe producten significant hoger ({micro.pct})")
            if micro.higher else "")
        return {"competitiveness": [comp], "employment": [self.employment_sentence(), self.ctx["groups"]["impact"]]}

    def policy(self) -> list[str]:
        E = self.E
        plan = E("knows_action_plan", 1)
        inits = self.N.summed([i.var for i in self.codebook.items if i.codes_name == "initiative"], [1, 2])
        p1 = [sentence(f"Dat er een Vlaams Actieplan Artificiële Intelligentie bestaat, weet {plan.pct} van de "
                       "bedrijven (Figuur 12)")]
        if inits:
            top, low = inits[0], inits[-1]
            t_np, l_np = (self.E(x["var"], 1).noun for x in (top, low))
            p1.append(sentence(f"De initiatieven van het actieplan zijn bekend bij {low['pct']} ({l_np}) tot "
                               f"{top['pct']} ({t_np}) van de bedrijven, wie deelnam meegerekend"))
            p1.append(sentence("Omdat elk initiatief een eigen doelgroep heeft, zegt een vergelijking tussen de "
                               "initiatieven weinig over hun succes"))
        return [paragraph(*p1), self.ctx["groups"]["policy"]]

    def europe(self) -> list[str]:
        eu, ctx = self.ctx["eurostat"], self.ctx
        p = paragraph(
            sentence("Eurostat meet het gebruik van AI in de Europese enquête naar ICT-gebruik in ondernemingen, maar "
                     "enkel bij bedrijven met minstens 10 werkzame personen"),
            sentence(f"Beperken we onze cijfers tot de bedrijven met minstens 10 werknemers, dan gebruikt "
                     f"{eu['flanders_10plus'].pct} "
                     f"{eu['flanders_10plus'].ci} van de Vlaamse bedrijven minstens één AI-technologie, tegenover "
                     f"{eu['flanders_all'].pct} voor alle bedrijven met minstens {ctx['min_employees']} werknemers"),
            sentence("De vergelijking vraagt voorzichtigheid: Eurostat telt werkzame personen waar deze barometer "
                     "werknemers telt, de vragenlijst van deze barometer is een eigen vertaling en uitbreiding van de "
                     "Europese module, de responsgraad en het tijdstip van de bevraging verschillen, en bij een lage "
                     "respons kunnen bedrijven die al met AI bezig zijn, oververtegenwoordigd zijn (paragraaf 2.3)"))
        out = [p]
        if ctx["wave"].get("synthetic"):
            out.append(sentence(f"De Vlaamse cijfers van dit rapport zijn synthetisch: de afstand tot de Belgische en "
                                f"Europese cijfers zegt daarom niets over Vlaanderen. Tabel {self.tl['eurostat']} toont "
                                "hoe de vergelijking in een echte meting wordt opgebouwd"))
        return out

    # --- trend and conclusions -------------------------------------------------------------------

    def trend_text(self) -> dict:
        t = self.trend
        if not t:
            return {}
        tl = self.tl["trend"]
        intro = paragraph(
            sentence(f"Deze meting volgt de meting van {t['previous_year']} op met "
                     f"{'een grotendeels gelijke' if t['changed'] else 'dezelfde'} vragenlijst"),
            t["overlap"],
            sentence(f"Tabel {tl} geeft per indicator het aantal bedrijven dat in beide metingen antwoordde en de "
                     "correlatie tussen de twee schattingen") if t["linked"] else "",
            sentence(f"Een verandering noemen we significant als haar p-waarde, gecorrigeerd voor het aantal vergeleken "
                     f"indicatoren (Benjamini-Hochberg: de q-waarde), onder {self.ctx['alpha']} ligt; die correctie "
                     "geldt voor de veranderingen samen, los van de vergelijkingen tussen groepen in hoofdstuk 3. De "
                     f"intervallen in Tabel {tl} zijn niet gecorrigeerd, zodat een interval zonder nul nog geen "
                     "significante verandering betekent"),
            sentence(f"Tabel {tl} en Figuur 13 zetten de kernindicatoren naast elkaar",
                     f"; Tabel {tl} toont ook de cijfers van {lijst([str(y) for y in t['years'][:-2]])}, maar de toetsen "
                     f"vergelijken enkel met de vorige meting ({t['previous_year']})" if len(t["years"]) > 2 else ""),
            self.earlier_synthetic(),
            self.r_indicator())
        up, down = t["significant_up"], t["significant_down"]
        moves = []
        if up:
            moves.append(sentence(f"Significant gestegen {'is' if len(up) == 1 else 'zijn'}",
                                  lijst([r["phrase"] for r in up])))
        if down:
            moves.append(sentence(f"Significant gedaald {'is' if len(down) == 1 else 'zijn'}",
                                  lijst([r["phrase"] for r in down])))
        if not moves:
            moves.append(sentence("Geen enkele vergeleken kernindicator veranderde significant"))
        quiet = self.quiet_blocks()
        if quiet:
            moves.append(sentence(f"Voor {lijst(quiet)} vergelijkt Tabel {tl} telkens één of enkele kernindicatoren; "
                                  "geen daarvan veranderde significant"))
        changed = []
        if t["changed"]:
            from .findings import block_of, change_phrase

            notes: dict[str, list[str]] = {}
            for r in t["changed"]:
                notes.setdefault(r["note"], []).append(r["indicator"])
            changed.append(sentence("Niet elke vraag bleef gelijk"))
            for note, inds in notes.items():
                blocks = {block_of(v, self.codebook) for v in inds}
                if blocks == {"applications"}:
                    what = (f"de toepassingen in Tabel {tl} (" + lijst([str(self.E(v, 1).noun) for v in inds]) + ")")
                else:
                    what = lijst([change_phrase(v, self.codebook) for v in inds])
                changed.append(sentence(f"{capfirst(note)}; omdat dat de keuze tussen alle antwoordmogelijkheden "
                                        f"verandert, vergelijken we {what} niet"))
            if t.get("new_items"):
                changed.append(sentence("Hoeveel gebruikers de nieuwe antwoordmogelijkheid kozen, staat in paragraaf 3.4"))
            changed.append(sentence(f"Tabel {tl} toont voor die indicatoren beide cijfers, maar geen verandering: ze "
                                    "meten niet precies hetzelfde"))
        groups = self.ctx.get("change_groups", "")
        if groups and t.get("groups"):
            groups = paragraph(sentence(f"Tabel {self.tl['trend_groups']} toont het gebruik van AI per grootteklasse en "
                                        "sector in beide metingen"), groups, self.correlation_note())
        return {"intro": intro, "moves": paragraph(*moves), "groups": groups,
                "changed": paragraph(*changed),
                "synthetic": (sentence(f"Let op: {'de vergelijkingsmetingen van' if len(t['synthetic_earlier']) > 1 else 'de vergelijkingsmeting van'} "
                                       f"{lijst([str(y) for y in t['synthetic_earlier']])} "
                                       f"{'zijn' if len(t['synthetic_earlier']) > 1 else 'is'} synthetische demodata, geen "
                                       "echte meting. De veranderingen in dit hoofdstuk zeggen dus niets over echte "
                                       "bedrijven") if t["synthetic_earlier"] else ""),
                "alt": sentence(f"Kernindicatoren in {t['years'][-2]} en {t['years'][-1]}: " + "; ".join(
                    f"{fmt.lower_first(r['label'])} van {r['vals'][-2]} naar {r['vals'][-1]}"
                    for r in t["rows"] if r["comparable"]))}

    def correlation_note(self) -> str:
        """Why the correlation of the two estimates over all firms is small or large: which firms answered twice."""
        t = self.trend
        sizes = [r for r in t.get("groups", []) if r["kind"] == "size"]
        if not sizes or not t.get("adopt") or not t["adopt"].get("correlation"):
            return ""
        n_big = sum(int(r["n_common"].replace(".", "")) for r in sizes[-2:])  # the two largest size classes
        n_all = int(t["adopt"]["n_common"].replace(".", "") or 0)
        if not n_all or n_big < n_all / 2:
            return ""
        return sentence(f"Van de {fmt.num(n_all)} bedrijven die in beide metingen antwoordden, zijn er {fmt.num(n_big)} "
                        f"{lijst_samen([self.strata.size_noun(c) for c in self.strata.size_codes[-2:]])}; omdat die in "
                        "de cijfers voor alle bedrijven weinig wegen, blijft de correlatie tussen de twee metingen in die cijfers "
                        f"klein ({t['adopt']['correlation']} voor het gebruik van AI, Tabel {self.tl['trend']})")

    def earlier_synthetic(self) -> str:
        """In a synthetic wave: the earlier waves' figures are the synthetic demo waves', not a published report's."""
        t = self.trend
        if not self.ctx["wave"].get("synthetic"):
            return ""
        years = lijst([str(y) for y in t["years"][:-1]])
        return sentence(f"Ook de cijfers van {years} in dit hoofdstuk komen uit synthetische demometingen, niet uit een "
                        "gepubliceerd rapport; elke meting is gewogen naar de populatie van haar eigen jaar")

    def other_changes(self) -> str:
        """For the conclusions: the significant changes besides adoption, technologies named together."""
        from .findings import block_of

        t = self.trend
        out = []
        for rows, verb_ in ((t["significant_up"], ("steeg", "stegen")), (t["significant_down"], ("daalde", "daalden"))):
            rows = [r for r in rows if r["indicator"] != "adopter"]
            techs = [r for r in rows if block_of(r["indicator"], self.codebook) == "technologies"]
            other = [r["phrase"].split(" (van ")[0] for r in rows if r not in techs]
            subjects = ([f"het gebruik van {lijst([str(self.E(r['indicator'], 1).noun) for r in techs])}"]
                        if techs else []) + other
            if subjects:
                out.append(sentence("Ook", lijst(subjects), verb_[0] if len(subjects) == 1 else verb_[1],
                                    f"significant (hoofdstuk {self.ctx['ch']['evolutie']})"))
        if not out:
            out.append(sentence("De andere vergeleken kernindicatoren veranderden niet significant"))
        return " ".join(out)

    def r_indicator(self) -> str:
        q = self.ctx.get("quality")
        if not q or len(q.get("per_wave", [])) < 2:
            return ""
        return sentence("De R-indicator, die meet hoe evenwichtig de respons over de strata verdeeld is (zie de "
                        "bijlage), bedroeg", lijst([w["text"] for w in q["per_wave"]]))

    def quiet_blocks(self) -> list[str]:
        """The blocks of the compared indicators where nothing changed significantly."""
        from .findings import BLOCK_NOUN, block_of

        t = self.trend
        compared: dict[str, bool] = {}
        for r in t["rows"]:
            if not r["comparable"] or r["indicator"] == "adopter":
                continue
            b = block_of(r["indicator"], self.codebook)
            compared[b] = compared.get(b, False) or r["significant"]
        return [BLOCK_NOUN[b] for b, moved in compared.items() if not moved and b in BLOCK_NOUN]

    def conclusions(self) -> list[str]:
        """Drawn from the findings, in other words than the summary: the level and what moved it,
        where groups differ beyond use itself, what the barriers and gaps mean for policy, and
        the limits of the figures."""
        ctx, t, E = self.ctx, self.trend, self.E
        first = [sentence(f"Van de Vlaamse bedrijven met minstens {ctx['min_employees']} werknemers gebruikt "
                          f"{self.adopt.pct} minstens één AI-technologie")]
        if t and t.get("adopt"):
            a = t["adopt"]
            first.append(sentence(f"In {t['previous_year']} was dat {a['vals'][-2]};",
                                  ("de stijging is significant" if a["up"] else "de daling is significant")
                                  if a["significant"] else "de verandering is niet significant"))
            first.append(self.other_changes())
        first.append(self.higher_groups("conclusions"))
        second = self.strongest_groups()
        how_n, lead_n = leaders_phrase(self.bar_n)
        how_a, lead_a = leaders_phrase(self.gap_a)
        third = []
        if how_n == "apart":
            third.append(sentence(f"Voor wie AI nog niet gebruikt, is {lead_n[0].noun} de grootste drempel "
                                  f"({lead_n[0].pct})"))
        elif how_n == "together":
            third.append(sentence("Wie AI nog niet gebruikt, wordt vooral tegengehouden door",
                                  lijst([str(s.noun) for s in lead_n])))
        worse = [s for s in self.gap_a if E(s.indicator, 1, "adopter:yes").lower]
        if worse:
            third.append(sentence("Niet-gebruikers melden voor elke soort kennis vaker een groot tekort dan gebruikers (paragraaf 3.3)"))
        if how_a in ("apart", "together"):
            third.append(sentence("Bij de gebruikers zelf gaat het vooral om", lijst([s.noun.bare for s in lead_a])))
        plan = E("knows_action_plan", 1)
        third.append(sentence(f"Van de bedrijven kent {plan.pct} het Vlaams Actieplan Artificiële Intelligentie"))
        fourth = [self.response_caveat(short=True),
                  sentence("De effecten op competitiviteit en tewerkstelling zijn wat de gebruikers zelf aan AI "
                           "toeschrijven; ze tonen geen oorzakelijk verband")]
        return [paragraph(*first), paragraph(*second), paragraph(*third), paragraph(*fourth)]

    def response_caveat(self, short: bool = False) -> str:
        """The response by size class (Figure A1), when it differs strongly: what the weights can and cannot do."""
        q = self.ctx.get("quality") or {}
        sizes = q.get("response_by_size") or []
        if len(sizes) < 2:
            return ""
        low, high = min(sizes, key=lambda r: r["rate"]), max(sizes, key=lambda r: r["rate"])
        if high["rate"] < 2 * low["rate"]:
            return ""
        return sentence(f"De cijfers steunen op een ongelijke respons: van de bereikte {low['noun']} leverde "
                        f"{fmt.pct(low['rate'])} een bruikbaar antwoord, van de {high['noun']} {fmt.pct(high['rate'])} "
                        "(Figuur A1)" + ("" if short else ". De weging herstelt de verdeling over de strata, maar niet "
                                         "een eventuele afwijking van wie binnen een stratum antwoordde"))

    def strongest_groups(self) -> list[str]:
        """The two strongest group differences outside the use of technologies, said briefly, with
        where the chapter discusses them."""
        from .findings import sentence as finding_sentence

        strongest, seen = [], set()
        from .findings import MIXED_BLOCKS

        for f in self.ctx["findings"]["group"]:
            if f["block"] == "technologies" or f["block"] in MIXED_BLOCKS or f["indicator"] in seen:
                continue
            seen.add(f["indicator"])
            strongest.append(f)
            if len(strongest) == 2:
                break
        if not strongest:
            return []
        sections = {"barriers": "3.2", "knowledge": "3.3", "applications": "3.4", "sources": "3.5", "budget": "3.5",
                    "competitiveness": "3.6", "employment": "3.6", "policy": "3.7"}
        refs = sorted({sections[f["block"]] for f in strongest if f["block"] in sections})
        clauses = [finding_sentence([f], self.strata, self.codebook, numbers=False).rstrip(".").replace(
            "significant ", "") for f in strongest]
        self.ctx["findings"].setdefault("said", []).append(
            {"section": "conclusions", "ids": [f["id"] for f in strongest], "sentence": "; ".join(clauses)})
        clauses = [clauses[0]] + [c[:1].lower() + c[1:] if not c.startswith(("AI", "NACE")) else c for c in clauses[1:]]
        kinds = {f["group_type"] for f in strongest}
        what = "sectoren en grootteklassen" if len(kinds) > 1 else ("sectoren" if "sector" in kinds else "grootteklassen")
        return [sentence(f"Ook onder de AI-gebruikers zelf verschillen {what}",
                         f"({'paragraaf' if len(refs) == 1 else 'paragrafen'} {lijst(refs)}):", "; ".join(clauses))]

    # --- chapters 1 and 2: the sentences the data or the configuration decide -------------------

    def introduction(self) -> dict:
        t, ch = self.trend, self.ctx["ch"]
        out = {"changed": "", "trend": ""}
        if t and t["changed"]:
            out["changed"] = sentence(f"Waar de vragenlijst veranderde, zegt hoofdstuk {ch['evolutie']} welke cijfers "
                                      "daardoor niet vergeleken worden")
        if t:
            what = (f"de meting van {t['previous_year']}" if len(t["years"]) == 2 else
                    f"de vorige meting ({t['previous_year']}) en toont ook de cijfers sinds {t['years'][0]}")
            out["trend"] = sentence(f"Hoofdstuk {ch['evolutie']} vergelijkt de kerncijfers met {what}")
        return out

    def methodology(self) -> dict:
        ctx = self.ctx
        lonely = {
            "adjust": "krijgt als spreiding de afstand tot het algemene gemiddelde, wat de onzekerheid eerder overschat "
                      "dan onderschat",
            "average": "krijgt de gemiddelde bijdrage tot de variantie van de andere strata",
            "certainty": "draagt niet bij tot de variantie, wat de onzekerheid onderschat als het stratum niet volledig "
                         "werd bevraagd",
            "remove": "draagt niet bij tot de variantie, wat de onzekerheid onderschat als het stratum niet volledig "
                      "werd bevraagd",
        }.get(ctx["lonely_psu"], "is niet toegelaten")
        lonely_text = sentence("Een stratum met één enkel antwoord heeft geen eigen spreiding; zo'n stratum", lonely)
        if ctx["lonely_strata_nouns"]:
            lonely_text += " " + sentence("In deze meting gaat het om", lijst(ctx["lonely_strata_nouns"]))
        collapsed = ""
        if ctx["collapsed"]:
            collapsed = sentence("Enkele strata zonder bruikbare antwoorden werden samengevoegd met de naburige "
                                 "grootteklasse van dezelfde sector:",
                                 lijst([f"de {c['size_noun']} van NACE {c['sector']} met de {c['merged_noun']}"
                                        for c in ctx["collapsed"]]))
        merged = paragraph(*[sentence(f"De sectorgroep ‘{fmt.lower_first(s['label'])}’ omvat NACE {lijst(s['parts'])}")
                             for s in ctx["merged_sectors"]])
        f = ctx["flow_raw"]
        out_of_scope = int(f.get("excluded_a", 0)) + int(f.get("excluded_b", 0))
        frame = ""
        if out_of_scope:
            frame = sentence(f"Van de ontvangen antwoorden viel {fmt.pct(out_of_scope / f['responses'])} volgens de eigen "
                             "antwoorden buiten de populatie (regels a en b). De populatieaantallen per stratum komen uit "
                             "het bedrijvenbestand en zijn daarvoor niet gecorrigeerd: als ook in de populatie zo'n deel "
                             "buiten de afbakening valt, zijn ze in dezelfde grootteorde overschat")
        rule_c = ""
        if int(f.get("excluded_c", 0)) and f.get("responses"):
            rule_c = sentence(f"Regel (c) sluit {fmt.pct(int(f['excluded_c']) / f['responses'])} van de ontvangen "
                              "antwoorden uit; slaan vooral bedrijven zonder AI de vragen over AI over, dan ligt het "
                              "gebruik bij de overblijvende antwoorden hoger dan in de populatie")
        panel = ""
        t = self.trend
        if t and t.get("n_both"):
            panel = sentence(f"Een deel van de aangeschreven bedrijven kreeg ook in {t['previous_year']} een "
                             f"uitnodiging; {fmt.num(t['n_both'])} bedrijven gaven in beide metingen een bruikbaar "
                             f"antwoord (hoofdstuk {ctx['ch']['evolutie']})")
        return {"lonely": lonely_text, "collapsed": collapsed, "merged": merged, "frame": frame, "rule_c": rule_c,
                "panel": panel}


def appendix(ctx: dict) -> dict:
    q = ctx.get("quality") or {}
    worst = q.get("worst_deff")
    return {"worst_items": lijst([w["phrase"] for w in q.get("worst_items", [])]),
            "worst_deff": f"‘{fmt.lower_first(worst['label'])}’" if worst else "",
            "groups": group_rows(ctx)}


def group_rows(ctx: dict) -> list[dict]:
    """Table A4: every significant difference by size class and sector the findings hold, by
    block in questionnaire order and, within a block, largest first."""
    from .findings import BLOCKS
    from .spec import indicator_label

    codebook, strata, N = ctx["N"].codebook, ctx["strata"], ctx["N"]
    found = sorted(ctx["findings"]["group"], key=lambda f: (BLOCKS.index(f["block"]), -f["weight"]))
    rows, last = [], None
    # the use of AI itself (section 3.1): every size class and sector that differs significantly
    adoption = [(kind, code, s) for kind in ("size", "sector") for code, _, s in N.by(kind, "adopter")
                if s.higher or s.lower]
    for k, (kind, code, s) in enumerate(sorted(adoption, key=lambda a: -abs(float(a[2].row["diff_rest"])))):
        q = float(s.row["q_value"])
        rows.append({"block": "Gebruik van AI", "first": k == 0,
                     "group": strata.size_label(code) if kind == "size" else f"NACE {code} {strata.sector_short(code)}",
                     "answer": s.label,
                     "estimate": s.pct, "rest": fmt.pct(s.value - float(s.row["diff_rest"])),
                     "q": "< 0,001" if q < 0.001 else fmt.num(q, 3), "n": s.n})
    for f in found:
        group = (strata.size_label(f["group"]) if f["group_type"] == "size"
                 else f"NACE {f['group']} {strata.sector_short(f['group'])}")
        q = f["numbers"]["q_value"]
        rows.append({"block": codebook.blocks.get(f["block"], f["block"]), "first": f["block"] != last,
                     "group": group,
                     "answer": indicator_label(f["indicator"], f["category"], codebook, f.get("category_label", ""),
                                               prefix=False),
                     "estimate": fmt.pct(f["numbers"]["estimate"]), "rest": fmt.pct(f["numbers"]["rest"]),
                     "q": "< 0,001" if q < 0.001 else fmt.num(q, 3), "n": fmt.num(f["numbers"]["n"])})
        last = f["block"]
    return rows


def write(ctx: dict) -> dict:
    """Every paragraph of the report, by slot (the templates' ``text``)."""
    w = Writer(ctx)
    return {"summary": w.summary(), "adoption": w.adoption(), "barriers": w.barriers(), "knowledge": w.knowledge(),
            "applications": w.applications(), "sources": w.sources_budget(), "impact": w.impact(),
            "policy": w.policy(), "europe": w.europe(), "trend": w.trend_text(), "conclusions": w.conclusions(),
            "introduction": w.introduction(), "methodology": w.methodology(), "appendix": appendix(ctx)}
