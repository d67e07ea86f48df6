"""The registry's own sections of the person and household pages (``core.sections``): the
household and its members, the tags of person and household, the certificate and ledger colour.
The other apps add theirs in their own ``sections.py``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.sections import Action, Section, register

from . import selectors
from .models import Household, Person, PersonStatus


def _person_household(person: Person, user: Any) -> dict[str, Any]:
    household = person.household
    if household is None:
        return {"household": None, "members": [], "total": 0}
    members = selectors.household_members(user=user, household=household)
    return {"household": household, "members": members, "total": len(members)}


def _household_members(household: Household, user: Any) -> dict[str, Any]:
    members = selectors.household_members(user=user, household=household)
    return {"household": household, "members": members, "total": len(members)}


def _join_url(kind: str, subject: Any) -> str | None:
    """A person without a household: join one or open one (the page says how)."""
    if kind == "person" and subject.household_id is None and subject.status == PersonStatus.ACTIVE:
        return reverse("registry:person_household", args=[subject.pk])
    return None


def _manage_url(kind: str, subject: Any) -> str | None:
    return reverse("registry:household_members", args=[subject.pk]) if kind == "household" else None


def _new_member_url(kind: str, subject: Any) -> str | None:
    if kind == "household":
        return f"{reverse('registry:person_create')}?household={subject.pk}"
    return None


register(
    Section(
        key="household",
        title=_("户与家庭成员"),
        order=10,
        template="registry/sections/household.html",
        wide=True,
        person=_person_household,
        household=_household_members,
        actions=(
            Action(_("加入或新建户"), url=_join_url, permission=MANAGE_PERSONS),
            Action(_("添加成员"), url=_manage_url, permission=MANAGE_PERSONS),
            Action(_("登记新成员"), url=_new_member_url, permission=MANAGE_PERSONS),
        ),
    )
)


def _person_tags(person: Person, user: Any) -> dict[str, Any]:
    tags = sorted(person.tags.all(), key=lambda pt: (pt.valid_to is not None, pt.valid_from))
    household_tags = (
        selectors.household_tag_rows(user=user, household_id=person.household_id)
        if person.household_id
        else []
    )
    return {"tags": tags, "household_tags": household_tags, "total": len(tags) + len(household_tags)}


def _household_tags(household: Household, user: Any) -> dict[str, Any]:
    household_tags = selectors.household_tag_rows(user=user, household_id=household.pk)
    member_tags = selectors.member_open_tags(user=user, household=household)
    return {"household_tags": household_tags, "member_tags": member_tags, "total": len(household_tags)}


def _tags_url(kind: str, subject: Any) -> str | None:
    return reverse("registry:household_tags", args=[subject.pk]) if kind == "household" else None


register(
    Section(
        key="tags",
        title=_("人员类别与户类别"),
        order=20,
        template="registry/sections/tags.html",
        person=_person_tags,
        household=_household_tags,
        actions=(Action(_("修改户类别"), url=_tags_url, permission=MANAGE_PERSONS),),
    )
)


def _person_certificate(person: Person, user: Any) -> dict[str, Any]:
    colours = selectors.colour_map()
    labels = selectors.colour_labels()
    rows: list[dict[str, Any]] = [
        {
            "cert": c,
            "colour": colours.get(c.category, ""),
            "colour_label": labels.get(colours.get(c.category, ""), ""),
        }
        for c in person.certificates.all()
    ]
    current = next((row for row in rows if row["cert"].valid_to is None), None)
    return {"current": current, "certificates": rows, "total": 0}


def _household_certificates(household: Household, user: Any) -> dict[str, Any]:
    members = [
        m
        for m in selectors.household_members(user=user, household=household)
        if getattr(m, "open_certificate", None)  # with_current_certificates
    ]
    return {"holders": members, "total": len(members)}


register(
    Section(
        key="certificate",
        title=_("残疾人证与四色台账"),
        order=30,
        template="registry/sections/certificate.html",
        person=_person_certificate,
        household=_household_certificates,
    )
)
