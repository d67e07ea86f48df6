"""The household pages: opening a household, managing its members, its tags, a person without a
household joining one, and the person form picking or opening the household — each through the
services (history, scope), each refusing a household out of scope with the same 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories import PersonFactory, next_id_number
from wushe.registry import services
from wushe.registry.models import Household, HouseholdChangeKind, Person, Relation

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    return response.content.decode()


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


@pytest.fixture
def family(person_a: Any) -> Household:
    household = services.household_create(acting_user=None, head=person_a, address="幸福路1号")
    spouse = PersonFactory(name="祝王氏", region=person_a.region)
    services.household_add_member(acting_user=None, household=household, person=spouse, relation="spouse")
    return household


def test_household_page_is_named_by_its_head_and_lists_members(
    users: Any, person_a: Any, family: Household
) -> None:
    page = html(login(users.worker_a).get(reverse("registry:household_detail", args=[family.pk])))
    assert "祝长连户" in page and "幸福路1号" in page
    assert "户 #" not in page and f"#{family.pk}" not in page
    assert "祝王氏" in page and "配偶" in page and person_a.id_masked in page
    assert person_a.id_number not in page
    assert "成员变动" in page and "建户" in page
    assert reverse("registry:household_members", args=[family.pk]) in page


def test_a_household_without_a_head_is_named_by_where_it_lives(tree: Any) -> None:
    alone = PersonFactory(region=tree.grid_a)
    household = services.household_create(acting_user=None, head=alone, address="幸福路9号")
    services.household_remove_member(acting_user=None, person=fresh(alone), note="投靠子女")
    household = Household.objects.get(pk=household.pk)
    assert household.head is None
    assert household.name == str(household) == "幸福路9号的户（未登记户主）"


def test_open_a_household_from_the_create_page(tree: Any, users: Any) -> None:
    loner = PersonFactory(name="孤一", region=tree.grid_a)
    client = login(users.worker_a)
    url = reverse("registry:household_create")
    assert "孤一" in html(client.get(url, {"q": "孤一"}))
    assert "以孤一为户主新建一户" in html(client.get(url, {"head": loner.pk}))
    response = client.post(url, {"head": loner.pk, "address": "新路2号"})
    household = fresh(loner).household
    assert response.status_code == 302 and response["Location"].endswith(f"/households/{household.pk}/")  # type: ignore[union-attr]
    assert household.address == "新路2号" and household.changes.get().by == users.worker_a  # type: ignore[union-attr]
    # someone out of scope cannot be chosen as a head
    other = PersonFactory(region=tree.grid_b)
    client.post(url, {"head": other.pk})
    assert fresh(other).household_id is None


def test_manage_members_add_move_head_relation_leave(
    tree: Any, users: Any, person_a: Any, family: Household
) -> None:
    client = login(users.worker_a)
    page = reverse("registry:household_members", args=[family.pk])
    newcomer = PersonFactory(name="祝小宝", region=tree.grid_a)
    assert "加入本户" in html(client.get(page, {"member": newcomer.pk}))
    client.post(
        reverse("registry:household_member_add", args=[family.pk]),
        {"member": newcomer.pk, "relation": "child"},
    )
    assert (fresh(newcomer).household_id, fresh(newcomer).relation_to_head) == (family.pk, "child")

    # one who belongs to another household moves from it
    other = services.household_create(acting_user=None, head=PersonFactory(name="钱多", region=tree.grid_a))
    lodger = PersonFactory(name="钱少", region=tree.grid_a)
    services.household_add_member(acting_user=None, household=other, person=lodger, relation="sibling")
    assert "迁入本户" in html(client.get(page, {"member": lodger.pk}))
    client.post(
        reverse("registry:household_member_add", args=[family.pk]), {"member": lodger.pk, "relation": "other"}
    )
    assert fresh(lodger).household_id == family.pk
    assert other.changes.order_by("-id").first().kind == HouseholdChangeKind.MOVED_OUT  # type: ignore[union-attr]

    spouse = family.members.get(relation_to_head="spouse")
    client.post(
        reverse("registry:household_head", args=[family.pk]),
        {"person": spouse.pk, "former_head_relation": "spouse"},
    )
    assert fresh(spouse).relation_to_head == Relation.HEAD
    assert fresh(person_a).relation_to_head == Relation.SPOUSE

    client.post(
        reverse("registry:household_relation", args=[family.pk]),
        {"person": newcomer.pk, "relation": "grandchild"},
    )
    assert fresh(newcomer).relation_to_head == Relation.GRANDCHILD

    missing_reason = client.post(
        reverse("registry:household_leave", args=[family.pk]), {"person": newcomer.pk}
    )
    assert missing_reason.status_code == 302 and fresh(newcomer).household_id == family.pk
    client.post(
        reverse("registry:household_leave", args=[family.pk]), {"person": newcomer.pk, "note": "分户"}
    )
    assert fresh(newcomer).household_id is None

    # moving a member out: the target household is found by its head's name
    assert "钱多户" in html(client.get(page, {"target_q": "钱多"}))
    client.post(
        reverse("registry:household_move", args=[family.pk]),
        {"person": lodger.pk, "household": other.pk, "relation": "sibling"},
    )
    assert fresh(lodger).household_id == other.pk
    listed = html(client.get(reverse("registry:household_detail", args=[family.pk])))
    assert "迁往他户" in listed and "钱多户" in listed


def test_a_household_out_of_scope_is_a_404_and_a_reader_may_not_manage(
    users: Any, person_b: Any, family: Household
) -> None:
    foreign = services.household_create(acting_user=None, head=person_b)
    client = login(users.worker_a)
    for name in ("household_detail", "household_members", "household_tags"):
        assert client.get(reverse(f"registry:{name}", args=[foreign.pk])).status_code == 404
    post = client.post(
        reverse("registry:household_leave", args=[foreign.pk]), {"person": person_b.pk, "note": "x"}
    )
    assert post.status_code == 404 and fresh(person_b).household_id == foreign.pk
    leader = login(users.leader)
    assert leader.get(reverse("registry:household_detail", args=[family.pk])).status_code == 200
    assert leader.get(reverse("registry:household_members", args=[family.pk])).status_code == 403
    assert "管理成员" not in html(leader.get(reverse("registry:household_detail", args=[family.pk])))


def test_household_tags_page(users: Any, family: Household) -> None:
    client = login(users.worker_a)
    url = reverse("registry:household_tags", args=[family.pk])
    assert "低保" in html(client.get(url))
    assert client.post(url, {"tags": ["dibao"], "note": "民政认定"}).status_code == 302
    page = html(client.get(reverse("registry:household_detail", args=[family.pk])))
    assert "低保" in page and "民政认定" in page


def test_a_person_without_a_household_joins_or_opens_one(
    tree: Any, users: Any, person_a: Any, family: Household
) -> None:
    loner = PersonFactory(name="单身汉", region=tree.grid_a)
    client = login(users.worker_a)
    detail = html(client.get(reverse("registry:person_detail", args=[loner.pk])))
    join_url = reverse("registry:person_household", args=[loner.pk])
    assert "未登记户" in detail and join_url in detail
    found = html(client.get(join_url, {"q": "zcl"}))  # the head by pinyin initials
    assert "祝长连户" in found
    # an ID number is never searched from a URL
    assert "祝长连户" not in html(client.get(join_url, {"q": person_a.id_number}))
    client.post(join_url, {"household": family.pk, "relation": "sibling", "q": "zcl"})
    assert (fresh(loner).household_id, fresh(loner).relation_to_head) == (family.pk, "sibling")
    # one in a household is sent to it
    assert client.get(join_url).status_code == 302
    second = PersonFactory(name="独居者", region=tree.grid_a)
    client.post(reverse("registry:person_household", args=[second.pk]), {"open": "1", "address": ""})
    assert fresh(second).relation_to_head == Relation.HEAD


def test_the_person_form_opens_or_joins_a_household(tree: Any, users: Any, family: Household) -> None:
    client = login(users.worker_a)
    url = reverse("registry:person_create")
    base = {"name": "新户主", "id_number": next_id_number(), "region": tree.grid_a.code}
    client.post(url, {**base, "household_mode": "new"})
    head = Person.objects.get(name="新户主")
    assert head.relation_to_head == Relation.HEAD and head.household.changes.get().kind == "created"  # type: ignore[union-attr]

    # joining: the household is found by its head's name, and the form keeps what was typed
    typed = {
        "name": "新成员",
        "id_number": next_id_number(),
        "region": tree.grid_a.code,
        "household_q": "祝长连",
    }
    search = client.post(url, {**typed, "find_household": "1"})
    page = html(search)
    assert search.status_code == 200 and "祝长连户" in page and "新成员" in page
    assert not Person.objects.filter(name="新成员").exists()
    client.post(url, {**typed, "household_mode": "join", "household": family.pk, "relation_to_head": "child"})
    member = Person.objects.get(name="新成员")
    assert (member.household_id, member.relation_to_head) == (family.pk, "child")

    # the household page's "register a new member" link names the household
    preset = html(client.get(url, {"household": family.pk}))
    assert "祝长连户" in preset and 'value="join"' in preset

    # joining without choosing a household: the form says so, nothing is saved
    third = {
        "name": "第三人",
        "id_number": next_id_number(),
        "region": tree.grid_a.code,
        "household_mode": "join",
    }
    again = client.post(url, third)
    assert again.status_code == 200 and "household" in again.context["form"].errors
    assert not Person.objects.filter(name="第三人").exists()
