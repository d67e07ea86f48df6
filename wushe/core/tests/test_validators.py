"""ID numbers (GB 11643), phones, disability certificates and credit codes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from wushe.core.validators import (
    mask_id_number,
    mask_phone,
    normalise_digits,
    normalise_phone,
    parse_certificate_number,
    parse_id_number,
    validate_credit_code,
)

TODAY = datetime.date.today()  # noqa: DTZ011 — parse_id_number compares calendar dates


def check_character(body: str) -> str:
    """ISO 7064 MOD 11-2 by stdnum (which ignores the last character it is given)."""
    return ric.calc_check_digit(body + "?")


def mod11_2(body: str) -> str:
    """The same check written out from GB 11643, to pin stdnum's usage."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body))
    return "10X98765432"[total % 11]


def make(address: str, birth: datetime.date, seq: int) -> str:
    body = f"{address}{birth:%Y%m%d}{seq:03d}"
    return body + check_character(body)


addresses = st.integers(min_value=0, max_value=999_999).map(lambda n: f"{n:06d}")
births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)
valid_numbers = st.builds(make, addresses, births, sequences)

# 济南 历下区; stdnum's table knows 370102 only from later years, so this one carries a warning.
GOOD = make("370102", datetime.date(1980, 5, 17), 123)
# 北京 东城区, known to stdnum for 1980.
KNOWN = make("110101", datetime.date(1980, 5, 17), 123)


# ---- ID numbers -------------------------------------------------------------------------


@given(address=addresses, birth=births, seq=sequences)
def test_every_valid_number_parses_with_birth_date_and_sex(
    address: str, birth: datetime.date, seq: int
) -> None:
    number = make(address, birth, seq)
    parsed = parse_id_number(number)
    assert parsed.number == number
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if seq % 2 == 1 else "F")
    assert parsed.masked == number[:6] + "********" + number[-4:]


@given(number=valid_numbers, data=st.data())
def test_every_single_character_change_is_rejected(number: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=17), label="position")
    replacement = data.draw(
        st.sampled_from([c for c in "0123456789X" if c != number[position]]), label="replacement"
    )
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError) as exc:
        parse_id_number(changed)
    assert exc.value.code in {"format", "birth_date", "checksum"}


@given(number=valid_numbers)
def test_dropping_or_adding_a_character_is_a_length_error(number: str) -> None:
    for wrong in (number[:-1], number + "1", number[:10]):
        with pytest.raises(ValidationError) as exc:
            parse_id_number(wrong)
        assert exc.value.code == "length"


@given(body=st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_is_gb11643(body: str) -> None:
    assert check_character(body) == mod11_2(body)


def test_standard_example_from_gb11643() -> None:
    parsed = parse_id_number("11010519491231002X")
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.sex == "F"
    with pytest.raises(ValidationError) as exc:
        parse_id_number("110105194912310022")  # the check stdnum gives when misused on 17 digits
    assert exc.value.code == "checksum"


def test_known_number_without_warning() -> None:
    parsed = parse_id_number(KNOWN)
    assert parsed.birth_date == datetime.date(1980, 5, 17)
    assert parsed.sex == "M"  # sequence 123 is odd
    assert parsed.warnings == ()


def test_female_sequence() -> None:
    assert parse_id_number(make("370102", datetime.date(1980, 5, 17), 124)).sex == "F"


def test_legacy_15_digit_number_is_converted() -> None:
    legacy = "370102800517123"  # 6 address + YYMMDD + 3 sequence
    parsed = parse_id_number(legacy)
    assert parsed.number == GOOD
    assert len(parsed.number) == 18
    assert parsed.birth_date == datetime.date(1980, 5, 17)
    assert parsed.sex == "M"


def test_legacy_number_must_be_digits() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_id_number("37010280051712X")
    assert exc.value.code == "format"


@pytest.mark.parametrize(
    "raw",
    [
        "３７０１０２１９８００５１７１２３" + GOOD[-1],  # full-width digits
        f" {GOOD[:6]} {GOOD[6:14]} {GOOD[14:]} ",  # spaces
        f"{GOOD[:6]}-{GOOD[6:14]}-{GOOD[14:]}",  # hyphens
        f"{GOOD[:6]}－{GOOD[6:]}",  # full-width hyphen
        f"\u3000{GOOD}\u3000",  # ideographic spaces
    ],
)
def test_input_is_normalised(raw: str) -> None:
    assert parse_id_number(raw).number == GOOD


def test_lower_case_x_is_normalised() -> None:
    number = next(
        make("370102", datetime.date(1980, 5, 17), s)
        for s in range(1000)
        if check_character(f"37010219800517{s:03d}") == "X"
    )
    assert number.endswith("X")
    parsed = parse_id_number(number[:-1] + "x")
    assert parsed.number == number
    assert parsed.masked.endswith("X")


def test_normalise_digits() -> None:
    assert normalise_digits("１２ａｂ-3 4/5.6·7_8") == "12AB345678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("  ", "required"),
        ("3701021980051712", "length"),  # 16
        (GOOD + "0", "length"),  # 19
        ("37010219800517123", "length"),  # 17
        ("3701021980051712A", "length"),  # letters are not digits, nor are they stripped
        ("37010219800517A23X", "format"),
        ("37010219800517123A", "format"),
        ("370102198002301231", "birth_date"),  # 30 February
        ("370102198013011231", "birth_date"),  # month 13
        ("370102188001011231", "birth_date"),  # before 1890
    ],
)
def test_bad_numbers_name_the_rule(raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw)
    assert exc.value.code == code


