"""The PDF service alone: the embedded CJK font, the 草稿 watermark as pixels, the 公示 list, the code format."""

from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from apps.documents.pdf import CODE_LENGTH, format_code, normalise_code, notice_pdf, publicity_list_pdf

SHOTS = Path("/tmp/notice-shots")


def _notice(draft: bool) -> bytes:
    return notice_pdf(title="失业保险稳岗返还告知书", number="吉人社稳返告〔2026〕第000123号",
                      salutation="长春某某有限公司（统一社会信用代码：9122**********12XX）：",
                      paragraphs=["根据失业保险稳岗返还政策，经核查，贵单位符合稳岗返还条件。" * 3,
                                  "返还金额为人民币 3,600.23 元。"],
                      basis=["国务院《2025年政府工作报告》", "工业和信息化部等《中小企业划型标准规定》（工信部联企业〔2011〕300号）"],
                      uses=["职工生活补助", "缴纳社会保险费"], objection="如对核定结果有异议，请于待定前提出。",
                      issuer="吉林省长春市南关区社会保险经办机构", issued_on="2026年12月1日",
                      code="ABCDEFGHJKMNPQRS", verify_url="http://127.0.0.1:8000/verify/ABCDEFGHJKMNPQRS/", draft=draft)


def _image(data: bytes, scale: float = 1.0):
    page = pdfium.PdfDocument(data)[0]
    return page.render(scale=scale).to_pil().convert("RGB")


def _reddish(image, box) -> int:
    """Pixels in `box` where red clearly dominates: the watermark's colour, never the black text's."""
    return sum(1 for r, g, b in image.crop(box).get_flattened_data() if r > 200 and r - g > 25 and r - b > 25)


def test_the_font_is_embedded_as_a_subset_not_a_named_cid_font():
    data = _notice(draft=False)
    assert b"/FontFile2" in data  # a TrueType font program inside the file
    assert b"STSong" not in data and b"UniGB-UCS2" not in data  # not reportlab's unembedded CID font
    assert len(data) < 200_000  # a subset, not the 5 MB font
    text = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    assert "吉人社稳返告〔2026〕第000123号" in text and "工信部联企业〔2011〕300号" in text and "ABCD-EFGH-JKMN-PQRS" in text


def test_same_content_same_bytes():
    assert _notice(draft=False) == _notice(draft=False)


def test_draft_watermark_is_in_the_pixels():
    SHOTS.mkdir(exist_ok=True)
    draft, final = _image(_notice(draft=True)), _image(_notice(draft=False))
    draft.save(SHOTS / "notice-draft.png")
    final.save(SHOTS / "notice-final.png")
    width, height = draft.size
    centre = (width // 4, height // 3, 3 * width // 4, 2 * height // 3)
    assert _reddish(final, centre) == 0
    assert _reddish(draft, centre) > 2000  # the big diagonal 草稿
    top = (0, 0, width, height // 20)  # the draft line above the title
    assert _reddish(draft, top) > _reddish(final, top)
    text = pdfium.PdfDocument(_notice(draft=True))[0].get_textpage().get_text_range()
    assert "草稿" in text


def test_publicity_list_pdf_with_sample_rows():
    rows = [{"name": "长春示例科技有限公司", "uscc_masked": "9122**********001X", "size_label": "小型",
             "amount": Decimal("3600.23")},
            {"name": "=HYPERLINK(\"x\")公司", "uscc_masked": "9122**********0022", "size_label": "微型",
             "amount": Decimal("1200.00")},
            {"name": "吉林省示例律师事务所", "uscc_masked": "3122**********0033", "size_label": "中型",
             "amount": Decimal("0.01")}]
    data = publicity_list_pdf(rows, "2026年失业保险稳岗返还拟发放单位公示名单", subtitle="长春市南关区",
                              notes=["公示期：2026年12月1日至12月7日。"], issuer="长春市南关区社会保险经办机构",
                              issued_on="2026年12月1日")
    SHOTS.mkdir(exist_ok=True)
    _image(data).save(SHOTS / "publicity-list.png")
    text = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    for expected in ("公示名单", "长春示例科技有限公司", "9122**********001X", "小型", "3,600.23", "3 家单位", "4,800.24",
                     "公示期"):
        assert expected in text, expected
    assert b"/FontFile2" in data


def test_a_long_list_runs_over_pages_with_the_header_repeated():
    rows = [{"name": f"单位{i:03d}", "uscc_masked": "9122**********0001", "size_label": "小型", "amount": Decimal("1")}
            for i in range(120)]
    document = pdfium.PdfDocument(publicity_list_pdf(rows, "公示名单", draft=True))
    assert len(document) >= 3
    last = document[len(document) - 1].get_textpage().get_text_range()
    assert "统一社会信用代码" in last and "120 家单位" in last and "草稿" in last


@pytest.mark.parametrize(("typed", "stored"), [
    ("ABCDEFGHJKMNPQRS", "ABCDEFGHJKMNPQRS"),
    ("abcd-efgh-jkmn-pqrs", "ABCDEFGHJKMNPQRS"),  # as printed, typed in lower case
    (" ABCD EFGH JKMN PQRS ", "ABCDEFGHJKMNPQRS"),
    ("ABCDEFGHJKMNPQR", ""),  # one short
    ("ABCDEFGHJKMNPQRST", ""),  # one long
    ("ABCDEFGHJKMNPQR0", ""),  # 0 is not in the alphabet
    ("../../etc/passwd", ""),
    ("", ""),
])
def test_code_normalisation(typed, stored):
    assert normalise_code(typed) == stored
    if stored:
        assert len(stored) == CODE_LENGTH and normalise_code(format_code(stored)) == stored
