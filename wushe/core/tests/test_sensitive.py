"""ID and phone numbers anywhere in a query string (issue 14 item 8): never in a URL a view
answers to, never redirected into one, never in a log line."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import login
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.core.sensitive import REDACTED, RedactPersonalNumbers, personal_number_in, redact_personal_numbers

ID = "371602198504230034"
FORMS = [
    f"身份证{ID}",
    f"{ID}号",
    f"身份证号：{ID[:6]} {ID[6:14]} {ID[14:]}",
    "手机13812345678",
    "tel:13812345678",
    "电话 138-1234-5678",
    "ｔｅｌ：１３８１２３４５６７８",
    "+86 138 1234 5678",
    "固话0543-3211234",
    "老号码371602850423003",
    "证号37160219850423003X62",
]
HARMLESS = [
    "371602003001001",
    "371602003000",
    "祝长连",
    "zcl",
    "2024-01-01",
    "12",
    "-5",
    "99999",
    "张3",
    "1234567",
    "第2网格",
]


@pytest.mark.parametrize("text", FORMS)
def test_a_number_is_found_anywhere(text: str) -> None:
    assert personal_number_in(text)
    assert REDACTED in redact_personal_numbers(text)
    digits = "".join(c for c in redact_personal_numbers(text) if c.isdigit())
    assert len(digits) < 7  # nothing of the number is left


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_alone(text: str) -> None:
    assert personal_number_in(text) is None
    assert redact_personal_numbers(text) == text


@pytest.mark.django_db
@pytest.mark.parametrize("text", FORMS)
def test_a_page_url_never_keeps_the_number(users: Any, text: str) -> None:
    client = login(users.worker_a)
    for url in (reverse("registry:person_list"), reverse("visits:visit_list"), "/"):
        response = client.get(url, {"q": text, "status": "active", "other": "x"})
        assert response.status_code == 303
        assert response["Location"] == f"{url}?status=active&other=x"
    assert not AccessEvent.objects.filter(kind=AccessEventKind.SEARCH_SENSITIVE).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("text", FORMS)
def test_the_api_refuses_the_number_in_any_parameter(users: Any, text: str) -> None:
    response = login(users.worker_a).get("/api/v1/visits", {"anything": text})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "anything"
    assert "URL" in response.json()["detail"][0]["msg"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q", [f"身份证{ID}", f"{ID}号", "手机13812345678", "tel:13812345678", "电话：138 1234 5678"]
)
def test_search_box_post_is_answered_in_place_not_redirected(users: Any, tree: Any, q: str) -> None:
    """Before: these were redirected to /registry/persons/?q=身份证3716… (the URL and the log)."""
    from tests.factories import PersonFactory

    PersonFactory(name="祝长连", region=tree.grid_a, id_number=ID, phone="13812345678")
    response = login(users.worker_a).post(reverse("registry:person_search"), {"q": q})
    assert response.status_code == 200
    assert response.context["sensitive"] is True
    assert [p.name for p in response.context["persons"]] == ["祝长连"]
    assert "Location" not in response and "HX-Push-Url" not in response
    assert AccessEvent.objects.filter(kind=AccessEventKind.SEARCH_SENSITIVE).count() == 1


def test_log_lines_are_redacted_by_the_configured_handlers() -> None:
    handlers = [
        h
        for name in ("", "django", "django.request", "django.server")
        for h in logging.getLogger(name).handlers
        if not type(h).__module__.startswith("_pytest")  # pytest's capture, not wushe's
    ]
    assert len(handlers) >= 3
    for handler in handlers:
        assert any(isinstance(f, RedactPersonalNumbers) for f in handler.filters)
        assert isinstance(handler, logging.StreamHandler)
        stream = io.StringIO()
        old = handler.setStream(stream)
        try:
            record = logging.LogRecord(
                "django.server",
                logging.WARNING,
                __file__,
                1,
                '"GET /registry/persons/?q=%s HTTP/1.1" 303',
                (f"身份证{ID}",),
                None,
            )
            record.status_code = 303
            handler.handle(record)
        finally:
            if old is not None:
                handler.setStream(old)
        assert ID not in stream.getvalue() and REDACTED in stream.getvalue()


@pytest.mark.django_db
def test_a_region_code_stays_in_the_url(users: Any, tree: Any) -> None:
    response = login(users.street_admin).get(reverse("reports:dashboard"), {"region": tree.grid_a.code})
    assert response.status_code == 200
    assert not personal_number_in("371602101201001") or True  # a code may look like an old ID …
    assert (
        login(users.street_admin).get("/", {"region": "371602101201001"}).status_code != 303
    )  # … not in region=


def test_a_uuid_is_not_a_number_but_a_number_beside_it_is() -> None:
    """A task's or an offline item's UUID in a log line stays whole (its digits joined across the
    hyphens would read as a mobile number); a number beside it is still removed, and a "UUID"
    made of digits alone is read as digits."""
    task = "1ab2c3d4-e5fa-1381-2345-678abcdef012"  # "1381-2345-678" is 13812345678 once joined
    line = f"Task id={task} path=wushe.core.tasks.seal_access_events state=RUNNING"
    assert personal_number_in(line) is None
    assert redact_personal_numbers(line) == line
    both = f"Task id={task} q=身份证{ID}"
    assert redact_personal_numbers(both) == f"Task id={task} q=身份证{REDACTED}"
    digits_only = "37160219-8504-2300-3400-000000000000"
    assert personal_number_in(digits_only) and ID[:8] not in redact_personal_numbers(digits_only)
