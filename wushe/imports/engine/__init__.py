"""The import itself: a dry run that counts and explains, and a commit in atomic batches.

Both read the file twice:

1. **Key scan.** Every data row's identity key (the ID number's 17-digit body) goes into a
   temporary SQLite file, which answers which people appear more than once and on which row
   they appear last. Memory stays flat whatever the file's length.
2. **Rows.** Each row is checked (:mod:`wushe.imports.rows`). Rows of a person who appears
   more than once wait until that person's last row: identical rows are merged (the others
   count as unchanged), rows that contradict each other are all rejected — wushe does not
   guess which one is right. Then every row is matched against the registry by the keyed hash
   of its ID number: new (created), the same (unchanged), different (updated, with the
   differences listed), or refused (registered elsewhere, deregistered, or changed in the
   registry after the ledger's date: newer data is never overwritten).

A commit writes each batch (``BATCH_SIZE`` rows) in one transaction: the persons through
:func:`wushe.registry.services.person_bulk_upsert`, the notable rows, the counts and the
high-water mark ``committed_through``. A process killed at any moment leaves whole batches
only; :func:`commit` called again resumes after the mark (rebuilding the waiting rows of
people whose last row lies beyond it) and ends with exactly the result of an uninterrupted run.

The package, one concern a module: ``scan`` (pass 1: the key scan), ``decide`` (pass 2: the
decider), ``checking`` (the checked rows, in forked workers with their pipes, in decided
batches), ``indexes`` (the indexes dropped for a first load), ``batches`` (counts and batches)
and ``run`` (``check``, ``commit`` with its batch commit and household links, ``fail``).
"""

from . import batches, checking, decide, indexes, run, scan
from .batches import BATCH_SIZE, Batch, Counts, ImportConflict
from .decide import Decider, Decision, resolve_group
from .indexes import DEFER_INDEXES_MIN_ROWS, restore_indexes
from .run import check, commit, fail
from .scan import KeyScan, build_checker, open_table, scan_keys

__all__ = [
    "BATCH_SIZE",
    "DEFER_INDEXES_MIN_ROWS",
    "Batch",
    "Counts",
    "Decider",
    "Decision",
    "ImportConflict",
    "KeyScan",
    "batches",
    "build_checker",
    "check",
    "checking",
    "commit",
    "decide",
    "fail",
    "indexes",
    "open_table",
    "resolve_group",
    "restore_indexes",
    "run",
    "scan",
    "scan_keys",
]
