"""PDF documents from Django templates (WeasyPrint): receipts, 公示, booklets, cards.

A document's template extends ``core/pdf/base.html``, which links ``wushe/print.css`` (A4,
margins, page numbers, the Noto CJK fonts that ``make setup`` installs with ``fonts-noto-cjk``).
Rendering never touches the network: the URL fetcher serves the app's own static files (found
as ``{% static %}`` names them) and ``data:`` URIs (the QR codes of ``core.qr``), and refuses
every other URL — a template that names a remote image prints without it.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# the base URL documents are rendered against: never resolved on a network, only recognised
BASE_URL = "https://wushe.invalid/"


class RefusedURL(ValueError):
    """A document named a URL that is neither one of the app's static files nor ``data:``."""


def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.strip("/") + "/"


def static_file(url: str) -> Path | None:
    """The local file of one of the app's static URLs (``https://wushe.invalid/static/…``)."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    path = unquote(parts.path)
    prefix = _static_prefix()
    if not path.startswith(prefix):
        return None
    name = posixpath.normpath(path[len(prefix) :])
    if name.startswith(("..", "/")) or name == ".":
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / name  # production: collectstatic's copy
    return collected if collected.is_file() else None


class LocalStaticFetcher(URLFetcher):
    """Serves the app's static files and ``data:`` URIs; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        local = static_file(url)
        if local is None:
            self.refused.append(url)
            raise RefusedURL(f"not fetched: {url[:200]}")
        content_type = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, local.read_bytes(), {"Content-Type": content_type})


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """The PDF of ``template_name`` rendered with ``context``."""
    html = render_to_string(template_name, context, request=request)
    fetcher = LocalStaticFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    pdf = document.write_pdf(font_config=FontConfiguration())
    assert pdf is not None
    return bytes(pdf)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name (``filename*``) for a Chinese filename."""
    kind = "inline" if inline else "attachment"
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    ascii_name = ascii_name.strip("_") or "document.pdf"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def pdf_response(
    template_name: str,
    context: dict[str, Any],
    *,
    filename: str,
    request: HttpRequest | None = None,
    inline: bool = False,
) -> HttpResponse:
    """An HTTP response carrying the PDF, named ``filename`` (Chinese allowed)."""
    response = HttpResponse(
        render_pdf(template_name, context, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["Cache-Control"] = "private, no-store"  # documents carry personal data
    return response
