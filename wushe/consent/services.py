"""Every write of consents, statutory bases and sharings (keyword-only, ``acting_user``, checked,
in a transaction, with the change history naming who acted).

Consents and bases are recorded and withdrawn by the workers who manage the register
(``MANAGE_PERSONS``) for a person they can see; nothing is ever deleted. A scan of the signed
paper is a JPEG, PNG, WebP or PDF (checked from its bytes), at most ``WUSHE_UPLOAD_MAX_BYTES``,
stored under ``WUSHE_UPLOAD_ROOT`` with a random name and served only by a scoped view, each
view an access event. A sharing is written by the service that shares, in its transaction."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.checks import not_future, require_visible, text, today
from wushe.core.files import sniff_image
from wushe.core.history import actor, record_actor, save_as
from wushe.core.models import AccessEventKind
from wushe.core.permissions import require_perm
from wushe.core.services import access_event_record
from wushe.registry.models import Person

from .models import STATUTORY, Basis, Consent, DataKind, Method, Party, Purpose, Sharing, kinds_value

SCAN_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
GIVEN_METHODS = (Method.PAPER, Method.PHONE, Method.ORAL)


def sniff_scan(head: bytes) -> str | None:
    """The scan's type from its first bytes: an image (``core.files``) or a PDF."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return sniff_image(head)


def _kinds(kinds: Sequence[str], field: str = "kinds") -> str:
    wanted = [k for k in kinds if k]
    unknown = [k for k in wanted if k not in DataKind.values]
    if unknown:
        raise ValidationError({field: _("未知的信息种类：%(k)s") % {"k": "、".join(unknown)}})
    if not wanted:
        raise ValidationError({field: _("请至少选择一种信息")})
    return kinds_value(wanted)


def _purpose(purpose_kind: str, purpose: str) -> tuple[str, str]:
    if purpose_kind not in Purpose.values:
        raise ValidationError({"purpose_kind": _("请选择处理目的类别")})
    return purpose_kind, text(purpose, "purpose", max_length=300, required=True, message=_("请写明处理目的"))


def _day(on: datetime.date | None, field: str) -> datetime.date:
    day = on or today()
    not_future(day, field)
    return day


