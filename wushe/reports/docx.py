"""The work report as a Word document laid out as an official document (GB/T 9704-2012 党政机关
公文格式), with python-docx.

The layout of the standard:
- A4 (210 mm × 297 mm); 天头 (top margin) 37 mm, 订口 (left margin) 28 mm, 版心 (text block)
  156 mm × 225 mm, so the bottom margin is 35 mm and the right one 26 mm (§5.2.1);
- 22 lines of 28 characters of 3号 (16 pt) 仿宋 a page (§5.2.2–5.2.3): each line 225 mm / 22 =
  579 twips (exact line spacing, and the section's line grid), the characters on a grid of
  156 mm / 28 (``charSpace`` −849: 1/4096 pt less than 16 pt per character); black text (§5.2.4);
- the title in 2号 (22 pt) 小标宋, centred (§7.3.1); the body in 3号 仿宋, each paragraph indented
  two characters (§7.3.3); the first level of headings numbered 一、二、… in 黑体 (§7.3.3);
- the issuer and the date under the body, a line between, the date in Arabic numerals, its first
  character two characters right of the issuer's (§7.3.5.2, §7.3.5.4);
- page numbers in 4号 (14 pt) 宋体 Arabic numerals between two 一字线 (``— 1 —``) under the text
  block, odd pages on the right and even pages on the left, one character in (§7.5).

Fonts. A .docx names its fonts; it does not carry them (embedding CJK fonts would add megabytes).
The names are those of the fonts the standard asks for, as Chinese Word and WPS write them:
仿宋 (FangSong, on every Chinese Windows), 黑体 (SimHei), 楷体 (KaiTi), 宋体 (SimSun) and
方正小标宋简体 (the 小标宋 of government offices; where it is missing Word and WPS substitute a
宋体). Latin letters and digits in the body are Times New Roman. On Linux the freely licensed
Noto CJK fonts (Debian's ``fonts-noto-cjk``, installed by ``make system``) show them: fontconfig
gives every CJK name without a font of its own the default CJK face, and the alias file
``reports/fontconfig/64-wushe-official-fonts.conf`` (installed by ``make system``) makes the
宋/仿宋/楷/小标宋 names Noto Serif CJK SC (小标宋 bold) and 黑体 Noto Sans CJK SC.
"""

from __future__ import annotations

import datetime
import io
from typing import IO, Any

from django.utils import formats, timezone
from django.utils.translation import get_language
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor, Twips

from .narrative import WorkReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PAGE = (Mm(210), Mm(297))  # A4
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
FOOTER_DISTANCE = Mm(23)  # the page number's line begins about 7 mm under the text block
LINE = Twips(579)  # 225 mm / 22 lines
CHAR_SPACE = -849  # 28 characters of 16 pt on a 156 mm line (1/4096 pt per character)

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE_NUMBER = Pt(14)  # 4号

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋"
FONT_HEADING = "黑体"
FONT_SUBTITLE = "楷体"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"

DASH = "—"  # 一字线
NUMERALS = "一二三四五六七八九十"


def _fonts(element: Any, east_asia: str, latin: str = FONT_LATIN) -> None:
    """Name the fonts of a style's or a run's properties (theme fonts removed: they would win)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), name)


def _defaults(doc: Any) -> None:
    """The document's defaults: 3号 仿宋, black, Chinese, no space between paragraphs."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr, name in (("w:ascii", FONT_LATIN), ("w:hAnsi", FONT_LATIN), ("w:eastAsia", FONT_BODY)):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:val"), "zh-CN" if _chinese() else "en-GB")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(int(LINE.twips)))
    spacing.set(qn("w:lineRule"), "exact")


def _style(doc: Any, name: str, *, east_asia: str, size: Length, style_id: str = "") -> Any:
    """A paragraph style (Chinese name, ASCII id) on Normal: black, not bold, on the line grid."""
    if name == "Normal":
        style = doc.styles["Normal"]
    else:
        style = doc.styles.add_style(name, 1)
        style.style_id = style_id
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
    style.font.size = size
    style.font.bold = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element, east_asia)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    return style


def _indent_chars(
    element: Any, *, first: float | None = None, left: float | None = None, right: float | None = None
) -> None:
    """Indents in characters (of 3号) of a style or a paragraph, as Word's 字符 indents
    (``w:firstLineChars`` …, which win over the lengths), with the same lengths in twips for
    readers that do not know them. ``first=0`` undoes an inherited first-line indent."""
    ind = element.get_or_add_pPr().get_or_add_ind()
    for attr, chars in (("w:firstLine", first), ("w:left", left), ("w:right", right)):
        if chars is not None:
            ind.set(qn(attr), str(int(round(chars * SIZE_BODY.twips))))
            ind.set(qn(attr + "Chars"), str(int(round(chars * 100))))


