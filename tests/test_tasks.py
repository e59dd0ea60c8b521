"""Task extraction on real documents: which items are tasks, their lead, cooperating agencies and deadline."""

from __future__ import annotations

import pytest
from conftest import fixture_text

from pipeline.models import DocumentFields
from pipeline.parse import parse_text
from pipeline.parse.tasks import find_tasks, intro_lead, own_lead


def _tasks(name: str):
    return parse_text(fixture_text(name)).tasks


def _support(task) -> list[str]:
    return [a.agency for a in task.agencies if a.role == "support"]


def _deadline(task):
    d = task.deadline
    return (d.kind, d.start, d.end) if d else None


def test_dispatch_intro_hands_its_lead_to_every_bullet():
    tasks = _tasks("seed_cong_van.txt")
    assert len(tasks) == 5
    assert {t.lead_agency for t in tasks} == {"Sở Công Thương"}
    first = tasks[0]
    assert first.text.startswith("Chủ trì, phối hợp với Sở Kế hoạch và Đầu tư, Sở Tư pháp")
    assert _support(first) == ["Sở Kế hoạch và Đầu tư", "Sở Tư pháp"]  # `các cơ quan có liên quan` left out
    assert _deadline(first) == ("month", "2024-05-01", "2024-05-31")
    # the citation date of Công văn số 1817/BCT-CTĐP ngày 22/3/2024 is no deadline
    assert tasks[3].deadline is None or tasks[3].deadline.kind is None
    assert tasks[4].text.startswith("Tiếp tục nghiên cứu")  # a numbered item after the bullets


def test_plan_with_attribute_sub_items_and_agency_headings():
    tasks = _tasks("seed_ke_hoach.txt")
    assert len(tasks) == 19
    first = tasks[0]
    assert first.path == "II.1" and "NỘI DUNG THỰC HIỆN" in first.section
    assert first.lead_agency == "Sở Công Thương"
    assert _support(first) == ["Sở Thông tin và Truyền thông"]
    assert _deadline(first) == ("quarter", "2024-04-01", "2024-06-30")
    # the paragraph broken across a blank line is one task
    assert "các sở, ban, ngành, địa phương" in first.text
    # a: Cơ quan chủ trì sub-item gives the lead; UBND … is a definite group, kept
    fifth = tasks[4]
    assert fifth.lead_agency == "Ủy ban nhân dân các huyện, thị xã, thành phố"
    assert _support(fifth) == []
    # `Sở Tư pháp:` heading owns its text; the text starts after the colon
    by_text = {t.text[:25]: t for t in tasks}
    tp = next(t for t in tasks if t.lead_agency == "Sở Tư pháp")
    assert tp.text.startswith("Phối hợp với Sở Công Thương") and _support(tp) == ["Sở Công Thương"]
    noi_vu = next(t for t in tasks if t.lead_agency == "Sở Nội vụ")
    assert "Công Thương để hướng dẫn" in noi_vu.text  # the line broken after `Sở` is joined
    assert by_text and all(t.lead_agency for t in tasks)
    # purposes and requirements (I. MỤC ĐÍCH, YÊU CẦU) give no task
    assert not any(t.path.startswith("I.") for t in tasks)


def test_conclusion_notice_from_ocr():
    tasks = _tasks("ocr_tb_330_vpcp.md")
    assert len(tasks) == 13
    assert tasks[0].lead_agency == "Các bộ, ngành"  # from `các bộ, ngành cần tập trung … sau đây:`
    assert _support(tasks[1]) == ["Bộ Công an"]  # `phối hợp chặt chẽ với Bộ Công an`
    leads = [t.lead_agency for t in tasks]
    assert leads.count("Bộ Công an") == 2 and leads.count("Bộ Thông tin và Truyền thông") == 3
    giao = next(t for t in tasks if t.text.startswith("Giao Bộ Tài chính"))
    # `phối hợp với các bộ, cơ quan liên quan` is left out; `phối hợp với các bộ, ngành` is a definite
    # category, kept (ANNOTATION.md, "Decisions": `support` keeps `các sở, ban, ngành`, `các sở, ngành`)
    assert giao.lead_agency == "Bộ Tài chính" and _support(giao) == ["Các bộ, ngành"]
    assert _deadline(giao) == ("month", "2022-10-01", "2022-10-31")
    person = next(t for t in tasks if t.text.startswith("Phân công"))
    assert person.lead_agency == "Phó Thủ tướng Lê Minh Khái"


