"""Recording consents and statutory bases, withdrawing them, the scan, sharings, scoping."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from wushe.consent import selectors, services
from wushe.consent.models import Consent, Sharing
from wushe.core.appendonly import AppendOnlyError
from wushe.core.checks import today
from wushe.core.models import AccessEvent

from .conftest import give

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"x" * 64


def test_a_consent_records_who_how_what_and_when_with_history(users: Any, person_a: Any) -> None:
    record = give(person_a, users.worker_a, kinds=("disability", "health"))
    record.refresh_from_db()
    assert record.kind_list == ["disability", "health"]
    assert (record.basis, record.given_by, record.method, record.given_on) == (
        "consent",
        "self",
        "phone",
        today(),
    )
    assert record.recorded_by == users.worker_a
    assert record.history.get().history_user == users.worker_a
    assert selectors.sensitive_basis(person_a, "disability") == record
    assert selectors.sensitive_basis(person_a, "assistance") is None


def test_a_guardian_is_named_with_the_relation(users: Any, person_a: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        give(person_a, users.worker_a, given_by="guardian", guardian_name="祝大")
    assert "guardian_relation" in exc.value.message_dict
    record = give(
        person_a, users.worker_a, given_by="guardian", guardian_name="祝大", guardian_relation="儿子"
    )
    assert (record.guardian_name, record.guardian_relation) == ("祝大", "儿子")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kinds": ()}, "kinds"),
        ({"kinds": ("nonsense",)}, "kinds"),
        ({"purpose": " "}, "purpose"),
        ({"purpose_kind": "x"}, "purpose_kind"),
        ({"method": "migrated"}, "method"),
        ({"method": "paper"}, "scan"),
        ({"given_on": today() + datetime.timedelta(days=1)}, "given_on"),
    ],
)
def test_a_consent_is_checked(users: Any, person_a: Any, change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        give(person_a, users.worker_a, **change)
    assert field in exc.value.message_dict
    assert not Consent.objects.exists()


def test_a_signed_paper_is_scanned_sniffed_and_size_limited(users: Any, person_a: Any) -> None:
    record = give(person_a, users.worker_a, method="paper", scan=io.BytesIO(PDF))
    assert record.scan_type == "application/pdf" and record.scan_size == len(PDF)
    path = Path(record.scan.path)
    assert path.is_file() and path.is_relative_to(Path(settings.WUSHE_UPLOAD_ROOT))
    assert give(person_a, users.worker_a, method="paper", scan=io.BytesIO(PNG)).scan_type == "image/png"
    with pytest.raises(ValidationError) as exc:
        give(person_a, users.worker_a, method="paper", scan=io.BytesIO(b"<html>not a scan</html>"))
    assert "scan" in exc.value.message_dict
    big = io.BytesIO(PDF + b"x" * settings.WUSHE_UPLOAD_MAX_BYTES)
    with pytest.raises(ValidationError):
        give(person_a, users.worker_a, method="paper", scan=big)
    assert Consent.objects.count() == 2


def test_a_statutory_basis_names_the_law(users: Any, person_a: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.basis_record(
            acting_user=users.worker_a,
            person=person_a,
            kinds=["assistance"],
            basis="civil_affairs",
            basis_text="",
            purpose_kind="assistance",
            purpose="低保审核",
        )
    assert "basis_text" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.basis_record(
            acting_user=users.worker_a,
            person=person_a,
            kinds=["assistance"],
            basis="consent",
            basis_text="x",
            purpose_kind="assistance",
            purpose="低保审核",
        )
    assert "basis" in exc.value.message_dict
    record = services.basis_record(
        acting_user=users.worker_a,
        person=person_a,
        kinds=["assistance"],
        basis="civil_affairs",
        basis_text="《社会救助暂行办法》第十一条",
        purpose_kind="assistance",
        purpose="低保审核",
    )
    assert selectors.sensitive_basis(person_a, "assistance") == record
    # a consent, where both exist, is the basis named first
    consent = give(person_a, users.worker_a, kinds=("assistance",))
    assert selectors.sensitive_basis(person_a, "assistance") == consent


def test_withdrawal_is_recorded_never_deleted_and_stops_the_consent(users: Any, person_a: Any) -> None:
    record = give(person_a, users.worker_a, kinds=("disability", "photos"))
    with pytest.raises(ValidationError) as exc:
        services.consent_withdraw(acting_user=users.worker_a, consent=record, method="phone", stops="")
    assert "stops" in exc.value.message_dict
    services.consent_withdraw(
        acting_user=users.street_admin,
        consent=record,
        by_party="guardian",
        method="oral",
        stops="停止使用照片和残疾信息开展宣传",
    )
    record.refresh_from_db()
    assert record.withdrawn_on == today()
    assert (record.withdrawn_by_party, record.withdrawal_method) == ("guardian", "oral")
    assert record.withdrawal_recorded_by == users.street_admin
    assert record.history.first().history_user == users.street_admin
    assert Consent.objects.filter(pk=record.pk).exists()
    assert selectors.sensitive_basis(person_a, "disability") is None
    assert selectors.missing_kinds(person_a, ["disability", "photos"]) == ["disability", "photos"]
    state = {s.kind: s.state for s in selectors.consent_state(person_a, [record])}
    assert state["disability"] == state["photos"] == "withdrawn"
    assert state["health"] == "none"
    with pytest.raises(ValidationError):
        services.consent_withdraw(acting_user=users.worker_a, consent=record, method="phone", stops="再次")


def test_only_workers_who_manage_the_register_and_see_the_person(users: Any, person_a: Any) -> None:
    with pytest.raises(PermissionDenied):
        give(person_a, users.leader)
    with pytest.raises(ValidationError):  # 乙社区's worker does not see 甲社区's resident
        give(person_a, users.worker_b)
    record = give(person_a, users.worker_a)
    with pytest.raises(ValidationError):
        services.consent_withdraw(acting_user=users.worker_b, consent=record, method="phone", stops="停止")
    assert list(selectors.consent_list(user=users.worker_b)) == []
    assert list(selectors.consent_list(user=users.worker_a)) == [record]


def test_the_scan_is_opened_with_an_access_event(users: Any, person_a: Any) -> None:
    record = give(person_a, users.worker_a, method="paper", scan=io.BytesIO(PDF))
    with services.consent_scan_open(user=users.worker_a, consent=record) as handle:
        assert handle.read() == PDF
    event = AccessEvent.objects.get(kind="reveal")
    assert (event.user, event.object_type, event.object_id) == (
        users.worker_a,
        "consent.consent",
        str(record.pk),
    )


def test_a_sharing_needs_purpose_and_impact_and_is_append_only(users: Any, person_a: Any, tree: Any) -> None:
    from tests.factories import OrganizationFactory

    org = OrganizationFactory(region=tree.street, name="如北辰社工")
    with pytest.raises(ValidationError) as exc:
        services.sharing_record(
            acting_user=users.worker_a, person=person_a, organization_id=org.pk, purpose="转介", impact=""
        )
    assert "impact" in exc.value.message_dict
    sharing = services.sharing_record(
        acting_user=users.worker_a, person=person_a, organization_id=org.pk, purpose="转介", impact="影响较小"
    )
    assert sharing.kinds == ",contact," and sharing.shared_by == users.worker_a
    with pytest.raises(AppendOnlyError):
        sharing.delete()
    assert list(selectors.sharing_list(user=users.worker_a, person=person_a)) == [sharing]
    assert list(selectors.sharing_list(user=users.worker_b, person=person_a)) == []
    assert Sharing.objects.count() == 1
