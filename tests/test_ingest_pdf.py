"""PDF with a text layer: columns kept apart, margins dropped, pages joined, page offsets, errors.

The PDFs are written by ``tests/fixtures/pdf/pdfgen.py`` in the test, so each one puts
its text exactly where, and in the stream order, the case needs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "pdf"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdfgen import Run, document_pages, make_pdf, text_width  # noqa: E402

from pipeline.ingest import ingest_bytes  # noqa: E402
from pipeline.ingest import pdf as pdf_module  # noqa: E402
from pipeline.ingest.errors import IngestError  # noqa: E402
from pipeline.ingest.ocr import OcrPage  # noqa: E402
from pipeline.ingest.pdf import read_pdf  # noqa: E402
from pipeline.ingest.quality import page_quality  # noqa: E402
from pipeline.normalize import normalize_text  # noqa: E402
from pipeline.output.rows import _page  # noqa: E402
from pipeline.parse import parse_text  # noqa: E402
from pipeline.runner import process_bytes  # noqa: E402

BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Quyết định số 1056/QĐ-UBND ngày 12 tháng 5 năm 2023 của Ủy ban nhân dân tỉnh;",
    "Theo đề nghị của Chánh Văn phòng Sở Nội vụ.",
]


def _header_row_by_row() -> list[Run]:
    """The header as Word often writes it: each row of the two-column table left cell, right cell."""
    return [
        Run(80, 60, "UBND TỈNH LẠNG SƠN"),
        Run(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        Run(105, 78, "SỞ NỘI VỤ"),
        Run(335, 78, "Độc lập - Tự do - Hạnh phúc"),
        Run(85, 110, "Số: 1234/QĐ-SNV"),
        Run(315, 110, "Lạng Sơn, ngày 5 tháng 3 năm 2024"),
        Run(250, 150, "QUYẾT ĐỊNH"),
        Run(120, 168, "Về việc giao nhiệm vụ năm 2024 cho các phòng thuộc Sở"),
        Run(200, 195, "GIÁM ĐỐC SỞ NỘI VỤ TỈNH LẠNG SƠN"),
    ] + [Run(85, 225 + 18 * i, line) for i, line in enumerate(BODY)]


def _signature_row_by_row(y: float) -> list[Run]:
    return [
        Run(85, y, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./."),
        Run(85, y + 40, "Nơi nhận:"),
        Run(360, y + 40, "KT. GIÁM ĐỐC"),
        Run(85, y + 56, "- Như Điều 2;"),
        Run(355, y + 56, "PHÓ GIÁM ĐỐC"),
        Run(85, y + 72, "- Lưu: VT, VP."),
        Run(350, y + 120, "Nguyễn Văn An"),
    ]


def _letter() -> bytes:
    page1 = _header_row_by_row() + [
        Run(85, 300, "Điều 1. Giao Văn phòng Sở chủ trì, phối hợp với các phòng chuyên môn thực hiện các"),
        # the line is full (its right end is the margin), so the page break cut the sentence
        Run(85, 318, "nhiệm vụ được giao năm 2024 tại Kế hoạch số 45/KH-UBND ngày 2 tháng 2 năm 2024 của"),
    ]
    page2 = [
        Run(292, 40, "2"),
        Run(85, 80, "Ủy ban nhân dân tỉnh, báo cáo kết quả trước ngày 30 tháng 6 năm 2024."),
    ] + _signature_row_by_row(110)
    return make_pdf([page1, page2])


@pytest.fixture(scope="module")
def letter():
    data = _letter()
    return data, read_pdf(data)


def _line_of(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_header_columns_are_not_merged(letter):
    _, source = letter
    lines = source.text.splitlines()
    assert not any("CỘNG HÒA" in ln and ("UBND" in ln or "SỞ NỘI VỤ" in ln) for ln in lines)
    assert not any("Số:" in ln and "Lạng Sơn, ngày" in ln for ln in lines)
    # left column, then right column
    assert lines[:6] == [
        "UBND TỈNH LẠNG SƠN",
        "SỞ NỘI VỤ",
        "Số: 1234/QĐ-SNV",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lạng Sơn, ngày 5 tháng 3 năm 2024",
    ]


def test_pdfplumber_would_merge_this_header(letter):
    """The fixture really is the hard case: a reader that follows the stream merges the columns."""
    import io

    import pdfplumber

    data, _ = letter
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = pdf.pages[0].extract_text().splitlines()[0]
    assert "UBND TỈNH LẠNG SƠN" in first and "CỘNG HÒA" in first


def test_signature_columns_are_not_merged(letter):
    _, source = letter
    lines = source.text.splitlines()
    assert not any("Nơi nhận" in ln and "GIÁM ĐỐC" in ln for ln in lines)
    assert not any("Như Điều 2" in ln and "PHÓ GIÁM ĐỐC" in ln for ln in lines)
    start = lines.index("Nơi nhận:")
    assert lines[start:] == ["Nơi nhận:", "- Như Điều 2;", "- Lưu: VT, VP.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]


def test_page_number_removed_and_sentence_joined(letter):
    _, source = letter
    assert "\n2\n" not in source.text
    assert "ngày 2 tháng 2 năm 2024 của Ủy ban nhân dân tỉnh, báo cáo" in source.text


def test_page_starts_map_text_to_pages(letter):
    _, source = letter
    assert source.page_starts is not None and len(source.page_starts) == 2
    assert source.page_starts[0] == 0
    assert _page(source, source.text.index("Số: 1234/QĐ-SNV")) == 1
    assert _page(source, source.text.index("Ủy ban nhân dân tỉnh, báo cáo")) == 2
    assert _page(source, source.text.index("Nơi nhận")) == 2
    # the page boundary is where the second page's text begins
    assert source.text[source.page_starts[1] :].startswith("Ủy ban nhân dân tỉnh, báo cáo")


def test_text_is_canonical(letter):
    _, source = letter
    assert normalize_text(source.text) == source.text
    assert source.source_format == "pdf" and source.text_source == "text"
    assert source.quality is not None and source.quality > 0.9


def test_parser_reads_the_fields(letter):
    _, source = letter
    fields = parse_text(source.text).fields
    assert fields.doc_number == "1234/QĐ-SNV"
    assert fields.issue_date == "2024-03-05"
    assert fields.doc_type == "Quyết định"


def test_rows_carry_the_page(letter):
    data, _ = letter
    rows = process_bytes(data, "letter.pdf")
    assert not rows["errors"], rows["errors"]
    assert rows["documents"][0]["n_pages"] == 2
    refs = {r["ref_number"]: r["page"] for r in rows["references"]}
    assert refs.get("1056/QĐ-UBND") == 1
    recipients = {r["recipient_text"]: r["page"] for r in rows["recipients"]}
    assert recipients and set(recipients.values()) == {2}


def test_detected_from_bytes_not_name():
    data = _letter()
    assert ingest_bytes(data, "no_extension").source_format == "pdf"


def test_running_header_and_page_labels_removed():
    body = "\n".join(
        f"Điều {i}. Các cơ quan, đơn vị thực hiện nội dung thứ {i} theo đúng quy định hiện hành." for i in range(1, 90)
    )
    pages = document_pages(body, numbered=False)
    for n, runs in enumerate(pages, 1):
        runs.insert(0, Run(150, 35, "CÔNG BÁO/Số 12 + 13/Ngày 05-01-2024"))
        runs.append(Run(270, 815, f"Trang {n}/{len(pages)}" if n % 2 else f"- {n} -"))
    assert len(pages) >= 3
    text = read_pdf(make_pdf(pages)).text
    assert "CÔNG BÁO" not in text
    assert "Trang " not in text and "- 2 -" not in text
    assert "Điều 89." in text


def test_glyphs_written_out_of_order_are_put_back():
    """A fallback font's glyphs written after the rest of the line (LibreOffice without the font's ``Ộ``).

    The glyph put back is ``Ô``: PDFium drops a lone glyph that the substitute for this
    fixture's non-embedded font cannot draw (``Ộ`` has an empty box), which a real PDF,
    whose fallback font is embedded, does not do.
    """
    x, y = 100.0, 100.0
    w_c, w_o = text_width("C"), text_width("Ô")
    runs = [
        Run(x, y, "C"),
        Run(x + w_c + w_o, y, "NG HÒA XÃ HỘI"),
        Run(x, y + 30, "Nội dung đầu tiên của văn bản hành chính gồm nhiều chữ"),
        Run(x + w_c, y, "Ô"),
    ]
    text = read_pdf(make_pdf([runs])).text
    assert text.splitlines()[0] == "CÔNG HÒA XÃ HỘI"
    assert "Ô" not in text.splitlines()[1:]


@pytest.mark.parametrize(
    ("make", "error_type"),
    [
        (lambda: make_pdf([[Run(85, 100, "Nội dung bí mật của văn bản")]], user_password="secret"), "encrypted"),
        (lambda: _letter()[: len(_letter()) // 2], "corrupt"),
        (lambda: _letter()[:-200], "corrupt"),
        (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "corrupt"),
        (lambda: b"%PDF-1.4\n", "corrupt"),
    ],
    ids=["encrypted", "truncated-half", "truncated-tail", "garbage", "header-only"],
)
def test_unreadable_pdfs_give_an_error(make, error_type):
    with pytest.raises(IngestError) as info:
        read_pdf(make())
    assert info.value.error_type == error_type
    assert info.value.message


def test_encrypted_fixture_is_really_encrypted():
    import pypdfium2 as pdfium

    data = make_pdf([[Run(85, 100, "Nội dung bí mật của văn bản")]], user_password="secret")
    doc = pdfium.PdfDocument(data, password="secret")
    assert "bí mật" in doc[0].get_textpage().get_text_range()
    doc.close()


def test_blank_pdf_is_empty_when_ocr_finds_nothing(monkeypatch):
    monkeypatch.setattr(pdf_module, "ocr_page", lambda page, **kw: OcrPage([]))
    with pytest.raises(IngestError) as info:
        read_pdf(image_pdf(2))
    assert info.value.error_type == "empty"


def test_blank_pages_are_not_sent_to_ocr(monkeypatch):
    """Nothing drawn, nothing to read: an empty page costs no Tesseract run."""
    calls = []
    monkeypatch.setattr(pdf_module, "ocr_page", lambda page, **kw: calls.append(page) or OcrPage([]))
    with pytest.raises(IngestError) as info:
        read_pdf(make_pdf([[], [], []]))
    assert info.value.error_type == "empty" and not calls
    text = read_pdf(make_pdf([[Run(85, 100, "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;")], [Run(85, 100, "táng")]])).text
    assert text.endswith("táng") and not calls


def image_pdf(pages: int = 1) -> bytes:
    """A PDF whose pages hold only an image, as a scanner writes them."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        page = doc.new_page(595, 842)
        bitmap = pdfium.PdfBitmap.new_native(40, 40, pdfium.raw.FPDFBitmap_BGR)
        bitmap.fill_rect((200, 200, 200, 255), 0, 0, 40, 40)
        image = pdfium.PdfImage.new(doc)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(500, 700).translate(40, 60))
        page.insert_obj(image)
        page.gen_content()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_scan_without_tesseract_says_what_to_install(monkeypatch):
    import pipeline.ingest.ocr as ocr

    monkeypatch.setattr(ocr, "tesseract_ready", lambda: False)
    with pytest.raises(IngestError) as info:
        read_pdf(image_pdf())
    assert info.value.error_type == "missing_tool"
    assert "install-system-deps.sh" in info.value.message


