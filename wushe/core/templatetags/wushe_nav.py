"""``{% main_menu as nodes %}``: the main menu the signed-in user may use (``core.nav``)."""

from __future__ import annotations

from typing import Any

from django import template

from wushe.core.nav import MenuNode, menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[MenuNode]:
    request = context.get("request")
    if request is None:
        return []
    match = getattr(request, "resolver_match", None)
    return menu_for(
        request.user,
        view_name=match.view_name if match else "",
        namespace=match.namespace if match else "",
    )
