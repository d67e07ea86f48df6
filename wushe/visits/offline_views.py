"""Visits without a signal: the offline visit page and its service worker.

The page (``/visits/offline/``) is the visit form of ``views.visit_create`` with a household
picker; ``static/visits/offline.js`` keeps the worker's queue in IndexedDB and sends each item
with its key to ``/api/v1/offline/…`` when the network is back. The service worker
(``/visits/sw.js``, scope ``/visits/``) keeps the page, the static files it needs and the
worker's data (``/api/v1/offline/data``: households and needs, masked) in Cache Storage; every
other page needs a connection. The logout clears both (``Clear-Site-Data`` and ``app.js``)."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.permissions import page_permission
from wushe.needs.selectors import category_list

from .forms import NeedFormSet, ProblemFormSet, VisitForm

CACHE_PREFIX = "wushe-offline-"
# what the offline page needs from static/ (the page names them; the worker keeps exactly these)
OFFLINE_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "wushe/app.css",
    "wushe/app.js",
    "visits/offline.js",
    "visits/icon.svg",
)


@page_permission(RECORD_OUTREACH)
@require_GET
def offline_visit(request: HttpRequest) -> HttpResponse:
    categories = category_list()
    return render(
        request,
        "visits/offline.html",
        {
            "form": VisitForm(),
            "need_rows": NeedFormSet(prefix="needs", form_kwargs={"categories": categories}),
            "problem_rows": ProblemFormSet(prefix="problems"),
        },
    )


def offline_urls() -> list[str]:
    return [
        reverse("visits:offline"),
        reverse("api:offline_data"),
        *(static(name) for name in OFFLINE_STATIC),
    ]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker's script: the URLs it keeps and a cache name that changes with them
    (a new static file's hash is a new cache; the old ones are deleted on activation). No
    personal data and no login: a browser checks it for updates, signed in or not."""
    urls = offline_urls()
    version = hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12]
    context = {
        "urls_json": json.dumps(urls),
        "cache_json": json.dumps(f"{CACHE_PREFIX}{version}"),
        "prefix_json": json.dumps(CACHE_PREFIX),
        "static_json": json.dumps(static("")),
    }
    response = render(request, "visits/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("visits:visit_list")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the offline visit page installed on a phone's home screen."""
    body = {
        "name": _("五社联动 · 离线走访"),
        "short_name": _("离线走访"),
        "lang": get_language(),
        "start_url": reverse("visits:offline"),
        "scope": reverse("visits:visit_list"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#8a1c1c",
        "icons": [{"src": static("visits/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )
