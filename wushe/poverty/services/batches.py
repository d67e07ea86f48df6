"""Booklet batches: a grid's or a community's 一户一册 as one PDF, made by a background task
(``tasks.make_booklet_batch``) with its progress stored on the batch."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import READ_REGISTRY
from wushe.core.history import actor
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import require_perm, require_region_in_scope

from ..models import BatchStatus, BookletBatch

logger = logging.getLogger(__name__)
BATCH_LEVELS = (RegionLevel.COMMUNITY, RegionLevel.GRID)


@transaction.atomic
def booklet_batch_request(*, acting_user: User | None, region: Region) -> BookletBatch:
    """Ask for a grid's or a community's booklets; the task starts when the transaction commits."""
    require_perm(acting_user, READ_REGISTRY)
    require_region_in_scope(acting_user, region)
    if region.level not in BATCH_LEVELS:
        raise ValidationError({"region": _("请选择社区/村或网格")})
    batch = BookletBatch.objects.create(region=region, requested_by=actor(acting_user))

    def start() -> None:
        from ..tasks import make_booklet_batch

        result = make_booklet_batch.enqueue(batch.pk)
        BookletBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))

    transaction.on_commit(start)
    return batch


def booklet_batch_run(batch_id: int) -> int:
    """Make the batch's PDF (as its requester sees the households); returns the households."""
    from ..documents import batch_pdf
    from ..selectors import households_of

    batch = BookletBatch.objects.select_related("region", "requested_by").get(pk=batch_id)
    households = list(households_of(batch.region).select_related("region"))
    BookletBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, total=len(households), done=0)

    def progress(n: int) -> None:
        if n % 5 == 0 or n == len(households):
            BookletBatch.objects.filter(pk=batch.pk).update(done=n)

    try:
        pdf = batch_pdf(households, batch.requested_by, progress)
    except Exception as exc:
        logger.exception("booklet batch %s failed", batch.pk)
        BookletBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED,
            error=(str(exc) or exc.__class__.__name__)[:300],
            finished_at=timezone.now(),
        )
        raise
    BookletBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE, pdf=pdf, done=len(households), finished_at=timezone.now()
    )
    return len(households)
