"""The registry's JSON API at /api/v1/, with bearer tokens and with the browser session."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories import PersonFactory, certificate_for, next_id_number
from wushe.accounts.services import api_token_issue
from wushe.core.metrics import Scope, as_json_values, compute
from wushe.core.models import AccessEvent, AccessEventKind, RegionLevel
from wushe.core.services import region_create
from wushe.registry.models import Person, PersonSearchKey, PersonTag


class Api:
    """A client speaking JSON to /api/v1/ with ``Authorization: Bearer <token>``."""

    def __init__(self, user: Any = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {api_token_issue(user=user)}"} if user is not None else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )


def session_api(user: Any) -> Api:
    return Api(client=login(user))


def fields_in(response: Any) -> set[str]:
    return {d["field"] for d in response.json()["detail"]}


def snapshot() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Person.history.count(),
        PersonSearchKey.objects.count(),
        PersonTag.objects.count(),
    )


# ---- authentication ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/regions", "/persons", "/persons/1", "/stats?region=371602003000", "/persons?q=zcl"]
)
def test_anonymous_gets_401(db: Any, path: str) -> None:
    assert Client().get(f"/api/v1{path}").status_code == 401


def test_anonymous_cannot_write(db: Any, tree: Any) -> None:
    anon = Api()
    before = snapshot()
    assert (
        anon.post(
            "/persons", {"name": "甲", "id_number": next_id_number(), "region": "371602003001"}
        ).status_code
        == 401
    )
    assert anon.post("/persons/search", {"q": "13812345678"}).status_code == 401
    assert anon.patch("/persons/1", {"name": "乙"}).status_code == 401
    assert snapshot() == before


def test_bad_or_revoked_token_gets_401(users: Any) -> None:
    from django.utils import timezone

    from wushe.accounts.models import ApiToken

    assert Client().get("/api/v1/regions", headers={"Authorization": "Bearer ws_nonsense"}).status_code == 401
    api = Api(users.worker_a)
    assert api.get("/regions").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert api.get("/regions").status_code == 401
    other = Api(users.worker_b)
    users.worker_b.is_active = False
    users.worker_b.save(update_fields=["is_active"])
    assert other.get("/regions").status_code == 401


def test_openapi_loads(db: Any) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/regions",
        "/api/v1/persons",
        "/api/v1/persons/search",
        "/api/v1/persons/{person_id}",
        "/api/v1/stats",
    ):
        assert path in paths
    # the search body is a body, not a query parameter (IDs never in URLs)
    search = paths["/api/v1/persons/search"]["post"]
    assert "requestBody" in search
    assert not any(p["name"] == "q" for p in search.get("parameters", []))


# ---- regions ----------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["token", "session"])
def test_regions_are_scoped(users: Any, auth: str) -> None:
    api = Api(users.worker_a) if auth == "token" else session_api(users.worker_a)
    response = api.get("/regions")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["items"] == [
        {"code": "371602003001", "name": "甲社区", "level": "community", "parent": "371602003000"},
        {"code": "371602003001001", "name": "甲社区第一网格", "level": "grid", "parent": "371602003001"},
    ]
    street = Api(users.street_admin).get("/regions", level="community").json()
    assert [(r["code"], r["name"]) for r in street["items"]] == [
        ("371602003001", "甲社区"),
        ("371602003002", "乙社区"),
    ]
    assert Api(users.nobody).get("/regions").json() == {"items": [], "count": 0}
    assert Api(users.admin).get("/regions").json()["count"] == 8


# ---- persons: list and search -----------------------------------------------------------


@pytest.mark.parametrize("auth", ["token", "session"])
def test_person_list_by_name_and_pinyin(users: Any, person_a: Any, person_b: Any, auth: str) -> None:
    api = Api(users.street_admin) if auth == "token" else session_api(users.street_admin)
    everyone = api.get("/persons").json()
    assert everyone["count"] == 2
    assert {p["name"] for p in everyone["items"]} == {"祝长连", "李四"}
    for q in ("zcl", "zhuchang", "祝"):
        body = api.get("/persons", q=q).json()
        assert [p["name"] for p in body["items"]] == ["祝长连"], q
    item = api.get("/persons", q="zcl").json()["items"][0]
    assert item == {
        "id": person_a.pk,
        "name": "祝长连",
        "id_number": person_a.id_masked,
        "sex": person_a.sex,
        "birth_date": person_a.birth_date.isoformat(),
        "region": "371602003001001",
        "region_name": "甲社区第一网格",
        "status": "active",
    }
    assert "********" in item["id_number"]
    assert person_a.id_number not in json.dumps(everyone)
    assert [p["name"] for p in api.get("/persons", region="371602003002").json()["items"]] == ["李四"]
    # scoped
    assert Api(users.worker_b).get("/persons", q="zcl").json()["count"] == 0
    response = Api(users.worker_b).get("/persons", region="371602003001")
    assert response.status_code == 422
    assert fields_in(response) == {"region"}


def test_person_list_pagination(tree: Any, users: Any) -> None:
    for _ in range(5):
        PersonFactory(region=tree.grid_a)
    api = Api(users.worker_a)
    page = api.get("/persons", limit=2, offset=2).json()
    assert page["count"] == 5
    assert len(page["items"]) == 2
    all_ids = [p["id"] for p in api.get("/persons").json()["items"]]
    assert [p["id"] for p in page["items"]] == all_ids[2:4]


@pytest.mark.parametrize(
    "q_of",
    [
        lambda p: p.id_number,
        lambda p: "13812345678",
        lambda p: "138 1234 5678",
        lambda p: certificate_for(p.id_number, 6, 2),
    ],
)
def test_sensitive_q_in_the_url_is_refused(users: Any, person_a: Any, q_of: Any) -> None:
    response = Api(users.worker_a).get("/persons", q=q_of(person_a))
    assert response.status_code == 422
    assert fields_in(response) == {"q"}
    assert not AccessEvent.objects.filter(kind=AccessEventKind.SEARCH_SENSITIVE).exists()


@pytest.mark.parametrize(
    "q_of",
    [
        lambda p: p.id_number,
        lambda p: "+86 138-1234-5678",
        lambda p: certificate_for(p.id_number, 6, 2),
    ],
)
def test_search_by_identifiers_in_the_body(users: Any, person_a: Any, person_b: Any, q_of: Any) -> None:
    api = Api(users.street_admin)
    response = api.post("/persons/search", {"q": q_of(person_a)})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [person_a.pk]
    event = AccessEvent.objects.get(kind=AccessEventKind.SEARCH_SENSITIVE)
    assert event.user == users.street_admin
    assert person_a.id_number not in json.dumps(event.detail)
    # out of scope: found nowhere
    assert Api(users.worker_b).post("/persons/search", {"q": q_of(person_a)}).json()["count"] == 0


def test_search_by_name_in_the_body_is_not_an_audit_event(users: Any, person_a: Any) -> None:
    response = Api(users.worker_a).post("/persons/search", {"q": "zcl"})
    assert [p["name"] for p in response.json()["items"]] == ["祝长连"]
    assert not AccessEvent.objects.filter(kind=AccessEventKind.SEARCH_SENSITIVE).exists()
    assert Api(users.worker_a).post("/persons/search", {"q": ""}).status_code == 422


# ---- persons: create --------------------------------------------------------------------


def test_create_person(users: Any, tree: Any) -> None:
    number = next_id_number()
    api = Api(users.worker_a)
    response = api.post(
        "/persons",
        {
            "name": "王五",
            "id_number": number,
            "region": "371602003001001",
            "phone": "13600001234",
            "tags": ["低保"],
            "disability_certificate": certificate_for(number, 4, 1),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert body["id_number"] == number[:6] + "********" + number[-4:]
    assert body["phone"] == "136****1234"
    assert body["region"] == "371602003001001"
    assert body["tags"] == ["低保"]
    assert (body["disability_category"], body["disability_level"], body["ledger_colour"]) == (4, 1, "blue")
    assert number not in response.content.decode()
    assert person.id_number == number
    assert person.history.first().history_user == users.worker_a


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": "37160219620809123"}, "id_number"),
        ({"id_number": "BAD"}, "id_number"),
        ({"phone": "123"}, "phone"),
        ({"tags": ["无此类别"]}, "tags"),
        ({"disability_certificate": "1" * 20}, "disability_certificate"),
        ({"region": "999999999999"}, "region"),  # unknown
        ({"region": "371602003002"}, "region"),  # out of scope
        ({"region": "371602003000"}, "region"),  # a street: persons live in communities or grids
    ],
)
def test_create_person_rejects_bad_input_and_writes_nothing(
    users: Any, tree: Any, change: dict[str, Any], field: str
) -> None:
    api = Api(users.street_admin if change.get("region") == "371602003000" else users.worker_a)
    before = snapshot()
    response = api.post(
        "/persons", {"name": "王五", "id_number": next_id_number(), "region": "371602003001", **change}
    )
    assert response.status_code == 422, response.content
    assert fields_in(response) == {field}
    assert all(d["msg"] for d in response.json()["detail"])
    assert snapshot() == before


def test_create_person_with_duplicate_id(users: Any, person_a: Any) -> None:
    before = snapshot()
    response = Api(users.worker_a).post(
        "/persons", {"name": "重复", "id_number": person_a.id_number, "region": "371602003001"}
    )
    assert response.status_code == 422
    assert fields_in(response) == {"id_number"}
    assert snapshot() == before


def test_create_person_needs_permission(users: Any, tree: Any) -> None:
    before = snapshot()
    response = Api(users.leader).post(
        "/persons", {"name": "王五", "id_number": next_id_number(), "region": "371602003001"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_create_person_schema_errors(users: Any, tree: Any) -> None:
    response = Api(users.worker_a).post("/persons", {"name": "王五", "region": "371602003001"})
    assert response.status_code in (400, 422)
    assert "id_number" in response.content.decode()
    assert Person.objects.count() == 0


# ---- persons: detail, reveal, patch -----------------------------------------------------


def test_person_detail_and_404s(users: Any, person_a: Any, person_b: Any) -> None:
    api = Api(users.worker_a)
    body = api.get(f"/persons/{person_a.pk}").json()
    assert body["id"] == person_a.pk
    assert body["id_number"] == person_a.id_masked
    assert body["phone"] == "138****5678"
    assert (body["disability_category"], body["disability_level"], body["ledger_colour"]) == (6, 2, "red")
    out_of_scope = api.get(f"/persons/{person_b.pk}")
    missing = api.get(f"/persons/{person_b.pk + 1000}")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()


def test_reveal_needs_the_permission_and_is_recorded(users: Any, person_a: Any) -> None:
    leader = Api(users.leader).get(f"/persons/{person_a.pk}", reveal="true")
    assert leader.status_code == 200
    assert leader.json()["id_number"] == person_a.id_masked
    assert leader.json()["phone"] == "138****5678"
    assert not AccessEvent.objects.filter(kind=AccessEventKind.REVEAL).exists()

    worker = Api(users.worker_a)
    masked = worker.get(f"/persons/{person_a.pk}").json()
    assert masked["id_number"] == person_a.id_masked
    assert not AccessEvent.objects.filter(kind=AccessEventKind.REVEAL).exists()
    full = worker.get(f"/persons/{person_a.pk}", reveal="true").json()
    assert full["id_number"] == person_a.id_number
    assert full["phone"] == "13812345678"
    event = AccessEvent.objects.get(kind=AccessEventKind.REVEAL)
    assert (event.user, event.object_id) == (users.worker_a, str(person_a.pk))


def test_patch_person(users: Any, tree: Any, person_a: Any) -> None:
    api = Api(users.street_admin)
    response = api.patch(
        f"/persons/{person_a.pk}",
        {
            "name": "祝长远",
            "phone": "13500002222",
            "region": "371602003002",
            "tags": ["特困"],
            "disability_certificate": certificate_for(person_a.id_number, 6, 1),
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "祝长远"
    assert body["phone"] == "135****2222"
    assert body["region"] == "371602003002"
    assert body["tags"] == ["特困"]
    assert body["disability_level"] == 1
    person = Person.objects.get(pk=person_a.pk)
    assert (person.name, person.phone, person.region) == ("祝长远", "13500002222", tree.community_b)
    assert person.history.first().history_user == users.street_admin


def test_patch_is_all_or_nothing(users: Any, person_a: Any) -> None:
    api = Api(users.worker_a)
    before = snapshot()
    stored = Person.objects.filter(pk=person_a.pk).values().get()
    response = api.patch(f"/persons/{person_a.pk}", {"name": "新名字", "phone": "12"})
    assert response.status_code == 422
    assert fields_in(response) == {"phone"}
    response = api.patch(f"/persons/{person_a.pk}", {"name": "新名字", "region": "371602003002"})
    assert response.status_code == 422
    assert fields_in(response) == {"region"}
    response = api.patch(f"/persons/{person_a.pk}", {"name": "新名字", "tags": ["无此类别"]})
    assert response.status_code == 422
    assert snapshot() == before
    assert Person.objects.filter(pk=person_a.pk).values().get() == stored


def test_patch_out_of_scope_is_404(users: Any, person_a: Any, person_b: Any) -> None:
    response = Api(users.worker_a).patch(f"/persons/{person_b.pk}", {"name": "改"})
    assert response.status_code == 404
    assert (
        Api(users.worker_a).patch(f"/persons/{person_b.pk + 1000}", {"name": "改"}).json() == response.json()
    )
    assert Person.objects.get(pk=person_b.pk).name == "李四"
    assert Api(users.leader).patch(f"/persons/{person_a.pk}", {"name": "改"}).status_code == 403
    assert Person.objects.get(pk=person_a.pk).name == "祝长连"


# ---- stats ------------------------------------------------------------------------------


def test_stats_match_the_metric_registry(users: Any, tree: Any, person_a: Any, person_b: Any) -> None:
    api = Api(users.street_admin)
    response = api.get("/stats", region="371602003000")
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == {"code": "371602003000", "name": "市西街道"}
    expected = as_json_values(compute(Scope(region=tree.street, user=users.street_admin)))
    assert body["metrics"] == expected
    assert body["metrics"]["ledger.red"] == 1
    assert body["metrics"]["ledger.blue"] == 1
    assert body["metrics"]["persons"] == 2
    # by name too, and the default is the caller's top region
    assert api.get("/stats", region="市西街道").json() == body
    assert api.get("/stats").json() == body


def test_posting_a_mental_certificate_raises_ledger_red(users: Any, tree: Any, person_a: Any) -> None:
    api = Api(users.worker_a)
    red_before = api.get("/stats", region="371602003001").json()["metrics"]["ledger.red"]
    number = next_id_number()
    response = api.post(
        "/persons",
        {
            "name": "精神",
            "id_number": number,
            "region": "371602003001",
            "disability_certificate": certificate_for(number, 6, 3),
        },
    )
    assert response.status_code == 201
    after = api.get("/stats", region="371602003001").json()["metrics"]
    assert after["ledger.red"] == red_before + 1 == 2
    assert after["category.6"] == 2
    assert after["level.3"] == 1


def test_stats_are_scoped(users: Any, tree: Any, person_a: Any, person_b: Any) -> None:
    assert Api(users.worker_a).get("/stats", region="371602003002").status_code == 404
    assert Api(users.worker_a).get("/stats", region="371602003000").status_code == 404
    assert Api(users.worker_a).get("/stats").json()["region"]["code"] == "371602003001"
    assert Api(users.nobody).get("/stats").status_code == 422
    response = Api(users.street_admin).get(
        "/stats", region="371602003000", **{"from": "2025-02-01", "to": "2025-01-01"}
    )
    assert response.status_code == 422


# ---- query counts -----------------------------------------------------------------------


def _grow(tree: Any, n: int) -> None:
    for i in range(n):
        PersonFactory(region=tree.grid_a if i % 2 else tree.community_a, category=i % 7 + 1)


def _queries(django_assert_num_queries: Any, api: Any, path: str, expected: int, **params: Any) -> None:
    with django_assert_num_queries(expected):
        response = api.get(path, **params)
    assert response.status_code == 200


# token: the token, the caller's grants, COUNT, one page (+ the region of ?region= and its
# subtree's ids).
# session: the session, the user, the grants, COUNT, one page, and the session saved again
# (SESSION_SAVE_EVERY_REQUEST: savepoint, UPDATE, release).
@pytest.mark.parametrize(
    ("path", "params", "token_queries", "session_queries"),
    [
        ("/persons", {}, 4, 8),
        ("/persons", {"q": "zcl"}, 4, 8),
        ("/persons", {"region": "371602003001"}, 6, 10),
        ("/regions", {}, 4, 8),
    ],
)
def test_list_query_counts_are_pinned(
    users: Any,
    tree: Any,
    person_a: Any,
    django_assert_num_queries: Any,
    path: str,
    params: dict[str, Any],
    token_queries: int,
    session_queries: int,
) -> None:
    token_api = Api(users.worker_a)
    token_api.get("/regions")  # the token's last_used_at is written once a minute, not on every call
    session = session_api(users.worker_a)
    _queries(django_assert_num_queries, token_api, path, token_queries, **params)
    _queries(django_assert_num_queries, session, path, session_queries, **params)
    _grow(tree, 30)
    region_create(
        acting_user=None,
        code="371602003001009",
        name="新网格",
        level=RegionLevel.GRID,
        parent=tree.community_a,
    )
    _queries(django_assert_num_queries, token_api, path, token_queries, **params)
    _queries(django_assert_num_queries, session, path, session_queries, **params)


def test_search_query_count_is_pinned(
    users: Any, tree: Any, person_a: Any, django_assert_num_queries: Any
) -> None:
    api = Api(users.worker_a)
    api.get("/regions")
    # the token, the grants, the audit event, COUNT, one page
    with django_assert_num_queries(5):
        response = api.post("/persons/search", {"q": "13812345678"})
    assert response.json()["count"] == 1
    _grow(tree, 20)
    with django_assert_num_queries(5):
        response = api.post("/persons/search", {"q": person_a.id_number})
    assert response.json()["count"] == 1


def test_stats_query_count_does_not_grow(
    users: Any, tree: Any, person_a: Any, django_assert_max_num_queries: Any
) -> None:
    api = Api(users.worker_a)
    api.get("/regions")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        api.get("/stats", region="371602003001")
    _grow(tree, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get("/stats", region="371602003001").json()["metrics"]["disabled"] == 31
