"""Loading and validating the configuration, the wave files and the codebook."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .errors import Fault, InputError

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


_CONFIG_FILE: list[str] = []


def set_config_file(path: str) -> None:
    """Called by the Snakefile with the run's configuration file (--configfile)."""
    _CONFIG_FILE[:] = [path]


def config_file() -> str:
    """The configuration file of this run, for messages: what the Snakefile set (jobs run in
    its process), else $AIBAROMETER_CONFIG, else config/config.yaml."""
    import os
    return _CONFIG_FILE[0] if _CONFIG_FILE else os.environ.get("AIBAROMETER_CONFIG", "config/config.yaml")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the Snakefile parses these on every run


def load_yaml(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise InputError(Fault(str(path), "bestand niet gevonden",
                               f"controleer het pad in {config_file()} of config/waves/<wave>.yaml"))
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as err:
        raise InputError(Fault(str(path), f"geen geldige YAML: {err}", "herstel de YAML-syntaxis")) from None
    return data if data is not None else {}


VALIDATED = Path(".snakemake") / "aibarometer-validated"


def validate(data: dict, schema_name: str, path: str | Path, cache: bool = False) -> dict:
    """Check ``data`` against a schema in workflow/schemas; raise InputError listing every fault.

    With ``cache`` (the Snakefile, on every run) a stamp remembers that this exact data
    passed this exact schema, so an unchanged configuration is not validated again."""
    stamp = None
    if cache:
        import hashlib
        import json

        text = (SCHEMAS / schema_name).read_text()
        key = json.dumps([data, schema_name, text], sort_keys=True, default=str)
        stamp = VALIDATED / hashlib.sha256(key.encode()).hexdigest()
        if stamp.is_file():
            return data
    import jsonschema  # here, not at the top: the Snakefile imports this module on every run

    schema = yaml.load((SCHEMAS / schema_name).read_text(), Loader=_LOADER)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise InputError([
            Fault(str(path), e.message, f"pas de configuratie aan volgens workflow/schemas/{schema_name}",
                  row=None, column="/".join(str(p) for p in e.absolute_path) or None)
            for e in errors])
    if stamp is not None:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return data


def load_wave(wave: str, root: str | Path = ".", cache: bool = False) -> dict:
    path = Path(root) / "config" / "waves" / f"{wave}.yaml"
    if not path.is_file():
        raise InputError(Fault(str(path), f"de golf {wave!r} staat onder waves in {config_file()}, maar dit "
                               "bestand bestaat niet", "maak het bestand aan (kopieer bv. config/waves/2023-demo.yaml) "
                               "of haal de golf uit waves"))
    data = load_yaml(path)
    # dates come in as datetime.date from YAML; the schema wants strings
    for key in ("start", "end"):
        if key in data.get("fieldwork", {}):
            data["fieldwork"][key] = str(data["fieldwork"][key])
    if "publication_date" in data.get("report", {}):
        data["report"]["publication_date"] = str(data["report"]["publication_date"])
    validate(data, "wave.schema.yaml", path, cache=cache)
    if data["wave"] != wave:
        raise InputError(Fault(str(path), f"het veld wave is {data['wave']!r}, de bestandsnaam zegt {wave!r}",
                               "maak de bestandsnaam en het veld wave gelijk"))
    return data


@dataclass(frozen=True)
class Item:
    column: str
    var: str
    block: str
    type: str
    routing: str
    label: str
    text: str
    codes: dict[int, str] | None = None
    range: tuple[float, float] | None = None
    condition: dict | None = None
    personal: bool = False
    role: str | None = None
    codes_name: str | None = None  # the code list's name (for its label aliases)
    explain: str = ""  # for the report: what the item means, with an example
    noun: dict | None = None  # the answer as a noun phrase for running text: {text, article, plural}


@dataclass
class Codebook:
    path: str
    items: list[Item]
    blocks: dict[str, str]
    ai_blocks: list[str]
    code_lists: dict[str, dict[int, str]] = field(default_factory=dict)
    # alternative spellings of answer labels per code list (choice-text exports: True/False)
    label_aliases: dict[str, dict[str, int]] = field(default_factory=dict)
    # scaled answers as noun phrases per code list and code ("een sterke stijging")
    answer_nouns: dict[str, dict[int, str]] = field(default_factory=dict)
    # codes that mean "weet niet" in any code list (not a substantive answer, rule c)
    dont_know_codes: tuple[int, ...] = ()
    # the derived indicators of config/spec.yaml this questionnaire can compute
    # (aibarometer.indicators.attach): name -> Derived
    derived: dict = field(default_factory=dict)

    @cached_property
    def by_var(self) -> dict[str, Item]:
        return {i.var: i for i in self.items}

    @cached_property
    def by_column(self) -> dict[str, Item]:
        return {i.column: i for i in self.items}

    def role(self, role: str) -> Item:
        return next(i for i in self.items if i.role == role)

    @property
    def personal(self) -> list[Item]:
        return [i for i in self.items if i.personal]

    @property
    def kept(self) -> list[Item]:
        """Items that survive ingest (everything but personal data)."""
        return [i for i in self.items if not i.personal]

    def block_items(self, block: str) -> list[Item]:
        return [i for i in self.items if i.block == block]

    @property
    def ai_items(self) -> list[Item]:
        return [i for i in self.items if i.block in self.ai_blocks]

    @property
    def technology_items(self) -> list[Item]:
        return self.block_items("technologies")


def _resolve_base(path: Path, data: dict) -> dict:
    """A later wave's codebook may be written as changes to an earlier one:
    ``base:`` (a path relative to this file), ``add_items:`` (each with ``after:``, the
    column it follows) and ``code_lists:`` (lists added or replaced)."""
    if "base" not in data:
        return data
    base_path = (path.parent / data["base"]).resolve()
    base = _resolve_base(base_path, load_yaml(base_path))
    items = list(base["items"])
    for new in data.get("add_items", []):
        new = dict(new)
        after = new.pop("after", None)
        cols = [i["column"] for i in items]
        if after is not None and after not in cols:
            raise InputError(Fault(str(path), f"add_items: kolom {after!r} (after) bestaat niet in de basis",
                                   "verwijs naar een bestaande kolom", column=new.get("column")))
        items.insert(cols.index(after) + 1 if after is not None else len(items), new)
    merged = {k: v for k, v in base.items() if k != "items"}
    merged["code_lists"] = {**base["code_lists"], **data.get("code_lists", {})}
    merged["label_aliases"] = {**base.get("label_aliases", {}), **data.get("label_aliases", {})}
    merged["answer_nouns"] = {**base.get("answer_nouns", {}), **data.get("answer_nouns", {})}
    merged["items"] = items
    merged["version"] = data.get("version", base["version"])
    return merged


def load_codebook(path: str | Path) -> Codebook:
    """The questionnaire, loaded and validated once per process for an unchanged file (jobs
    share the Snakemake process); each caller gets its own copy."""
    import copy

    path = Path(path)
    key = (str(path.resolve()), *_mtimes(path))
    if key not in _CODEBOOKS:
        _CODEBOOKS[key] = _load_codebook(path)
    return copy.copy(_CODEBOOKS[key])


_CODEBOOKS: dict[tuple, Codebook] = {}


def _mtimes(path: Path) -> tuple:
    """Modification times of a codebook and the bases it builds on."""
    out = []
    while path.is_file():
        out.append(path.stat().st_mtime_ns)
        base = load_yaml(path).get("base")
        if not base:
            break
        path = (path.parent / base).resolve()
    return tuple(out)


def _load_codebook(path: Path) -> Codebook:
    data = validate(_resolve_base(path, load_yaml(path)), "codebook.schema.yaml", path)
    lists = {name: {int(k): v for k, v in codes.items()} for name, codes in data["code_lists"].items()}
    faults = []
    items = []
    seen_col, seen_var = set(), set()
    for raw in data["items"]:
        if raw["column"] in seen_col:
            faults.append(Fault(str(path), "kolom dubbel gedefinieerd", "geef elke kolom één item", column=raw["column"]))
        if raw["var"] in seen_var:
            faults.append(Fault(str(path), f"var {raw['var']!r} dubbel gedefinieerd", "maak var uniek", column=raw["column"]))
        seen_col.add(raw["column"])
        seen_var.add(raw["var"])
        if raw["block"] not in data["blocks"]:
            faults.append(Fault(str(path), f"onbekend blok {raw['block']!r}", "voeg het blok toe onder blocks", column=raw["column"]))
        codes = None
        if "codes" in raw:
            if raw["codes"] not in lists:
                faults.append(Fault(str(path), f"onbekende codelijst {raw['codes']!r}", "voeg ze toe onder code_lists", column=raw["column"]))
            else:
                codes = lists[raw["codes"]]
        items.append(Item(
            column=raw["column"], var=raw["var"], block=raw["block"], type=raw["type"],
            routing=raw["routing"], label=raw["label"], text=raw["text"], codes=codes,
            range=tuple(raw["range"]) if "range" in raw else None, condition=raw.get("condition"),
            personal=bool(raw.get("personal", False)), role=raw.get("role"), codes_name=raw.get("codes"),
            explain=raw.get("explain", ""), noun=raw.get("noun")))
    for raw in data["items"]:
        cond = raw.get("condition")
        if cond and cond["var"] not in seen_var:
            faults.append(Fault(str(path), f"voorwaarde verwijst naar onbekende var {cond['var']!r}",
                                "verwijs naar een bestaande var", column=raw["column"]))
    roles = [i.role for i in items if i.role]
    for needed in ("response_id", "invited_enterprise", "reported_enterprise", "employees", "nace"):
        if roles.count(needed) != 1:
            faults.append(Fault(str(path), f"rol {needed!r} moet precies één keer voorkomen (nu {roles.count(needed)})",
                                "duid precies één item met deze rol aan"))
    for block in data["ai_blocks"]:
        if block not in data["blocks"]:
            faults.append(Fault(str(path), f"ai_blocks noemt onbekend blok {block!r}", "voeg het blok toe onder blocks"))
    if faults:
        raise InputError(faults)
    aliases = {name: {str(k).strip().lower(): int(v) for k, v in al.items()}
               for name, al in data.get("label_aliases", {}).items()}
    for name, al in aliases.items():
        if name not in lists:
            faults.append(Fault(str(path), f"label_aliases noemt onbekende codelijst {name!r}", "verwijs naar een codelijst"))
        elif not set(al.values()) <= set(lists[name]):
            faults.append(Fault(str(path), f"label_aliases.{name} verwijst naar codes buiten de codelijst",
                                "gebruik codes uit de codelijst"))
    if faults:
        raise InputError(faults)
    nouns = {name: {int(k): v for k, v in codes.items()} for name, codes in data.get("answer_nouns", {}).items()}
    for name, codes in nouns.items():
        if name not in lists or not set(codes) <= set(lists[name]):
            faults.append(Fault(str(path), f"answer_nouns.{name} verwijst naar een onbekende codelijst of code",
                                "gebruik een codelijst en codes uit code_lists"))
    if faults:
        raise InputError(faults)
    return Codebook(str(path), items, data["blocks"], data["ai_blocks"], lists, aliases,
                    dont_know_codes=tuple(int(c) for c in data.get("dont_know_codes", ())), answer_nouns=nouns)


def load_config(path: str | Path = "config/config.yaml") -> dict:
    return validate(load_yaml(path), "config.schema.yaml", path)
