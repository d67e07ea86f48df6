"""The rental pages: the items (with their status), an item's history and its next step, the
rentals (the overdue ones on a filter), a rental with its deposit entries, renewal and return,
lending an item to a resident, and utilisation per site and type."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import READ_LISTS, RECORD_SERVICES
from wushe.core.forms import apply_service_errors
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest, first_error

from . import selectors, services
from .forms import AdvanceForm, RenewForm, RentalForm, ReturnForm
from .models import DepositEntry, ItemStatus


def _int(value: str | None) -> int | None:
    try:
        return int(value or 0) or None
    except ValueError:
        return None


@page_permission(READ_LISTS)
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    filters = selectors.ItemFilters(
        q=request.GET.get("q", "")[:60],
        site=_int(request.GET.get("site")),
        status=status if status in ItemStatus.values else "",
    )
    context = {
        "items": selectors.item_list(user=request.user, filters=filters)[:300],
        "filters": filters,
        "statuses": ItemStatus.choices,
        "sites": selectors.site_list(user=request.user),
    }
    return render(request, "rentals/item_list.html", context)


@page_permission(READ_LISTS)
@require_GET
def utilization(request: HttpRequest) -> HttpResponse:
    return render(request, "rentals/utilization.html", {"rows": selectors.utilisation(user=request.user)})


def _item_context(request: HttpRequest, pk: int, form: AdvanceForm | None = None) -> dict[str, Any]:
    item = selectors.get_item_for_user(request.user, pk)
    return {
        "item": item,
        "events": item.events.select_related("by"),
        "rentals": selectors.rental_list(user=request.user, filters=selectors.RentalFilters(item=item.pk))[
            :20
        ],
        "form": form or AdvanceForm(item=item),
        "can_work": request.user.has_perm(RECORD_SERVICES),
        "next": services.NEXT_STATUS.get(item.status, ()),
    }


@page_permission(READ_LISTS)
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "rentals/item_detail.html", _item_context(request, pk))


@page_permission(RECORD_SERVICES)
@require_POST
def item_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, pk)
    form = AdvanceForm(request.POST, item=item)
    if form.is_valid():
        try:
            services.item_advance(
                acting_user=request.user,
                item=item,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, first_error(exc))
        else:
            messages.success(request, _("器具状态已更新"))
        return redirect("rentals:item_detail", item.pk)
    return render(request, "rentals/item_detail.html", _item_context(request, pk, form), status=422)


@page_permission(READ_LISTS)
@require_GET
def rental_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.RentalFilters(
        q=request.GET.get("q", "")[:60],
        open=bool(request.GET.get("open")),
        overdue=bool(request.GET.get("overdue")),
    )
    rentals = selectors.rental_list(user=request.user, filters=filters)
    if filters.overdue:
        rentals = rentals.order_by("due_on", "id")
    return render(request, "rentals/rental_list.html", {"rentals": rentals[:300], "filters": filters})


def _rental_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    rental = selectors.get_rental_for_user(request.user, pk)
    return {
        "rental": rental,
        "entries": DepositEntry.objects.filter(rental=rental),
        "held": selectors.deposit_held(rental),
        "renewals": rental.renewals.all(),
        "renew_form": RenewForm(),
        "return_form": ReturnForm(),
        "can_work": request.user.has_perm(RECORD_SERVICES),
    }


@page_permission(READ_LISTS)
@require_GET
def rental_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "rentals/rental_detail.html", _rental_context(request, pk))


@page_permission(RECORD_SERVICES)
@require_POST
def rental_renew(request: AuthedRequest, pk: int) -> HttpResponse:
    rental = selectors.get_rental_for_user(request.user, pk)
    form = RenewForm(request.POST)
    if form.is_valid():
        try:
            services.rental_renew(acting_user=request.user, rental=rental, due_on=form.cleaned_data["due_on"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已续租"))
            return redirect("rentals:rental_detail", rental.pk)
    context = _rental_context(request, pk)
    context["renew_form"] = form
    return render(request, "rentals/rental_detail.html", context, status=422)


@page_permission(RECORD_SERVICES)
@require_POST
def rental_return(request: AuthedRequest, pk: int) -> HttpResponse:
    rental = selectors.get_rental_for_user(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rental_return(
                acting_user=request.user,
                rental=rental,
                returned_on=data["returned_on"],
                condition=data["condition"],
                note=data["note"],
                deduction=data["deduction"] or "0.00",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已归还，器具转入清洁消毒"))
            return redirect("rentals:rental_detail", rental.pk)
    context = _rental_context(request, pk)
    context["return_form"] = form
    return render(request, "rentals/rental_detail.html", context, status=422)


@page_permission(RECORD_SERVICES)
@require_http_methods(["GET", "POST"])
def rental_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, pk)
    form = RentalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rental = services.rental_create(
                acting_user=request.user,
                person=person,
                item=data["item"],
                assessed_by=data["assessed_by"],
                assessed_on=data["assessed_on"],
                assessment=data["assessment"],
                started_on=data["started_on"],
                due_on=data["due_on"],
                deposit=data["deposit"],
                monthly_rent=data["monthly_rent"],
                waive_deposit=data["waive_deposit"],
                waiver_reason=data["waiver_reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已出租"))
            return redirect("rentals:rental_detail", rental.pk)
    return render(request, "rentals/rental_form.html", {"form": form, "person": person})
