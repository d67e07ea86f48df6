"""The household list's column of the latest visit (registered by visits in ``sections.py``
through ``registry.household_columns``): on the page and in the export, one query per page."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.outreach_factories import household_in, make_visit
from wushe.registry.household_columns import household_columns
from wushe.visits.selectors import last_visits

pytestmark = pytest.mark.django_db


def test_the_household_list_shows_each_households_last_visit(tree: Any, users: Any) -> None:
    assert "last_visit" in [c.key for c in household_columns()]
    visited = household_in(tree.grid_a, name="访过户")
    never = household_in(tree.grid_a, name="未访户")
    make_visit(visited, day=datetime.date(2026, 3, 1))
    make_visit(visited, day=datetime.date(2026, 5, 9))
    assert last_visits([visited.pk, never.pk]) == {visited.pk: datetime.date(2026, 5, 9)}
    client = login(users.worker_a)
    response = client.get(reverse("registry:household_list"))
    page = response.content.decode()
    assert "最近走访" in page and "2026-05-09" in page and "2026-03-01" not in page
    rows = {h.pk: h.extra["last_visit"] for h in response.context["page_obj"].object_list}
    assert rows == {visited.pk: datetime.date(2026, 5, 9), never.pk: None}
    export = client.get(reverse("registry:household_export"))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export.getvalue())).get_sheet_by_index(0).to_python()
    assert "最近走访" in next(r for r in sheet if "住址" in r)
    line = next(r for r in sheet if any("访过户" in str(c) for c in r))
    assert any(str(c).startswith("2026-05-09") for c in line)
