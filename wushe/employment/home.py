"""What work and income add to the main menu (training, micro-factories, job fairs, public-welfare
posts, the residents without recorded work) and to the home page (recommendations for a post
waiting for the provider's decision)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo
from wushe.core.todos import register as register_todo

from . import selectors

register(
    MenuEntry(
        "employment:course_list", gettext_lazy("技能培训"), group="services", order=90, section="employment"
    )
)
register(MenuEntry("employment:factory_list", gettext_lazy("微工厂"), group="services", order=91))
register(MenuEntry("employment:fair_list", gettext_lazy("招聘会"), group="services", order=92))
register(MenuEntry("employment:post_list", gettext_lazy("公益岗位"), group="services", order=93))
register(MenuEntry("employment:idle_list", gettext_lazy("未就业残疾人"), group="services", order=94))


def _describe(r: Any) -> str:
    return _("%(post)s：%(name)s") % {"post": r.post.title, "name": r.person.name}


register_todo(
    Todo(
        key="employment.to_decide",
        label=gettext_lazy("待审批的公益岗位推荐"),
        hint=gettext_lazy("社工推荐的人员，由岗位提供方审批；推荐人不能审批自己的推荐"),
        records=selectors.recommendations_waiting,
        url=lambda user: reverse("employment:post_list"),
        applies=lambda user: user.has_perm(MANAGE_LISTS),
        describe=_describe,
        link=lambda r: reverse("employment:post_detail", args=[r.post_id]),
        order=90,
    )
)
