"""Every read of work and income, scoped through ``visible_to(user)``: the lists of courses,
micro-factories, job fairs and posts, one record for a user (the same 404 for missing and
forbidden), a person's or a household's work history, and the working-age disabled residents with
no recorded work or training."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from wushe.core.checks import today
from wushe.core.scoping import ScopedQuerySet, get_visible_or_404
from wushe.registry.models import DisabilityCertificate, Household, Person, PersonStatus
from wushe.registry.subjects import Subject

from .models import (
    WORKING,
    Application,
    ApplicationStatus,
    Course,
    Enrolment,
    FairEnterprise,
    FollowUp,
    Investment,
    JobFair,
    MicroFactory,
    Position,
    Recommendation,
    RecommendationStatus,
    WelfarePost,
    Worker,
)

if TYPE_CHECKING:
    from wushe.core.models import Region
    from wushe.core.types import AnyUser

WORKING_AGE = (16, 60)  # 16 up to (not including) 60, as the demo's outreach counts it


# ---- lists --------------------------------------------------------------------------------------


def course_list(*, user: AnyUser, q: str = "", kind: str = "") -> QuerySet[Course]:
    qs = Course.objects.visible_to(user)
    if q:
        qs = qs.filter(title__icontains=q.strip())
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("region", "organizer")
        .annotate(trainees=Count("enrolments"))
        .order_by("-start_on", "-id")
    )


def get_course_for_user(user: AnyUser, pk: int) -> Course:
    return get_visible_or_404(Course.objects.select_related("region", "organizer", "project"), user, pk=pk)


def enrolments_of(course: Course, user: AnyUser) -> list[Enrolment]:
    """The course's enrolments the user may see, each with its attendance and follow-ups."""
    rows = list(
        Enrolment.objects.visible_to(user)
        .filter(course=course)
        .select_related("person")
        .prefetch_related("attendance", "follow_ups")
        .order_by("id")
    )
    for e in rows:
        e.present_sessions = sorted(a.session for a in e.attendance.all() if a.present)
        follow = sorted(e.follow_ups.all(), key=lambda f: f.month)
        e.latest = follow[-1] if follow else None
    return rows


def get_enrolment_for_user(user: AnyUser, pk: int) -> Enrolment:
    return get_visible_or_404(
        Enrolment.objects.select_related("course", "course__region", "person"), user, pk=pk
    )


def factory_list(*, user: AnyUser, q: str = "") -> QuerySet[MicroFactory]:
    qs = MicroFactory.objects.visible_to(user)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    today_ = today()
    invested = (
        Investment.objects.filter(factory=OuterRef("pk"))
        .order_by()
        .values("factory")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return (
        qs.select_related("region", "operator")
        .annotate(
            invested=Coalesce(
                Subquery(invested),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
            working=Count(
                "workers",
                filter=Q(workers__ended_on__isnull=True) | Q(workers__ended_on__gt=today_),
                distinct=True,
            ),
        )
        .order_by("region__path", "name")
    )


def get_factory_for_user(user: AnyUser, pk: int) -> MicroFactory:
    return get_visible_or_404(MicroFactory.objects.select_related("region", "operator"), user, pk=pk)


@dataclass
class FactorySummary:
    invested: Decimal
    workers: list[Worker]
    families: int
    paid: Decimal


def factory_summary(factory: MicroFactory, user: AnyUser) -> FactorySummary:
    invested = factory.investments.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    workers = list(
        Worker.objects.visible_to(user)
        .filter(factory=factory)
        .select_related("person", "household")
        .prefetch_related("months")
        .order_by("ended_on", "started_on", "id")
    )
    for w in workers:
        months = sorted(w.months.all(), key=lambda m: m.month)
        w.latest_month = months[-1] if months else None
    families = len({w.household_id or -w.person_id for w in workers})
    paid = sum((m.pay for w in workers for m in w.months.all()), Decimal("0.00"))
    return FactorySummary(invested=invested, workers=workers, families=families, paid=paid)


def get_worker_for_user(user: AnyUser, pk: int) -> Worker:
    return get_visible_or_404(Worker.objects.select_related("factory", "person"), user, pk=pk)


def fair_list(*, user: AnyUser, q: str = "") -> QuerySet[JobFair]:
    qs = JobFair.objects.visible_to(user)
    if q:
        qs = qs.filter(title__icontains=q.strip())
    return (
        qs.select_related("region")
        .annotate(n_enterprises=Count("enterprises", distinct=True))
        .annotate(n_positions=Coalesce(Sum("enterprises__positions__openings"), 0))
        .order_by("-held_on", "-id")
    )


def get_fair_for_user(user: AnyUser, pk: int) -> JobFair:
    return get_visible_or_404(JobFair.objects.select_related("region"), user, pk=pk)


def fair_enterprises(fair: JobFair) -> list[FairEnterprise]:
    return list(
        fair.enterprises.select_related("organization")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.annotate(
                    hires=Count("applications", filter=Q(applications__status="hired"))
                ),
            )
        )
        .order_by("id")
    )