def test_page_limit():
    with pytest.raises(IngestError) as info:
        read_pdf(make_pdf([[Run(85, 100, "Trang một")], [Run(85, 100, "Trang hai")], [Run(85, 100, "Trang ba")]]), max_pages=2)
    assert info.value.error_type == "too_many_pages" and "--max-pages" in info.value.message


def test_error_row_and_the_batch_goes_on():
    rows = process_bytes(b"%PDF-1.7\nnot really", "broken.pdf")
    assert rows["errors"] and rows["errors"][0]["error_type"] == "corrupt"
    assert not rows["documents"]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015; Theo đề nghị của Bộ trưởng Bộ Nội vụ;", 0.9, 1.0),
        ("UBND TỈNH LẠNG SƠN Số: 12/UBND-VX về việc triển khai Kế hoạch số 45/KH-UBND của tỉnh", 0.9, 1.0),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc. Quy ®Þnh vÒ viÖc", 0.0, 0.5),
        ("\ufffd\ufffd\ufffd \ufffd\ufffd thế \ufffd giới \ufffd\ufffd xin \ufffd chào \ufffd\ufffd", 0.0, 0.5),
        ("2", 0.0, 0.0),
        ("", 0.0, 0.0),
    ],
    ids=["clean", "abbreviations", "tcvn3-as-latin1", "replacement-chars", "page-number", "empty"],
)
def test_page_quality(text, low, high):
    assert low <= page_quality(text) <= high


