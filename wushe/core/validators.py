"""Identity numbers and phone numbers: normalise, check, derive.

ID numbers follow GB 11643 (居民身份证号码): 6-digit address code, YYYYMMDD birth date, 3-digit
sequence (odd = male) and an ISO 7064 MOD 11-2 check character, computed with python-stdnum.
An unknown or anachronistic address code is only a warning: real numbers keep the code of
the county where they were first issued, and stdnum's table lags behind new districts.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric, uscc

_SEPARATORS = re.compile(r"[\s\-_/.·]+")


def normalise_digits(raw: str) -> str:
    """Full-width digits and letters to ASCII, separators removed, letters upper-cased."""
    if type(raw) is str and raw.isascii() and raw.isalnum():
        return raw.upper()  # already plain ASCII letters and digits: NFKC and the separators change nothing
    text = unicodedata.normalize("NFKC", str(raw))
    return _SEPARATORS.sub("", text).upper()


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"
    warnings: tuple[str, ...] = field(default=())

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def id_check_character(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits.

    ``stdnum.cn.ric.calc_check_digit`` expects the whole number and ignores its last character,
    so the 17-digit body is padded before the call.
    """
    return ric.calc_check_digit(body[:17] + "0")


@functools.lru_cache(maxsize=65536)
def _birth_date(text: str) -> datetime.date | None:
    """The date of the 8 digits YYYYMMDD, or None; a ledger holds a few tens of thousands of them."""
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _convert_legacy(number15: str) -> str:
    body = number15[:6] + "19" + number15[6:]
    return body + id_check_character(body)


@functools.lru_cache(maxsize=65536)
def address_code_known(code: str, year: int) -> bool:
    """Whether stdnum's table knows the 6-digit address code for someone born in ``year``.

    The table lookup is slow for a million numbers (docs/benchmarks.md); there are only a few
    thousand codes and a century of years, so the answer is cached (imports check a million numbers).
    """
    try:
        ric.get_birth_place(f"{code}{year:04d}01010000")
    except (stdnum_exceptions.ValidationError, KeyError):  # KeyError: a province-level code
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _address_warning(code: str, language: str | None) -> str:
    return _("地址码 %(code)s 不在区划表中或与出生年份不符，请核对") % {"code": code}


def parse_id_number(raw: str, *, today: datetime.date | None = None) -> IdNumber:
    """Check an ID number and derive birth date and sex; raise ValidationError naming the rule."""
    number = normalise_digits(raw)
    if not number:
        raise ValidationError(_("身份证号码不能为空"), code="required")
    if len(number) == 15:
        if not number.isdigit():
            raise ValidationError(_("15位身份证号码只能由数字组成"), code="format")
        number = _convert_legacy(number)
    if len(number) != 18:
        raise ValidationError(
            _("身份证号码应为18位（或15位旧号码），此处为%(n)d位") % {"n": len(number)}, code="length"
        )
    body = number[:17]
    if not (body.isascii() and body.isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise ValidationError(_("身份证号码前17位须为数字，末位为数字或X"), code="format")
    birth = _birth_date(number[6:14])
    if birth is None:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="birth_date")
    today = today or datetime.date.today()  # noqa: DTZ011 — a calendar date, not an instant
    if birth > today or birth.year < 1890:
        raise ValidationError(_("身份证号码中的出生日期超出合理范围"), code="birth_date")
    if ric.calc_check_digit(number[:17] + "0") != number[17]:
        raise ValidationError(_("身份证号码校验码错误"), code="checksum")
    warnings: list[str] = []
    if not address_code_known(number[:6], birth.year):
        warnings.append(_address_warning(number[:6], get_language()))
    sex = "M" if number[16] in "13579" else "F"
    return IdNumber(number=number, birth_date=birth, sex=sex, warnings=tuple(warnings))


def mask_id_number(number: str) -> str:
    """370102********123X — the address code and the last four stay visible."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")


def normalise_phone(raw: str) -> str:
    """Mobile (11 digits) or landline with area code; raise ValidationError otherwise."""
    if type(raw) is str and len(raw) == 11 and raw.isascii() and raw.isdigit() and _MOBILE.match(raw):
        return raw  # the common case: a plain mobile number
    text = normalise_digits(raw)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not text.isdigit():
        raise ValidationError(_("电话号码只能包含数字"), code="format")
    if not (_MOBILE.match(text) or _LANDLINE.match(text)):
        raise ValidationError(_("电话号码应为11位手机号或带区号的固定电话"), code="format")
    return text


def mask_phone(number: str) -> str:
    """138****1234."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


@dataclass(frozen=True)
class CertificateNumber:
    """第二代残疾人证号: the holder's 18-character ID + category digit + level digit."""

    number: str
    id_number: str
    category: int
    level: int


def parse_certificate_number(raw: str, *, holder: IdNumber | None = None) -> CertificateNumber:
    """``holder``: the holder's ID number already parsed (saves parsing it again when it matches)."""
    number = normalise_digits(raw)
    if len(number) != 20:
        raise ValidationError(
            _("残疾人证号应为20位（身份证号18位+类别1位+等级1位），此处为%(n)d位") % {"n": len(number)},
            code="length",
        )
    if holder is None or holder.number != number[:18]:
        holder = parse_id_number(number[:18])
    category, level = number[18], number[19]
    if category not in "1234567":
        raise ValidationError(_("残疾人证号第19位为残疾类别，应为1–7"), code="category")
    if level not in "1234":
        raise ValidationError(_("残疾人证号第20位为残疾等级，应为1–4"), code="level")
    return CertificateNumber(number=number, id_number=holder.number, category=int(category), level=int(level))


def validate_credit_code(raw: str) -> tuple[str, list[str]]:
    """统一社会信用代码 (GB 32100): returns the code and warnings; a failed check only warns."""
    code = normalise_digits(raw)
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位"), code="length")
    warnings = []
    if not uscc.is_valid(code):
        warnings.append(_("统一社会信用代码校验未通过，请核对（早期试点代码可能如此）"))
    return code, warnings
