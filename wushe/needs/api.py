"""Need endpoints: the needs list, one need, its steps, matching suggestions and accepting one,
referring by hand, the referrals (an organization's list, a need's, accepting or returning one);
problems."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.core.api import ErrorOut, region_for
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.partners.models import Organization, Resource
from wushe.projects.models import Project
from wushe.registry.selectors import get_household_for_user, get_person_for_user, heads_prefetch
from wushe.registry.subjects import subject_name

from . import editing, matching, referral_services, selectors, services
from .models import Need, NeedStatus, Problem, Referral, ReferralState

router = Router(tags=["needs"])


class NeedOut(Schema):
    id: int
    category: str
    category_name: str
    description: str
    urgency: str
    source: str
    status: str
    region: str
    person: int | None
    household: int | None
    subject_name: str = Field("", description="the person's name, else the household's (祝长连户)")
    reported_on: datetime.date
    deadline: datetime.date
    responsible_unit: int
    responsible_unit_name: str
    referred_to: int | None
    met_at: datetime.datetime | None
    satisfaction: str

    @staticmethod
    def resolve_category(obj: Need) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj: Need) -> str:
        return obj.category.name

    @staticmethod
    def resolve_region(obj: Need) -> str:
        return obj.region.code

    @staticmethod
    def resolve_person(obj: Need) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_household(obj: Need) -> int | None:
        return obj.household_id

    @staticmethod
    def resolve_subject_name(obj: Need) -> str:
        return subject_name(obj)

    @staticmethod
    def resolve_responsible_unit(obj: Need) -> int:
        return obj.responsible_unit_id

    @staticmethod
    def resolve_responsible_unit_name(obj: Need) -> str:
        return obj.responsible_unit.name

    @staticmethod
    def resolve_referred_to(obj: Need) -> int | None:
        return obj.referred_to_id


class NeedIn(Schema):
    category: str = Field(max_length=30)
    description: str = Field(max_length=300)
    household: int | None = Field(None, ge=1, le=MAX_ID)
    person: int | None = Field(None, ge=1, le=MAX_ID)
    urgency: str = Field("normal", max_length=10)
    source: str = Field("self", max_length=10)
    deadline: Date | None = None
    responsible_person: str = Field("", max_length=50)


class StepIn(Schema):
    to_status: NeedStatus
    note: str = Field("", max_length=300)
    unmet_reason: str = Field("", max_length=300)
    satisfaction: str = Field("", max_length=12)


class SuggestionOut(Schema):
    kind: str
    id: int
    name: str
    provider: str
    reason: str


class AcceptIn(Schema):
    resource: int | None = Field(None, ge=1, le=MAX_ID)
    project: int | None = Field(None, ge=1, le=MAX_ID)


class ProblemOut(Schema):
    id: int
    description: str
    subject_name: str = Field("", description="the person's name, else the household's (祝长连户)")
    found_on: datetime.date
    status: str
    resolved_on: datetime.date | None
    satisfaction: str

    @staticmethod
    def resolve_subject_name(obj: Problem) -> str:
        return subject_name(obj)


def _need(request: HttpRequest, need_id: int) -> Need:
    return selectors.get_need_for_user(user=request.user, pk=need_id)


@router.get("/needs", response={200: list[NeedOut], 422: ErrorOut}, summary="Needs in scope (需求清单)")
@paginate(LimitOffsetPagination)
def needs(
    request: HttpRequest,
    region: str = Query("", max_length=15),
    category: str = Query("", max_length=30),
    status: NeedStatus | None = None,
    overdue: bool = False,
) -> Any:
    filters = selectors.NeedFilters(
        region=region_for(request, region) if region else None,
        category=category,
        status=status or "",
        overdue=overdue,
    )
    return selectors.need_list(user=request.user, filters=filters)


@router.post(
    "/needs", response={201: NeedOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut}, summary="Register a need"
)
def need_create(request: AuthedRequest, payload: NeedIn) -> Any:
    try:
        household = (
            get_household_for_user(user=request.user, pk=payload.household) if payload.household else None
        )
        person = get_person_for_user(user=request.user, pk=payload.person) if payload.person else None
    except Http404:
        raise ValidationError({"household": _("户或居民不存在或不在您的管辖范围内")}) from None
    if household is None and person is None:
        raise ValidationError({"household": _("请指定居民或户")})
    need = services.need_create(
        acting_user=request.user,
        household=household,
        person=person,
        category=payload.category,
        description=payload.description,
        urgency=payload.urgency,
        source=payload.source,
        deadline=payload.deadline,
        responsible_person=payload.responsible_person,
    )
    return Status(201, _need(request, need.pk))


@router.get("/needs/{need_id}", response={200: NeedOut, 404: ErrorOut, 422: ErrorOut})
def need_detail(request: HttpRequest, need_id: int) -> Any:
    return _need(request, need_id)


@router.post(
    "/needs/{need_id}/steps",
    response={200: NeedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Move a need to its next status",
)
def need_step(request: AuthedRequest, need_id: int, payload: StepIn) -> Any:
    need = _need(request, need_id)
    services.need_advance(
        acting_user=request.user,
        need=need,
        to_status=payload.to_status,
        note=payload.note,
        unmet_reason=payload.unmet_reason,
        satisfaction=payload.satisfaction,
    )
    return _need(request, need_id)


@router.get(
    "/needs/{need_id}/suggestions",
    response={200: list[SuggestionOut], 404: ErrorOut, 422: ErrorOut},
    summary="Ranked resources and projects for a need, with the reason",
)
def need_suggestions(request: HttpRequest, need_id: int) -> Any:
    need = _need(request, need_id)
    return [
        {
            "kind": s.kind,
            "id": s.target.pk,
            "name": s.target.name,
            "provider": s.provider.name,
            "reason": s.reason,
        }
        for s in matching.need_suggestions(need=need)
    ]


@router.post(
    "/needs/{need_id}/accept",
    response={200: NeedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Accept a suggestion: refer the need to the provider",
)
def need_accept(request: AuthedRequest, need_id: int, payload: AcceptIn) -> Any:
    need = _need(request, need_id)
    resource = Resource.objects.filter(pk=payload.resource).first() if payload.resource else None
    project = Project.objects.filter(pk=payload.project).first() if payload.project else None
    if payload.resource and resource is None:
        raise ValidationError({"resource": _("资源不存在")})
    if payload.project and project is None:
        raise ValidationError({"project": _("项目不存在")})
    services.need_accept(acting_user=request.user, need=need, resource=resource, project=project)
    return _need(request, need_id)


@router.get("/problems", response={200: list[ProblemOut], 422: ErrorOut}, summary="Problems found, in scope")
@paginate(LimitOffsetPagination)
def problems(request: HttpRequest, region: str = Query("", max_length=15)) -> Any:
    filters = selectors.ProblemFilters(region=region_for(request, region) if region else None)
    return selectors.problem_list(user=request.user, filters=filters)


class ResolveIn(Schema):
    resolution: str = Field(max_length=300)
    satisfaction: str = Field("", max_length=12)


@router.post(
    "/problems/{problem_id}/resolve",
    response={200: ProblemOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def problem_resolve(request: AuthedRequest, problem_id: int, payload: ResolveIn) -> Problem:
    problem = selectors.get_problem_for_user(user=request.user, pk=problem_id)
    return services.problem_resolve(
        acting_user=request.user,
        problem=problem,
        resolution=payload.resolution,
        satisfaction=payload.satisfaction,
    )


class NeedEditIn(Schema):
    """A need's recorded fields, corrected (those given change); its status moves by steps."""

    reason: str = Field(max_length=100)
    category: str | None = Field(None, max_length=30)
    description: str | None = Field(None, max_length=300)
    urgency: str | None = Field(None, max_length=10)
    reported_on: Date | None = None
    responsible_person: str | None = Field(None, max_length=50)
    deadline: Date | None = None


