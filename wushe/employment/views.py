"""The pages of work and income: the lists (courses, micro-factories, job fairs, public-welfare
posts, the working-age disabled residents with no recorded work), each record's page with the
forms that record its work, and the forms that set them up. A rejected form comes back with the
input kept and the error on its field (status 400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import MANAGE_LISTS, READ_REGISTRY, RECORD_OUTREACH
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, ListFilterForm, ListPage, SearchForm, Sort
from wushe.core.models import AREA_LEVELS, RegionLevel
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest
from wushe.registry.listing import list_export
from wushe.registry.picker import person_picker
from wushe.registry.selectors import region_picker

from . import selectors, services
from .forms import (
    AttendanceForm,
    ConfirmForm,
    CourseForm,
    DecideForm,
    DecisionForm,
    EnterpriseForm,
    FactoryForm,
    FactoryMonthForm,
    FairForm,
    FollowUpForm,
    HireFollowUpForm,
    InvestmentForm,
    LeaveForm,
    PlaceForm,
    PositionForm,
    PostForm,
    RecommendForm,
    WorkerMonthForm,
)
from .models import Enrolment, FairEnterprise, Worker

READ = READ_REGISTRY  # employment records are about residents: whoever reads the registry


def _can(request: HttpRequest, perm: str) -> bool:
    return bool(request.user.has_perm(perm))


def _outreach(request: HttpRequest) -> bool:
    return _can(request, RECORD_OUTREACH) or _can(request, MANAGE_LISTS)


def _save(request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], Any], done: str) -> bool:
    """Validate ``form`` and write through the service; the service's errors go on the form."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False
    messages.success(request, done)
    return True


def _form_page(
    request: HttpRequest, *, title: str, back: str, back_label: str, form: forms.Form
) -> HttpResponse:
    return render(
        request,
        "employment/form_page.html",
        {"title": title, "back_url": back, "back_label": back_label, "form": form},
        status=400 if form.errors else 200,
    )


# ---- lists --------------------------------------------------------------------------------------

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


# ---- training -----------------------------------------------------------------------------------


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def course_create(request: AuthedRequest) -> HttpResponse:
    form = CourseForm(
        request.POST or None, user=request.user, regions=region_picker(user=request.user, levels=AREA_LEVELS)
    )
    if request.method == "POST":
        made: list[Any] = []
        if _save(
            request,
            form,
            lambda d: made.append(services.course_create(acting_user=request.user, **d)),
            _("已登记培训课程"),
        ):
            return redirect("employment:course_detail", pk=made[0].pk)
    return _form_page(
        request,
        title=_("登记培训课程"),
        back=reverse("employment:course_list"),
        back_label=_("技能培训"),
        form=form,
    )


def _course_page(request: HttpRequest, course: Any, **bound: Any) -> HttpResponse:
    enrolments = selectors.enrolments_of(course, request.user)
    can = _outreach(request)
    months = services.follow_up_months(course.region)
    context = {
        "course": course,
        "enrolments": enrolments,
        "sessions": range(1, course.sessions + 1),
        "months": months,
        "can_record": can,
        "picker": person_picker(request, title=_("报名：选择学员")) if can else None,
        "attendance_form": bound.get("attendance")
        or (AttendanceForm(enrolments=enrolments, sessions=course.sessions) if can and enrolments else None),
        "follow_up_form": bound.get("follow_up")
        or (FollowUpForm(enrolments=enrolments, months=months) if can and enrolments else None),
    }
    return render(request, "employment/course_detail.html", context, status=400 if bound else 200)


@page_permission(READ)
@require_GET
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_page(request, selectors.get_course_for_user(request.user, pk))


def _person(request: HttpRequest) -> Any:
    from wushe.registry.selectors import get_person_for_user

    try:
        return get_person_for_user(user=request.user, pk=int(request.POST.get("person") or 0))
    except Exception:  # noqa: BLE001 — missing, malformed or out of scope: not found
        return None


