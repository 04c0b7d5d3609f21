"""PDF rendering: the notice (告知书) and the public list (公示名单), in an embedded Simplified-Chinese font.

The font is 文泉驿微米黑 (WenQuanYi Micro Hei, TrueType outlines), installed from PyPI with the project
(`paperang-p2-fonts-cjk`); reportlab embeds the subset of glyphs a document uses, so a PDF opens the same on
any machine — unlike reportlab's built-in CID fonts (STSong-Light), which name a font the reader must have.
Documents are built with `invariant=True`: the same content gives the same bytes (no creation time, no
random id), so a hash says something about the content.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from xml.sax.saxutils import escape

import qrcode
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "WenQuanYiMicroHei"
DRAFT_TEXT = "草稿"
# The wording the first source (refund runs) prints; another source passes its own (NoticeContent).
DRAFT_NOTE = "草稿 · 批次尚未审核通过，不作为正式告知"
USES_INTRO = "稳岗返还资金可用于以下支出，请专款专用，妥善留存使用凭证："


@functools.cache
def register_font() -> str:
    """Register the CJK font once per process; returns its name."""
    path = resources.files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"
    with resources.as_file(path) as file:
        pdfmetrics.registerFont(TTFont(FONT, str(file), subfontIndex=0))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("body", fontName=font, fontSize=11.5, leading=20, wordWrap="CJK", firstLineIndent=23)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=19, leading=28, alignment=TA_CENTER, firstLineIndent=0),
        "number": ParagraphStyle("number", parent=base, fontSize=11, alignment=TA_CENTER, firstLineIndent=0,
                                 textColor=colors.HexColor("#333333")),
        "body": base,
        "flush": ParagraphStyle("flush", parent=base, firstLineIndent=0),
        "heading": ParagraphStyle("heading", parent=base, firstLineIndent=0, spaceBefore=4),
        "item": ParagraphStyle("item", parent=base, firstLineIndent=0, leftIndent=23, bulletIndent=8),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT, firstLineIndent=0),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13, firstLineIndent=0,
                                textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14, firstLineIndent=0),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=10, leading=14, firstLineIndent=0,
                                     alignment=TA_RIGHT),
    }


def _p(text: str, style: ParagraphStyle, **kwargs) -> Paragraph:
    return Paragraph(escape(text), style, **kwargs)


def qr_drawing(data: str, size: float = 28 * mm) -> Drawing:
    """A QR code as vector rectangles (qrcode computes the modules; nothing is rasterised)."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    drawing = Drawing(size, size)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                drawing.add(Rect(x * cell, size - (y + 1) * cell, cell, cell, fillColor=colors.black,
                                 strokeColor=None, strokeWidth=0))
    return drawing


def _page_decorator(*, draft: bool, footer: str, draft_note: str = DRAFT_NOTE):
    """Draws the draft watermark (large, diagonal, on every page) and the page footer."""

    def decorate(canvas, doc) -> None:
        font = register_font()
        canvas.saveState()
        width, height = doc.pagesize
        if draft:
            canvas.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.18))
            canvas.setFont(font, 150)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, -50, DRAFT_TEXT)
            canvas.rotate(-35)
            canvas.translate(-width / 2, -height / 2)
            canvas.setFillColor(colors.Color(0.75, 0.1, 0.1))
            canvas.setFont(font, 10)
            canvas.drawCentredString(width / 2, height - 12 * mm, draft_note)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.setFont(font, 8)
        canvas.drawCentredString(width / 2, 10 * mm, f"{footer} · 第 {doc.page} 页")
        canvas.restoreState()

    return decorate


