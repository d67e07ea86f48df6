"""PDF rendering (core.pdf): Chinese text in an embedded Noto CJK font, static files served
locally, remote URLs never fetched; QR codes (core.qr)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import zlib
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import override_settings

from wushe.core import pdf as core_pdf
from wushe.core.pdf import content_disposition, pdf_response, render_pdf, static_file
from wushe.core.qr import qr_data_uri, qr_svg

DOCUMENT = """{% extends "core/pdf/base.html" %}
{% block body %}<h1>{{ title }}</h1>
<p>善行市西社区慈善基金 公示：收入 {{ amount }} 元。</p>
<img src="https://example.com/tracker.png" alt="">
<link rel="stylesheet" href="http://203.0.113.9/remote.css">
<img class="qr" src="{{ qr }}" alt="二维码">
{% endblock %}"""

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "loaders": [
                ("django.template.loaders.locmem.Loader", {"test/document.html": DOCUMENT}),
                "django.template.loaders.app_directories.Loader",
            ]
        },
    }
]


def _text_of(data: bytes, tmp_path: Any) -> str:
    """The text of a PDF: pdftotext (poppler-utils, installed by make setup)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: run make setup")
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    command = [pdftotext, "-enc", "UTF-8", str(source), "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout.decode()  # noqa: S603


def _font_names(data: bytes) -> set[str]:
    """The /BaseFont names of a PDF, also inside compressed object streams."""
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return {m.decode() for chunk in chunks for m in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+#_-]+)", chunk)}


@pytest.fixture
def no_network(monkeypatch: Any) -> list[Any]:
    attempts: list[Any] = []

    def refuse(self: Any, address: Any) -> None:
        attempts.append(address)
        raise OSError("the network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@override_settings(TEMPLATES=TEMPLATES)
def test_a_chinese_pdf_renders_with_an_embedded_noto_cjk_font(tmp_path: Any, no_network: list[Any]) -> None:
    data = render_pdf(
        "test/document.html",
        {"title": "社区慈善基金公示", "amount": "500,000.00", "qr": qr_data_uri("WS-2025-0001")},
    )
    assert data.startswith(b"%PDF-")
    text = _text_of(data, tmp_path)
    assert "社区慈善基金公示" in text and "善行市西社区慈善基金" in text and "500,000.00" in text
    assert "第1页/共1页" in text.replace(
        " ", ""
    )  # the print CSS was found locally and applied (page numbers)
    fonts = {name.split("+")[-1].replace("-", "") for name in _font_names(data)}  # ABCDEF+Noto-Serif-CJK-SC
    assert {"NotoSerifCJKSC", "NotoSansCJKSC"} <= fonts, fonts
    assert no_network == []


@override_settings(TEMPLATES=TEMPLATES)
def test_remote_urls_are_refused_and_never_fetched(no_network: list[Any], monkeypatch: Any) -> None:
    fetchers: list[core_pdf.LocalStaticFetcher] = []
    real = core_pdf.LocalStaticFetcher

    def spy() -> core_pdf.LocalStaticFetcher:
        fetcher = real()
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(core_pdf, "LocalStaticFetcher", spy)
    render_pdf("test/document.html", {"title": "t", "amount": "1", "qr": qr_data_uri("x")})
    refused = fetchers[0].refused
    assert "https://example.com/tracker.png" in refused and "http://203.0.113.9/remote.css" in refused
    assert no_network == []


def test_only_the_apps_static_files_are_local() -> None:
    found = static_file("https://wushe.invalid/static/wushe/print.css")
    assert found is not None and found.read_text().startswith("/* Print CSS")
    for url in (
        "https://wushe.invalid/static/../settings.py",
        "https://wushe.invalid/static/%2e%2e/%2e%2e/wushe/settings.py",
        "https://wushe.invalid/media/x.png",
        "https://example.com/static/wushe/print.css",
        "file:///etc/passwd",
    ):
        assert static_file(url) is None, url


@override_settings(TEMPLATES=TEMPLATES)
def test_a_pdf_response_names_a_chinese_file_per_rfc_6266() -> None:
    response = pdf_response(
        "test/document.html",
        {"title": "t", "amount": "1", "qr": qr_data_uri("x")},
        filename="收据 2025-01.pdf",
    )
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    ascii_part = re.search(r'filename="([^"]*)"', disposition)
    assert ascii_part and ascii_part.group(1).isascii() and ascii_part.group(1).endswith("2025-01.pdf")
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert encoded and unquote(encoded.group(1)) == "收据 2025-01.pdf"
    assert content_disposition("a.pdf", inline=True).startswith("inline;")


def test_a_qr_code_is_an_svg_and_the_same_data_gives_the_same_code() -> None:
    svg = qr_svg("https://wushe.example/public/requests/new/")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg == qr_svg("https://wushe.example/public/requests/new/")
    assert svg != qr_svg("https://wushe.example/public/requests/other/")
    uri = qr_data_uri("WS-1")
    assert uri.startswith("data:image/svg+xml") and uri == qr_data_uri("WS-1")
    with pytest.raises(ValueError):
        qr_svg("")
