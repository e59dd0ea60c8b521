"""Header fields on real documents of each shape: clean lines, flattened by a website, OCR columns."""

from __future__ import annotations

import pytest

from conftest import fixture_text
from pipeline.parse import parse_text
from pipeline.parse.header import parse_date, parse_header

CASES = [
    # file, doc_type, doc_number, doc_symbol, place, issue_date
    ("seed_cong_van.txt", "Công văn", None, "VP-KT", "Lạng Sơn", "2024-04"),
    ("seed_ke_hoach.txt", "Kế hoạch", None, None, None, None),
    ("tvpl_qd_1056.txt", "Quyết định", "1056/QĐ-CT", "QĐ-CT", "Tuyên Quang", "2010-08-16"),
    ("tvpl_nd_61_cp.txt", "Nghị định", "61-CP", "CP", "Hà Nội", "1994-07-05"),
    ("tvpl_nd_102_2017.txt", "Nghị định", "102/2017/NĐ-CP", "NĐ-CP", "Hà Nội", "2017-09-01"),
    ("tvpl_luat_26_2012.txt", "Luật", "26/2012/QH13", "QH13", "Hà Nội", "2012-11-22"),
    ("vbpl_nq_115_2025.txt", "Nghị quyết", "115/2025/UBTVQH15", "UBTVQH15", None, None),
    ("vbpl_qd_758_ctn.txt", "Quyết định", "758/2024/QĐ-CTN", "QĐ-CTN", "Hà Nội", "2024-07-30"),
    ("ocr_cv_4222_tct.md", "Công văn", "4222/TCT-PC", "TCT-PC", "Hà Nội", "2023-11-09"),
    ("ocr_tb_330_vpcp.md", "Thông báo", "330/TB-VPCP", "TB-VPCP", "Hà Nội", "2022-10-18"),
]


@pytest.mark.parametrize("name,doc_type,number,symbol,place,date", CASES, ids=[c[0] for c in CASES])
def test_header_fields(name, doc_type, number, symbol, place, date):
    h = parse_header(fixture_text(name))
    assert (h.doc_type, h.doc_number, h.doc_symbol, h.place, h.issue_date) == (doc_type, number, symbol, place, date)


SUBJECTS = [
    ("seed_cong_van.txt", "xem xét Công văn số 543/SCT-QLCN ngày 15/4/2024 của Sở Công Thương về việc báo cáo, "
     "đề xuất các nội dung liên quan đến Nghị định số 32/2024/NĐ-CP ngày 15/3/2024"),
    ("seed_ke_hoach.txt", "Triển khai thực hiện Nghị định số 32/2024/NĐ-CP ngày 15/3/2024 của Chính phủ quy định về "
     "quản lý, phát triển cụm công nghiệp trên địa bàn tỉnh Bình Thuận"),
    # flattened: the enacting authority after the subject is cut off
    ("tvpl_qd_1056.txt", "BAN HÀNH MỨC TRỢ GIÚP CHO CÁC ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI ÁP DỤNG TRÊN ĐỊA BÀN TỈNH TUYÊN QUANG"),
    ("tvpl_qd_3745.txt", "PHÊ DUYỆT KẾ HOẠCH SỬ DỤNG ĐẤT NĂM 2022 HUYỆN CHÂU THÀNH"),  # "VỀ VIỆC" dropped
    ("tvpl_nd_61_cp.txt", "VỀ MUA BÁN VÀ KINH DOANH NHÀ Ở"),  # old style, editorial notes removed
    # wrapped over a blank line
    ("vbpl_nq_115_2025.txt", "Quy định chi tiết và hướng dẫn thi hành Luật Hoạt động giám sát của Quốc hội và Hội đồng "
     "nhân dân về giám sát văn bản quy phạm pháp luật"),
    ("ocr_tb_330_vpcp.md", "Kết luận của Thủ tướng Chính phủ Phạm Minh Chính tại cuộc họp về kết nối dữ liệu của các bộ, "
     "ngành phục vụ phát triển thương mại điện tử ngày 03 tháng 10 năm 2022"),
]


@pytest.mark.parametrize("name,subject", SUBJECTS, ids=[s[0] for s in SUBJECTS])
def test_subject(name, subject):
    assert parse_header(fixture_text(name)).subject == subject


