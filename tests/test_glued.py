"""Words a web page glued together are split back into syllables; words printed right are left alone."""

from __future__ import annotations

import random

import pytest

from pipeline.parse import parse_text
from pipeline.parse.glued import is_syllable, unglue

SUBJECTS = [
    "BAN HÀNH KẾ HOẠCH THỰC HIỆN CHƯƠNG TRÌNH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024",
    "VỀ VIỆC TĂNG CƯỜNG CÔNG TÁC QUẢN LÝ NHÀ NƯỚC ĐỐI VỚI HOẠT ĐỘNG KHOÁNG SẢN",
    "KIỂM TRA THỰC HIỆN XÂY DỰNG TRƯỜNG THCS ĐẠT CHUẨN QUỐC GIA",
    "QUY CHẾ PHỐI HỢP GIỮA CÁC CƠ QUAN CHUYÊN MÔN THUỘC ỦY BAN NHÂN DÂN TỈNH",
]


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("seed", range(4))
def test_glued_syllables_are_split_back(subject, seed):
    """Spaces dropped between random neighbouring syllables, as a site prints them; unglued, the text is whole."""
    rng = random.Random(f"{subject}{seed}")
    words = subject.split(" ")
    out = [words[0]]
    for w in words[1:]:
        glue = rng.random() < 0.4 and out[-1][-1:].isalpha() and w[:1].isalpha()
        out[-1:] = [out[-1] + w] if glue else [out[-1], w]
    assert unglue(" ".join(out)) == subject


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Khuyến", "NGHIÊNG", "bồi dưỡngvà cấp chứng chỉ", "ASEAN", "UNESCO", "INTERNET", "LOGISTICS", "THUYỀN", "KHUỶU", "Trường THCS Lương Thế Vinh", "Ủy ban nhân dân tỉnh Quảng Bình", "COVID-19", "Hà Nội"],
)
def test_words_printed_right_are_left_alone(text):
    """(A lower-case run is a line join of a site's text, kept as the text gives it.)"""
    assert unglue(text) == text


def test_syllable_shape():
    assert all(is_syllable(w) for w in ("nghiêng", "quyết", "gì", "ướt", "đoàn", "khuya"))
    assert not any(is_syllable(w) for w in ("banhành", "pháttriển", "thcs", "xyz"))


def test_a_glued_title_and_subject_in_a_sites_header():
    text = (
        "UBND HUYỆN THÁI THỤY PHÒNG GIÁO DỤC & ĐÀO TẠO ------ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc Thụy Dương, ngày 07 tháng 12 năm2010BÁOCÁOKIỂMTRA THỰC HIỆN "
        "XÂY DỰNGTRƯỜNGTHCSĐẠTCHUẨNQUỐCGIA Đơn vị: TrườngTHCS Thụy Dương - Thực hiện theo Thông tư "
        "06/2010/TT-BGĐT ngày 26/02/2010 của Bộ GD&ĐT về việc ban hành Quy chế công nhận trường."
    )
    f = parse_text(text).fields
    assert (f.doc_type, f.subject) == ("Báo cáo", "KIỂM TRA THỰC HIỆN XÂY DỰNG TRƯỜNG THCS ĐẠT CHUẨN QUỐC GIA")
