"""The demo streets look like real work: 市西's social workers visit every household (五门一声),
residents entered the register over the past years, needs say what their category says, and the
events of the named days fall on those days."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from wushe.appeals.calendar import is_working_day
from wushe.casework.models import Activity, Case
from wushe.core.models import Region
from wushe.demo.days import LAST_REGISTRATION, OBSERVANCES
from wushe.demo.texts import CASE_REASONS, SHIXI_AUTUMN_NEEDS, YMS_NEED_TEXT, shixi_need_text
from wushe.needs.models import Need, NeedSource
from wushe.registry.models import DisabilityCertificate, Person, Relation
from wushe.visits.models import Visit

pytestmark = [pytest.mark.demo, pytest.mark.xdist_group("demo")]  # seeded once: conftest.py

YEAR = ("2026-01-01", "2026-11-30")  # the demo's year up to the end of its records


def stats(region: str, *period: str) -> dict[str, Any]:
    out = StringIO()
    extra = ["--from", period[0], "--to", period[1]] if period else []
    call_command("stats", "--region", region, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())["metrics"]  # type: ignore[no-any-return, unused-ignore]


def street(name: str) -> Region:
    return Region.objects.get(name=name, level="street")


def test_shixi_social_workers_visit_every_household(demo: str) -> None:
    """逐户走访: every one of the 906 households visited this year by the 180 social workers, each
    by one of its own community; by the end of November the autumn round has reached all but
    two households in each community (the visit coverage of the headline page)."""
    m = stats("市西街道", *YEAR)
    assert (m["households"], m["households_visited"]) == (906, 906)
    assert m["visits.coverage"] == 95.1  # 862 of 906 visited within 90 days of 30 November
    assert m["visits"] == 1754  # 865 in the March round, 27 follow-ups in July, 862 in the autumn
    autumn = stats("市西街道", "2026-10-01", "2026-11-30")
    assert autumn["households_visited"] == 862
    visits = Visit.objects.in_region(street("市西街道")).prefetch_related("workers__grants")
    own_community = Counter(
        v.household.region.parent_id == w.grants.get().region_id  # type: ignore[union-attr, index, unused-ignore]
        for v in visits.select_related("household__region")
        for w in v.workers.all()
    )
    assert own_community == {True: 1754}
    assert visits.values("workers").distinct().count() == 180
    days = set(visits.values_list("visited_on", flat=True))
    assert all(is_working_day(d) for d in days)
    waiting = stats("市西街道", *YEAR)["households"] - autumn["households_visited"]
    assert waiting == 2 * 22


def test_residents_entered_the_register_over_the_past_years(demo: str) -> None:
    """新登记居民 this year is the share of residents registered this year, not all of them."""
    for name, this_year, disabled_this_year in (("市西街道", 96, 57), ("云门山街道", 3, 0)):
        m = stats(name, "2026-01-01", "2026-12-31")
        assert m["persons.new"] == this_year < m["persons"], name
        assert m["disabled.new"] == disabled_this_year, name  # certificates held from registration
        assert stats(name, "2014-01-01", "2026-12-31")["persons.new"] == m["persons"], name
    people = Person.objects.all()
    years = Counter(people.values_list("registered_on__year", flat=True))
    assert set(years) == set(range(2014, 2027))
    assert not people.filter(registered_on__gt=LAST_REGISTRATION).exists()
    assert all(p.registered_on > p.birth_date for p in people.only("registered_on", "birth_date"))
    # a household's members entered the register with its head (or after their own birth)
    heads = dict(people.filter(relation_to_head=Relation.HEAD).values_list("household_id", "registered_on"))
    assert all(
        day >= heads[hid] for hid, day in people.exclude(relation_to_head=Relation.HEAD).values_list("household_id", "registered_on")
    )  # fmt: skip


def _disability(person_ids: Any) -> dict[int, int]:
    return dict(
        DisabilityCertificate.objects.filter(person_id__in=person_ids, valid_to__isnull=True).values_list(
            "person_id", "category"
        )
    )


def test_a_need_says_what_its_category_says(demo: str) -> None:
    """市西's needs are drawn for their category and the resident's disability, each on the visit
    that found it; 云门山's for their category ("教育：饮水管道老化" no more)."""
    shixi = list(Need.objects.in_region(street("市西街道")).select_related("category", "visit"))
    heads = dict(
        Person.objects.filter(household__in=[n.household_id for n in shixi], relation_to_head=Relation.HEAD)
        .values_list("household_id", "id")
    )  # fmt: skip
    category = _disability(heads.values())
    for need in shixi:
        disability = category[heads[need.household_id]]  # type: ignore[union-attr, index, unused-ignore]
        autumn_code, autumn_texts = SHIXI_AUTUMN_NEEDS[disability]
        texts = (
            autumn_texts
            if need.category.code == autumn_code
            else shixi_need_text(need.category.code, disability)
        )
        assert need.description in texts, (need.category.code, need.description)
        assert (need.visit.household_id, need.visit.visited_on) == (need.household_id, need.reported_on)  # type: ignore[union-attr, index, unused-ignore]
    assert Counter(n.status for n in shixi)["met"] == 135 and len(shixi) == 157
    yms = Need.objects.in_region(street("云门山街道")).select_related("category")
    # the problems the household checks found (入户核查) are needs of 住房安全 and 饮水安全
    checked = yms.filter(source=NeedSource.CHECK)
    assert checked.exists() and {n.category.code for n in checked} <= {"housing", "water"}
    yms = yms.exclude(source=NeedSource.CHECK)
    assert all(n.description in YMS_NEED_TEXT[n.category.code] for n in yms)
    assert yms.count() == 250