ISSUERS = [
    ("seed_cong_van.txt", "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"),  # no header: inferred from the body
    ("seed_ke_hoach.txt", "Ủy ban nhân dân tỉnh Bình Thuận"),
    ("tvpl_qd_1056.txt", "Ủy ban nhân dân tỉnh Tuyên Quang"),
    ("vbpl_nq_115_2025.txt", "Ủy ban Thường vụ Quốc hội"),
    ("ocr_cv_4222_tct.md", "Tổng cục Thuế"),  # OCR: TỎNG CỤC THUÊ, under BỘ TÀI CHÍNH
    ("ocr_tb_330_vpcp.md", "Văn phòng Chính phủ"),  # OCR: VAN PHONG CHÍNH PHU
]


@pytest.mark.parametrize("name,issuer", ISSUERS, ids=[s[0] for s in ISSUERS])
def test_issuer(name, issuer):
    assert parse_text(fixture_text(name)).fields.issuer == issuer


def test_flattened_header_line():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH KON TUM ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "--------------- Số: 435/QĐ-UBND Kon Tum, ngày 04 tháng 5 năm 2020 QUYẾT ĐỊNH V/V PHÊ DUYỆT DANH MỤC "
        "ỦY BAN NHÂN DÂN TỈNH KON TUM\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    )
    f = parse_text(text).fields
    assert (f.doc_type, f.doc_number, f.place, f.issue_date) == ("Quyết định", "435/QĐ-UBND", "Kon Tum", "2020-05-04")
    assert f.issuer == "Ủy ban nhân dân tỉnh Kon Tum"
    assert f.subject == "PHÊ DUYỆT DANH MỤC"


def test_issue_date_is_not_the_first_date():
    text = "BỘ Y TẾ\nSố: 12/BYT-KH\nV/v thực hiện Công văn số 5/VPCP ngày 01/02/2023\nHà Nội, ngày 15 tháng 3 năm 2023\nKính gửi: Sở Y tế"
    h = parse_header(text)
    assert h.issue_date == "2023-03-15"
    assert h.doc_type == "Công văn"


def test_lookalikes_and_lost_hyphen_in_number():
    h = parse_header("CHÍNH PHỦ\nSố: 102/2017/NÐ-CP\nHà Nội, ngày 01 tháng 9 năm 2017\nNGHỊ ĐỊNH\nVề đăng ký")
    assert h.doc_number == "102/2017/NĐ-CP"
    h = parse_header("UBND TỈNH X\nSố: 12/QĐUBND\nX, ngày 01 tháng 9 năm 2017\nQUYẾT ĐỊNH\nVề việc y")
    assert h.doc_number == "12/QĐ-UBND"


@pytest.mark.parametrize(
    "parts,expected",
    [
        (("04", "5", "2020"), ("2020-05-04", 2020, 5)),
        (("", "4", "2024"), ("2024-04", 2024, 4)),
        (("", "", "2022"), ("2022", 2022, None)),
        (("31", "2", "2024"), ("2024-02", 2024, 2)),  # impossible day: keep what is certain
    ],
)
def test_parse_date(parts, expected):
    assert parse_date(*parts) == expected


def test_issuer_from_symbol_when_header_lost_its_name_block():
    from pipeline.parse.issuer import issuer_from_symbol

    assert issuer_from_symbol("QĐ-BYT") == "Bộ Y tế"
    assert issuer_from_symbol("VBHN-BXD") == "Bộ Xây dựng"
    assert issuer_from_symbol("QĐ-UBND") is None  # which province is not in the code
    assert issuer_from_symbol(None) is None


HEAD = "{issuer}\nSố: 2315/QĐ-BGDĐT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 17 tháng 9 năm 2025\n\nQUYẾT ĐỊNH\nBan hành Chuẩn chương trình đào tạo\n\nBỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO\n"


