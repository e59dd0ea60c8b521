"""The document model: ingest's Doc parsed directly, through parse_text and through an engine gives the
same records; every field keeps where it was read; the zones are found once."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import FIXTURES, fixture_text
from pipeline.batch.process import process_bytes
from pipeline.ingest import ingest_bytes
from pipeline.models import Block, Doc
from pipeline.output.rows import document_rows, doc_id_of
from pipeline.parse import parse_doc, parse_text
from pipeline.parse.header import parse_header
from pipeline.parse.zones import find_zones

DOCS = sorted(p.name for p in (FIXTURES / "docs").iterdir())


@pytest.mark.parametrize("name", DOCS)
def test_parse_text_an_engine_and_the_doc_agree(name):
    data = (FIXTURES / "docs" / name).read_bytes()
    doc = ingest_bytes(data, name)
    direct = document_rows(doc_id_of(data), name, doc, parse_doc(doc))
    assert process_bytes(data, name) == direct
    assert parse_text(doc.text) == parse_doc(doc)


@pytest.mark.parametrize("name", DOCS)
def test_every_field_keeps_where_it_was_read(name):
    text = fixture_text(name)
    f = parse_text(text).fields
    for key in ("doc_number", "place", "issue_date", "subject", "issuer", "signer_name"):
        value = getattr(f, key)
        if value is None:
            assert key not in f.spans
            continue
        start, end = f.spans[key]
        printed = " ".join(text[start:end].split())
        if key in ("place", "signer_name"):
            assert printed == value
        elif key == "subject":
            assert value.split()[-1].lower() in printed.lower()
        elif key == "issue_date":
            assert value[:4] in printed


def test_records_are_made_once():
    f = parse_text(fixture_text("seed_cong_van.txt")).fields
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.issuer = "x"  # type: ignore[misc]


def test_zones_of_a_letter():
    text = fixture_text("seed_cong_van.txt")
    z = find_zones(text, parse_header(text).end)
    assert z.header[1] == z.body[0] and z.body[0] < z.body[1] <= len(text)
    assert z.noi_nhan is not None and text[z.noi_nhan[0]:].lstrip(" |").startswith("Nơi nhận")
    assert z.end_mark is not None and z.end_mark <= z.noi_nhan[0]


def test_a_stamp_ingest_saw_is_no_part_of_the_header():
    text = ("BỘ NỘI VỤ\nSố: 8977/BNV-TCPCP\nĐẾN Số: 9904 Ngày: 10/10/2025\nV/v hội có tính chất đặc thù\n"
            "Hà Nội, ngày 06 tháng 10 năm 2025\nKính gửi: Ủy ban nhân dân các tỉnh")
    stamp = text.index("ĐẾN")
    doc = Doc(text, "pdf", blocks=(Block("stamp", stamp, text.index("\n", stamp)),))
    f = parse_doc(doc).fields
    assert (f.doc_number, f.issue_date, f.subject) == ("8977/BNV-TCPCP", "2025-10-06", "hội có tính chất đặc thù")


def test_a_number_or_day_ingest_could_not_read_is_left_out_and_flagged():
    text = ("BÁO VÀ PHÁT THANH, TRUYỀN HÌNH LÂM ĐỒNG\nSố 118-CV/B&PTTH\nLâm Đồng, ngày 17 tháng 9 năm 2025\n"
            "V/v cử lãnh đạo tham gia Ban\nKính gửi: Sở Nội vụ")
    notes = ("doc_number: digits not read with confidence ('Số 118-CV/B&PTTH')", "issue_date: day not read with confidence")
    doc = Doc(text, "pdf", text_source="ocr", review=notes)
    f = parse_doc(doc).fields
    assert (f.doc_number, f.doc_symbol, f.issue_date) == (None, "CV/B&PTTH", "2025-09")
    rows = document_rows("x", "a.pdf", doc, parse_doc(doc))
    assert rows["documents"][0]["needs_review"].startswith("doc_number: digits not read")
    sure = parse_doc(Doc(text, "pdf")).fields
    assert (sure.doc_number, sure.issue_date) == ("118-CV/B&PTTH", "2025-09-17")
    assert document_rows("x", "a.pdf", Doc(text, "pdf"), parse_doc(Doc(text, "pdf")))["documents"][0]["needs_review"] is None


@pytest.mark.parametrize(
    "printed,source,place",
    [
        ("Lâm Đẳng", "ocr", "Lâm Đồng"),  # one letter misread in a province's name
        ("Lâm Đông", "ocr", "Lâm Đồng"),
        ("Lâm Đông", "text", "Lâm Đông"),  # a text layer is taken as printed
        ("Tam Kỳ", "ocr", "Tam Kỳ"),  # a town, near no province: kept
        ("TP. Hồ Chí Minh", "ocr", "TP. Hồ Chí Minh"),
    ],
)
def test_a_place_ocr_misread_is_the_province_one_letter_away(printed, source, place):
    text = f"HỘI LHPN TỈNH LÂM ĐỒNG\nSố: 113/CV-BTV\n{printed}, ngày-14 tháng 9 năm 2025\nKính gửi: Sở Nội vụ"
    f = parse_doc(Doc(text, "pdf", text_source=source)).fields
    assert (f.place, f.issue_date) == (place, "2025-09-14")


@pytest.mark.parametrize(
    "line,date",
    [
        ("Hà Nội, ngày .2.L. tháng 10 năm 2025", "2025-10"),  # a day with marks glued to it is no sure day
        ("Lâm Đông, ngày 26 thóng 8 năm 2025", "2025-08-26"),  # OCR's `thóng`
        ("Hà Nội, ngày44tháng 2026", "2026"),  # the handwritten month and `năm` lost
        ("Lâm Đồng, ngày 13 tháng 111 năm 2025", "2025"),  # no month 111
        ("Lâm Đồng, ngày 15, tháng 3 năm 2025", "2025-03-15"),  # a comma is a stray, not a mark on the day
    ],
)
def test_ocr_date_lines(line, date):
    text = f"ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 12/UBND-VP\n{line}\nV/v x\nKính gửi: Sở Nội vụ"
    assert parse_doc(Doc(text, "pdf", text_source="ocr")).fields.issue_date == date


def test_an_ocr_header_with_its_label_lost_and_the_portals_stamp():
    text = ("VĂN PHÒNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n37/TB-VPCP\n"
            "THÔNG BIỆN TỬ CHÍNH PHỦ\nHà Nội, ngày 05 tháng 10 năm 2025\nTHÔNG BÁO\nKết luận của Phó Thủ tướng\n"
            "Sáng ngày 01 tháng 10 năm 2025, tại Trụ sở Chính phủ")
    f = parse_doc(Doc(text, "pdf", text_source="ocr")).fields
    assert (f.doc_number, f.issuer, f.doc_type) == ("37/TB-VPCP", "Văn phòng Chính phủ", "Thông báo")


def test_ve_viec_printed_in_full_opens_a_letters_subject():
    text = ("BÁO VÀ PHÁT THANH, TRUYỀN HÌNH\n*\nSố\nvề việc cử lãnh đạo tham gia Ban Vì sự tiến bộ của phụ nữ.\n"
            "ĐẢNG CỘNG SẢN VIỆT NAM\nLâm Đồng, ngày 3 tháng 9 năm 2025\nKính gửi: Sở Nội vụ tỉnh Lâm Đồng.")
    f = parse_doc(Doc(text, "pdf", text_source="ocr")).fields
    assert (f.doc_type, f.subject) == ("Công văn", "cử lãnh đạo tham gia Ban Vì sự tiến bộ của phụ nữ")


def test_review_notes_per_page_still_leave_the_field_out():
    text = "BỘ Y TẾ\nSố: 118/BYT-KH\nHà Nội, ngày 17 tháng 9 năm 2025\nV/v x\nKính gửi: Sở Y tế"
    doc = Doc(text, "pdf", text_source="ocr", review=("page 1: doc_number: digits not read with confidence ('Số: 118')",))
    assert parse_doc(doc).fields.doc_number is None


@pytest.mark.parametrize(
    "issuer_lines,issuer",
    [
        ("THỦ TƯỚNG CHÍNHPHỦ", "Thủ tướng Chính phủ"),  # two words glued by OCR
        ("ỦY BAN NHÂN DÂN\nTỈNH LÂM LÂM ĐỒNG", "Ủy ban nhân dân tỉnh Lâm Đồng"),  # a word read twice
        ("UỶ BAN NHÂN DÂN\nTỈNH NINH BINH", "Ủy ban nhân dân tỉnh Ninh Bình"),  # a tone mark lost in a known pair
        ("BỘ TƯ PHÁP", "Bộ Tư pháp"),  # read right: left as it is
    ],
)
def test_an_issuer_ocr_misread_is_put_back_from_known_words(issuer_lines, issuer):
    text = f"{issuer_lines}\nSố: 12/UBND-VP\nHà Nội, ngày 3 tháng 9 năm 2025\nV/v x\nKính gửi: Sở Nội vụ"
    assert parse_doc(Doc(text, "pdf", text_source="ocr")).fields.issuer == issuer
    if "CHÍNHPHỦ" in issuer_lines:  # a text layer is what the page prints: not repaired so
        assert parse_doc(Doc(text, "pdf", text_source="text")).fields.issuer != issuer
