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
carry), :func:`page_params` (the query without the page) and :func:`paginate`; the sortable
columns (:class:`Sort`: ``?sort=key`` / ``?sort=-key``, only the keys a page names, the header
links with ``aria-sort`` from ``core/_sort_th.html``) and what an empty list says and offers to
do next (:class:`Empty`, ``core/_empty.html``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Page, Paginator
from django.db.models import Case, F, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .forms import BootstrapMixin, region_choices, region_label
from .models import AREA_LEVELS
from .permissions import page_permission
from .replica import reads_from_replica

if TYPE_CHECKING:
    from .types import AnyUser

__all__ = [
    "AREA_LEVELS",
    "Empty",
    "Export",
    "ListFilterForm",
    "ListPage",
    "Listing",
    "SearchForm",
    "Sort",
    "choice_order",
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


def paginate(request: HttpRequest, records: Any, per_page: int | None = None) -> Page[Any]:
    """One page (``?page=``, ``WUSHE_PAGE_SIZE`` rows unless ``per_page``; a bad number is the
    first or last page)."""
    return Paginator(records, per_page or settings.WUSHE_PAGE_SIZE).get_page(request.GET.get("page"))


def is_fragment(request: HttpRequest) -> bool:
    """An htmx request for a fragment (not htmx restoring a whole page from its history)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


# ---- the filter definition ---------------------------------------------------------------------


class ListFilterForm(BootstrapMixin, forms.Form):
    """A list's one filter definition: its fields, the choices it reads for the user
    (:meth:`setup`) and :meth:`to_filters`, which turns cleaned data into the selector's filters.
    An unbound or invalid form gives ``to_filters({})``: the list's defaults. The selector is
    called as ``records(user=…, <filters_arg>=filters)``."""

    filters_arg = "filters"

    def __init__(self, data: QueryDict | None = None, *, user: AnyUser | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self.setup(user)
        self._style()

    def setup(self, user: AnyUser | None) -> None:
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


SORT_PARAM = "sort"


@dataclass(frozen=True)
class Sort:
    """A sortable column of a list: ``?sort=<key>`` orders by ``fields`` (a ``-`` before a field
    reverses it), ``?sort=-<key>`` by the same reversed; empty values last either way, the
    primary key breaking ties (pages never overlap). ``label`` is the column's header."""

    key: str
    label: str | Promise
    fields: tuple[Any, ...]  # field names, or expressions (:func:`choice_order`)
    descending_first: bool = False  # dates and counts: the first click shows the latest / most

    def order_by(self, *, descending: bool) -> list[Any]:
        out: list[Any] = []
        for field in self.fields:
            name = field if isinstance(field, str) else ""
            reverse_it = name.startswith("-") != descending
            expr = F(name.lstrip("-")) if name else field
            out.append(expr.desc(nulls_last=True) if reverse_it else expr.asc(nulls_last=True))
        return [*out, "-pk" if descending else "pk"]


def choice_order(field: str, values: Sequence[str]) -> Case:
    """A column of choices sorted in the order of the workflow (``values``), not the alphabet."""
    return Case(
        *(When(**{field: v}, then=Value(i)) for i, v in enumerate(values)), default=Value(len(values))
    )


@dataclass(frozen=True)
class SortLink:
    """A sortable header as the template draws it."""

    label: str | Promise
    href: str  # the list's query with this column's next order
    state: str  # aria-sort: "ascending", "descending" or "" (not sorted by it)
    hint: str | Promise  # what following the link does, for screen readers
    hx_target: str = ""


@dataclass(frozen=True)
class Empty:
    """What an empty list says. Nothing recorded yet: ``text``, and — for a user holding
    ``permission`` (or when none is needed) — a link ``action`` to the URL named ``url``. With
    filters on: ``filtered`` and a link that clears them."""

    text: str | Promise
    action: str | Promise = ""
    url: str = ""
    permission: str = ""
    filtered: str | Promise = _("没有符合筛选条件的记录。")


def _sorting(request: HttpRequest, sorts: tuple[Sort, ...]) -> tuple[Sort | None, bool]:
    """The column a request sorts by (one the page names, or none) and whether descending."""
    raw = str(request.GET.get(SORT_PARAM, ""))[:40]
    descending = raw.startswith("-")
    key = raw[1:] if descending else raw
    return next((s for s in sorts if s.key == key), None), descending


def _filtered(request: HttpRequest) -> bool:
    return any(v for k, values in request.GET.lists() if k not in ("page", SORT_PARAM) for v in values)


@dataclass
class Listing:
    """One request's reading of a list: the bound form, its filters, the records and the page."""

    form: ListFilterForm | None
    filters: Any
    records: QuerySet[Any]
    page: Page[Any] | None = None


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
    per_page: int | None = None  # rows a page (default ``WUSHE_PAGE_SIZE``)
    context: Callable[[HttpRequest, Listing], dict[str, Any]] | None = None  # the page's own extras
    sorts: tuple[Sort, ...] = ()  # the sortable columns; any other ?sort= is ignored
    default_sort: str = ""  # the column (``-key``: descending) the selector's own order follows
    empty: Empty | None = None

    def listing(self, request: HttpRequest) -> Listing:
        form = self.form(request.GET or None, user=request.user) if self.form else None
        if form is None:
            listing = Listing(form=None, filters=None, records=self.records(user=request.user))
        else:
            filters = form.filters()
            records = self.records(user=request.user, **{form.filters_arg: filters})
            listing = Listing(form=form, filters=filters, records=records)
        sort, descending = _sorting(request, self.sorts)
        if sort is not None:
            listing.records = listing.records.order_by(*sort.order_by(descending=descending))
        return listing

    def sort_links(self, request: HttpRequest) -> dict[str, SortLink]:
        """Each sortable column's header link: to sort by it (or reverse it), page one."""
        sort, descending = _sorting(request, self.sorts)
        if sort is None and self.default_sort:
            key = self.default_sort.lstrip("-")
            sort = next((s for s in self.sorts if s.key == key), None)
            descending = self.default_sort.startswith("-")
        links = {}
        for column in self.sorts:
            params = page_params(request)
            if column == sort:
                state = "descending" if descending else "ascending"
                params[SORT_PARAM] = column.key if descending else f"-{column.key}"
                hint = _("（降序，点击改为升序）") if descending else _("（升序，点击改为降序）")
            else:
                state = ""
                params[SORT_PARAM] = f"-{column.key}" if column.descending_first else column.key
                hint = _("（点击按此列排序）")
            links[column.key] = SortLink(
                label=column.label,
                href=f"{request.path}?{params.urlencode()}",
                state=state,
                hint=hint,
                hx_target="#list-results" if self.fragment else "",
            )
        return links

    def empty_state(self, request: HttpRequest) -> dict[str, Any] | None:
        """What the page shows when the list is empty (``core/_empty.html``)."""
        if self.empty is None:
            return None
        empty = self.empty
        may_act = bool(empty.url) and (not empty.permission or request.user.has_perm(empty.permission))
        return {
            "text": empty.text,
            "filtered": _filtered(request),
            "filtered_text": empty.filtered,
            "clear_href": request.path,
            "action": empty.action if may_act else "",
            "action_href": reverse(empty.url) if may_act else "",
        }

    def render(self, request: HttpRequest) -> HttpResponse:
        listing = self.listing(request)
        context: dict[str, Any] = {"params": page_params(request)}
        if listing.form is not None:
            context["form"] = listing.form
        if self.paginated:
            context["page_obj"] = listing.page = paginate(request, listing.records, self.per_page)
        if isinstance(listing.form, SearchForm):  # its filters are the text, or carry it as ``q``
            context["q"] = getattr(listing.filters, "q", listing.filters)
        if self.sorts:
            context["sorting"] = self.sort_links(request)
        if self.empty is not None:
            context["empty"] = self.empty_state(request)
        if self.context is not None:
            context.update(self.context(request, listing))
        template = self.fragment if self.fragment and is_fragment(request) else self.template
        return render(request, template, context)

    def page_view(self) -> View:
        view: View = require_GET(self.render)
        if self.permission:  # checked before the method, as @permission_required above @require_GET
            return page_permission(self.permission)(view)  # the menu reads it (core.nav)
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

        checked = permission_required(export.permission, raise_exception=True)(
            require_GET(reads_from_replica(view))
        )
        if self.permission:  # the export is the page's records: whoever may not open the page gets none
            checked = permission_required(self.permission, raise_exception=True)(checked)
        return login_required(checked)
