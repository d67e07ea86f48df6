"""Poverty-work endpoints: household checks, 防返贫监测 (objects, leads and their steps, measures,
monthly income, elimination, warnings) and a household's booklet and card as PDF. Scoped like
the pages; a refused write answers 422 naming the field. Money is an exact decimal string."""

from __future__ import annotations

from . import checks, documents, monitoring, warnings
from .common import router

__all__ = ["checks", "documents", "monitoring", "router", "warnings"]
