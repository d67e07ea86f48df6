"""Configuration data in the interface's language: every configuration model with a name has an
English name (core.models.TranslatedName), the defaults carry theirs, and pages, forms and
figures show it in English and the Chinese name in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from tests.conftest import login
from tests.outreach_factories import outreach_in
from wushe.core.config import SECTIONS, section_for
from wushe.core.metrics import Scope, compute_known
from wushe.core.models import TranslatedName, translated_name
from wushe.core.services import config_save
from wushe.needs.models import NeedCategory
from wushe.registry.models import Tag
from wushe.registry.services import person_tags_set

pytestmark = pytest.mark.django_db


def test_the_name_follows_the_language_and_falls_back_to_chinese() -> None:
    with translation.override("en"):
        assert translated_name("低保", "Subsistence allowance") == "Subsistence allowance"
        assert translated_name("自定类别", "") == "自定类别"
    with translation.override("zh-hans"):
        assert translated_name("低保", "Subsistence allowance") == "低保"


def test_every_configuration_section_with_a_name_edits_its_english_name() -> None:
    named = [s for s in SECTIONS.values() if "name" in s.fields]
    assert {s.key for s in named} >= {"tags", "need-categories", "calendar"}
    for section in named:
        assert issubclass(section.model, TranslatedName), section.key
        assert "name_en" in section.fields, section.key


def test_the_default_tags_and_categories_have_english_names() -> None:
    assert Tag.objects.exists() and NeedCategory.objects.exists()
    assert list(Tag.objects.filter(name_en="").values_list("name", flat=True)) == []
    assert list(NeedCategory.objects.filter(name_en="").values_list("name", flat=True)) == []
    dibao = Tag.objects.get(code="dibao")
    with translation.override("en"):
        assert str(dibao) == dibao.label == "Subsistence allowance"
    assert str(dibao) == "低保"


def test_an_operator_names_a_new_tag_in_english_on_the_settings_page(users: Any) -> None:
    tag = config_save(
        acting_user=users.street_admin,
        section=section_for("tags"),  # type: ignore[arg-type]
        data={"code": "orphan-care", "name": "孤儿养育", "name_en": "Orphan care", "sort": 20},
    )
    with translation.override("en"):
        assert tag.label == "Orphan care"  # type: ignore[attr-defined]
    client = login(users.street_admin)
    client.cookies["django_language"] = "en"
    page = client.get("/settings/tags/").content.decode()
    assert "English name" in page and "Orphan care" in page


def test_pages_and_figures_show_configuration_in_english(tree: Any, users: Any, person_a: Any) -> None:
    outreach_in(tree)  # a need of category rehab (康复训练) in 甲社区
    person_tags_set(acting_user=None, person=person_a, tags=["dibao"])
    client = login(users.street_admin)
    client.cookies["django_language"] = "en"
    needs = client.get("/needs/").content.decode()
    assert "<td>Rehabilitation training</td>" in needs and "<td>康复训练</td>" not in needs
    person = client.get(f"/registry/persons/{person_a.pk}/").content.decode()
    assert "Subsistence allowance" in person and ">低保<" not in person
    with translation.override("en"):
        figures = compute_known(Scope(region=tree.street, user=users.street_admin), ["tag.dibao"])
    assert figures["tag.dibao"].label.endswith("Subsistence allowance")
    client.cookies["django_language"] = "zh-hans"
    assert "<td>康复训练</td>" in client.get("/needs/").content.decode()
