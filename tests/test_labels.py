"""Labels a user notices: a one-row header, the file checksum kept to a technical section for
administrators, an export title without a doubled word, English without Chinese punctuation."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from tests.conftest import login
from wushe.imports.models import ImportJob
from wushe.imports.services import job_create
from wushe.reports.dashboard import Comparison

pytestmark = pytest.mark.django_db


def _job(tree: Any, user: Any, settings: Any, tmp_path: Any) -> ImportJob:
    settings.MEDIA_ROOT = tmp_path
    body = "姓名,身份证号,所属社区\n张三,370102195001010011,甲社区\n".encode()
    return job_create(acting_user=user, region=tree.street, fileobj=io.BytesIO(body), name="台账.csv")


def test_a_one_row_header_is_one_row(tree: Any, users: Any, settings: Any, tmp_path: Any) -> None:
    job = _job(tree, users.street_admin, settings, tmp_path)
    assert job.header_first == job.header_last
    page = login(users.street_admin).get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert f"表头在第 {job.header_first} 行" in page and "–" not in page.split("表头在第")[1][:12]
    ImportJob.objects.filter(pk=job.pk).update(header_last=job.header_first + 1)
    page = login(users.street_admin).get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert f"表头在第 {job.header_first}–{job.header_first + 1} 行" in page


def test_the_checksum_is_a_technical_detail_for_administrators(
    tree: Any, users: Any, settings: Any, tmp_path: Any
) -> None:
    job = _job(tree, users.street_admin, settings, tmp_path)
    url = reverse("imports:job_detail", args=[job.pk])
    worker_page = login(users.worker_a).get(url)
    admin_page = login(users.street_admin).get(url).content.decode()
    assert (
        job.sha256[:12] not in worker_page.content.decode() and "SHA-256" not in worker_page.content.decode()
    )
    details = admin_page.split("<details", 1)[1].split("</details>", 1)[0]
    assert "技术信息" in details and job.sha256 in details
    assert admin_page.count(job.sha256[:12]) == 1  # only there


def test_the_person_export_title_names_the_list_once(users: Any, person_a: Any) -> None:
    response = login(users.street_admin).get(reverse("registry:person_export"), {"status": "active"})
    data = b"".join(response.streaming_content)
    title = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()[0][0]
    assert title.startswith("居民名单（") and "居民 居民" not in title
    assert (
        "居民名单-" in response["Content-Disposition"]
        or "%E5%B1%85%E6%B0%91%E5%90%8D%E5%8D%95-" in response["Content-Disposition"]
    )


def test_a_comparison_reads_as_english_in_english() -> None:
    figure = SimpleNamespace(label="Visits", display="3", rate=False, unit="")
    comparison = Comparison(label="Same period last year", value="0", text="up 3", direction="up")
    card = SimpleNamespace(figure=figure, url="", comparisons=[comparison])
    with translation.override("en"):
        html = render_to_string("reports/_cards.html", {"cards": [card]})
    assert "Same period last year 0: up 3" in html and "：" not in html
    with translation.override("zh-hans"):
        html = render_to_string("reports/_cards.html", {"cards": [card]})
    assert "0：up 3" in html
