"""The registry's pages: scope, sensitive search, reveal, forms through the services, export."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import PersonFactory, certificate_for, next_id_number
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.registry import services
from wushe.registry.models import Person, PersonStatus

pytestmark = pytest.mark.django_db

LIST = reverse("registry:person_list")
SEARCH = reverse("registry:person_search")
LEDGER = reverse("registry:ledger")
EXPORT = reverse("registry:ledger_export")


def detail(person: Any) -> str:
    return reverse("registry:person_detail", args=[person.pk])


def html(response: Any) -> str:
    return response.content.decode()


def listed_names(response: Any) -> list[str]:
    return [p.name for p in response.context["persons"]]


def xlsx_rows(response: Any) -> list[list[Any]]:
    data = response.getvalue()
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


@pytest.fixture
def household_a(person_a: Any) -> Any:
    household = services.household_create(acting_user=None, head=person_a)
    spouse = PersonFactory(name="祝王氏", region=person_a.region)
    services.household_add_member(acting_user=None, household=household, person=spouse, relation="spouse")
    return household


@pytest.fixture
def household_b(person_b: Any) -> Any:
    return services.household_create(acting_user=None, head=person_b)


# ---- access -----------------------------------------------------------------------------


def test_pages_require_login(client: Any, person_a: Any, household_a: Any) -> None:
    for url in [
        LIST,
        detail(person_a),
        reverse("registry:person_edit", args=[person_a.pk]),
        reverse("registry:person_create"),
        reverse("registry:household_detail", args=[household_a.pk]),
        LEDGER,
        EXPORT,
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    for url in [SEARCH, reverse("registry:person_reveal", args=[person_a.pk])]:
        response = client.post(url, {"q": "祝"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert not AccessEvent.objects.filter(kind=AccessEventKind.REVEAL).exists()


def test_each_page_renders_for_a_worker(users: Any, person_a: Any, household_a: Any) -> None:
    client = login(users.worker_a)
    for url in [
        LIST,
        detail(person_a),
        reverse("registry:person_edit", args=[person_a.pk]),
        reverse("registry:person_create"),
        reverse("registry:household_detail", args=[household_a.pk]),
        LEDGER,
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "祝" in html(response) or url.endswith("/new/"), url


def test_out_of_scope_objects_are_404_like_missing_ones(
    users: Any, person_a: Any, person_b: Any, household_b: Any
) -> None:
    client = login(users.worker_a)
    last = Person.objects.order_by("-pk").first()
    assert last is not None
    missing = last.pk + 1000
    for pk in (person_b.pk, missing):
        assert client.get(reverse("registry:person_detail", args=[pk])).status_code == 404
        assert client.get(reverse("registry:person_edit", args=[pk])).status_code == 404
        assert client.post(reverse("registry:person_edit", args=[pk]), {"name": "x"}).status_code == 404
        assert client.post(reverse("registry:person_reveal", args=[pk])).status_code == 404
        assert (
            client.post(reverse("registry:person_deregister", args=[pk]), {"status": "moved"}).status_code
            == 404
        )
        assert (
            client.post(reverse("registry:person_move", args=[pk]), {"region": "371602003001"}).status_code
            == 404
        )
    assert client.get(reverse("registry:household_detail", args=[household_b.pk])).status_code == 404
    assert client.get(reverse("registry:household_detail", args=[household_b.pk + 1000])).status_code == 404
    assert not AccessEvent.objects.filter(kind=AccessEventKind.REVEAL).exists()
    person_b.refresh_from_db()
    assert person_b.status == PersonStatus.ACTIVE
    # a region code out of scope is the same 404 as an unknown one
    assert client.get(LEDGER, {"region": "371602003002"}).status_code == 404
    assert client.get(LEDGER, {"region": "999999999999"}).status_code == 404


def test_person_b_never_appears_for_worker_a(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.worker_a)
    assert listed_names(client.get(LIST)) == ["祝长连"]
    assert listed_names(client.get(LIST, {"status": "all"})) == ["祝长连"]
    assert listed_names(client.get(LIST, {"q": "李四"})) == []
    assert listed_names(client.get(LIST, {"q": "ls"})) == []
    assert listed_names(client.post(SEARCH, {"q": person_b.id_number})) == []
    assert listed_names(client.post(SEARCH, {"q": "13987654321"})) == []
    page = html(client.get(LEDGER))
    assert "李四" not in page and "祝长连" in page
    assert "乙社区" not in page
    rows = xlsx_rows(client.get(EXPORT))
    assert [r[2] for r in rows[2:]] == ["祝长连"]
    # filtering by a region out of scope is refused, not an empty answer that confirms it exists
    response = client.get(LIST, {"region": "371602003002"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_street_admin_sees_both_communities(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.street_admin)
    assert sorted(listed_names(client.get(LIST))) == sorted(["祝长连", "李四"])
    assert listed_names(client.get(LIST, {"region": "371602003002"})) == ["李四"]
    assert listed_names(client.get(LIST, {"colour": "red"})) == ["祝长连"]
    assert listed_names(client.get(LIST, {"category": "4"})) == ["李四"]


# ---- search: ID, phone and certificate numbers never in a URL ------------------------------


@pytest.mark.parametrize("kind", ["id", "id_spaced", "phone", "certificate"])
def test_sensitive_search_by_post_finds_and_is_recorded(users: Any, person_a: Any, kind: str) -> None:
    q = {
        "id": person_a.id_number,
        "id_spaced": f"{person_a.id_number[:6]} {person_a.id_number[6:14]} {person_a.id_number[14:]}",
        "phone": "138 1234 5678",
        "certificate": certificate_for(person_a.id_number, 6, 2),
    }[kind]
    client = login(users.worker_a)
    response = client.post(SEARCH, {"q": q})
    assert response.status_code == 200
    assert listed_names(response) == ["祝长连"]
    assert response.context["sensitive"] is True
    event = AccessEvent.objects.get(kind=AccessEventKind.SEARCH_SENSITIVE)
    assert event.user == users.worker_a
    assert person_a.id_number not in str(event.detail) and "13812345678" not in str(event.detail)


def test_sensitive_search_result_pages_are_not_cached(users: Any, person_a: Any) -> None:
    response = login(users.worker_a).post(SEARCH, {"q": person_a.id_number})
    assert response["Cache-Control"] == "no-store"


def test_get_with_sensitive_q_does_not_search(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    for q in (person_a.id_number, "13812345678"):
        # SensitiveQueryMiddleware: redirected to the list without the number, with a warning
        response = client.get(LIST, {"q": q, "status": "active"})
        assert response.status_code == 303 and response["Location"] == f"{LIST}?status=active"
        page = client.get(response["Location"])
        assert q not in html(page)  # not echoed back into the page either
        assert "不能放在网址中" in html(page)
    assert not AccessEvent.objects.filter(kind=AccessEventKind.SEARCH_SENSITIVE).exists()


def test_plain_search_redirects_to_a_get_url(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    response = client.post(SEARCH, {"q": "zcl", "status": "active"})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST)
    assert "q=zcl" in response["Location"]
    assert listed_names(client.get(response["Location"])) == ["祝长连"]
    assert not AccessEvent.objects.filter(kind=AccessEventKind.SEARCH_SENSITIVE).exists()


def test_htmx_search_returns_the_results_fragment(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    response = client.post(SEARCH, {"q": "祝"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert 'id="person-results"' in html(response)
    assert response["HX-Push-Url"].startswith(LIST)
    sensitive = client.post(SEARCH, {"q": person_a.id_number}, HTTP_HX_REQUEST="true")
    assert "<html" not in html(sensitive)
    assert "HX-Push-Url" not in sensitive  # the number never reaches the address bar
    assert listed_names(sensitive) == ["祝长连"]
    page = client.get(LIST, {"page": "1"}, HTTP_HX_REQUEST="true")
    assert "<html" not in html(page)
    restore = client.get(LIST, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in html(restore)


def test_list_is_paginated(users: Any, tree: Any) -> None:
    for _ in range(30):
        PersonFactory(region=tree.community_a)
    client = login(users.worker_a)
    first = client.get(LIST)
    assert len(first.context["persons"]) == 25
    assert first.context["page_obj"].paginator.count == 30
    second = client.get(LIST, {"page": "2"})
    assert len(second.context["persons"]) == 5
    assert client.get(LIST, {"page": "99"}).status_code == 200


# ---- detail and reveal ------------------------------------------------------------------


def test_detail_shows_masked_values_colour_word_and_history(
    users: Any, person_a: Any, household_a: Any
) -> None:
    page = html(login(users.worker_a).get(detail(person_a)))
    assert person_a.id_masked in page
    assert person_a.id_number not in page
    assert "138****5678" in page and "13812345678" not in page
    assert "红色" in page and "ledger-red" in page  # the colour also in words
    assert "精神" in page and "二级" in page
    assert reverse("registry:household_detail", args=[household_a.pk]) in page
    assert "变更记录" in page
    assert "显示完整信息" in page


def test_detail_of_a_person_without_any_history_row(users: Any, person_a: Any) -> None:
    """A person loaded in bulk before the history existed has no history row: the page still opens
    (it raised ValueError in the history's pairing of newer and older records)."""
    person_a.history.all().delete()
    response = login(users.worker_a).get(detail(person_a))
    assert response.status_code == 200
    assert response.context["history"] == []


def test_reveal_without_permission_is_403(users: Any, person_a: Any) -> None:
    client = login(users.leader)  # sees the street, may not reveal
    assert client.get(detail(person_a)).status_code == 200
    assert "显示完整信息" not in html(client.get(detail(person_a)))
    response = client.post(reverse("registry:person_reveal", args=[person_a.pk]))
    assert response.status_code == 403
    assert person_a.id_number not in html(response)
    assert not AccessEvent.objects.filter(kind=AccessEventKind.REVEAL).exists()


def test_reveal_with_permission_shows_full_values_and_is_recorded(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    url = reverse("registry:person_reveal", args=[person_a.pk])
    assert client.get(url).status_code == 405
    fragment = client.post(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert person_a.id_number in html(fragment) and "13812345678" in html(fragment)
    assert "<html" not in html(fragment)
    full_page = client.post(url)  # without JavaScript: the whole page
    assert "<html" in html(full_page) and person_a.id_number in html(full_page)
    events = AccessEvent.objects.filter(kind=AccessEventKind.REVEAL, user=users.worker_a)
    assert events.count() == 2
    first = events.first()
    assert first is not None and first.object_id == str(person_a.pk)


# ---- create and edit through the services ---------------------------------------------------


def _create_data(tree: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "王五",
        "id_number": next_id_number(),
        "region": tree.grid_a.code,
        "phone": "13700001111",
        "address": "甲社区1号楼",
        "tags": ["dibao"],
    }
    data.update(overrides)
    return data


def test_create_requires_manage_permission(users: Any, tree: Any) -> None:
    client = login(users.leader)
    assert client.get(reverse("registry:person_create")).status_code == 403
    assert client.post(reverse("registry:person_create"), _create_data(tree)).status_code == 403
    assert not Person.objects.filter(name="王五").exists()


def test_create_with_bad_id_shows_error_on_id_and_writes_nothing(users: Any, tree: Any) -> None:
    client = login(users.worker_a)
    good = next_id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = Person.objects.count()
    response = client.post(reverse("registry:person_create"), _create_data(tree, id_number=bad))
    assert response.status_code == 200
    form = response.context["form"]
    assert "id_number" in form.errors
    assert "校验码" in " ".join(form.errors["id_number"])
    assert Person.objects.count() == before
    assert 'aria-invalid="true"' in html(response)


def test_create_with_bad_certificate_names_the_field(users: Any, tree: Any) -> None:
    client = login(users.worker_a)
    id_number = next_id_number()
    other = next_id_number()
    response = client.post(
        reverse("registry:person_create"),
        _create_data(tree, id_number=id_number, disability_certificate=certificate_for(other, 6, 1)),
    )
    assert "disability_certificate" in response.context["form"].errors
    assert not Person.objects.filter(name="王五").exists()


def test_create_out_of_scope_region_is_refused(users: Any, tree: Any) -> None:
    client = login(users.worker_a)
    response = client.post(reverse("registry:person_create"), _create_data(tree, region=tree.grid_b.code))
    assert "region" in response.context["form"].errors
    assert not Person.objects.filter(name="王五").exists()


def test_create_with_mental_certificate_adds_one_red(users: Any, tree: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    before = client.get(LEDGER).context["counts"].by_colour["red"]
    id_number = next_id_number()
    response = client.post(
        reverse("registry:person_create"),
        _create_data(tree, id_number=id_number, disability_certificate=certificate_for(id_number, 6, 1)),
    )
    assert response.status_code == 302
    person = Person.objects.get(name="王五")
    assert response["Location"] == detail(person)
    assert client.get(LEDGER).context["counts"].by_colour["red"] == before + 1
    assert [pt.tag.code for pt in person.tags.all()] == ["dibao"]
    assert person.history.first().history_user == users.worker_a


def test_create_warns_about_unknown_address_code(users: Any, tree: Any) -> None:
    client = login(users.worker_a)
    id_number = next_id_number(address="379999")
    response = client.post(
        reverse("registry:person_create"), _create_data(tree, id_number=id_number), follow=True
    )
    assert response.status_code == 200
    assert any("379999" in str(m) for m in response.context["messages"])
    assert Person.objects.filter(name="王五").exists()


def test_edit_changes_through_services(users: Any, tree: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    url = reverse("registry:person_edit", args=[person_a.pk])
    page = html(client.get(url))
    assert person_a.id_number not in page and "13812345678" not in page  # blank = unchanged
    response = client.post(
        url,
        {
            "name": "祝长连",
            "id_number": "",
            "region": tree.community_a.code,
            "phone": "",
            "address": "新地址",
            "tags": ["tekun"],
            "disability_certificate": certificate_for(person_a.id_number, 4, 3),
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=person_a.pk)
    assert person.address == "新地址"
    assert person.region == tree.community_a
    assert person.phone == "13812345678"
    assert [pt.tag.code for pt in person.tags.filter(valid_to__isnull=True)] == ["tekun"]
    assert person.certificates.get(valid_to__isnull=True).category == 4


def test_edit_with_bad_phone_keeps_everything(users: Any, tree: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    url = reverse("registry:person_edit", args=[person_a.pk])
    response = client.post(
        url,
        {
            "name": "祝长连改",
            "region": tree.grid_a.code,
            "phone": "12345",
            "address": "新地址",
            "disability_certificate": certificate_for(person_a.id_number, 4, 3),
        },
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    person = Person.objects.get(pk=person_a.pk)
    assert (person.name, person.address) == ("祝长连", person_a.address)
    assert person.certificates.get(valid_to__isnull=True).category == 6


def test_deregister_and_move(users: Any, tree: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    response = client.post(
        reverse("registry:person_move", args=[person_a.pk]), {"region": tree.community_a.code}
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person_a.pk).region == tree.community_a
    # a region outside the worker's scope is not even a choice
    client.post(reverse("registry:person_move", args=[person_a.pk]), {"region": tree.community_b.code})
    assert Person.objects.get(pk=person_a.pk).region == tree.community_a
    response = client.post(
        reverse("registry:person_deregister", args=[person_a.pk]), {"status": "deceased", "note": "病故"}
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=person_a.pk)
    assert person.status == PersonStatus.DECEASED
    assert not person.certificates.filter(valid_to__isnull=True).exists()
    again = client.post(
        reverse("registry:person_deregister", args=[person_a.pk]), {"status": "moved"}, follow=True
    )
    assert any("不在册" in str(m) for m in again.context["messages"])
    assert (
        login(users.leader)
        .post(reverse("registry:person_deregister", args=[person_a.pk]), {"status": "moved"})
        .status_code
        == 403
    )


def test_household_page_lists_members_with_masked_ids(users: Any, person_a: Any, household_a: Any) -> None:
    response = login(users.worker_a).get(reverse("registry:household_detail", args=[household_a.pk]))
    page = html(response)
    assert "祝王氏" in page and "户主" in page and "配偶" in page
    assert person_a.id_masked in page and person_a.id_number not in page


# ---- the ledger and its export ------------------------------------------------------------


def test_ledger_counts_link_to_filtered_lists(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.street_admin)
    response = client.get(LEDGER)
    counts = response.context["counts"]
    assert counts.by_colour == {"red": 1, "blue": 1, "green": 0, "yellow": 0}
    page = html(response)
    assert "colour=red" in page and "community=371602003001" in page
    red = client.get(LEDGER, {"region": "371602003000", "colour": "red"})
    assert [c.person.name for c in red.context["rows"]] == ["祝长连"]
    blue_b = client.get(LEDGER, {"region": "371602003000", "community": "371602003002", "colour": "blue"})
    assert [c.person.name for c in blue_b.context["rows"]] == ["李四"]
    level3 = client.get(LEDGER, {"region": "371602003000", "level": "3"})
    assert [c.person.name for c in level3.context["rows"]] == ["李四"]
    past = client.get(LEDGER, {"region": "371602003000", "as_of": "2000-01-01"})
    assert past.context["counts"].total == 0
    bad = client.get(LEDGER, {"region": "371602003000", "as_of": "2999-01-01"})
    assert bad.status_code == 200 and bad.context["invalid"]


def test_export_is_a_real_masked_xlsx_with_colour_words(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.street_admin)
    response = client.get(EXPORT, {"region": "371602003000"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    data = response.getvalue()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1] == [
        "社区",
        "网格",
        "姓名",
        "性别",
        "出生日期",
        "身份证号码",
        "残疾类别",
        "残疾等级",
        "台账颜色",
        "住址",
    ]
    body = {r[2]: r for r in rows[2:]}
    assert set(body) == {"祝长连", "李四"}
    assert body["祝长连"][0] == "甲社区" and body["祝长连"][1] == "甲社区第一网格"
    assert body["祝长连"][5] == person_a.id_masked
    assert body["祝长连"][6:9] == ["精神", "二级", "红色"]
    assert body["李四"][8] == "蓝色"
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    assert "F4C7C3" in styles and "C9DAF8" in styles  # rows filled with their colour, too
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert event.detail["rows"] == 2 and event.detail["revealed"] is False
    assert event.detail["filters"]["region"] == "371602003000"


def test_export_filters_and_reveal(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.street_admin)
    rows = xlsx_rows(client.get(EXPORT, {"region": "371602003000", "colour": "blue"}))
    assert [r[2] for r in rows[2:]] == ["李四"]
    # reveal only on a POST asking for it
    assert xlsx_rows(client.get(EXPORT, {"region": "371602003000", "reveal": "1"}))[2][5].count("*") == 8
    revealed = xlsx_rows(client.post(EXPORT, {"region": "371602003000", "colour": "red", "reveal": "1"}))
    assert revealed[2][5] == person_a.id_number
    event = AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).first()
    assert event is not None
    assert event.detail["revealed"] is True and event.detail["filters"]["colour"] == "red"


def test_export_reveal_needs_the_permission(users: Any, person_a: Any) -> None:
    client = login(users.leader)  # may export, may not reveal
    rows = xlsx_rows(client.post(EXPORT, {"reveal": "1"}))
    assert rows[2][5] == person_a.id_masked
    assert AccessEvent.objects.get(kind=AccessEventKind.EXPORT).detail["revealed"] is False
    assert login(users.nobody).get(EXPORT).status_code == 403


def test_export_of_an_empty_selection(users: Any, tree: Any) -> None:
    rows = xlsx_rows(login(users.worker_a).get(EXPORT))
    assert len(rows) == 2


# ---- markup properties ----------------------------------------------------------------------


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
# A file fetched from elsewhere: any src/href naming another host (a CSRF token may contain "cdn").
FOREIGN_ASSET = re.compile(r"""\s(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def test_pages_have_no_inline_code_or_styles(users: Any, person_a: Any, household_a: Any) -> None:
    client = login(users.worker_a)
    for url in [LIST, detail(person_a), reverse("registry:person_create"), LEDGER]:
        page = html(client.get(url))
        scripts = [m.group(0) for m in INLINE_SCRIPT.finditer(page) if "application/json" not in m.group(0)]
        assert scripts == [], url
        assert not INLINE_HANDLER.search(page), url
        assert not STYLE_ATTR.search(page), url
        assert not FOREIGN_ASSET.search(page), url
        assert "skip-link" in page and 'id="main"' in page


def test_nul_characters_are_refused_cleanly(users: Any, person_a: Any) -> None:
    """PostgreSQL text cannot hold NUL: refused (400 by the middleware, or a form error), never a 500."""
    client = login(users.worker_a)
    assert client.get(LIST, {"q": "a\x00b"}).status_code in (200, 400)
    form_post = client.post(SEARCH, {"q": "a\x00b"})
    assert form_post.status_code == 200 and form_post.context["form"].errors
    assert client.get(LEDGER, {"region": "\x00"}).status_code in (400, 404)
    assert client.get(reverse("home"), {"region": "\x00"}).status_code in (400, 404)


def test_english_interface(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    client.post(reverse("set_language"), {"language": "en", "next": LIST})
    page = html(client.get(LIST))
    assert "Residents" in page and "居民名单" not in page
    assert "Red" in html(client.get(detail(person_a)))
    assert "Four-colour ledger" in html(client.get(LEDGER))


# ---- bounded queries -------------------------------------------------------------------


def _count(client: Any, url: str, data: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_and_ledger_queries_do_not_grow_with_rows(
    users: Any, tree: Any, person_a: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(users.worker_a)
    small = {url: _count(client, url) for url in (LIST, LEDGER)}
    for i in range(30):
        PersonFactory(
            region=tree.grid_a if i % 2 else tree.community_a, category=(i % 7) + 1, level=(i % 4) + 1
        )
    large = {url: _count(client, url) for url in (LIST, LEDGER)}
    assert large == small
    # session (read, user, save ×3), grants, permissions ×3, then the page's own reads
    with django_assert_max_num_queries(15):
        client.get(LIST)
    with django_assert_max_num_queries(20):  # + the subtree's ids for the counts and the rows
        client.get(LEDGER)
    # the page's own 16, and each section's count (its rows only when it has some: a person
    # without records costs one query a section; tests/test_whole_view.py pins them with records),
    # the subsidies section's eligibility with its reasons (the person's facts: a fixed 25)
    with django_assert_max_num_queries(50):
        client.get(detail(person_a))
