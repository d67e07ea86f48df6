"""The work report .docx in the layout of an official document (GB/T 9704-2012), read back with
python-docx: A4 and the standard's margins, 仿宋 3号 body on 22 lines of 28 characters, the title
in 小标宋 2号, headings numbered in 黑体, black text, the issuer and the date, and page numbers
``— 1 —`` in 宋体 4号 on the outer side of each page."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess  # noqa: S404 — fc-match, with a fixed argument list
from pathlib import Path
from typing import Any

import docx
import pytest
from django.utils import timezone, translation
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt, Twips

from wushe.reports import docx as report_docx
from wushe.reports.docx import write_docx
from wushe.reports.narrative import work_report
from wushe.reports.periods import Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = Period(TODAY.replace(month=1, day=1), TODAY)
DATED = datetime.date(2026, 12, 6)
HALF_MM = Mm(0.5)
FC_MATCH = shutil.which("fc-match")


@pytest.fixture
def document(tree: Any, person_a: Any, person_b: Any) -> Any:
    report = work_report(region=tree.street, period=YEAR)
    return docx.Document(write_docx(report, dated=DATED))


def east_asia(element: Any) -> str | None:
    rpr = element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_the_page_is_a4_with_the_standards_margins(document: Any) -> None:
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < HALF_MM and abs(section.page_height - Mm(297)) < HALF_MM
    assert abs(section.page_width - Inches(8.5)) > Mm(5)  # not US Letter
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < HALF_MM, side
    text_block = (
        section.page_width - section.left_margin - section.right_margin,
        section.page_height - section.top_margin - section.bottom_margin,
    )
    assert abs(text_block[0] - Mm(156)) < HALF_MM and abs(text_block[1] - Mm(225)) < HALF_MM
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert text_block[1] // Twips(int(grid.get(qn("w:linePitch")))) == 22  # 22 lines fill the block
    per_char = Pt(16).pt + int(grid.get(qn("w:charSpace"))) / 4096
    assert int(Mm(156).pt // per_char) == 28  # 28 characters of 3号 a line


def test_title_body_and_headings_in_the_standards_fonts(document: Any) -> None:
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16) and east_asia(normal.element) == "仿宋"
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Twips(579)
    indent = normal.element.find(qn("w:pPr")).find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"  # two characters
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.text == "市西街道工作总结"
    assert title.style.font.size == Pt(22) and east_asia(title.style.element) == "方正小标宋简体"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER or title.style.paragraph_format.alignment == (
        WD_ALIGN_PARAGRAPH.CENTER
    )
    headings = [p for p in paragraphs if p.style is not None and p.style.name == "一级标题"]
    assert [h.text for h in headings][:1] == ["一、基本情况"]
    assert all(h.text[0] in "一二三四五六七八九十" and "、" in h.text for h in headings)
    assert east_asia(headings[0].style.element) == "黑体" and headings[0].style.font.size == Pt(16)
    body = [p for p in paragraphs if p.style.name == "Normal" and p.text]
    assert body and all(p.style.font.size is None or p.style.font.size == Pt(16) for p in body)
    assert "精准摸排智力精神障碍类1人、肢体残疾类1人" in "\n".join(p.text for p in body)


def test_no_word_default_styles_and_nothing_blue(document: Any) -> None:
    used = {p.style.name for p in document.paragraphs}
    assert not used & {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"}
    for name in used | {"页码"}:
        style = document.styles[name]
        assert style.font.color.rgb in (None, docx.shared.RGBColor(0, 0, 0)), name
        assert not style.font.bold, name
    for p in document.paragraphs:
        for run in p.runs:
            assert run.font.color.rgb in (None, docx.shared.RGBColor(0, 0, 0)), run.text
            assert not run.bold, run.text
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:eastAsia")) == "仿宋"


def test_the_issuer_and_the_date_close_the_report(document: Any) -> None:
    issuer, date = document.paragraphs[-2], document.paragraphs[-1]
    assert (issuer.text, date.text) == ("市西街道", "2026年12月6日")
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert document.paragraphs[-3].text == ""  # a line under the body
    right = [p._p.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:rightChars")) for p in (issuer, date)]
    # the date (6½ characters) is longer than the issuer (4): it ends 2 characters from the right,
    # and the issuer starts 2 characters before it
    assert right == ["650", "200"]


def test_page_numbers_in_the_footer(document: Any) -> None:
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert [t.text.strip() for t in paragraph._p.iter(qn("w:instrText"))] == ["PAGE"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == alignment
        assert paragraph.style.name == "页码" and paragraph.style.font.size == Pt(14)
        assert east_asia(paragraph.style.element) == "宋体"
    assert abs(section.right_margin - Mm(26)) < HALF_MM


def test_the_english_report_numbers_its_headings_in_figures(tree: Any, person_a: Any) -> None:
    with translation.override("en"):
        report = work_report(region=tree.street, period=YEAR)
        document = docx.Document(write_docx(report, dated=DATED))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "一级标题"]
    assert headings and headings[0].startswith("1. ")
    assert (
        document.sections[0].page_width
        == docx.Document(io.BytesIO(write_docx(report).read())).sections[0].page_width
    )


@pytest.mark.skipif(FC_MATCH is None, reason="fontconfig is not installed")
def test_linux_shows_the_named_fonts_in_noto_cjk(tmp_path: Path) -> None:
    """With the alias file `make system` installs, fontconfig gives the names the .docx uses a
    Noto CJK face of the right kind: serif for 仿宋, 宋体, 楷体 and 小标宋 (bold), sans for 黑体."""
    conf = Path(report_docx.__file__).parent / "fontconfig" / "64-wushe-official-fonts.conf"
    probe = subprocess.run(  # noqa: S603
        [str(FC_MATCH), "-f", "%{family}", "Noto Serif CJK SC"],
        capture_output=True,
        text=True,
        check=False,
    )
    if "Noto Serif CJK SC" not in probe.stdout:
        pytest.skip("fonts-noto-cjk is not installed (make system)")
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
        f'<include>{conf}</include><include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>',
        encoding="utf-8",
    )
    env = {"FONTCONFIG_FILE": str(fonts_conf), "PATH": "/usr/bin:/bin"}
    wanted = {
        report_docx.FONT_BODY: ("Noto Serif CJK SC", "Regular"),
        report_docx.FONT_SUBTITLE: ("Noto Serif CJK SC", "Regular"),
        report_docx.FONT_PAGE_NUMBER: ("Noto Serif CJK SC", "Regular"),
        report_docx.FONT_HEADING: ("Noto Sans CJK SC", "Regular"),
        report_docx.FONT_TITLE: ("Noto Serif CJK SC", "Bold"),
    }
    for name, (family, style) in wanted.items():
        got = subprocess.run(  # noqa: S603
            [str(FC_MATCH), "-f", "%{family[0]}|%{style[0]}", f"{name}:lang=zh-cn"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        assert got == f"{family}|{style}", (name, got)