def _build(story: list, *, title: str, draft: bool, footer: str, pagesize=A4, draft_note: str = DRAFT_NOTE) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=22 * mm,
                            bottomMargin=20 * mm, title=title, author="", subject=title, creator="社会服务经办平台",
                            invariant=True)
    decorate = _page_decorator(draft=draft, footer=footer, draft_note=draft_note)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def money_text(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def notice_pdf(*, title: str, number: str, salutation: str, paragraphs: Iterable[str], basis: Iterable[str],
               uses: Iterable[str], objection: str, issuer: str, issued_on: str, code: str, verify_url: str,
               draft: bool, uses_intro: str = USES_INTRO, draft_note: str = DRAFT_NOTE) -> bytes:
    """One notice: title, 文号, the letter, its basis and the permitted uses, the objection sentence, the
    issuer and date, and a verification block (QR code to the public verify page and the code in text)."""
    s = _styles()
    story: list = [_p(title, s["title"]), Spacer(1, 2 * mm), _p(number, s["number"]), Spacer(1, 6 * mm),
                   _p(salutation, s["flush"])]
    story += [_p(text, s["body"]) for text in paragraphs]
    basis, uses = list(basis), list(uses)
    if basis:
        story.append(_p("政策依据：", s["heading"]))
        story += [_p(text, s["item"], bulletText="•") for text in basis]
    if uses:
        story.append(_p(f"资金用途：{uses_intro}", s["heading"]))
        story += [_p(text, s["item"], bulletText="•") for text in uses]
    if objection:
        story.append(_p(objection, s["body"]))
    story += [Spacer(1, 8 * mm), _p(issuer, s["sign"]), _p(issued_on, s["sign"]), Spacer(1, 8 * mm)]
    check = [_p("真伪核验", s["flush"]),
             _p(f"验证码：{format_code(code)}", s["flush"]),
             _p(f"扫描二维码或访问 {verify_url} 核验本告知书是否有效。核验页显示文号、单位名称、金额和状态（有效 / 已失效）。",
                s["small"])]
    if draft:
        check.append(_p("本件为草稿，核验页将显示“草稿”。", s["small"]))
    table = Table([[qr_drawing(verify_url), check]], colWidths=[32 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    story.append(KeepTogether([table]))
    return _build(story, title=f"{title} {number}", draft=draft, footer=number, draft_note=draft_note)


def publicity_list_pdf(rows: Iterable[Mapping[str, object]], title: str, *, subtitle: str = "",
                       notes: Iterable[str] = (), issuer: str = "", issued_on: str = "", draft: bool = False) -> bytes:
    """The public list (公示名单): one row per unit — unit name, masked USCC, size class label, amount.

    `rows` are dicts with the keys `name`, `uscc_masked`, `size_label`, `amount` (Decimal); the caller masks the
    code (this function prints what it is given). Ends with the count and the total; `notes` (the publicity
    period, the objection channel) follow the table; `draft` adds the watermark."""
    s = _styles()
    header = ["序号", "单位名称", "统一社会信用代码", "企业划型", "返还金额（元）"]
    data: list[list] = [[_p(text, s["cell"]) for text in header]]
    total, count = Decimal("0.00"), 0
    for count, row in enumerate(rows, start=1):
        amount = Decimal(str(row.get("amount") or 0))
        total += amount
        data.append([_p(str(count), s["cell"]), _p(str(row.get("name", "")), s["cell"]),
                     _p(str(row.get("uscc_masked", "")), s["cell"]), _p(str(row.get("size_label", "")), s["cell"]),
                     _p(money_text(amount), s["cell_right"])])
    data.append([_p("合计", s["cell"]), _p(f"{count} 家单位", s["cell"]), "", "", _p(money_text(total), s["cell_right"])])
    table = Table(data, colWidths=[12 * mm, 58 * mm, 42 * mm, 20 * mm, 34 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("SPAN", (1, -1), (3, -1))]))
    story: list = [_p(title, s["title"])]
    if subtitle:
        story += [Spacer(1, 2 * mm), _p(subtitle, s["number"])]
    story += [Spacer(1, 6 * mm), table, Spacer(1, 4 * mm)]
    story += [_p(text, s["body"]) for text in notes]
    if issuer or issued_on:
        story += [Spacer(1, 6 * mm), _p(issuer, s["sign"]), _p(issued_on, s["sign"])]
    return _build(story, title=title, draft=draft, footer=title)


CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed without confusion
CODE_LENGTH = 16  # 31^16 ≈ 7·10^23: not guessable, and the verify page is throttled


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    """What a person typed (lower case, dashes, spaces) → the stored form; '' when it cannot be a code."""
    code = "".join(ch for ch in text.upper() if ch not in "- ")
    return code if len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code) else ""


def qr_svg(data: str) -> str:
    """The same QR code as inline SVG for the HTML preview (path elements only: no script, no style)."""
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode().split("?>", 1)[-1].strip()
