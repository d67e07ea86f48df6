"""The figure of consent: residents whose sensitive data is held without consent or basis."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.metrics import Scope, metric
from wushe.registry.models import DisabilityCertificate, Person, PersonStatus, PersonTag

from .selectors import lacking_basis_ids


def _lacking(scope: Scope) -> Any:
    """The persons' ids, from the certificates and tags in scope (not from a million persons)."""
    return lacking_basis_ids(scope.of(DisabilityCertificate.objects.all()), scope.of(PersonTag.objects.all()))


def _records(scope: Scope) -> Any:
    return scope.of(Person.objects.all()).filter(pk__in=_lacking(scope), status=PersonStatus.ACTIVE)


@metric(
    "consent.without_basis",
    label=_("敏感信息无同意或依据"),
    unit=pgettext_lazy("unit", "人"),
    definition=_(
        "档案中持有残疾证、低保/特困或其他敏感人员类别，但没有在效的本人同意或法定处理依据的在册居民数（当前）"
    ),
    records=_records,
    period="none",
)
def without_basis(scope: Scope) -> int:
    return int(_lacking(scope).count())