@router.patch(
    "/needs/{need_id}",
    response={400: ErrorOut, 200: NeedOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct a need's recorded fields (those who may record needs in its region)",
)
def need_edit(request: HttpRequest, need_id: int, payload: NeedEditIn) -> Any:
    need = selectors.get_need_for_user(user=request.user, pk=need_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "reason"}
    editing.need_update(acting_user=request.user, need=need, reason=payload.reason, **changes)
    return _need(request, need_id)


# ---- referrals ----------------------------------------------------------------------------------


class ReferralOut(Schema):
    """One referral of a need to an organization and the organization's answer."""

    id: int
    need: int = Field(alias="need_id")
    need_category: str = Field("", description="the need's category code")
    need_description: str = ""
    need_status: str = ""
    subject_name: str = Field("", description="the person's name, else the household's (祝长连户)")
    organization: int = Field(alias="organization_id")
    organization_name: str = ""
    resource: int | None = Field(alias="resource_id")
    project: int | None = Field(alias="project_id")
    manual: bool
    reasons: str
    state: ReferralState
    referred_at: datetime.datetime
    answered_at: datetime.datetime | None
    answer_note: str

    @staticmethod
    def resolve_need_category(obj: Referral) -> str:
        return obj.need.category.code

    @staticmethod
    def resolve_need_description(obj: Referral) -> str:
        return obj.need.description

    @staticmethod
    def resolve_need_status(obj: Referral) -> str:
        return obj.need.status

    @staticmethod
    def resolve_subject_name(obj: Referral) -> str:
        return subject_name(obj.need)

    @staticmethod
    def resolve_organization_name(obj: Referral) -> str:
        return obj.organization.name


def _answered(referral: Referral) -> Referral:
    """The referral as answered, read again with what its answer shows (its visibility was
    checked before the answer: a returned need is no longer the organization's to see)."""
    return Referral.objects.select_related(
        "need__category", "need__person", "need__household", "organization"
    ).get(pk=referral.pk)


@router.get(
    "/referrals",
    response={200: list[ReferralOut], 422: ErrorOut},
    summary="Referrals to the caller's organizations (region users: those in scope)",
    description="state: waiting (待机构接收), accepted, returned; none: the current ones (waiting or accepted).",
)
@paginate(LimitOffsetPagination)
def referrals(request: HttpRequest, state: ReferralState | None = None) -> Any:
    records = selectors.referral_list(user=request.user, filters=selectors.ReferralFilters(state=state or ""))
    return records.prefetch_related(heads_prefetch("need__household"))  # a household named by its head


@router.get(
    "/needs/{need_id}/referrals",
    response={200: list[ReferralOut], 404: ErrorOut, 422: ErrorOut},
    summary="Every referral of a need, the latest first",
)
def need_referrals(request: HttpRequest, need_id: int) -> Any:
    need = _need(request, need_id)
    return selectors.need_referrals(need=need)


class ReferIn(Schema):
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="the organization (or a resource's)")
    resource: int | None = Field(None, ge=1, le=MAX_ID, description="one of its resources (capacity taken)")
    reason: str = Field(max_length=300, description="why no suggestion fits")
    purpose: str = Field(
        "", max_length=300, description="why the resident's contact is shared (default offered)"
    )
    impact: str = Field("", max_length=1000, description="the sharing's impact assessment (default offered)")


