"""Cell values as researchers hand them in: read what is unambiguous, flag what is not.

Every parser is vectorised (pyarrow compute on a whole column, no loop per cell)
and takes the column's stripped text. It returns a :class:`Parsed`: the values,
the faults (a row mask with the problem and the fix) and the *readings* -- values
accepted in a tolerated form (``1.236`` employees, a decimal comma, an answer
label instead of its code) -- so the ingest report can say how each was read.

The rules (README, "Inputs"):

* **counts** (employees, any ``number`` item; the frame's ``werknemers``) never take a
  fraction: ``1236``, ``1.236``, ``1,236`` and ``1 236`` (groups of three digits) are
  1236; ``12,0`` and ``100.0`` (a zero fraction) are 12 and 100; anything else
  (``1,5``, ``12.5``, ``1.23``) is a fault.
* **decimals** (``percentage`` items): ``12,5`` and ``12.5`` are 12.5.
* **answer codes**: the code (``1``), or the questionnaire's label (``Ja``, trimmed,
  any case), or an alias from the codebook's ``label_aliases`` (``True``).
* **NACE codes**: ``62.01``, ``62.010``, ``62010``; a four-digit code may be a class
  without its dot (``1500`` = 15.00) or a subclass whose leading zero a spreadsheet
  dropped (``01500`` -> ``1500`` = 01.50): only a first digit 0 or 4 settles it, else
  the frame's code for the firm must (:func:`settle_nace`), or it is a fault.
* **dates**: ISO ``2021-05-03 08:27:06`` (seconds optional, ``T`` allowed), or
  ``3/05/2021 8:27`` as a spreadsheet writes it when the column shows which part is
  the day (a value above 12); a column where both readings are possible is a fault.
* **platform metadata as text** (Qualtrics' ``DistributionChannel``, ``UserLanguage``): read
  only as a known value -- a channel word of the survey platform, a language code such as
  ``NL`` or ``PT-BR``; anything else (a name, an e-mail address, a phone number typed or
  pasted there) is *blanked*: left missing and counted, never kept or quoted, and no fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SPACES = "\u0020\u00a0\u202f\u2009"


@dataclass
class Parsed:
    values: object  # numpy array (float64 / Int64-able / object / datetime64)
    faults: list[tuple[np.ndarray, str, str]] = field(default_factory=list)  # (mask, problem, fix)
    readings: list[tuple[np.ndarray, str]] = field(default_factory=list)  # (mask, how it was read)
    blanked: list[tuple[np.ndarray, str]] = field(default_factory=list)  # (mask, why): values not kept


def _np(mask) -> np.ndarray:
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def match(arr: pa.Array, pattern: str) -> np.ndarray:
    return _np(pc.match_substring_regex(arr, pattern))


def _sub(arr, pattern: str, repl: str = ""):
    return pc.replace_substring_regex(arr, pattern, repl)


def strip(arr: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(arr)


def _cast_where(arr: pa.Array, mask: np.ndarray, typ) -> np.ndarray:
    """Cast the masked values; other positions become 0 (callers mask them)."""
    safe = pc.if_else(pa.array(mask), arr, pa.scalar("0"))
    return np.array(pc.cast(safe, typ).to_numpy(zero_copy_only=False))


# ---------------------------------------------------------------------------
# numbers

THOUSANDS = [  # (pattern, fraction to drop, group separator to remove, how it was read)
    (r"^\d{1,3}(\.\d{3})+(,0+)?$", r",0+$", r"\.", "duizendtallen gescheiden door punten"),
    (r"^\d{1,3}(,\d{3})+(\.0+)?$", r"\.0+$", ",", "duizendtallen gescheiden door komma's"),
    (rf"^\d{{1,3}}([{SPACES}]\d{{3}})+([.,]0+)?$", r"[.,]0+$", f"[{SPACES}]", "duizendtallen gescheiden door spaties"),
]
PLAIN_INT = r"^[+-]?\d{1,15}$"
ZERO_FRACTION = r"^[+-]?\d{1,15}[.,]0+$"
DECIMAL = r"^[+-]?(\d{1,15}([.,]\d+)?|[.,]\d+)$"


def count(arr: pa.Array) -> Parsed:
    """A count: whole numbers only, thousands separators read when unambiguous."""
    empty = _np(pc.equal(arr, ""))
    text = arr
    ok = match(arr, PLAIN_INT)
    readings = []
    for pattern, fraction, sep, how in THOUSANDS:
        m = match(arr, pattern) & ~ok
        if m.any():
            text = pc.if_else(pa.array(m), _sub(_sub(text, fraction), sep), text)
            readings.append((m, f"{how} (gelezen als geheel getal)"))
            ok |= m
    zero = match(arr, ZERO_FRACTION) & ~ok
    if zero.any():
        text = pc.if_else(pa.array(zero), _sub(text, r"[.,]0+$"), text)
        readings.append((zero, "geheel getal met een nul als decimaal (12,0 = 12)"))
        ok |= zero
    values = _cast_where(text, ok, pa.int64()).astype(float)
    values[~ok] = np.nan
    bad = ~empty & ~ok
    fraction = bad & match(arr, DECIMAL)
    faults = []
    if fraction.any():
        faults.append((fraction, "geen geheel getal: een aantal kan geen decimalen hebben (en het is geen "
                       "duizendtalnotatie in groepen van drie cijfers)",
                       "vul het aantal als geheel getal in, zonder decimalen (bv. 1236 of 1.236)"))
    if (bad & ~fraction).any():
        faults.append((bad & ~fraction, "geen getal", "vul een getal in (of laat de cel leeg als de vraag niet "
                       "beantwoord werd)"))
    return Parsed(values, faults, readings)


def decimal(arr: pa.Array) -> Parsed:
    """A decimal number: decimal point or decimal comma."""
    empty = _np(pc.equal(arr, ""))
    ok = match(arr, DECIMAL)
    comma = ok & _np(pc.match_substring(arr, ","))
    text = pc.replace_substring(arr, ",", ".")
    values = _cast_where(text, ok, pa.float64())
    values[~ok] = np.nan
    faults = [(~empty & ~ok, "geen getal", "vul een getal in, bv. 12,5 (of laat de cel leeg als de vraag niet "
               "beantwoord werd)")] if (~empty & ~ok).any() else []
    readings = [(comma, "decimale komma (12,5 = 12.5)")] if comma.any() else []
    return Parsed(values, faults, readings)


def in_range(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return ~np.isnan(values) & ((values < lo) | (values > hi))


# ---------------------------------------------------------------------------
# answer codes


def codes(arr: pa.Array, code_list: dict[int, str], aliases: dict[str, int] | None = None,
          extra_labels: dict[str, int] | None = None) -> Parsed:
    """An answer code, or its label (choice-text export), or an alias from the codebook."""
    empty = _np(pc.equal(arr, ""))
    numeric = match(arr, r"^[+-]?\d+(\.0+)?$")
    has_point = _np(pc.match_substring(arr, ".")).any()  # "2.0": only then the regex replace
    num = _cast_where(_sub(arr, r"\.0+$") if has_point else arr, numeric, pa.int64())
    known = np.isin(num, list(code_list)) & numeric
    labels: dict[str, int] = {}
    for c, lab in code_list.items():
        labels[lab.strip().lower()] = c
    for lab, c in (extra_labels or {}).items():
        labels.setdefault(lab.strip().lower(), c)
    for lab, c in (aliases or {}).items():
        labels[str(lab).strip().lower()] = int(c)
    keys = list(labels)
    if keys and ((~numeric & ~empty).any() or "" in labels):  # labels to look up (a choice-text export)
        lower = pc.utf8_lower(_sub(arr, f"[{SPACES}]+", " "))
        found = pc.index_in(lower, value_set=pa.array(keys, pa.string()))
        labelled = ~numeric & _np(pc.is_valid(found))
        idx = pc.fill_null(found, 0).to_numpy(zero_copy_only=False).astype(int)
        from_label = np.array([labels[k] for k in keys], dtype=np.int64)[idx]
    else:  # every answer is a number or empty: no label can match
        labelled = np.zeros(len(num), dtype=bool)
        from_label = np.zeros(len(num), dtype=np.int64)
    values = np.where(known, num, np.where(labelled, from_label, 0)).astype(float)
    ok = known | labelled
    values[~ok] = np.nan
    bad = ~empty & ~ok
    listing = ", ".join(f"{k}={v}" for k, v in code_list.items())
    faults = [(bad, "onbekende antwoordcode of antwoordlabel", f"gebruik een code of label uit de codelijst ({listing}); "
               "verandert de vragenlijst, pas dan het codeboek aan")] if bad.any() else []
    readings = [(labelled, "antwoordlabel in plaats van code (export met keuzetekst)")] if labelled.any() else []
    return Parsed(values, faults, readings)


# ---------------------------------------------------------------------------
# enterprise numbers


def enterprise_numbers(arr: pa.Array) -> Parsed:
    """Belgian enterprise numbers: dots, spaces, dashes and a BE prefix removed; 9 digits
    get the historical leading 0 (as a spreadsheet drops it); mod-97 checked."""
    empty = _np(pc.equal(arr, ""))
    text = _sub(_sub(arr, rf"[\s{SPACES}.\-/]"), r"^(?i)be")
    nine = match(text, r"^\d{9}$")
    text = pc.if_else(pa.array(nine), pc.binary_join_element_wise(pa.scalar("0"), text, ""), text)
    ten = match(text, r"^[01]\d{9}$")
    first8 = _cast_where(pc.utf8_slice_codeunits(text, 0, 8), ten, pa.int64())
    check = _cast_where(pc.utf8_slice_codeunits(text, 8, 10), ten, pa.int64())
    ok = ten & (97 - first8 % 97 == check)
    values = np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)
    values[~ok] = None
    bad = ~empty & ~ok
    faults = [(bad, "ongeldig ondernemingsnummer (10 cijfers met modulo-97-controle vereist)",
               "corrigeer het nummer aan de hand van de KBO (Kruispuntbank van Ondernemingen); een rekenblad "
               "dat het als getal toont (bv. 1,23E+09) verliest cijfers: exporteer het als tekst")] if bad.any() else []
    readings = [(nine & ok, "ondernemingsnummer met 9 cijfers: voorloopnul toegevoegd")] if (nine & ok).any() else []
    return Parsed(values, faults, readings)


# ---------------------------------------------------------------------------
# NACE codes

NACE_DOTTED = r"^\d{2}(\.\d{1,3})?$"


@dataclass
class NaceParsed(Parsed):
    ambiguous: np.ndarray | None = None  # four-digit codes with two readings
    as_class: np.ndarray | None = None  # reading 1: 1500 -> 15.00
    as_subclass: np.ndarray | None = None  # reading 2: 1500 -> 01.50 (01500 without its zero)


def _dotted(text) -> np.ndarray:
    """'15000' / '1500' -> '15.00' / '15.00' (at most four digits kept: NACE class)."""
    joined = pc.binary_join_element_wise(pc.utf8_slice_codeunits(text, 0, 2), pc.utf8_slice_codeunits(text, 2, 4), ".")
    return np.asarray(joined.to_numpy(zero_copy_only=False), dtype=object)


def nace(arr: pa.Array) -> NaceParsed:
    empty = _np(pc.equal(arr, ""))
    raw = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)
    values = np.full(len(raw), None, dtype=object)
    dotted = match(arr, NACE_DOTTED)
    values[dotted] = np.asarray(pc.utf8_slice_codeunits(arr, 0, 5).to_numpy(zero_copy_only=False), dtype=object)[dotted]
    five = match(arr, r"^\d{5}$")
    four = match(arr, r"^\d{4}$")
    as_class = np.full(len(raw), None, dtype=object)
    if (five | four).any():
        as_class[five | four] = _dotted(pc.filter(arr, pa.array(five | four)))
    values[five] = as_class[five]
    sure4 = four & match(arr, r"^[04]")  # 0xxx has its zero; division 04 does not exist
    values[sure4] = as_class[sure4]
    ambiguous = four & ~sure4
    as_sub = np.full(len(raw), None, dtype=object)
    if ambiguous.any():
        as_sub[ambiguous] = _dotted(pc.binary_join_element_wise(pa.scalar("0"), pc.filter(arr, pa.array(ambiguous)), ""))
    bad = ~empty & ~dotted & ~five & ~four
    faults = [(bad, "ongeldige NACE-code (verwacht bv. 62.01)", "corrigeer de code (NACE-BEL, bv. 62.01 of 62.010)")] \
        if bad.any() else []
    readings = [(m, how) for m, how in ((five | sure4, "NACE-code zonder punt (62010 = 62.01)"),) if m.any()]
    return NaceParsed(values, faults, readings, ambiguous=ambiguous, as_class=as_class, as_subclass=as_sub)


def settle_nace(parsed: NaceParsed, *frame_codes: np.ndarray) -> Parsed:
    """Settle the four-digit codes with the frame's code(s) for the firm (the reported and
    the invited one): the reading whose division equals a frame code's is taken; with
    neither, or both, it is a fault."""
    values = parsed.values.copy()
    amb = parsed.ambiguous
    if not amb.any():
        return Parsed(values, list(parsed.faults), list(parsed.readings))
    cls_div = np.array([str(v)[:2] for v in parsed.as_class], dtype=object)
    sub_div = np.array([str(v)[:2] for v in parsed.as_subclass], dtype=object)
    hit_cls = np.zeros(len(values), dtype=bool)
    hit_sub = np.zeros(len(values), dtype=bool)
    for codes in frame_codes:
        div = np.array([str(v)[:2] if isinstance(v, str) else "" for v in codes], dtype=object)
        hit_cls |= div == cls_div
        hit_sub |= div == sub_div
    by_class = amb & hit_cls & ~hit_sub
    by_sub = amb & hit_sub & ~hit_cls
    values[by_class] = parsed.as_class[by_class]
    values[by_sub] = parsed.as_subclass[by_sub]
    left = amb & ~by_class & ~by_sub
    faults = list(parsed.faults)
    if left.any():
        faults.append((left, "dubbelzinnige NACE-code van vier cijfers: een klasse zonder punt (bv. 1500 = 15.00) of "
                       "een subklasse waarvan een rekenblad de voorloopnul schrapte (01500 = 01.50), en de code van het "
                       "kader voor deze onderneming beslist het niet",
                       "schrijf de code met punt (bv. 15.00 of 01.50) en bewaar de kolom als tekst"))
    readings = list(parsed.readings)
    if by_class.any():
        readings.append((by_class, "NACE-code van vier cijfers gelezen als klasse (1500 = 15.00): zo staat ze in het kader"))
    if by_sub.any():
        readings.append((by_sub, "NACE-code van vier cijfers gelezen als subklasse zonder voorloopnul (1500 = 01.50): "
                         "zo staat ze in het kader"))
    return Parsed(values, faults, readings)


# ---------------------------------------------------------------------------
# dates and times

ISO = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$"
LOCAL = r"^(?P<p1>\d{1,2})[/.-](?P<p2>\d{1,2})[/.-](?P<y>\d{4})[ T](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?$"


def day_first_evidence(arrays: list[pa.Array]) -> tuple[bool, bool]:
    """Across the date columns of one file: does some local-form value have its first
    part above 12 (so the day comes first), or its second part?"""
    first = second = False
    for arr in arrays:
        m = match(arr, LOCAL)
        if not m.any():
            continue
        parts = pc.extract_regex(pc.filter(arr, pa.array(m)), LOCAL)
        p1 = pc.cast(pc.struct_field(parts, [0]), pa.int64()).to_numpy(zero_copy_only=False)
        p2 = pc.cast(pc.struct_field(parts, [1]), pa.int64()).to_numpy(zero_copy_only=False)
        first |= bool((p1 > 12).any())
        second |= bool((p2 > 12).any())
    return first, second


def datetimes(arr: pa.Array, evidence: tuple[bool, bool]) -> Parsed:
    empty = _np(pc.equal(arr, ""))
    iso = match(arr, ISO)
    text = pc.if_else(pa.array(match(arr, r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$")),
                      pc.binary_join_element_wise(arr, pa.scalar(":00"), ""), arr)
    text = pc.replace_substring(text, "T", " ")
    local = match(arr, LOCAL)
    faults, readings = [], []
    day_first, month_first = evidence
    accepted = iso.copy()
    if local.any():
        if day_first and month_first or not (day_first or month_first):
            why = ("dag en maand staan in beide volgordes" if day_first else
                   "geen enkele waarde toont of de dag of de maand vooraan staat (alle delen zijn 12 of minder)")
            faults.append((local, f"dubbelzinnige datum in de vorm d/m/jjjj of m/d/jjjj: {why}",
                           "exporteer opnieuw uit het enquêteplatform, of bewaar de datums als JJJJ-MM-DD UU:MM:SS"))
        else:
            parts = pc.extract_regex(pc.if_else(pa.array(local), arr, pa.scalar("1/1/2000 0:00")), LOCAL)
            f = [pc.struct_field(parts, [k]) for k in range(6)]
            day, month = (f[0], f[1]) if day_first else (f[1], f[0])
            sec = pc.if_else(pc.equal(f[5], ""), pa.scalar("00"), f[5])
            pad = lambda x: pc.utf8_lpad(x, 2, "0")  # noqa: E731
            iso_text = pc.binary_join_element_wise(f[2], pa.scalar("-"), pad(month), pa.scalar("-"), pad(day),
                                                   pa.scalar(" "), pad(f[3]), pa.scalar(":"), f[4], pa.scalar(":"), sec, "")
            text = pc.if_else(pa.array(local), iso_text, text)
            accepted |= local
            readings.append((local, "datum in de vorm van een rekenblad ("
                             + ("dag/maand/jaar" if day_first else "maand/dag/jaar") + ", afgeleid uit waarden boven 12)"))
    parsed = pc.strptime(pc.if_else(pa.array(accepted), text, pa.scalar("2000-01-01 00:00:00")),
                         format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    values = np.array(parsed.to_numpy(zero_copy_only=False).astype("datetime64[ns]"))
    # strptime rolls 31/02 over to 3 March: a date must print back as it was written
    back = pc.strftime(pc.fill_null(parsed, 0), format="%Y-%m-%d %H:%M:%S")
    same = _np(pc.equal(back, pc.if_else(pa.array(accepted), text, pa.scalar("2000-01-01 00:00:00"))))
    invalid = accepted & (np.isnat(values) | ~same)
    values[~(accepted & ~invalid)] = np.datetime64("NaT")
    bad = (~empty & ~accepted & ~local) | invalid
    if bad.any():
        faults.append((bad, "ongeldige datum/tijd (verwacht JJJJ-MM-DD UU:MM:SS)",
                       "exporteer opnieuw met de standaard datumnotatie"))
    return Parsed(values, faults, readings)


# ---------------------------------------------------------------------------
# platform metadata kept as text: known values only

# The distribution channels Qualtrics writes in DistributionChannel (lower case): an
# anonymous or personal link, an e-mail or SMS invitation, a QR code, social media, offline
# app, an imported response, a preview or test from the survey editor.
CHANNELS = ("anonymous", "email", "gl", "personal", "preview", "test", "qr", "sms", "smsinvite", "social",
            "offline", "imported", "api", "web", "mobile", "app", "kiosk")
# A language code as Qualtrics writes it: two or three letters, optionally a dash and one to
# four letters (NL, EN, FR, DE, NL-BE, ZH-S, ZH-T, PT-BR, ES-ES); upper or lower case, not mixed.
LANGUAGE = r"^([A-Z]{2,3}(-[A-Z]{1,4})?|[a-z]{2,3}(-[a-z]{1,4})?)$"


def _known_text(arr: pa.Array, ok: np.ndarray, normalised, why: str) -> Parsed:
    empty = _np(pc.equal(arr, ""))
    values = np.asarray(normalised.to_numpy(zero_copy_only=False), dtype=object)
    keep = ok & ~empty
    values[~keep] = None
    bad = ~empty & ~ok
    return Parsed(values, blanked=[(bad, why)] if bad.any() else [])


def channels(arr: pa.Array) -> Parsed:
    """A distribution channel of the survey platform (any case, kept in lower case)."""
    lower = pc.utf8_lower(arr)
    ok = _np(pc.is_in(lower, value_set=pa.array(CHANNELS, pa.string())))
    return _known_text(arr, ok, lower, "geen bekend distributiekanaal van het enquêteplatform")


def languages(arr: pa.Array) -> Parsed:
    """A language code (kept in upper case)."""
    return _known_text(arr, match(arr, LANGUAGE), pc.utf8_upper(arr), "geen taalcode (zoals NL, EN, NL-BE, PT-BR)")


def free_text(arr: pa.Array) -> Parsed:
    """Text of a column that is neither personal nor of a known form: nothing is kept."""
    empty = _np(pc.equal(arr, ""))
    return Parsed(np.full(len(empty), None, dtype=object),
                  blanked=[(~empty, "vrije tekst zonder bekende vorm (kan persoonsgegevens bevatten)")]
                  if (~empty).any() else [])
