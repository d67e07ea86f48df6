"""Make valid, fictitious identity numbers for the demo streets and the tests."""

from __future__ import annotations

import datetime

from stdnum.cn import ric


def make_id_number(address_code: str, birth: datetime.date, sequence: int) -> str:
    """A GB 11643 number: address code + birth date + 3-digit sequence (odd = male) + check."""
    body = f"{address_code}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character it is given


def make_certificate_number(id_number: str, category: int, level: int) -> str:
    return f"{id_number}{category}{level}"
