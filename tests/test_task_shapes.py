"""Each shape of assignment (issue 16), on a short real excerpt and on variants of it: another agency,
other wording, other numbering, lines wrapped otherwise. Government documents are not under copyright
in Viet Nam; the excerpts come from the development corpus (corpus/dev/tasks)."""

from __future__ import annotations

import pytest

from pipeline.models import DocumentFields
from pipeline.parse import parse_text
from pipeline.parse.tasks import defined_forms, find_tasks


def _tasks(text: str, year: int = 2026, doc_type: str | None = "Kế hoạch"):
    return find_tasks(text, DocumentFields(doc_type=doc_type, issue_year=year))


def _support(task) -> list[str]:
    return [a.agency for a in task.agencies if a.role == "support"]


def _deadline(task):
    d = task.deadline
    return (d.kind, d.start, d.end) if d else None


def _summary(tasks):
    return [(t.text[:30], t.lead_agency, _support(t), _deadline(t)) for t in tasks]


# ---------------------------------------------------------------- parts named otherwise


@pytest.mark.parametrize(
    "heading",
    [
        "I. NHỮNG VIỆC CẦN LÀM NGAY TRONG THÁNG 12/2025",
        "I. Những việc cần làm ngay trong tháng 12/2025",
        "NHỮNG VIỆC CẦN LÀM NGAY TRONG THÁNG 12/2025",  # a heading in capitals with no marker
        "PHẦN I. Những việc phải làm ngay trong tháng 12 năm 2025",
    ],
)
def test_a_part_named_by_the_work_to_do_and_its_time(heading):
    text = (
        "Để kịp thời cải thiện các chỉ số, Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:\n"
        f"{heading}\n"
        "1. Văn phòng Ủy ban nhân dân tỉnh\n"
        "a) Rà soát, thống kê kết quả thực hiện các nhiệm vụ, hoàn thành trước ngày 10/12/2025.\n"
        "b) Định kỳ trước 16 giờ ngày thứ Sáu hằng tuần, báo cáo lãnh đạo Ủy ban nhân dân tỉnh.\n"
        "2. Sở Tài chính\n"
        "a) Tham mưu Ủy ban nhân dân tỉnh tháo gỡ khó khăn trong giải ngân vốn đầu tư công.\n"
    )
    assert _summary(_tasks(text, 2025, "Công văn")) == [
        ("Rà soát, thống kê kết quả thực", "Văn phòng Ủy ban nhân dân tỉnh", [], ("date", None, "2025-12-10")),
        ("Định kỳ trước 16 giờ ngày thứ ", "Văn phòng Ủy ban nhân dân tỉnh", [], ("recurring", None, None)),
        ("Tham mưu Ủy ban nhân dân tỉnh ", "Sở Tài chính", [], ("month", "2025-12-01", "2025-12-31")),
    ]


@pytest.mark.parametrize(
    "heading",
    ["II. NHIỆM VỤ, GIẢI PHÁP CẢI THIỆN CÁC CHỈ SỐ TRONG NĂM 2026", "NỘI DUNG HOẠT ĐỘNG TRONG NĂM 2026", "2. Nhiệm vụ, giải pháp trong năm 2026"],
)
def test_a_year_in_a_section_heading_frames_its_items(heading):
    text = (
        f"{heading}\n"
        "a) Giao Sở Tư pháp chủ trì, phối hợp với các cơ quan, đơn vị thường xuyên tổ chức rà soát văn bản.\n"
        "b) Giao Thanh tra tỉnh chủ trì, phối hợp Sở Nội vụ, Văn phòng Ủy ban nhân dân tỉnh tổ chức thanh tra.\n"
        "c) Giao Sở Khoa học và Công nghệ định kỳ hằng tháng báo cáo tình hình sử dụng chữ ký số.\n"
    )
    assert _summary(_tasks(text, 2025, "Công văn")) == [
        ("Giao Sở Tư pháp chủ trì, phối ", "Sở Tư pháp", [], ("ongoing", "2026-01-01", "2026-12-31")),
        ("Giao Thanh tra tỉnh chủ trì, p", "Thanh tra tỉnh", ["Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh"], ("year", "2026-01-01", "2026-12-31")),
        ("Giao Sở Khoa học và Công nghệ ", "Sở Khoa học và Công nghệ", [], ("recurring", None, None)),
    ]


