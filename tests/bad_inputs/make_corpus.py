"""Generate the bad-input corpus used by tests/test_bad_inputs.py.

    .venv/bin/python tests/bad_inputs/make_corpus.py

Deterministic (no randomness, no clock): it reads the synthetic demo wave in
resources/demo/2021/ and rewrites the same bytes every time. The output is
committed; rerun this script only when the demo data, the codebook or the
wording of the messages in workflow/aibarometer/ingest.py / clean.py change.

What it writes
--------------
``base/``   a valid "mini wave" that passes ingest *and* clean:

  * ``export.csv``     the three Qualtrics header rows of the demo export plus 42
                       responses, in their original order and bytes (UTF-8 with
                       BOM, CRLF): for each of the 36 strata (sector x size class,
                       by the answers) the first usable response whose frame
                       stratum agrees; one extra usable response in stratum
                       ``STRATUM_S`` whose frame places it elsewhere (used by the
                       clean-stage case); the first response excluded by rule (a),
                       by (b), by (c); and the first rule-(d) pair (a duplicate
                       and the response it duplicates).
  * ``frame.csv``      the frame rows of the invited enterprises of those
                       responses plus every 613th other frame row (not in
                       ``STRATUM_S``), in original order and bytes.
  * ``population.csv`` the full demo population (36 strata), unchanged.

``<case>/`` one folder per fault holding only the file(s) that differ from base.

``cases.yaml`` for each case: ``description``, ``bad_files`` (the files in the
folder), ``stage`` (the stage that must fail: ingest or clean), ``faults`` (the
number of faults the message must announce: "N fout(en) in de invoer"),
``blamed`` (files the message must name as ``bestand <path>``), ``expect``
(further fragments of the Dutch message: row/response, column, value, problem),
and, for known bugs in the package, ``xfail`` (why it currently fails).
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEMO = ROOT / "resources" / "demo" / "2021"
sys.path.insert(0, str(ROOT / "workflow"))

from aibarometer import enterprise  # noqa: E402
from aibarometer.config import load_config  # noqa: E402
from aibarometer.strata import Strata  # noqa: E402

FILES = ("export.csv", "frame.csv", "population.csv")
FIRST_DATA_LINE = 4  # Qualtrics legacy export: 3 header rows
FRAME_STRIDE = 613


# ---------------------------------------------------------------------------
# reading and writing CSV exactly like the demo files


def read_rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding), newline="")))


def csv_text(rows, delimiter=",", lineterminator="\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return out.getvalue()


def export_bytes(rows, delimiter=",", encoding="utf-8-sig") -> bytes:
    """The demo export's dialect: BOM, CRLF, minimal quoting."""
    return csv_text(rows, delimiter, "\r\n").encode(encoding)


def table_bytes(rows, delimiter=",") -> bytes:
    """The frame's and population's dialect: no BOM, LF."""
    return csv_text(rows, delimiter, "\n").encode("utf-8")


def copy_rows(rows):
    return [list(r) for r in rows]


def break_check_digits(number: str) -> str:
    """Same first eight digits, wrong mod-97 check digits."""
    digits = enterprise.normalise(number)
    bad = digits[:8] + f"{(int(digits[8:]) + 1) % 100:02d}"
    assert not enterprise.is_valid(bad)
    return bad


# ---------------------------------------------------------------------------
# the base mini wave


