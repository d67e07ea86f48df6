"""A messy ledger end to end: exact counts and reasons, dry run vs commit, idempotence, newer data."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import PersonFactory
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.imports import engine
from wushe.imports.models import ImportJob, ImportRow, ImportStatus, RowOutcome, RowPhase
from wushe.imports.services import job_create
from wushe.registry.models import DisabilityCertificate, Person, PersonSearchKey, PersonTag
from wushe.registry.services import id_hash, person_update

from .ledgers import Number, cert, ident, write_xlsx

pytestmark = pytest.mark.django_db


def _birth(id_number: str) -> datetime.date:
    return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def _with_x() -> str:
    n = 30
    while not ident(n).endswith("X"):
        n += 1
    return ident(n)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


class Ledger:
    """The rows of the messy ledger and what each must become (rows start at Excel row 6)."""

    def __init__(self, tree: Any) -> None:
        self.existing_same = PersonFactory(
            name="祝长连", region=tree.grid_a, phone="13812345678", id_number=ident(900), category=6, level=2
        )
        self.existing_changed = PersonFactory(
            name="刘红", region=tree.community_b, phone="13700000001", id_number=ident(901)
        )
        a, b, c, d, g, h = ident(1), ident(2), _with_x(), ident(4), ident(7), ident(8)
        self.a, self.b, self.c, self.d, self.g, self.h = a, b, c, d, g, h
        legacy = d[:6] + d[8:17]
        e, f = ident(5), ident(6)
        k, m = ident(11), ident(13)
        bad_checksum = m[:17] + ("0" if m[17] != "0" else "1")
        n = ident(14)
        n_birth = _birth(n) + datetime.timedelta(days=1)
        self.rows = [
            # 6: complete row, date cell, certificate agreeing with category and level, a tag
            [1, "张三", "男" if int(a[16]) % 2 else "女", a, _birth(a), "13812340001", "幸福路1号", "甲社区", "第一网格",
             cert(a, 4, 2), "肢体", "二级", "低保"],
            # 7: full-width ID, phone with spaces and hyphens, slashed date
            [2, "李四", "", _fullwidth(b), f"{_birth(b):%Y/%-m/%-d}", "139 1234-0002", "", "乙社区", "", "", "", "", ""],
            # 8: lower-case x, 年月日 date, category and level as number cells
            [3, "王五", "", c.lower(), f"{_birth(c):%Y年%-m月%-d日}", "", "", "甲社区", "", "", Number(4.0), Number(2), ""],
            # 9: 15-digit legacy ID, dotted date
            [4, "赵六", "", legacy, f"{_birth(d):%Y.%-m.%-d}", "", "", "甲社区", "", "", "", "", ""],
            # 10: an 18-digit ID in a number cell: digits lost
            [5, "孙七", "", Number(float(e)), "", "", "", "甲社区", "", "", "", "", ""],
            # 11: a phone saved as scientific notation
            [6, "周八", "", f, "", "1.38123E+10", "", "甲社区", "", "", "", "", ""],
            # 12: a mobile number in a number cell is exact: accepted
            [7, "吴九", "", g, "", Number(13912340007.0), "", "甲社区", "", "", "", "", ""],
            # 13: birth date as an Excel serial number (conflicts with row 20 below)
            [8, "郑十", "", h, Number(float((_birth(h) - datetime.date(1899, 12, 30)).days)), "", "东街", "乙社区", "",
             "", "", "", ""],
            # 14: row 6 again, identical
            [9, "张三", "", a, "", "13812340001", "幸福路1号", "甲社区", "第一网格", cert(a, 4, 2), "肢体", "二级", "低保"],
            # 15: certificate of somebody else
            [10, "钱一", "", k, "", "", "", "甲社区", "", cert(ident(12), 4, 2), "", "", ""],
            # 16: a community of another street
            [11, "冯二", "", ident(15), "", "", "", "丙社区", "", "", "", "", ""],
            # 17: wrong check character
            [12, "陈三", "", bad_checksum, "", "", "", "甲社区", "", "", "", "", ""],
            # 18: birth date that disagrees with the ID
            [13, "褚四", "", n, n_birth.isoformat(), "", "", "甲社区", "", "", "", "", ""],
            # 19: a registered person, nothing new
            [14, "祝长连", "", ident(900), "", "13812345678", "", "甲社区", "第一网格", "", "精神", "二级", ""],
            # 20: row 13's person with another address: both rejected
            [15, "郑十", "", h, "", "", "西街", "乙社区", "", "", "", "", ""],
            # 21: a registered person with a new phone: updated
            [16, "刘红", "", ident(901), "", "13700000002", "", "乙社区", "", "", "", "", ""],
            # 22: an unknown person category
            [17, "卫五", "", ident(16), "", "", "", "甲社区", "", "", "", "", "残疾人"],
            [],  # 23: an empty row
            # 24: a category without its level
            [18, "蒋六", "", ident(17), "", "", "", "甲社区", "", "", "视力", "", ""],
        ]  # fmt: skip

    def write(self, path: Path) -> Path:
        return write_xlsx(path, self.rows)


EXPECTED_REJECTED = {
    10: "数字已经丢失",
    11: "科学计数法|数字已经丢失",
    13: "与第20行是同一身份证号码，但“家庭住址”不同",
    15: "残疾人证号前18位须与持证人身份证号码一致",
    16: "“所属社区”：“丙社区”不是本次导入区域内的社区/村",
    17: "“公民身份号码”：身份证号码校验码错误",
    18: "“出生日期”：与身份证号码中的出生日期",
    20: "与第13行是同一身份证号码",
    22: "“人员类别”：未知的人员类别：残疾人",
    24: "“等级”：填写了残疾类别和残疾等级中的一项",
}


def _upload(path: Path, user: Any, region: Any) -> ImportJob:
    with path.open("rb") as fh:
        return job_create(acting_user=user, region=region, fileobj=fh, name=path.name)


def _rows(job: ImportJob, phase: str) -> dict[int, tuple[str, str]]:
    return {r.row_number: (r.outcome, r.message) for r in ImportRow.objects.filter(job=job, phase=phase)}


def test_messy_ledger_dry_run_then_commit(tree: Any, users: Any, tmp_path: Path) -> None:
    ledger = Ledger(tree)
    job = _upload(ledger.write(tmp_path / "台账.xlsx"), users.street_admin, tree.street)
    assert job.mapping[3] == "id_number" and (job.header_first, job.header_last) == (4, 5)
    persons_before = Person.objects.count()

    counts = engine.check(job)
    assert counts.as_dict() == {"created": 5, "updated": 1, "unchanged": 2, "rejected": 10}
    assert Person.objects.count() == persons_before  # a dry run writes nothing to the registry
    job.refresh_from_db()
    assert (
        job.status == ImportStatus.CHECKED and job.total_rows == 18 and job.check_counts == counts.as_dict()
    )
    checked = _rows(job, RowPhase.CHECK)
    rejected = {n: m for n, (o, m) in checked.items() if o == RowOutcome.REJECTED}
    assert set(rejected) == set(EXPECTED_REJECTED)
    for number, pattern in EXPECTED_REJECTED.items():
        assert any(p in rejected[number] for p in pattern.split("|")), (number, rejected[number])
    assert checked[14] == (RowOutcome.DUPLICATE, "与第6行是同一人，内容一致，已合并")
    assert checked[21][0] == RowOutcome.UPDATED and "联系电话：原号码 → 137****0002" in checked[21][1]

    counts = engine.commit(job)
    assert counts.as_dict() == {"created": 5, "updated": 1, "unchanged": 2, "rejected": 10}
    assert _rows(job, RowPhase.COMMIT) == checked  # the dry run said exactly what happened
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.committed_through == 24 and job.rows_done == 18

    people = {p.id_number: p for p in Person.objects.all()}
    assert len(people) == persons_before + 5
    a = people[ledger.a]
    assert (a.name, a.region_id, a.phone, a.address, a.name_pinyin) == (
        "张三", tree.grid_a.pk, "13812340001", "幸福路1号", "zhangsan"
    )  # fmt: skip
    assert set(PersonSearchKey.objects.filter(person=a).values_list("key", flat=True)) == {"zhangsan", "zs"}
    cert_a = DisabilityCertificate.objects.get(person=a)
    assert (cert_a.category, cert_a.level, cert_a.region_id) == (4, 2, tree.grid_a.pk)
    assert PersonTag.objects.get(person=a).tag.name == "低保"
    assert people[ledger.b].region_id == tree.community_b.pk and people[ledger.b].phone == "13912340002"
    assert DisabilityCertificate.objects.get(person=people[ledger.c]).category == 4  # from 4.0 / 2
    assert ledger.d in people  # the 15-digit number, converted
    assert people[ledger.g].phone == "13912340007"
    assert ledger.h not in people  # contradicting rows: neither imported
    changed = Person.objects.get(pk=ledger.existing_changed.pk)
    assert changed.phone == "13700000002"
    assert changed.history.first().history_change_reason == f"台账导入 #{job.pk}"
    assert changed.history.first().history_user == users.street_admin
    assert a.history.get().history_type == "+"
    assert DisabilityCertificate.history.filter(person_id=a.pk, history_type="+").count() == 1
    with connection.cursor() as cursor:  # identifiers are encrypted at rest, in history too
        cursor.execute("SELECT id_number, phone FROM registry_historicalperson WHERE id = %s", [a.pk])
        assert all(v.startswith("a1:") for v in cursor.fetchone())
        cursor.execute("SELECT id_number FROM registry_person WHERE id = %s", [a.pk])
        assert cursor.fetchone()[0].startswith("a1:")

    event = AccessEvent.objects.get(kind=AccessEventKind.IMPORT)
    assert event.user == users.street_admin and event.object_id == str(job.pk)
    assert event.detail["sha256"] == job.sha256
    assert {k: event.detail[k] for k in ("created", "updated", "unchanged", "rejected")} == counts.as_dict()


def test_the_same_file_twice_changes_nothing(tree: Any, users: Any, tmp_path: Path) -> None:
    ledger = Ledger(tree)
    path = ledger.write(tmp_path / "台账.xlsx")
    engine.commit(_upload(path, users.street_admin, tree.street))
    snapshot = _registry()
    second = _upload(path, users.street_admin, tree.street)
    counts = engine.commit(second)
    assert counts.as_dict() == {"created": 0, "updated": 0, "unchanged": 8, "rejected": 10}
    assert _registry() == snapshot


def test_newer_registry_data_is_not_overwritten(tree: Any, users: Any, tmp_path: Path) -> None:
    ledger = Ledger(tree)
    job = _upload(ledger.write(tmp_path / "台账.xlsx"), users.street_admin, tree.street)
    person_update(
        acting_user=users.street_admin, person=ledger.existing_changed, address="新地址"
    )  # after upload
    counts = engine.commit(job)
    assert counts.as_dict() == {"created": 5, "updated": 0, "unchanged": 2, "rejected": 11}
    outcome, message = _rows(job, RowPhase.COMMIT)[21]
    assert outcome == RowOutcome.REJECTED and "在台账日期之后" in message and "未覆盖" in message
    assert Person.objects.get(pk=ledger.existing_changed.pk).phone == "13700000001"


def test_person_registered_outside_the_region_is_left_alone(tree: Any, users: Any, tmp_path: Path) -> None:
    elsewhere = PersonFactory(name="林一", region=tree.community_c, id_number=ident(500))
    path = write_xlsx(tmp_path / "x.xlsx", [[1, "林一", "", ident(500), "", "13800000000", "", "甲社区"]])
    job = _upload(path, users.street_admin, tree.street)
    assert engine.commit(job).as_dict() == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    # outside the importer's scope: the neutral answer, which tells nothing about that person
    assert ImportRow.objects.get(job=job).message == "该身份证号码无法在本区域登记，请联系街道管理员核实"
    assert Person.objects.get(pk=elsewhere.pk).region == tree.community_c


def test_region_from_the_target_and_moves_within_it(tree: Any, users: Any, tmp_path: Path) -> None:
    moved = PersonFactory(name="林二", region=tree.grid_a, id_number=ident(501), category=4, level=2)
    header = ["姓名", "身份证号码", "网格"]
    rows = [["林二", ident(501), "乙社区第一网格"], ["林三", ident(502), ""]]
    path = write_xlsx(tmp_path / "y.xlsx", rows, header=header, title=False, notes=False)
    job = _upload(path, users.worker_b, tree.community_b)  # a community: rows without a grid land on it
    assert engine.commit(job).as_dict() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    # 林二 lives in 甲社区, outside worker_b's scope: refused with the neutral answer
    assert _rows(job, RowPhase.COMMIT)[2][1] == "该身份证号码无法在本区域登记，请联系街道管理员核实"
    assert Person.objects.get(id_hash=id_hash(ident(502))).region == tree.community_b
    # the street administrator may move 林二 to 乙社区's grid; a street is no place for 林三
    job = _upload(path, users.street_admin, tree.street)
    counts = engine.commit(job)
    assert counts.as_dict() == {"created": 0, "updated": 1, "unchanged": 0, "rejected": 1}
    moved.refresh_from_db()
    assert moved.region == tree.grid_b
    assert DisabilityCertificate.objects.get(person=moved).region == tree.grid_b  # carried along
    assert "未填写社区/村" in _rows(job, RowPhase.COMMIT)[3][1]


def test_worker_imports_into_own_community(tree: Any, users: Any, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "z.xlsx",
        [["林四", ident(503), ""]],
        header=["姓名", "身份证号码", "网格"],
        title=False,
        notes=False,
    )
    job = _upload(path, users.worker_b, tree.community_b)
    assert engine.commit(job).created == 1
    assert Person.objects.get(id_hash=id_hash(ident(503))).region == tree.community_b
    with pytest.raises(ValidationError), path.open("rb") as fh:  # not in worker_b's scope
        job_create(acting_user=users.worker_b, region=tree.community_a, fileobj=fh, name="z.xlsx")


def _registry() -> list[tuple[Any, ...]]:
    """The registry's state, as a comparable value."""
    people = sorted(
        (p.id_hash, p.name, p.phone_hash, p.address, p.region_id, p.birth_date, p.sex, p.status)
        for p in Person.objects.all()
    )
    certificates = sorted(
        DisabilityCertificate.objects.values_list(
            "person__id_hash", "category", "level", "region_id", "valid_to"
        )
    )
    tags = sorted(PersonTag.objects.values_list("person__id_hash", "tag_id", "valid_to"))
    keys = sorted(PersonSearchKey.objects.values_list("person__id_hash", "key"))
    return [tuple(people), tuple(certificates), tuple(tags), tuple(keys)]
