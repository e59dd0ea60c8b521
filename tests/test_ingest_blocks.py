"""Blocks ingest hands on with the text: header and signature columns where the format shows them (a DOCX
table, a PDF's positions), stamps on the page (an incoming ``ĐẾN`` stamp, a signature box), each span
indexing ``Doc.text`` exactly, and no header field read from a stamp."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "pdf"))

from pdfgen import Run, make_pdf  # noqa: E402

from pipeline.ingest import ingest_bytes  # noqa: E402
from pipeline.ingest.geometry import Line, Page, Segment  # noqa: E402
from pipeline.ingest.ocr import _lines_from_tsv  # noqa: E402
from pipeline.ingest.pdf import pages_text  # noqa: E402
from pipeline.ingest.stamps import Box, find_boxes, mark_stamp_lines  # noqa: E402
from pipeline.models import Doc  # noqa: E402
from pipeline.parse import parse_doc  # noqa: E402


def _block_texts(doc: Doc) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for b in doc.blocks:
        assert 0 <= b.start < b.end <= len(doc.text)
        out.setdefault(b.kind, []).append(doc.text[b.start : b.end])
    return out


def _docx(header_rows: int = 2, bordered: bool = False) -> bytes:
    d = docx.Document()
    t = d.add_table(rows=header_rows, cols=3 if bordered else 2)
    if bordered:
        t.style = "Table Grid"
    right = len(t.columns) - 1
    if header_rows == 2:
        t.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN"
        t.cell(0, right).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
        t.cell(1, 0).text = "Số: 1234/UBND-KT\nV/v triển khai Nghị định số 32/2024/NĐ-CP"
        t.cell(1, right).text = "Lạng Sơn, ngày 15 tháng 4 năm 2024"
    else:
        t.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nSố: 1234/UBND-KT\nV/v triển khai Nghị định số 32/2024/NĐ-CP"
        t.cell(0, right).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLạng Sơn, ngày 15 tháng 4 năm 2024"
    d.add_paragraph("Kính gửi: Sở Tư pháp")
    d.add_paragraph("Thực hiện Nghị định số 32/2024/NĐ-CP, Ủy ban nhân dân tỉnh đề nghị Sở Tư pháp báo cáo./.")
    s = d.add_table(rows=2, cols=2)
    s.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    s.cell(0, 1).text = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    s.cell(1, 1).text = "Nguyễn Văn An"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_header_and_signature_tables_are_blocks():
    for rows, bordered in ((2, False), (1, False), (1, True)):
        doc = ingest_bytes(_docx(rows, bordered), "a.docx")
        blocks = _block_texts(doc)
        left, right = blocks["header_left"], blocks["header_right"]
        assert len(left) == len(right) == 1
        assert left[0].startswith("ỦY BAN NHÂN DÂN") and "Số: 1234/UBND-KT" in left[0] and "CỘNG HÒA" not in left[0]
        assert right[0].startswith("CỘNG HÒA") and right[0].endswith("năm 2024") and "Số:" not in right[0]
        assert blocks["signature_left"] == ["Nơi nhận:\n- Như trên;\n- Lưu: VT."]
        assert blocks["signature_right"][0].startswith("TM. ỦY BAN NHÂN DÂN") and blocks["signature_right"][0].endswith("Nguyễn Văn An")
        fields = parse_doc(doc).fields
        assert (fields.doc_number, fields.issue_date, fields.signer_name) == ("1234/UBND-KT", "2024-04-15", "Nguyễn Văn An")


def test_a_short_table_that_is_neither_header_nor_signature_gives_no_block():
    d = docx.Document()
    d.add_paragraph("Danh sách:")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Nguyễn Văn A", "Phó Giám đốc Sở"
    t.cell(1, 0).text, t.cell(1, 1).text = "Trần Thị B", "Trưởng phòng"
    buf = io.BytesIO()
    d.save(buf)
    assert ingest_bytes(buf.getvalue(), "a.docx").blocks == ()


def _pdf_letter(stamp: list[Run]) -> bytes:
    return make_pdf(
        [
            [
                Run(80, 60, "UBND TỈNH LẠNG SƠN"),
                Run(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                Run(105, 78, "SỞ NỘI VỤ"),
                Run(335, 78, "Độc lập - Tự do - Hạnh phúc"),
                Run(85, 110, "Số: 1234/SNV-VP"),
                Run(315, 110, "Lạng Sơn, ngày 5 tháng 3 năm 2024"),
                Run(85, 126, "V/v báo cáo kết quả năm 2024"),
                Run(120, 170, "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn"),
                Run(85, 200, "Thực hiện Kế hoạch số 45/KH-UBND ngày 2 tháng 2 năm 2024, Sở Nội vụ báo cáo như sau./."),
                Run(85, 250, "Nơi nhận:"),
                Run(360, 250, "KT. GIÁM ĐỐC"),
                Run(85, 266, "- Như trên;"),
                Run(355, 266, "PHÓ GIÁM ĐỐC"),
                Run(85, 282, "- Lưu: VT, VP."),
                Run(350, 330, "Nguyễn Văn An"),
                *stamp,
            ]
        ]
    )


def test_pdf_columns_found_by_position_are_blocks():
    doc = ingest_bytes(_pdf_letter([]), "a.pdf")
    blocks = _block_texts(doc)
    assert blocks["header_left"] == ["UBND TỈNH LẠNG SƠN\nSỞ NỘI VỤ\nSố: 1234/SNV-VP\nV/v báo cáo kết quả năm 2024"]
    assert blocks["header_right"] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLạng Sơn, ngày 5 tháng 3 năm 2024"]
    assert blocks["signature_left"] == ["Nơi nhận:\n- Như trên;\n- Lưu: VT, VP."]
    assert blocks["signature_right"] == ["KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Văn An"]
    assert all(b.page == 1 for b in doc.blocks)


def test_a_signature_box_in_the_text_layer_is_a_stamp_and_no_header_field():
    """A signing system's box beside the header (``Ký bởi: … Thời gian ký: …``) carries a date and a
    name of its own: a stamp block, out of the columns, and no field is read from it."""
    box = [Run(330, 140, "Ký bởi: Văn phòng Ủy ban nhân dân tỉnh"), Run(330, 152, "Thời gian ký: 09.03.2024 10:15:00 +07:00")]
    doc = ingest_bytes(_pdf_letter(box), "a.pdf")
    blocks = _block_texts(doc)
    assert blocks["stamp"] == ["Ký bởi: Văn phòng Ủy ban nhân dân tỉnh\nThời gian ký: 09.03.2024 10:15:00 +07:00"]
    assert not any("Ký bởi" in t for kind, texts in blocks.items() if kind != "stamp" for t in texts)
    fields = parse_doc(doc).fields
    assert (fields.doc_number, fields.issue_date, fields.issuer) == ("1234/SNV-VP", "2024-03-05", "Sở Nội vụ tỉnh Lạng Sơn")


def _tsv(words: list[tuple[int, str, int, int, int, int, float]]) -> str:
    """Tesseract's TSV: (line, text, left, top, width, height, confidence) in pixels."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for k, (line, text, left, top, w, h, conf) in enumerate(words):
        rows.append(f"5\t1\t1\t1\t{line}\t{k + 1}\t{left}\t{top}\t{w}\t{h}\t{conf}\t{text}")
    return "\n".join(rows)