def fair_applications(fair: JobFair, user: AnyUser) -> ScopedQuerySet[Application]:
    return (
        Application.objects.visible_to(user)
        .filter(position__enterprise__fair=fair)
        .select_related("person", "position", "position__enterprise__organization")
        .prefetch_related("follow_ups")
        .order_by("-applied_on", "-id")
    )


def get_position_for_user(user: AnyUser, pk: int) -> Position:
    return get_visible_or_404(
        Position.objects.select_related("enterprise__fair", "enterprise__organization"), user, pk=pk
    )


def get_application_for_user(user: AnyUser, pk: int) -> Application:
    return get_visible_or_404(
        Application.objects.select_related("person", "position__enterprise__fair"), user, pk=pk
    )


def post_list(*, user: AnyUser, q: str = "", provider: str = "") -> QuerySet[WelfarePost]:
    qs = WelfarePost.objects.visible_to(user)
    if q:
        qs = qs.filter(title__icontains=q.strip())
    if provider:
        qs = qs.filter(provider=provider)
    return (
        qs.select_related("region")
        .annotate(
            placed=Count("recommendations", filter=Q(recommendations__status=RecommendationStatus.PLACED)),
            waiting=Count(
                "recommendations", filter=Q(recommendations__status=RecommendationStatus.RECOMMENDED)
            ),
        )
        .order_by("-start_on", "-id")
    )


def get_post_for_user(user: AnyUser, pk: int) -> WelfarePost:
    return get_visible_or_404(WelfarePost.objects.select_related("region"), user, pk=pk)


def post_recommendations(post: WelfarePost, user: AnyUser) -> ScopedQuerySet[Recommendation]:
    return (
        Recommendation.objects.visible_to(user)
        .filter(post=post)
        .select_related("person", "household", "created_by", "decided_by")
        .prefetch_related("confirmations")
        .order_by("-id")
    )


def get_recommendation_for_user(user: AnyUser, pk: int) -> Recommendation:
    return get_visible_or_404(
        Recommendation.objects.select_related("post", "post__region", "person", "household"), user, pk=pk
    )


def recommendations_waiting(user: AnyUser) -> ScopedQuerySet[Recommendation]:
    """Recommendations waiting for the provider's decision, in the user's scope."""
    return (
        Recommendation.objects.visible_to(user)
        .filter(status=RecommendationStatus.RECOMMENDED)
        .select_related("post", "person")
        .order_by("created_at", "id")
    )


# ---- a person's and a household's work history --------------------------------------------------


@dataclass
class HistoryItem:
    day: datetime.date
    kind: str
    title: str
    detail: str
    url: str
    status: str
    person_id: int = 0
    at_work: bool = False
    income: Decimal | None = None


AT_WORK = "at_work"  # an item's ``at_work``: the person works there now


def _subject_persons(subject: Subject) -> Q:
    if subject.person:
        return Q(person_id=subject.person)
    return Q(person__household_id=subject.household)