def test_the_year_of_the_title_is_not_passed_down():
    text = (
        "KẾ HOẠCH\nTăng cường công tác phòng, chống ma túy năm 2026\n"
        "I. NHIỆM VỤ\n1. Sở Y tế\n- Quản lý chặt chẽ các cơ sở điều trị nghiện.\n"
    )
    assert _summary(_tasks(text)) == [("Quản lý chặt chẽ các cơ sở điề", "Sở Y tế", [], None)]


def test_purposes_and_targets_are_not_tasks():
    text = (
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Bảo đảm đạt ít nhất 40% địa bàn cấp xã không ma túy.\n"
        "II. CHỈ TIÊU NĂM 2026\n- Xây dựng mới 35 địa bàn cấp xã không ma túy.\n"
        "III. GIẢI PHÁP THỰC HIỆN VÀ PHÂN CÔNG NHIỆM VỤ\n1.1. Công an tỉnh\n- Tổ chức rà soát, phân loại địa bàn.\n"
    )
    assert [t.lead_agency for t in _tasks(text)] == ["Công an tỉnh"]


# ---------------------------------------------------------------- per-agency headings, co-leads, Đề nghị


@pytest.mark.parametrize(
    "heading,lead,support",
    [
        ("4.5. Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh", ["Tòa án nhân dân tỉnh"]),
        ("b) Đề nghị Tòa án nhân dân tỉnh và Viện Kiểm sát nhân dân tỉnh:", "Tòa án nhân dân tỉnh", ["Viện Kiểm sát nhân dân tỉnh"]),
        ("3.6. Sở Nông nghiệp và Môi trường, Sở Dân tộc và Tôn giáo", "Sở Nông nghiệp và Môi trường", ["Sở Dân tộc và Tôn giáo"]),
        ("6. Các sở, ban, ngành, đơn vị thuộc tỉnh; UBND các xã, phường, đặc khu", "Các sở, ban, ngành, đơn vị thuộc tỉnh", ["Ủy ban nhân dân các xã, phường, đặc khu"]),
        ("7.1. Sở Tài chính chủ trì, phối hợp các sở, ban, ngành", "Sở Tài chính", ["Các sở, ban, ngành"]),
        ("7. Trách nhiệm của các sở, ban, ngành, UBND các xã, phường, đặc khu", "Các sở, ban, ngành", ["Ủy ban nhân dân các xã, phường, đặc khu"]),
    ],
)
def test_an_agency_heading_owns_the_items_below_it(heading, lead, support):
    text = (
        "III. NHIỆM VỤ CỤ THỂ\n"
        f"{heading}\n"
        "- Phối hợp chặt chẽ với Công an tỉnh nâng cao hiệu quả xử lý vi phạm.\n"
        "- Tổ chức tuyên truyền, phổ biến pháp luật.\n"
    )
    tasks = _tasks(text)
    assert [t.lead_agency for t in tasks] == [lead, lead]
    assert _support(tasks[0]) == support + ["Công an tỉnh"]
    assert _support(tasks[1]) == support


@pytest.mark.parametrize(
    "heading",
    [
        "5.2. Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng",
        "5.2. Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng:",
        "b) Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng",
    ],
)
def test_a_heading_with_its_verb_then_a_paragraph(heading):
    for gap in ("\n", "\n\n      "):
        text = f"II. TỔ CHỨC THỰC HIỆN\n{heading}{gap}Chủ trì, phối hợp chặt chẽ với lực lượng Công an, Hải quan triển khai các giải pháp.\n"
        tasks = _tasks(text)
        assert _summary(tasks) == [("Chủ trì, phối hợp chặt chẽ với", "Bộ Chỉ huy quân sự tỉnh", [], None)], gap


@pytest.mark.parametrize(
    "item,text_start",
    [
        ("3.3. Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng: Phối hợp với cấp ủy, chính quyền địa phương tuyên truyền.", "Phối hợp với cấp ủy"),
        ("b) UBND xã Bảo Lâm 2: Rà soát toàn bộ hồ sơ có liên quan đến 36 hộ dân.", "Rà soát toàn bộ hồ sơ"),
        ("- Sở Tài chính: Hàng năm bố trí kinh phí thực hiện.", "Hàng năm bố trí"),
    ],
)
def test_an_agency_label_before_a_colon_is_left_out_of_the_text(item, text_start):
    tasks = _tasks(f"II. NHIỆM VỤ\n{item}\n")
    assert len(tasks) == 1 and tasks[0].text.startswith(text_start)


