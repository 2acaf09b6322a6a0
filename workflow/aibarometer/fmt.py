"""Dutch (Belgian) number formats for tables, figures and the report: 23,2% and 14.274.

Every number the report shows passes through these helpers (babel, locale nl_BE).
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

LOCALE = "nl_BE"
DASH = "–"  # shown for suppressed estimates
MINUS = "\u2212"  # a negative change: −1,2 pp


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def pct(share: float, decimals: int = 1) -> str:
    """0.232 -> '23,2%'."""
    if _missing(share):
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(share, pattern, locale=LOCALE).replace("\xa0", "")


def pp(points: float, decimals: int = 1, sign: bool = False) -> str:
    """A value already in percent (a mean percentage or a difference in points): 12.0 -> '12,0%'."""
    if _missing(points):
        return DASH
    text = pct(points / 100, decimals)
    return ("+" + text) if sign and points > 0 else text


def num(x: float, decimals: int = 0) -> str:
    """14274 -> '14.274'; 12.5 with decimals=1 -> '12,5'."""
    if _missing(x):
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(round(x, decimals) if decimals else round(x), pattern, locale=LOCALE)


def n_caption(n: int) -> str:
    """'N = 1.717'."""
    return f"N = {num(n)}"


def ci(low: float, high: float, decimals: int = 1, percent: bool = True) -> str:
    """'[21,0%; 25,5%]' (a semicolon, since the comma is the decimal sign)."""
    f = (lambda v: pct(v, decimals)) if percent else (lambda v: pp(v, decimals))
    return f"[{f(low)}; {f(high)}]"


def points(diff: float, decimals: int = 1, sign: bool = True) -> str:
    """A change between two shares, in percentage points: 0.107 -> '+10,7 pp'."""
    if _missing(diff):
        return DASH
    text = num(diff * 100, decimals).replace("-", MINUS)  # a typographic minus, as the plus beside it
    return ("+" + text if sign and diff > 0 else text) + " pp"


def join_nl(parts) -> str:
    """'a', 'a en b', 'a, b en c' (Dutch lists in running text)."""
    parts = list(parts)
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def lower_first(text) -> str:
    """A label inside a sentence: 'Tekstanalyse' -> 'tekstanalyse', 'Eén technologie' -> 'één
    technologie'; acronyms ('ICT-beveiliging', 'AI-landschap') stay as they are."""
    text = str(text)
    if text.startswith("Eén"):
        return "één" + text[3:]
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
