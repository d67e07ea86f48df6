"""Case, group and activity services: the order of steps, the checks, nothing written on bad input."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import PersonFactory
from wushe.casework import services
from wushe.casework.models import (
    Activity,
    ActivityPhoto,
    Case,
    CaseService,
    CaseStage,
    CaseStep,
    GroupSession,
)
from wushe.core.files import sniff_image

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AGO = TODAY - datetime.timedelta(days=30)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def open_case(person: Any, **kw: Any) -> Case:
    return services.case_open(acting_user=None, person=person, reason="独居，照料不足", opened_on=AGO, **kw)


def test_a_case_goes_through_its_stages_and_every_step_is_recorded(
    person_a: Any, org_a: Any, users: Any
) -> None:
    case = open_case(person_a, organization=org_a, worker=users.worker_a)
    assert case.number.startswith(f"GA{AGO.year}-") and case.stage == CaseStage.INTAKE
    for stage, note in (("assessment", "评估"), ("plan", "计划"), ("intervention", "")):
        services.case_advance(acting_user=users.worker_a, case=case, stage=stage, on=TODAY, note=note)
    services.case_service_record(
        acting_user=users.worker_a, case=case, on=TODAY, minutes=60, content="上门探访"
    )
    services.case_advance(
        acting_user=users.worker_a, case=case, stage="closed", on=TODAY, note="目标达成", follow_up_on=TODAY
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED and case.closing_summary == "目标达成" and case.next_due == TODAY
    steps = list(case.steps.values_list("kind", "by__username"))
    assert [k for k, _u in steps] == ["intake", "assessment", "plan", "intervention", "closed"]
    assert steps[1][1] == "worker_a"
    services.case_reopen(acting_user=users.worker_a, case=case, on=TODAY, note="情况反复")
    case.refresh_from_db()
    assert case.stage == CaseStage.ASSESSMENT and case.closed_on is None
    last = case.steps.last()
    assert last is not None and last.kind == "reopened"


def test_stages_cannot_be_skipped_and_a_closed_case_takes_no_services(person_a: Any) -> None:
    case = open_case(person_a)
    with pytest.raises(ValidationError) as exc:
        services.case_advance(acting_user=None, case=case, stage="plan", on=TODAY, note="x")
    assert "stage" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.case_advance(acting_user=None, case=case, stage="assessment", on=TODAY, note="")
    assert "note" in exc.value.message_dict
    services.case_advance(acting_user=None, case=case, stage="closed", on=TODAY, note="迁出")
    with pytest.raises(ValidationError):
        services.case_service_record(acting_user=None, case=case, on=TODAY, minutes=30, content="x")
    with pytest.raises(ValidationError):
        services.case_reopen(acting_user=None, case=case, on=TODAY, note="")
    assert CaseStep.objects.filter(case=case).count() == 2


def test_bad_input_writes_nothing(person_a: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.case_open(acting_user=None, person=person_a, reason="  ", opened_on=AGO)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.case_open(
            acting_user=None, person=person_a, reason="x", opened_on=TODAY + datetime.timedelta(days=1)
        )
    assert "opened_on" in exc.value.message_dict
    case = open_case(person_a)
    with pytest.raises(ValidationError) as exc:
        services.case_service_record(acting_user=None, case=case, on=TODAY, minutes=0, content="x")
    assert "minutes" in exc.value.message_dict
    assert Case.objects.count() == 1 and CaseService.objects.count() == 0


def test_scope_and_capability_are_checked(person_a: Any, person_b: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.case_open(acting_user=users.worker_a, person=person_b, reason="x", opened_on=AGO)
    assert "person" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.case_open(acting_user=users.leader, person=person_a, reason="x", opened_on=AGO)


def test_a_session_records_only_members_as_attending(tree: Any, person_a: Any, org_a: Any) -> None:
    stranger = PersonFactory(region=tree.grid_a)
    group = services.group_create(
        acting_user=None, region=tree.community_a, name="康复互助小组", goal="互助", starts_on=AGO, organization=org_a,
        members=[person_a],
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.group_session_record(
            acting_user=None, group=group, on=TODAY, topic="相识", attendees=[stranger]
        )
    assert "attendees" in exc.value.message_dict
    first = services.group_session_record(
        acting_user=None, group=group, on=TODAY, topic="相识", attendees=[person_a]
    )
    second = services.group_session_record(acting_user=None, group=group, on=TODAY, topic="分享")
    assert (first.number, second.number) == (1, 2)
    assert list(first.attendees.all()) == [person_a]
    assert GroupSession.objects.count() == 2


def test_activity_counts_are_checked(tree: Any, org_a: Any) -> None:
    base = {
        "acting_user": None,
        "region": tree.community_a,
        "kind": "publicity",
        "title": "政策宣传",
        "on": TODAY,
        "place": "广场",
    }
    with pytest.raises(ValidationError) as exc:
        services.activity_create(**base, participants=10, disabled_participants=11)
    assert "disabled_participants" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.activity_create(**base, organizer_kind="organization")
    assert "organizer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.activity_create(**base, organizer_kind="studio", organizer=org_a)
    assert "organizer" in exc.value.message_dict
    assert Activity.objects.count() == 0
    a = services.activity_create(
        **base, organizer_kind="organization", organizer=org_a, participants=40, leaflets=200
    )
    assert a.leaflets == 200


def test_photos_are_checked_for_type_and_size_and_stored_outside_the_code(tree: Any, settings: Any) -> None:
    activity = services.activity_create(
        acting_user=None, region=tree.community_a, kind="community", title="生日会", on=TODAY, place="活动室"
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_photo_add(
            acting_user=None, activity=activity, fileobj=io.BytesIO(b"<svg onload=alert(1)>")
        )
    assert "image" in exc.value.message_dict
    settings.WUSHE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        services.activity_photo_add(
            acting_user=None, activity=activity, fileobj=io.BytesIO(PNG + b"\x00" * 100)
        )
    assert "image" in exc.value.message_dict
    assert ActivityPhoto.objects.count() == 0
    photo = services.activity_photo_add(
        acting_user=None, activity=activity, fileobj=io.BytesIO(PNG), caption="合影"
    )
    path = Path(photo.image.path)
    assert path.is_file() and path.is_relative_to(Path(settings.WUSHE_UPLOAD_ROOT))
    assert not path.is_relative_to(Path(settings.BASE_DIR) / "wushe")
    assert photo.content_type == "image/png" and path.suffix == ".png"


def test_sniffing_knows_the_three_formats() -> None:
    assert sniff_image(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff_image(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_image(b"GIF89a") is None


def test_default_upload_root_is_in_the_data_directory() -> None:
    from wushe import settings as project_settings

    assert Path(project_settings.WUSHE_UPLOAD_ROOT) == Path(project_settings.DATA_DIR) / "uploads"
    assert settings.WUSHE_UPLOAD_MAX_BYTES == 5 * 1024 * 1024