def test_a_person_by_office_leads_as_printed():
    text = (
        "3. Tăng cường công tác tuyên truyền\n"
        "3.9. Chủ tịch Ủy ban nhân dân địa bàn cấp xã chỉ đạo\n"
        "- Đẩy mạnh hoạt động tuyên truyền tại các địa bàn dân cư.\n"
        "- Tổ chức tuyên truyền cho học sinh, bảo đảm mỗi học kỳ tổ chức ít nhất 1 buổi.\n"
    )
    tasks = _tasks(f"II. NHIỆM VỤ\n{text}")
    assert [t.lead_agency for t in tasks] == ["Chủ tịch Ủy ban nhân dân địa bàn cấp xã"] * 2
    assert _deadline(tasks[1]) == ("recurring", None, None)


def test_mass_organisations_in_one_heading():
    text = (
        "II. NHIỆM VỤ\n"
        "3.8. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Liên đoàn Lao động tỉnh, Hội Liên hiệp Phụ nữ tỉnh, "
        "Hội Nông dân tỉnh, Hội Cựu chiến binh tỉnh, Tỉnh đoàn Thanh niên\n\n"
        "Chỉ đạo thực hiện có hiệu quả các kế hoạch liên tịch, chương trình phối hợp hành động với Bộ Công an.\n"
    )
    (task,) = _tasks(text)
    assert task.lead_agency == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    assert _support(task) == [
        "Liên đoàn Lao động tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh", "Tỉnh đoàn Thanh niên",
    ]  # `chương trình phối hợp hành động với Bộ Công an` names no cooperating agency: `phối hợp` is a noun there


# ---------------------------------------------------------------- blocks of attributes


@pytest.mark.parametrize(
    "lead_line,lead,support",
    [
        ("- Đơn vị chủ trì thực hiện: Văn phòng UBND tỉnh.", "Văn phòng Ủy ban nhân dân tỉnh", []),
        ("- Đơn vị thực hiện: Sở Khoa học và Công nghệ; UBND các xã, phường, đặc khu.", "Sở Khoa học và Công nghệ", ["Ủy ban nhân dân các xã, phường, đặc khu"]),
        ("- Đơn vị thực hiện: Sở Văn hóa Thể thao Du lịch chủ trì, phối hợp với Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công tỉnh).", "Sở Văn hóa, Thể thao và Du lịch", ["Văn phòng Ủy ban nhân dân tỉnh"]),
        ("+ Cơ quan chủ trì: Công an tỉnh", "Công an tỉnh", []),
    ],
)
@pytest.mark.parametrize(
    "when,deadline",
    [
        ("- Thời gian hoàn thành: Trong tháng 8/2025.", ("month", "2025-08-01", "2025-08-31")),
        ("- Thời gian hoàn thành: Thực hiện thường xuyên.", ("ongoing", None, None)),
        ("+ Thời hạn: trước ngày 15/9/2025", ("date", None, "2025-09-15")),
    ],
)
def test_numbered_items_with_attribute_lines(lead_line, lead, support, when, deadline):
    text = (
        "UBND tỉnh yêu cầu các sở, ban, ngành, địa phương tập trung thực hiện một số nội dung sau:\n"
        "1. Hoàn thiện hạ tầng công nghệ thông tin\n"
        "(1) Sao lưu, duy trì các cơ sở dữ liệu trong hệ thống cũ của các tỉnh bị sáp nhập.\n"
        f"{lead_line}\n- Đơn vị phối hợp: Các sở, ban, ngành.\n{when}\n"
    )
    (task,) = _tasks(text, 2025, "Công văn")
    assert task.text.startswith("Sao lưu, duy trì") and task.lead_agency == lead
    assert _support(task) == support + ["Các sở, ban, ngành"]
    assert _deadline(task) == deadline


# ---------------------------------------------------------------- tables of tasks