# An incoming stamp pressed over the left of a letter's header, read by OCR at 1 pixel per point.
_HEADER_WITH_STAMP = [
    (1, "VĂN", 90, 54, 40, 15, 95.0), (1, "PHÒNG", 135, 54, 55, 15, 95.0), (1, "CHÍNH", 195, 54, 50, 15, 95.0), (1, "PHỦ", 250, 54, 30, 15, 95.0),
    (1, "CỘNG", 320, 54, 45, 15, 95.0), (1, "HÒA", 370, 54, 35, 15, 95.0), (1, "XÃ", 410, 54, 20, 15, 95.0), (1, "HỘI", 435, 54, 30, 15, 95.0),
    (2, "Số:", 146, 104, 25, 14, 93.0), (2, "537/TB-VPCP", 175, 104, 80, 14, 93.0),
    (2, "Hà", 330, 104, 20, 14, 95.0), (2, "Nội,", 355, 104, 30, 14, 95.0), (2, "ngày", 390, 104, 35, 14, 95.0), (2, "05", 430, 104, 15, 14, 95.0),
    (2, "tháng", 450, 104, 40, 14, 95.0), (2, "10", 495, 104, 15, 14, 95.0), (2, "năm", 515, 104, 30, 14, 95.0), (2, "2025", 550, 104, 35, 14, 95.0),
    (3, "CỔNG", 20, 124, 30, 10, 80.0), (3, "THÔNG", 55, 124, 35, 10, 80.0), (3, "TIN", 95, 124, 20, 10, 80.0), (3, "ĐIỆN", 120, 124, 25, 10, 80.0), (3, "TỬ", 150, 124, 15, 10, 80.0),
    (4, "ĐẾN", 20, 142, 35, 20, 70.0), (4, "Số:", 60, 140, 20, 10, 80.0), (4, "9904", 85, 140, 30, 10, 80.0),
    (5, "Ngày:", 60, 154, 30, 10, 80.0), (5, "06/10/2025", 95, 154, 60, 10, 80.0),
    (6, "THÔNG", 270, 180, 50, 15, 95.0), (6, "BÁO", 325, 180, 35, 15, 95.0),
]