@router.post(
    "/needs/{need_id}/refer",
    response={200: NeedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Refer a need by hand to an organization when no suggestion fits (with the reason)",
)
def need_refer(request: AuthedRequest, need_id: int, payload: ReferIn) -> Any:
    need = _need(request, need_id)
    organization = (
        Organization.objects.filter(pk=payload.organization).first() if payload.organization else None
    )
    resource = Resource.objects.filter(pk=payload.resource).first() if payload.resource else None
    if payload.organization and organization is None:
        raise ValidationError({"organization": _("该组织已停用或不在您的工作范围内")})
    if payload.resource and resource is None:
        raise ValidationError({"resource": _("所选对象不存在或不在您的管辖范围内")})
    referral_services.need_refer(
        acting_user=request.user,
        need=need,
        organization=organization,
        resource=resource,
        reason=payload.reason,
        purpose=payload.purpose,
        impact=payload.impact,
    )
    return _need(request, need_id)


class AnswerIn(Schema):
    note: str = Field("", max_length=300)


class ReturnIn(Schema):
    reason: str = Field(max_length=300, description="why the organization cannot take it")


@router.post(
    "/referrals/{referral_id}/accept",
    response={200: ReferralOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The organization accepts a referral waiting for it",
)
def referral_accept(request: AuthedRequest, referral_id: int, payload: AnswerIn) -> Any:
    referral = selectors.get_referral_for_user(user=request.user, pk=referral_id)
    referral_services.referral_accept(acting_user=request.user, referral=referral, note=payload.note)
    return _answered(referral)


@router.post(
    "/referrals/{referral_id}/return",
    response={200: ReferralOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The organization returns a referral it cannot take, with the reason (the need goes back to 待对接)",
)
def referral_return(request: AuthedRequest, referral_id: int, payload: ReturnIn) -> Any:
    referral = selectors.get_referral_for_user(user=request.user, pk=referral_id)
    referral_services.referral_return(acting_user=request.user, referral=referral, reason=payload.reason)
    return _answered(referral)
