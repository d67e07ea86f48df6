"""The one streamed Excel export: masked unless revealed on request, audited, bounded memory."""

from __future__ import annotations

import io
import resource
from typing import Any

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.conftest import login
from wushe.core.exports import Column, Style, write_xlsx
from wushe.core.models import AccessEvent, AccessEventKind

pytestmark = pytest.mark.django_db
EXPORT = reverse("registry:person_export")


def rows_of(response: Any) -> list[list[Any]]:
    data = response.getvalue()
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_person_export_uses_the_list_filters_and_masks(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.street_admin)
    response = client.get(EXPORT, {"region": "371602003001", "status": "active"})
    assert response.status_code == 200
    rows = rows_of(response)
    assert rows[0][0].startswith("甲社区 居民名单")
    assert rows[1][:3] == ["社区", "网格", "姓名"]
    assert [r[2] for r in rows[2:]] == ["祝长连"]  # only 甲社区
    flat = [str(c) for r in rows for c in r]
    assert person_a.id_masked in flat and person_a.phone_masked in flat
    assert person_a.id_number not in flat and person_a.phone not in flat
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert event.detail["export"] == "persons" and event.detail["rows"] == 1 and not event.detail["revealed"]
    assert event.detail["filters"]["region"] == "371602003001"


def test_full_numbers_need_the_permission_and_a_post_asking(users: Any, person_a: Any) -> None:
    admin = login(users.street_admin)
    asked_by_get = rows_of(admin.get(EXPORT, {"reveal": "1"}))
    assert person_a.id_number not in [str(c) for r in asked_by_get for c in r]
    revealed = rows_of(admin.post(EXPORT, {"reveal": "1", "status": "active"}))
    flat = [str(c) for r in revealed for c in r]
    assert person_a.id_number in flat and person_a.phone in flat
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT, detail__revealed=True).count() == 1
    leader = login(users.leader)  # may export, may not see full numbers
    masked = rows_of(leader.post(EXPORT, {"reveal": "1"}))
    assert person_a.id_number not in [str(c) for r in masked for c in r]


def test_export_is_scoped_and_needs_the_permission(users: Any, person_a: Any, person_b: Any) -> None:
    rows = rows_of(login(users.worker_a).get(EXPORT))
    assert [r[2] for r in rows[2:]] == ["祝长连"]
    assert login(users.nobody).get(EXPORT).status_code == 403


def test_a_search_by_number_is_not_exported(users: Any, person_a: Any, person_b: Any) -> None:
    response = login(users.street_admin).post(EXPORT, {"q": person_a.id_number})
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert person_a.id_number not in str(event.detail)
    assert len(rows_of(response)) == 4  # the whole list instead


def test_ledger_export_rows_carry_the_colour_fill(users: Any, person_a: Any) -> None:
    import zipfile

    response = login(users.street_admin).get(reverse("registry:ledger_export"), {"region": "371602003000"})
    data = response.getvalue()
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    assert "FFF4C7C3" in styles  # the red fill
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[2][8] == "红色"  # and the colour in words


# 12 s: in the slow tier (make test-slow, CI), keeping make test under its 6 minutes
@pytest.mark.slow
def test_many_rows_in_bounded_memory() -> None:
    """200,000 rows: the peak memory grows by far less than the rows would take held at once."""

    def rows() -> Any:
        for i in range(200_000):
            yield (i, f"姓名{i}", f"3701021990{i:08d}")

    columns = [Column("序号", lambda r: r[0]), Column("姓名", lambda r: r[1]), Column("号码", lambda r: r[2])]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    written = write_xlsx(
        rows(), columns=columns, title="大量导出", sheet="测试", style=Style({}, lambda r: "")
    )
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert written.rows == 200_000
    written.file.seek(0, io.SEEK_END)
    assert written.file.tell() > 2_000_000
    written.file.close()
    # held in memory, 600,000 cells of XlsxWriter would take several hundred MB
    assert grown_kb < 60_000, grown_kb