_TABLE = (
    "PHỤ LỤC\nPHÂN CÔNG THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026\n"
    "| STT | Nhiệm vụ | Sản phẩm | Thời gian hoàn thành | Chủ trì thực hiện | Phối hợp thực hiện | Theo dõi, kiểm tra, đôn đốc |\n"
    "| I | Cải cách thể chế |  |  |  |  |  |\n"
    "| 1 | Thường xuyên kiểm tra, rà soát các văn bản. | Kết quả xử lý | Thường xuyên trong năm | Sở Tư pháp; các cơ quan, đơn vị, địa phương | Các cơ quan, đơn vị, địa phương | Sở Tư pháp |\n"
    "| 2 | Tiếp tục triển khai thực hiện Quyết định số 1441/QĐ-UBND. | Kết quả | Theo các mốc thời gian tại Quyết định số 1441/QĐ-UBND | Theo phân công tại Quyết định số 1441/QĐ-UBND | Văn phòng UBND tỉnh |\n"
    "| 3 | Tham mưu ban hành Kế hoạch kiểm tra. | Kế hoạch của tỉnh | Ban hành kế hoạch trong tháng 01/2026 và tổ chức thực hiện | Sở Nội vụ | Các cơ quan, đơn vị, địa phương | Sở Nội vụ |\n"
    "|  |  | Kế hoạch tự kiểm tra | Ban hành kế hoạch trong tháng 01/2026, tổ chức kiểm tra chậm nhất trong tháng 6/2026 và báo cáo chậm nhất trong tháng 8/2026 | Các cơ quan, đơn vị, địa phương |  | Sở Nội vụ |\n"
    "| 4 | Tham mưu UBND tỉnh công bố chỉ số. | Kết quả | Trước ngày 05 của tháng liền kề | Sở Nội vụ | Văn phòng UBND tỉnh; Sở Tài nguyên và Môi trường; UBND các xã, phường, đặc khu | Sở Nội vụ |\n"
)


