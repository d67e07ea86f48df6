"""Fixtures of the import tests: uploaded files under a temporary MEDIA_ROOT, tasks run at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wushe.imports import engine


@pytest.fixture(autouse=True)
def _media_and_tasks(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _no_crash_hook() -> Any:
    yield
    engine.run.after_batch_written = None