def test_a_case_says_what_its_clients_disability_is(demo: str) -> None:
    cases = list(Case.objects.in_region(street("市西街道")))
    category = _disability([c.person_id for c in cases])
    assert len(cases) == 108
    assert all(c.reason in CASE_REASONS[category[c.person_id]] for c in cases)


def test_the_events_of_named_days_fall_on_those_days(demo: str) -> None:
    activities = list(Activity.objects.in_region(street("市西街道")))
    named: Counter[str] = Counter()
    for observance in OBSERVANCES:
        held = [a for a in activities if a.title.endswith(observance.title)]
        assert held and {a.on for a in held} == {observance.day(2026)}, observance.name
        named[observance.name] = len(held)
    assert named["全国助残日"] == 22 and observance_day("全国助残日") == datetime.date(2026, 5, 17)
    assert named["重阳节"] == 22 and observance_day("重阳节") == datetime.date(2026, 10, 18)
    assert observance_day("国际残疾人日") == datetime.date(2026, 12, 3)
    assert observance_day("学雷锋纪念日") == datetime.date(2026, 3, 5)
    assert observance_day("世界精神卫生日") == datetime.date(2026, 10, 10)
    others = [a for a in activities if not any(a.title.endswith(o.title) for o in OBSERVANCES)]
    assert len(others) + sum(named.values()) == 212
    assert all(is_working_day(a.on) for a in others)  # the communities' own, on working days
    yms = Activity.objects.in_region(street("云门山街道"))
    assert set(yms.filter(title__contains="重阳节").values_list("on", flat=True)) == {
        datetime.date(2026, 10, 18)
    }
    assert yms.filter(title__contains="重阳节").count() == 10


def observance_day(name: str) -> datetime.date:
    return next(o.day(2026) for o in OBSERVANCES if o.name == name)


def test_archived_requests_get_their_return_call(demo: str) -> None:
    """回访 the working day after archiving: every request archived in time was called back — most
    at the first call, some after a call that reached no one — and the outcome agrees with how it
    was handled; those archived on the demo's last days are still due (the 回访 to-do)."""
    from django.utils import timezone

    from wushe.appeals.calendar import add_working_days
    from wushe.appeals.models import Appeal, ReturnCall, ReturnOutcome, Step
    from wushe.demo.service_common import LAST_DAY

    archived = list(Appeal.objects.filter(step=Step.ARCHIVE).prefetch_related("return_calls"))
    assert archived
    unreached = 0
    for appeal in archived:
        due = appeal.return_call_due_on
        assert due is not None and due == add_working_days(timezone.localdate(appeal.archived_at), 1)
        calls = sorted(appeal.return_calls.all(), key=lambda c: c.at)
        if due > LAST_DAY:
            assert appeal.return_call_done_at is None
            continue
        if len(calls) == 2:
            assert calls[0].outcome == ReturnOutcome.UNREACHABLE and not calls[0].satisfaction
            unreached += 1
        final = calls[-1]
        expected = ReturnOutcome.CONFIRMED if appeal.resolved else ReturnOutcome.NOT_RESOLVED
        assert (final.outcome, final.satisfaction) == (expected, appeal.satisfaction)
        assert appeal.return_call_done_at == final.at and timezone.localdate(final.at) >= due
    assert 0 < unreached < len(archived) // 4
    assert ReturnCall.objects.filter(appeal__step=Step.ARCHIVE).count() >= len(archived) - 10


def test_demo_resources_name_their_target_groups(demo: str) -> None:
    """The resources of 市西街道 say whom they serve (age, disability category and level), and the
    matching gives its reasons from them."""
    from wushe.partners.models import Resource

    resources = {r.name: r for r in Resource.objects.in_region(street("市西街道"))}
    care = resources["困难重度残疾人居家照护"]
    assert care.disability_levels == "12" and care.disability_categories == ""
    autism = resources["自闭症儿童康复训练"]
    assert (autism.age_min, autism.age_max, autism.disability_categories) == (2, 14, "56")
    assert resources["残疾人家庭心理咨询"].age_min is None  # serves anyone
    targeted = [
        r
        for r in resources.values()
        if r.age_min is not None or r.disability_categories or r.disability_levels
    ]
    assert len(targeted) == 8
