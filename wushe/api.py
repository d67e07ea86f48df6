"""The JSON API at /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json.

Each app contributes a router from its own ``api.py``; they call the same services and
selectors as the pages. Authentication: the browser session (with CSRF) or
``Authorization: Bearer <token>`` (``manage.py issue_token USERNAME``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from wushe.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="wushe 五社联动服务平台 API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", field], "field": field, "msg": " ".join(msgs)}
            for field, msgs in exc.message_dict.items()
        ]
    return [{"loc": ["body"], "field": None, "msg": " ".join(exc.messages)}]


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _errors(exc)}, status=422)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


from wushe.appeals.api import router as appeals_router  # noqa: E402
from wushe.care.api import router as care_router  # noqa: E402
from wushe.casework.api import router as casework_router  # noqa: E402
from wushe.consent.api import router as consent_router  # noqa: E402
from wushe.employment.api import router as employment_router  # noqa: E402
from wushe.funds.api import router as funds_router  # noqa: E402
from wushe.imports.api import router as imports_router  # noqa: E402
from wushe.needs.api import router as needs_router  # noqa: E402
from wushe.partners.api import router as partners_router  # noqa: E402
from wushe.policies.api import router as policies_router  # noqa: E402
from wushe.poverty.api import router as poverty_router  # noqa: E402
from wushe.projects.api import router as projects_router  # noqa: E402
from wushe.registry.api import router as registry_router  # noqa: E402
from wushe.rentals.api import router as rentals_router  # noqa: E402
from wushe.reports.api import router as reports_router  # noqa: E402
from wushe.subsidies.api import router as subsidies_router  # noqa: E402
from wushe.visits.api import router as visits_router  # noqa: E402
from wushe.volunteers.api import router as volunteers_router  # noqa: E402

api.add_router("/", registry_router)
api.add_router("/", reports_router)
api.add_router("/", visits_router)
api.add_router("/", needs_router)
api.add_router("/", partners_router)
api.add_router("/", projects_router)
api.add_router("/", casework_router)
api.add_router("/", appeals_router)
api.add_router("/", volunteers_router)
api.add_router("/", imports_router)
api.add_router("/", funds_router)
api.add_router("/", policies_router)
api.add_router("/", care_router)
api.add_router("/", rentals_router)
api.add_router("/", subsidies_router)
api.add_router("/", poverty_router)
api.add_router("/", employment_router)
api.add_router("/", consent_router)
