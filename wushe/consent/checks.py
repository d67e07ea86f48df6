"""The answer consent gives the registry (``registry.basis``) and the other apps that record
sensitive data: which of the kinds just recorded for a person have neither a consent nor a
statutory basis in force — a warning for the worker, never a refusal."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from wushe.registry import basis
from wushe.registry.models import Person

from .models import DataKind
from .selectors import missing_kinds


def basis_warnings(person: Person, kinds: Sequence[str]) -> list[str]:
    """A warning naming the kinds of ``person``'s data recorded without consent or basis."""
    missing = missing_kinds(person, kinds)
    if not missing:
        return []
    labels = dict(DataKind.choices)
    return [
        _("%(name)s的%(kinds)s尚无本人同意或法定依据记录，请在居民页面登记同意或处理依据。")
        % {"name": person.name, "kinds": "、".join(str(labels.get(k, k)) for k in missing)}
    ]


basis.register(basis_warnings)
