"""The main menu: entries that each app registers (in its ``home.py``, found at start-up like the
metrics), each naming the URL of its page. The menu offers an entry exactly when the page's own
view lets the user in: the capability the view checks is recorded on it
(``core.permissions.page_permission``, a ``ListPage``'s ``permission``) and read back here from
the resolved URL, so there is no second list of who may open what that could drift.

    register_group(MenuGroup("lists", _("四项清单"), order=40))
    register(MenuEntry("needs:need_list", _("需求清单"), group="lists", order=10, section="needs"))

An entry outside a group is a link of its own on the bar; a group is a dropdown, or a plain link
when only one of its entries is open to the user. The base template shows the menu with
``{% load wushe_nav %}{% main_menu as nodes %}``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, resolve, reverse
from django.utils.functional import Promise

from .permissions import view_permission


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str | Promise
    order: int = 100


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str | Promise
    group: str = ""  # "" : a link of its own on the bar
    order: int = 100
    # the URL namespaces (or view names) whose pages belong to this entry: the entry is shown as
    # the current section on them (its detail pages, its forms)
    section: tuple[str, ...] | str = ()

    def sections(self) -> tuple[str, ...]:
        return (self.section,) if isinstance(self.section, str) else self.section


GROUPS: dict[str, MenuGroup] = {}
ENTRIES: dict[str, MenuEntry] = {}


def register_group(group: MenuGroup) -> MenuGroup:
    GROUPS[group.key] = group
    return group


def register(entry: MenuEntry) -> MenuEntry:
    ENTRIES[entry.url_name] = entry
    return entry


def _required(url_name: str) -> tuple[str, str] | None:
    """The URL of a page and the capability its view checks; ``None`` when the URL conf has no
    such page (an app left out of this installation). Read once per URL conf."""
    return _required_in(url_name, str(get_urlconf() or settings.ROOT_URLCONF))


@functools.cache
def _required_in(url_name: str, urlconf: str) -> tuple[str, str] | None:
    try:
        url = reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None
    return url, view_permission(resolve(url, urlconf=urlconf).func)


def may_open(user: Any, url_name: str) -> bool:
    """The page's own check: signed in and, when the view requires one, the capability."""
    found = _required(url_name)
    if found is None or not getattr(user, "is_authenticated", False):
        return False
    return not found[1] or bool(user.has_perm(found[1]))


@dataclass
class MenuLink:
    label: str | Promise
    url: str
    current: bool = False  # this very page (aria-current)
    active: bool = False  # a page of this entry's section


@dataclass
class MenuNode:
    """A link on the bar, or a dropdown of links."""

    label: str | Promise
    order: int
    url: str = ""
    current: bool = False
    active: bool = False
    links: list[MenuLink] = field(default_factory=list)


def _is_in(entry: MenuEntry, view_name: str, namespace: str) -> bool:
    return view_name == entry.url_name or any(s in (view_name, namespace) for s in entry.sections())


def menu_for(user: Any, *, view_name: str = "", namespace: str = "") -> list[MenuNode]:
    """The menu the user may use, in order; the current page and section marked."""
    nodes: dict[str, MenuNode] = {}
    for entry in sorted(ENTRIES.values(), key=lambda e: (e.order, e.url_name)):
        if not may_open(user, entry.url_name):
            continue
        found = _required(entry.url_name)
        assert found is not None  # may_open said the page exists
        link = MenuLink(
            entry.label,
            found[0],
            current=view_name == entry.url_name,
            active=_is_in(entry, view_name, namespace),
        )
        group = GROUPS.get(entry.group) if entry.group else None
        if group is None:
            nodes[f"entry:{entry.url_name}"] = MenuNode(
                link.label, entry.order, url=link.url, current=link.current, active=link.active
            )
            continue
        node = nodes.setdefault(f"group:{group.key}", MenuNode(group.label, group.order))
        node.links.append(link)
        node.active = node.active or link.active
    out = sorted(nodes.values(), key=lambda n: n.order)
    for node in out:
        if len(node.links) == 1:  # a group with one page open to the user is that page's link
            only = node.links.pop()
            node.label, node.url, node.current, node.active = only.label, only.url, only.current, only.active
    return out
