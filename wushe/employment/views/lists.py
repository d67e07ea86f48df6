"""Work and income pages — the list pages and their exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.listing import Empty, ListFilterForm, ListPage, SearchForm, Sort
from wushe.core.models import RegionLevel
from wushe.registry.listing import list_export
from wushe.registry.selectors import region_picker

from .. import selectors
from .common import READ, _can

COURSES = ListPage(
    permission=READ,
    template="employment/course_list.html",
    form=SearchForm,
    records=lambda *, user, q: selectors.course_list(user=user, q=q),
    export=list_export(gettext_lazy("技能培训"), "employment_courses"),
    context=lambda request, listing: {"can_manage": _can(request, MANAGE_LISTS)},
    sorts=(
        Sort("title", gettext_lazy("课程名称"), ("title",)),
        Sort("start", gettext_lazy("开始日期"), ("start_on",), descending_first=True),
        Sort("trainees", gettext_lazy("学员"), ("trainees",), descending_first=True),
    ),
    default_sort="-start",
    empty=Empty(
        gettext_lazy("还没有培训课程。"),
        action=gettext_lazy("登记课程"),
        url="employment:course_create",
        permission=MANAGE_LISTS,
    ),
)
course_list = COURSES.page_view()
course_export = COURSES.export_view()

FACTORIES = ListPage(
    permission=READ,
    template="employment/factory_list.html",
    form=SearchForm,
    records=lambda *, user, q: selectors.factory_list(user=user, q=q),
    export=list_export(gettext_lazy("微工厂"), "employment_factories"),
    context=lambda request, listing: {"can_manage": _can(request, MANAGE_LISTS)},
    sorts=(
        Sort("name", gettext_lazy("名称"), ("name",)),
        Sort("opened", gettext_lazy("开办日期"), ("opened_on",), descending_first=True),
        Sort("invested", gettext_lazy("投入（元）"), ("invested",), descending_first=True),
    ),
    empty=Empty(
        gettext_lazy("还没有微工厂。"),
        action=gettext_lazy("登记微工厂"),
        url="employment:factory_create",
        permission=MANAGE_LISTS,
    ),
)
factory_list = FACTORIES.page_view()
factory_export = FACTORIES.export_view()

FAIRS = ListPage(
    permission=READ,
    template="employment/fair_list.html",
    form=SearchForm,
    records=lambda *, user, q: selectors.fair_list(user=user, q=q),
    export=list_export(gettext_lazy("招聘会"), "employment_fairs"),
    context=lambda request, listing: {"can_manage": _can(request, MANAGE_LISTS)},
    sorts=(
        Sort("title", gettext_lazy("名称"), ("title",)),
        Sort("held", gettext_lazy("举办日期"), ("held_on",), descending_first=True),
    ),
    default_sort="-held",
    empty=Empty(
        gettext_lazy("还没有招聘会。"),
        action=gettext_lazy("登记招聘会"),
        url="employment:fair_create",
        permission=MANAGE_LISTS,
    ),
)
fair_list = FAIRS.page_view()
fair_export = FAIRS.export_view()

POSTS = ListPage(
    permission=READ,
    template="employment/post_list.html",
    form=SearchForm,
    records=lambda *, user, q: selectors.post_list(user=user, q=q),
    export=list_export(gettext_lazy("公益岗位"), "employment_posts"),
    context=lambda request, listing: {"can_manage": _can(request, MANAGE_LISTS)},
    sorts=(
        Sort("title", gettext_lazy("岗位名称"), ("title",)),
        Sort("start", gettext_lazy("开始日期"), ("start_on",), descending_first=True),
    ),
    default_sort="-start",
    empty=Empty(
        gettext_lazy("还没有公益岗位。"),
        action=gettext_lazy("登记公益岗位"),
        url="employment:post_create",
        permission=MANAGE_LISTS,
    ),
)
post_list = POSTS.page_view()
post_export = POSTS.export_view()


class CommunityFilter(ListFilterForm):
    """The list of residents without recorded work, narrowed to one community (or street)."""

    region = forms.ChoiceField(label=_("社区"), required=False)

    def setup(self, user: Any) -> None:
        self.regions = {
            str(r.pk): r for r in region_picker(user=user, levels=(RegionLevel.STREET, RegionLevel.COMMUNITY))
        }
        from wushe.core.forms import region_pk_choices, set_choices

        set_choices(self, "region", [("", _("全部")), *region_pk_choices(list(self.regions.values()))])

    def to_filters(self, data: dict[str, Any]) -> Any:
        return self.regions.get(str(data.get("region") or ""))


IDLE = ListPage(
    permission=READ,
    template="employment/idle_list.html",
    form=CommunityFilter,
    records=lambda *, user, filters: selectors.without_work(user, filters),
    export=list_export(gettext_lazy("未就业未培训的劳动年龄残疾人"), "employment_idle"),
    empty=Empty(gettext_lazy("没有未记录就业或培训的劳动年龄残疾人。")),
)
idle_list = IDLE.page_view()
idle_export = IDLE.export_view()
