"""The authors' own words (aibarometer.authors): Markdown per wave and section with numbers by
placeholder; a hand-typed percentage, an unknown placeholder or finding id stops the report
with the file and line; each demo wave ships one file and it appears in its PDF."""

from __future__ import annotations

import re
import pytest

from aibarometer import authors
from aibarometer.errors import InputError
from conftest import ROOT

VALUES = {"adoptie": "23,0%", "jaar": "2021"}
FOUND = {"group.barriers.x=1.size:large": "Grote bedrijven noemen minder vaak ‘x’ als drempel (50,0%)."}


def write(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_placeholders_findings_and_markup_are_rendered(tmp_path):
    p = write(tmp_path, "inleiding.md", "In {jaar} gebruikte {adoptie} AI.\n\n**Let op**: {bevinding:group.barriers.x=1.size:large}\n")
    html, replace = authors.render(p, VALUES, FOUND)
    assert html == ("<p>In 2021 gebruikte 23,0% AI.</p><p><strong>Let op</strong>: Grote bedrijven noemen minder vaak "
                    "‘x’ als drempel (50,0%).</p>")
    assert replace is False
    html, replace = authors.render(write(tmp_path, "conclusies.md", "<!-- vervangt -->\nEigen conclusie.\n"), VALUES, FOUND)
    assert replace is True and html == "<p>Eigen conclusie.</p>"


@pytest.mark.parametrize("line, problem", [
    ("Het gebruik steeg tot 23,2% van de bedrijven.", "een percentage met de hand getypt"),
    ("Ruim 40 procent van de bedrijven.", "een percentage met de hand getypt"),
    ("Het gebruik is {adoptie_nu}.", "onbekende plaatshouder {adoptie_nu}"),
    ("Zie {bevinding:group.barriers.y=1.size:small}.", "bevinding 'group.barriers.y=1.size:small' bestaat niet"),
])
def test_a_fault_stops_with_file_and_line(tmp_path, line, problem):
    p = write(tmp_path, "drempels.md", "Eerste regel zonder fout.\n\n" + line + "\n")
    with pytest.raises(InputError) as err:
        authors.render(p, VALUES, FOUND)
    text = str(err.value)
    assert f"bestand {p}, regel 3: {problem}" in text, text


def test_only_the_introduction_and_conclusions_can_be_replaced(tmp_path):
    with pytest.raises(InputError, match="kan niet vervangen worden"):
        _context(write(tmp_path, "drempels.md", "<!-- vervangt -->\nTekst.\n"))
    with pytest.raises(InputError, match="onbekende sectie 'slot'"):
        _context(write(tmp_path, "slot.md", "Tekst.\n"))
    assert _context(write(tmp_path, "conclusies.md", "<!-- vervangt -->\nTekst.\n"))["conclusies"]["replace"]


def _context(p):
    from unittest import mock

    with mock.patch.object(authors, "placeholders", return_value=VALUES), \
            mock.patch.object(authors, "finding_sentences", return_value=FOUND):
        return authors.context([str(p)], {})


def test_each_demo_wave_ships_its_own_words():
    for wave in ("2021-demo", "2023-demo"):
        files = authors.files(wave, ROOT)
        assert files, wave
        for f in files:
            assert re.search(r"\{[a-z_]+\}", open(f, encoding="utf-8").read())  # numbers by placeholder


@pytest.mark.slow
def test_the_authors_words_appear_in_the_pdf(two_waves):
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(
        two_waves["work"] / "results/2023-demo/report/ai-barometer-2023-demo.pdf").pages)
    own = (ROOT / "config/waves/2023-demo/text/evolutie.md").read_text(encoding="utf-8")
    longest = max(re.split(r"\{[^}]*\}|[.:]", own), key=len).strip()  # the longest stretch without a placeholder
    assert len(longest) > 40 and re.sub(r"\s+", " ", longest) in re.sub(r"\s+", " ", text)
