"""The 一户一册 (booklet) and 一户一卡 (card) of a household, as HTML for the printer (A4) and as
PDF through ``core.pdf`` (Noto CJK fonts); the booklet includes every app's household section
(``core.sections``) as the viewing user may see it; personal numbers are the masked ones, never
the full ID or phone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from wushe.core import sections
from wushe.core.checks import today
from wushe.core.pdf import render_pdf
from wushe.core.qr import qr_data_uri
from wushe.registry.models import Household

from .selectors import booklet_for


def _sections(household: Household, user: Any) -> list[tuple[Any, SafeString]]:
    shown = []
    for item in sections.read(sections.HOUSEHOLD, household, user):
        context = {**item.context, "kind": sections.HOUSEHOLD, "subject": household, "section": item.section,
                   "actions": [], "limit": sections.ROWS, "printing": True}  # fmt: skip
        html = render_to_string(item.section.template, context)
        shown.append((item.section.title, mark_safe(html)))  # noqa: S308 — our own templates' output
    return shown


def qr_target(booklet: Any) -> str:
    """What the card's QR code opens: ``WUSHE_RESIDENT_REQUEST_URL`` when set, else the
    residents' request page (``WUSHE_PUBLIC_BASE_URL`` + its path) when the portal is installed,
    else the service phone (``tel:``). The same address for every card: not a one-time link."""
    url = str(getattr(settings, "WUSHE_RESIDENT_REQUEST_URL", "") or "")
    if url:
        return url
    base = str(getattr(settings, "WUSHE_PUBLIC_BASE_URL", "") or "").rstrip("/")
    try:
        path = reverse("portal_public:request_new")  # by name: poverty does not import the portal
    except NoReverseMatch:
        path = ""
    if base and path:
        return base + path
    return f"tel:{booklet.service_phone}" if booklet.service_phone else ""


def context_for(household: Household, user: Any, *, with_sections: bool = True) -> dict[str, Any]:
    booklet = booklet_for(user, household)
    target = qr_target(booklet)
    return {
        "b": booklet,
        "household": household,
        "sections": _sections(household, user) if with_sections else [],
        "qr": qr_data_uri(target) if target else "",
        "qr_target": target,
        "printed_on": today(),
    }


def booklet_pdf(household: Household, user: Any) -> bytes:
    return render_pdf("poverty/print/booklet.html", {"pages": [context_for(household, user)]})


def card_pdf(household: Household, user: Any) -> bytes:
    return render_pdf(
        "poverty/print/card.html", {"pages": [context_for(household, user, with_sections=False)]}
    )


def batch_pdf(households: list[Household], user: Any, progress: Any = None) -> bytes:
    """The booklets of ``households`` as one PDF (a page break before each)."""
    pages = []
    for n, household in enumerate(households, start=1):
        pages.append(context_for(household, user))
        if progress is not None:
            progress(n)
    return render_pdf("poverty/print/booklet.html", {"pages": pages})
