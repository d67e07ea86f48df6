"""What ledger imports add to the home page (the user's imports checked, finished or failed)
and to the main menu."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Tone, register_listed

from . import selectors

register(
    MenuEntry("imports:job_list", gettext_lazy("台账导入"), group="residents", order=30, section="imports")
)


def _job(job: Any) -> str:
    return _("%(file)s：%(status)s") % {"file": job.original_name, "status": job.get_status_display()}


register_listed(
    "imports.recent",
    gettext_lazy("我的台账导入"),
    hint=gettext_lazy("已检查待确认导入，或近 7 天完成、失败的导入"),
    records=selectors.jobs_to_look_at,
    applies=lambda user: user.has_perm(MANAGE_PERSONS),
    list_url="imports:job_list",
    query="",
    detail_url="imports:job_detail",
    describe=_job,
    tone=Tone.NEWS,
    order=90,
)
