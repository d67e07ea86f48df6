"""Every write of the poverty work (keyword-only, the acting user checked, atomic)."""

from .batches import booklet_batch_request, booklet_batch_run
from .checks import ItemInput, household_check_record
from .monitoring import (
    elimination_blockers,
    income_record,
    lead_create,
    lead_step,
    measure_add,
    object_eliminate,
    object_set_labour,
)
from .warnings import early_warning_run, warning_confirm, warning_dismiss

__all__ = [
    "ItemInput",
    "booklet_batch_request",
    "booklet_batch_run",
    "early_warning_run",
    "elimination_blockers",
    "household_check_record",
    "income_record",
    "lead_create",
    "lead_step",
    "measure_add",
    "object_eliminate",
    "object_set_labour",
    "warning_confirm",
    "warning_dismiss",
]
