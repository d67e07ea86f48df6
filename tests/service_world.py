"""The service-work objects (issue 6) of one side of the access matrix, built through the services:
an organization, a case, a group, an activity with a photo, a studio with a request, a volunteer
team with a volunteer, a pending and a verified record, a training on the volunteer's record, and a
proof."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import timezone

from wushe.appeals.services import appeal_register, studio_create
from wushe.casework.services import activity_create, activity_photo_add, case_open, group_create
from wushe.partners.models import OrganizationKind
from wushe.partners.services import organization_create
from wushe.volunteers.records import volunteer_entry_add
from wushe.volunteers.services import (
    proof_issue,
    service_record_log,
    service_record_prepare,
    service_records_bulk_log,
    team_create,
    volunteer_create,
)

# Verifying hours is the team leader's (an object-level check, ``volunteers.services.leads``):
# no region role holds it, so the matrix expects 403 from every role for these operations.
VERIFY_HOURS = "volunteers.verify_hours"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def service_objects(*, region: Any, grid: Any, person: Any, tag: str) -> dict[str, Any]:
    today = timezone.localdate()
    org = organization_create(
        acting_user=None, region=region, kind=OrganizationKind.PROFESSIONAL, name=f"矩阵机构{tag}"
    )
    case = case_open(
        acting_user=None,
        person=person,
        reason="矩阵个案",
        opened_on=today - datetime.timedelta(days=5),
        organization=org,
    )
    group = group_create(
        acting_user=None,
        region=grid,
        name=f"矩阵小组{tag}",
        goal="互助",
        starts_on=today,
        organization=org,
        members=[person],
    )
    activity = activity_create(
        acting_user=None, region=grid, kind="community", title=f"矩阵活动{tag}", on=today, place="活动室"
    )
    photo = activity_photo_add(acting_user=None, activity=activity, fileobj=io.BytesIO(PNG))
    studio_org = organization_create(
        acting_user=None, region=region, kind=OrganizationKind.STUDIO, name=f"矩阵工作室{tag}"
    )
    studio = studio_create(acting_user=None, organization=studio_org)
    appeal = appeal_register(
        acting_user=None, studio=studio, channel="walk_in", category="help", content="矩阵诉求", person=person
    )
    team_org = organization_create(
        acting_user=None, region=region, kind=OrganizationKind.VOLUNTEER_TEAM, name=f"矩阵志愿服务队{tag}"
    )
    team = team_create(acting_user=None, organization=team_org)
    volunteer = volunteer_create(
        acting_user=None, team=team, name="矩阵志愿者", joined_on=today - datetime.timedelta(days=30)
    )
    record = service_record_log(
        acting_user=None, volunteer=volunteer, on=today, hours="2", kind="meal", content="送餐"
    )
    service_records_bulk_log(
        acting_user=None,
        records=[
            service_record_prepare(
                acting_user=None,
                volunteer=volunteer,
                on=today,
                hours="3",
                kind="clean",
                content="助洁",
                verified=True,
            )
        ],
    )
    entry = volunteer_entry_add(
        acting_user=None, volunteer=volunteer, kind="training", on=today, title="矩阵培训", hours="2"
    )
    proof = proof_issue(acting_user=None, volunteer=volunteer)
    return {
        "case": case,
        "group": group,
        "activity": activity,
        "photo": photo,
        "studio": studio,
        "appeal": appeal,
        "team": team,
        "volunteer": volunteer,
        "record": record,
        "entry": entry,
        "proof": proof,
    }
