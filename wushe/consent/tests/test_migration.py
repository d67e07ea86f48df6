"""The earlier flag ``Person.consent_sensitive`` becomes consent records (consent.0002): the data
migration's function, called directly on the flagged persons' ids and dates."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

from django.apps import apps

from tests.factories import PersonFactory
from wushe.consent import selectors
from wushe.consent.models import Consent
from wushe.core.checks import today

migration = importlib.import_module("wushe.consent.migrations.0002_consents_from_flags")


def test_each_flag_becomes_a_consent_of_the_sensitive_kinds(users: Any, person_a: Any, tree: Any) -> None:
    other = PersonFactory(region=tree.grid_a, tags=["dibao"])
    unflagged = PersonFactory(region=tree.grid_a, tags=["dibao"])
    flagged_on = datetime.date(2025, 3, 1)
    day = today()
    made = migration.consents_from_flags(
        [(person_a.pk, flagged_on), (other.pk, None)], apps.get_model("consent", "Consent"), on=day
    )
    assert made == 2
    first, second = Consent.objects.get(person=person_a), Consent.objects.get(person=other)
    assert first.kind_list == ["disability", "health", "assistance", "other"]
    assert (first.basis, first.method, first.given_by) == ("consent", "migrated", "self")
    assert first.given_on == flagged_on  # the flag's own date
    assert second.given_on == day  # no date on the flag: the migration's day
    assert day.isoformat() in first.purpose and first.withdrawn_on is None
    # the records are read as consents in force: only the unflagged resident is reported
    assert selectors.sensitive_basis(person_a, "disability") == first
    assert list(selectors.without_basis(user=users.worker_a)) == [unflagged]
    assert not Consent.objects.filter(person=unflagged).exists()


def test_no_flags_no_records() -> None:
    assert migration.consents_from_flags([], Consent, on=today()) == 0