def test_text_layer_in_a_tcvn3_font_is_converted():
    """A PDF typed in .VnTime: its text layer holds the Latin-1 letters the font reused; read as Unicode, not OCR'd."""
    from legacy_encode import to_tcvn3

    lines = [ln for ln in BODY] + ["Nơi nhận:", "- Sở Tài chính;"]
    pages = [[Run(85, 100 + 18 * i, to_tcvn3(t)) for i, t in enumerate(lines)]]
    source = read_pdf(make_pdf(pages))
    assert source.text_source == "text"
    assert source.text.splitlines()[0] == lines[0]
    assert "Nơi nhận:\n- Sở Tài chính;" in source.text
    # TCVN3 has no toned capitals: the font wrote Ủ with the code of ủ, and so it reads back
    assert "của ủy ban nhân dân tỉnh;" in source.text.lower()


def test_signature_zone_found_by_its_title_when_noi_nhan_was_not_read():
    """OCR may lose ``Nơi nhận:``; the signing authority on the right still marks the two columns."""
    runs = [Run(85, 100 + 18 * i, t) for i, t in enumerate(BODY)] + [
        Run(360, 500, "KT. BỘ TRƯỞNG"),
        Run(85, 518, "- Như Điều 3;"),
        Run(355, 518, "THỨ TRƯỞNG"),
        Run(85, 536, "- Văn phòng Chính phủ (Cục Kiểm"),
        Run(85, 554, "soát thủ tục hành chính);"),
        Run(85, 572, "- Lưu: VT, VP."),
        Run(365, 610, "Lê Tấn Dũng"),
    ]
    lines = read_pdf(make_pdf([runs])).text.splitlines()
    assert not any("Như Điều 3" in ln and "TRƯỞNG" in ln for ln in lines)
    assert lines[-6:] == [
        "- Như Điều 3;",
        "- Văn phòng Chính phủ (Cục Kiểm soát thủ tục hành chính);",
        "- Lưu: VT, VP.",
        "KT. BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "Lê Tấn Dũng",
    ]


