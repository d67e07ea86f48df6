"""Reading the region tree's materialised paths (``/1/5/17/``) without a query."""

from __future__ import annotations

from typing import Any


def path_ids(path: str) -> list[int]:
    """The region ids along a materialised path, from the root down."""
    return [int(p) for p in path.strip("/").split("/") if p]


def ancestor_ids(region: Any) -> list[int]:
    """The region and the regions above it (materialised path), nearest first."""
    return path_ids(region.path)[::-1]
