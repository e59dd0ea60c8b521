"""Tasks read the same whatever the width a source wrapped the text at (issue 16, layout variants).

A crawler or a PDF copy hard-wraps lines at any word: inside an agency's name (`Sở Công` / `Thương`),
inside the words of a rule (`chịu trách nhiệm` / `thi hành`), before a cited article (`Điều 1, Quyết định
này`), inside a site's `[…]` note. Each excerpt below (wording of the development documents, other bodies)
is parsed whole and wrapped at widths from 40 to 90 characters; the tasks must not change."""

from __future__ import annotations

import pytest

from pipeline.layout_variants import wrap
from pipeline.models import DocumentFields
from pipeline.parse.tasks import find_tasks


def _summary(text: str, doc_type: str = "Quyết định"):
    tasks = find_tasks(text, DocumentFields(doc_type=doc_type, issue_year=2024))
    return [
        (" ".join(t.text.split())[:40], t.lead_agency, sorted(a.agency for a in t.agencies if a.role == "support"))
        for t in tasks
    ]


def _wrapped(text: str, width: int) -> str:
    return "\n".join(wrap(text.split("\n"), width))


PLAN = """III. TỔ CHỨC THỰC HIỆN

1. Sở Công Thương

- Chủ trì, phối hợp các cơ quan, đơn vị, địa phương tham mưu UBND tỉnh tổ chức triển khai thực hiện Nghị định số 32/2024/NĐ-CP và Kế hoạch này trên địa bàn tỉnh.

- Tổng hợp, báo cáo UBND tỉnh, Bộ Công Thương việc tổ chức triển khai thực hiện Kế hoạch này.

2. Sở Tài nguyên và Môi trường: Chủ trì, phối hợp với UBND các huyện, thị xã, thành phố và các đơn vị liên quan rà soát quỹ đất.

3. Sở Kế hoạch và Đầu tư: Phối hợp với Sở Công Thương, UBND các huyện, thị xã, thành phố tổ chức các hoạt động xúc tiến đầu tư các cụm công nghiệp trên địa bàn tỉnh.
"""

DECISION = """Điều 2. Tổ chức thực hiện:
1. Thời gian thực hiện mức trợ giúp cho các đối tượng áp dụng trên địa bàn tỉnh:
- Đối với các đối tượng đang hưởng trợ giúp xã hội theo Nghị định số 67/2007/NĐ-CP thì được chuyển sang hưởng mức trợ giúp quy định tại Điều 1, Quyết định này kể từ ngày 01/01/2010;
2. Sở Lao động - Thương binh và Xã hội có trách nhiệm:
- Quản lý chặt chẽ đối tượng bảo trợ xã hội trên địa bàn tỉnh;
- Chủ trì phối hợp với Sở Tài chính, Sở Kế hoạch và Đầu tư hướng dẫn, kiểm tra, giám sát cấp huyện tổ chức thực hiện chính sách trợ giúp các đối tượng bảo trợ xã hội;
3. Văn phòng UBND tỉnh có trách nhiệm đăng tải Quyết định này lên cổng thông tin điện tử của UBND tỉnh.
Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính và Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.
"""

CIRCULAR = """Điều 19. Trách nhiệm tổ chức thực hiện
1. Cục Đăng ký và Dữ liệu thông tin đất đai [Cụm từ này bị thay thế bởi Điểm a Khoản 3 Điều 10 Thông tư 23/2025/TT-BNNMT có hiệu lực từ ngày 01/07/2025] có trách nhiệm kiểm tra việc thực hiện Thông tư này.
2. Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương có trách nhiệm phổ biến, chỉ đạo, thực hiện Thông tư này.
3. Các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Thông tư này.
"""


@pytest.mark.parametrize("text, doc_type", [(PLAN, "Kế hoạch"), (DECISION, "Quyết định"), (CIRCULAR, "Thông tư")])
@pytest.mark.parametrize("width", range(40, 91, 7))
def test_tasks_do_not_depend_on_the_wrapping(text, doc_type, width):
    whole = _summary(text, doc_type)
    assert whole, "the excerpt assigns work"
    assert _summary(_wrapped(text, width), doc_type) == whole


