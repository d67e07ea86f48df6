"""Fixtures of the consent tests: uploads in tmp, a consent given on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from wushe.consent import services


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.WUSHE_UPLOAD_ROOT = tmp_path / "uploads"


def give(person: Any, user: Any = None, kinds: tuple[str, ...] = ("disability",), **kw: Any) -> Any:
    """A consent given by the person on a phone with the worker present."""
    return services.consent_record(
        acting_user=user,
        person=person,
        kinds=list(kinds),
        purpose_kind=kw.pop("purpose_kind", "disability"),
        purpose=kw.pop("purpose", "残疾人两项补贴与助残服务"),
        method=kw.pop("method", "phone"),
        **kw,
    )