def test_a_table_of_tasks_in_an_appendix_after_the_signature():
    text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nLâm Đồng, ngày 20 tháng 12 năm 2025\nKẾ HOẠCH\nCải cách hành chính năm 2026.\n\nNơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn A\n\n" + _TABLE
    tasks = _tasks(text, 2025)
    assert _summary(tasks) == [
        ("Thường xuyên kiểm tra, rà soát", "Sở Tư pháp", [], ("ongoing", "2026-01-01", "2026-12-31")),
        ("Tiếp tục triển khai thực hiện ", None, [], None),  # lead and cooperating cells merged: `Theo phân công …`
        ("Tham mưu ban hành Kế hoạch kiể", "Sở Nội vụ", [], ("month", "2026-01-01", "2026-01-31")),
        ("Tham mưu ban hành Kế hoạch kiể", "Các cơ quan, đơn vị, địa phương", [], ("month", "2026-08-01", "2026-08-31")),
        ("Tham mưu UBND tỉnh công bố chỉ", "Sở Nội vụ", ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Tài nguyên và Môi trường", "Ủy ban nhân dân các xã, phường, đặc khu"], ("recurring", None, None)),
    ]
    assert all(t.section == "Cải cách thể chế" for t in tasks)  # the group row; `Theo dõi` names nobody's part


@pytest.mark.parametrize(
    "header",
    [
        "| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian |",
        "| STT | Tên nhiệm vụ | Cơ quan thực hiện | Cơ quan phối hợp | Thời hạn hoàn thành |",
        "| STT | Nội dung | Chủ trì | Phối hợp | Tiến độ thực hiện |",
    ],
)
def test_task_table_headers_named_otherwise(header):
    text = header + "\n| 1 | Rà soát, sửa đổi quy chế phối hợp. | Sở Tư pháp, Văn phòng UBND tỉnh | Các sở, ban, ngành | Quý II-III/2026 |\n"
    (task,) = _tasks(text)
    assert (task.lead_agency, _support(task), _deadline(task)) == (
        "Sở Tư pháp", ["Văn phòng Ủy ban nhân dân tỉnh", "Các sở, ban, ngành"], ("range", "2026-04-01", "2026-09-30"),
    )


# ---------------------------------------------------------------- a plan approved inside a decision; closings


def test_a_project_approved_in_article_1_and_the_closing_article():
    text = (
        "QUYẾT ĐỊNH:\n"
        "Điều 1. Phê duyệt Đề án “Xác định Chỉ số cải cách hành chính của các bộ, cơ quan ngang bộ (sau đây gọi tắt là bộ), "
        "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương (sau đây gọi tắt là tỉnh)” với các nội dung chính sau:\n"
        "I. MỤC TIÊU\n1. Đánh giá khách quan kết quả cải cách hành chính hàng năm của các bộ, các tỉnh.\n"
        "II. GIẢI PHÁP THỰC HIỆN\n"
        "- Bố trí đủ kinh phí cho việc thực hiện xác định Chỉ số.\n"
        "- Các bộ, các tỉnh: Phân công công chức theo dõi, đánh giá cải cách hành chính.\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "b) Các bộ, các tỉnh:\n"
        "- Các bộ, cơ quan ngang bộ: Tài chính; Tư pháp; Khoa học và Công nghệ;\n"
        "Văn phòng Chính phủ phối hợp với Bộ Nội vụ trong việc theo dõi, đánh giá cải cách hành chính.\n"
        "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.\n"
        "Điều 3. Các Bộ trưởng, Chủ tịch Ủy ban nhân dân tỉnh chịu trách nhiệm thi hành Quyết định này./.\n"
        "BỘ TRƯỞNG\nNguyễn Văn A\n"
    )
    tasks = _tasks(text, 2025, "Quyết định")
    assert _summary(tasks) == [
        ("Bố trí đủ kinh phí cho việc th", None, [], None),  # a directive in a part that assigns work: lead null
        ("Phân công công chức theo dõi, ", "Các bộ, cơ quan ngang bộ", ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"], None),
        ("Các bộ, cơ quan ngang bộ: Tài ", "Bộ Tài chính", ["Bộ Tư pháp", "Bộ Khoa học và Công nghệ", "Văn phòng Chính phủ", "Bộ Nội vụ"], None),
    ]


def test_short_forms_the_document_defines():
    text = "… của các bộ, cơ quan ngang bộ (sau đây gọi tắt là bộ), Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương (sau đây gọi tắt là tỉnh) …"
    assert defined_forms(text) == {"bộ": "Các bộ, cơ quan ngang bộ", "tỉnh": "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"}
    other = "Các sở, ban, ngành (sau đây gọi chung là các sở) và Ủy ban nhân dân cấp xã (sau đây gọi tắt là cấp xã)"
    assert defined_forms(other) == {"sở": "Các sở, ban, ngành", "cấp xã": "Ủy ban nhân dân cấp xã"}


@pytest.mark.parametrize(
    "closing",
    [
        "Trân trọng thông báo kết luận của đồng chí Phó Chủ tịch UBND tỉnh đến các sở, ban, ngành biết, thực hiện./.",
        "Yêu cầu các sở, ban, ngành, địa phương nghiên cứu, thực hiện nghiêm túc các nhiệm vụ được giao./.",
        "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.",
    ],
)
def test_closings_intros_and_principles_are_not_tasks(closing):
    text = (
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Về cải cách thể chế\n"
        "Giao Sở Tư pháp chủ trì, phối hợp với các cơ quan, đơn vị liên quan:\n"
        "a) Tổ chức rà soát toàn bộ hệ thống văn bản quy phạm pháp luật.\n"
        "b) Thống nhất chủ trương nghiên cứu, thí điểm ứng dụng AI.\n"
        "c) Việc xây dựng phần mềm phải xuất phát từ yêu cầu thực tiễn.\n"
        f"{closing}\n"
    )
    assert _summary(_tasks(text, 2026, "Thông báo")) == [("Tổ chức rà soát toàn bộ hệ thố", "Sở Tư pháp", [], None)]


def test_signature_lines_and_an_attached_charter_are_not_tasks():
    text = (
        "QUYẾT ĐỊNH:\nĐiều 1. Nay phê duyệt Điều lệ Hội Cựu giáo chức quận 8.\n"
        "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.\n"
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân quận 8, Hội Cựu giáo chức quận 8 chịu trách nhiệm thi hành Quyết định này./.\n\n"
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Đô Lương\n\n"
        "ĐIỀU LỆ\n\nHỘI CỰU GIÁO CHỨC QUẬN 8\n\nChương 1:\n\nTÊN GỌI CỦA HỘI, TÔN CHỈ MỤC ĐÍCH\n\n"
        "Điều 1. Tên gọi: Hội Cựu giáo chức quận 8.\nĐiều 2. Tôn chỉ mục đích của Hội\n"
    )
    assert _tasks(text, 2006, "Quyết định") == []


# ---------------------------------------------------------------- what is passed down; anaphors; đối với


def test_cooperating_agencies_of_a_bullet_that_introduces_its_items():
    text = (
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "a) Trung tâm Phát triển quỹ đất tỉnh\n"
        "- Chủ trì, phối hợp chặt chẽ với Ban Quản lý dự án đầu tư xây dựng số 1 và địa phương trong việc giải phóng mặt bằng "
        "các đoạn tuyến dự kiến khởi công trước ngày 30/4/2026, trong đó:\n"
        "+ Đối với dự án cao tốc Bảo Lộc – Liên Khương: yêu cầu đến 30/5/2026 phải bàn giao toàn bộ mặt bằng.\n"
        "+ Đối với dự án cao tốc Tân Phú – Bảo Lộc: phấn đấu đến ngày 15/6/2026 bàn giao mặt bằng.\n"
    )
    tasks = _tasks(text)
    assert _summary(tasks) == [
        ("Đối với dự án cao tốc Bảo Lộc ", "Trung tâm Phát triển quỹ đất tỉnh", ["Ban Quản lý dự án đầu tư xây dựng số 1"], ("date", None, "2026-05-30")),
        ("Đối với dự án cao tốc Tân Phú ", "Trung tâm Phát triển quỹ đất tỉnh", ["Ban Quản lý dự án đầu tư xây dựng số 1"], ("date", None, "2026-06-15")),
    ]


def test_a_body_named_in_full_then_by_its_head_word():
    text = (
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Nhà đầu tư của 02 dự án đường bộ cao tốc Tân Phú – Bảo Lộc và Bảo Lộc – Liên Khương:\n"
        "a) Khẩn trương tập kết máy móc, trang thiết bị thi công.\n"
        "b) Đối với Nhà đầu tư Dự án cao tốc Tân Phú - Bảo Lộc: Khẩn trương nộp hồ sơ trước ngày 28/4/2026; hoàn thành báo cáo trước ngày 05/5/2026.\n"
        "2. Đối với việc lập hồ sơ điều chỉnh dự án:\n"
        "a) Yêu cầu Nhà đầu tư 02 dự án lập hồ sơ điều chỉnh chủ trương đầu tư.\n"
        "b) Hồ sơ điều chỉnh chủ trương đầu tư phải đảm bảo đầy đủ và chặt chẽ.\n"
        "3. Giao Sở Xây dựng chủ trì, phối hợp với Nhà Đầu tư và địa phương có liên quan làm việc với các hộ dân.\n"
    )
    full = "Nhà đầu tư của 02 dự án đường bộ cao tốc Tân Phú – Bảo Lộc và Bảo Lộc – Liên Khương"
    tasks = _tasks(text)
    assert [(t.lead_agency, _support(t)) for t in tasks] == [
        (full, []),
        ("Nhà đầu tư Dự án cao tốc Tân Phú - Bảo Lộc", []),  # a narrower body named in the item
        (full, []),
        (full, []),  # its actor is implied: the body the list's previous task named
        ("Sở Xây dựng", [full]),
    ]
    assert tasks[1].text.startswith("Đối với Nhà đầu tư") and _deadline(tasks[1]) == ("date", None, "2026-05-05")


def test_giao_inside_an_item_hands_it_to_that_body():
    text = (
        "II. NHIỆM VỤ\n1. Các sở, ngành\n"
        "a) Các sở, ngành chủ động đề xuất xây dựng hệ thống phần mềm chuyên ngành.\n"
        "b) Sau khi hoàn thành xây dựng các phần mềm, các đơn vị có trách nhiệm chuẩn hóa dữ liệu.\n"
        "c) Đến nay, 13/14 sở, ban, ngành đã đề xuất danh mục phần mềm. Giao Sở Khoa học và Công nghệ chủ trì, "
        "phối hợp với các sở, ngành khẩn trương báo cáo trước ngày 10/5/2026.\n"
        "d) Yêu cầu Sở Khoa học và Công nghệ hoàn thiện hồ sơ; Sở Tài chính chịu trách nhiệm thẩm định dự toán.\n"
    )
    assert [(t.lead_agency, _support(t)) for t in _tasks(text)] == [
        ("Các sở, ngành", []),
        ("Các sở, ngành", []),
        ("Sở Khoa học và Công nghệ", ["Các sở, ngành"]),
        ("Sở Khoa học và Công nghệ", ["Sở Tài chính"]),
    ]


# ---------------------------------------------------------------- the header and zones


def test_header_lines_after_a_recipient_list_are_not_tasks():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n\nSố: /UBND-NC\n\nV/v tập trung thực hiện các giải pháp\n\n"
        "Kính gửi:\n\n- Các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh;\n- Ủy ban nhân dân các xã, phường, đặc khu.\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nLâm Đồng, ngày         tháng 12 năm 2025\n\n"
        "Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:\n"
        "1. Giao Sở Nội vụ tổng hợp, báo cáo trước ngày 20/12/2025.\n"
    )
    tasks = parse_text(text).tasks
    assert _summary(tasks) == [("Giao Sở Nội vụ tổng hợp, báo c", "Sở Nội vụ", [], ("date", None, "2025-12-20"))]


