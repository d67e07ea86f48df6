"""The registry's exports, written by the one streamed export of ``core.exports``.

The four-colour ledger: each row is filled with its ledger colour and also names the colour in
words, so the sheet reads the same printed in black and white or by someone who does not tell the
colours apart. The person list: the list page's own filters. ID numbers and phones are masked
unless the caller asks for the full values (and may see them).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from wushe.core.exports import Column, Style
from wushe.core.models import RegionLevel

from .models import LedgerColour

# Fill and font per colour; the text keeps a contrast of at least 4.5:1 on its fill.
FILLS = {
    LedgerColour.RED.value: ("#F4C7C3", "#000000"),
    LedgerColour.BLUE.value: ("#C9DAF8", "#000000"),
    LedgerColour.GREEN.value: ("#D9EAD3", "#000000"),
    LedgerColour.YELLOW.value: ("#FFF2CC", "#000000"),
}


def _community_and_grid(region: Any) -> tuple[str, str]:
    if region.level == RegionLevel.GRID and region.parent is not None:
        return region.parent.name, region.name
    return region.name, ""


def _birth(person: Any) -> datetime.date:
    return person.birth_date


def ledger_rows_for_export(rows: Any, *, reveal: bool) -> Any:
    """The ledger rows to write; with ``reveal`` the encrypted ID number is loaded (and decrypted)."""
    if reveal:
        return rows.defer(None).defer("person__phone", "person__contact_phone")
    return rows


def ledger_columns() -> list[Column]:
    labels = dict(LedgerColour.choices)
    return [
        Column(_("社区"), lambda c: _community_and_grid(c.person.region)[0], 16),
        Column(_("网格"), lambda c: _community_and_grid(c.person.region)[1], 20),
        Column(_("姓名"), lambda c: c.person.name, 10),
        Column(_("性别"), lambda c: str(c.person.get_sex_display()), 6),
        Column(_("出生日期"), lambda c: _birth(c.person), 12),
        Column(_("身份证号码"), lambda c: c.person.id_masked, 22, revealed=lambda c: c.person.id_number),
        Column(_("残疾类别"), lambda c: str(c.get_category_display()), 10),
        Column(_("残疾等级"), lambda c: str(c.get_level_display()), 10),
        Column(_("台账颜色"), lambda c: str(labels.get(c.ledger_colour, "")), 10),
        Column(_("住址"), lambda c: c.person.address, 36),
    ]


def ledger_style() -> Style:
    return Style(fills=FILLS, row_style=lambda c: c.ledger_colour)


def with_colours(rows: Any, colours: dict[int, str]) -> Any:
    """Each certificate with its ``ledger_colour`` (a generator: the rows stay streamed)."""
    for cert in rows:
        cert.ledger_colour = colours.get(cert.category, "")
        yield cert


def persons_for_export(rows: Any, *, reveal: bool) -> Any:
    if reveal:
        return rows.defer(None)
    return rows


def person_columns() -> list[Column]:
    return [
        Column(_("社区"), lambda p: _community_and_grid(p.region)[0], 16),
        Column(_("网格"), lambda p: _community_and_grid(p.region)[1], 20),
        Column(_("姓名"), lambda p: p.name, 10),
        Column(_("性别"), lambda p: str(p.get_sex_display()), 6),
        Column(_("出生日期"), _birth, 12),
        Column(_("身份证号码"), lambda p: p.id_masked, 22, revealed=lambda p: p.id_number),
        Column(_("联系电话"), lambda p: p.phone_masked, 16, revealed=lambda p: p.phone),
        Column(_("住址"), lambda p: p.address, 36),
        Column(_("状态"), lambda p: str(p.get_status_display()), 8),
    ]
