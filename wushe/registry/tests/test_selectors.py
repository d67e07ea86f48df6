"""Every read of the registry: the one person filter, scoping, and the four-colour ledger."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PersonFactory, certificate_for, next_id_number
from wushe.accounts.models import User
from wushe.core.idgen import make_id_number
from wushe.core.models import RegionLevel
from wushe.core.services import region_create
from wushe.registry import services
from wushe.registry.models import LedgerColourRule, PersonStatus
from wushe.registry.selectors import (
    PersonFilters,
    categories_of_colour,
    colour_map,
    current_certificate,
    get_household_for_user,
    get_person_for_user,
    is_sensitive_query,
    ledger_counts,
    ledger_rows,
    open_tags,
    person_list,
)

TODAY = timezone.localdate()


def names(qs: Any) -> list[str]:
    return [p.name for p in qs]


@pytest.fixture
def people(tree: Any, person_a: Any, person_b: Any) -> dict[str, Any]:
    """祝长连 (red, grid A), 李四 (blue, community B) and a few more across the street."""
    zhu2 = PersonFactory(name="祝明", region=tree.community_a, phone="13700001111", tags=["低保"])
    chen = PersonFactory(name="陈长青", region=tree.grid_b, category=2, level=4, tags=["veteran"])
    zhao = PersonFactory(name="赵多重", region=tree.grid_b, category=7, level=1)
    zhang = PersonFactory(name="张智", region=tree.community_a, category=5, level=3, tags=["低保", "tekun"])
    far = PersonFactory(name="祝远", region=tree.community_c, category=6, level=1)
    return {
        "zhu": person_a,
        "li": person_b,
        "zhu2": zhu2,
        "chen": chen,
        "zhao": zhao,
        "zhang": zhang,
        "far": far,
    }


def search(user: Any, q: str, **kw: Any) -> set[str]:
    return set(names(person_list(user=user, filters=PersonFilters(q=q, **kw))))


# ---- q ----------------------------------------------------------------------------------


def test_q_by_name_prefix(users: Any, people: dict[str, Any]) -> None:
    admin = users.admin
    assert search(admin, "祝") == {"祝长连", "祝明", "祝远"}
    assert search(admin, "祝长") == {"祝长连"}
    assert search(admin, " 祝长连 ") == {"祝长连"}
    assert search(admin, "长连") == set()  # a prefix, not a substring
    assert search(users.street_admin, "祝") == {"祝长连", "祝明"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("zcl", {"祝长连"}),
        ("zzl", {"祝长连"}),  # 长 read zhǎng
        ("ZCL", {"祝长连"}),
        ("zhuchanglian", {"祝长连"}),
        ("zhu chang lian", {"祝长连"}),
        ("zhuzhanglian", {"祝长连"}),
        ("zhu", {"祝长连", "祝明"}),
        ("zm", {"祝明"}),
        ("ccq", {"陈长青"}),
        ("ls", {"李四"}),
        ("lisi", {"李四"}),
        ("zz", {"祝长连", "张智"}),
        ("xyz", set()),
        ("???", set()),
    ],
)
def test_q_by_pinyin_and_initials(users: Any, people: dict[str, Any], q: str, expected: set[str]) -> None:
    assert search(users.street_admin, q) == expected


def test_q_by_id_number(users: Any, people: dict[str, Any]) -> None:
    zhu = people["zhu"]
    number = zhu.id_number
    assert search(users.street_admin, number) == {"祝长连"}
    assert search(users.street_admin, f"{number[:6]} {number[6:14]}-{number[14:]}") == {"祝长连"}
    assert search(users.street_admin, number[:-1] + ("0" if number[-1] != "0" else "1")) == set()
    assert search(users.worker_b, number) == set()  # out of scope
    x_number = next(
        n for s in range(1000) if (n := make_id_number("371602", datetime.date(1977, 7, 7), s)).endswith("X")
    )
    x_person = PersonFactory(region=zhu.region, id_number=x_number)
    assert search(users.street_admin, x_person.id_number[:-1] + "x") == {x_person.name}


def test_q_by_legacy_id_number(tree: Any, users: Any) -> None:
    person = services.person_create(
        acting_user=None, region=tree.grid_a, name="老号", id_number="371602620809123"
    ).person
    assert search(users.worker_a, "371602620809123") == {"老号"}
    assert search(users.worker_a, person.id_number) == {"老号"}


def test_q_by_phone(users: Any, people: dict[str, Any]) -> None:
    for q in ("13812345678", "138 1234 5678", "+86 138-1234-5678", "+8613812345678", "008613812345678"):
        assert search(users.street_admin, q) == {"祝长连"}, q
    assert search(users.street_admin, "13700001111") == {"祝明"}
    assert search(users.street_admin, "13812345679") == set()
    assert search(users.worker_b, "13812345678") == set()


def test_q_by_certificate_number(users: Any, people: dict[str, Any]) -> None:
    zhu = people["zhu"]
    assert search(users.street_admin, certificate_for(zhu.id_number, 6, 2)) == {"祝长连"}
    # the holder's number with another category or level is not this certificate
    assert search(users.street_admin, certificate_for(zhu.id_number, 6, 3)) == set()
    assert search(users.street_admin, certificate_for(zhu.id_number, 4, 2)) == set()
    assert search(users.street_admin, certificate_for(people["zhu2"].id_number, 4, 2)) == set()
    assert search(users.worker_b, certificate_for(zhu.id_number, 6, 2)) == set()


# ---- the other filters ------------------------------------------------------------------


def test_filter_by_tag(users: Any, people: dict[str, Any]) -> None:
    assert search(users.street_admin, "", tag="dibao") == {"祝明", "张智"}
    assert search(users.street_admin, "", tag="低保") == {"祝明", "张智"}
    assert search(users.street_admin, "", tag="tekun") == {"张智"}
    assert search(users.worker_b, "", tag="dibao") == set()
    services.person_tags_set(acting_user=None, person=people["zhu2"], tags=[])
    assert search(users.street_admin, "", tag="dibao") == {"张智"}  # the closed tag no longer counts


def test_filter_by_colour_category_level(users: Any, people: dict[str, Any]) -> None:
    u = users.street_admin
    assert search(u, "", colour="red") == {"祝长连", "张智"}  # 精神 and 智力
    assert search(u, "", colour="blue") == {"李四"}
    assert search(u, "", colour="green") == {"陈长青"}
    assert search(u, "", colour="yellow") == {"赵多重"}
    assert search(u, "", category=6) == {"祝长连"}
    assert search(u, "", category=5) == {"张智"}
    assert search(u, "", level=1) == {"赵多重"}
    assert search(u, "", level=4) == {"陈长青"}
    assert search(u, "", colour="red", level=3) == {"张智"}
    assert search(u, "", colour="red", category=4) == set()
    assert search(u, "", disabled_only=True) == {"祝长连", "李四", "陈长青", "赵多重", "张智"}
    assert search(users.admin, "", category=6) == {"祝长连", "祝远"}
    assert search(u, "zz", colour="red") == {"祝长连", "张智"}


def test_filter_by_region_and_status(tree: Any, users: Any, people: dict[str, Any]) -> None:
    u = users.street_admin
    assert search(u, "", region=tree.community_a) == {"祝长连", "祝明", "张智"}
    assert search(u, "", region=tree.grid_b) == {"陈长青", "赵多重"}
    assert search(u, "", region=tree.community_c) == set()  # a region outside the scope adds nothing
    services.person_deregister(acting_user=None, person=people["li"], status=PersonStatus.MOVED)
    assert "李四" not in search(u, "")
    assert search(u, "", status=PersonStatus.MOVED) == {"李四"}
    assert "李四" in search(u, "", status="")


def test_filter_as_of_a_past_day(tree: Any, users: Any) -> None:
    start = TODAY - datetime.timedelta(days=60)
    number = next_id_number()
    person = services.person_create(
        acting_user=None,
        region=tree.grid_a,
        name="改类别",
        id_number=number,
        disability_certificate=certificate_for(number, 4, 2),
        valid_from=start,
    ).person
    services.certificate_set(
        acting_user=None,
        person=person,
        number=certificate_for(number, 1, 2),
        on=TODAY - datetime.timedelta(days=10),
    )
    past = TODAY - datetime.timedelta(days=30)
    assert search(users.worker_a, "", colour="blue") == set()
    assert search(users.worker_a, "", colour="green") == {"改类别"}
    assert search(users.worker_a, "", colour="blue", as_of=past) == {"改类别"}
    assert search(users.worker_a, "", colour="green", as_of=past) == set()


def test_person_list_order(users: Any, people: dict[str, Any]) -> None:
    listed = list(person_list(user=users.street_admin))
    assert [p.name for p in listed] == ["陈长青", "李四", "张智", "赵多重", "祝明", "祝长连"]
    by_pinyin = list(person_list(user=users.street_admin, filters=PersonFilters(q="z")))
    assert [p.name_pinyin for p in by_pinyin] == sorted(p.name_pinyin for p in by_pinyin)


def test_person_list_does_not_load_encrypted_columns(users: Any, people: dict[str, Any]) -> None:
    person = list(person_list(user=users.street_admin))[0]
    assert {"id_number", "phone", "contact_phone"} <= person.get_deferred_fields()
    assert person.id_masked.count("*") == 8


# ---- scoping of every selector ----------------------------------------------------------


def test_person_list_is_scoped(users: Any, people: dict[str, Any]) -> None:
    assert set(names(person_list(user=users.worker_a))) == {"祝长连", "祝明", "张智"}
    assert set(names(person_list(user=users.worker_b))) == {"李四", "陈长青", "赵多重"}
    assert set(names(person_list(user=users.leader))) == set(names(person_list(user=users.street_admin)))
    assert len(person_list(user=users.street_admin)) == 6
    assert len(person_list(user=users.admin)) == 7
    assert list(person_list(user=users.nobody)) == []


def test_get_person_and_household_for_user(users: Any, people: dict[str, Any]) -> None:
    zhu = people["zhu"]
    household = services.household_create(acting_user=None, head=zhu)
    child = PersonFactory(region=zhu.region)
    services.household_add_member(acting_user=None, household=household, person=child, relation="child")
    got = get_person_for_user(user=users.worker_a, pk=zhu.pk)
    assert got == zhu
    certificate = current_certificate(got)
    assert certificate is not None and certificate.category == 6
    assert open_tags(get_person_for_user(user=users.worker_a, pk=people["zhang"].pk)) == ["低保", "特困"]
    for user in (users.worker_b, users.nobody):
        with pytest.raises(Http404):
            get_person_for_user(user=user, pk=zhu.pk)
        with pytest.raises(Http404):
            get_household_for_user(user=user, pk=household.pk)
    with pytest.raises(Http404):
        get_person_for_user(user=users.admin, pk=10**9)
    h = get_household_for_user(user=users.worker_a, pk=household.pk)
    assert [m.relation_to_head for m in h.members.all()] == ["head", "child"]  # the head first


def test_ledger_is_scoped(tree: Any, users: Any, people: dict[str, Any]) -> None:
    assert ledger_counts(user=users.worker_a, region=tree.street).total == 2  # only 甲社区
    assert ledger_counts(user=users.worker_b, region=tree.street).total == 3
    assert ledger_counts(user=users.street_admin, region=tree.street).total == 5
    assert ledger_counts(user=users.street_admin, region=tree.county).total == 5
    assert ledger_counts(user=users.admin, region=tree.county).total == 6
    assert ledger_counts(user=None, region=tree.county).total == 6
    assert ledger_counts(user=users.nobody, region=tree.county).total == 0
    assert {c.person.name for c in ledger_rows(user=users.worker_a, region=tree.street)} == {"祝长连", "张智"}
    assert ledger_rows(user=users.nobody, region=tree.street).count() == 0
    assert ledger_rows(user=users.worker_b, region=tree.street, community=tree.community_a).count() == 0


# ---- the four-colour ledger -------------------------------------------------------------


def test_ledger_counts(tree: Any, users: Any, people: dict[str, Any]) -> None:
    counts = ledger_counts(user=users.street_admin, region=tree.street)
    assert counts.by_colour == {"red": 2, "blue": 1, "green": 1, "yellow": 1}
    assert counts.by_category == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1, 6: 1, 7: 1}
    assert counts.by_level == {1: 1, 2: 1, 3: 2, 4: 1}
    assert counts.total == 5
    # grids are rolled up into their communities
    assert [(r.code, colours, total) for r, colours, total in counts.by_community] == [
        ("371602003001", {"red": 2, "blue": 0, "green": 0, "yellow": 0}, 2),
        ("371602003002", {"red": 0, "blue": 1, "green": 1, "yellow": 1}, 3),
    ]
    one = ledger_counts(user=users.street_admin, region=tree.grid_b)
    assert one.by_colour == {"red": 0, "blue": 0, "green": 1, "yellow": 1}
    assert [(r.code, t) for r, _, t in one.by_community] == [("371602003002", 2)]


def test_ledger_rows(tree: Any, users: Any, people: dict[str, Any]) -> None:
    rows = ledger_rows(user=users.street_admin, region=tree.street)
    assert [(c.person.name, c.category) for c in rows] == [
        ("张智", 5),
        ("祝长连", 6),
        ("李四", 4),
        ("陈长青", 2),
        ("赵多重", 7),
    ]
    assert {
        c.person.name for c in ledger_rows(user=users.street_admin, region=tree.street, colour="red")
    } == {
        "祝长连",
        "张智",
    }
    assert [c.person.name for c in ledger_rows(user=users.street_admin, region=tree.street, level=1)] == [
        "赵多重"
    ]
    assert [c.person.name for c in ledger_rows(user=users.street_admin, region=tree.street, category=2)] == [
        "陈长青"
    ]
    assert {
        c.person.name
        for c in ledger_rows(user=users.street_admin, region=tree.street, community=tree.community_b)
    } == {"李四", "陈长青", "赵多重"}


def test_colour_mapping_is_configuration(tree: Any, users: Any, people: dict[str, Any]) -> None:
    assert sorted(categories_of_colour("red")) == [5, 6]
    LedgerColourRule.objects.filter(category=5).update(colour="yellow")  # 智力 filed with 多重
    assert colour_map()[5] == "yellow"
    assert sorted(categories_of_colour("yellow")) == [5, 7]
    counts = ledger_counts(user=users.street_admin, region=tree.street)
    assert counts.by_colour == {"red": 1, "blue": 1, "green": 1, "yellow": 2}
    assert search(users.street_admin, "", colour="yellow") == {"赵多重", "张智"}
    assert search(users.street_admin, "", colour="red") == {"祝长连"}
    # without any rule the default mapping applies
    LedgerColourRule.objects.all().delete()
    assert ledger_counts(user=users.street_admin, region=tree.street).by_colour == {
        "red": 2,
        "blue": 1,
        "green": 1,
        "yellow": 1,
    }


def test_ledger_counts_a_past_day_and_deregistered_people(
    tree: Any, users: Any, people: dict[str, Any]
) -> None:
    day = TODAY - datetime.timedelta(days=5)
    services.person_deregister(acting_user=None, person=people["zhao"], status=PersonStatus.DECEASED)
    counts = ledger_counts(user=users.street_admin, region=tree.street)
    assert counts.by_colour["yellow"] == 0 and counts.total == 4
    # the fixtures' certificates start today: five days ago nobody was on the ledger
    assert ledger_counts(user=users.street_admin, region=tree.street, as_of=day).total == 0


def _grow(tree: Any, n: int) -> None:
    grids = [
        region_create(
            acting_user=None,
            code=f"371602003002{100 + i:03d}",
            name=f"乙社区网格{i}",
            level=RegionLevel.GRID,
            parent=tree.community_b,
        )
        for i in range(3)
    ]
    for i in range(n):
        PersonFactory(region=grids[i % 3], category=i % 7 + 1, level=i % 4 + 1)


def _ledger_queries(user: Any, region: Any) -> int:
    fresh = User.objects.get(pk=user.pk)  # no cached grants
    with CaptureQueriesContext(connection) as ctx:
        ledger_counts(user=fresh, region=region)
    return len(ctx.captured_queries)


def test_ledger_counts_queries_do_not_grow_with_rows(
    tree: Any, users: Any, people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    small = _ledger_queries(users.street_admin, tree.street)
    _grow(tree, 40)
    large = _ledger_queries(users.street_admin, tree.street)
    assert small == large
    fresh = User.objects.get(pk=users.street_admin.pk)
    with django_assert_max_num_queries(6):  # grants, the subtree's ids, counts, regions ×2 …
        counts = ledger_counts(user=fresh, region=tree.street)
    assert counts.total == 45
    assert [(r.code, t) for r, _, t in counts.by_community] == [("371602003001", 2), ("371602003002", 43)]
    with django_assert_max_num_queries(5):
        assert ledger_counts(user=None, region=tree.county).total == 46


# ---- sensitive queries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "sensitive"),
    [
        ("37160219620809123X", True),
        ("37160219620809123x", True),
        ("371602 19620809 123X", True),
        ("371602620809123", True),
        ("37160219620809123X62", True),
        ("13812345678", True),
        ("+86 138-1234-5678", True),
        ("0543-3211234", True),
        ("１３８１２３４５６７８", True),
        ("1234567", True),
        ("123456", False),
        ("祝长连", False),
        ("zcl", False),
        ("zhuchanglian", False),
        ("张3", False),
        ("", False),
    ],
)
def test_is_sensitive_query(q: str, sensitive: bool) -> None:
    assert is_sensitive_query(q) is sensitive