# ---------------------------------------------------------------- elliptic lists of places; reports


@pytest.mark.parametrize(
    "heading,lead,support",
    [
        ("1. Giao UBND các xã: Đức Trọng, Hiệp Thạnh, Đinh Văn Lâm Hà:", "Ủy ban nhân dân xã Đức Trọng", ["Ủy ban nhân dân xã Hiệp Thạnh", "Ủy ban nhân dân xã Đinh Văn Lâm Hà"]),
        ("1. Ủy ban nhân dân các huyện: Châu Thành; Tân Châu và Phú Tân", "Ủy ban nhân dân huyện Châu Thành", ["Ủy ban nhân dân huyện Tân Châu", "Ủy ban nhân dân huyện Phú Tân"]),
    ],
)
def test_an_elliptic_list_of_places_names_one_body_each(heading, lead, support):
    text = f"II. Nhiệm vụ cụ thể:\n{heading}\n- Hoàn thành hồ sơ gửi Sở Xây dựng trước ngày 24/4/2026.\n"
    (task,) = _tasks(text, 2026, "Thông báo")
    assert (task.lead_agency, _support(task), _deadline(task)) == (lead, support, ("date", None, "2026-04-24"))


def test_a_colon_before_a_list_of_places_is_no_label():
    text = (
        "II. Nhiệm vụ cụ thể:\n"
        "3. Giao Sở Tài chính có trách nhiệm chủ động hướng dẫn UBND các xã: Đức Trọng, Hiệp Thạnh về kinh phí lập quy hoạch.\n"
    )
    (task,) = _tasks(text, 2026, "Thông báo")
    assert task.text.startswith("Giao Sở Tài chính") and task.lead_agency == "Sở Tài chính"