@pytest.mark.parametrize(
    "name,count,lead",
    [
        ("tvpl_qd_1056.txt", 11, "Sở Lao động - Thương binh và Xã hội"),
        ("tvpl_qd_3745.txt", 5, "Sở Tài nguyên và Môi trường"),
        ("tvpl_qd_12_2024_ttg.txt", 4, "Bộ Lao động - Thương binh và Xã hội"),
        ("tvpl_tt_09_2024.txt", 3, "Cục Đăng ký và Dữ liệu thông tin đất đai"),
        ("vbpl_tt_489_khen_thuong.txt", 5, "Bộ Dân tộc và Tôn giáo"),
    ],
)
def test_article_that_assigns_work(name, count, lead):
    tasks = _tasks(name)
    assert len(tasks) == count
    assert tasks[0].lead_agency == lead


def test_heading_then_paragraph_and_closing_line():
    tasks = _tasks("vbpl_tt_489_khen_thuong.txt")
    assert [t.lead_agency for t in tasks[3:]] == ["Ủy ban nhân dân cấp tỉnh", "Ủy ban nhân dân cấp xã"]
    assert tasks[3].text.startswith("Chỉ đạo cơ quan chuyên môn")
    assert not any("vướng mắc" in t.text[:80] for t in tasks)  # `Trong quá trình … nếu có vướng mắc` is not a task


def test_adverbial_opening_and_title_before_agency():
    tasks = _tasks("tvpl_qd_12_2024_ttg.txt")
    assert tasks[2].lead_agency == "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"
    assert own_lead("Giám đốc Trung tâm Chứng thực điện tử quốc gia có trách nhiệm tổ chức").name == (
        "Trung tâm Chứng thực điện tử quốc gia"
    )


@pytest.mark.parametrize(
    "name",
    ["tvpl_luat_26_2012.txt", "vbpl_tt_485_no_tasks.txt", "ocr_cv_4222_tct.md"],
)
def test_documents_that_assign_no_work(name):
    """Regulations, a law, the `chịu trách nhiệm thi hành` closing and a recipients list give nothing."""
    assert _tasks(name) == []


def test_spans_point_at_the_task_text():
    for name in ("seed_ke_hoach.txt", "ocr_tb_330_vpcp.md", "tvpl_qd_1056.txt"):
        text = fixture_text(name)
        for t in parse_text(text).tasks:
            assert text[t.char_start : t.char_end] == t.text
            if t.deadline and t.deadline.char_start >= 0:
                assert t.char_start <= t.deadline.char_start < t.deadline.char_end <= t.char_end


def test_task_table_rows():
    text = (
        "II. NHIỆM VỤ CỤ THỂ\n"
        "| STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
        "| I | Công tác tuyên truyền | | | |\n"
        "| 1 | Tổ chức tuyên truyền, phổ biến Đề án | Sở TT&TT | Sở Tư pháp, UBND các huyện, thị xã, thành phố | Quý II/2024 |\n"
        "| 2 | Rà soát các văn bản | Sở Tư pháp | Các sở, ban, ngành liên quan | Trước ngày 30/6/2024 |\n"
    )
    tasks = find_tasks(text, DocumentFields(issue_year=2024))
    assert [t.lead_agency for t in tasks] == ["Sở Thông tin và Truyền thông", "Sở Tư pháp"]
    assert tasks[0].section == "Công tác tuyên truyền"
    assert _support(tasks[0]) == ["Sở Tư pháp", "Ủy ban nhân dân các huyện, thị xã, thành phố"]
    assert _support(tasks[1]) == []
    assert _deadline(tasks[0]) == ("quarter", "2024-04-01", "2024-06-30")
    assert _deadline(tasks[1]) == ("date", None, "2024-06-30")
    assert text[tasks[0].char_start : tasks[0].char_end] == tasks[0].text


