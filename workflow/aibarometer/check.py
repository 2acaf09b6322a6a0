"""Pre-flight check: a wave's inputs read and cleaned as the workflow would, nothing estimated.

    .venv/bin/snakemake --cores 1 check

writes ``results/<wave>/check/report.md`` (and ``check.json``) for every configured wave:
the formats found, every fault (counted per kind, the first rows of each), every
tolerance applied (how a value was read), the response flow the wave would give and the
strata that would be empty or have a single respondent. The ``check`` rule then exits
non-zero when any wave has faults, naming the reports.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path


from .errors import InputError, thousands

FIRST_ROWS = 5


def check_wave(paths: dict, codebook, strata, cleaning: dict, fieldwork: dict, key_env: str, synthetic: bool) -> dict:
    """Everything ingest and clean would find, collected instead of raised."""
    from .clean import apply_routing, assign_strata, clean, exclusion_rules
    from .ingest import DEMO_KEY, ingest, pseudonym_key

    out: dict = {"faults": [], "omitted": 0, "readings": [], "formats": {}, "flow": None, "strata": None,
                 "key": None, "blanked": []}
    try:
        key, out["key"] = pseudonym_key(key_env, synthetic)
    except InputError as err:
        out["faults"] += [f.__dict__ for f in err.faults]
        key = DEMO_KEY.encode()  # to go on checking; the run itself would stop here
    real = tuple(cleaning.get("real_status_codes", (0, 4, 16)))
    try:
        responses, frame, population, info = ingest(paths["export"], paths["frame"], paths["population"], codebook,
                                                    strata, key, real)
    except InputError as err:
        out["faults"] += [f.__dict__ for f in err.faults]
        out["omitted"] += err.omitted
        out["readings"] = err.readings
        return out
    out["readings"], out["formats"] = info["readings"], info["formats"]
    out["blanked"] = info.get("blanked", [])
    try:
        res = clean(responses, frame, population, codebook, strata, cleaning,
                    {"population": str(paths["population"]), "export": str(paths["export"]), "fieldwork": fieldwork})
        out["flow"] = res["flow"][["step", "label", "count"]].to_dict("records")
        usable = res["table2"].set_index(["sector", "size_class"])["usable"]
    except InputError as err:  # e.g. an empty stratum: count the usable responses per stratum ourselves
        out["faults"] += [f.__dict__ for f in err.faults]
        out["omitted"] += err.omitted
        routed, _ = apply_routing(responses, codebook)
        hits = exclusion_rules(routed, codebook, strata, cleaning["min_employees"], fieldwork, list(real))
        st = assign_strata(routed, codebook, strata, cleaning["stratum_source"])[(hits["rule"] == "").to_numpy()]
        usable = st.groupby(["sector", "size_class"]).size()
    out["strata"] = [{"sector": s, "size_class": c, "usable": int(usable.get((s, c), 0))} for s, c in strata.all_strata()]
    return out


def _fault_line(f: dict) -> str:
    from .errors import Fault
    return Fault(**f).render().replace("\n      oplossing:", " — oplossing:")


def _example_side(example: dict, side: str) -> str:
    """One side of a recorded raw -> read example: the value when the record quotes it (an
    allowed form, :func:`aibarometer.errors.quotable`, or a label of the code list; no digits
    are quoted that the rule would not), else its shape and length."""
    from .errors import quotable, shape
    value = example.get(side)
    if side in example and (value is None or quotable(value) or not any(c.isdigit() for c in str(value))):
        return f"`{value}`"
    if f"{side}_shape" in example:
        return f"vorm `{example[side + '_shape']}` ({example[side + '_length']} tekens)"
    value = str(example.get(side, ""))
    return f"vorm `{shape(value)}` ({len(value)} tekens)"


def report_md(wave: str, result: dict, lonely_policy: str) -> str:
    n = len(result["faults"]) + result["omitted"]
    lines = [f"# Controle van de invoer: golf {wave}", ""]
    lines.append(f"**{'In orde' if n == 0 else f'{thousands(n)} fout' + ('en' if n != 1 else '')}**"
                 + (": de workflow kan draaien." if n == 0 else ": de workflow stopt op deze invoer. Herstel de "
                    "fouten hieronder en controleer opnieuw."))
    lines += ["", "## Bestanden", ""]
    names = {"encoding": "codering", "delimiter": "scheidingsteken", "line_endings": "regeleinden",
             "header_rows": "kopregels", "kind": "soort", "sheet": "blad", "empty_rows_skipped": "lege rijen overgeslagen"}
    for role, fmt in result["formats"].items():
        parts = [f"{names.get(k, k)}: {v}" for k, v in fmt.items() if k != "file"]
        lines.append(f"- {role}: `{fmt.get('file', '')}` ({'; '.join(parts)})")
    if result["key"]:
        lines.append(f"- sleutel voor de pseudoniemen: {result['key']}")
    lines += ["", "## Fouten", ""]
    if not n:
        lines.append("Geen.")
    else:
        kinds = Counter((f["file"], f.get("column"), f["problem"]) for f in result["faults"])
        lines.append("| bestand | kolom | probleem | aantal |")
        lines.append("|---|---|---|---|")
        for (file, column, problem), count in kinds.most_common():
            lines.append(f"| {Path(file).name} | {column or ''} | {problem} | {count} |")
        if result["omitted"]:
            lines.append(f"\nen nog {thousands(result['omitted'])} fouten van dezelfde soorten (per soort en kolom staan "
                         "er hoogstens 50 in de lijst).")
        lines += ["", "De eerste rijen per soort:", ""]
        shown = Counter()
        for f in result["faults"]:
            k = (f["file"], f.get("column"), f["problem"])
            if shown[k] < FIRST_ROWS:
                lines.append(f"- {_fault_line(f)}")
            shown[k] += 1
    lines += ["", "## Gelezen met een tolerantie", ""]
    if not result["readings"]:
        lines.append("Geen: elke waarde stond in de standaardvorm.")
    else:
        lines.append("| bestand | kolom | hoe gelezen | aantal | eerste rijen | voorbeelden |")
        lines.append("|---|---|---|---|---|---|")
        for r in result["readings"]:
            ex = ", ".join(f"{_example_side(e, 'raw')} → {_example_side(e, 'read')}" for e in r.get("examples", []))
            lines.append(f"| {Path(r['file']).name} | {r['column']} | {r['reading']} | {r['count']} | "
                         f"{', '.join(r['first_rows'][:FIRST_ROWS])} | {ex} |")
    if result.get("blanked"):
        lines += ["", "## Leeggemaakt (metagegevens in een onbekende vorm)", ""]
        lines.append("| bestand | kolom | waarom | aantal | eerste rijen |")
        lines.append("|---|---|---|---|---|")
        for b in result["blanked"]:
            lines.append(f"| {Path(b['file']).name} | {b['column']} | {b['reason']} | {b['count']} | "
                         f"{', '.join(b['first_rows'][:FIRST_ROWS])} |")
    lines += ["", "## Responsstroom", ""]
    if result["flow"]:
        lines.append("| stap | aantal |")
        lines.append("|---|---|")
        lines += [f"| {r['label']} | {thousands(int(r['count']))} |" for r in result["flow"]]
    else:
        lines.append("Niet te bepalen zolang er fouten zijn." if n else "")
    if result["strata"] is not None:
        empty = [s for s in result["strata"] if s["usable"] == 0]
        lonely = [s for s in result["strata"] if s["usable"] == 1]
        lines += ["", "## Strata", ""]
        lines.append(f"- zonder bruikbaar antwoord: {len(empty)}"
                     + ("".join(f"\n  - {s['sector']} | {s['size_class']}" for s in empty)))
        lines.append(f"- met één bruikbaar antwoord (variantie volgens `lonely_psu: {lonely_policy}`): {len(lonely)}"
                     + ("".join(f"\n  - {s['sector']} | {s['size_class']}" for s in lonely)))
    return "\n".join(lines) + "\n"


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``check_wave``): always writes the report; the ``check``
    rule decides the exit code."""
    from .config import load_codebook
    from .stage import write_json, write_text
    from .strata import Strata

    codebook = load_codebook(input.codebook)
    strata = Strata(params.strata)
    paths = {"export": input.export, "frame": input.frame, "population": input.population}
    result = check_wave(paths, codebook, strata, dict(params.cleaning), dict(params.fieldwork), params.key_env,
                        params.synthetic)
    n = len(result["faults"]) + result["omitted"]
    write_text(report_md(params.wave, result, params.lonely_psu), output.report)
    write_json({"wave": params.wave, "faults": n, "readings": sum(r["count"] for r in result["readings"]),
                "flow": {r["step"]: r["count"] for r in result["flow"] or []}, "report": output.report}, output.summary)
    log(f"{n} faults, {len(result['readings'])} kinds of tolerated readings")


def verdict(summaries: list[str], log: str | None = None) -> None:
    """Rule ``check``: fail, naming the reports, when any wave has faults."""
    import json

    from snakemake.exceptions import WorkflowError

    bad, lines = [], []
    for path in summaries:
        s = json.loads(Path(path).read_text())
        lines.append(f"golf {s['wave']}: {s['faults']} fouten, {s['readings']} waarden met een tolerantie gelezen -> {s['report']}")
        print(lines[-1])
        if s["faults"]:
            bad.append(f"golf {s['wave']}: {s['faults']} fouten (zie {s['report']})")
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        Path(log).write_text("\n".join(lines) + "\n")
    if bad:
        raise WorkflowError("de invoer is niet in orde:\n  " + "\n  ".join(bad))
