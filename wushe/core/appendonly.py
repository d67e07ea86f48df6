"""The append-only guard, in one place: the access-event log (``core.models.AccessEvent``) and the
ledgers (``core.ledger``) are written once and never updated or deleted.

A model inherits :class:`AppendOnlyModel` (``save`` of an existing row and ``delete`` refused)
and uses a manager built from :class:`AppendOnlyQuerySet` (bulk ``update``, ``bulk_update`` and
``delete`` refused), with ``base_manager_name`` pointing at it so that related managers and the
admin get the guards too. A correction is a new row, never an edit.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class AppendOnlyError(ValueError):
    """An attempt to change or remove a row of an append-only table."""


def refuse(model: type[models.Model] | models.Model) -> NoReturn:
    label = getattr(model, "append_only_label", None) or f"{model._meta.verbose_name_plural} rows"
    raise AppendOnlyError(f"{label} are append-only")


class AppendOnlyQuerySet(models.QuerySet[M]):
    """Bulk updates and deletes would bypass the model's guards: refuse them too."""

    def update(self, **kwargs: Any) -> int:
        refuse(self.model)

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse(self.model)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        refuse(self.model)


class AppendOnlyModel(models.Model):
    """A row is inserted once; saving it again or deleting it raises :class:`AppendOnlyError`."""

    append_only_label = ""  # e.g. "access events": the subject of the refusal's message

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            refuse(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        refuse(self)