class Base:
    def __init__(self) -> None:
        strata = Strata(load_config(ROOT / "config" / "config.yaml")["strata"])
        export = read_rows(DEMO / "export_legacy.csv", "utf-8-sig")
        self.head, body = export[:3], export[3:]
        self.col = {c: i for i, c in enumerate(self.head[0])}
        frame = read_rows(DEMO / "frame.csv")
        self.frame_head, frame_body = frame[0], frame[1:]
        self.fcol = {c: i for i, c in enumerate(self.frame_head)}
        self.population = read_rows(DEMO / "population.csv")

        intended = {r[0]: r[1:] for r in read_rows(DEMO / "intended_exclusions.csv")[1:]}
        fnum = {r[self.fcol["ondernemingsnummer"]].replace(".", ""): r for r in frame_body}
        c = self.col

        def answer_stratum(r):
            _rule, _rules, sector, size = intended[r[c["ResponseId"]]]
            return sector, size

        def frame_stratum(r):
            f = fnum[r[c["ExternalReference"]]]
            return f[self.fcol["sector"]], f[self.fcol["grootteklasse"]]

        def rules(r):
            return intended[r[c["ResponseId"]]][1]

        def entity(r):
            return r[c["Q1"]] or r[c["ExternalReference"]]

        usable = [r for r in body if rules(r) == ""]
        chosen = []
        for s in strata.all_strata():
            chosen.append(next(r for r in usable if answer_stratum(r) == s and frame_stratum(r) == s))
        for rule in "abc":
            chosen.append(next(r for r in body if rules(r) == rule))
        dup = next(r for r in body if rules(r) == "d")
        chosen += [r for r in body if entity(r) == entity(dup)]

        # STRATUM_S: a stratum with exactly one selected enterprise in the frame,
        # to which we add a second usable response (by its answers) whose frame
        # stratum is another one. Population 1 there passes ingest's check
        # (frame 1 <= population 1) but fails clean's (usable 2 > population 1).
        def frame_count(s):
            return sum(frame_stratum(r) == s for r in chosen)
        extra = next(r for r in usable if r not in chosen and answer_stratum(r) != frame_stratum(r)
                     and frame_count(answer_stratum(r)) == 1)
        chosen.append(extra)
        self.stratum_s = answer_stratum(extra)

        order = {id(r): i for i, r in enumerate(body)}
        chosen = sorted({id(r): r for r in chosen}.values(), key=lambda r: order[id(r)])
        invited = [r[c["ExternalReference"]] for r in chosen]
        assert len(set(invited)) == len(invited), "each invitation at most once"
        self.body = chosen

        others = [f for i, f in enumerate(frame_body) if i % FRAME_STRIDE == 0
                  and f[self.fcol["ondernemingsnummer"]].replace(".", "") not in invited
                  and (f[self.fcol["sector"]], f[self.fcol["grootteklasse"]]) != self.stratum_s]
        keep = set(invited) | {f[self.fcol["ondernemingsnummer"]].replace(".", "") for f in others}
        self.frame = [f for f in frame_body if f[self.fcol["ondernemingsnummer"]].replace(".", "") in keep]
        assert sum((f[self.fcol["sector"]], f[self.fcol["grootteklasse"]]) == self.stratum_s for f in self.frame) == 1
        assert any(f[self.fcol["email_status"]] == "onbestelbaar" for f in self.frame)

    # helpers for the cases -------------------------------------------------

    def export_rows(self):
        return copy_rows(self.head) + copy_rows(self.body)

    def frame_rows(self):
        return [list(self.frame_head)] + copy_rows(self.frame)

    def population_rows(self):
        return copy_rows(self.population)

    def rid(self, k: int) -> str:
        return self.body[k][self.col["ResponseId"]]

    def label(self, k: int) -> str:
        """How ingest names data row k of the export (0-based)."""
        return f"regel {FIRST_DATA_LINE + k} (respons {self.rid(k)})"

    def set(self, rows, k: int, column: str, value: str):
        rows[3 + k][self.col[column]] = value
        return rows

    def frame_index(self, number: str) -> int:
        """0-based index into self.frame of an enterprise (10 digits)."""
        return next(i for i, f in enumerate(self.frame) if f[self.fcol["ondernemingsnummer"]].replace(".", "") == number)

    def invited(self, k: int) -> str:
        return self.body[k][self.col["ExternalReference"]]

    def pop_line(self, sector: str, size: str) -> int:
        """File line (1 = header) of a stratum in population.csv."""
        return next(i + 1 for i, r in enumerate(self.population) if r[:2] == [sector, size])

    def frame_strata_counts(self) -> dict:
        out = {}
        for f in self.frame:
            k = (f[self.fcol["sector"]], f[self.fcol["grootteklasse"]])
            out[k] = out.get(k, 0) + 1
        return out

    def files(self) -> dict[str, bytes]:
        return {"export.csv": export_bytes(self.export_rows()), "frame.csv": table_bytes(self.frame_rows()),
                "population.csv": table_bytes(self.population_rows())}