def _store_scan(record: Consent, fileobj: IO[bytes]) -> None:
    limit = settings.WUSHE_UPLOAD_MAX_BYTES
    data = fileobj.read(limit + 1)
    if not data:
        raise ValidationError({"scan": _("文件是空的")})
    if len(data) > limit:
        raise ValidationError({"scan": _("扫描件不能超过 %(mb)s MB") % {"mb": limit // (1024 * 1024)}})
    content_type = sniff_scan(data[:16])
    if content_type is None:
        raise ValidationError({"scan": _("只能上传 JPEG、PNG、WebP 图片或 PDF 文件")})
    record.scan_type, record.scan_size = content_type, len(data)
    record.scan.save(secrets.token_hex(12) + SCAN_TYPES[content_type], ContentFile(data), save=False)


@transaction.atomic
def consent_record(
    *,
    acting_user: User | None,
    person: Person,
    kinds: Sequence[str],
    purpose_kind: str,
    purpose: str,
    given_by: str = Party.SELF,
    guardian_name: str = "",
    guardian_relation: str = "",
    method: str,
    given_on: datetime.date | None = None,
    scan: IO[bytes] | None = None,
) -> Consent:
    """A consent given by ``person`` (or a guardian, named with the relation) to the processing
    of their data of ``kinds`` for a purpose: on signed paper (its scan required) or on a phone
    with the worker present (or orally, recorded by the worker)."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_visible(acting_user, person, "person")
    record = Consent(person=person, basis=Basis.CONSENT, kinds=_kinds(kinds))
    record.purpose_kind, record.purpose = _purpose(purpose_kind, purpose)
    if given_by not in Party.values:
        raise ValidationError({"given_by": _("请选择同意人")})
    record.given_by = given_by
    if given_by == Party.GUARDIAN:
        record.guardian_name = text(
            guardian_name, "guardian_name", max_length=50, required=True, message=_("请填写监护人姓名")
        )
        record.guardian_relation = text(
            guardian_relation,
            "guardian_relation",
            max_length=20,
            required=True,
            message=_("请填写与本人关系"),
        )
    if method not in GIVEN_METHODS:
        raise ValidationError({"method": _("请选择同意方式")})
    record.method = method
    record.given_on = _day(given_on, "given_on")
    if scan is not None:
        _store_scan(record, scan)
    elif method == Method.PAPER:
        raise ValidationError({"scan": _("纸质同意书须上传扫描件")})
    record.recorded_by = actor(acting_user)
    try:
        save_as(record, user=acting_user)
    except Exception:
        if record.scan:
            record.scan.delete(save=False)
        raise
    return record


@transaction.atomic
def basis_record(
    *,
    acting_user: User | None,
    person: Person,
    kinds: Sequence[str],
    basis: str,
    basis_text: str,
    purpose_kind: str,
    purpose: str,
    on: datetime.date | None = None,
) -> Consent:
    """Where there is no consent: the statutory basis the processing of ``person``'s data of
    ``kinds`` rests on (a duty of the 民政 department …), with the law or duty written out."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_visible(acting_user, person, "person")
    if basis not in STATUTORY:
        raise ValidationError({"basis": _("请选择法定依据")})
    record = Consent(person=person, basis=basis, kinds=_kinds(kinds))
    record.basis_text = text(
        basis_text, "basis_text", max_length=300, required=True, message=_("请写明所依据的法律法规或职责")
    )
    record.purpose_kind, record.purpose = _purpose(purpose_kind, purpose)
    record.given_on = _day(on, "given_on")
    record.recorded_by = actor(acting_user)
    return save_as(record, user=acting_user)


@transaction.atomic
def consent_withdraw(
    *,
    acting_user: User | None,
    consent: Consent,
    by_party: str = Party.SELF,
    method: str,
    stops: str,
    on: datetime.date | None = None,
) -> Consent:
    """Record the withdrawal of a consent (or the end of a basis): when, by whom, how, and
    which processing stops. From ``on`` the kinds it covered count as without consent."""
    require_perm(acting_user, MANAGE_PERSONS)
    record = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    require_visible(acting_user, record.person, "person")
    if record.withdrawn_on is not None:
        raise ValidationError({"consent": _("该记录已撤回")})
    day = _day(on, "withdrawn_on")
    if day < record.given_on:
        raise ValidationError({"withdrawn_on": _("撤回日期不能早于同意日期")})
    if record.is_consent:
        if by_party not in Party.values:
            raise ValidationError({"by_party": _("请选择撤回人")})
        if method not in GIVEN_METHODS:
            raise ValidationError({"method": _("请选择撤回方式")})
        record.withdrawn_by_party, record.withdrawal_method = by_party, method
    record.withdrawal_stops = text(
        stops, "stops", max_length=300, required=True, message=_("请写明撤回后停止哪些处理")
    )
    record.withdrawn_on = day
    record.withdrawal_recorded_by = actor(acting_user)
    record_actor(record, user=acting_user)
    record.save(
        update_fields=[
            "withdrawn_on",
            "withdrawn_by_party",
            "withdrawal_method",
            "withdrawal_stops",
            "withdrawal_recorded_by",
        ]
    )
    return record


def consent_scan_open(*, user: User, consent: Consent, request: HttpRequest | None = None) -> IO[bytes]:
    """The scan of a signed consent, for a worker who may see the person: an access event each time."""
    if not consent.scan:
        raise ValidationError({"scan": _("没有扫描件")})
    access_event_record(
        kind=AccessEventKind.REVEAL, user=user, request=request, obj=consent, detail={"fields": ["scan"]}
    )
    handle: IO[bytes] = consent.scan.open("rb")
    return handle


def sharing_record(
    *,
    acting_user: User | None,
    person: Person,
    organization_id: int,
    kinds: Sequence[str] = (DataKind.CONTACT,),
    purpose: str,
    impact: str,
    source: str = "",
) -> Sharing:
    """One sharing of ``person``'s data with the organization ``organization_id`` (PIPL art. 55), written inside
    the caller's transaction: the purpose and a short impact assessment are required."""
    return Sharing.objects.create(
        person=person,
        organization_id=organization_id,
        kinds=_kinds(kinds),
        purpose=text(purpose, "purpose", max_length=300, required=True, message=_("请写明提供目的")),
        impact=text(impact, "impact", max_length=1000, required=True, message=_("请填写影响评估")),
        source=source[:60],
        shared_by=actor(acting_user),
    )
