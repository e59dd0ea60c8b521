"""Where tasks may stand: the body after the header and before the signature, and documents attached
after the signature (a plan or table of tasks read, a charter or form read for tables only)."""

from __future__ import annotations

import pytest

from pipeline.parse import task_zones

HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố:     /UBND-NC\n\nKính gửi:\n- Các sở, ban, ngành;\n- UBND các xã, phường.\n\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nLâm Đồng, ngày      tháng 12 năm 2025\n\n"
)


def test_the_body_starts_after_the_date_and_the_recipient_list_whichever_ends_later():
    text = HEADER + "Chủ tịch UBND tỉnh có ý kiến như sau:\n1. Giao Sở Nội vụ tổng hợp.\n"
    z = task_zones.find(text)
    assert text[z.start :].lstrip().startswith("Chủ tịch UBND tỉnh")
    # the list after the date line (a PDF's order)
    other = "BỘ NỘI VỤ\nSố: /BNV\nHà Nội, ngày tháng năm 2025\nKính gửi: Sở Nội vụ tỉnh Lâm Đồng\nBộ Nội vụ nhận được Công văn.\n"
    assert other[task_zones.find(other).start :].lstrip().startswith("Bộ Nội vụ nhận được")


@pytest.mark.parametrize(
    "signature",
    ["Nơi nhận:\n- Như trên;", "| Nơi nhận: |  | KT. CHỦ TỊCH |", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "TL.CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG"],
)
def test_the_body_ends_at_the_recipients_or_the_signing_block(signature):
    text = HEADER + "1. Giao Sở Nội vụ tổng hợp, báo cáo.\n\n" + signature + "\n\nNguyễn Văn A\n"
    z = task_zones.find(text)
    assert text[z.start : z.end].strip().endswith("báo cáo.") and not z.attachments


def test_attachments_after_the_signature():
    text = (
        HEADER + "1. Giao Sở Nội vụ tổng hợp.\nNơi nhận:\n- Như trên;\nKT. CHỦ TỊCH\nNguyễn Văn A\n\n"
        "PHỤ LỤC\nPHÂN CÔNG NHIỆM VỤ NĂM 2026\n| STT | Nhiệm vụ | Chủ trì |\n"
        "ĐIỀU LỆ\nHỘI CỰU GIÁO CHỨC QUẬN 8\nĐiều 1. Tên gọi.\n"
        "Mẫu số 01\nBÁO CÁO\nNơi nhận:\n- Bộ Tư pháp;\n"
    )
    z = task_zones.find(text)
    assert [(a.kind, a.year, text[a.start : a.end].split("\n")[0]) for a in z.attachments] == [
        ("plan", 2026, "PHỤ LỤC"),
        ("rules", None, "ĐIỀU LỆ"),
    ]
    assert "Bộ Tư pháp" not in text[z.attachments[-1].start : z.attachments[-1].end]  # a form's own recipients


def test_a_text_without_header_or_signature_is_all_body():
    text = "1. Sở Tài chính bố trí kinh phí.\n2. Sở Y tế hướng dẫn.\n"
    z = task_zones.find(text)
    assert (z.start, z.end, z.attachments) == (0, len(text), ())
