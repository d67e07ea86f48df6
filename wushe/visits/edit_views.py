"""修改 a recorded visit (``editing.visit_update``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.editing import edit_page
from wushe.core.scoping import covers

from . import editing, selectors

if TYPE_CHECKING:
    from wushe.core.types import AnyUser
from .forms import VisitEditForm


def may_edit(user: AnyUser, visit: Any) -> bool:
    return bool(user.has_perm(RECORD_OUTREACH)) and covers(user, visit.region)


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.get_visit_for_user(user=request.user, pk=pk)
    initial = editing.visit_values(visit) | {"reached": "1" if visit.reached else "0"}
    form = VisitEditForm(request.POST or None, initial=initial)
    url = reverse("visits:visit_detail", args=[visit.pk])

    def save(d: dict[str, object]) -> None:
        changes = {f: d[f] for f in editing.EDITABLE if f in d}
        changes["mood"] = changes.get("mood") or ""
        editing.visit_update(acting_user=request.user, visit=visit, reason=str(d["reason"]), **changes)

    return edit_page(
        request,
        obj=visit,
        may_edit=may_edit(request.user, visit),
        form=form,
        save=save,
        title=_("修改走访记录"),
        back_url=url,
        back_label=_("走访记录"),
        done=_("已修改走访记录"),
    )