# ---------------------------------------------------------------------------
# the cases


def cases(b: Base) -> list[dict]:
    c = b.col
    ncols = len(b.head[0])
    n = len(b.body)
    out: list[dict] = []

    def case(name, description, files, expect, faults=1, blamed=None, stage="ingest", xfail=None):
        entry = {"name": name, "description": description, "bad_files": sorted(files), "stage": stage,
                 "faults": faults, "blamed": blamed or sorted(files), "expect": expect, "files": files}
        if xfail:
            entry["xfail"] = xfail
        out.append(entry)

    # ---- export: file level ------------------------------------------------
    case("export_semicolon", "Export opgeslagen met puntkomma als scheidingsteken (Excel met Nederlandse landinstellingen).",
         {"export.csv": export_bytes(b.export_rows(), delimiter=";")},
         ["regel 1", "verkeerd scheidingsteken", "';'", "komma-gescheiden CSV"])

    cp = csv_text(b.export_rows(), ",", "\r\n").encode("cp1252")
    first = next(i for i, x in enumerate(cp) if x > 127)
    first_line = cp[:first].count(b"\n") + 1
    case("export_cp1252", "Export in Windows-1252 in plaats van UTF-8 (opgeslagen als 'CSV' i.p.v. 'CSV UTF-8').",
         {"export.csv": cp},
         ["geen UTF-8-tekst", f"byte {first}", f"regel {first_line}", "Windows-1252", "CSV UTF-8"])

    case("export_utf16_tsv", "Qualtrics-download 'TSV' (UTF-16 met tabs) in plaats van CSV.",
         {"export.csv": csv_text(b.export_rows(), "\t", "\r\n").encode("utf-16")},
         ["geen UTF-8-tekst", "byte 0", "regel 1", "UTF-8"])

    case("export_empty", "Leeg exportbestand (0 bytes; afgebroken download).",
         {"export.csv": b""}, ["het bestand is leeg", "exporteer de antwoorden opnieuw"])

    case("export_only_empty_fields", "Export zonder inhoud maar met lege velden (',,,,' zoals Excel een leeg blad bewaart).",
         {"export.csv": b",,,,\r\n,,,,\r\n"}, ["leeg"])

    case("export_headers_only", "Export met enkel de drie kopregels (gefilterd op een lege periode).",
         {"export.csv": export_bytes(copy_rows(b.head))}, ["enkel kopregels", "geen antwoorden"])

    rows = b.export_rows()
    rows[-1] = rows[-1][:20]
    last = FIRST_DATA_LINE + n - 1
    case("export_truncated_row", "Laatste rij afgebroken na 20 velden (onvolledige download).",
         {"export.csv": export_bytes(rows)[:-2]},  # no final line break either
         [f"regel {last}", f"de rij heeft 20 velden, de kopregel {ncols}", "afgebroken"])

    rows = b.export_rows()
    j = c["Q2"]
    rows = [r[:j] + r[j + 1:] for r in rows]
    case("export_missing_column", "Kolom Q2 (aantal werknemers) ontbreekt in de export.",
         {"export.csv": export_bytes(rows)}, ["kolom 'Q2'", "verplichte kolom ontbreekt", "exporteer alle velden opnieuw"])

    rows = b.export_rows()
    rows[0][c["Q4_3"]] = "QID4_3"
    case("export_renamed_column", "Kolom Q4_3 hernoemd tot QID4_3 (vraag-id aangepast in Qualtrics).",
         {"export.csv": export_bytes(rows)}, ["kolom 'Q4_3'", "verplichte kolom ontbreekt", "QID4_3", "hernoemd?"])

    rows = b.export_rows()
    rows[0][c["Q5_2"]] = "Q5_1"
    case("export_duplicate_column", "Twee kolommen heten Q5_1 (kopregel manueel bewerkt).",
         {"export.csv": export_bytes(rows)}, ["dubbele kolomnamen ['Q5_1']", "unieke naam"])

    # ---- export: values ---------------------------------------------------
    case("export_unknown_code", "Antwoordcode 4 in Q4_1 (codelijst 1-3).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 2, "Q4_1", "4"))},
         [b.label(2), "kolom 'Q4_1'", "onbekende antwoordcode", "(waarde: '4')", "1=Gebruikt dit nu"])

    case("export_non_integer_code", "Antwoordcode 2.5 in Q6_2 (geen geheel getal).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 3, "Q6_2", "2.5"))},
         [b.label(3), "kolom 'Q6_2'", "onbekende antwoordcode", "(waarde: '2.5')"])

    case("export_text_in_number", "Tekst 'vijftig' in de numerieke kolom Q2 (werknemers).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 4, "Q2", "vijftig"))},
         [b.label(4), "kolom 'Q2'", "geen getal", "(waarde: 'vijftig')"])

    case("export_out_of_range", "Progress 150 (bereik 0-100).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 5, "Progress", "150"))},
         [b.label(5), "kolom 'Progress'", "buiten het toegelaten bereik [0, 100]", "(waarde: '150')"])

    rows = b.set(b.export_rows(), 9, "ResponseId", b.rid(1))
    case("export_duplicate_response_id", "Twee rijen met dezelfde respons-id (twee exports samengevoegd).",
         {"export.csv": export_bytes(rows)},
         [f"respons {b.rid(1)}", "kolom 'ResponseId'",
          f"respons-id komt 2 keer voor (regels {FIRST_DATA_LINE + 1}, {FIRST_DATA_LINE + 9})"])

    case("export_empty_response_id", "Lege respons-id.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 6, "ResponseId", ""))},
         [f"regel {FIRST_DATA_LINE + 6}, kolom 'ResponseId'", "lege respons-id"])

    k = next(i for i, r in enumerate(b.body) if r[c["Q1"]] and i >= 7)
    bad = break_check_digits(b.body[k][c["Q1"]])
    case("export_invalid_reported_enterprise", "Gerapporteerd ondernemingsnummer (Q1) faalt op de modulo-97-controle.",
         {"export.csv": export_bytes(b.set(b.export_rows(), k, "Q1", bad))},
         [b.label(k), "kolom 'Q1'", "ongeldig ondernemingsnummer", "modulo-97", f"(waarde: '{bad}')", "KBO"])

    bad = break_check_digits(b.invited(8))
    case("export_invalid_invited_enterprise", "Uitgenodigd ondernemingsnummer (ExternalReference) faalt op modulo-97.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 8, "ExternalReference", bad))},
         [b.label(8), "kolom 'ExternalReference'", "ongeldig ondernemingsnummer", f"(waarde: '{bad}')"])

    case("export_empty_invited_enterprise", "Lege ExternalReference (uitnodiging zonder ondernemingsnummer).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 10, "ExternalReference", ""))},
         [b.label(10), "kolom 'ExternalReference'", "geen uitgenodigd ondernemingsnummer", "External Data Reference"])

    frame_numbers = {f[b.fcol["ondernemingsnummer"]].replace(".", "") for f in b.frame}
    stranger = next(enterprise.make(x) for x in range(4_000_000, 5_000_000) if enterprise.make(x) not in frame_numbers)
    case("export_invited_not_in_frame", "Uitgenodigd ondernemingsnummer (geldig) dat niet in het steekproefkader staat.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 11, "ExternalReference", stranger))},
         [f"respons {b.rid(11)}", "kolom 'ExternalReference'", "staat niet in het steekproefkader", f"(waarde: '{stranger}')",
          "frame.csv"])

    case("export_bad_nace", "Misvormde NACE-code '62-01' in Q3.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 13, "Q3", "62-01"))},
         [b.label(13), "kolom 'Q3'", "ongeldige NACE-code", "(waarde: '62-01')"])

    case("export_bad_date", "StartDate in Excel-notatie '3/05/2021 08:27' i.p.v. JJJJ-MM-DD UU:MM:SS.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 14, "StartDate", "3/05/2021 08:27"))},
         [b.label(14), "kolom 'StartDate'", "ongeldige datum/tijd", "(waarde: '3/05/2021 08:27')"])

    rows = b.export_rows()
    for k, col, v in ((15, "Q4_2", "7"), (17, "Q2", "ca. 20"), (19, "Duration (in seconds)", "-5"),
                      (21, "Q3", "J62"), (23, "RecordedDate", "gisteren")):
        b.set(rows, k, col, v)
    case("export_many_faults", "Vijf verschillende fouten in één export: alle vijf in één melding.",
         {"export.csv": export_bytes(rows)},
         [f"{b.label(15)}, kolom 'Q4_2': onbekende antwoordcode",
          f"{b.label(17)}, kolom 'Q2': geen getal",
          f"{b.label(19)}, kolom 'Duration (in seconds)': buiten het toegelaten bereik",
          f"{b.label(21)}, kolom 'Q3': ongeldige NACE-code",
          f"{b.label(23)}, kolom 'RecordedDate': ongeldige datum/tijd"], faults=5)

    # ---- frame --------------------------------------------------------------
    fc = b.fcol

    def frame_line(i):
        return i + 2

    rows = b.frame_rows()
    i = b.frame_index(b.invited(16))
    rows[1 + i][fc["email_status"]] = "onbestelbaar"
    case("frame_responder_undeliverable", "Onderneming die antwoordde staat als 'onbestelbaar' in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"respons {b.rid(16)}", "kolom 'email_status'", "'onbestelbaar'", "afgeleverd"])

    rows = b.frame_rows()
    bad = break_check_digits(rows[1 + 3][fc["ondernemingsnummer"]])
    rows[1 + 3][fc["ondernemingsnummer"]] = bad
    case("frame_invalid_enterprise", "Ondernemingsnummer in het kader faalt op de modulo-97-controle.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(3)}, kolom 'ondernemingsnummer'", "ongeldig ondernemingsnummer (modulo-97)", f"(waarde: '{bad}')"])

    rows = b.frame_rows()
    rows.append(list(rows[1 + 5]))
    dup_num = rows[1 + 5][fc["ondernemingsnummer"]].replace(".", "")
    case("frame_duplicate_enterprise", "Dezelfde onderneming twee keer in het kader.",
         {"frame.csv": table_bytes(rows)},
         ["kolom 'ondernemingsnummer'", f"onderneming komt 2 keer voor (regels {frame_line(5)}, {len(rows)})",
          f"(waarde: '{dup_num}')"])

    rows = b.frame_rows()
    rows[1 + 7][fc["sector"]] = "58-62"
    case("frame_unknown_sector", "Onbekende sectorcode '58-62' in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(7)}, kolom 'sector'", "onbekende sector", "(waarde: '58-62')"])

    rows = b.frame_rows()
    rows[1 + 8][fc["grootteklasse"]] = "klein"
    case("frame_unknown_size_class", "Onbekende grootteklasse 'klein' in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(8)}, kolom 'grootteklasse'", "onbekende grootteklasse", "(waarde: 'klein')"])

    rows = b.frame_rows()
    rows[1 + 9][fc["email_status"]] = "bounced"
    case("frame_unknown_email_status", "Onbekende e-mailstatus 'bounced' in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(9)}, kolom 'email_status'", "onbekende e-mailstatus", "(waarde: 'bounced')"])

    rows = b.frame_rows()
    rows[1 + 10][fc["werknemers"]] = "ca. 12"
    case("frame_employees_text", "Tekst 'ca. 12' in de kolom werknemers van het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(10)}, kolom 'werknemers'", "geen getal", "(waarde: 'ca. 12')"])

    rows = b.frame_rows()
    rows[1 + 11][fc["nace"]] = "J62.01"
    case("frame_bad_nace", "Misvormde NACE-code 'J62.01' (met sectieletter) in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(11)}, kolom 'nace'", "ongeldige NACE-code", "(waarde: 'J62.01')"])

    rows = b.frame_rows()
    j = fc["email_status"]
    rows = [r[:j] + r[j + 1:] for r in rows]
    case("frame_missing_column", "Kolom email_status ontbreekt in het kader.",
         {"frame.csv": table_bytes(rows)}, ["kolom 'email_status'", "verplichte kolom ontbreekt"])

    case("frame_semicolon", "Kader opgeslagen met puntkomma als scheidingsteken.",
         {"frame.csv": table_bytes(b.frame_rows(), delimiter=";")},
         ["regel 1", "verkeerd scheidingsteken", "komma-gescheiden CSV"])

    case("frame_header_only", "Kader met enkel de kopregel.",
         {"frame.csv": table_bytes(b.frame_rows()[:1])}, ["het bestand bevat geen rijen"])

    rows = b.frame_rows()
    rows.pop(1 + b.frame_index(b.invited(18)))
    case("frame_missing_invited", "Het kader mist de rij van een uitgenodigde (en antwoordende) onderneming.",
         {"frame.csv": table_bytes(rows)},
         [f"respons {b.rid(18)}", "kolom 'ExternalReference'", "staat niet in het steekproefkader"],
         blamed=["export.csv"])

    def unquoted_comma(row_index):
        text = table_bytes(b.frame_rows()).decode()
        lines = text.split("\n")
        name = b.frame[row_index][fc["naam"]]
        lines[1 + row_index] = lines[1 + row_index].replace(name, name.replace(" BV", ", BV", 1).replace(" NV", ", NV", 1), 1)
        assert lines[1 + row_index].count(",") == len(b.frame_head), lines[1 + row_index]
        return "\n".join(lines).encode()

    case("frame_unquoted_comma", "Bedrijfsnaam met een komma zonder aanhalingstekens (rij 5): 10 velden i.p.v. 9.",
         {"frame.csv": unquoted_comma(4)},
         [f"regel {frame_line(4)}", "velden"])

    case("frame_unquoted_comma_first_row", "Zelfde fout in de eerste datarij: pandas maakt van de eerste kolom een index.",
         {"frame.csv": unquoted_comma(0)},
         ["regel 2", "velden"])

    # ---- population -----------------------------------------------------------
    def pop_with(sector, size, value):
        rows = b.population_rows()
        rows[b.pop_line(sector, size) - 1][2] = value
        return table_bytes(rows)

    rows = [r for r in b.population_rows() if r[:2] != ["35-39", "large"]]
    case("population_missing_stratum", "Populatiebestand zonder rij voor stratum 35-39 | large.",
         {"population.csv": table_bytes(rows)}, ["stratum 35-39 | large ontbreekt", "voeg een rij toe"])

    for name, value, what in (("zero", "0", "nul"), ("negative", "-66", "negatief"), ("non_numeric", "n.b.", "tekst 'n.b.'"),
                              ("blank", "", "leeg")):
        line = b.pop_line("35-39", "micro")
        case(f"population_{name}", f"Populatie-aantal {what} voor stratum 35-39 | micro.",
             {"population.csv": pop_with("35-39", "micro", value)},
             [f"regel {line} (stratum 35-39 | micro), kolom 'population'", "geen positief geheel getal", f"(waarde: '{value}')"])

    case("population_thousands_separator", "Populatie-aantal '2.000' (punt als duizendtalscheiding) voor 58-63 | large: "
         "wordt stil gelezen als 2.",
         {"population.csv": pop_with("58-63", "large", "2.000")},
         [f"regel {b.pop_line('58-63', 'large')} (stratum 58-63 | large), kolom 'population'", "(waarde: '2.000')"])

    case("population_overflow", "Populatie-aantal '1e30' voor 10-33 | micro: loopt over naar -9223372036854775808.",
         {"population.csv": pop_with("10-33", "micro", "1e30")},
         [f"regel {b.pop_line('10-33', 'micro')} (stratum 10-33 | micro), kolom 'population'", "(waarde: '1e30')"])

    rows = b.population_rows()
    rows.append(list(rows[b.pop_line("45-47", "small") - 1]))
    case("population_duplicate_stratum", "Stratum 45-47 | small twee keer in het populatiebestand.",
         {"population.csv": table_bytes(rows)},
         [f"regel {len(rows)}", "stratum 45-47 | small komt meer dan eens voor", "één rij per stratum"])

    rows = b.population_rows()
    rows[b.pop_line("10-33", "large") - 1][1] = "groot"
    case("population_unknown_stratum", "Grootteklasse 'groot' i.p.v. 'large' in het populatiebestand.",
         {"population.csv": table_bytes(rows)},
         [f"regel {b.pop_line('10-33', 'large')}: onbekend stratum 10-33 | groot", "stratum 10-33 | large ontbreekt"], faults=2)

    rows = b.population_rows()
    rows[0][2] = "aantal"
    case("population_renamed_column", "Kolom population heet 'aantal'.",
         {"population.csv": table_bytes(rows)}, ["kolom 'population'", "verplichte kolom ontbreekt"])

    case("population_empty", "Leeg populatiebestand (0 bytes).", {"population.csv": b""}, ["het bestand is leeg"])

    counts = b.frame_strata_counts()
    t = max(counts, key=lambda s: (counts[s], s))
    assert counts[t] >= 2
    case("population_smaller_than_frame", f"Populatie van {t[0]} | {t[1]} kleiner dan het aantal ondernemingen in het kader.",
         {"population.csv": pop_with(*t, str(counts[t] - 1))},
         ["kolom 'population'", f"stratum {t[0]} | {t[1]}: {counts[t]} ondernemingen in het kader, maar populatie {counts[t] - 1}"])

    s = b.stratum_s
    case("clean_usable_exceeds_population", f"Populatie 1 voor {s[0]} | {s[1]}, dat 2 bruikbare antwoorden heeft "
         "(ingest aanvaardt het: 1 onderneming in het kader); de clean-stap moet falen.",
         {"population.csv": pop_with(*s, "1")},
         ["kolom 'population'", f"stratum {s[0]} | {s[1]}: 2 bruikbare antwoorden maar een populatie van 1"], stage="clean")

    # ---- several files at once ----------------------------------------------------
    rows_f = b.frame_rows()
    rows_f[1 + 2][fc["sector"]] = "99"
    case("faults_in_three_files", "Een fout in elk van de drie bestanden: één melding met alle drie.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 20, "Q12", "3")),
          "frame.csv": table_bytes(rows_f),
          "population.csv": pop_with("68-75", "small", "0")},
         [f"{b.label(20)}, kolom 'Q12': onbekende antwoordcode",
          f"regel {frame_line(2)}, kolom 'sector': onbekende sector",
          f"regel {b.pop_line('68-75', 'small')} (stratum 68-75 | small), kolom 'population'"], faults=3)
    return out


