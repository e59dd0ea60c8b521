"""The OCR diacritic corrector: Tesseract's usual misreadings put right, clean text left exactly as it is.

The misreadings below are Tesseract's own on Vietnamese administrative scans, and those of the OCR'd
fixtures committed beside the clean ones (``ocr_*.md``).
"""

from __future__ import annotations

import importlib.util

import pytest

from pipeline.ingest import ocr_lexicon
from pipeline.ingest.ocr_fixes import fix_labels, fix_line, fix_symbols
from pipeline.ingest.ocr_lexicon import LEXICON, Lexicon, correct, key, possible

from conftest import FIXTURES, ROOT, fixture_text

CLEAN = sorted(p.name for p in (FIXTURES / "docs").glob("*.txt"))


@pytest.mark.parametrize(
    ("ocr", "printed"),
    [
        ("Quyêt định này có hiệu lực kê từ ngày ký.", "Quyết định này có hiệu lực kể từ ngày ký."),
        ("hoạt động kiêm định chât lượng giáo dục", "hoạt động kiểm định chất lượng giáo dục"),
        ("UBND các tỉnh, thành phô trực thuộc trung ương;", "UBND các tỉnh, thành phố trực thuộc trung ương;"),
        ("sửa đổi, bổ sung một số điêu của Luật Giáo dục", "sửa đổi, bổ sung một số điều của Luật Giáo dục"),
        ("hướng dẫn tô chức công tác phát triên", "hướng dẫn tổ chức công tác phát triển"),
        ("của Chính phú quy định chức năng, nhiệm vụ, quyên hạn", "của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn"),
        ("Theo đê nghị của Vụ trưởng", "Theo đề nghị của Vụ trưởng"),
        ("thành lập Hội đông thẩm định", "thành lập Hội đồng thẩm định"),
        ("Bộ Giáo đục và Dào tạo", "Bộ Giáo dục và Đào tạo"),  # đ and d confused both ways
        # ocr_cv_4222_tct.md and ocr_tb_330_vpcp.md
        ("cơ quan có thâm quyền sửa đổi", "cơ quan có thẩm quyền sửa đổi"),
        ("nghĩa vụ thuế của người nộp thuê.", "nghĩa vụ thuế của người nộp thuế."),
        ("phối hợp trién khai kết nối", "phối hợp triển khai kết nối"),
        ("dữ liệu, hệ thông thông tin", "dữ liệu, hệ thống thông tin"),
        ("nội dung vượt thấm quyền", "nội dung vượt thẩm quyền"),
    ],
)
def test_tesseract_misreadings_are_put_right(ocr, printed):
    assert correct(ocr) == printed


@pytest.mark.parametrize(
    ("ocr", "printed"),
    [
        ("TÔ CHỨC THỰC HIỆN", "TỔ CHỨC THỰC HIỆN"),
        ("Tô chức thực hiện", "Tổ chức thực hiện"),
        ("QUYÊT ĐỊNH", "QUYẾT ĐỊNH"),
        ("Căn cứ  Nghị định   của Chính phú", "Căn cứ  Nghị định   của Chính phủ"),  # spacing kept
    ],
)
def test_case_and_spacing_are_kept(ocr, printed):
    assert correct(ocr) == printed


@pytest.mark.parametrize(
    "text",
    [
        "Số: 2676/QĐ-BGDĐT",
        "Căn cứ Nghị định số 37/2025/NĐ-CP ngày 26/02/2025",
        "Lưu: VT, Vụ HSSV.",
        "Cổng TTĐT Bộ GDĐT",
        "thuộc các lĩnh vực STEM",
        "hướng dẫn TÔ chức",  # a word in capitals alone is an abbreviation, not a heading
        "kinh phí 1.500 tỷ đồng",
        "tổ chức cuộc họp với Bộ",  # a known word in a context the lexicon never saw: left alone
        "- Bộ trưởng (đê b/c);",  # no neighbour to go by
        "Covid Internet Facebook",
        "",
        "   ",
    ],
)
def test_symbols_numbers_abbreviations_and_doubt_are_left_alone(text):
    assert correct(text) == text


@pytest.mark.parametrize("name", CLEAN)
def test_clean_fixture_text_is_left_exactly_as_it_is(name):
    lines = fixture_text(name).splitlines()
    changed = [(line, out) for line in lines if (out := correct(line)) != line]
    assert changed == []


