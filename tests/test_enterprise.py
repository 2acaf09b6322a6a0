import pytest

from aibarometer import enterprise


def test_mod97_by_hand():
    # 12345678 = 97 * 127275 + 3, so the check digits are 97 - 3 = 94
    assert enterprise.make(12345678) == "1234567894"
    assert enterprise.is_valid("1234567894")
    assert not enterprise.is_valid("1234567895")


@pytest.mark.parametrize("written", ["1234.567.894", "BE 1234.567.894", " 1234567894 ", "BE1234567894"])
def test_normalise_accepts_common_notations(written):
    assert enterprise.normalise(written) == "1234567894"
    assert enterprise.is_valid(written)


@pytest.mark.parametrize("bad", ["123456789", "12345678944", "abcdefghij", "2234567894", "1234567849"])
def test_invalid_numbers(bad):
    assert not enterprise.is_valid(bad)


def test_nine_digits_get_leading_zero():
    number = enterprise.make(2032013)  # an 8-digit stem below 10,000,000
    assert number.startswith("0")
    assert enterprise.normalise(number[1:]) == number
