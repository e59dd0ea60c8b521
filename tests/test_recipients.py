"""Kính gửi (to) and Nơi nhận (cc) entries as printed; the Lưu line is no recipient."""

from __future__ import annotations

import pytest

from conftest import fixture_text
from pipeline.parse.recipients import find_recipients


def test_seed_recipients():
    recs = [(r.role, r.recipient_text) for r in find_recipients(fixture_text("seed_cong_van.txt"))]
    assert recs == [
        ("to", "Sở Công Thương"),
        ("cc", "Như trên"),
        ("cc", "Chủ tịch, các PCT UBND tỉnh"),
        ("cc", "Các Sở: KHĐT, XD, TNMT, GTVT, TC, KHCN, TP"),
        ("cc", "BQL Khu KTCK Đồng Đăng - Lạng Sơn"),
        ("cc", "UBND các huyện, thành phố"),
        ("cc", "C,PCVP UBND tỉnh, các phòng CV, Trung tâm Thông tin"),
    ]


def test_kinh_gui_list_and_ocr_interleaved_signature():
    recs = [(r.role, r.recipient_text) for r in find_recipients(fixture_text("ocr_cv_4222_tct.md"))]
    assert recs[:3] == [
        ("to", "Các Vụ, Cục, đơn vị thuộc Tổng cục Thuế"),
        ("to", "Cục Thuế các tỉnh, thành phố trực thuộc Trung ương"),
        ("to", "Chi cục Thuế các quận, huyện, thị xã và khu vực"),
    ]
    assert ("cc", "Như trên") in recs  # "- Như trên; — PHO TONG CUC TRUONG": the signature column cut off
    assert not any("Luu" in t or "Lưu" in t for _, t in recs)


def test_wrapped_entries_are_joined():
    recs = [r.recipient_text for r in find_recipients(fixture_text("ocr_tb_330_vpcp.md"))]
    assert "Các Bộ, cơ quan: Công an, Tài chính, Kế hoạch va Đầu tư, Công Thương, Thông tin và Truyền thông, Tư pháp, Ngân hàng Nhà nước Việt Nam" in recs


def test_kinh_gui_in_an_appendix_form_is_ignored():
    text = "Nội dung./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nPHỤ LỤC\nMẫu đơn\nKính gửi: Cơ quan ………"
    recs = [(r.role, r.recipient_text) for r in find_recipients(text)]
    assert recs == [("cc", "Như trên")]


SIGNED = "… thi hành Quyết định này./.\n{label}\n- Văn phòng Chính phủ (Cục KSTTHC);\n- Các sở giáo dục và đào tạo;\n{luu}\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n"


def test_a_list_whose_label_ocr_lost_is_found_by_the_archive_line_that_closes_it():
    text = "Điều 1. Ban hành.\n" * 5 + SIGNED.format(label="ư Ieu", luu="- Lưu: VT, HTQT, VP (KSTTHC).")
    got = [(r.role, r.recipient_text) for r in find_recipients(text)]
    assert got == [("cc", "Văn phòng Chính phủ (Cục KSTTHC)"), ("cc", "Các sở giáo dục và đào tạo")]


@pytest.mark.parametrize("luu", ["- Lưu ý: hồ sơ nộp trực tiếp.", "Lưu hành nội bộ."])
def test_without_an_archive_line_a_bullet_list_is_no_recipient_list(luu):
    text = "Điều 1. Ban hành.\n" * 5 + SIGNED.format(label="ư Ieu", luu=luu)
    assert find_recipients(text) == []


@pytest.mark.parametrize("indent", ["   ", "", "\t"])
def test_a_lower_case_line_after_a_semicolon_goes_on_with_its_entry(indent):
    """`- VPCP: BTCN, các PCN, Trợ lý TTg;` then `các Vụ: KSTT, NC, PL, QHĐP;`: one entry, as the page prints it
    under one dash (no entry opens in lower case)."""
    text = (f"Nội dung./.\nNơi nhận:\n- Như trên;\n- VPCP: BTCN, các PCN, Trợ lý TTg;\n{indent}các Vụ: KSTT, NC, PL, QHĐP;\n"
            "- Sở Tư pháp;\n- Lưu: VT, PL (2).\nTM. CHÍNH PHỦ\nTHỦ TƯỚNG\n")
    recs = [r.recipient_text for r in find_recipients(text)]
    assert recs == ["Như trên", "VPCP: BTCN, các PCN, Trợ lý TTg; các Vụ: KSTT, NC, PL, QHĐP", "Sở Tư pháp"]
