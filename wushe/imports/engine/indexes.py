"""A first load into an empty registry: the registry's secondary indexes dropped for the load
and built again after it."""

from __future__ import annotations

import os
from typing import Any

from django.db import transaction

from ..models import ImportJob

# ---- a first load into an empty registry ----------------------------------------------
#
# Most of a write into the registry is spent keeping its secondary indexes (person, history,
# search keys, certificates, tags: two dozen of them). When a big ledger goes into an empty
# registry, the job drops the non-unique ones first and builds them once at the end, from
# sorted data, which is several times cheaper. The unique indexes (the ID number's hash, one
# search key per person) stay and keep enforcing their rule. The dropped definitions are kept
# in the job, in the same transaction as the drop: a process killed meanwhile leaves them there,
# and the resumed commit (the next ``import_ledger`` of the file, or the page's 继续导入) builds
# them at its end. Readers meanwhile get the same answers, more slowly.

DEFER_INDEXES_MIN_ROWS = 50_000


def _registry_tables() -> list[str]:
    from wushe.registry.models import DisabilityCertificate, Person, PersonSearchKey, PersonTag

    tables = []
    for model in (Person, PersonSearchKey, DisabilityCertificate, PersonTag):
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    return tables


def defer_indexes(job: ImportJob, rows: int) -> None:
    from django.conf import settings

    from wushe.core.bulk import deferrable_indexes, indexes_drop
    from wushe.registry.models import Person

    configured: Any = os.environ.get("WUSHE_IMPORT_DEFER_INDEXES_MIN_ROWS") or getattr(
        settings, "WUSHE_IMPORT_DEFER_INDEXES_MIN_ROWS", DEFER_INDEXES_MIN_ROWS
    )
    minimum = int(configured)
    if rows < minimum or Person.objects.exists():
        return
    with transaction.atomic():
        indexes = deferrable_indexes(*_registry_tables())
        if not indexes:
            return
        ImportJob.objects.filter(pk=job.pk).update(deferred_indexes=indexes)
        indexes_drop(indexes)
    job.deferred_indexes = indexes


def restore_indexes(job: ImportJob) -> None:
    """Build the indexes the job dropped (if any), then forget them."""
    from wushe.core.bulk import indexes_restore

    indexes = ImportJob.objects.filter(pk=job.pk).values_list("deferred_indexes", flat=True).first()
    if not indexes:
        return
    with transaction.atomic():
        indexes_restore(indexes)
        ImportJob.objects.filter(pk=job.pk).update(deferred_indexes=[])
    job.deferred_indexes = []
