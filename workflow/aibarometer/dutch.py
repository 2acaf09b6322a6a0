"""Dutch for the report's running text: noun phrases, agreement, lists, comparatives, numbers.

The report's sentences are built here and in :mod:`aibarometer.prose`, never in a template.
An answer category is named by its noun phrase from the codebook (``noun: {text, article,
plural}``), so a sentence never pastes a table label into Dutch ("het aandeel 'gebruikt
minstens één AI-technologie'"): ``NP("verhouding tussen kosten en baten", "de")`` reads "de
verhouding tussen kosten en baten" and takes a singular verb, ``NP("ethische overwegingen",
plural=True)`` a plural one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import fmt

WORDS = {1: "één", 2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen",
         10: "tien", 11: "elf", 12: "twaalf"}
ARTICLES = ("de", "het", "een", "none")


def number(n: int) -> str:
    """A count in running text: in words up to twelve ('zeven'), in digits from 13 ('14')."""
    n = int(n)
    return WORDS.get(n, fmt.num(n))


def count(n: int, singular: str, plural: str) -> str:
    """'één technologie', 'zeven technologieën', '14 sectoren'."""
    return f"{number(n)} {singular if int(n) == 1 else plural}"


@dataclass(frozen=True)
class NP:
    """A noun phrase: its words without the article, the article it takes in running text
    ('de', 'het', 'een' or 'none' for a mass noun or bare plural: 'tekstanalyse', 'lagere
    kosten') and its number (for the verb)."""

    text: str
    article: str = "none"
    plural: bool = False

    def __post_init__(self):
        if self.article not in ARTICLES:
            raise ValueError(f"onbekend lidwoord {self.article!r}: kies uit {', '.join(ARTICLES)}")

    def __str__(self) -> str:
        return self.text if self.article == "none" else f"{self.article} {self.text}"

    @property
    def bare(self) -> str:
        """Without article, as after 'een groot gebrek aan'."""
        return self.text

    def verb(self, singular: str, plural: str) -> str:
        """Subject-verb agreement: 'weegt' or 'wegen'."""
        return plural if self.plural else singular

    @property
    def pronoun(self) -> str:
        """The demonstrative that refers back to it: 'dat' for a het-word, else 'die'."""
        return "dat" if self.article == "het" and not self.plural else "die"

    def with_value(self, value: str) -> str:
        """'tekstanalyse (13,5%)'."""
        return f"{self} ({value})"


def np_of(item) -> NP:
    """The noun phrase of a codebook item (``noun``), else its label as a bare phrase."""
    noun = getattr(item, "noun", None)
    if noun:
        return NP(noun["text"], noun.get("article", "none"), bool(noun.get("plural", False)))
    return NP(fmt.lower_first(item.label))


# The second parts of the compounds in the report's table headers: a header word breaks there
# ("Tekst-analyse", "Proces-automatisatie"), never inside a syllable of it ("Tekstana-lyse").
COMPOUND_HEADS = ("analyse", "herkenning", "generatie", "automatisatie", "technologie", "technologieën", "processen",
                  "beveiliging", "management", "steunende", "beroepen", "diensten", "aanwerving", "leverde", "gebruikers")
SOFT_HYPHEN = "\u00ad"


# A long word without a compound boundary breaks at a syllable instead ("AI-techno-logie").
SYLLABLES = {"automatisatie": "automati\u00adsatie", "technologie": "techno\u00adlogie",
             "technologieën": "techno\u00adlogieën", "ondersteunende": "onder\u00adsteunende"}


def compound_breaks(text: str, min_length: int = 11) -> str:
    """Soft hyphens at the compound boundaries of long words: 'Tekstanalyse' -> 'Tekst\u00adanalyse'."""
    out = []
    for word in str(text).split(" "):
        if len(word) >= min_length:
            low = word.lower()
            for head in COMPOUND_HEADS:
                k = low.rfind(head)
                if k >= 3 and k + len(head) == len(low.rstrip(",.;:")) and word[k - 1] != "-":
                    word = word[:k] + SOFT_HYPHEN + word[k:]
                    break
            for plain, broken in SYLLABLES.items():  # one soft hyphen per word: WeasyPrint drops the first of two
                k = word.lower().find(plain)
                if k >= 0 and plain != word.lower() and SOFT_HYPHEN not in word:
                    word = word[:k] + word[k] + broken[1:] + word[k + len(plain):]
                    break
        out.append(word)
    return " ".join(out)


def lijst(parts, conj: str = "en") -> str:
    """'a', 'a en b', 'a, b en c' -- never a list joined by semicolons or without a conjunction."""
    parts = [str(p) for p in parts if str(p)]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {conj} " + parts[-1]


def lijst_samen(parts, conj: str = "en") -> str:
    """A list of noun phrases that share their last word, said once: 'middelgrote en grote
    bedrijven' (not 'middelgrote bedrijven en grote bedrijven'); otherwise :func:`lijst`."""
    parts = [str(p) for p in parts if str(p)]
    heads = {p.rsplit(" ", 1)[-1] for p in parts}
    if len(parts) > 1 and len(heads) == 1 and all(" " in p for p in parts):
        return lijst([p.rsplit(" ", 1)[0] for p in parts], conj) + " " + heads.pop()
    return lijst(parts, conj)


def of_total(k: int, total: int) -> str:
    """'alle zeven' when k is the whole, else 'vier van de tien'."""
    return f"alle {number(total)}" if int(k) == int(total) else f"{number(k)} van de {number(total)}"


def verb(n: int, singular: str, plural: str) -> str:
    """The verb for a subject of n things: 'veranderde' or 'veranderden'."""
    return singular if int(n) == 1 else plural


def more(direction: str, kind: str = "often") -> str:
    """The comparative a tested difference gets: 'significant vaker' / 'significant minder vaak'
    (how often), 'significant hoger' / 'significant lager' (a level)."""
    up = direction in ("higher", "up", "+")
    if kind == "often":
        return "significant vaker" if up else "significant minder vaak"
    return "significant hoger" if up else "significant lager"


def capfirst(text: str) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


_SPACE_BEFORE = re.compile(r"\s+([,.;:!?)])")
_AFTER_OPEN = re.compile(r"([(‘])\s+")
_NO_SPACE_AFTER = re.compile(r"([.;:!?])(?=[A-ZÀ-Ý‘(])")  # '(7,3%).Tabel' -> '(7,3%). Tabel'
_TWO_BRACKETS = re.compile(r"\) \(((?:Figuur|Figuren|Tabel|paragraaf|zie)\b[^()]*)\)")  # '(9,9%) (Figuur 2)'
_COMMA_WORD = re.compile(r",(?=[^\s\d’”)])")  # a comma before a word needs a space; 23,2 stays


def tidy(text: str) -> str:
    """Dutch spacing: one space between words, none before a punctuation mark or after an
    opening bracket, one after a full stop, semicolon or comma that ends a clause (a decimal
    comma between digits stays), no double full stop."""
    text = " ".join(str(text).split())
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _AFTER_OPEN.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1 ", text)
    text = _COMMA_WORD.sub(", ", text)
    text = re.sub(r"\.\.+", ".", text)
    text = _TWO_BRACKETS.sub(r"; \1)", text)  # -> '(9,9%; Figuur 2)'
    return text


def sentence(*parts) -> str:
    """A sentence from its parts: joined, tidied, a capital first and a full stop last."""
    text = tidy(" ".join(str(p) for p in parts if p))
    if not text:
        return ""
    text = capfirst(text)
    return text if text[-1] in ".!?" else text + "."


def paragraph(*sentences) -> str:
    """Sentences as one paragraph (empty ones left out)."""
    return tidy(" ".join(s for s in sentences if s))