def main() -> None:
    base = Base()
    all_cases = cases(base)
    names = [c["name"] for c in all_cases]
    assert len(set(names)) == len(names)

    # remove what an earlier run wrote (only folders that hold nothing but corpus files)
    for d in HERE.iterdir():
        if d.is_dir() and not d.name.startswith((".", "_")) and all(f.name in FILES for f in d.iterdir()):
            shutil.rmtree(d)

    (HERE / "base").mkdir()
    for name, data in base.files().items():
        (HERE / "base" / name).write_bytes(data)
    for c in all_cases:
        (HERE / c["name"]).mkdir()
        for name, data in c.pop("files").items():
            assert name in FILES
            (HERE / c["name"] / name).write_bytes(data)

    header = ("# Generated by tests/bad_inputs/make_corpus.py -- do not edit by hand; rerun the script.\n"
              "# Each case: the folder <name>/ holds the file(s) that replace those in base/.\n"
              f"# base: {len(base.body)} responses, {len(base.frame)} frame rows, {len(base.population) - 1} strata;\n"
              f"# stratum with 1 enterprise in the frame but 2 usable responses: {' | '.join(base.stratum_s)}\n")
    body = yaml.safe_dump({"cases": all_cases}, sort_keys=False, allow_unicode=True, width=120)
    (HERE / "cases.yaml").write_text(header + body, encoding="utf-8")
    print(f"wrote base ({len(base.body)} responses, {len(base.frame)} frame rows) and {len(all_cases)} cases to {HERE}")


if __name__ == "__main__":
    main()
