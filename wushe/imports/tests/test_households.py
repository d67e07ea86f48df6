"""Household columns (户主姓名 / 户主身份证号 / 与户主关系): members joined to their head's
household through the registry's bulk service, heads listed after their members included;
unknown heads rejected with the reason; a second import of the same file changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import PersonFactory
from wushe.imports import engine
from wushe.imports.models import ImportJob, ImportLink, ImportRow, RowOutcome, RowPhase
from wushe.imports.rows import to_relation
from wushe.imports.services import job_create
from wushe.registry.models import Household, Person, Relation

from .ledgers import ident, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["序号", "姓名", "公民身份号码", "所属社区", "户主姓名", "户主身份证号", "与户主关系"]


def _upload(path: Path, users: Any, tree: Any) -> ImportJob:
    with path.open("rb") as fh:
        return job_create(acting_user=users.street_admin, region=tree.street, fileobj=fh, name=path.name)


def test_relations_as_people_write_them() -> None:
    assert [to_relation(v) for v in ("户主", "本人", "妻", "长子", "女儿", "母亲", "孙女", "妹妹", "儿媳")] == [
        "head", "head", "spouse", "child", "child", "parent", "grandchild", "sibling", "other"
    ]  # fmt: skip
    assert to_relation("") is None


def test_households_from_a_ledger(tree: Any, users: Any, tmp_path: Path) -> None:
    registered_head = PersonFactory(name="钱老", region=tree.community_a, id_number=ident(300))
    elsewhere_head = PersonFactory(name="孙老", region=tree.grid_a, id_number=ident(301))
    zhang, zhang_son = ident(310), ident(311)
    li_wife, li = ident(312), ident(313)
    unknown, bad = ident(399), ident(398)
    bad_head = bad[:17] + ("0" if bad[17] != "0" else "1")
    rows = [
        # 2: a head (relation 户主, own number)
        [1, "张父", zhang, "甲社区", "张父", zhang, "户主"],
        # 3: his son
        [2, "张子", zhang_son, "甲社区", "张父", zhang, "长子"],
        # 4: a wife listed before her husband, the head
        [3, "李妻", li_wife, "乙社区", "李夫", li, "妻"],
        # 5: the husband: head by his own number (no relation written)
        [4, "李夫", li, "乙社区", "", li, ""],
        # 6: a member of a head already registered
        [5, "钱孙", ident(314), "甲社区", "钱老", ident(300), "孙子"],
        # 7: a head nobody knows: rejected
        [6, "周某", ident(315), "甲社区", "周父", unknown, "子"],
        # 8: a head number with a wrong check character: rejected on that column
        [7, "吴某", ident(316), "甲社区", "", bad_head, "女"],
        # 9: "户主" but somebody else's number: rejected
        [8, "郑某", ident(317), "甲社区", "", zhang, "户主"],
        # 10: registered, but the head's household lives in another grid: 未入户
        [9, "孙女", ident(318), "甲社区", "孙老", ident(301), "孙女"],
    ]
    path = write_xlsx(
        tmp_path / "户.xlsx", rows, header=HEADER, title=False, notes=False, two_row_header=False
    )
    job = _upload(path, users, tree)
    assert job.mapping[4:] == ["head_name", "head_id", "relation"]
    assert engine.check(job).as_dict() == {"created": 6, "updated": 0, "unchanged": 0, "rejected": 3}
    assert engine.commit(job).as_dict() == {"created": 6, "updated": 0, "unchanged": 0, "rejected": 3}

    def member(name: str) -> Person:
        return Person.objects.get(name=name)

    zhang_home = member("张父").household
    assert zhang_home is not None and member("张父").relation_to_head == Relation.HEAD
    assert (member("张子").household, member("张子").relation_to_head) == (zhang_home, Relation.CHILD)
    li_home = member("李夫").household
    assert li_home is not None and li_home.region == tree.community_b
    assert (member("李妻").household, member("李妻").relation_to_head) == (li_home, Relation.SPOUSE)
    registered_head.refresh_from_db()
    assert registered_head.relation_to_head == Relation.HEAD
    assert member("钱孙").household == registered_head.household
    assert member("孙女").household is None  # registered, not joined
    assert Household.objects.count() == 3  # 张, 李, 钱: none for 孙老, whose only member could not join
    elsewhere_head.refresh_from_db()
    assert elsewhere_head.household is None

    reasons = dict(
        ImportRow.objects.filter(job=job, phase=RowPhase.COMMIT).values_list("row_number", "message")
    )
    outcomes = dict(
        ImportRow.objects.filter(job=job, phase=RowPhase.COMMIT).values_list("row_number", "outcome")
    )
    assert "户主既不在登记库中，也不在本台账中" in reasons[7] and reasons[7].startswith("“户主身份证号”")
    assert "“户主身份证号”：身份证号码校验码错误" in reasons[8]
    assert "但户主身份证号不是本人的" in reasons[9]
    assert outcomes[10] == RowOutcome.UNLINKED and "不在同一社区/网格" in reasons[10]
    assert not ImportLink.objects.exists()
    from python_calamine import CalamineWorkbook

    from wushe.imports.report import write_error_report

    assert write_error_report(job, RowPhase.COMMIT, tmp_path / "errors.xlsx") == 4  # 3 rejected, 1 未入户
    report = CalamineWorkbook.from_path(str(tmp_path / "errors.xlsx")).get_sheet_by_index(0).to_python()
    assert [r[0] for r in report[1:]] == ["7", "8", "9", "10"]
    history = member("张子").history.order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~"]  # registered, then joined, with history

    again = _upload(path, users, tree)
    assert engine.commit(again).as_dict() == {"created": 0, "updated": 0, "unchanged": 6, "rejected": 3}
    assert Household.objects.count() == 3
