"""Work and income endpoints: /trainings, /microfactories, /jobfairs, /welfare-posts — lists,
details and the writes of the pages, through the same selectors and services (scoped like the
pages; bad input answers 422 naming the field). Money is an exact decimal string."""

from __future__ import annotations

from . import factories, fairs, posts, training
from .common import router

__all__ = ["factories", "fairs", "posts", "router", "training"]
