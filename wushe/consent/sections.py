"""The state of consent on a person's page (``core.sections``): each data kind → consent given,
statutory basis, withdrawn or none, with the dates, the records with their withdrawal, and the
latest sharings of the person's data with other units; the actions to record a consent or a
basis."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import MANAGE_PERSONS, READ_REGISTRY
from wushe.core.sections import ROWS, Action, Section, register

from .selectors import consent_list, consent_state, person_summary, sharing_list


def _person(person: Any, user: Any) -> dict[str, Any]:
    """One query for a person without records (the kinds held, whether there are any), one
    more for the consents and one for the sharings when there are."""
    summary = person_summary(person)
    records = list(consent_list(user=user, person=person)[:50]) if summary.has_consents else []
    sharings = list(sharing_list(user=user, person=person)[:ROWS]) if summary.has_sharings else []
    return {
        "states": consent_state(person, records, summary.held),
        "records": records,
        "total": len(records),
        "sharings": sharings,
        "can_manage": user.has_perm(MANAGE_PERSONS),
    }


def _url(name: str) -> Any:
    return lambda kind, subject: reverse(name, args=[subject.pk]) if kind == "person" else None


register(
    Section(
        key="consent",
        title=gettext_lazy("同意与处理依据"),
        order=32,
        template="consent/_section.html",
        person=_person,
        permission=READ_REGISTRY,
        wide=True,
        actions=(
            Action(gettext_lazy("登记同意"), url=_url("consent:consent_create"), permission=MANAGE_PERSONS),
            Action(gettext_lazy("登记法定依据"), url=_url("consent:basis_create"), permission=MANAGE_PERSONS),
        ),
    )
)
