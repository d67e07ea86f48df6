"""Error pages (issue 14 item 9): wushe's layout, Chinese first with English, never Django's
bare English page or the URL list; the static manifest missing is not a 500."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

from tests.conftest import login
from wushe import urls as wushe_urls
from wushe.core import staticfiles, views

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "wushe.core.staticfiles.WusheStaticFilesStorage"},
}


@pytest.fixture
def empty_static_root(tmp_path: Any, settings: Any) -> Any:
    """Production storage with a STATIC_ROOT collectstatic has never written."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = MANIFEST_STORAGE
    staticfiles.WusheStaticFilesStorage._warned = False
    return tmp_path


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_404_is_wushe_page_in_chinese_and_english(users: Any) -> None:
    response = login(users.worker_a).get("/no/such/page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text and "Page not found" in text
    assert "返回首页" in text and 'href="/"' in text
    assert "五社联动服务平台" in text  # the layout
    assert "Using the URLconf" not in text and "URL patterns" not in text  # not the technical page


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_403_is_wushe_page_in_chinese_and_english(users: Any) -> None:
    response = login(users.nobody).get(reverse("registry:person_export"))
    text = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in text and "Access denied" in text
    assert "<h1>403 Forbidden</h1>" not in text
    assert "返回首页" in text


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_csrf_failure_is_wushe_page(users: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.worker_a)
    response = client.post(reverse("logout"))
    text = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in text and "The page has expired" in text and "CSRF" in text


@pytest.mark.django_db
def test_400_handler_renders_the_layout(users: Any) -> None:
    request = RequestFactory().get("/")
    request.user = users.worker_a
    response = views.bad_request(request, ValueError("x"))
    text = response.content.decode()
    assert response.status_code == 400
    assert "请求有误" in text and "Bad request" in text


def test_500_handler_renders_without_context_or_database() -> None:
    response = views.server_error(RequestFactory().get("/"))
    text = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in text and "Server error" in text and 'href="/"' in text


def _boom(request: Any) -> Any:
    raise RuntimeError("boom")


# this module doubles as a URL conf with a failing view and wushe's 500 handler
urlpatterns = [path("boom/", _boom)]
handler500 = wushe_urls.handler500


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_500_through_the_url_conf_handler() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器错误" in text and "Server error" in text and "boom" not in text
    assert wushe_urls.handler500 == "wushe.core.views.server_error"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_pages_answer_without_collectstatic(users: Any, empty_static_root: Any, caplog: Any) -> None:
    """Before the fix every page answered 500 (ValueError: Missing staticfiles manifest entry)."""
    with caplog.at_level(logging.ERROR, logger="wushe.core.staticfiles"):
        response = login(users.worker_a).get(reverse("registry:person_list"))
    assert response.status_code == 200
    assert "collectstatic" in caplog.text
    assert 'href="/static/wushe/app.css"' in response.content.decode()  # unhashed, visibly unstyled


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_check_names_collectstatic_when_the_manifest_is_missing(empty_static_root: Any) -> None:
    found = [m for m in run_checks() if m.id == "wushe.W001"]
    assert found and "collectstatic" in found[0].msg


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_no_check_once_collected(empty_static_root: Any) -> None:
    (empty_static_root / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    assert not [m for m in run_checks() if m.id == "wushe.W001"]