def test_quoted_amendment_and_purpose_are_not_tasks():
    text = (
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Sở Tư pháp chủ trì rà soát văn bản.\n"
        "II. TỔ CHỨC THỰC HIỆN\n"
        "1. Sửa đổi khoản 4 Điều 23 như sau:\n“4. Sở Tài chính có trách nhiệm bố trí kinh phí.”\n"
        "2. Sở Y tế chủ trì, phối hợp với Sở Tài chính triển khai Kế hoạch này.\n"
    )
    tasks = find_tasks(text, DocumentFields(issue_year=2024))
    assert [(t.path, t.lead_agency, _support(t)) for t in tasks] == [("II.2", "Sở Y tế", ["Sở Tài chính"])]


def test_intro_lead_needs_one_agency():
    assert intro_lead("giao Sở Công Thương chủ trì, phối hợp với các cơ quan thực hiện một số nhiệm vụ sau:").name == (
        "Sở Công Thương"
    )
    assert intro_lead("Sở Tài nguyên và Môi trường, UBND huyện Châu Thành có trách nhiệm thực hiện các công việc sau:") is None


def test_dispatch_without_task_heading_takes_items_that_name_their_agency():
    text = (
        "Thực hiện Chỉ thị số 05/CT-TTg ngày 01/02/2024 của Thủ tướng Chính phủ, UBND tỉnh có ý kiến như sau:\n\n"
        "1. Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với Sở Xây dựng, Sở KH&ĐT rà soát quỹ đất, "
        "báo cáo UBND tỉnh trước ngày 30/4/2024.\n\n"
        "2. Sở Tài chính tham mưu bố trí kinh phí thực hiện trong Quý II/2024.\n\n"
        "3. UBND các huyện, thành phố, thị xã:\n\n"
        "a) Tổ chức tuyên truyền Chỉ thị đến người dân;\n\n"
        "b) Phối hợp với Sở Tư pháp kiểm tra việc thực hiện, hoàn thành trong tháng 6/2024.\n\n"
        "4. Đề nghị các đơn vị quan tâm, phối hợp thực hiện.\n\n"
        "Yêu cầu các đơn vị triển khai thực hiện./.\n"
    )
    tasks = find_tasks(text, DocumentFields(doc_type="Công văn", issue_year=2024))
    assert [(t.path, t.lead_agency) for t in tasks] == [
        ("1", "Sở Tài nguyên và Môi trường"),
        ("2", "Sở Tài chính"),
        ("3.a", "Ủy ban nhân dân các huyện, thành phố, thị xã"),
        ("3.b", "Ủy ban nhân dân các huyện, thành phố, thị xã"),
    ]
    assert _support(tasks[0]) == ["Sở Xây dựng", "Sở Kế hoạch và Đầu tư"]
    assert [_deadline(t) for t in tasks] == [
        ("date", None, "2024-04-30"),
        ("quarter", "2024-04-01", "2024-06-30"),
        None,
        ("month", "2024-06-01", "2024-06-30"),
    ]


def test_membership_list_is_not_a_task():
    text = "Điều 1. Thành lập Ban Chỉ đạo, gồm các thành viên sau:\n1. Giám đốc Sở Y tế - Trưởng ban;\n2. Phó Giám đốc Sở Tài chính - Thành viên.\n"
    assert find_tasks(text, DocumentFields(doc_type="Quyết định", issue_year=2024)) == []


def test_an_item_that_is_only_an_agency_assigns_nothing():
    """A recipient list under the executing article, its ``Nơi nhận:`` lost to OCR, gives no task."""
    text = (
        "QUYẾT ĐỊNH\n"
        "Điều 3. Chánh Văn phòng, Vụ trưởng Vụ Kế hoạch - Tài chính chịu trách nhiệm thi hành Quyết định này.\n"
        "- Như Điều 3;\n"
        "- Văn phòng Chính phủ (Cục KSTTHC);\n"
        "- UBND các tỉnh, thành phố trực thuộc trung ương;\n"
        "- Sở Tài chính.\n"
    )
    assert parse_text(text).tasks == []