def test_stray_bytes_before_the_pdf_header_are_skipped():
    """A signing tool or a mail gateway may put bytes before ``%PDF-``; viewers open such a file, so do we."""
    pdf = make_pdf([[Run(85, 100 + 18 * i, t) for i, t in enumerate(BODY)]])
    for junk in (b"\x75\xab\x5a\x01" * 5 + b"\x00", b"\r\n", b"X" * 1000):
        source = ingest_bytes(junk + pdf, "letter.pdf")
        assert source.source_format == "pdf" and source.text.startswith(BODY[0])
    # ``%PDF-`` quoted inside a text is not a PDF
    text = "Gửi kèm tệp định dạng %PDF-1.7 theo Công văn số 12/UBND-VP.\n".encode()
    assert ingest_bytes(text, "note.txt").source_format == "txt"


def _stamped_letter() -> tuple[list[Run], list[Run]]:
    """A letter whose number and day an e-office system stamped as signature widgets over blanks left in the text."""
    runs = [
        Run(80, 60, "BỘ NỘI VỤ"),
        Run(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        Run(335, 78, "Độc lập - Tự do - Hạnh phúc"),
        Run(85, 100, "Số:              /BNV-TCPCP"),
        Run(315, 120, "Hà Nội, ngày          tháng 10 năm 2025"),
        Run(85, 140, "V/v trả lời đề nghị của Sở Nội vụ"),
    ] + [Run(85, 200 + 18 * i, line) for i, line in enumerate(BODY)]
    number_x = 85 + text_width("Số: ") + 6
    day_x = 315 + text_width("Hà Nội, ngày ") + 4
    return runs, [Run(number_x, 100, "8977"), Run(day_x, 120, "06")]


def test_number_and_day_stamped_by_a_signing_widget_are_read():
    """The text layer alone says ``Số: /BNV-TCPCP … ngày tháng 10``; the page shows 8977 and 06."""
    runs, stamps = _stamped_letter()
    bare = read_pdf(make_pdf([runs])).text
    assert "8977" not in bare and "ngày tháng 10" in bare
    source = read_pdf(make_pdf([runs], stamps=[stamps]))
    lines = source.text.splitlines()
    assert any(ln.startswith("Số: 8977") and ln.endswith("/BNV-TCPCP") for ln in lines), source.text
    assert "Hà Nội, ngày 06 tháng 10 năm 2025" in lines
    fields = parse_text(source.text).fields
    assert fields.doc_number == "8977/BNV-TCPCP" and fields.issue_date == "2025-10-06"


def test_stamped_widget_is_drawn_into_the_image_ocr_reads():
    """What the widget shows is part of the page rendered for OCR too."""
    import pypdfium2 as pdfium

    runs, stamps = _stamped_letter()
    doc = pdfium.PdfDocument(make_pdf([[r for r in runs if r.y > 150]], stamps=[stamps]))
    page = pdf_module._load_page(doc, 0)
    grey = page.render(scale=1, may_draw_forms=False).to_numpy()[:, :, :3].min(axis=2)
    ink = grey[90:105, int(stamps[0].x) : int(stamps[0].x + text_width("8977"))]
    assert (ink < 128).sum() > 20  # the stamped digits are in the content the renderer draws
    page.close()
    doc.close()


def _with_signature_box(pdf: bytes, rect: tuple[float, float, float, float], label: str) -> bytes:
    """``pdf`` with a stamp annotation on page 1 drawing a picture and a label, as a portal's signature box does."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    annot = raw.FPDFPage_CreateAnnot(page.raw, raw.FPDF_ANNOT_STAMP)
    left, bottom, right, top = rect
    raw.FPDFAnnot_SetRect(annot, raw.FS_RECTF(left, top, right, bottom))
    raw.FPDFAnnot_SetFlags(annot, raw.FPDF_ANNOT_FLAG_PRINT)
    bitmap = pdfium.PdfBitmap.new_native(20, 20, raw.FPDFBitmap_BGR)
    bitmap.fill_rect((30, 30, 200, 255), 0, 0, 20, 20)
    image = raw.FPDFPageObj_NewImageObj(doc.raw)  # raw handles: the annotation owns what it is given
    raw.FPDFImageObj_SetBitmap(None, 0, image, bitmap.raw)
    raw.FPDFImageObj_SetMatrix(image, right - left, 0, 0, top - bottom, left, bottom)
    raw.FPDFAnnot_AppendObject(annot, image)
    text = raw.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(10))
    value = (label + "\0").encode("utf-16-le")
    raw.FPDFText_SetText(text, ctypes.cast(ctypes.create_string_buffer(value), ctypes.POINTER(raw.FPDF_WCHAR)))
    raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, left + 4, bottom + 4)
    raw.FPDFAnnot_AppendObject(annot, text)
    raw.FPDFPage_CloseAnnot(annot)
    page.close()
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()


def test_a_signature_box_drawing_a_picture_is_not_the_documents_text():
    """A portal's banner (``Người ký: … Cơ quan: …``) or a signer's picture is a stamp on the page, not its text."""
    runs, stamps = _stamped_letter()
    pdf = _with_signature_box(make_pdf([runs], stamps=[stamps]), (300, 842 - 150, 560, 842 - 92), "Nguoi ky: Cong Thong tin dien tu")
    source = read_pdf(pdf)
    assert "Nguoi ky" not in source.text and "Cong Thong tin" not in source.text
    assert "Hà Nội, ngày 06 tháng 10 năm 2025" in source.text.splitlines()  # the widget's day is still read


def test_spaces_a_font_drew_as_gaps_are_put_back():
    """``SỞVĂNHÓA`` (a condensed font setting words apart by moving the pen): cut where the glyphs stand apart."""
    from pipeline.ingest.text_layer import _with_unwritten_spaces

    text = "SỞVĂNHÓA,THỂTHAO"
    word_starts = {2, 5, 9, 12}  # VĂN, HÓA, THỂ, THAO
    gaps = {i: (1.1 if i in word_starts else -0.9) for i in range(1, len(text))}
    assert _with_unwritten_spaces(text, gaps, 10.8) == "SỞ VĂN HÓA, THỂ THAO"
    # a capital after a small letter: ``ThịBích``
    name = "Nguyễn ThịBích Ngọc"
    gaps = {i: (1.8 if i == name.index("B") else -0.5) for i in range(1, len(name)) if " " not in name[i - 1 : i + 1]}
    assert _with_unwritten_spaces(name, gaps, 10.0) == "Nguyễn Thị Bích Ngọc"
    # the same gap inside a token Vietnamese can hold, or even gaps in a long word: nothing cut
    name = "Nguyễn Thị Bích"
    gaps = {i: (1.8 if i == name.index("í") else -0.5) for i in range(1, len(name)) if " " not in name[i - 1 : i + 1]}
    assert _with_unwritten_spaces(name, gaps, 10.0) == name
    assert _with_unwritten_spaces("Internationalization", {i: 0.1 for i in range(1, 20)}, 10.0) == "Internationalization"


def test_a_real_condensed_header_gets_its_spaces(shared_dir):
    text = read_pdf((shared_dir / "corpus" / "dev" / "real" / "bd_svhttdl_892_cv_cu_daidien.pdf").read_bytes()).text
    text_lines = text.splitlines()
    assert "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text_lines
    assert "- Đ/c Nguyễn Thị Bích Ngọc - PGĐ Sở;" in text_lines


def _with_watermark(pdf: bytes, text: str, alpha: int, slant: bool) -> bytes:
    """``pdf`` with ``text`` drawn over page 1 as a watermark: see-through, or slanted across the page."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    for y in (300, 520):
        obj = raw.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(28))
        value = (text + "\0").encode("utf-16-le")
        raw.FPDFText_SetText(obj, ctypes.cast(ctypes.create_string_buffer(value), ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_SetFillColor(obj, 120, 120, 120, alpha)
        if slant:
            raw.FPDFPageObj_Transform(obj, 0.7, 0.7, -0.7, 0.7, 0, 0)
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 120, 842 - y)
        raw.FPDFPage_InsertObject(page.raw, obj)
    raw.FPDFPage_GenerateContent(page.raw)
    page.close()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("alpha", "slant"), [(60, False), (255, True)], ids=["see-through", "slanted"])