def _builder():
    spec = importlib.util.spec_from_file_location("build_ocr_lexicon", ROOT / "scripts" / "build_ocr_lexicon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_clean_text_the_lexicon_never_saw_is_hardly_touched():
    """Precision on unseen text: with one document (and its copies) left out of the lexicon, the corrector
    changes almost none of its words. The shipped lexicon's zero changes on the fixtures prove less."""
    build = _builder()
    held_out = "vbpl_tt_06_2025_ttcp.txt"
    paths = [p for p in build.documents() if p.name != held_out]
    uni, bi, spellings = build.count(build.source_lines(paths, build.rule_names()))
    lex = Lexicon(dict(uni), dict(bi), {k: c.most_common(1)[0][0] for k, c in spellings.items()})
    words = changed = 0
    for line in fixture_text(held_out).splitlines():
        out = correct(line, lex)
        words += len(line.split())
        changed += sum(a != b for a, b in zip(line.split(), out.split()))
    assert words > 10_000
    assert changed / words < 0.002


def test_shipped_lexicon_is_small_and_says_how_it_was_made():
    head = LEXICON.read_text(encoding="utf-8")[:2000]
    assert LEXICON.stat().st_size < 1_000_000
    assert "scripts/build_ocr_lexicon.py" in head and "Sources:" in head
    lex = ocr_lexicon.lexicon()
    assert len(lex.uni) > 1000 and len(lex.bi) > 10_000
    assert "shared" not in head  # evaluation material is never a source


def test_tone_placement_is_one_syllable():
    assert key("hoà") == key("hòa") == "hoa2"
    assert key("Uỷ") == key("ủy")
    assert correct("Uỷ ban nhân dân tỉnh") == "Uỷ ban nhân dân tỉnh"


def test_impossible_syllables():
    assert not possible(key("kêt")) and not possible(key("chât")) and not possible(key("tiê"))
    assert possible(key("kết")) and possible(key("chật")) and possible(key("tiên"))


def test_fix_line_repairs_diacritics_with_the_rest():
    assert fix_line("Sô: 12/QĐ-UBND") == "Số: 12/QĐ-UBND"
    assert fix_line("Quyêt định này có hiệu lực kê từ ngày ký.") == "Quyết định này có hiệu lực kể từ ngày ký."


def test_lexicon_is_read_once():
    assert ocr_lexicon.lexicon() is ocr_lexicon.lexicon()


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("theo Quyết định số 1766/QĐ-BGDDT ngày", "theo Quyết định số 1766/QĐ-BGDĐT ngày"),
        ("Công văn 12/SKHDT-KT", "Công văn 12/SKHĐT-KT"),
        ("số 45/KH-UBND", "số 45/KH-UBND"),  # already a code: left
        ("số 3418/BVNTW", "số 3418/BVNTW"),  # not a code either way: left
        ("Nghị định 08/2014/ND-CP", "Nghị định 08/2014/ND-CP"),  # ND is a code the rules accept as printed
        ("DỰ THẢO ĐỢT 2", "DỰ THẢO ĐỢT 2"),  # no symbol
    ],
)
def test_d_read_for_dj_in_a_symbol_code(read, printed):
    assert fix_symbols(read) == printed


def test_recipients_label_broken_by_ocr_is_put_back():
    lines = ["chịu trách nhiệm thi hành Quyết định này.", "Nơi nhà", "nhận:", "_ Như Điều 3;", "- Bộ trưởng (để báo cáo);"]
    fixed = fix_labels([fix_line(p) for p in lines])
    assert fixed[1:4] == ["Nơi nhận:", "- Như Điều 3;", "- Bộ trưởng (để báo cáo);"]
    assert fix_labels(["Noi nhan:", "- Như trên;"]) == ["Nơi nhận:", "- Như trên;"]
    # without the list after it, a line that merely starts alike is left alone
    assert fix_labels(["Nơi nhà", "ở của ông A"]) == ["Nơi nhà", "ở của ông A"]


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("Quyết định số 12§4/QĐ-BGDĐT ngày", "Quyết định số 1284/QĐ-BGDĐT ngày"),  # § for 8 inside a number
        ("Quyết định số 973⁄/QĐ-BGDĐT ngày", "Quyết định số 973/QĐ-BGDĐT ngày"),  # a fraction slash doubling /
        ("Luật số 34/2018/OH14;", "Luật số 34/2018/QH14;"),  # a National Assembly term's Q read as O
        ("Nghị định số 1 18/2025/NĐ-CP ngày", "Nghị định số 118/2025/NĐ-CP ngày"),  # `số` names one number
        ("Điều 1 15/3/2024", "Điều 1 15/3/2024"),  # no `số`: two numbers stay two
        ("theo mục § 3", "theo mục § 3"),  # a section sign that is one
        ("năm 2018/OH", "năm 2018/OH"),  # no term number: left
    ],
)
def test_misread_characters_of_a_document_number(read, printed):
    assert fix_symbols(read) == printed
