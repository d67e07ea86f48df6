from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .api import api
from .core.health import healthz
from .core.web import clearing_site_data
from .reports.urls import reports_patterns

urlpatterns = [
    path("", include("wushe.reports.urls")),
    path("reports/", include((reports_patterns, "reports"))),
    path("registry/", include("wushe.registry.urls")),
    path("imports/", include("wushe.imports.urls")),
    path("visits/", include("wushe.visits.urls")),
    path("needs/", include("wushe.needs.urls")),
    path("partners/", include("wushe.partners.urls")),
    path("projects/", include("wushe.projects.urls")),
    path("services/", include("wushe.casework.urls")),
    path("appeals/", include("wushe.appeals.urls")),
    path("volunteers/", include("wushe.volunteers.urls")),
    path("funds/", include("wushe.funds.urls")),
    path("care/", include("wushe.care.urls")),
    path("rentals/", include("wushe.rentals.urls")),
    path("subsidies/", include("wushe.subsidies.urls")),
    path("poverty/", include("wushe.poverty.urls")),
    path("employment/", include("wushe.employment.urls")),
    path("public/funds/", include("wushe.funds.public_urls")),  # no login: a fund's 公示 only
    path("public/", include("wushe.portal.public_urls")),  # no login: residents' requests and ratings
    path("portal/", include("wushe.portal.urls")),
    path("policies/", include("wushe.policies.urls")),
    path("consents/", include("wushe.consent.urls")),
    path("settings/", include("wushe.core.urls")),
    path("accounts/", include("wushe.accounts.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    # the logout clears what the browser keeps (the offline visits' queue and caches)
    path("accounts/logout/", clearing_site_data(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/2fa/", include("wushe.accounts.twofactor_urls")),
    path("exports/", include("wushe.accounts.export_urls")),  # large exports made in the background
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # no login, nothing personal (core/health.py)
]

# Error pages in wushe's layout, Chinese first with English (wushe/core/views.py).
handler400 = "wushe.core.views.bad_request"
handler403 = "wushe.core.views.permission_denied"
handler404 = "wushe.core.views.page_not_found"
handler500 = "wushe.core.views.server_error"
