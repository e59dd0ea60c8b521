"""Cited documents: numbers of every shape, once each, with type, date and issuer; never the own number."""

from __future__ import annotations

from conftest import fixture_text
from pipeline.parse import parse_text
from pipeline.parse.references import find_references


def test_seed_references_in_order_with_context():
    refs = parse_text(fixture_text("seed_cong_van.txt")).references
    assert [r.ref_number for r in refs] == ["543/SCT-QLCN", "32/2024/NĐ-CP", "929/UBND-KT", "1817/BCT-CTĐP"]
    first = refs[0]
    assert (first.ref_type, first.ref_date, first.ref_issuer) == ("Công văn", "2024-04-15", "Sở Công Thương")
    nd = refs[1]
    assert (nd.ref_type, nd.ref_date) == ("Nghị định", "2024-03-15")


def test_spans_point_at_the_number():
    text = fixture_text("seed_ke_hoach.txt")
    for r in find_references(text):
        assert text[r.char_start : r.char_end] == r.ref_text


def test_party_and_old_numbers_and_own_number_excluded():
    text = (
        "Số: 12/UBND-VX\nThực hiện Chỉ thị số 37-CT/TW của Ban Bí thư, Kế hoạch số 119-KH/TU, Chỉ thị 299/TTg "
        "và Nghị định 61-CP; Công văn số 12/UBND-VX (số của chính văn bản này)."
    )
    numbers = [r.ref_number for r in find_references(text, own_number="12/UBND-VX")]
    assert numbers == ["37-CT/TW", "119-KH/TU", "299/TTg", "61-CP"]


def test_editorial_notes_are_not_citations():
    text = "NGHỊ ĐỊNH [Nghị định này được hướng dẫn bởi Công văn 827/TTg-KTN năm 2008] Căn cứ Nghị định số 38/2000/NĐ-CP;"
    assert [r.ref_number for r in find_references(text)] == ["38/2000/NĐ-CP"]


def test_numbers_between_many_notes_kept_those_inside_skipped():
    """Each number is tested against the one note that could hold it: on either side of a note, at its
    edges, between notes that follow each other, and after the last one."""
    parts = []
    for i in range(1, 40):
        parts.append(f"[Khoản này được hướng dẫn bởi Nghị định {i}/2013/NĐ-CP]")
        parts.append(f"Căn cứ Thông tư số {i}/2020/TT-BTC;")
        parts.append(f"[Điều này được sửa đổi bởi Quyết định {i}/2015/QĐ-TTg]")
    text = "\n".join(parts) + "\nNghị định số 500/2024/NĐ-CP"
    numbers = [r.ref_number for r in find_references(text)]
    assert numbers == [f"{i}/2020/TT-BTC" for i in range(1, 40)] + ["500/2024/NĐ-CP"]
    assert [r.ref_number for r in find_references("[Nghị định 5/2013/NĐ-CP nay hết hiệu lực]5/2014/NĐ-CP")] == ["5/2014/NĐ-CP"]


def test_ocr_spacing_and_ascii_type_code_repaired():
    text = "ban hành kèm theo Quyết định số 1295/QD-TCT ngày 10/9/2021 của Tổng cục trưởng Tổng cục Thuế"
    refs = find_references(text)
    assert [r.ref_number for r in refs] == ["1295/QĐ-TCT"]
    assert refs[0].ref_date == "2021-09-10"


def test_laws_cited_by_number_count_and_dates_do_not():
    text = "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15; ngày 15/3/2024, 180.000đ/tháng, QCVN 01:2021/BYT"
    assert [r.ref_number for r in find_references(text)] == ["63/2025/QH15"]