def test_a_report_gives_the_tasks_of_its_part_of_tasks_only():
    text = (
        "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI\n1. Công an tỉnh tiếp tục phát huy vai trò thường trực tham mưu.\n"
        "II. KẾT QUẢ CÁC MẶT CÔNG TÁC\n6. Kết quả triển khai 19 nhiệm vụ trọng tâm\n- Công an tỉnh tiếp tục phối hợp với các ngân hàng.\n"
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ TRONG THỜI GIAN TỚI\n1. Công an tỉnh:\na) Tham mưu thành lập Ban chỉ đạo về dữ liệu của tỉnh.\n"
        "Trên đây là Báo cáo kết quả thực hiện Đề án 06 trên địa bàn tỉnh.\n"
    )
    assert _summary(_tasks(text, 2025, "Báo cáo")) == [("Tham mưu thành lập Ban chỉ đạo", "Công an tỉnh", [], None)]


def test_articles_of_responsibility_in_an_attached_regulation():
    text = (
        "Quảng Nam, ngày 10 tháng 5 năm 2025\nQUYẾT ĐỊNH:\n"
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp quản lý cụm công nghiệp.\n"
        "Điều 2. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Công Thương chịu trách nhiệm thi hành Quyết định này./.\n"
        "Nơi nhận:\n- Như Điều 2;\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLê Văn C\n\n"
        "QUY CHẾ\nPhối hợp quản lý cụm công nghiệp\nChương I\nQUY ĐỊNH CHUNG\n"
        "Điều 2. Nguyên tắc phối hợp\n1. Các cơ quan thực hiện đúng chức năng, nhiệm vụ được giao.\n"
        "Chương II\nTRÁCH NHIỆM CỦA CÁC CƠ QUAN\n"
        "Điều 5. Trách nhiệm của Sở Công Thương\n"
        "1. Chủ trì, phối hợp với các sở, ngành liên quan hướng dẫn, kiểm tra việc thực hiện Quy chế này.\n"
        "2. Định kỳ hằng năm tổng hợp, báo cáo UBND tỉnh tình hình hoạt động của các cụm công nghiệp.\n"
        "Điều 7. Trách nhiệm của Ủy ban nhân dân cấp huyện\n"
        "a) Phối hợp với Sở Công Thương giải quyết các kiến nghị của doanh nghiệp.\n"
    )
    assert _summary(_tasks(text, 2025, "Quyết định")) == [
        ("Chủ trì, phối hợp với các sở, ", "Sở Công Thương", [], None),  # `các sở, ngành liên quan`: left out
        ("Định kỳ hằng năm tổng hợp, báo", "Sở Công Thương", [], ("recurring", None, None)),
        ("Phối hợp với Sở Công Thương gi", "Ủy ban nhân dân cấp huyện", ["Sở Công Thương"], None),
    ]