def test_birth_date_in_the_future_is_rejected() -> None:
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        parse_id_number(make("370102", tomorrow, 1))
    assert exc.value.code == "birth_date"
    # …but the same number is fine on a later day
    assert parse_id_number(make("370102", tomorrow, 1), today=tomorrow).birth_date == tomorrow


def test_wrong_check_character() -> None:
    wrong = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        parse_id_number(wrong)
    assert exc.value.code == "checksum"


@pytest.mark.parametrize(
    "address",
    [
        "999999",  # no such county
        "371602",  # 滨城区 exists only from 2000: anachronistic for a 1990 birth
        "110001",  # known to stdnum without a county (it raises KeyError on it)
    ],
)
def test_unknown_address_code_is_only_a_warning(address: str) -> None:
    number = make(address, datetime.date(1990, 1, 1), 11)
    with pytest.raises(Exception):  # noqa: B017 — stdnum itself rejects it …
        ric.validate(number)
    parsed = parse_id_number(number)  # … wushe accepts it with a warning
    assert parsed.number == number
    assert len(parsed.warnings) == 1
    assert address in parsed.warnings[0]


# ---- masking ----------------------------------------------------------------------------


def test_mask_id_number_shape() -> None:
    assert mask_id_number("37010219800517123X") == "370102********123X"
    assert mask_id_number(GOOD) == "370102********" + GOOD[-4:]
    assert len(mask_id_number(GOOD)) == 18
    assert mask_id_number("12345") == "*****"


# ---- phones -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0543-3211234", "05433211234"),
        ("010-12345678", "01012345678"),
    ],
)
def test_normalise_phone(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["12812345678", "1381234567", "138123456789", "1381234567a", "5433211234", "phone", "+1 2025550100"],
)
def test_bad_phone_is_rejected(raw: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalise_phone(raw)
    assert exc.value.code == "format"


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("05433211234") == "054****1234"
    assert mask_phone("1234567") == "*******"


# ---- disability certificates ------------------------------------------------------------


@pytest.mark.parametrize("category", range(1, 8))
@pytest.mark.parametrize("level", range(1, 5))
def test_certificate_number_parses(category: int, level: int) -> None:
    parsed = parse_certificate_number(f"{GOOD}{category}{level}")
    assert parsed.number == f"{GOOD}{category}{level}"
    assert len(parsed.number) == 20
    assert parsed.id_number == GOOD
    assert (parsed.category, parsed.level) == (category, level)


def test_certificate_number_is_normalised() -> None:
    x_number = next(
        make("370102", datetime.date(1980, 5, 17), s)
        for s in range(1000)
        if check_character(f"37010219800517{s:03d}") == "X"
    )
    parsed = parse_certificate_number(f" {x_number[:-1]}x 6 2 ")
    assert parsed.number == f"{x_number}62"
    assert parsed.id_number == x_number


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (GOOD + "6", "length"),
        (GOOD + "621", "length"),
        (GOOD, "length"),
        (GOOD + "02", "category"),
        (GOOD + "82", "category"),
        (GOOD + "60", "level"),
        (GOOD + "65", "level"),
        (GOOD[:17] + ("0" if GOOD[17] != "0" else "1") + "62", "checksum"),
    ],
)
def test_bad_certificate_names_the_rule(raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_certificate_number(raw)
    assert exc.value.code == code


# ---- 统一社会信用代码 ------------------------------------------------------------------------


def test_valid_credit_code() -> None:
    code = "51371602MJD123456" + uscc.calc_check_digit("51371602MJD123456")
    assert validate_credit_code(code) == (code, [])
    assert validate_credit_code(f" {code[:9]}-{code[9:].lower()} ") == (code, [])


def test_credit_code_with_bad_check_only_warns() -> None:
    good = "91110000600037341L"
    bad = good[:-1] + ("M" if good[-1] != "M" else "N")
    code, warnings = validate_credit_code(bad)
    assert code == bad
    assert len(warnings) == 1


@pytest.mark.parametrize("raw", ["", "9111000060003734", "91110000600037341LL"])
def test_credit_code_length(raw: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(raw)
    assert exc.value.code == "length"
