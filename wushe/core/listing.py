"""One way to write a list page: a :class:`ListPage` names the selector, the one filter form, the
template (and its table fragment) and the export, and serves from that one definition the page,
the htmx fragment and the .xlsx export.

NetBox's ``ObjectListView`` is the model (queryset + filterset + table as configuration), with
wushe's own parts: the queryset comes from the app's selector (scoped with ``visible_to``), the
filterset is a :class:`ListFilterForm` whose ``to_filters`` turns its cleaned data into the
selector's typed filters, and the export's columns are the drill-down's columns of the model
(``reports.drill.drill_columns``), written by ``reports.exports.records_response`` — handed over
as :attr:`Export.response`, so that core imports nothing above it.

Also here, for every page: :func:`region_choices` (keyed on the region's code, which list URLs
carry), :func:`page_params` (the query without the page) and :func:`paginate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.utils.functional import Promise
from django.views.decorators.http import require_GET

from .forms import BootstrapMixin, region_choices, region_label
from .models import AREA_LEVELS

__all__ = [
    "AREA_LEVELS",
    "Export",
    "ListFilterForm",
    "ListPage",
    "Listing",
    "SearchForm",
    "is_fragment",
    "page_params",
    "paginate",
    "region_choices",
    "region_label",
]

View = Callable[..., HttpResponseBase]

# ---- helpers every list page shares (region helpers: core.forms; AREA_LEVELS: core.models) ----


def page_params(request: HttpRequest) -> QueryDict:
    """The request's query without ``page``: what pagination links and the export link carry."""
    params = request.GET.copy()
    params.pop("page", None)
    return params


def paginate(request: HttpRequest, records: Any) -> Page:
    """One page (``?page=``, ``WUSHE_PAGE_SIZE`` rows; a bad number is the first or last page)."""
    return Paginator(records, settings.WUSHE_PAGE_SIZE).get_page(request.GET.get("page"))


def is_fragment(request: HttpRequest) -> bool:
    """An htmx request for a fragment (not htmx restoring a whole page from its history)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


# ---- the filter definition ---------------------------------------------------------------------


class ListFilterForm(BootstrapMixin, forms.Form):
    """A list's one filter definition: its fields, the choices it reads for the user
    (:meth:`setup`) and :meth:`to_filters`, which turns cleaned data into the selector's filters.
    An unbound or invalid form gives ``to_filters({})``: the list's defaults. The selector is
    called as ``records(user=…, <filters_arg>=filters)``."""

    filters_arg = "filters"

    def __init__(self, data: QueryDict | None = None, *, user: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self.setup(user)
        self._style()

    def setup(self, user: Any) -> None:
        """Read the choices the user may pick (regions in scope, categories)."""

    def to_filters(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def filters(self) -> Any:
        valid = self.is_bound and self.is_valid()
        return self.to_filters(self.cleaned_data if valid else {})


class SearchForm(ListFilterForm):
    """A list searched by name only (``?q=``, at most 60 characters): the filters are the text."""

    filters_arg = "q"
    q = forms.CharField(required=False)

    def clean_q(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip()[:60]

    def to_filters(self, data: dict[str, Any]) -> str:
        return str(data.get("q") or "")


# ---- the list page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """A list's .xlsx export: the same records as the page, with the page's filters."""

    name: str | Promise  # the sheet, the title and the file's name
    key: str  # names the list in the access event (``detail.export``)
    permission: str
    response: Callable[..., HttpResponseBase]  # reports.exports.records_response
    obj: Callable[[Any], Any] | None = None  # the filters' region: in the title, the name and the event


@dataclass
class Listing:
    """One request's reading of a list: the bound form, its filters, the records and the page."""

    form: ListFilterForm | None
    filters: Any
    records: QuerySet[Any]
    page: Page | None = None


@dataclass(frozen=True)
class ListPage:
    """A list page as configuration: :meth:`page_view` and :meth:`export_view` are its views."""

    template: str
    records: Callable[..., QuerySet[Any]]  # the selector: (user=, filters=) -> the scoped records
    form: type[ListFilterForm] | None = None
    export: Export | None = None
    fragment: str = ""  # the table alone, answered to an htmx request
    permission: str = ""  # to see the page (the export has its own)
    paginated: bool = True
    context: Callable[[HttpRequest, Listing], dict[str, Any]] | None = None  # the page's own extras

    def listing(self, request: HttpRequest) -> Listing:
        form = self.form(request.GET or None, user=request.user) if self.form else None
        if form is None:
            return Listing(form=None, filters=None, records=self.records(user=request.user))
        filters = form.filters()
        records = self.records(user=request.user, **{form.filters_arg: filters})
        return Listing(form=form, filters=filters, records=records)

    def render(self, request: HttpRequest) -> HttpResponse:
        listing = self.listing(request)
        context: dict[str, Any] = {"params": page_params(request)}
        if listing.form is not None:
            context["form"] = listing.form
        if self.paginated:
            context["page_obj"] = listing.page = paginate(request, listing.records)
        if isinstance(listing.form, SearchForm):  # its filters are the text, or carry it as ``q``
            context["q"] = getattr(listing.filters, "q", listing.filters)
        if self.context is not None:
            context.update(self.context(request, listing))
        template = self.fragment if self.fragment and is_fragment(request) else self.template
        return render(request, template, context)

    def page_view(self) -> View:
        view: View = require_GET(self.render)
        if self.permission:  # checked before the method, as @permission_required above @require_GET
            view = permission_required(self.permission, raise_exception=True)(view)
        return login_required(view)

    def export_view(self) -> View:
        export = self.export
        if export is None:
            raise ValueError("this list has no export")

        def view(request: HttpRequest) -> HttpResponseBase:
            listing = self.listing(request)
            obj = export.obj(listing.filters) if export.obj is not None else None
            return export.response(
                request, records=listing.records, name=export.name, export=export.key, obj=obj
            )

        return login_required(permission_required(export.permission, raise_exception=True)(require_GET(view)))
