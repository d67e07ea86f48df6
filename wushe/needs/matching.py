"""Matching: the resources (partners) and projects that could meet a need, ranked, each with the
reasons for and against it. Above partners and projects in the layers (docs/architecture.md).

A candidate must serve the need's category, cover its area (its region is the need's or one
above), be active with capacity left (a resource) and be within its period on the day. Among
those, each suggestion scores the points of its reasons, and the list is ranked by that score,
then nearest area, resources before projects, most capacity left:

- area: the need's own grid +2, its community +1, the street 0;
- target group (a resource's age range, disability categories and levels, group tags; the need's
  person, or any active member of its household, is checked): each criterion met +2, each not
  met −3 (still listed, at the bottom: the social worker may know better);
- capacity: half or more of it left +1;
- period: available past the need's deadline +1, ending before it −1;
- the resident's own history with the provider (other needs of the same person or household):
  returned by it before −3, served and satisfied +2, served and not satisfied −2, being served
  by it now +1.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.core.models import SATISFIED_VALUES, RegionLevel
from wushe.core.regions import ancestor_ids
from wushe.partners.models import Resource
from wushe.projects.models import Project
from wushe.registry.facts import person_facts_many
from wushe.registry.models import Person, PersonStatus

from .models import Need, NeedStatus, Referral, ReferralState

_AREA_LABELS = {
    RegionLevel.GRID: gettext_lazy("所在网格"),
    RegionLevel.COMMUNITY: gettext_lazy("所在社区"),
    RegionLevel.STREET: gettext_lazy("所在街道"),
}
MET, NOT_MET = 2, -3  # a target-group criterion
RESIDENTS_MAX = 20  # members of a household checked against a target group


@dataclass(frozen=True)
class Reason:
    text: str
    points: int  # > 0 for the suggestion, < 0 against it, 0 a fact

    @property
    def sign(self) -> str:
        return "+" if self.points > 0 else "-" if self.points < 0 else ""


@dataclass
class Suggestion:
    kind: str  # "resource" or "project"
    target: Any
    distance: int  # 0: the need's own region, 1: the one above …
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(r.points for r in self.reasons)

    @property
    def reason(self) -> str:
        return "；".join(r.text for r in self.reasons)

    @property
    def provider(self) -> Any:
        return self.target.provider if self.kind == "resource" else self.target.organization

    def rank(self) -> tuple[Any, ...]:
        remaining = self.target.remaining if self.kind == "resource" else 0
        return (-self.score, self.distance, 0 if self.kind == "resource" else 1, -remaining, self.target.name)


# ---- what is known of the resident and of their history -------------------------------------


@dataclass
class Context:
    """What every candidate of one need is checked against, read once."""

    need: Need
    on: datetime.date
    order: dict[int, int]  # region id → distance from the need's region
    residents: list[dict[str, Any]]  # facts of the person or the household's members
    history: dict[int, list[tuple[str, str, str, str]]]  # org id → (state, status, satisfaction, note)


def _residents(need: Need, on: datetime.date) -> list[dict[str, Any]]:
    persons: Sequence[Person]
    if need.person_id:
        persons = list(Person.objects.filter(pk=need.person_id).defer("id_number", "phone", "contact_phone"))
    elif need.household_id:
        persons = list(
            Person.objects.filter(household_id=need.household_id, status=PersonStatus.ACTIVE)
            .defer("id_number", "phone", "contact_phone")
            .order_by("id")[:RESIDENTS_MAX]
        )
    else:
        persons = []
    facts = person_facts_many(persons, on=on) if persons else {}
    return [facts[p.pk] for p in persons]


def _history(need: Need) -> dict[int, list[tuple[str, str, str, str]]]:
    """The referrals of the same person's (or household's) other needs, by organization."""
    if need.person_id:
        same = Q(need__person_id=need.person_id)
    elif need.household_id:
        same = Q(need__household_id=need.household_id)
    else:
        return {}
    out: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    rows = (
        Referral.objects.filter(same)
        .exclude(need_id=need.pk)
        .values_list("organization_id", "state", "need__status", "need__satisfaction", "answer_note")
        .order_by("-referred_at")
    )
    for org_id, state, status, satisfaction, note in rows:
        out[org_id].append((state, status, satisfaction, note))
    return out


def context_for(need: Need, on: datetime.date | None = None) -> Context:
    on = on or timezone.localdate()
    ids = ancestor_ids(need.region)
    return Context(
        need=need,
        on=on,
        order={rid: i for i, rid in enumerate(ids)},
        residents=_residents(need, on),
        history=_history(need),
    )


# ---- the reasons ----------------------------------------------------------------------------


def _area(ctx: Context, target: Any) -> Reason:
    region = target.region
    distance = ctx.order[region.pk]
    label = _AREA_LABELS.get(RegionLevel(region.level), _("上级区域"))
    return Reason(_("服务范围：%(a)s") % {"a": f"{label}（{region.name}）"}, max(0, 2 - distance))


def _target_group(ctx: Context, resource: Resource) -> list[Reason]:
    """Each criterion of the resource's target group, met by the person or a household member."""
    criteria = []
    if resource.age_min is not None or resource.age_max is not None:
        low, high = resource.age_min or 0, resource.age_max if resource.age_max is not None else 200
        criteria.append(
            (
                lambda f: low <= f["person"]["age"] <= high,
                _("年龄符合（%(t)s）") % {"t": resource.age_text()},
                _("年龄不符（服务 %(t)s）") % {"t": resource.age_text()},
            )
        )
    cats, levels = resource.category_set, resource.level_set
    if cats or levels:
        wanted = resource.disability_text()
        criteria.append(
            (
                lambda f: (
                    f["person"]["has_certificate"]
                    and (not cats or f["person"]["disability_category"] in cats)
                    and (not levels or f["person"]["disability_level"] in levels)
                ),
                _("残疾类别/等级符合（%(t)s）") % {"t": wanted},
                _("残疾类别/等级不符（服务 %(t)s）") % {"t": wanted},
            )
        )
    tags = {t.code: t.name for t in resource.target_tags.all()}
    if tags:
        names = "、".join(tags.values())

        def has_tag(f: dict[str, Any]) -> bool:
            return bool(tags.keys() & (set(f["person"]["tags"]) | set(f["household"]["tags"])))

        criteria.append(
            (
                has_tag,
                _("人员类别符合（%(t)s）") % {"t": names},
                _("人员类别不符（服务 %(t)s）") % {"t": names},
            )
        )
    if not criteria:
        return [Reason(_("服务对象不限"), 0)]
    if not ctx.residents:
        return [Reason(_("未登记居民，服务对象未核对"), 0)]
    return [
        Reason(yes, MET) if any(test(f) for f in ctx.residents) else Reason(no, NOT_MET)
        for test, yes, no in criteria
    ]