@page_permission(RECORD_OUTREACH)
@require_POST
def course_enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    person = _person(request)
    if person is None:
        messages.error(request, _("学员：所选居民不存在或不在您的管辖范围内"))
    else:
        try:
            services.enrolment_create(acting_user=request.user, course=course, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已为%(n)s报名") % {"n": person.name})
    return redirect("employment:course_detail", pk=course.pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def course_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    enrolments = selectors.enrolments_of(course, request.user)
    form = AttendanceForm(request.POST, enrolments=enrolments, sessions=course.sessions)
    by_pk = {str(e.pk): e for e in enrolments}
    if _save(
        request,
        form,
        lambda d: services.attendance_record(
            acting_user=request.user,
            course=course,
            session=d["session"],
            present=[by_pk[k] for k in d["present"]],
        ),
        _("已记录出勤"),
    ):
        return redirect("employment:course_detail", pk=course.pk)
    return _course_page(request, course, attendance=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def course_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    enrolments = selectors.enrolments_of(course, request.user)
    form = FollowUpForm(request.POST, enrolments=enrolments, months=services.follow_up_months(course.region))
    by_pk = {str(e.pk): e for e in enrolments}
    if _save(
        request,
        form,
        lambda d: services.follow_up_record(
            acting_user=request.user,
            enrolment=by_pk[d["enrolment"]],
            month=d["month"],
            outcome=d["outcome"],
            followed_on=d["followed_on"],
            flexible_kind=d["flexible_kind"] or "",
            monthly_income=d["monthly_income"],
            note=d["note"],
        ),
        _("已记录跟踪回访"),
    ):
        return redirect("employment:course_detail", pk=course.pk)
    return _course_page(request, course, follow_up=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def enrolment_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    enrolment: Enrolment = selectors.get_enrolment_for_user(request.user, pk)
    try:
        services.enrolment_complete(acting_user=request.user, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s已结业") % {"n": enrolment.person.name})
    return redirect("employment:course_detail", pk=enrolment.course_id)


# ---- micro-factories ----------------------------------------------------------------------------


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def factory_create(request: AuthedRequest) -> HttpResponse:
    form = FactoryForm(
        request.POST or None,
        user=request.user,
        regions=region_picker(user=request.user, levels=(RegionLevel.COMMUNITY,)),
    )
    if request.method == "POST":
        made: list[Any] = []
        if _save(
            request,
            form,
            lambda d: made.append(services.factory_create(acting_user=request.user, **d)),
            _("已登记微工厂"),
        ):
            return redirect("employment:factory_detail", pk=made[0].pk)
    return _form_page(
        request,
        title=_("登记微工厂"),
        back=reverse("employment:factory_list"),
        back_label=_("微工厂"),
        form=form,
    )


def _factory_page(request: HttpRequest, factory: Any, **bound: Any) -> HttpResponse:
    summary = selectors.factory_summary(factory, request.user)
    can = _outreach(request)
    manage = _can(request, MANAGE_LISTS)
    context = {
        "factory": factory,
        "summary": summary,
        "investments": factory.investments.select_related("project", "disbursement__fund").order_by(
            "invested_on"
        ),
        "factory_months": factory.months.order_by("-month")[:12],
        "can_record": can,
        "picker": person_picker(request, title=_("添加务工人员")) if can else None,
        "investment_form": bound.get("investment") or (InvestmentForm(user=request.user) if manage else None),
        "pay_form": bound.get("pay")
        or (WorkerMonthForm(workers=summary.workers) if can and summary.workers else None),
        "month_form": bound.get("month") or (FactoryMonthForm() if can else None),
    }
    return render(request, "employment/factory_detail.html", context, status=400 if bound else 200)


@page_permission(READ)
@require_GET
def factory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _factory_page(request, selectors.get_factory_for_user(request.user, pk))


@page_permission(MANAGE_LISTS)
@require_POST
def factory_investment(request: AuthedRequest, pk: int) -> HttpResponse:
    factory = selectors.get_factory_for_user(request.user, pk)
    form = InvestmentForm(request.POST, user=request.user)
    if _save(
        request,
        form,
        lambda d: services.investment_record(acting_user=request.user, factory=factory, **d),
        _("已登记投入"),
    ):
        return redirect("employment:factory_detail", pk=factory.pk)
    return _factory_page(request, factory, investment=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def factory_worker(request: AuthedRequest, pk: int) -> HttpResponse:
    factory = selectors.get_factory_for_user(request.user, pk)
    person = _person(request)
    if person is None:
        messages.error(request, _("务工人员：所选居民不存在或不在您的管辖范围内"))
    else:
        try:
            services.worker_add(
                acting_user=request.user, factory=factory, person=person, work=request.POST.get("work", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已添加务工人员%(n)s") % {"n": person.name})
    return redirect("employment:factory_detail", pk=factory.pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def factory_pay(request: AuthedRequest, pk: int) -> HttpResponse:
    factory = selectors.get_factory_for_user(request.user, pk)
    workers = selectors.factory_summary(factory, request.user).workers
    form = WorkerMonthForm(request.POST, workers=workers)
    by_pk = {str(w.pk): w for w in workers}
    if _save(
        request,
        form,
        lambda d: services.worker_month_record(
            acting_user=request.user,
            worker=by_pk[d["worker"]],
            month=d["month"],
            pay=d["pay"],
            hours=d["hours"],
            pieces=d["pieces"],
        ),
        _("已记录月报酬"),
    ):
        return redirect("employment:factory_detail", pk=factory.pk)
    return _factory_page(request, factory, pay=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def factory_month(request: AuthedRequest, pk: int) -> HttpResponse:
    factory = selectors.get_factory_for_user(request.user, pk)
    form = FactoryMonthForm(request.POST)
    if _save(
        request,
        form,
        lambda d: services.factory_month_record(acting_user=request.user, factory=factory, **d),
        _("已记录月报"),
    ):
        return redirect("employment:factory_detail", pk=factory.pk)
    return _factory_page(request, factory, month=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def worker_end(request: AuthedRequest, pk: int) -> HttpResponse:
    worker: Worker = selectors.get_worker_for_user(request.user, pk)
    try:
        services.worker_end(acting_user=request.user, worker=worker)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s已结束务工") % {"n": worker.person.name})
    return redirect("employment:factory_detail", pk=worker.factory_id)


# ---- job fairs ----------------------------------------------------------------------------------


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def fair_create(request: AuthedRequest) -> HttpResponse:
    form = FairForm(request.POST or None, regions=region_picker(user=request.user, levels=AREA_LEVELS))
    if request.method == "POST":
        made: list[Any] = []
        if _save(
            request,
            form,
            lambda d: made.append(services.job_fair_create(acting_user=request.user, **d)),
            _("已登记招聘会"),
        ):
            return redirect("employment:fair_detail", pk=made[0].pk)
    return _form_page(
        request,
        title=_("登记招聘会"),
        back=reverse("employment:fair_list"),
        back_label=_("招聘会"),
        form=form,
    )


def _fair_page(request: HttpRequest, fair: Any, **bound: Any) -> HttpResponse:
    enterprises = selectors.fair_enterprises(fair)
    applications = list(selectors.fair_applications(fair, request.user))
    can = _outreach(request)
    manage = _can(request, MANAGE_LISTS)
    positions = [p for e in enterprises for p in e.positions.all()]
    context = {
        "fair": fair,
        "enterprises": enterprises,
        "positions": positions,
        "openings": sum(p.openings for p in positions),
        "applications": applications,
        "hires": sum(1 for a in applications if a.status == "hired"),
        "can_record": can,
        "manage": manage,
        "enterprise_form": bound.get("enterprise") or (EnterpriseForm() if manage else None),
        "position_form": bound.get("position")
        or (PositionForm(enterprises=enterprises) if manage and enterprises else None),
        "picker": person_picker(request, title=_("求职登记：选择居民")) if can and positions else None,
        "decide_form": bound.get("decide")
        or (DecideForm(applications=applications) if can and applications else None),
        "hire_form": bound.get("hire")
        or (HireFollowUpForm(applications=applications) if can and applications else None),
    }
    return render(request, "employment/fair_detail.html", context, status=400 if bound else 200)


@page_permission(READ)
@require_GET
def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _fair_page(request, selectors.get_fair_for_user(request.user, pk))


@page_permission(MANAGE_LISTS)
@require_POST
def fair_enterprise(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    form = EnterpriseForm(request.POST)
    if _save(
        request,
        form,
        lambda d: services.fair_enterprise_add(acting_user=request.user, fair=fair, **d),
        _("已登记参会企业"),
    ):
        return redirect("employment:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, enterprise=form)


@page_permission(MANAGE_LISTS)
@require_POST
def fair_position(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    enterprises = selectors.fair_enterprises(fair)
    by_pk: dict[str, FairEnterprise] = {str(e.pk): e for e in enterprises}
    form = PositionForm(request.POST, enterprises=enterprises)

    def write(d: dict[str, Any]) -> Any:
        d = dict(d)
        return services.position_add(acting_user=request.user, enterprise=by_pk[d.pop("enterprise")], **d)

    if _save(request, form, write, _("已登记岗位")):
        return redirect("employment:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, position=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def fair_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    person = _person(request)
    positions = {str(p.pk): p for e in selectors.fair_enterprises(fair) for p in e.positions.all()}
    position = positions.get(str(request.POST.get("position") or ""))
    if person is None or position is None:
        messages.error(request, _("请选择居民和岗位"))
    else:
        try:
            services.application_create(acting_user=request.user, position=position, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记%(n)s的求职申请") % {"n": person.name})
    return redirect("employment:fair_detail", pk=fair.pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def fair_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    applications = list(selectors.fair_applications(fair, request.user))
    by_pk = {str(a.pk): a for a in applications}
    form = DecideForm(request.POST, applications=applications)
    if _save(
        request,
        form,
        lambda d: services.application_decide(
            acting_user=request.user,
            application=by_pk[d["application"]],
            hired=d["hired"],
            hired_on=d["hired_on"],
        ),
        _("已记录录用结果"),
    ):
        return redirect("employment:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, decide=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def fair_hire_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    applications = list(selectors.fair_applications(fair, request.user))
    by_pk = {str(a.pk): a for a in applications}
    form = HireFollowUpForm(request.POST, applications=applications)

    def write(d: dict[str, Any]) -> Any:
        d = dict(d)
        return services.hire_follow_up_record(
            acting_user=request.user, application=by_pk[d.pop("application")], **d
        )

    if _save(request, form, write, _("已记录录用回访")):
        return redirect("employment:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, hire=form)


# ---- public-welfare posts -----------------------------------------------------------------------


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def post_create(request: AuthedRequest) -> HttpResponse:
    form = PostForm(request.POST or None, regions=region_picker(user=request.user, levels=AREA_LEVELS))
    if request.method == "POST":
        made: list[Any] = []
        if _save(
            request,
            form,
            lambda d: made.append(services.welfare_post_create(acting_user=request.user, **d)),
            _("已登记公益岗位"),
        ):
            return redirect("employment:post_detail", pk=made[0].pk)
    return _form_page(
        request,
        title=_("登记公益岗位"),
        back=reverse("employment:post_list"),
        back_label=_("公益岗位"),
        form=form,
    )


def _post_page(request: HttpRequest, post: Any, **bound: Any) -> HttpResponse:
    can = _outreach(request)
    context = {
        "post": post,
        "recommendations": list(selectors.post_recommendations(post, request.user)),
        "can_record": can,
        "can_decide": _can(request, MANAGE_LISTS),
        "picker": person_picker(request, title=_("推荐：选择居民")) if can else None,
        "recommend_form": bound.get("recommend") or (RecommendForm() if can else None),
        "decision_form": DecisionForm(),
        "place_form": PlaceForm(),
        "leave_form": LeaveForm(),
        "confirm_form": ConfirmForm(),
        "errors": bound.get("errors"),
    }
    return render(request, "employment/post_detail.html", context, status=400 if bound else 200)


@page_permission(READ)
@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_page(request, selectors.get_post_for_user(request.user, pk))


@page_permission(RECORD_OUTREACH)
@require_POST
def post_recommend(request: AuthedRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(request.user, pk)
    form = RecommendForm(request.POST)
    person = _person(request)
    if person is None:
        form.is_valid()
        form.add_error(None, _("推荐人员：所选居民不存在或不在您的管辖范围内"))
        return _post_page(request, post, recommend=form)
    if _save(
        request,
        form,
        lambda d: services.recommendation_create(acting_user=request.user, post=post, person=person, **d),
        _("已推荐%(n)s") % {"n": person.name},
    ):
        return redirect("employment:post_detail", pk=post.pk)
    return _post_page(request, post, recommend=form)


def _recommendation_step(
    request: AuthedRequest,
    pk: int,
    form_class: type[forms.Form],
    write: Callable[[Any, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    rec = selectors.get_recommendation_for_user(request.user, pk)
    form = form_class(request.POST)
    if _save(request, form, lambda d: write(rec, d), done):
        return redirect("employment:post_detail", pk=rec.post_id)
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return _post_page(request, rec.post, errors=errors)


@page_permission(MANAGE_LISTS)
@require_POST
def recommendation_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        DecisionForm,
        lambda rec, d: services.recommendation_decide(
            acting_user=request.user, recommendation=rec, approve=d["approve"], note=d["note"]
        ),
        _("已审批"),
    )


@page_permission(RECORD_OUTREACH)
@require_POST
def recommendation_place(request: AuthedRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        PlaceForm,
        lambda rec, d: services.placement_start(
            acting_user=request.user, recommendation=rec, placed_on=d["placed_on"]
        ),
        _("已上岗"),
    )


@page_permission(RECORD_OUTREACH)
@require_POST
def recommendation_leave(request: AuthedRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        LeaveForm,
        lambda rec, d: services.placement_end(
            acting_user=request.user, recommendation=rec, reason=d["reason"], left_on=d["left_on"]
        ),
        _("已登记离岗"),
    )


@page_permission(RECORD_OUTREACH)
@require_POST
def recommendation_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        ConfirmForm,
        lambda rec, d: services.confirmation_record(
            acting_user=request.user,
            recommendation=rec,
            month=d["month"],
            working=d["working"],
            note=d["note"],
        ),
        _("已确认本月在岗情况"),
    )