def test_ocr_words_inside_a_stamp_rectangle_are_a_stamp():
    box = Box(10, 118, 170, 170)
    lines = _lines_from_tsv(_tsv(_HEADER_WITH_STAMP), 1.0, [box])
    stamps = [ln.text for ln in lines if ln.stamp]
    assert stamps == ["CỔNG THÔNG TIN ĐIỆN TỬ", "ĐẾN Số: 9904", "Ngày: 06/10/2025"]
    assert any(ln.text.startswith("Số: 537/TB-VPCP") for ln in lines if not ln.stamp)
    # without the rectangle, the same words are the page's
    assert not any(ln.stamp for ln in _lines_from_tsv(_tsv(_HEADER_WITH_STAMP), 1.0, []))
    # a black rectangle whose words read as no stamp's (a framed note, a table) is the page's
    note = [w for w in _HEADER_WITH_STAMP if w[0] < 3] + [(3, "Ghi", 20, 124, 20, 10, 90.0), (3, "chú", 45, 124, 25, 10, 90.0)]
    assert not any(ln.stamp for ln in _lines_from_tsv(_tsv(note), 1.0, [box]))


def test_in_a_red_stamp_only_what_a_pen_wrote_is_the_stamps():
    """A red stamp's print is washed out before OCR: what is read inside it is the letter's print under
    it, or the stamp's fields a pen filled in, told by their blue ink."""
    words = [(1, "Kính", 60, 124, 30, 10, 90.0), (1, "gửi:", 95, 124, 30, 10, 90.0), (2, "1614", 60, 150, 40, 12, 60.0)]
    pen = lambda w: w[0] == "1614"  # noqa: E731
    lines = _lines_from_tsv(_tsv(words), 1.0, [Box(10, 118, 170, 170, red=True)], pen)
    assert [(ln.text, ln.stamp) for ln in lines] == [("Kính gửi:", False), ("1614", True)]


def _draw_box(img: np.ndarray, x0: int, y0: int, x1: int, y1: int, width: int = 6) -> None:
    img[y0 : y0 + width, x0:x1] = True
    img[y1 - width : y1, x0:x1] = True
    img[y0:y1, x0 : x0 + width] = True
    img[y0:y1, x1 - width : x1] = True


def test_a_stamps_rectangle_is_found_and_a_tables_rules_are_not():
    scale = 300 / 72
    img = np.zeros((3500, 2480), dtype=bool)
    _draw_box(img, 125, 500, 725, 760)  # 144 × 62 points: a stamp
    img[505:760:30, 200:700] = True  # dotted field lines inside it
    _draw_box(img, 300, 2000, 2300, 2600)  # a table across the page: too wide for a stamp
    img[1200:1206, 300:1000] = True  # a rule under a title, no edges
    boxes = find_boxes(img, scale)
    assert len(boxes) == 1
    b = boxes[0]
    assert abs(b.x0 - 125) < 12 and abs(b.y0 - 500) < 12 and abs(b.x1 - 725) < 12 and abs(b.y1 - 760) < 12
    # a stamp pressed at a slant is still a rectangle
    img = np.zeros((1200, 1200), dtype=bool)
    for x in range(100, 700):
        y = 300 + (x - 100) // 60
        img[y : y + 5, x] = True
        img[y + 250 : y + 255, x] = True
    img[300:560, 100:105] = True
    img[310:570, 695:700] = True
    assert len(find_boxes(img, scale)) == 1
    # one whose top rule is dashed: found by the rule under its title row, its edges followed up
    img = np.zeros((1200, 1200), dtype=bool)
    for x in range(100, 700, 40):
        img[300:305, x : x + 20] = True
    img[360:365, 100:700] = True
    img[560:565, 100:700] = True
    img[300:565, 100:105] = True
    img[300:565, 695:700] = True
    (b,) = find_boxes(img, scale)
    assert abs(b.y0 - 300) < 12 and abs(b.y1 - 565) < 12


def test_a_stamp_in_the_header_gives_no_header_field():
    """An incoming stamp OCR read beside the header, its ``Số`` and ``Ngày`` of its own: laid out
    apart from the columns, handed on as a stamp block, and the header is read without it."""
    lines = _lines_from_tsv(_tsv(_HEADER_WITH_STAMP), 1.0, [Box(10, 118, 170, 170)])
    text, _, blocks = pages_text([Page(lines, 600, 846)], ["ocr"])
    doc = Doc(text, "pdf", text_source="ocr", blocks=blocks)
    stamp = [text[b.start : b.end] for b in blocks if b.kind == "stamp"]
    assert stamp == ["CỔNG THÔNG TIN ĐIỆN TỬ\nĐẾN Số: 9904\nNgày: 06/10/2025"]
    fields = parse_doc(doc).fields
    assert fields.doc_number == "537/TB-VPCP"
    assert fields.issue_date == "2025-10-05"
    assert "9904" not in (fields.issuer or "") and "CỔNG" not in (fields.subject or "")


def test_a_stamp_segment_on_a_line_of_text_is_set_apart():
    page = Page(
        [Line([Segment("KT. GIÁM ĐỐC", 350, 420), Segment("Ký bởi: Sở Nội vụ", 440, 560)], 100, 112)], 600, 846
    )
    mark_stamp_lines(page)
    assert [(ln.text, ln.stamp) for ln in page.lines] == [("KT. GIÁM ĐỐC", False), ("Ký bởi: Sở Nội vụ", True)]