def _styles(doc: Any) -> dict[str, Any]:
    _defaults(doc)
    normal = _style(doc, "Normal", east_asia=FONT_BODY, size=SIZE_BODY)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent_chars(normal.element, first=2)
    title = _style(doc, "公文标题", east_asia=FONT_TITLE, size=SIZE_TITLE, style_id="WusheTitle")
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _indent_chars(title.element, first=0)
    subtitle = _style(doc, "公文副标题", east_asia=FONT_SUBTITLE, size=SIZE_BODY, style_id="WusheSubtitle")
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _indent_chars(subtitle.element, first=0)
    heading = _style(doc, "一级标题", east_asia=FONT_HEADING, size=SIZE_BODY, style_id="WusheHeading1")
    heading.paragraph_format.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")  # shown in the navigation pane, as a heading
    outline.set(qn("w:val"), "0")
    heading.element.get_or_add_pPr().append(outline)
    page_number = _style(
        doc, "页码", east_asia=FONT_PAGE_NUMBER, size=SIZE_PAGE_NUMBER, style_id="WushePageNumber"
    )
    _fonts(page_number.element, FONT_PAGE_NUMBER, latin=FONT_PAGE_NUMBER)  # 半角宋体 digits
    page_number.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _indent_chars(page_number.element, first=0)
    no_grid = OxmlElement("w:snapToGrid")  # the page number keeps its own line height
    no_grid.set(qn("w:val"), "0")
    page_number.element.get_or_add_pPr().append(no_grid)
    return {"title": title, "subtitle": subtitle, "heading": heading, "page_number": page_number}


def _page(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(LINE.twips)))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A field (``PAGE``) the word processor fills in, showing ``shown`` until it does."""
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None), ("text", shown)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _page_numbers(doc: Any, style: Any) -> None:
    """— 1 — under the text block: odd pages on the right, even pages on the left, one
    character (of 4号) in."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = style
        fmt = paragraph.paragraph_format
        if align == "right":
            fmt.alignment, fmt.right_indent = WD_ALIGN_PARAGRAPH.RIGHT, SIZE_PAGE_NUMBER
        else:
            fmt.alignment, fmt.left_indent = WD_ALIGN_PARAGRAPH.LEFT, SIZE_PAGE_NUMBER
        paragraph.add_run(f"{DASH} ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(f" {DASH}")


def _chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def _numbered(n: int, heading: str) -> str:
    """一、基本情况 (in English: 1. Overview)."""
    if not _chinese():
        return f"{n}. {heading}"
    tens, units = divmod(n, 10)
    numeral = (
        (NUMERALS[tens - 1] if tens > 1 else "")
        + ("十" if tens else "")
        + (NUMERALS[units - 1] if units else "")
    )
    return f"{numeral}、{heading}"


def _width(text: str) -> float:
    """The width of a line in characters: a Chinese character one, a half-width one half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def _signature(doc: Any, issuer: str, dated: datetime.date) -> None:
    """The issuer and the date (§7.3.5.2): a line under the body, the issuer two characters from
    the right, the date under it starting two characters further right; a date longer than that
    allows ends two characters from the right and moves the issuer left."""
    date_text = formats.date_format(dated, "DATE_FORMAT")
    name, date = _width(issuer), _width(date_text)
    issuer_right, date_right = (2.0, name - date) if name - date >= 0 else (date - name + 4, 2.0)
    doc.add_paragraph()
    for text, right in ((issuer, issuer_right), (date_text, date_right)):
        paragraph = doc.add_paragraph(text)
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _indent_chars(paragraph._p, first=0, right=right)


def write_docx(
    report: WorkReport, out: IO[bytes] | None = None, *, dated: datetime.date | None = None
) -> IO[bytes]:
    doc = Document()
    styles = _styles(doc)
    _page(doc)
    _page_numbers(doc, styles["page_number"])
    doc.core_properties.title = report.title
    doc.core_properties.subject = report.subtitle
    doc.core_properties.author = report.region.name
    doc.core_properties.language = "zh-CN" if _chinese() else "en"
    doc.add_paragraph(report.title, style=styles["title"])
    doc.add_paragraph(report.subtitle, style=styles["subtitle"])
    doc.add_paragraph()
    doc.add_paragraph(report.intro)
    for n, section in enumerate(report.sections, start=1):
        doc.add_paragraph(_numbered(n, section.heading), style=styles["heading"])
        paragraph = doc.add_paragraph()
        for seg in section.segments:
            paragraph.add_run(seg.text)  # a figure is a run of its own
    doc.add_paragraph(report.closing)
    _signature(doc, report.region.name, dated or timezone.localdate())
    target = out if out is not None else io.BytesIO()
    doc.save(target)
    if hasattr(target, "seek"):
        target.seek(0)
    return target
