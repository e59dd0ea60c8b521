"""The signature block in its three shapes: one element per line, flattened, OCR-interleaved."""

from __future__ import annotations

import pytest

from conftest import fixture_text
from pipeline.parse.signature import parse_signature, recase_title

CASES = [
    ("seed_cong_van.txt", "KT", "Phó Chánh Văn phòng", "Dương Văn Chiêu"),
    ("seed_ke_hoach.txt", "KT", "Phó Chủ tịch", "Nguyễn Hồng Hải"),
    ("tvpl_qd_3745.txt", "TM", "Phó Chủ tịch", "Trần Văn Chiến"),  # TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH …
    ("tvpl_luat_26_2012.txt", None, "Chủ tịch Quốc hội", "Nguyễn Sinh Hùng"),
    ("tvpl_nd_61_cp.txt", None, None, "Võ Văn Kiệt"),  # "Võ Văn Kiệt (Đã ký)"
    ("vbpl_qd_758_ctn.txt", None, "Chủ tịch nước Cộng hòa xã hội chủ nghĩa Việt Nam", "Tô Lâm"),
    ("vbpl_tt_06_2025_ttcp.txt", "KT", "Phó Tổng Thanh tra Thường trực", "Nguyễn Văn Quảng"),
    ("ocr_cv_4222_tct.md", "KT", "Phó Tổng cục trưởng", "Mai Son"),  # OCR lost the horn; the name is as printed
    ("ocr_tb_330_vpcp.md", None, "Bộ trưởng, Chủ nhiệm", "Trần Văn Sơn"),
]


@pytest.mark.parametrize("name,mode,title,signer", CASES, ids=[c[0] for c in CASES])
def test_signature(name, mode, title, signer):
    s = parse_signature(fixture_text(name))
    assert (s.mode, s.title, s.name) == (mode, title, signer)


def test_rank_is_not_part_of_the_name():
    s = parse_signature("Điều 3. Hiệu lực./.\n\nBỘ TRƯỞNG\n\n(Đã ký)\n\nĐại tướng Lương Tam Quang\n")
    assert (s.title, s.name) == ("Bộ trưởng", "Lương Tam Quang")


def test_flattened_block_before_an_appendix():
    s = parse_signature("… thi hành./.\nNơi nhận:\n- Như trên;\nTM.\nCHÍNH PHỦ KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Trần Hồng Hà Phụ lục (Kèm theo)")
    assert (s.mode, s.title, s.name) == ("TM", "Phó Thủ tướng", "Trần Hồng Hà")


@pytest.mark.parametrize(
    "printed,expected",
    [
        ("PHÓ CHÁNH VĂN PHÒNG", "Phó Chánh Văn phòng"),
        ("THỨ TRƯỞNG THƯỜNG TRỰC", "Thứ trưởng Thường trực"),
        ("PHÓ TỔNG CỤC TRƯỞNG", "Phó Tổng cục trưởng"),
        ("PHO TONG CUC TRUONG", "Phó Tổng cục trưởng"),
        ("CHỦ TỊCH QUỐC HỘI", "Chủ tịch Quốc hội"),
        ("BỘ TRƯỞNG, CHỦ NHIỆM", "Bộ trưởng, Chủ nhiệm"),
        ("PHÓ THỐNG ĐỐC", "Phó Thống đốc"),
    ],
)
def test_recase_title(printed, expected):
    assert recase_title(printed) == expected


BLOCK = "… thi hành Quyết định này./.\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nKT. BỘ TRƯỞNG\n{title}\n\n\nPhạm Ngọc Thưởng\n"


@pytest.mark.parametrize(
    "printed,expected",
    [
        ("TRỨ TRƯỞNG", "Thứ trưởng"),  # OCR: one letter off a known title
        ("PHÓ GIÁM ĐÓC", "Phó Giám đốc"),
        ("THỨ TRƯỞNG", "Thứ trưởng"),
        ("KẾ TOÁN TRƯỞNG", "Kế toán trưởng"),  # a real title two letters from Kiểm toán trưởng: kept
        # one letter from both Thứ trưởng and Thủ tướng: no title to put back, but under KT. BỘ TRƯỞNG the
        # signer is the minister's deputy (Nghị định 30/2020, Phụ lục I)
        ("THỨ 7RUỜNG", "Thứ trưởng"),
    ],
)
def test_an_ocr_misread_title_is_put_back_only_when_one_title_is_one_letter_away(printed, expected):
    s = parse_signature(BLOCK.format(title=printed))
    assert (s.mode, s.title, s.name) == ("KT", expected, "Phạm Ngọc Thưởng")


@pytest.mark.parametrize(
    "block,expected",
    [
        ("KT. BỘ TRƯỞNG", ("KT", "Thứ trưởng")),  # the deputy's line lost (a scan): Nghị định 30's layout says whose
        ("KT. CHỦ TỊCH", ("KT", "Phó Chủ tịch")),
        ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", ("TM", "Phó Chủ tịch")),
        ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG", ("KT", "Thứ trưởng")),
        ("TL. BỘ TRƯỞNG", ("TL", "Bộ trưởng")),  # not a deputy: nothing to infer
        ("BỘ TRƯỞNG", (None, "Bộ trưởng")),
    ],
)
def test_ky_thay_is_signed_by_the_deputy(block, expected):
    s = parse_signature(BLOCK.replace("KT. BỘ TRƯỞNG\n{title}", block))
    assert (s.mode, s.title, s.name) == (*expected, "Phạm Ngọc Thưởng")


