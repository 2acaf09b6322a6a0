"""The authors' own words, per wave: context, interpretation and policy reading no data can give.

Researchers write plain Markdown files, one per section, in ``config/waves/<wave>/text/``:

    config/waves/2023-demo/text/inleiding.md       added after the generated text of the introduction
    config/waves/2023-demo/text/conclusies.md      added to the conclusions

A file that starts with the line ``<!-- vervangt -->`` replaces the generated paragraphs of its
section instead (sections ``inleiding`` and ``conclusies``). Paragraphs are separated by a
blank line; ``*schuin*`` and ``**vet**`` are the only markup. Numbers are never typed: a
placeholder such as ``{adoptie}`` is replaced by the wave's figure (:func:`placeholders`), and
``{bevinding:<id>}`` by the sentence of that finding of ``findings.json``. An unknown
placeholder, a finding id that is not in this wave's findings, or a percentage typed by hand
(a number followed by ``%`` outside a placeholder) stops the report with the file and line.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .errors import Fault, InputError

SECTIONS = ("samenvatting", "inleiding", "methodologie", "adoptie", "drempels", "kennis", "toepassingen", "bronnen",
            "impact", "beleid", "europa", "evolutie", "conclusies")
REPLACEABLE = ("inleiding", "conclusies")
REPLACE_MARK = "<!-- vervangt -->"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_TYPED_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|procent\b)")


def text_dir(wave: str, root: str | Path = ".") -> Path:
    return Path(root) / "config" / "waves" / wave / "text"


def files(wave: str, root: str | Path = ".") -> list[str]:
    """The wave's Markdown files (the report rule's inputs, so an edit re-renders the report)."""
    d = text_dir(wave, root)
    return sorted(str(p) for p in d.glob("*.md")) if d.is_dir() else []


def placeholders(ctx: dict) -> dict[str, str]:
    """The numbers a text may quote, by name, formatted as the report prints them."""
    n = ctx["N"]
    out = {
        "adoptie": n.E("adopter", 1).pct,
        "bruikbare_antwoorden": ctx["flow"]["usable"],
        "aangeschreven": ctx["flow"]["sampled"],
        "responsgraad": ctx["response_rate"],
        "jaar": str(ctx["wave"]["year"]),
        "adoptie_10plus": ctx["eurostat"]["flanders_10plus"].pct,
        "geen_ai_geen_plannen": n.E("n_technologies", "0_no_plans").pct,
        "plant_ai": n.E("n_technologies", "0_plans").pct,
    }
    trend = ctx.get("trend")
    if trend and trend.get("adopt"):
        out["adoptie_vorige_meting"] = trend["adopt"]["vals"][-2]
        out["vorige_meting"] = str(trend["previous_year"])
    return out


def finding_sentences(ctx: dict) -> dict[str, str]:
    """Finding id -> its sentence (group differences and changes of this wave)."""
    from . import fmt
    from .findings import change_phrase, sentence

    out = {}
    for f in ctx["findings"]["group"]:
        out[f["id"]] = sentence([f], ctx["strata"], ctx["N"].codebook)
    for c in (c for c in ctx["findings"]["change"] if c["kind"] == "change" and c["domain"] == "all"):
        verb = "steeg" if c["direction"] == "up" else "daalde"
        what = change_phrase(c["indicator"], ctx["N"].codebook, c["category"])
        out[c["id"]] = (f"Sinds {ctx['trend']['previous_year']} {verb} {what} significant, van "
                        f"{fmt.pct(c['numbers']['from'])} naar {fmt.pct(c['numbers']['to'])}.")
    return out


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", text)


def render(path: str | Path, values: dict[str, str], found: dict[str, str]) -> tuple[str, bool]:
    """One file as HTML paragraphs, and whether it replaces its section's generated text."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    replace = bool(lines) and lines[0].strip() == REPLACE_MARK
    faults, out_lines = [], []
    for k, line in enumerate(lines, 1):
        if k == 1 and replace:
            continue
        outside = _PLACEHOLDER.sub("", line)
        if _TYPED_PERCENT.search(outside):
            faults.append(Fault(str(path), "een percentage met de hand getypt", "gebruik een plaatshouder, bv. {adoptie}; "
                                f"beschikbaar: {', '.join(sorted(values))}", row=f"regel {k}"))

        def sub(m, k=k):
            name = m.group(1).strip()
            if name.startswith("bevinding:"):
                fid = name.split(":", 1)[1].strip()
                if fid not in found:
                    faults.append(Fault(str(path), f"bevinding {fid!r} bestaat niet in deze meting",
                                        "kies een id uit results/<golf>/report/findings.json", row=f"regel {k}"))
                    return ""
                return found[fid]
            if name not in values:
                faults.append(Fault(str(path), f"onbekende plaatshouder {{{name}}}",
                                    f"gebruik een van: {', '.join(sorted(values))}, of {{bevinding:<id>}}",
                                    row=f"regel {k}"))
                return ""
            return values[name]
        out_lines.append(_PLACEHOLDER.sub(sub, line))
    if faults:
        raise InputError(faults)
    paragraphs = [" ".join(p.split("\n")).strip() for p in "\n".join(out_lines).split("\n\n")]
    return "".join(f"<p>{_inline(p)}</p>" for p in paragraphs if p), replace


def context(paths: list[str], ctx: dict) -> dict:
    """Section -> {'html': ..., 'replace': bool} for the templates; unknown file names stop the report."""
    values, found = placeholders(ctx), finding_sentences(ctx)
    out, faults = {}, []
    for p in paths:
        section = Path(p).stem
        if section not in SECTIONS:
            faults.append(Fault(p, f"onbekende sectie {section!r}", f"noem het bestand naar een sectie: {', '.join(SECTIONS)}"))
            continue
        if section == "evolutie" and not ctx.get("trend"):  # no earlier wave configured: no trend chapter to add to
            continue
        body, replace = render(p, values, found)
        if replace and section not in REPLACEABLE:
            faults.append(Fault(p, f"de sectie {section!r} kan niet vervangen worden", "laat de eerste regel "
                                f"{REPLACE_MARK} weg (de tekst komt dan na de gegenereerde), of vervang enkel "
                                f"{' of '.join(REPLACEABLE)}", row="regel 1"))
        out[section] = {"html": body, "replace": replace}
    if faults:
        raise InputError(faults)
    return out
