"""The person picker every service-work page shares: choose a registered person by name or pinyin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import PersonFilters, get_person_for_user, is_sensitive_query, person_list


def person_picker(request: HttpRequest, *, title: str, param: str = "person") -> dict[str, Any]:
    """Choose a registered person by name or pinyin (never by ID number or phone in a URL)."""
    q = (request.GET.get("q") or "").strip()[:60]
    chosen = None
    raw = request.GET.get(param) or request.POST.get(param)
    if raw:
        try:
            chosen = get_person_for_user(user=request.user, pk=int(raw))
        except Exception:  # noqa: BLE001 — a bad or foreign id is simply not chosen
            chosen = None
    blocked = bool(q) and is_sensitive_query(q)
    persons: list[Any] = []
    if q and not blocked and chosen is None:
        persons = list(
            person_list(user=request.user, filters=PersonFilters(q=q)).select_related("region")[:10]
        )
    return {"title": title, "q": q, "persons": persons, "chosen": chosen, "blocked": blocked, "param": param}