# ---------------------------------------------------------------- blocks as sites and crawlers print them
@pytest.mark.parametrize(
    "block,expected",
    [
        # a title printed in normal case, no end mark, no prefix
        ("Quyết định có hiệu lực từ ngày ký.\n\nPhó Chủ tịch\n\n(Đã ký)\n\nĐặng Quốc Lộng", (None, "Phó Chủ tịch", "Đặng Quốc Lộng")),
        # the name glued to the title
        ("chịu trách nhiệm thi hành quyết định này.\n\nBỘ TRƯỞNG PHỦ THỦ TƯỚNGVũ Tuân", (None, "Bộ trưởng Phủ Thủ tướng", "Vũ Tuân")),
        # a crawler's wrap inside the name and inside the title
        ("thực hiện./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG THỨ TRƯỞNG Đỗ Hoàng Anh\nTuấn", ("KT", "Thứ trưởng", "Đỗ Hoàng Anh Tuấn")),
        ("thi hành./.\nNơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ\nTỊCH Trần Văn Chiến", ("TM", "Phó Chủ tịch", "Trần Văn Chiến")),
        ("thi hành Luật này./.\nXÁC THỰC VĂN BẢN HỢP NHẤT CHỦ NHIỆM Lê\nQuang Tùng\n[1] Luật Đất đai", (None, "Chủ nhiệm", "Lê Quang Tùng")),
        # the body the signer heads, written as the lexicon writes it; initials after the title dropped
        ("thực hiện./.\nNơi nhận:\n- Lưu: VT.\nBỘ TRƯỞNG BỘ CÔNG AN\n\nTô Lâm", (None, "Bộ trưởng Bộ Công an", "Tô Lâm")),
        ("thực hiện./.\nNơi nhận:\n- Lưu: VT.\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG LĐVP\n\nNguyễn Văn Bình", ("TL", "Chánh Văn phòng", "Nguyễn Văn Bình")),
        # double spaces of a careless print
        ("công bố./.\n\nNguyễn Văn  An (Đã ký)", (None, None, "Nguyễn Văn An")),
    ],
)
def test_blocks_as_printed(block, expected):
    s = parse_signature(block)
    assert (s.mode, s.title, s.name) == expected


def test_an_appendix_heading_after_the_title_is_no_second_title():
    s = parse_signature("thực hiện./.\nNơi nhận:\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG, ĐƯỜNG LỐI CỦA ĐẢNG CÓ LIÊN QUAN\n\nLê Văn A")
    assert (s.mode, s.title) == ("KT", "Thứ trưởng")
    assert parse_signature("./.\nBỘ TRƯỞNG, CHỦ NHIỆM\n\nTrần Văn Sơn").title == "Bộ trưởng, Chủ nhiệm"


def test_a_signature_table_printed_as_pipe_rows_is_read_column_by_column():
    block = ("thực hiện./.\n| Nơi nhận: |  | KT. CHỦ TỊCH |\n| - Bộ Công an; |  | PHÓ CHỦ TỊCH |\n"
             "| - Thường trực Tỉnh ủy; |  |  |\n| - Ngân hàng Nhà nước CN Khu vực 10; |  | Nguyễn Minh |\n| - Lưu: VT, NC. |  |  |\n")
    s = parse_signature(block)
    assert (s.mode, s.title, s.name) == ("KT", "Phó Chủ tịch", "Nguyễn Minh")


@pytest.mark.parametrize(
    "head,own,title",
    [
        ("KT. BỘ TRƯỞNG", "TRƯỜNG", "Thứ trưởng"),  # OCR under the seal kept only the end of THỨ TRƯỞNG
        ("KT. BỘ TRƯỜNG", "TRƯỞN", "Thứ trưởng"),
        ("KT.BỘ TRƯỞNG", "THÍ” 7 KUỜNG THƯỜNG TRỰC", "Thứ trưởng Thường trực"),
        ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phó Chủ tịch"),  # read right: kept
        ("KT. GIÁM ĐỐC", "HÓ GIÁ Đ", "Phó Giám đốc"),
        ("TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ PHÁP CHẾ", "Vụ trưởng Vụ Pháp chế"),  # TL: the own title stands
    ],
)
def test_the_deputy_under_kt_when_ocr_lost_the_title(head, own, title):
    s = parse_signature(f"… thi hành./.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n{head}\n{own}\nNguyễn Văn Phúc\n")
    assert (s.mode, s.title) == (head[:2], title)


@pytest.mark.parametrize("prefix", ["<T.", "Xr,", "XT.", "KT."])
def test_kt_as_ocr_reads_it_under_a_seal(prefix):
    s = parse_signature(f"… thi hành./.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n{prefix} BỘ TRƯỞNG\nTRƯỜNG\nLê Tấn Dũng\n")
    assert (s.mode, s.title, s.name) == ("KT", "Thứ trưởng", "Lê Tấn Dũng")


def test_an_ocr_prefix_is_kt_only_before_a_heads_title():
    s = parse_signature("… thi hành./.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n<T. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLê Văn A\n")
    assert s.mode != "KT"