@pytest.mark.parametrize(
    "printed,expected",
    [
        ("BỘ GIÁO mg. VÀ ĐÀO TẠO", "Bộ Giáo dục và Đào tạo"),  # OCR misread one word of the body its symbol names
        ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Bộ Giáo dục và Đào tạo"),
        ("TRƯỜNG ĐẠI HỌC SƯ PHẠM HÀ NỘI", "Trường Đại học Sư phạm Hà Nội"),  # another body: as printed
    ],
)
def test_an_ocr_misread_issuer_is_the_body_its_symbol_names_only_when_nearly_all_its_words_are_there(printed, expected):
    from pipeline.parse.issuer import find_issuer

    text = HEAD.format(issuer=printed)
    assert find_issuer(text, parse_header(text)).lower() == expected.lower()


@pytest.mark.parametrize("opening", ["Về việc", "VỀ VIỆC", "Và việc", "Vê viêc"])  # the last two: OCR's readings
def test_the_ve_viec_opening_is_not_part_of_the_subject(opening):
    text = f"BỘ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 2605/QĐ-BGDĐT\nHà Nội, ngày 1 tháng 9 năm 2025\n\nQUYẾT ĐỊNH\n{opening} công bố thủ tục hành chính\n\nBỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO\n"
    assert parse_header(text).subject.lower() == "công bố thủ tục hành chính"


# ---------------------------------------------------------------- layouts as sites print them (issue 14)
# Each case is one class of printing, written on wording of real documents; the values a person reads
# must come out the same whatever the layout.