def _capacity(resource: Resource) -> Reason:
    text = _("剩余容量 %(r)s/%(c)s") % {"r": resource.remaining, "c": resource.capacity}
    return Reason(text, 1 if resource.remaining * 2 >= resource.capacity else 0)


def _period(ctx: Context, until: datetime.date | None) -> Reason:
    if until is None:
        return Reason(_("长期可用"), 1)
    if until >= ctx.need.deadline:
        return Reason(_("可用至 %(d)s，覆盖办结期限") % {"d": until.isoformat()}, 1)
    return Reason(
        _("可用至 %(d)s，早于办结期限 %(e)s") % {"d": until.isoformat(), "e": ctx.need.deadline.isoformat()},
        -1,
    )


def _provider_history(ctx: Context, org_id: int) -> list[Reason]:
    reasons = []
    rows = ctx.history.get(org_id, [])
    returned = [note for state, _s, _sat, note in rows if state == ReferralState.RETURNED]
    if returned:
        reasons.append(Reason(_("该机构曾退回此居民的转介：%(r)s") % {"r": returned[0]}, -3))
    served = [(status, sat) for state, status, sat, _n in rows if state != ReferralState.RETURNED]
    if any(status == NeedStatus.MET and sat in SATISFIED_VALUES for status, sat in served):
        reasons.append(Reason(_("曾由该机构服务，居民满意"), 2))
    elif any(status == NeedStatus.MET and sat and sat not in SATISFIED_VALUES for status, sat in served):
        reasons.append(Reason(_("曾由该机构服务，居民不满意"), -2))
    if any(status in (NeedStatus.MATCHED, NeedStatus.IN_SERVICE) for status, _sat in served):
        reasons.append(Reason(_("正在接受该机构服务"), 1))
    return reasons


def _suggest(ctx: Context, target: Any) -> Suggestion:
    need = ctx.need
    reasons = [Reason(_("同类需求（%(c)s）") % {"c": need.category.label}, 0), _area(ctx, target)]
    if isinstance(target, Resource):
        kind, org_id = "resource", target.provider_id
        reasons += _target_group(ctx, target)
        reasons += [_capacity(target), _period(ctx, target.available_to)]
    else:
        kind, org_id = "project", target.organization_id
        reasons.append(
            Reason(
                _("项目周期 %(a)s 至 %(b)s")
                % {"a": target.start_on.isoformat(), "b": target.end_on.isoformat()},
                0,
            )
        )
        reasons.append(_period(ctx, target.end_on))
        if target.target_group:
            reasons.append(Reason(_("项目服务对象：%(t)s") % {"t": target.target_group}, 0))
    reasons += _provider_history(ctx, org_id)
    return Suggestion(kind, target, ctx.order[target.region_id], reasons)


# ---- the candidates -------------------------------------------------------------------------


def _resources(need: Need, ids: list[int], on: datetime.date) -> Any:
    return (
        Resource.objects.filter(active=True, categories=need.category_id, region_id__in=ids, remaining__gt=0)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=on))
        .filter(Q(available_to__isnull=True) | Q(available_to__gte=on))
        .select_related("provider", "region")
        .prefetch_related("target_tags")
        .distinct()
    )


def _projects(need: Need, ids: list[int], on: datetime.date) -> Any:
    return (
        Project.objects.filter(
            categories=need.category_id, region_id__in=ids, start_on__lte=on, end_on__gte=on
        )
        .select_related("organization", "region")
        .distinct()
    )


def suggestion_for(*, need: Need, target: Any, on: datetime.date | None = None) -> Suggestion | None:
    """``target`` (a resource or a project) as a suggestion for the need, with its reasons, or
    ``None`` when it cannot serve it: another category, an area that does not cover the need's,
    no capacity left, inactive, or outside its period."""
    on = on or timezone.localdate()
    ids = ancestor_ids(need.region)
    qs = _resources(need, ids, on) if isinstance(target, Resource) else _projects(need, ids, on)
    found = qs.filter(pk=target.pk).first()
    if found is None:
        return None
    return _suggest(context_for(need, on), found)


def need_suggestions(*, need: Need, on: datetime.date | None = None, limit: int = 20) -> list[Suggestion]:
    """Ranked resources and projects for a need, each with its reasons (the module's docstring
    says how they are scored). The caller has already opened the need (``get_need_for_user``);
    a provider's offer is seen by whoever may see the need."""
    ctx = context_for(need, on)
    ids = list(ctx.order)
    out = [_suggest(ctx, r) for r in _resources(need, ids, ctx.on)[:200]]
    out += [_suggest(ctx, p) for p in _projects(need, ids, ctx.on)[:200]]
    out.sort(key=Suggestion.rank)
    return out[:limit]