def test_a_department_plan_with_short_headings_in_a_text_of_spaced_parts():
    text = (
        "Bình Định, ngày 02 tháng 4 năm 2025\nKẾ HOẠCH\nTổ chức thi tuyển công chức năm 2025\n\n"
        "II. NỘI DUNG\nNhiệm vụ trọng tâm\n"
        "1. Thông báo tuyển dụng trên Cổng thông tin điện tử của Sở, hoàn thành chậm nhất ngày 30/4.\n"
        "2. Tổ chức thi vòng 2 trong quý III năm 2025.\n\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Công chức, viên chức\nChủ trì, phối hợp với Văn phòng Sở tham mưu thành lập Hội đồng, xong trước 15/5/2025.\n"
        "2. Các Sở: Tài chính, Kế hoạch và Đầu tư, Xây dựng\nCử cán bộ tham gia Hội đồng giám sát kỳ thi.\n"
        "3. Văn phòng Sở:\n- Bố trí kinh phí phục vụ kỳ thi.\n- Đồng ý chủ trương sử dụng phần mềm thi trắc nghiệm.\n\n"
        "Nơi nhận:\n- Lưu: VT.\n"
    )
    assert _summary(parse_text(text).tasks) == [
        ("Thông báo tuyển dụng trên Cổng", None, [], ("date", None, "2025-04-30")),
        ("Tổ chức thi vòng 2 trong quý I", None, [], ("quarter", "2025-07-01", "2025-09-30")),
        ("Chủ trì, phối hợp với Văn phòn", "Phòng Công chức, viên chức", ["Văn phòng Sở"], ("date", None, "2025-05-15")),
        ("Cử cán bộ tham gia Hội đồng gi", "Sở Tài chính", ["Sở Kế hoạch và Đầu tư", "Sở Xây dựng"], None),
        ("Bố trí kinh phí phục vụ kỳ thi", "Văn phòng Sở", [], None),
    ]


@pytest.mark.parametrize(
    "header,row",
    [
        ("| Đơn vị | Nội dung nhiệm vụ | Hạn hoàn thành |", "| Sở Y tế | Kiểm tra an toàn thực phẩm tại các chợ | Tháng 6/2026 |"),
        ("| TT | Các nhiệm vụ cụ thể | Cơ quan được giao | Thời điểm hoàn thành |", "| 1 | Kiểm tra an toàn thực phẩm tại các chợ | Sở Y tế | Tháng 6/2026 |"),
    ],
)
def test_task_tables_with_the_body_first_or_named_otherwise(header, row):
    (task,) = _tasks(f"{header}\n{row}\n")
    assert (task.text, task.lead_agency, _deadline(task)) == (
        "Kiểm tra an toàn thực phẩm tại các chợ", "Sở Y tế", ("month", "2026-06-01", "2026-06-30"),
    )


# ---------------------------------------------------------------- long repetitive texts (make bench measures speed)


@pytest.mark.parametrize(
    "text,count,lead",
    [
        ("II. NHIỆM VỤ\n" + "1. Sở Tài chính\nChủ trì rà soát.\n" * 3000, 3000, "Sở Tài chính"),
        ("- Các bộ: Tài chính;\n" + "Văn phòng Chính phủ;\n" * 5000, 0, None),
        ("NỘI DUNG HOẠT ĐỘNG\n" * 6000, 0, None),
        ("| Nội dung | Chủ trì | Phối hợp | Thời gian |\n" + "| Rà soát | Sở Y tế; Sở Tài chính | Sở Nội vụ | Quý II/2026 |\n" * 2000, 2000, "Sở Y tế"),
        ("các bộ (sau đây gọi tắt là bộ), " * 3000, 0, None),
        ("II. NHIỆM VỤ\n" + "a) Hồ sơ điều chỉnh phải đảm bảo đầy đủ.\n" * 2500, 2500, None),
    ],
    ids=["headings", "list-cut-after-semicolons", "capitals", "table", "definitions", "unaddressed"],
)
def test_long_repetitive_texts(text, count, lead):
    tasks = _tasks(text)
    assert len(tasks) == count and {t.lead_agency for t in tasks} <= {lead}
