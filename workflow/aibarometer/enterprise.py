"""Belgian enterprise numbers (ondernemingsnummers): normalisation and the mod-97 check.

An enterprise number has 10 digits (first digit 0 or 1). The last two digits are
``97 - (first eight digits mod 97)``. People write it with dots, spaces or a
``BE`` prefix; :func:`normalise` strips those.
"""

from __future__ import annotations

import re

_STRIP = re.compile(r"[\s.\-/]")


def normalise(value: object) -> str | None:
    """Return the 10-digit string, or None for an empty value.

    Raises ValueError when the value is not 10 digits after removing dots,
    spaces, dashes and a ``BE`` prefix (9 digits get the historical leading 0).
    """
    if value is None:
        return None
    text = str(value).strip()
    if text == "" or text.lower() == "nan":
        return None
    text = _STRIP.sub("", text)
    if text[:2].upper() == "BE":
        text = text[2:]
    if len(text) == 9 and text.isdigit():
        text = "0" + text
    if len(text) != 10 or not text.isdigit():
        raise ValueError(f"geen 10 cijfers: {value!r}")
    return text


def check_digits(first8: int) -> int:
    return 97 - (first8 % 97)


def is_valid(value: object) -> bool:
    """True when ``value`` is a well-formed enterprise number with a correct mod-97 check."""
    try:
        digits = normalise(value)
    except ValueError:
        return False
    if digits is None or digits[0] not in "01":
        return False
    return check_digits(int(digits[:8])) == int(digits[8:])


def make(first8: int) -> str:
    """Build a valid 10-digit enterprise number from its first eight digits."""
    if not 0 <= first8 < 20_000_000:
        raise ValueError("first8 must be below 20,000,000 (first digit 0 or 1)")
    return f"{first8:08d}{check_digits(first8):02d}"


def dotted(number: str) -> str:
    """Format as ``0123.456.749``."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"
