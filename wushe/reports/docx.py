"""The work report as a Word document (python-docx): title, period, one heading and paragraph a
section, each figure a bold run. Chinese text is set in a CJK font (SimSun, falling back in Word)."""

from __future__ import annotations

import io
from typing import IO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import CharacterStyle

from .narrative import WorkReport

CJK_FONT = "SimSun"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _east_asian(style: CharacterStyle, font: str = CJK_FONT) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def write_docx(report: WorkReport, out: IO[bytes] | None = None) -> IO[bytes]:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = CJK_FONT
    normal.font.size = Pt(12)
    _east_asian(normal)
    for name in ("Title", "Heading 1", "Heading 2"):
        _east_asian(doc.styles[name])
    doc.core_properties.title = report.title
    doc.core_properties.subject = report.subtitle
    title = doc.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(report.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(report.intro).paragraph_format.first_line_indent = Pt(24)
    for section in report.sections:
        doc.add_heading(section.heading, level=2)
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(24)
        for seg in section.segments:
            run = para.add_run(seg.text)
            if seg.key:
                run.bold = True
    doc.add_paragraph(report.closing)
    target = out if out is not None else io.BytesIO()
    doc.save(target)
    if hasattr(target, "seek"):
        target.seek(0)
    return target
