"""Issue 14, item 5: an ID number registered outside the user's scope answers one neutral
message whatever that person's status (在册 / 迁出 / 死亡) or region — through the service, the
form, the API and the import's dry run — and nothing is written."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import login
from tests.factories import PersonFactory
from wushe.imports import engine
from wushe.imports.models import ImportRow, RowPhase
from wushe.imports.services import job_create
from wushe.registry import services
from wushe.registry.models import Person, PersonStatus
from wushe.registry.tests.test_api import Api

pytestmark = pytest.mark.django_db

NEUTRAL = "该身份证号码无法在本区域登记，请联系街道管理员核实"


@pytest.fixture
def outsiders(tree: Any) -> dict[str, Any]:
    """People of 乙社区 (a sibling of worker_a's 甲社区) in each status, and one of another street."""
    dead = PersonFactory(name="亡者", region=tree.community_b)
    services.person_deregister(
        acting_user=None, person=dead, status=PersonStatus.DECEASED, on=datetime.date(2024, 1, 2)
    )
    moved = PersonFactory(name="迁者", region=tree.grid_b)
    services.person_deregister(
        acting_user=None, person=moved, status=PersonStatus.MOVED, on=datetime.date(2024, 1, 2)
    )
    return {
        "sibling_dead": dead,
        "sibling_living": PersonFactory(name="在者", region=tree.community_b),
        "sibling_moved": moved,
        "other_street": PersonFactory(name="外街", region=tree.community_c),
    }


def _snapshot() -> list[tuple[Any, ...]]:
    return sorted(Person.objects.values_list("pk", "name", "region_id", "status", "updated_at"))


def test_service_answers_the_same_for_every_outsider(
    tree: Any, users: Any, outsiders: dict[str, Any]
) -> None:
    before = _snapshot()
    answers = set()
    for person in outsiders.values():
        with pytest.raises(ValidationError) as exc:
            services.person_create(
                acting_user=users.worker_a, region=tree.community_a, name="新人", id_number=person.id_number
            )
        answers.add(str(exc.value.message_dict))
    assert answers == {str({"id_number": [NEUTRAL]})}
    assert _snapshot() == before


def test_changing_an_id_to_an_outsiders_answers_the_same(
    tree: Any, users: Any, person_a: Any, outsiders: dict[str, Any]
) -> None:
    for person in outsiders.values():
        with pytest.raises(ValidationError) as exc:
            services.person_update(acting_user=users.worker_a, person=person_a, id_number=person.id_number)
        assert exc.value.message_dict == {"id_number": [NEUTRAL]}
    person_a.refresh_from_db()
    assert person_a.id_number not in {p.id_number for p in outsiders.values()}


def test_within_scope_the_duplicate_is_still_named(
    tree: Any, users: Any, person_a: Any, person_b: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            acting_user=users.worker_a, region=tree.community_a, name="重号", id_number=person_a.id_number
        )
    assert exc.value.message_dict == {"id_number": ["该身份证号码已登记"]}
    # the street administrator sees 乙社区 too: for them it is a duplicate, not a refusal
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            acting_user=users.street_admin, region=tree.community_a, name="重号", id_number=person_b.id_number
        )
    assert exc.value.message_dict == {"id_number": ["该身份证号码已登记"]}


def test_region_is_checked_first(tree: Any, users: Any, outsiders: dict[str, Any]) -> None:
    """A region outside the scope is refused for its region, whatever the ID number."""
    for number in [p.id_number for p in outsiders.values()] + ["110101199003070018"]:
        with pytest.raises(ValidationError) as exc:
            services.person_create(
                acting_user=users.worker_a, region=tree.community_b, name="某", id_number=number
            )
        assert list(exc.value.message_dict) == ["region"]


def test_form_cannot_tell_outsiders_apart(tree: Any, users: Any, outsiders: dict[str, Any]) -> None:
    client = login(users.worker_a)
    before = _snapshot()
    answers = []
    for person in outsiders.values():
        response = client.post(
            reverse("registry:person_create"),
            {"name": "新人", "id_number": person.id_number, "region": tree.community_a.code},
        )
        page = response.content.decode()
        assert NEUTRAL in page and "该身份证号码已登记" not in page
        answers.append((response.status_code, response.context["form"].errors.get_json_data()))
    assert answers == [(200, {"id_number": [{"message": NEUTRAL, "code": ""}]})] * len(outsiders)
    assert _snapshot() == before


def test_api_cannot_tell_outsiders_apart(tree: Any, users: Any, outsiders: dict[str, Any]) -> None:
    api = Api(users.worker_a)
    before = _snapshot()
    answers = []
    for person in outsiders.values():
        response = api.post(
            "/persons", {"name": "新人", "id_number": person.id_number, "region": tree.community_a.code}
        )
        answers.append((response.status_code, response.json()))
    assert answers == [
        (422, {"detail": [{"loc": ["body", "id_number"], "field": "id_number", "msg": NEUTRAL}]})
    ] * len(outsiders)
    assert _snapshot() == before


def test_import_dry_run_cannot_tell_outsiders_apart(tree: Any, users: Any, outsiders: dict[str, Any]) -> None:
    lines = ["姓名,身份证号,所属社区"] + [
        f"新人{i},{p.id_number},甲社区" for i, p in enumerate(outsiders.values())
    ]
    job = job_create(
        acting_user=users.worker_a,
        region=tree.community_a,
        fileobj=io.BytesIO("\n".join(lines).encode()),
        name="台账.csv",
    )
    before = _snapshot()
    counts = engine.check(job)
    assert counts.as_dict() == {"created": 0, "updated": 0, "unchanged": 0, "rejected": len(outsiders)}
    rows = ImportRow.objects.filter(job=job, phase=RowPhase.CHECK).order_by("row_number")
    assert {(r.outcome, r.message) for r in rows} == {("rejected", NEUTRAL)}
    assert rows.count() == len(outsiders)
    assert engine.commit(job).as_dict() == counts.as_dict()  # the commit decides the same, writes nothing
    assert _snapshot() == before


def test_import_within_scope_still_explains(tree: Any, users: Any, person_b: Any) -> None:
    """The street administrator importing into 甲社区 sees 乙社区: the usual messages stay."""
    services.person_deregister(
        acting_user=None, person=person_b, status=PersonStatus.DECEASED, on=datetime.date(2024, 1, 2)
    )
    body = f"姓名,身份证号,所属社区\n李四,{person_b.id_number},甲社区\n".encode()
    job = job_create(
        acting_user=users.street_admin, region=tree.community_a, fileobj=io.BytesIO(body), name="a.csv"
    )
    engine.check(job)
    assert "死亡" in ImportRow.objects.get(job=job, phase=RowPhase.CHECK).message