def work_history(user: AnyUser, subject: Subject) -> list[HistoryItem]:
    """Training, micro-factory work, job-fair applications and public-welfare posts of a person
    or of a household's members, newest first, each with its latest known monthly income."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    who = _subject_persons(subject)
    items: list[HistoryItem] = []
    for e in (
        Enrolment.objects.visible_to(user)
        .filter(who)
        .select_related("course", "person")
        .prefetch_related("follow_ups")
    ):
        follow = sorted(e.follow_ups.all(), key=lambda f: f.month)
        last = follow[-1] if follow else None
        detail = str(e.course.get_kind_display())
        if last is not None:
            detail += " · " + _("结业后%(m)s个月：%(o)s") % {"m": last.month, "o": last.get_outcome_display()}
            if last.flexible_kind:
                detail += f"（{last.get_flexible_kind_display()}）"
        items.append(
            HistoryItem(
                day=e.enrolled_on,
                kind=_("培训"),
                title=f"{e.person.name} · {e.course.title}",
                detail=detail,
                url=reverse("employment:course_detail", args=[e.course_id]),
                status=_("已结业") if e.completed_on else _("在训"),
                person_id=e.person_id,
                at_work=last is not None and last.outcome in WORKING,
                income=last.monthly_income if last else None,
            )
        )
    for w in (
        Worker.objects.visible_to(user)
        .filter(who)
        .select_related("factory", "person")
        .prefetch_related("months")
    ):
        months = sorted(w.months.all(), key=lambda m: m.month)
        items.append(
            HistoryItem(
                day=w.started_on,
                kind=_("微工厂"),
                title=f"{w.person.name} · {w.factory.name}",
                detail=w.work or w.factory.products,
                url=reverse("employment:factory_detail", args=[w.factory_id]),
                status=_("在岗") if w.ended_on is None else _("已结束"),
                person_id=w.person_id,
                at_work=w.ended_on is None,
                income=months[-1].pay if months else None,
            )
        )
    for a in (
        Application.objects.visible_to(user)
        .filter(who)
        .select_related("person", "position__enterprise__organization", "position__enterprise__fair")
        .prefetch_related("follow_ups")
    ):
        checks = sorted(a.follow_ups.all(), key=lambda f: f.followed_on)
        items.append(
            HistoryItem(
                day=a.hired_on or a.applied_on,
                kind=_("招聘会"),
                title=f"{a.person.name} · {a.position.enterprise.organization.name} {a.position.title}",
                detail=a.position.enterprise.fair.title,
                url=reverse("employment:fair_detail", args=[a.position.enterprise.fair_id]),
                status=str(a.get_status_display()),
                person_id=a.person_id,
                at_work=a.status == ApplicationStatus.HIRED and (not checks or checks[-1].still_working),
                income=checks[-1].monthly_income if checks else None,
            )
        )
    for r in Recommendation.objects.visible_to(user).filter(who).select_related("post", "person"):
        items.append(
            HistoryItem(
                day=r.placed_on or r.created_at.date(),
                kind=_("公益岗位"),
                title=f"{r.person.name} · {r.post.title}",
                detail=str(r.post.get_provider_display()),
                url=reverse("employment:post_detail", args=[r.post_id]),
                status=str(r.get_status_display()),
                person_id=r.person_id,
                at_work=r.status == RecommendationStatus.PLACED,
                income=r.post.monthly_pay if r.status == RecommendationStatus.PLACED else None,
            )
        )
    items.sort(key=lambda i: i.day, reverse=True)
    return items


# ---- the working-age disabled with no recorded work or training --------------------------------


def working_age_disabled(
    user: AnyUser, region: Region | None = None, on: datetime.date | None = None
) -> QuerySet[Person]:
    day = on or today()
    lo, hi = WORKING_AGE
    oldest = day.replace(year=day.year - hi)
    youngest = day.replace(year=day.year - lo)
    certified = DisabilityCertificate.objects.filter(person=OuterRef("pk"), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    qs = Person.objects.visible_to(user)
    if region is not None:
        qs = qs.in_region(region)
    return qs.filter(status=PersonStatus.ACTIVE, birth_date__gt=oldest, birth_date__lte=youngest).filter(
        Exists(certified)
    )


def without_work(user: AnyUser, region: Region | None = None) -> QuerySet[Person]:
    """Working-age (16–59) residents with a disability certificate in force and no enrolment,
    micro-factory work, job-fair application or public-welfare post on record, by community."""
    return (
        working_age_disabled(user, region)
        .exclude(Exists(Enrolment.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(Worker.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(Application.objects.filter(person=OuterRef("pk"))))
        .exclude(
            Exists(
                Recommendation.objects.filter(person=OuterRef("pk")).exclude(
                    status=RecommendationStatus.REJECTED
                )
            )
        )
        .select_related("region", "region__parent")
        .order_by("region__path", "id")
    )


# ---- what the figures count (also read by metrics) ----------------------------------------------


def latest_working(enrolments: QuerySet[Enrolment], end: datetime.date | None) -> QuerySet[Enrolment]:
    """Of ``enrolments``, those whose latest follow-up (up to ``end``) finds the trainee in work."""
    follow = FollowUp.objects.filter(enrolment=OuterRef("pk"))
    if end is not None:
        follow = follow.filter(followed_on__lte=end)
    latest = follow.order_by("-month", "-followed_on", "-id").values("outcome")[:1]
    return enrolments.annotate(latest_outcome=Subquery(latest)).filter(latest_outcome__in=list(WORKING))


def hired(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.filter(status=ApplicationStatus.HIRED)


def households_of(ids: Any) -> QuerySet[Household]:
    return Household.objects.filter(pk__in=ids)
