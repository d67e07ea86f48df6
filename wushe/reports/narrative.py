"""The work report (工作总结): a narrative in the style of the street offices' articles, written
from sentence templates keyed by metric keys.

Each sentence has a lead, items and a tail; an item names one metric key (or a group: the members
of a metric family or of a chart group, e.g. needs by category) and a text with ``{n}`` where the
figure goes. An item whose metric is not registered, or has no data for the period (``None``, or
a zero count), is left out; a sentence with no item left — or whose ``requires`` metric has no
data — is left out; a section with no sentence is left out. Nothing is ever stated as zero.

The report is a list of segments (text, or a figure with its metric key), so the HTML version
links each figure to its drill-down and the Word version writes it as a bold run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wushe.core.metrics import FAMILIES, Figure, Scope, compute
from wushe.core.models import Region

from .periods import Period, day_text, describe

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


@dataclass(frozen=True)
class Item:
    key: str
    text: str | Promise  # with {n} where the figure goes


@dataclass(frozen=True)
class Group:
    """Every figure of a family or chart group (``needs.category``), each as ``text`` with
    ``{label}`` and ``{n}``, in registry order."""

    prefix: str
    text: str | Promise


@dataclass(frozen=True)
class Sentence:
    items: Sequence[Item | Group]
    lead: str | Promise = ""
    tail: str | Promise = _("。")
    sep: str | Promise = _("，")
    requires: Sequence[str] = ()


@dataclass(frozen=True)
class SectionTemplate:
    heading: str | Promise
    sentences: Sequence[Sentence]


# The sentences, grouped as the articles group them. Keys of apps not yet installed (visits,
# needs, casework, appeals, volunteers …) are written here already: once their metrics are
# registered, the report states them.
SECTIONS: list[SectionTemplate] = [
    SectionTemplate(
        _("基本情况"),
        [
            Sentence(
                lead=_("{region}辖区共有"),
                items=[
                    Item("communities", _("社区{n}个")),
                    Item("grids", _("网格{n}个")),
                    Item("persons", _("在册居民{n}人")),
                    Item("households", _("{n}户")),
                ],
                sep=_("、"),
            ),
            Sentence(
                lead=_("在册居民中有"),
                items=[Group("tag", _("{label}{n}人"))],
                sep=_("、"),
                requires=["persons"],
            ),
            Sentence(
                lead=_("{period}，"),
                items=[
                    Item("persons.new", _("新登记居民{n}人")),
                    Item("disabled.new", _("新办残疾人证{n}本")),
                ],
            ),
            Sentence(
                lead=_("截至{end}，辖区共有"),
                items=[Item("disabled", _("持证残疾人{n}人"))],
            ),
        ],
    ),
    SectionTemplate(
        _("以需求为轴，精准掌握群众需求"),
        [
            Sentence(
                lead=_("{period}，"),
                items=[
                    Item(
                        "social_workers",
                        _(
                            "{n}名社工推行“五门一声”工作法（敲开家门、服务上门、政策进门、打开心门、找准窍门、聆听心声）"
                        ),
                    )
                ],
                tail=_("，逐户走访。"),
            ),
            Sentence(
                lead=_("共"),
                items=[
                    Item("visits", _("入户走访{n}次")),
                    Item("households_visited", _("走访{n}户")),
                    Item("leaflets", _("发放政策明白纸{n}份")),
                    Item("policies_explained", _("宣讲政策{n}次")),
                ],
            ),
            Sentence(
                lead=_("精准摸排"),
                items=[
                    Item("ledger.red", _("智力精神障碍类{n}人")),
                    Item("ledger.blue", _("肢体残疾类{n}人")),
                    Item("ledger.green", _("视力听力言语障碍类{n}人")),
                    Item("ledger.yellow", _("多重残疾类{n}人")),
                ],
                sep=_("、"),
                tail=_("，建立“四色台账”，实行量体裁衣。"),
            ),
            Sentence(
                lead=_("梳理"),
                items=[
                    Item("needs", _("需求清单{n}项")),
                    Item("needs.met", _("已满足{n}项")),
                    Item("needs.households", _("为{n}户家庭提供精准服务")),
                    Item("needs.overdue", _("逾期未办结{n}项")),
                ],
                requires=["needs"],
            ),
            Sentence(
                lead=_("需求中有"),
                items=[Group("needs.category", _("{label}{n}项"))],
                sep=_("、"),
                requires=["needs"],
            ),
            Sentence(
                lead=_("按办理状态，"),
                items=[Group("needs.status", _("{label}{n}项"))],
                sep=_("、"),
                requires=["needs"],
            ),
            Sentence(
                items=[Item("resources", _("统筹资源{n}项")), Item("projects", _("实施服务项目{n}个"))],
            ),
        ],
    ),
    SectionTemplate(
        _("以社工为线，串起服务实体"),
        [
            Sentence(
                items=[
                    Item("organizations.professional", _("引入专业社工组织{n}家")),
                    Item("organizations.community", _("培育社区社会组织{n}家")),
                ],
            ),
            Sentence(
                lead=_("开展"),
                items=[
                    Item("cases", _("个案服务{n}次")),
                    Item("groups", _("小组服务{n}次")),
                    Item("activities", _("社区活动{n}场")),
                    Item("services", _("各类服务{n}次")),
                ],
                sep=_("、"),
            ),
            Sentence(
                items=[
                    Item("studios", _("开办“社会组织+两代表一委员”工作室{n}处")),
                    Item("studio_projects", _("实施特色项目{n}个")),
                    Item("appeals", _("按“双向三方六步”工作法登记办理群众诉求{n}件")),
                ],
            ),
            Sentence(
                lead=_("诉求办理中，"),
                items=[Group("appeals.step", _("{label}{n}件"))],
                sep=_("、"),
                requires=["appeals"],
            ),
            Sentence(
                lead=_("实施困难重度残疾人照护项目，"),
                items=[
                    Item("care.households", _("为{n}户有不同需求的家庭提供照护")),
                    Item("care.services", _("登记照护服务{n}次")),
                    Item("care.monthly_cleaning", _("每月为{n}名重度残疾人开展居家环境清洁")),
                ],
            ),
            Sentence(
                lead=_("开展康复辅助器具社区租赁，"),
                items=[
                    Item("rentals.items", _("租赁区配备辅助器具{n}件")),
                    Item("rentals.active", _("在租{n}件")),
                    Item("rentals.utilization", _("利用率{n}")),
                ],
            ),
        ],
    ),
    SectionTemplate(
        _("以资源为主，汇聚八方合力"),
        [
            Sentence(
                items=[
                    Item("volunteers", _("培育志愿者{n}名")),
                    Item("volunteer_teams", _("成立志愿服务队{n}支")),
                    Item("volunteer_hours", _("累计志愿服务{n}小时")),
                ],
                tail=_("，为群众提供助餐、助洁、助急、助医等多样化服务。"),
            ),
            Sentence(
                items=[
                    Item("funds", _("设立社区慈善基金{n}个")),
                    Item("funds.raised", _("募集善款{n}元")),
                    Item("funds.spent", _("支出{n}元")),
                    Item("funds.projects", _("资助项目{n}个")),
                    Item("funds.balance", _("结余{n}元")),
                ],
            ),
            Sentence(
                lead=_("承接残疾人两项补贴发放，"),
                items=[
                    Item("subsidy.living", _("困难残疾人生活补贴{n}人")),
                    Item("subsidy.nursing", _("重度残疾人护理补贴{n}人")),
                    Item("subsidy.amount", _("发放补贴{n}元")),
                ],
            ),
            Sentence(
                items=[
                    Item("donations.amount", _("统筹协调爱心捐赠{n}元")),
                    Item("donations.count", _("共{n}笔")),
                    Item("donors", _("捐赠人{n}人次")),
                    Item("donations.in_kind", _("捐赠物资折价{n}元")),
                ],
            ),
        ],
    ),
    SectionTemplate(
        _("以就业为本，拓宽增收渠道"),
        [
            Sentence(
                lead=_("{period}，"),
                items=[
                    Item("trainings", _("举办短视频制作、直播带货、手工等技能培训{n}期")),
                    Item("trainees", _("培训{n}人")),
                    Item("trainees.employed", _("{n}人实现就业或灵活就业")),
                ],
            ),
            Sentence(
                items=[
                    Item("microfactories.investment", _("投入资金{n}元")),
                    Item("microfactories", _("建设微工厂{n}个")),
                    Item("microfactories.families", _("为{n}户家庭成员提供就近灵活就业")),
                ],
            ),
            Sentence(
                items=[
                    Item("jobfairs", _("举办招聘会{n}场")),
                    Item("jobfairs.enterprises", _("{n}家（次）企业参会")),
                    Item("jobfairs.positions", _("提供就业岗位{n}个")),
                    Item("jobfairs.hires", _("录用{n}人")),
                ],
            ),
            Sentence(
                items=[
                    Item("welfare_posts.families", _("向民政等部门推荐{n}户困难家庭到公益岗位就业")),
                    Item("welfare_posts.placed", _("上岗{n}人")),
                ],
            ),
        ],
    ),
    SectionTemplate(
        _("工作成效"),
        [
            Sentence(items=[Item("policies.applied", _("落实民政、残联、养老等行业扶贫政策共计{n}项"))]),
            Sentence(
                items=[
                    Item("problems.found", _("发现问题{n}个")),
                    Item("problems.resolved", _("解决{n}个")),
                    Item("problems.resolution_rate", _("解决率{n}")),
                ],
            ),
            Sentence(
                items=[
                    Item("difficulties_solved", _("为群众解决生活实际困难{n}件")),
                    Item("satisfaction_rate", _("群众满意率达{n}")),
                ],
            ),
        ],
    ),
]


@dataclass(frozen=True)
class Segment:
    text: str
    key: str = ""  # a figure: its metric key (the HTML links it to its records)


@dataclass
class ReportSection:
    heading: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class WorkReport:
    region: Region
    period: Period
    title: str
    subtitle: str
    intro: str
    sections: list[ReportSection]
    closing: str
    figures: dict[str, Figure]

    @property
    def text(self) -> str:
        """The whole report as plain text (headings on their own lines)."""
        lines = [self.title, self.subtitle, self.intro]
        for s in self.sections:
            lines += [s.heading, "".join(seg.text for seg in s.segments)]
        lines.append(self.closing)
        return "\n".join(lines)

    @property
    def stated(self) -> list[str]:
        """The metric keys the report states."""
        return [seg.key for s in self.sections for seg in s.segments if seg.key]


def _fill(template: str | Promise, values: dict[str, str]) -> str:
    text = str(template)
    for k, v in values.items():
        text = text.replace("{" + k + "}", v)
    return text


def _item_segments(text: str | Promise, figure: Figure, label: str = "") -> list[Segment]:
    before, _sep, after = _fill(text, {"label": label}).partition("{n}")
    out = [Segment(before)] if before else []
    out.append(Segment(figure.display, key=figure.key))
    if after:
        out.append(Segment(after))
    return out


def _group_members(figures: dict[str, Figure], prefix: str) -> list[Figure]:
    fam = FAMILIES.get(prefix)
    members = [f for k, f in figures.items() if k.startswith(prefix + ".") or f.chart == prefix]
    out = []
    for f in members:
        if fam is not None and f.label.startswith(f"{fam.label}·"):
            f = replace(f, label=f.label[len(str(fam.label)) + 1 :])
        out.append(f)
    return out


def _sentence(s: Sentence, figures: dict[str, Figure], context: dict[str, str]) -> list[Segment]:
    if any(not (k in figures and figures[k].has_data) for k in s.requires):
        return []
    parts: list[list[Segment]] = []
    for item in s.items:
        if isinstance(item, Group):
            for f in _group_members(figures, item.prefix):
                if f.key not in {getattr(i, "key", "") for i in s.items} and f.has_data:
                    parts.append(_item_segments(item.text, f, f.label))
        elif item.key in figures and figures[item.key].has_data:
            parts.append(_item_segments(item.text, figures[item.key]))
    if not parts:
        return []
    out: list[Segment] = []
    lead = _fill(s.lead, context)
    if lead:
        out.append(Segment(lead))
    for i, part in enumerate(parts):
        if i:
            out.append(Segment(str(s.sep)))
        out += part
    out.append(Segment(_fill(s.tail, context)))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    """Adjacent text segments as one (fewer runs in Word, simpler tests)."""
    out: list[Segment] = []
    for seg in segments:
        if out and not seg.key and not out[-1].key:
            out[-1] = Segment(out[-1].text + seg.text)
        else:
            out.append(seg)
    return out


def work_report(*, region: Region, period: Period, user: AnyUser | None = None) -> WorkReport:
    figures = compute(Scope(region=region, user=user, start=period.start, end=period.end))
    period_text = describe(period)
    context = {"region": region.name, "period": period_text, "end": day_text(period.end)}
    sections = []
    for template in SECTIONS:
        segments: list[Segment] = []
        for s in template.sentences:
            segments += _sentence(s, figures, context)
        if segments:
            sections.append(ReportSection(heading=str(template.heading), segments=_merge(segments)))
    return WorkReport(
        region=region,
        period=period,
        title=gettext("%(region)s工作总结") % {"region": region.name},
        subtitle=gettext("统计期：%(period)s") % {"period": period_text},
        intro=gettext(
            "%(region)s坚持党建引领，以需求为轴、以社工为线、汇聚多方资源，推进社区、社会组织、"
            "社会工作者、社区志愿者、社会慈善资源“五社联动”。现将%(period)s的工作情况总结如下。"
        )
        % {"region": region.name, "period": period_text},
        sections=sections,
        closing=gettext("以上数字均由五社联动服务平台根据业务记录统计，可在统计看板中逐项查看所统计的记录。"),
        figures=figures,
    )
