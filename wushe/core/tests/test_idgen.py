"""The fictitious identities the demo, the benchmarks and the tests make are valid ones."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from wushe.core.idgen import make_certificate_number, make_id_number, person_name
from wushe.core.validators import parse_id_number


def test_made_id_numbers_parse_with_their_birth_date_and_sex() -> None:
    number = make_id_number("371602", datetime.date(1990, 3, 7), 913)
    assert len(number) == 18 and number.startswith("37160219900307913")
    parsed = parse_id_number(number)
    assert (parsed.number, parsed.birth_date, parsed.sex) == (number, datetime.date(1990, 3, 7), "M")
    assert parse_id_number(make_id_number("371602", datetime.date(1990, 3, 7), 912)).sex == "F"
    # a wrong check character is refused: the generator computes the real one
    with pytest.raises(ValidationError) as refused:
        parse_id_number(number[:-1] + ("0" if number[-1] != "0" else "1"))
    assert refused.value.code == "checksum"


def test_certificate_number_is_the_id_number_category_and_level() -> None:
    number = make_id_number("371602", datetime.date(1980, 1, 1), 2)
    assert make_certificate_number(number, 6, 2) == number + "62"


def test_names_are_deterministic_from_the_generator() -> None:
    first = [person_name(random.Random(7)) for _ in range(3)]
    assert len(set(first)) == 1 and 2 <= len(first[0]) <= 3
    names = {person_name(random.Random(n)) for n in range(50)}
    assert len(names) > 40
