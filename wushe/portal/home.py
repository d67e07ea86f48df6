"""What the residents' own door adds to the home page (the submissions waiting for the user's
community or studio to accept them) and to the main menu."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import HANDLE_APPEALS
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo, Tone
from wushe.core.todos import register as register_todo

from . import selectors

register(
    MenuEntry(
        "portal:submission_list", gettext_lazy("网上诉求待受理"), group="services", order=45, section="portal"
    )
)


def _describe(submission: object) -> str:
    s = submission
    return _("%(number)s %(community)s（%(day)s 提交）") % {
        "number": s.number,  # type: ignore[attr-defined]
        "community": s.community.name,  # type: ignore[attr-defined]
        "day": f"{s.submitted_at:%Y-%m-%d}",  # type: ignore[attr-defined]
    }


register_todo(
    Todo(
        key="portal.waiting",
        label=gettext_lazy("等待受理的网上诉求"),
        hint=gettext_lazy("居民在网上提交，受理后成为诉求，按六步办理"),
        records=lambda user: selectors.submissions_waiting(user=user),
        url=lambda user: reverse("portal:submission_list"),
        applies=lambda user: bool(user.has_perm(HANDLE_APPEALS)),
        describe=_describe,
        link=lambda s: reverse("portal:submission_detail", args=[s.pk]),
        tone=Tone.WAITING,
        order=55,
    )
)