def test_watermark_text_is_not_the_documents_text(alpha, slant):
    """``Phó Chủ tịch attesting will building trust``: a watermark glued to the signer's line is left out."""
    runs = [Run(85, 100 + 18 * i, t) for i, t in enumerate(BODY)] + _signature_row_by_row(300)
    text = read_pdf(_with_watermark(make_pdf([runs]), "ATTESTING WILL BUILDING TRUST", alpha, slant)).text
    assert "ATTESTING" not in text and "TRUST" not in text
    assert "Nguyễn Văn An" in text and text.startswith(BODY[0])
    # the same text drawn plainly is the page's text
    assert "ATTESTING" in read_pdf(_with_watermark(make_pdf([runs]), "ATTESTING WILL BUILDING TRUST", 255, False)).text


def test_a_wide_motto_over_the_right_column_stays_in_it():
    """``HIỆP HỘI`` and the motto on one row, the motto starting left of the right column's other lines."""
    runs = [
        Run(157, 47, "HIỆP HỘI"),
        Run(291, 47, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        Run(94, 61, "CÔNG CHỨNG VIÊN VIỆT NAM"),
        Run(344, 61, "Độc lập - Tự do - Hạnh phúc"),
        Run(129, 75, "BAN THƯỜNG VỤ"),
        Run(134, 95, "Số: 545/HD-BTV"),
        Run(372, 95, "Hà Nội, ngày 29 tháng 7 năm 2025"),
    ] + [Run(85, 160 + 18 * i, t) for i, t in enumerate(BODY)]
    lines = read_pdf(make_pdf([runs])).text.splitlines()
    assert lines[:4] == ["HIỆP HỘI", "CÔNG CHỨNG VIÊN VIỆT NAM", "BAN THƯỜNG VỤ", "Số: 545/HD-BTV"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines


def test_a_number_cut_at_a_line_end_hyphen_is_joined():
    """PDFium gives U+FFFE for a hyphen it takes for a soft one at a line end (``2775/SNV`` + ``CCHC&VTLT``):
    Vietnamese is not hyphenated by syllable, so the number is joined back whole, hyphen and all."""
    lines = [
        "Thực hiện nhiệm vụ được giao, ngày 10/11/2025 Sở Nội vụ đã ban hành Công văn số 2775/SNV-",
        "CCHC&VTLT về việc hướng dẫn báo cáo tự đánh giá, chấm điểm chỉ số cải cách hành chính năm",
        "2025 của các sở, ngành, địa phương trên địa bàn tỉnh.",
    ]
    runs = [Run(85, 100 + 18 * i, line, size=11.0) for i, line in enumerate(lines)]
    runs.append(Run(85, 160, "Căn cứ Kế hoạch số 45/KH-UBND ngày 2 tháng 2 năm 2024 của Ủy ban nhân dân tỉnh;", size=11.0))
    text = read_pdf(make_pdf([runs])).text
    assert "Công văn số 2775/SNV-CCHC&VTLT về việc" in text
    assert [r.ref_number for r in parse_text(text).references][:1] == ["2775/SNV-CCHC&VTLT"]


def test_a_footnote_marker_glued_to_a_cited_number_is_kept_apart():
    """``126/2024/NĐ-CP²``: the footnote's marker, set smaller and raised, is no part of the number; a digit
    of the symbol itself (``HHDN-K4``), set as the text is, stays."""
    head = "Căn cứ Văn bản số 310/HHDN-K4 và Nghị định số 126/2024/NĐ-CP"
    runs = [Run(85, 100, head, size=13.0), Run(85 + text_width(head) + 0.5, 95, "2", size=8.0)]
    runs.append(Run(85 + text_width(head) + 6, 100, ", Sở Nội vụ báo cáo như sau:", size=13.0))
    runs.append(Run(85, 800, "2 Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ về tổ chức, hoạt động và quản lý hội.", size=10.0))
    text = read_pdf(make_pdf([runs])).text
    assert "126/2024/NĐ-CP²" in text and "HHDN-K4" in text
    refs = {r.ref_number for r in parse_text(text).references}
    assert "126/2024/NĐ-CP" in refs and "310/HHDN-K4" in refs and not any(r.endswith("CP2") for r in refs)


def test_the_first_item_of_each_page_is_no_running_header():
    """A decree citing 30 resolutions of one shape opens every page with a ``Căn cứ`` line alike but for its
    number; written with combining marks (``cứ`` as ``ư`` + U+0301), it was taken for a running header."""
    import unicodedata

    pages = []
    n = 1650
    for p in range(4):
        runs = [Run(292, 40, str(p + 1))] if p else [Run(200, 60, "QUYẾT ĐỊNH")]
        for k in range(16):
            line = f"Căn cứ Nghị quyết số {n}/NQ-UBTVQH15 ngày 16 tháng 6 năm 2025 của Ủy ban Thường vụ Quốc hội;"
            runs.append(Run(85, 70 + 40 * k, unicodedata.normalize("NFD", line), size=11.0))
            n += 1
        pages.append(runs)
    text = read_pdf(make_pdf(pages)).text
    found = [r.ref_number for r in parse_text(text).references]
    assert found == [f"{k}/NQ-UBTVQH15" for k in range(1650, n)]


# Reads one file in a fresh interpreter, then says which of the OCR modules and numpy it loaded.
_LOADED_PROBE = """
import json, sys
from pipeline.ingest import ingest_path
from pipeline.ingest.errors import IngestError
try:
    source = ingest_path(sys.argv[1]).text_source
except IngestError as exc:  # a blank scan: OCR found nothing (or no Tesseract here); what it loaded counts
    source = exc.error_type
print(json.dumps({"source": source,
                  "loaded": sorted(m for m in ("pipeline.ingest.ocr", "pipeline.ingest.ocr_fixes", "numpy") if m in sys.modules)}))
"""


def _loaded_reading(path: Path) -> dict:
    import json
    import subprocess

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _LOADED_PROBE, str(path)], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_pdf_read_from_its_text_layer_loads_neither_ocr_nor_numpy(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(make_pdf(document_pages("\n".join(BODY * 3))))
    assert _loaded_reading(path) == {"source": "text", "loaded": []}


def test_a_scanned_pdf_loads_ocr_when_a_page_needs_it(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_pdf())
    reading = _loaded_reading(path)
    assert "pipeline.ingest.ocr" in reading["loaded"] and "numpy" in reading["loaded"]
