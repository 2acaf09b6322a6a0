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
from aibarometer.config import load_codebook, load_config  # noqa: E402
from aibarometer.ingest import DEMO_KEY, pseudonymise  # noqa: E402
from aibarometer.strata import Strata  # noqa: E402

FILES = ("export.csv", "frame.csv", "population.csv", "frame.xlsx", "population.xlsx")
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
            if not r[c["ExternalReference"]]:  # a preview: no invitation, no frame row
                return None
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
        for rule in "vabc":  # v: a survey preview without invitation (the first row of the export)
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
        self.extra_rid = extra[c["ResponseId"]]

        order = {id(r): i for i, r in enumerate(body)}
        chosen = sorted({id(r): r for r in chosen}.values(), key=lambda r: order[id(r)])
        invited = [r[c["ExternalReference"]] for r in chosen if r[c["ExternalReference"]]]
        assert len(set(invited)) == len(invited), "each invitation at most once"
        self.body = chosen
        self.extra_k = next(k for k, r in enumerate(chosen) if r[c["ResponseId"]] == self.extra_rid)

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

    def pid(self, k: int) -> str:
        """The pseudonym ingest gives the response id of data row k (demo key)."""
        return pseudonymise([self.rid(k)], DEMO_KEY.encode(), "response").iloc[0]

    def label(self, k: int, line: int | None = None) -> str:
        """How ingest names data row k of the export (0-based): line and pseudonym, never the raw id."""
        return f"regel {line or FIRST_DATA_LINE + k} (respons {self.pid(k)})"

    def row_of(self, column: str, test) -> int:
        """The first data row (0-based) whose value in a column passes a test."""
        return next(k for k, r in enumerate(self.body) if test(r[self.col[column]]))

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

    def shown(value: str) -> str:
        """How a message shows a cell value (aibarometer.errors: quoted only in an allowed form)."""
        from aibarometer.errors import quotable, unquoted

        return (f"(waarde: {value!r})" if quotable(value)
                else f"(waarde niet getoond, mogelijk een persoonsgegeven; {unquoted(value)})")

    def case(name, description, files, expect, faults=1, blamed=None, stage="ingest", xfail=None, absent=None):
        entry = {"name": name, "description": description, "bad_files": sorted(files), "stage": stage,
                 "faults": faults, "blamed": blamed or sorted(files), "expect": expect, "files": files}
        if absent:
            entry["absent"] = absent  # must not appear in the message or any log (personal data)
        if xfail:
            entry["xfail"] = xfail
        out.append(entry)

    # ---- export: file level ------------------------------------------------
    case("export_not_utf8_nor_cp1252", "Bytes die noch UTF-8 noch Windows-1252 zijn (0x81 bestaat niet in Windows-1252).",
         {"export.csv": export_bytes(b.export_rows(), encoding="utf-8").replace("Demo-".encode(), b"Demo\x81", 1)},
         ["onbekende codering", "geen UTF-8", "geen Windows-1252", "CSV UTF-8"])

    case("export_empty", "Leeg exportbestand (0 bytes; afgebroken download).",
         {"export.csv": b""}, ["het bestand is leeg", "exporteer of bewaar het bestand opnieuw"])

    case("export_only_empty_fields", "Export zonder inhoud maar met lege velden (',,,,' zoals Excel een leeg blad bewaart).",
         {"export.csv": b",,,,\r\n,,,,\r\n"}, ["leeg"])

    case("export_headers_only", "Export met enkel de drie kopregels (gefilterd op een lege periode).",
         {"export.csv": export_bytes(copy_rows(b.head))}, ["enkel kopregels", "geen gegevens"])

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

    rows = b.export_rows()
    k_nl = 5
    rows[3 + k_nl][c["RecipientFirstName"]] = "Demo-Lijn\nbreuk"  # a quoted value with a line break
    b.set(rows, 9, "Q4_1", "4")
    case("export_line_break_in_value", "Een waarde met een regeleinde (tussen aanhalingstekens) in rij 6; de fout in rij "
         "10 moet de juiste regel van het bestand noemen (één regel verder).",
         {"export.csv": export_bytes(rows)},
         [b.label(9, FIRST_DATA_LINE + 9 + 1), "kolom 'Q4_1'", "onbekende antwoordcode"])

    # ---- export: values ---------------------------------------------------
    case("export_unknown_code", "Antwoordcode 4 in Q4_1 (codelijst 1-3).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 2, "Q4_1", "4"))},
         [b.label(2), "kolom 'Q4_1'", "onbekende antwoordcode", "(waarde: '4')", "1=Gebruikt dit nu"])

    case("export_non_integer_code", "Antwoordcode 2.5 in Q6_2 (geen geheel getal).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 3, "Q6_2", "2.5"))},
         [b.label(3), "kolom 'Q6_2'", "onbekende antwoordcode", "(waarde: '2.5')"])

    case("export_text_in_number", "Tekst 'vijftig' in de numerieke kolom Q2 (werknemers).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 4, "Q2", "vijftig"))},
         [b.label(4), "kolom 'Q2'", "geen getal", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: 'xxxxxxx', 7 tekens)"])

    case("export_out_of_range", "Progress 150 (bereik 0-100).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 5, "Progress", "150"))},
         [b.label(5), "kolom 'Progress'", "buiten het toegelaten bereik [0, 100]", "(waarde: '150')"])

    rows = b.set(b.export_rows(), 9, "ResponseId", b.rid(1))
    case("export_duplicate_response_id", "Twee rijen met dezelfde respons-id (twee exports samengevoegd).",
         {"export.csv": export_bytes(rows)},
         [f"respons {b.pid(1)}", "kolom 'ResponseId'",
          f"respons-id komt 2 keer voor (regel {FIRST_DATA_LINE + 1}, regel {FIRST_DATA_LINE + 9})"],
         absent=[b.rid(1)])

    case("export_empty_response_id", "Lege respons-id.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 6, "ResponseId", ""))},
         [f"regel {FIRST_DATA_LINE + 6}, kolom 'ResponseId'", "lege respons-id"])

    k = next(i for i, r in enumerate(b.body) if r[c["Q1"]] and i >= 7)
    bad = break_check_digits(b.body[k][c["Q1"]])
    case("export_invalid_reported_enterprise", "Gerapporteerd ondernemingsnummer (Q1) faalt op de modulo-97-controle.",
         {"export.csv": export_bytes(b.set(b.export_rows(), k, "Q1", bad))},
         [b.label(k), "kolom 'Q1'", "ongeldig ondernemingsnummer", "modulo-97", "waarde niet getoond", "KBO"],
         absent=[bad])

    bad = break_check_digits(b.invited(8))
    case("export_invalid_invited_enterprise", "Uitgenodigd ondernemingsnummer (ExternalReference) faalt op modulo-97.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 8, "ExternalReference", bad))},
         [b.label(8), "kolom 'ExternalReference'", "ongeldig ondernemingsnummer", "waarde niet getoond"], absent=[bad])

    case("export_empty_invited_enterprise", "Lege ExternalReference (uitnodiging zonder ondernemingsnummer).",
         {"export.csv": export_bytes(b.set(b.export_rows(), 10, "ExternalReference", ""))},
         [b.label(10), "kolom 'ExternalReference'", "geen uitgenodigd ondernemingsnummer", "External Data Reference"])

    frame_numbers = {f[b.fcol["ondernemingsnummer"]].replace(".", "") for f in b.frame}
    stranger = next(enterprise.make(x) for x in range(4_000_000, 5_000_000) if enterprise.make(x) not in frame_numbers)
    case("export_invited_not_in_frame", "Uitgenodigd ondernemingsnummer (geldig) dat niet in het steekproefkader staat.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 11, "ExternalReference", stranger))},
         [f"respons {b.pid(11)}", "kolom 'ExternalReference'", "staat niet in het steekproefkader", "waarde niet getoond",
          "frame.csv"], absent=[stranger, b.rid(11)])

    case("export_bad_nace", "Misvormde NACE-code '62-01' in Q3.",
         {"export.csv": export_bytes(b.set(b.export_rows(), 13, "Q3", "62-01"))},
         [b.label(13), "kolom 'Q3'", "ongeldige NACE-code", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: '99-99', 5 tekens)"])

    case("export_ambiguous_date", "StartDate in rekenbladnotatie '3/05/2021 08:27' en geen enkele datum in die vorm met "
         "een deel boven 12: 3 mei of 5 maart?",
         {"export.csv": export_bytes(b.set(b.export_rows(), 14, "StartDate", "3/05/2021 08:27"))},
         [b.label(14), "kolom 'StartDate'", "dubbelzinnige datum", "(waarde: '3/05/2021 08:27')"])

    k = b.row_of("Q2", lambda v: v.strip().isdigit())
    case("export_count_with_fraction", "Aantal werknemers '12.5': een aantal heeft geen decimalen.",
         {"export.csv": export_bytes(b.set(b.export_rows(), k, "Q2", "12.5"))},
         [b.label(k), "kolom 'Q2'", "geen geheel getal", "(waarde: '12.5')"])
    case("export_count_decimal_comma", "Aantal werknemers '1,5' (decimale komma): geen geheel getal, geen duizendtal.",
         {"export.csv": export_bytes(b.set(b.export_rows(), k, "Q2", "1,5"))},
         [b.label(k), "kolom 'Q2'", "geen geheel getal", "(waarde: '1,5')"])
    case("export_count_short_group", "Aantal werknemers '1.23': geen groep van drie cijfers na de punt.",
         {"export.csv": export_bytes(b.set(b.export_rows(), k, "Q2", "1.23"))},
         [b.label(k), "kolom 'Q2'", "geen geheel getal", "(waarde: '1.23')"])
    email = "jan.peeters@example.be"
    case("export_email_in_number", "Een e-mailadres in het veld voor het aantal werknemers: de melding toont het niet.",
         {"export.csv": export_bytes(b.set(b.export_rows(), k, "Q2", email))},
         [b.label(k), "kolom 'Q2'", "geen getal", "waarde niet getoond", "xxx.xxxxxxx@xxxxxxx.xx"], absent=[email])

    frame_nace = {f[b.fcol["ondernemingsnummer"]].replace(".", ""): f[b.fcol["nace"]] for f in b.frame}
    k = next(i for i, r in enumerate(b.body) if r[c["ExternalReference"]] in frame_nace
             and not frame_nace[r[c["ExternalReference"]]].startswith(("15", "01")) and not r[c["Q1"]])
    case("export_nace_ambiguous", "NACE '1500' (vier cijfers): 15.00 of 01.50 zonder voorloopnul, en het kader "
         "(een andere sector) beslist het niet.",
         {"export.csv": export_bytes(b.set(b.export_rows(), k, "Q3", "1500"))},
         [b.label(k), "kolom 'Q3'", "dubbelzinnige NACE-code", "(waarde: '1500')", "bewaar de kolom als tekst"])

    k = b.row_of("Q5_1", lambda v: v.strip() != "")
    case("export_unknown_label", "Antwoordlabel 'misschien' in Q5_1 (export met keuzetekst; codelijst Ja/Nee).",
         {"export.csv": export_bytes(b.set(b.export_rows(), k, "Q5_1", "misschien"))},
         [b.label(k), "kolom 'Q5_1'", "onbekende antwoordcode of antwoordlabel", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: 'xxxxxxxxx', 9 tekens)", "1=Ja, 2=Nee"])

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
         [f"respons {b.pid(16)}", "kolom 'email_status'", "'onbestelbaar'", "afgeleverd"])

    rows = b.frame_rows()
    bad = break_check_digits(rows[1 + 3][fc["ondernemingsnummer"]])
    rows[1 + 3][fc["ondernemingsnummer"]] = bad
    case("frame_invalid_enterprise", "Ondernemingsnummer in het kader faalt op de modulo-97-controle.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(3)}, kolom 'ondernemingsnummer'", "ongeldig ondernemingsnummer", "modulo-97",
          "waarde niet getoond"], absent=[bad])

    rows = b.frame_rows()
    rows.append(list(rows[1 + 5]))
    dup_num = rows[1 + 5][fc["ondernemingsnummer"]].replace(".", "")
    case("frame_duplicate_enterprise", "Dezelfde onderneming twee keer in het kader.",
         {"frame.csv": table_bytes(rows)},
         ["kolom 'ondernemingsnummer'", f"onderneming komt 2 keer voor (regel {frame_line(5)}, regel {len(rows)})"],
         absent=[dup_num])

    rows = b.frame_rows()
    rows[1 + 7][fc["sector"]] = "58-62"
    case("frame_unknown_sector", "Onbekende sectorcode '58-62' in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(7)}, kolom 'sector'", "onbekende sector", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: '99-99', 5 tekens)"])

    rows = b.frame_rows()
    rows[1 + 7][fc["sector"]] = "58-62"
    case("frame_xlsx_unknown_sector", "Het kader als Excel-werkmap met een onbekende sectorcode: de melding noemt "
         "blad, rij en kolom.",
         {"frame.xlsx": xlsx_bytes(rows, {"werknemers"})},
         [f"blad 'Blad1', rij {frame_line(7)}, kolom 'sector'", "onbekende sector", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: '99-99', 5 tekens)"])

    rows = b.frame_rows()
    rows[1 + 8][fc["grootteklasse"]] = "klein"
    case("frame_unknown_size_class", "Onbekende grootteklasse 'klein' in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(8)}, kolom 'grootteklasse'", "onbekende grootteklasse", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: 'xxxxx', 5 tekens)"])

    rows = b.frame_rows()
    rows[1 + 9][fc["email_status"]] = "bounced"
    case("frame_unknown_email_status", "Onbekende e-mailstatus 'bounced' in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(9)}, kolom 'email_status'", "onbekende e-mailstatus", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: 'xxxxxxx', 7 tekens)"])

    rows = b.frame_rows()
    rows[1 + 10][fc["werknemers"]] = "ca. 12"
    case("frame_employees_text", "Tekst 'ca. 12' in de kolom werknemers van het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(10)}, kolom 'werknemers'", "geen getal", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: 'xx. 99', 6 tekens)"])

    rows = b.frame_rows()
    rows[1 + 11][fc["nace"]] = "J62.01"
    case("frame_bad_nace", "Misvormde NACE-code 'J62.01' (met sectieletter) in het kader.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(11)}, kolom 'nace'", "ongeldige NACE-code", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: 'x99.99', 6 tekens)"])

    rows = b.frame_rows()
    j = fc["email_status"]
    rows = [r[:j] + r[j + 1:] for r in rows]
    case("frame_missing_column", "Kolom email_status ontbreekt in het kader.",
         {"frame.csv": table_bytes(rows)}, ["kolom 'email_status'", "verplichte kolom ontbreekt"])

    case("frame_header_only", "Kader met enkel de kopregel.",
         {"frame.csv": table_bytes(b.frame_rows()[:1])}, ["het bestand bevat enkel kopregels en geen gegevens"])

    rows = b.frame_rows()
    rows[0][fc["naam"]] = "werknemers"
    case("frame_duplicate_column", "Twee kolommen 'werknemers' in het kader (een kolom hernoemd): de tweede mag niet "
         "stil genegeerd worden.",
         {"frame.csv": table_bytes(rows)}, ["regel 1", "dubbele kolomnamen ['werknemers']", "unieke naam"])

    rows = b.frame_rows()
    k = 12
    rows[1 + k][fc["nace"]] = "1500"
    case("frame_nace_ambiguous", "NACE '1500' in het kader: 15.00 of 01.50? Het kader is zelf de bron, niets beslist het.",
         {"frame.csv": table_bytes(rows)},
         [f"regel {frame_line(k)}, kolom 'nace'", "dubbelzinnige NACE-code", "(waarde: '1500')"])

    rows = b.frame_rows()
    rows.pop(1 + b.frame_index(b.invited(18)))
    case("frame_missing_invited", "Het kader mist de rij van een uitgenodigde (en antwoordende) onderneming.",
         {"frame.csv": table_bytes(rows)},
         [f"respons {b.pid(18)}", "kolom 'ExternalReference'", "staat niet in het steekproefkader"],
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
             [f"regel {line} (stratum 35-39 | micro), kolom 'population'", "geen positief geheel getal", shown(value)])

    case("population_fraction", "Populatie-aantal '2.5' voor 58-63 | large: geen geheel getal.",
         {"population.csv": pop_with("58-63", "large", "2.5")},
         [f"regel {b.pop_line('58-63', 'large')} (stratum 58-63 | large), kolom 'population'", "(waarde: '2.5')"])

    rows = b.population_rows()
    rows[0].append("population")
    for r in rows[1:]:
        r.append("1")
    case("population_duplicate_column", "Twee kolommen 'population' in het populatiebestand: de tweede mag niet stil "
         "genegeerd worden.",
         {"population.csv": table_bytes(rows)}, ["regel 1", "dubbele kolomnamen ['population']"])

    case("population_overflow", "Populatie-aantal '1e30' voor 10-33 | micro: loopt over naar -9223372036854775808.",
         {"population.csv": pop_with("10-33", "micro", "1e30")},
         [f"regel {b.pop_line('10-33', 'micro')} (stratum 10-33 | micro), kolom 'population'", "(waarde niet getoond, mogelijk een persoonsgegeven; vorm: '9x99', 4 tekens)"])

    rows = b.population_rows()
    rows.append(list(rows[b.pop_line("45-47", "small") - 1]))
    case("population_duplicate_stratum", "Stratum 45-47 | small twee keer in het populatiebestand.",
         {"population.csv": table_bytes(rows)},
         [f"regel {len(rows)}", "stratum 45-47 | small komt meer dan eens voor", "één rij per stratum"])

    rows = b.population_rows()
    rows[b.pop_line("10-33", "large") - 1][1] = "groot"
    case("population_unknown_stratum", "Grootteklasse 'groot' i.p.v. 'large' in het populatiebestand.",
         {"population.csv": table_bytes(rows)},
         [f"regel {b.pop_line('10-33', 'large')}: onbekend stratum 10-33 | (vorm: 'xxxxx', 5 tekens)", "stratum 10-33 | large ontbreekt"], faults=2)

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


# ---------------------------------------------------------------------------
# tolerated inputs: read, and recorded in ingest_report.json


def xlsx_bytes(rows, numeric: set[str]) -> bytes:
    """A worksheet as Excel keeps it: columns in ``numeric`` as numbers, the rest as text;
    fixed dates in the zip and the document properties, so the bytes are the same every run."""
    import datetime
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    head = rows[0]
    ws.append(head)
    for r in rows[1:]:
        ws.append([(int(v) if v.strip().lstrip("-").isdigit() else v) if h in numeric else v for h, v in zip(head, r)])
    wb.properties.created = wb.properties.modified = datetime.datetime(2021, 1, 1)
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2021-01-01T00:00:00Z\2", data)
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=(2021, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def excel_date(iso: str) -> str:
    """'2021-05-03 08:27:06' as a Belgian spreadsheet writes it: '3/05/2021 8:27:06'."""
    if not iso:
        return iso
    d, t = iso.split(" ")
    y, m, day = d.split("-")
    h, mi, sec = t.split(":")
    return f"{int(day)}/{m}/{y} {int(h)}:{mi}:{sec}"


def tolerated(b: Base) -> list[dict]:
    c = b.col
    fc = b.fcol
    out: list[dict] = []
    codebook = load_codebook(ROOT / "config" / "codebook.yaml")

    def tol(name, description, files, readings, formats=None, same=True, flow=None, cells=None):
        # same_as_base: the ingested data equal the base's, but for ``cells`` (row, var, value read)
        entry = {"name": name, "description": description, "bad_files": sorted(files), "readings": readings,
                 "formats": formats or {}, "same_as_base": same, "cells": cells or [], "files": files}
        if flow:
            entry["flow"] = flow
        out.append(entry)

    tol("export_excel_resave", "Export geopend en bewaard in Excel: puntkomma, Windows-1252, CRLF, geen BOM.",
        {"export.csv": csv_text(b.export_rows(), ";", "\r\n").encode("cp1252")}, [],
        {"export": {"encoding": "Windows-1252", "delimiter": "puntkomma", "line_endings": "CRLF"}})
    tol("export_utf16_tsv", "Qualtrics-download 'TSV' (UTF-16 met BOM, tabs).",
        {"export.csv": csv_text(b.export_rows(), "\t", "\r\n").encode("utf-16")}, [],
        {"export": {"encoding": "UTF-16 (little-endian, BOM)", "delimiter": "tab"}})
    tol("export_utf8_no_bom", "Export in UTF-8 zonder BOM (bewaard door een teksteditor).",
        {"export.csv": export_bytes(b.export_rows(), encoding="utf-8")}, [], {"export": {"encoding": "UTF-8"}})

    rows = b.export_rows()
    for r in rows[3:]:
        for col in ("StartDate", "EndDate", "RecordedDate"):
            r[c[col]] = excel_date(r[c[col]])
    tol("export_excel_dates", "Datums zoals een Belgisch rekenblad ze bewaart ('3/05/2021 8:27:06'); dagen boven 12 "
        "tonen dat de dag vooraan staat.", {"export.csv": export_bytes(rows)},
        [{"column": "StartDate", "reading": "dag/maand/jaar"}, {"column": "RecordedDate", "reading": "dag/maand/jaar"}])

    rows = b.export_rows()
    big = b.row_of("Q2", lambda v: v.strip().isdigit() and int(v) >= 250)
    small = b.row_of("Q2", lambda v: v.strip().isdigit() and int(v) < 100)
    b.set(rows, big, "Q2", "1\u00a0236")
    b.set(rows, small, "Q2", b.body[small][c["Q2"]].strip() + ",0")
    done = b.row_of("Progress", lambda x: x == "100")
    b.set(rows, done, "Progress", "100.0")
    tol("export_number_forms", "Aantallen in andere vormen: '1 236' (harde spatie), '12,0', en Progress '100.0'.",
        {"export.csv": export_bytes(rows)},
        [{"column": "Q2", "reading": "duizendtallen gescheiden door spaties"},
         {"column": "Q2", "reading": "nul als decimaal"}, {"column": "Progress", "reading": "nul als decimaal"}],
        cells=[{"row": big, "var": "employees", "value": 1236}])

    rows = b.export_rows()
    for r in rows[3:]:
        for item in codebook.items:
            j = c[item.column]
            val = r[j].strip()
            if item.column == "Finished":
                r[j] = {"1": "True", "0": "False"}.get(val, r[j])
            elif item.column == "Status":
                r[j] = {"0": "IP Address", "1": "Survey Preview", "2": "Survey Test"}.get(val, r[j])
            elif item.type == "multi" and val == "1":
                r[j] = item.text.rsplit(" - ", 1)[1] if " - " in item.text else item.label
            elif item.type == "single" and val:
                r[j] = item.codes[int(val)]
    tol("export_choice_text", "Export met keuzetekst ('Use choice text'): antwoordlabels in plaats van codes, "
        "Finished als True/False.", {"export.csv": export_bytes(rows)},
        [{"column": "Q4_1", "reading": "antwoordlabel"}, {"column": "Finished", "reading": "antwoordlabel"}])

    k = b.extra_k
    rows_e = b.set(b.export_rows(), k, "Q3", "1500")
    rows_f = b.frame_rows()
    rows_f[1 + b.frame_index(b.invited(k))][fc["nace"]] = "01.50"
    tol("export_nace_dropped_zero", "NACE '01500' werd in een rekenblad '1500'; het kader zegt 01.50 voor die "
        "onderneming, dus geldt 01.50 (landbouw: buiten de populatie, regel b).",
        {"export.csv": export_bytes(rows_e), "frame.csv": table_bytes(rows_f)},
        [{"column": "Q3", "reading": "subklasse zonder voorloopnul"}], same=False, flow={"excluded_b": 2, "usable": 37})

    tol("frame_semicolon", "Kader bewaard in Excel met puntkomma als scheidingsteken.",
        {"frame.csv": table_bytes(b.frame_rows(), delimiter=";")}, [], {"frame": {"delimiter": "puntkomma"}})
    tol("frame_xlsx", "Kader als Excel-werkmap (.xlsx), aantallen als getallen.",
        {"frame.xlsx": xlsx_bytes(b.frame_rows(), {"werknemers"})}, [], {"frame": {"encoding": "xlsx", "sheet": "Blad1"}})
    tol("population_xlsx", "Populatie als Excel-werkmap (.xlsx).",
        {"population.xlsx": xlsx_bytes(b.population_rows(), {"population"})}, [], {"population": {"encoding": "xlsx"}})

    rows = b.population_rows()
    i = next(i for i, r in enumerate(rows) if i and int(r[2]) >= 1000)
    rows[i][2] = f"{int(rows[i][2]):,}".replace(",", ".")
    tol("population_thousands_separator", f"Populatie-aantal '{rows[i][2]}' (punt als duizendtalscheiding).",
        {"population.csv": table_bytes(rows)}, [{"column": "population", "reading": "duizendtallen gescheiden door punten"}])

    rows = b.frame_rows()
    i = max(range(1, len(rows)), key=lambda i: int(rows[i][fc["werknemers"]]))
    rows[i][fc["werknemers"]] = f"{int(rows[i][fc['werknemers']]):,}".replace(",", ".")
    if "." in rows[i][fc["werknemers"]]:
        tol("frame_dutch_employees", f"Werknemers '{rows[i][fc['werknemers']]}' in het kader (Nederlandse notatie).",
            {"frame.csv": table_bytes(rows)}, [{"column": "werknemers", "reading": "duizendtallen gescheiden door punten"}])
    return out


def main() -> None:
    base = Base()
    all_cases = cases(base)
    tolerated_cases = tolerated(base)
    names = [c["name"] for c in all_cases + tolerated_cases]
    assert len(set(names)) == len(names)

    # remove what an earlier run wrote (only folders that hold nothing but corpus files)
    for d in HERE.iterdir():
        if d.is_dir() and not d.name.startswith((".", "_")) and all(f.name in FILES for f in d.iterdir()):
            shutil.rmtree(d)

    (HERE / "base").mkdir()
    for name, data in base.files().items():
        (HERE / "base" / name).write_bytes(data)
    for c in all_cases + tolerated_cases:
        (HERE / c["name"]).mkdir()
        for name, data in c.pop("files").items():
            assert name in FILES
            (HERE / c["name"] / name).write_bytes(data)

    header = ("# Generated by tests/bad_inputs/make_corpus.py -- do not edit by hand; rerun the script.\n"
              "# Each case: the folder <name>/ holds the file(s) that replace those in base/.\n"
              f"# base: {len(base.body)} responses, {len(base.frame)} frame rows, {len(base.population) - 1} strata;\n"
              f"# stratum with 1 enterprise in the frame but 2 usable responses: {' | '.join(base.stratum_s)}\n")
    body = yaml.safe_dump({"cases": all_cases, "tolerated": tolerated_cases}, sort_keys=False, allow_unicode=True, width=120)
    (HERE / "cases.yaml").write_text(header + body, encoding="utf-8")
    print(f"wrote base ({len(base.body)} responses, {len(base.frame)} frame rows), {len(all_cases)} faulty and "
          f"{len(tolerated_cases)} tolerated cases to {HERE}")


if __name__ == "__main__":
    main()
