"""Page sections: the person page and the household page (the whole view of a registrant, what
OpenSPP calls the 360° view) are built from sections that each app registers, so that the registry
shows a person's visits, needs, cases and requests without importing the apps that keep them.

An app declares its sections in its own ``sections.py`` (found at start-up, in core's
``AppConfig.ready``, like the settings sections of ``config.py``)::

    register(Section(
        key="needs",
        title=_("需求"),
        order=50,
        template="needs/_section_needs.html",
        person=lambda person, user: {...},        # the section's context for a person
        household=lambda household, user: {...},  # and for a household (either may be None)
        actions=(Action(_("登记需求"), url=lambda kind, subject: ..., permission=RECORD_OUTREACH),),
    ))

The reading function takes the subject and the viewing user and returns the template's context.
It reads through the app's own selectors, scoped with ``visible_to(user)``: a section never shows
a record the viewer could not open. It reads a fixed number of queries whatever the subject's
records (the latest :data:`ROWS` and their count), and names its full list in ``more_url`` (the
app's list page filtered on the subject). Conventional keys: ``rows`` (what the template lists),
``total`` (how many there are), ``more_url``, ``empty`` (what to say when there are none).

An :class:`Action` is shown when the viewer holds its permission and its ``url`` gives an address
for the subject (``None``: not offered here, e.g. "add a member" on a person page).

Core imports no app: the pages call :func:`build`, which renders each section with its template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString

PERSON = "person"
HOUSEHOLD = "household"
KINDS = (PERSON, HOUSEHOLD)
ROWS = 5  # how many of a section's records the page shows; the rest are one click away

Reader = Callable[[Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class Action:
    """A button of a section: shown when the viewer holds ``permission`` and ``url(kind, subject)``
    gives an address (``None``: not offered for this subject)."""

    label: str | Promise
    url: Callable[[str, Any], str | None]
    permission: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    order: int
    template: str = "core/sections/list.html"  # the records as ``Row``s (see :func:`listed`)
    person: Reader | None = None
    household: Reader | None = None
    actions: tuple[Action, ...] = ()
    permission: str = ""  # to see the section at all ("" : everyone who may see the subject)
    wide: bool = False  # the page's whole width (a table), not half of it

    def reader(self, kind: str) -> Reader | None:
        if kind not in KINDS:
            raise ValueError(f"unknown subject kind {kind!r}")
        reader: Reader | None = getattr(self, kind)
        return reader


@dataclass
class Shown:
    """One section as a page shows it."""

    section: Section
    context: dict[str, Any]
    actions: list[tuple[str | Promise, str]] = field(default_factory=list)
    html: SafeString = SafeString("")

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str | Promise:
        return self.section.title


@dataclass(frozen=True)
class Row:
    """One record of a section that lists records (``core/sections/list.html``): what it is (a
    link to it), a line of details, and its status as a badge (``tone``: a Bootstrap colour)."""

    title: str
    url: str = ""
    meta: str = ""
    status: str = ""
    tone: str = "secondary"


def listed(
    records: Any,
    *,
    row: Callable[[Any], Row],
    more_url: str = "",
    empty: str | Promise = "",
    limit: int | None = None,
) -> dict[str, Any]:
    """The usual context of a section listing records: the latest :data:`ROWS` of ``records``
    (a scoped, ordered queryset, with what its rows show already joined or prefetched) and
    their count — two queries, plus the queryset's own prefetches."""
    total = records.count()
    items = list(records[: limit or ROWS]) if total else []
    return {"rows": [row(item) for item in items], "total": total, "more_url": more_url, "empty": empty}


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add (or replace, by key) a section."""
    if section.person is None and section.household is None:
        raise ValueError(f"section {section.key!r} shows neither a person nor a household")
    SECTIONS[section.key] = section
    return section


def sections_for(kind: str) -> list[Section]:
    """The sections a subject of ``kind`` shows, in their order."""
    return sorted(
        (s for s in SECTIONS.values() if s.reader(kind) is not None), key=lambda s: (s.order, s.key)
    )


def actions_for(section: Section, kind: str, subject: Any, user: Any) -> list[tuple[str | Promise, str]]:
    shown = []
    for action in section.actions:
        if action.permission and not user.has_perm(action.permission):
            continue
        url = action.url(kind, subject)
        if url:
            shown.append((action.label, url))
    return shown


def read(kind: str, subject: Any, user: Any) -> list[Shown]:
    """Each section's context and actions for ``subject`` as ``user`` sees it (not rendered)."""
    shown = []
    for section in sections_for(kind):
        if section.permission and not user.has_perm(section.permission):
            continue
        reader = section.reader(kind)
        assert reader is not None
        context = reader(subject, user)
        shown.append(Shown(section, context, actions_for(section, kind, subject, user)))
    return shown


def build(request: HttpRequest, kind: str, subject: Any) -> list[Shown]:
    """The sections of a person's or a household's page, read and rendered for the request's user."""
    shown = read(kind, subject, request.user)
    for item in shown:
        context = {
            **item.context,
            "kind": kind,
            "subject": subject,
            "section": item.section,
            "actions": item.actions,
            "limit": ROWS,
        }
        item.html = SafeString(render_to_string(item.section.template, context, request=request))
    return shown
