"""The one scoping mechanism: what a user may see.

A user holds role grants on region subtrees (``accounts.RoleGrant``). Every model that concerns
people names the path to its region in ``scope_region_field``; its manager's
``visible_to(user)`` keeps the rows whose region lies in one of the user's subtrees. Lists,
details, search, exports, figures and the API all start from ``visible_to``. The one widening —
what a user may *pick* for work (an organization registered on a region above the user's grant:
a street's organizations serve its communities) — is :func:`visible_or_above`, also here: nothing
outside this module decides which records a user may see. A missing and a forbidden object answer
the same 404 (:func:`get_visible_or_404`).

What this module does not decide, and where that is decided: what a user may *do* with a record
it sees (capabilities, ``accounts.roles`` through ``RoleBackend``; who handles a request referred
to a unit, ``partners.units``; who verifies a team's hours, ``volunteers.services.leads``); how
much of a visible person is shown (masked numbers; the full ones on a POST by a holder of
``registry.reveal_identifiers``, or the referred organization's reveal of a resident's phone,
``needs``, each an access event); and whether a user is offered people's pages at all
(``registry.selectors.sees_registry``: a region grant), which narrows links, never rows.

The organization roles (社会组织人员, 志愿服务队队长, 代表委员工作室) are granted on an
organization (``RoleGrant.organization``), not on a region's registry. A model that can be
referred or assigned to an organization names the field(s) in ``scope_org_field`` (a name or a
tuple of names, e.g. ``"referred_to"``); ``visible_to`` then also keeps the rows whose
organization is one of the user's. Nothing else of the region opens to them.

A model whose region is the *area it serves* rather than where it lives (a resource of the
资源清单: a street's 助医陪诊 serves every community and grid of the street; a project of the
项目清单 carried out for the street likewise) sets
``scope_serves_below = True``: ``visible_to`` then also keeps the rows registered on the regions
above (or at) one of the user's grants, because they serve the user's area too. A community
worker sees the street's resources beside the community's own, and the resources of a sibling
community stay closed. This widens reading only for such models; figures stay counts of the
chosen region's subtree (``in_region``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import In
from django.http import Http404

from wushe.core.regions import path_ids

if TYPE_CHECKING:
    from wushe.core.models import Region
    from wushe.core.types import AnyUser, User

M = TypeVar("M", bound=models.Model)

_CACHE_ATTR = "_wushe_scope_paths"
_ORG_CACHE_ATTR = "_wushe_scope_orgs"


def granted_paths(user: AnyUser) -> list[str] | None:
    """Region paths the user's grants cover; ``None`` means everything (superuser)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        RoleGrant = apps.get_model("accounts", "RoleGrant")
        cached = list(
            RoleGrant.objects.filter(user_id=user.pk, role__in=RoleGrant.REGION_ROLES)
            .values_list("region__path", flat=True)
            .distinct()
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def granted_organization_ids(user: AnyUser) -> list[int]:
    """Organizations the user is granted on (the organization roles)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, _ORG_CACHE_ATTR, None)
    if cached is None:
        RoleGrant = apps.get_model("accounts", "RoleGrant")
        cached = list(
            RoleGrant.objects.filter(user_id=user.pk, organization__isnull=False)
            .values_list("organization_id", flat=True)
            .distinct()
        )
        setattr(user, _ORG_CACHE_ATTR, cached)
    return cached


def forget(user: User) -> None:
    """Drop the cached grants (after a grant changes)."""
    for attr in (_CACHE_ATTR, _ORG_CACHE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def _region_field(model: type[models.Model]) -> str:
    """The path from a scoped model to its region: its ``scope_region_field``."""
    field = getattr(model, "scope_region_field", None)
    if not isinstance(field, str):
        raise TypeError(f"{model.__name__} names no scope_region_field")
    return field


def _org_fields(model: type[models.Model]) -> tuple[str, ...]:
    fields = getattr(model, "scope_org_field", None)
    if not fields:
        return ()
    return (fields,) if isinstance(fields, str) else tuple(fields)


def visible_regions(user: AnyUser) -> models.QuerySet[Region]:
    """The regions in the user's subtrees, as a queryset usable as a subquery."""
    from wushe.core.models import Region  # here: core.models imports this module

    paths = granted_paths(user)
    if paths is None:
        return Region.objects.all()
    if not paths:
        return Region.objects.none()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return Region.objects.filter(q)


def covers(user: AnyUser | None, region: Region) -> bool:
    """The user's grants include ``region``'s whole subtree (``None``: the operator's command line)."""
    if user is None:
        return True
    paths = granted_paths(user)
    return paths is None or any(region.path.startswith(p) for p in paths)


def _above(paths: list[str]) -> set[int]:
    """The granted regions and the regions above them."""
    return {rid for path in paths for rid in path_ids(path)}


def visible_or_above(qs: ScopedQuerySet[M], user: AnyUser | None) -> ScopedQuerySet[M]:
    """The rows of ``qs`` the user may see, and those registered on a region above (or at) one of
    the user's grants: what may be picked for work, not what may be read. ``None`` (the system)
    and a superuser keep every row."""
    if user is None:
        return qs
    paths = granted_paths(user)
    if paths is None:
        return qs
    field = _region_field(qs.model)
    visible = type(qs)(qs.model).visible_to(user).values("id")  # every row of the model
    return qs.filter(Q(id__in=visible) | Q(**{f"{field}__in": _above(paths)}))


class ScopedQuerySet(models.QuerySet[M]):
    def visible_to(self, user: AnyUser) -> Self:
        field = _region_field(self.model)
        paths = granted_paths(user)
        if paths is None:
            return self
        org_fields = _org_fields(self.model)
        org_ids = granted_organization_ids(user) if org_fields else []
        if not paths and not org_ids:
            return self.none()
        q = Q()
        if paths and field == "id":  # the Region model itself
            for path in paths:
                q |= Q(path__startswith=path)
        elif paths:
            q |= Q(**{f"{field}__in": visible_regions(user).values("id")})
        if paths and getattr(self.model, "scope_serves_below", False):
            q |= Q(**{f"{field}__in": _above(paths)})
        for org_field in org_fields:
            if org_ids:
                q |= Q(**{f"{org_field}__in": org_ids})
        return self.filter(q)

    def visible_in(self, user: AnyUser | None, region: Region, ids: list[int] | None = None) -> Self:
        """``visible_to(user).in_region(region)``, without the region filter's twin when the user's
        grants cover the region (it would only repeat the same subtree: a second semi-join,
        docs/benchmarks.md). A queryset class with its own
        ``visible_to`` (referrals, own cases) always applies it. ``ids``: the subtree's region
        ids, read once by the caller (:func:`subtree_ids`)."""
        plain = type(self).visible_to is ScopedQuerySet.visible_to
        qs = self if user is None or (plain and covers(user, region)) else self.visible_to(user)
        return qs.in_region(region, ids)

    def in_region(self, region: Region, ids: list[int] | None = None) -> Self:
        """Rows in ``region``'s subtree (lists filtered by region, figures of a chosen region).
        The rows are matched against the list of the subtree's region ids (``ids``, or read now
        by :func:`subtree_ids`), which PostgreSQL checks inside the (region, …) indexes instead
        of joining the region table (docs/benchmarks.md). A subtree too large for a list is matched
        with a subquery."""
        field = _region_field(self.model)
        if field == "id":
            return self.filter(path__startswith=region.path)
        if ids is None:
            ids = subtree_ids(region)
        if ids is not None:
            return self.filter(InIds(F(field), ids))
        from wushe.core.models import Region  # here: core.models imports this module

        ids_query = Region.objects.filter(path__startswith=region.path).values("id")
        return self.filter(**{f"{field}__in": ids_query})


class InIds(In[Any]):
    """``field IN (ids)``; on PostgreSQL ``field = ANY(%s)`` with the ids as one array parameter
    (the same index condition, without a placeholder per id to build and bind in every query)."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, list(self.rhs)]


# a subtree larger than this is matched with a subquery: a list this long is still cheap to send
SUBTREE_LIST_MAX = 2000


def subtree_ids(region: Region) -> list[int] | None:
    """The ids of ``region`` and every region below it, for :meth:`ScopedQuerySet.in_region`
    (``None`` for a subtree too large to send as a list)."""
    from wushe.core.models import Region  # here: core.models imports this module

    ids = list(
        Region.objects.filter(path__startswith=region.path).values_list("id", flat=True)[
            : SUBTREE_LIST_MAX + 1
        ]
    )
    return ids if len(ids) <= SUBTREE_LIST_MAX else None


ScopedManager = models.Manager.from_queryset(ScopedQuerySet, "ScopedManager")


def get_visible_or_404(queryset: ScopedQuerySet[M], user: AnyUser, **lookup: Any) -> M:
    """One object the user may see; missing and forbidden both raise the same Http404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
