"""Two years of a street's work, COPY-loaded once into the benchmark's database.

The registry benchmark loads a million people and their certificates and nothing else, so a
dashboard over it would count empty tables. :func:`load` adds, once (skipped when the visits are
already there), what a street of that size records in about two years up to the day of the load,
spread over its 22 communities and 88 grids, with the fields the figures read (dates, statuses,
satisfaction, leaflets, hours …):

- households for every person (1–5 members of one grid, the first the head), and open group
  tags (低保, 特困 …) on about one person in ten;
- 300,000 home visits (五门一声) of those households, most of them to a household with a
  certificate holder; 60,000 needs and 20,000 problems, most found on a visit, most met or
  resolved and rated; 15,000 residents' requests through the 22 studios or the grid workers, at
  every step, the old ones archived and most resolved, some overdue;
- 5,000 cases with 30,000 case services, 500 groups with their weekly sessions, 5,000 community
  and publicity activities;
- 1,000 volunteer teams (organizations of kind ``volunteer_team`` and their ``Team``) with
  30,000 volunteers and 200,000 service records, most verified;
- the organizations, responsibility units, resources and projects these name.

All of it scales with ``WUSHE_BENCH_PERSONS`` (the counts above are for a million), is drawn from
``random.Random(SEED)`` (the same rows for the same people and the same day of loading), and is
written with PostgreSQL COPY in one transaction, then ``VACUUM ANALYZE``. No history rows and no
workflow steps (NeedStep, AppealStep, CaseStep) are written: no figure reads them.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

SEED = 11
DAYS = 730  # the records span the two years up to the day of the load
PER_MILLION = {
    "visits": 300_000,
    "needs": 60_000,
    "problems": 20_000,
    "appeals": 15_000,
    "cases": 5_000,
    "case_services": 30_000,
    "groups": 500,
    "activities": 5_000,
    "teams": 1_000,
    "volunteers": 30_000,
    "service_records": 200_000,
    "professional": 30,
    "community_orgs": 300,
    "enterprises": 50,
    "resources": 2_000,
    "projects": 200,
}
# share of the people carrying each open tag (code → share)
TAG_SHARES = {
    "dibao": 0.03,
    "tekun": 0.003,
    "dibao-edge": 0.01,
    "tuopin": 0.005,
    "monitored": 0.002,
    "youfu": 0.005,
    "veteran": 0.015,
    "elderly-alone": 0.01,
    "empty-nest": 0.02,
    "child-difficult": 0.002,
    "de-facto-orphan": 0.0002,
    "lost-only-child": 0.001,
}
SATISFACTION = (("satisfied", 0.82), ("basic", 0.15), ("unsatisfied", 0.03))


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    r = rng.random() * sum(w for _, w in weighted)
    for value, w in weighted:
        r -= w
        if r < 0:
            return value
    return weighted[-1][0]


class _Ids:
    """Explicit primary keys, following what a table already holds."""

    def __init__(self, cursor: Any, table: str) -> None:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (our own table names)
        self.next = cursor.fetchone()[0] + 1

    def take(self) -> int:
        n = self.next
        self.next += 1
        return n


def _copy(raw: Any, table: str, cols: str, rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def loaded() -> bool:
    from wushe.visits.models import Visit

    return Visit.objects.exists()


def load(*, street: Any, persons: int) -> None:
    """Load the records for ``street`` (whose grids hold the ``persons`` people), once."""
    if loaded():
        return
    from django.db import connection, transaction

    scale = persons / 1_000_000
    counts = {k: max(1, round(v * scale)) for k, v in PER_MILLION.items()}
    print(f"loading two years of records for {persons:,} people with COPY (once) …", flush=True)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _load(cursor, street, counts)
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        # every person row was rewritten (its household): compact the table and its indexes
        # again, as a registry that was imported with its households would be
        cursor.execute("VACUUM FULL registry_person")
        cursor.execute("VACUUM ANALYZE")  # the visibility map and the statistics
    print(f"loaded in {t1 - t0:.0f} s, vacuumed in {time.perf_counter() - t1:.0f} s", flush=True)


def _load(cursor: Any, street: Any, counts: dict[str, int]) -> None:  # noqa: C901, PLR0912, PLR0915
    from django.utils import timezone

    from wushe.core.idgen import person_name
    from wushe.core.models import Region, RegionLevel

    raw = cursor.cursor  # psycopg 3
    rng = random.Random(SEED)  # noqa: S311 (benchmark data, not secrets)
    tz = ZoneInfo("Asia/Shanghai")
    today = timezone.localdate()
    day0 = today - datetime.timedelta(days=DAYS - 1)
    now = timezone.now()
    names = [person_name(rng) for _ in range(5000)]

    def day(lo: datetime.date = day0, hi: datetime.date = today) -> datetime.date:
        return lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))

    def at(d: datetime.date, hour_lo: int = 8, hour_hi: int = 18) -> datetime.datetime:
        moment = datetime.datetime.combine(
            d, datetime.time(rng.randrange(hour_lo, hour_hi), rng.randrange(60))
        )
        return min(moment.replace(tzinfo=tz), now)

    def later(d: datetime.date, lo: int, hi: int) -> datetime.date:
        return min(d + datetime.timedelta(days=rng.randint(lo, hi)), today)

    grids = list(Region.objects.filter(path__startswith=street.path, level=RegionLevel.GRID).order_by("code"))
    communities = list(
        Region.objects.filter(path__startswith=street.path, level=RegionLevel.COMMUNITY).order_by("code")
    )
    community_of = {g.pk: g.parent_id for g in grids}
    grids_of: dict[int, list[int]] = {c.pk: [] for c in communities}
    for g in grids:
        grids_of[g.parent_id].append(g.pk)
    community_ids = [c.pk for c in communities]
    community_name = {c.pk: c.name for c in communities}

    # ---- households: the people of each grid in id order, 1–5 to a household -----------------
    cursor.execute(
        "SELECT id, region_id FROM registry_person WHERE region_id = ANY(%s) ORDER BY id",
        [[g.pk for g in grids]],
    )
    by_grid: dict[int, list[int]] = {g.pk: [] for g in grids}
    region_of: dict[int, int] = {}
    for pid, region_id in cursor.fetchall():
        by_grid[region_id].append(pid)
        region_of[pid] = region_id
    cursor.execute("SELECT DISTINCT person_id FROM registry_disabilitycertificate WHERE valid_to IS NULL")
    disabled = {pid for (pid,) in cursor.fetchall()}
    household_ids = _Ids(cursor, "registry_household")
    households: list[tuple[int, int, int]] = []  # (id, grid, head)
    members: list[tuple[int, int, str]] = []  # (person, household, relation)
    relations = ("spouse", "child", "child", "parent", "grandchild")
    for grid, people in by_grid.items():
        i = 0
        while i < len(people):
            size = rng.choice((1, 2, 2, 3, 3, 3, 4, 5))
            hid = household_ids.take()
            households.append((hid, grid, people[i]))
            for k, pid in enumerate(people[i : i + size]):
                members.append((pid, hid, "head" if k == 0 else relations[k - 1]))
            i += size
    member_of = {pid: hid for pid, hid, _ in members}
    _copy(
        raw,
        "registry_household",
        "id, region_id, address, created_at, active_members",
        ((hid, grid, f"基准地址{hid}号", now, 0) for hid, grid, _ in households),
    )
    cursor.execute("CREATE TEMP TABLE bench_member (id integer, household_id integer, relation varchar(12))")
    _copy(raw, "bench_member", "id, household_id, relation", members)
    cursor.execute(
        "UPDATE registry_person p SET household_id = m.household_id, relation_to_head = m.relation "
        "FROM bench_member m WHERE p.id = m.id"
    )
    cursor.execute("DROP TABLE bench_member")
    # the count of registered members the registry's services keep on each household
    cursor.execute(
        "UPDATE registry_household h SET active_members = c.n FROM (SELECT household_id, count(*) AS n "
        "FROM registry_person WHERE status = 'active' AND household_id IS NOT NULL GROUP BY household_id) c "
        "WHERE h.id = c.household_id"
    )
    all_people = list(region_of)
    disabled_people = [p for p in all_people if p in disabled]
    heads_with_disabled = sorted({member_of[p] for p in disabled_people})  # households with a holder
    head_of = {hid: head for hid, _, head in households}
    grid_of_household = {hid: grid for hid, grid, _ in households}
    all_households = [hid for hid, _, _ in households]

    # ---- open group tags --------------------------------------------------------------------
    cursor.execute("SELECT code, id FROM registry_tag")
    tag_ids = dict(cursor.fetchall())
    tag_rows = []
    for code, share in TAG_SHARES.items():
        if code not in tag_ids:
            continue
        for pid in rng.sample(all_people, round(share * len(all_people))):
            tag_rows.append((pid, region_of[pid], tag_ids[code], day(day0 - datetime.timedelta(days=2000))))
    _copy(raw, "registry_persontag", "person_id, region_id, tag_id, valid_from", tag_rows)

    # ---- organizations, responsibility units, studios ---------------------------------------
    org_ids = _Ids(cursor, "partners_organization")
    orgs: list[tuple[int, int, str, str]] = []  # (id, region, kind, name)

    def org(region: int, kind: str, name: str) -> int:
        oid = org_ids.take()
        orgs.append((oid, region, kind, name))
        return oid

    professional = [
        org(street.pk, "professional", f"基准社工服务中心{n}") for n in range(counts["professional"])
    ]
    community_orgs = [
        org(rng.choice(community_ids), "community", f"基准社区社会组织{n}")
        for n in range(counts["community_orgs"])
    ]
    enterprises = [org(street.pk, "enterprise", f"基准爱心企业{n}") for n in range(counts["enterprises"])]
    studio_org = {c: org(c, "studio", f"{community_name[c]}代表委员工作室") for c in community_ids}
    team_org: list[tuple[int, int]] = []  # (organization, community)
    for n in range(counts["teams"]):
        c = community_ids[n % len(community_ids)]
        team_org.append(
            (org(c, "volunteer_team", f"{community_name[c]}志愿服务队{n // len(community_ids) + 1}"), c)
        )
    _copy(
        raw,
        "partners_organization",
        "id, region_id, kind, name, credit_code, credit_code_warning, contact_name, contact_phone, address, "
        "description, active, created_at",
        ((oid, region, kind, name, "", "", "", "", "", "", True, now) for oid, region, kind, name in orgs),
    )
    unit_ids = _Ids(cursor, "partners_responsibilityunit")
    units: list[tuple[Any, ...]] = []
    unit_of_community = {}
    for c in community_ids:
        uid = unit_ids.take()
        unit_of_community[c] = uid
        units.append((uid, c, "community", f"{community_name[c]}居委会", None))
    for kind, name in (("civil_affairs", "基准街道民政所"), ("station", "基准街道社工站")):
        units.append((unit_ids.take(), street.pk, kind, name, None))
    for oid in professional:
        units.append((unit_ids.take(), street.pk, "organization", f"责任单位·社工机构{oid}", oid))
    _copy(
        raw,
        "partners_responsibilityunit",
        "id, region_id, kind, name, organization_id, duties, contact_name, contact_phone, active, created_at",
        ((*u, "", "", "", True, now) for u in units),
    )
    studio_ids = _Ids(cursor, "appeals_studio")
    studio_of = {c: studio_ids.take() for c in community_ids}
    _copy(
        raw,
        "appeals_studio",
        "id, organization_id, region_id, theme, created_at",
        ((studio_of[c], studio_org[c], c, "", now) for c in community_ids),
    )
    _copy(
        raw,
        "appeals_studioteam",
        "studio_id, kind, members",
        ((studio_of[c], kind, "") for c in community_ids for kind in ("party", "npc", "cppcc")),
    )

    # ---- resources and projects ---------------------------------------------------------------
    cursor.execute("SELECT id FROM needs_needcategory ORDER BY id")
    categories = [cid for (cid,) in cursor.fetchall()]
    resource_ids = _Ids(cursor, "partners_resource")
    resources, resource_categories = [], []
    providers = professional + community_orgs + enterprises
    kinds = ("service", "service", "service", "material", "fund", "venue", "position")
    for n in range(counts["resources"]):
        rid = resource_ids.take()
        region = rng.choice((street.pk, rng.choice(community_ids), rng.choice(grids).pk))
        capacity = rng.randint(10, 200)
        start = day(day0 - datetime.timedelta(days=365))
        end = None if rng.random() < 0.4 else later(start, 90, 900)
        resources.append(
            (rid, region, rng.choice(providers), f"基准资源{n}", rng.choice(kinds), capacity,
             rng.randint(0, capacity), start, end, rng.random() < 0.9, now)
        )  # fmt: skip
        for cid in rng.sample(categories, rng.randint(1, 2)):
            resource_categories.append((rid, cid))
    _copy(
        raw,
        "partners_resource",
        "id, region_id, provider_id, name, kind, capacity, remaining, available_from, available_to, active, "
        "created_at, contact_name, contact_phone, description, disability_categories, disability_levels",
        ((*r, "", "", "", "", "") for r in resources),
    )
    _copy(raw, "partners_resource_categories", "resource_id, needcategory_id", resource_categories)
    project_ids = _Ids(cursor, "projects_project")
    projects, project_categories = [], []
    project_kinds = ("disability", "care", "rehab", "employment", "charity", "activity", "poverty")
    for n in range(counts["projects"]):
        pid = project_ids.take()
        start = day(day0 - datetime.timedelta(days=180))
        projects.append(
            (pid, rng.choice((street.pk, rng.choice(community_ids))), f"基准项目{n}", rng.choice(project_kinds),
             rng.choice(professional), "福彩公益金", rng.randint(20, 500) * 1000, start,
             start + datetime.timedelta(days=rng.choice((180, 365, 365, 730))), "", "", "", now)
        )  # fmt: skip
        for cid in rng.sample(categories, rng.randint(1, 3)):
            project_categories.append((pid, cid))
    _copy(
        raw,
        "projects_project",
        "id, region_id, name, kind, organization_id, funding_source, budget, start_on, end_on, target_group, "
        "planned_indicators, achieved_indicators, created_at",
        projects,
    )
    _copy(raw, "projects_project_categories", "project_id, needcategory_id", project_categories)

    # ---- home visits --------------------------------------------------------------------------
    visit_ids = _Ids(cursor, "visits_visit")
    visits: list[tuple[int, int, int, int, datetime.date]] = []  # (id, grid, household, person, day)
    services = ("cleaning", "meals", "medical", "rehab", "aids", "paperwork", "repair", "haircut")
    moods = (("good", 0.6), ("fair", 0.3), ("low", 0.08), ("distressed", 0.02))
    channels = (("home", 0.8), ("phone", 0.15), ("station", 0.05))

    def visit_rows() -> Iterable[tuple[Any, ...]]:
        for _ in range(counts["visits"]):
            vid = visit_ids.take()
            hid = rng.choice(heads_with_disabled) if rng.random() < 0.8 else rng.choice(all_households)
            grid, person, d = grid_of_household[hid], head_of[hid], day()
            visits.append((vid, grid, hid, person, d))
            channel = _pick(rng, channels)
            reached = channel != "home" or rng.random() < 0.95
            done = rng.sample(services, rng.choice((0, 0, 1, 1, 2))) if reached else []
            yield (
                vid, grid, hid, person, d, channel, "", reached, "" if reached else "家中无人",
                json.dumps(done), "", rng.choice((0, 1, 1, 2, 3)) if reached else 0, "",
                rng.choice((0, 1, 2, 2, 3, 5)) if reached else 0, "", _pick(rng, moods) if reached else "",
                "", "", "", at(d),
            )  # fmt: skip

    _copy(
        raw,
        "visits_visit",
        "id, region_id, household_id, person_id, visited_on, channel, volunteers, reached, not_reached_reason, "
        "services_done, services_note, policies_explained, policies_note, leaflets, emotional_support, mood, "
        "key_problem, plan, resident_words, created_at",
        visit_rows(),
    )
    # each household's latest visit day, as the visits' services keep it (Household.last_visited_on)
    cursor.execute(
        "UPDATE registry_household h SET last_visited_on = v.day FROM (SELECT household_id, max(visited_on) "
        "AS day FROM visits_visit WHERE household_id IS NOT NULL GROUP BY household_id) v WHERE h.id = v.household_id"
    )

    def subject(from_visit: float) -> tuple[int, int | None, int | None, int | None, datetime.date]:
        """(grid, person, household, visit, day) of a need, problem or case."""
        if rng.random() < from_visit:
            vid, grid, hid, person, d = rng.choice(visits)
            return grid, person, hid, vid, d
        person = rng.choice(disabled_people) if rng.random() < 0.7 else rng.choice(all_people)
        return region_of[person], person, member_of[person], None, day()

    def rating(closed: datetime.date) -> tuple[str, datetime.datetime | None]:
        if rng.random() < 0.9:
            return _pick(rng, SATISFACTION), at(later(closed, 0, 3))
        return "", None

    # ---- needs ----------------------------------------------------------------------------------
    old_mix = (("met", 0.88), ("unmet", 0.07), ("in_service", 0.03), ("matched", 0.01), ("to_match", 0.005),
               ("assess", 0.005))  # fmt: skip
    new_mix = (("met", 0.3), ("unmet", 0.03), ("in_service", 0.25), ("matched", 0.15), ("to_match", 0.15),
               ("assess", 0.12))  # fmt: skip
    urgencies = (("normal", 0.8), ("urgent", 0.17), ("critical", 0.03))
    limits = {"normal": 30, "urgent": 7, "critical": 3}

    need_ids = _Ids(cursor, "needs_need")

    def need_rows() -> Iterable[tuple[Any, ...]]:
        for _ in range(counts["needs"]):
            grid, person, hid, vid, d = subject(0.6)
            age = (today - d).days
            status = _pick(rng, old_mix if age > 60 else new_mix)
            urgency = _pick(rng, urgencies)
            met_at = closed_at = rated_at = referred_at = None
            satisfaction, reason, referred = "", "", None
            if status in ("matched", "in_service", "met") and rng.random() < 0.5:
                referred, referred_at = rng.choice(professional), at(later(d, 0, 3))
            if status == "met":
                met_at = closed_at = at(later(d, 1, 45))
                satisfaction, rated_at = rating(met_at.date())
            elif status == "unmet":
                reason, closed_at = "超出可对接资源范围", at(later(d, 5, 40))
            yield (
                need_ids.take(), grid, person, hid, vid, rng.choice(categories), "基准需求",
                urgency, "visit" if vid else rng.choice(("request", "self", "referral")), status, reason, d,
                unit_of_community[community_of[grid]], "", d + datetime.timedelta(days=limits[urgency]),
                referred, referred_at, met_at, closed_at, satisfaction, rated_at, at(d), 1,
            )  # fmt: skip

    _copy(
        raw,
        "needs_need",
        "id, region_id, person_id, household_id, visit_id, category_id, description, urgency, source, status, "
        "unmet_reason, reported_on, responsible_unit_id, responsible_person, deadline, referred_to_id, "
        "referred_at, met_at, closed_at, satisfaction, rated_at, created_at, version",
        need_rows(),
    )

    # ---- problems -------------------------------------------------------------------------------
    def problem_rows() -> Iterable[tuple[Any, ...]]:
        for _ in range(counts["problems"]):
            grid, person, hid, vid, d = subject(0.8)
            age = (today - d).days
            resolved = rng.random() < (0.97 if age > 30 else 0.6)
            resolved_on = later(d, 1, 30) if resolved else None
            satisfaction, rated_at = rating(resolved_on) if resolved_on else ("", None)
            yield (
                grid, person, hid, vid, "visit" if vid else "request", "基准问题", d,
                "resolved" if resolved else "open", resolved_on, "已协调解决" if resolved else "",
                satisfaction, rated_at, at(d),
            )  # fmt: skip

    _copy(
        raw,
        "needs_problem",
        "region_id, person_id, household_id, visit_id, source, description, found_on, status, resolved_on, "
        "resolution, satisfaction, rated_at, created_at",
        problem_rows(),
    )

    # ---- residents' requests --------------------------------------------------------------------
    steps = ("register", "receive", "refer", "handle", "feedback")
    categories_of_appeals = (("consult", 0.3), ("help", 0.4), ("suggestion", 0.2), ("complaint", 0.1))

    def appeal_rows() -> Iterable[tuple[Any, ...]]:
        for n in range(counts["appeals"]):
            c = rng.choice(community_ids)
            grid = rng.choice(grids_of[c])
            via_studio = rng.random() < 0.7
            registered = at(day())
            age = (today - registered.date()).days
            archived = rng.random() < (0.95 if age > 30 else 0.3)
            step = "archive" if archived else rng.choice(steps)
            person = rng.choice(by_grid[grid]) if rng.random() < 0.6 else None
            referred = unit_of_community[c] if archived or steps.index(step) >= 2 else None
            archived_at = asked = due = None
            resolution, resolved, feedback, satisfaction = "", False, "", ""
            if archived:
                archived_at = min(
                    registered + datetime.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)), now
                )
                resolved = rng.random() < 0.9
                resolution = "已协调解决" if resolved else ""
                feedback = "已电话反馈"
                if rng.random() < 0.9:
                    asked = archived_at - datetime.timedelta(hours=rng.randint(1, 30))
                    asked = max(asked, registered)
                    satisfaction = _pick(rng, SATISFACTION)
            else:
                due = later(registered.date(), 2, 6 * (steps.index(step) + 1))
                if step == "feedback" and rng.random() < 0.5:
                    asked, satisfaction = at(due), _pick(rng, SATISFACTION)
                if age > 20:  # an old request still open: mostly overdue
                    due = registered.date() + datetime.timedelta(days=rng.randint(3, 20))
            yield (
                studio_of[c] if via_studio else None, grid, f"JZ{registered:%Y%m%d}{n:06d}",
                "walk_in" if via_studio else "visit",
                rng.choice(("party", "npc", "cppcc")) if via_studio else "",
                _pick(rng, categories_of_appeals), person, rng.choice(names), "", "", "基准诉求", step, due,
                referred, resolution, resolved, feedback, satisfaction, asked, registered, archived_at, registered,
            )  # fmt: skip

    _copy(
        raw,
        "appeals_appeal",
        "studio_id, region_id, number, channel, team, category, person_id, requester_name, requester_phone, "
        "requester_phone_masked, content, step, due_on, referred_to_id, resolution, resolved, feedback, "
        "satisfaction, satisfaction_asked_at, registered_at, archived_at, created_at",
        appeal_rows(),
    )

    # ---- cases and their services -------------------------------------------------------------
    case_ids = _Ids(cursor, "casework_case")
    cases: list[tuple[int, datetime.date, datetime.date]] = []  # (id, opened, last day of service)

    def case_rows() -> Iterable[tuple[Any, ...]]:
        for n in range(counts["cases"]):
            grid, person, _hid, _vid, opened = subject(0.0)
            closed = (today - opened).days > 180 and rng.random() < 0.85
            closed_on = later(opened, 30, 180) if closed else None
            stage = (
                "closed"
                if closed
                else rng.choice(("intake", "assessment", "plan", "intervention", "intervention"))
            )
            cid = case_ids.take()
            cases.append((cid, opened, closed_on or today))
            yield (
                cid, grid, person, rng.choice(professional), None, f"GA{n + 1:07d}", "", stage, "基准个案",
                "", "", "", "", None, None, opened, closed_on, at(opened),
            )  # fmt: skip

    _copy(
        raw,
        "casework_case",
        "id, region_id, person_id, organization_id, worker_id, number, project, stage, reason, assessment, goals, "
        "plan, closing_summary, follow_up_on, next_due, opened_on, closed_on, created_at",
        case_rows(),
    )

    def case_service_rows() -> Iterable[tuple[Any, ...]]:
        for _ in range(counts["case_services"]):
            cid, opened, last = rng.choice(cases)
            d = day(opened, last)
            yield cid, d, rng.choice((30, 45, 60, 60, 90, 120)), "基准个案服务", None, "", at(d)

    _copy(
        raw,
        "casework_caseservice",
        'case_id, "on", minutes, content, worker_id, need_refs, created_at',
        case_service_rows(),
    )

    # ---- groups and their weekly sessions -------------------------------------------------------
    group_ids = _Ids(cursor, "casework_group")
    sessions: list[tuple[Any, ...]] = []

    def group_rows() -> Iterable[tuple[Any, ...]]:
        for n in range(counts["groups"]):
            gid = group_ids.take()
            starts = day()
            ends = starts + datetime.timedelta(days=63)
            for k in range(10):
                on = starts + datetime.timedelta(days=7 * k)
                if on > today:
                    break
                sessions.append((gid, k + 1, on, f"第{k + 1}节", "", None, at(on)))
            yield (
                gid, rng.choice(community_ids), rng.choice(professional), f"基准小组{n}", "基准小组目标", starts,
                ends if ends <= today else None, at(starts),
            )  # fmt: skip

    _copy(
        raw,
        "casework_group",
        "id, region_id, organization_id, name, goal, starts_on, ends_on, created_at",
        group_rows(),
    )
    _copy(
        raw,
        "casework_groupsession",
        'group_id, number, "on", topic, content, recorded_by_id, created_at',
        sessions,
    )

    # ---- activities -----------------------------------------------------------------------------
    organizers = (("community", 0.5), ("organization", 0.25), ("volunteer_team", 0.15), ("studio", 0.1))
    activity_ids = _Ids(cursor, "casework_activity")
    activity_list: list[int] = []

    def activity_rows() -> Iterable[tuple[Any, ...]]:
        for n in range(counts["activities"]):
            c = rng.choice(community_ids)
            region = c if rng.random() < 0.7 else rng.choice(grids_of[c])
            kind = "community" if rng.random() < 0.7 else "publicity"
            by = _pick(rng, organizers)
            organizer = {
                "community": None,
                "organization": rng.choice(professional + community_orgs),
                "volunteer_team": rng.choice(team_org)[0],
                "studio": studio_org[c],
            }[by]
            participants = rng.randint(10, 200)
            d = day()
            aid = activity_ids.take()
            activity_list.append(aid)
            yield (
                aid, region, kind, f"基准活动{n}", d, "社区活动室", by, organizer, participants,
                rng.randint(0, participants // 3), rng.randint(0, 20),
                rng.randint(50, 500) if kind == "publicity" else rng.choice((0, 0, 20, 50)),
                rng.randint(0, 80) if kind == "publicity" else 0, "", None, at(d),
            )  # fmt: skip

    _copy(
        raw,
        "casework_activity",
        'id, region_id, kind, title, "on", place, organizer_kind, organizer_id, participants, disabled_participants, '
        "volunteers, leaflets, questions_answered, summary, recorded_by_id, created_at",
        activity_rows(),
    )

    # ---- volunteer teams, volunteers and their service records ----------------------------------
    team_ids = _Ids(cursor, "volunteers_team")
    teams = [(team_ids.take(), oid, c) for oid, c in team_org]
    _copy(
        raw,
        "volunteers_team",
        "id, organization_id, region_id, sponsor_id, leader_id, leader_name, code, created_at",
        ((tid, oid, c, None, None, rng.choice(names), f"ZYD{tid:07d}", now) for tid, oid, c in teams),
    )
    volunteer_ids = _Ids(cursor, "volunteers_volunteer")
    volunteers: list[tuple[int, int, int, datetime.date]] = []  # (id, team, grid, joined)

    def volunteer_rows() -> Iterable[tuple[Any, ...]]:
        for _ in range(counts["volunteers"]):
            tid, _oid, c = rng.choice(teams)
            grid = rng.choice(grids_of[c])
            joined = day(day0 - datetime.timedelta(days=1095))
            vid = volunteer_ids.take()
            volunteers.append((vid, tid, grid, joined))
            yield (
                vid, tid, grid, f"ZY{vid:08d}", rng.choice(names),
                rng.choice(by_grid[grid]) if rng.random() < 0.3 else None, None, "", joined,
                rng.random() < 0.92, now,
            )  # fmt: skip

    _copy(
        raw,
        "volunteers_volunteer",
        "id, team_id, region_id, number, name, person_id, user_id, skills, joined_on, active, created_at",
        volunteer_rows(),
    )
    record_kinds = ("meal", "clean", "emergency", "medical", "company", "company", "publicity", "other")
    hours = ("0.5", "1.0", "1.5", "2.0", "2.0", "2.5", "3.0", "4.0", "6.0", "8.0")

    def record_rows() -> Iterable[tuple[Any, ...]]:
        for _ in range(counts["service_records"]):
            vid, tid, grid, joined = rng.choice(volunteers)
            d = day(max(joined, day0))
            logged = at(d, 12, 22)
            if (today - d).days < 7 and rng.random() < 0.6:
                status = "pending"
            else:
                status = _pick(rng, (("verified", 0.93), ("pending", 0.04), ("rejected", 0.03)))
            verified_at = at(later(d, 0, 7)) if status != "pending" else None
            activity = rng.choice(activity_list) if rng.random() < 0.2 else None
            yield (
                vid, tid, grid, d, rng.choice(hours), rng.choice(record_kinds), "基准志愿服务", "", activity,
                status, None, logged, None, verified_at, "",
            )  # fmt: skip

    _copy(
        raw,
        "volunteers_servicerecord",
        'volunteer_id, team_id, region_id, "on", hours, kind, content, beneficiary, activity_id, status, '
        "logged_by_id, logged_at, verified_by_id, verified_at, verify_note",
        record_rows(),
    )

    for table in (
        "registry_household", "partners_organization", "partners_responsibilityunit", "appeals_studio",
        "partners_resource", "projects_project", "visits_visit", "needs_need", "needs_problem", "appeals_appeal",
        "casework_case", "casework_caseservice", "casework_group", "casework_groupsession", "casework_activity",
        "volunteers_team", "volunteers_volunteer", "volunteers_servicerecord", "registry_persontag",
        "appeals_studioteam", "partners_resource_categories", "projects_project_categories",
    ):  # fmt: skip
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 1))"  # noqa: S608
        )