CELLS = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
-------
|
CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
|
Số:
258/KH-UBND
|
Lào Cai, ngày 07 tháng 06 năm 2021
|
KẾ HOẠCH
TRIỂN KHAI THỰC HIỆN ĐỀ ÁN TRỒNG MỘT TỶ CÂY XANH
TRÊN ĐỊA BÀN TỈNH LÀO CAI
Thực hiện Quyết định số 524/QĐ-TTg ngày 01/4/2021 của Thủ tướng Chính phủ."""


def test_header_cells_and_broken_motto():
    f = parse_text(CELLS).fields
    assert f.issuer == "Ủy ban nhân dân tỉnh Lào Cai"  # no word of the motto, which a line break cut
    assert (f.doc_number, f.place, f.issue_date, f.doc_type) == ("258/KH-UBND", "Lào Cai", "2021-06-07", "Kế hoạch")
    # the subject ends where the capitals end, not in the body's first sentence; its last line is no issuer
    assert f.subject == "TRIỂN KHAI THỰC HIỆN ĐỀ ÁN TRỒNG MỘT TỶ CÂY XANH TRÊN ĐỊA BÀN TỈNH LÀO CAI"


@pytest.mark.parametrize(
    "place_date,place,date",
    [
        ("Tiền\nGiang, ngày 23 tháng 3 năm 2022", "Tiền Giang", "2022-03-23"),  # a name cut by the wrap
        ("Hà Nội, ngày 24\ntháng 8 năm 2018", "Hà Nội", "2018-08-24"),  # the date cut
        ("Tp.Hồ Chí Minh, ngày 5 tháng 3 năm 2009", "Tp.Hồ Chí Minh", "2009-03-05"),  # as printed, no space
        ("Lâm Đồng, ngày 12 háng 01 năm 2026", "Lâm Đồng", "2026-01-12"),  # a typo in the date words
    ],
)
def test_place_and_date_read_across_line_breaks(place_date, place, date):
    text = f"ỦY\nBAN NHÂN DÂN\nTỈNH TIỀN GIANG\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\nSố:\n06/CT-UBND\n|\n{place_date}\n|\nCHỈ THỊ\nVỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG, CHỐNG THIÊN TAI\nTheo nhận định của Đài Khí tượng."
    f = parse_text(text).fields
    assert (f.place, f.issue_date) == (place, date)
    assert f.issuer == "Ủy ban nhân dân tỉnh Tiền Giang"  # ỦY / BAN NHÂN DÂN joined
    assert f.subject == "VỀ TĂNG CƯỜNG CÔNG TÁC PHÒNG, CHỐNG THIÊN TAI"


def test_council_session_line_and_untitled_resolution():
    text = ("HỘI ĐỒNG NHÂN\nDÂN |\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM |\n|\nSố: 70/NQ-HĐND |\nCao Bằng, ngày 11 tháng 12 năm 2025 |\n"
            "VỀ KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2026 TỈNH CAO BẰNG\nHỘI ĐỒNG NHÂN DÂN TỈNH CAO BẰNG\nKHÓA XVII KỲ HỌP THỨ 38\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;")
    f = parse_text(text).fields
    assert f.doc_type == "Nghị quyết"  # a Kế hoạch named inside the subject is no type line
    assert f.subject == "VỀ KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2026 TỈNH CAO BẰNG"
    assert f.issuer == "Hội đồng nhân dân tỉnh Cao Bằng"  # the bare header completed by the authority line


def test_a_decision_that_issues_rules_is_a_decision():
    text = ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 41/2019/QĐ-UBND | Quảng Trị, ngày 22 tháng 10 năm 2019 |\n"
            "BAN HÀNH QUY ĐỊNH CHẾ ĐỘ BÁO CÁO ĐỊNH KỲ TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ\nỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\nCăn cứ Luật Tổ chức chính quyền địa phương;")
    f = parse_text(text).fields
    assert f.doc_type == "Quyết định"
    assert f.subject == "BAN HÀNH QUY ĐỊNH CHẾ ĐỘ BÁO CÁO ĐỊNH KỲ TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ"
    assert f.issuer == "Ủy ban nhân dân tỉnh Quảng Trị"


@pytest.mark.parametrize(
    "lines,issuer",
    [
        (["UBND HUYỆN THÁI THỤY PHÒNG GIÁO DỤC & ĐÀO TẠO"], "Phòng Giáo dục và Đào tạo huyện Thái Thụy"),  # run onto one line
        (["UBND HUYỆN THÁI THỤY", "PHÒNG GIÁO DỤC & ĐÀO TẠO"], "Phòng Giáo dục và Đào tạo huyện Thái Thụy"),
        (["UBND TỈNH NGHỆ AN", "LIÊN NGÀNH", "SỞ TÀI CHÍNH -", "SỞ CÔNG THƯƠNG"], "Sở Tài chính tỉnh Nghệ An - Sở Công Thương tỉnh Nghệ An"),
        (["UBND TỈNH LẠNG SƠN", "VĂN PHÒNG"], "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"),
        (["HIỆP HỘI CÔNG CHỨNG VIÊN VIỆT NAM", "BAN THƯỜNG VỤ"], "Ban Thường vụ Hiệp hội Công chứng viên Việt Nam"),
        (["BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ"], "Tổng cục Thuế"),  # a parent with no place: the unit stands alone
        (["BỘ TÀI CHÍNH", "BỘ CÔNG THƯƠNG"], "Bộ Tài chính - Bộ Công Thương"),
    ],
)
def test_issuer_block_shapes(lines, issuer):
    from pipeline.parse.issuer import header_issuer

    assert header_issuer(lines).lower() == issuer.lower()


def test_issuer_rules_examples():
    from pipeline import rules
    from pipeline.parse.issuer import header_issuer

    for parent, unit, want in rules.load("issuers")["examples_by_body"]:
        assert header_issuer([parent, unit]).lower() == want.lower()


def test_issuer_from_a_department_code_and_the_place():
    text = "Số:  126  /SGDĐT-KTKĐ Ninh Thuận, ngày 30 tháng 01 năm 2013\n\nV/v Thống nhất thực hiện tự đánh giá.\n\nKính gửi: Các Phòng Giáo dục"
    f = parse_text(text).fields
    assert f.issuer == "Sở Giáo dục và Đào tạo tỉnh Ninh Thuận"
    assert f.subject == "Thống nhất thực hiện tự đánh giá"


def test_subject_after_the_number_without_vv():
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\n-----\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "Số: 214/UBND-VX\nVề cho phép tổ chức cuộc đi bộ gây quỹ từ thiện.\n\nTP. Hồ Chí Minh, ngày 12 tháng 01 năm 2008\n\nKính gửi:\n- Sở Thể dục - Thể thao;")
    f = parse_text(text).fields
    assert (f.doc_type, f.subject, f.place) == ("Công văn", "Về cho phép tổ chức cuộc đi bộ gây quỹ từ thiện", "TP. Hồ Chí Minh")


def test_paper_marks_and_a_page_title_are_no_part_of_the_header():
    text = ("Dự thảo Luật về hội\nQUỐC HỘI -------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ------- "
            "Luật số: … /2016/QH14 DỰ THẢO 24.10.2016 LUẬT VỀ HỘI\nCăn cứ Hiến pháp;")
    f = parse_text(text).fields
    assert (f.doc_type, f.subject, f.issuer) == ("Luật", "VỀ HỘI", "Quốc hội")
    urgent = "BỘ Y TẾ\nSố: 49/KCB-CDT Hà Nội, ngày 03 tháng 7 năm 2015\nV/v báo cáo thực hiện Đề án\nbệnh viện vệ tinh\nKHẨN\nKính gửi: Sở Y tế"
    assert parse_text(urgent).fields.subject == "báo cáo thực hiện Đề án bệnh viện vệ tinh"


@pytest.mark.parametrize(
    "printed,number",
    [
        ("Số: 1213/2010/HDLN /STC-SCT", "1213/2010/HDLN/STC-SCT"),  # a joint guidance: slashes as printed
        ("Số: 29/2025/TTLT/BTP-BCA", "29/2025/TTLT-BTP-BCA"),  # a normative symbol has no slash: a typo
        ("Số:. 4315/BGDĐT-GDTrH", "4315/BGDĐT-GDTrH"),  # a stray dot after the label
    ],
)
def test_numbers_with_several_slashes(printed, number):
    assert parse_header(f"{printed}\nHà Nội, ngày 06 tháng 12 năm 2010").doc_number == number


@pytest.mark.parametrize(
    "lines,place,issuer",
    [
        # a unit under a steering committee that names no place: the province where it was issued
        (["BAN CHỈ ĐẠO", "VỀ PHÁT TRIỂN KHCN, ĐMST, CĐS VÀ ĐỀ ÁN 06", "TỔ GIÚP VIỆC VỀ", "CẢI CÁCH HÀNH CHÍNH"], "Lâm Đồng",
         "Tổ giúp việc về Cải cách hành chính tỉnh Lâm Đồng"),
        # a national body stands alone wherever it signs
        (["BỘ TÀI CHÍNH", "TỔNG CỤC HẢI QUAN"], "Hà Nội", "Tổng cục Hải quan"),
        (["BỘ TƯ PHÁP - BỘ CÔNG AN - BỘ QUỐC PHÒNG - BỘ TÀI CHÍNH", "TÒA ÁN NHÂN DÂN TỐI CAO - VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO"],
         "Hà Nội", "Bộ Tư pháp - Bộ Công an - Bộ Quốc phòng - Bộ Tài chính - Tòa án nhân dân tối cao - Viện kiểm sát nhân dân tối cao"),
        (["ỦY BAN THƯỜNG VỤ QUỐC", "HỘI"], "Hà Nội", "Ủy ban Thường vụ Quốc hội"),  # a wrap inside a known name
    ],
)
def test_issuer_completed_with_the_place_of_issue_only_for_provincial_units(lines, place, issuer):
    from pipeline.parse.issuer import read_issuer

    header = parse_header("\n".join(lines) + f"\nSố: 12/QĐ-TGV\n{place}, ngày 5 tháng 8 năm 2025\nQUYẾT ĐỊNH\nVề việc x")
    assert read_issuer("", header)[0].lower() == issuer.lower()


def test_a_letters_subject_under_its_number_without_vv():
    text = ("HIỆP HỘI\nCÔNG CHỨNG VIÊN VIỆT NAM\nBAN THƯỜNG VỤ\nSố: 545 /HD-BTV\nHướng dẫn một số nội dung liên quan\n"
            "đến hợp nhất Hội công chứng viên\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Hà Nội, ngày 29 tháng 7 năm 2025\nKính gửi: Hội công chứng viên các tỉnh, thành phố\nThực hiện Công văn số 3944/BTP-BTTP")
    f = parse_text(text).fields
    assert f.subject == "Hướng dẫn một số nội dung liên quan đến hợp nhất Hội công chứng viên"
    assert f.issuer.lower() == "ban thường vụ hiệp hội công chứng viên việt nam"


def test_a_subject_line_below_a_blank_line_ends_it():
    text = ("QUYẾT ĐỊNH\n\n\nVề việc phê duyệt thành viên và ban hành Quy chế hoạt động\n\n\n"
            "Tổ giúp việc về Cải cách hành chính tỉnh Lâm Đồng\n\n\nTỔ TRƯỞNG TỔ GIÚP VIỆC VỀ CẢI CÁCH HÀNH CHÍNH\n\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương;")
    assert parse_header(text).subject == ("phê duyệt thành viên và ban hành Quy chế hoạt động Tổ giúp việc về "
                                          "Cải cách hành chính tỉnh Lâm Đồng")
    body_next = "QUYẾT ĐỊNH\nVề việc công bố thủ tục hành chính\n\nỦy ban nhân dân tỉnh có ý kiến như sau:\n\n1. Đồng ý."
    assert parse_header(body_next).subject == "công bố thủ tục hành chính"


def test_a_subject_that_lists_laws_keeps_its_semicolons():
    text = "TỜ TRÌNH\nVề dự án Luật sửa đổi Luật Bảo vệ môi trường; Luật Chăn nuôi; Luật Thủy lợi\n\nKính gửi: Chính phủ"
    assert parse_header(text).subject == "Về dự án Luật sửa đổi Luật Bảo vệ môi trường; Luật Chăn nuôi; Luật Thủy lợi"


@pytest.mark.parametrize(
    "header,issuer",
    [
        # a ministry and its unit on one line, as a site runs the header together
        ("BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
         "Số: 5452/TCHQ-GSQL V/v vướng mắc thủ tục hải quan Hà Nội, ngày 19 tháng 09 năm 2018", "Tổng cục Hải quan"),
        ("BỘ Y TẾ CỤC AN TOÀN THỰC PHẨM ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
         "Số: 12/ATTP-NĐ V/v kiểm tra Hà Nội, ngày 9 tháng 3 năm 2020", "Cục An toàn thực phẩm"),
        # a joint header with its marker inside the line
        ("UBND TỈNH NGHỆ AN LIÊN NGÀNH SỞ TÀI CHÍNH - SỞ CÔNG THƯƠNG ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc "
         "lập - Tự do - Hạnh phúc Số: 1213/2010/HDLN/STC-SCT Vinh, ngày 06 tháng 12 năm 2010 HƯỚNG DẪN THỰC HIỆN",
         "Sở Tài chính tỉnh Nghệ An - Sở Công Thương tỉnh Nghệ An"),
        # a site's page title cut from its type by a wrap: the number alone is no part of the issuer
        ("Thông tư liên tịch\n89/2016/TTLT-BTC-BCT\nBỘ TÀI CHÍNH - BỘ CÔNG THƯƠNG -------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
         "NAM Độc\nlập - Tự do - Hạnh phúc\nSố: 89/2016/TTLT-BTC-BCT\nHà Nội, ngày 23 tháng 6 năm 2016 THÔNG\nTƯ LIÊN TỊCH "
         "HƯỚNG DẪN", "Bộ Tài chính - Bộ Công Thương"),
        ("Thông tư liên tịch 89/2016/TTLT-BTC-BCT BỘ TÀI CHÍNH - BỘ CÔNG THƯƠNG ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
         "NAM Độc lập - Tự do - Hạnh phúc Số: 89/2016/TTLT-BTC-BCT Hà Nội, ngày 23 tháng 6 năm 2016 THÔNG TƯ LIÊN TỊCH "
         "HƯỚNG DẪN", "Bộ Tài chính - Bộ Công Thương"),
    ],
)
def test_issuer_of_a_header_run_together(header, issuer):
    assert parse_text(header + "\nCăn cứ Luật Hải quan số 54/2014/QH13;\n").fields.issuer == issuer


def test_a_council_session_in_old_spelling_ends_the_subject_on_one_line():
    text = ("HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG BÌNH -------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
            "Số: 66/2013/NQ-HĐND Quảng Bình, ngày 18 tháng 7 năm 2013 NGHỊ QUYẾT VỀ TIẾP TỤC THỰC HIỆN NHIỆM VỤ PHÁT "
            "TRIỂN KINH TẾ - XÃ HỘI NĂM 2013 HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG BÌNH KHOÁ XVI, KỲ HỌP THỨ 8\n"
            "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;\n")
    f = parse_text(text).fields
    assert f.subject == "VỀ TIẾP TỤC THỰC HIỆN NHIỆM VỤ PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2013"