def test_what_each_excerpt_gives():
    """The unwrapped excerpts themselves, read right (the reference the wrapped prints are held to)."""
    plan = _summary(PLAN, "Kế hoạch")
    assert [lead for _, lead, _ in plan] == [
        "Sở Công Thương", "Sở Công Thương", "Sở Tài nguyên và Môi trường", "Sở Kế hoạch và Đầu tư",
    ]
    assert plan[2][2] == ["Ủy ban nhân dân các huyện, thị xã, thành phố"]
    assert plan[3][2] == ["Sở Công Thương", "Ủy ban nhân dân các huyện, thị xã, thành phố"]
    decision = _summary(DECISION)
    assert [lead for _, lead, _ in decision] == ["Sở Lao động - Thương binh và Xã hội"] * 2 + ["Văn phòng Ủy ban nhân dân tỉnh"]
    circular = _summary(CIRCULAR, "Thông tư")
    assert [lead for _, lead, _ in circular] == [
        "Cục Đăng ký và Dữ liệu thông tin đất đai", "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương",
    ]


def test_a_heading_then_its_text_after_a_blank_line_stay_apart():
    """A numbered line that names a body and its duty, then a blank line: the text below is its own item."""
    text = (
        "II. NHIỆM VỤ\n5.2. Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng\n\n"
        "Chủ trì, phối hợp chặt chẽ với Công an tỉnh đấu tranh phòng, chống tội phạm về ma túy.\n"
    )
    (task,) = find_tasks(text, DocumentFields(doc_type="Kế hoạch", issue_year=2026))
    assert task.text.startswith("Chủ trì") and task.lead_agency == "Bộ Chỉ huy quân sự tỉnh"


def test_a_numbered_heading_in_words_of_action_keeps_its_text_apart():
    """`2. Tăng cường công tác tuyên truyền …` is a heading of a plan, the body's sentence below has its own
    subject; a dash item that begins a duty (`- Chủ trì, phối hợp … tham mưu`) wraps onto the next line."""
    text = (
        "III. GIẢI PHÁP THỰC HIỆN\n2. Tăng cường công tác tuyên truyền, phổ biến về Chỉ số CCHC\n"
        "Các bộ, cơ quan, địa phương tổ chức tuyên truyền, phổ biến về mục tiêu, nội dung Chỉ số CCHC.\n"
    )
    tasks = find_tasks(text, DocumentFields(doc_type="Đề án", issue_year=2025))
    assert [t.text[:28] for t in tasks] == ["Các bộ, cơ quan, địa phương "]
    dashed = "1. Sở Công Thương\n- Chủ trì, phối hợp các cơ quan, đơn vị, địa phương tham mưu\nUBND tỉnh tổ chức triển khai Kế hoạch.\n"
    (task,) = find_tasks("III. TỔ CHỨC THỰC HIỆN\n" + dashed, DocumentFields(doc_type="Kế hoạch", issue_year=2025))
    assert task.lead_agency == "Sở Công Thương" and "UBND tỉnh tổ chức" in task.text


ATTRIBUTES = """II. NỘI DUNG THỰC HIỆN
1. Rà soát các văn bản pháp luật hiện hành liên quan đến quản lý cụm công nghiệp.
- a) Cơ quan chủ trì: Sở Công Thương.
- b) Cơ quan phối hợp: Sở Tư pháp và các sở, ban, ngành có liên quan.
- c) Thời gian thực hiện: Quý II năm 2024.
2. Triển khai giải pháp quản lý đối với các cụm công nghiệp rút khỏi quy hoạch.
- a) Cơ quan chủ trì: UBND các huyện, thị xã, thành phố.
- b) Cơ quan phối hợp: Sở Tài nguyên và Môi trường.
"""


@pytest.mark.parametrize("dash", ["-", "+", "•", ""])
@pytest.mark.parametrize("alpha", [")", "/", "."])
@pytest.mark.parametrize("number", [".", ")"])
def test_list_markers_of_any_office(dash, alpha, number):
    """`a/`, `a.` for `a)`; `+`, `•` or nothing before them; `1)` for `1.`: the same two tasks."""
    text = ATTRIBUTES.replace("- a)", f"{dash} a{alpha}".strip()).replace("- b)", f"{dash} b{alpha}".strip())
    text = text.replace("- c)", f"{dash} c{alpha}".strip()).replace("1. ", f"1{number} ").replace("2. ", f"2{number} ")
    got = [(t.lead_agency, sorted(a.agency for a in t.agencies if a.role == "support"), t.deadline.kind if t.deadline else None)
           for t in find_tasks(text, DocumentFields(doc_type="Kế hoạch", issue_year=2024))]
    assert got == [
        ("Sở Công Thương", ["Sở Tư pháp"], "quarter"),
        ("Ủy ban nhân dân các huyện, thị xã, thành phố", ["Sở Tài nguyên và Môi trường"], None),
    ]
