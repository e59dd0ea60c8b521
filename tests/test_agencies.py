"""Agency names: the rule files' own examples, the contract's cases, spans, speed, and the gold."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from pipeline import rules
from pipeline.parse import agencies
from pipeline.parse.agencies import AgencyMention, canonical_agency, find_agencies, issuer_name, successor

AG = rules.load("agencies")
PL = rules.load("places")
GOLD = Path(os.environ.get("VANBAN_GOLD", Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"))


# ---------------------------------------------------------------- rule files

PATTERN_CASES = [
    (name, text, should)
    for name, sec in AG["patterns"].items()
    for should, key in ((True, "must_match"), (False, "must_not_match"))
    for text in sec[key]
]


@pytest.mark.parametrize("name,text,should", PATTERN_CASES)
def test_agency_patterns(name, text, should):
    assert bool(rules.compile_pattern(AG["patterns"][name]["pattern"]).search(text)) is should


PLACE_CASES = [(t, True) for t in PL["place_pattern"]["must_match"]] + [(t, False) for t in PL["place_pattern"]["must_not_match"]]


@pytest.mark.parametrize("text,should", PLACE_CASES)
def test_place_pattern(text, should):
    assert bool(rules.compile_pattern(agencies.PLACE_PATTERN).search(text)) is should


def test_places_63_to_34():
    old = {p["name"] for p in PL["old"]}
    new = PL["new"]
    assert len(old) == 63 and len(new) == 34
    merged = [o for n in new for o in n["from"]]
    assert sorted(merged) == sorted(old)  # every old unit goes into exactly one new one
    assert sum(n["kind"] == "thành phố" for n in new) == 6
    assert all(p["kind"] in ("tỉnh", "thành phố") for p in PL["old"] + new)


def test_rule_file_counts():
    assert len(AG["example"]) >= 40
    names = [a["name"] for a in AG["agency"]]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("example", AG["example"], ids=lambda e: e["text"][:50])
def test_examples(example):
    assert [m.name for m in find_agencies(example["text"])] == example["expected"]


# ---------------------------------------------------------------- canonical_agency

CANONICAL = [
    ("Sở KHĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở GD&ĐT tỉnh Kon Tum", "Sở Giáo dục và Đào tạo tỉnh Kon Tum"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("UBND các huyện, thành phố", "Ủy ban nhân dân các huyện, thành phố"),
    ("UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
    ("BQL Khu kinh tế", "Ban Quản lý Khu kinh tế"),
    ("BQL Khu KTCK Đồng Đăng - Lạng Sơn", "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn"),
    ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("BỘ TÀI CHÍNH", "Bộ Tài chính"),
    ("UBND TỈNH LẠNG SƠN", "Ủy ban nhân dân tỉnh Lạng Sơn"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội"),
    ("TỔNG CỤC THUẾ", "Tổng cục Thuế"),
    ("TỎNG CỤC THUÊ", "Tổng cục Thuế"),
    ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
    ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bộ Lao động - Thương binh và Xã hội"),
    ("Sở Lao động-Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
    ("Uỷ ban nhân dân tỉnh Khánh Hoà", "Ủy ban nhân dân tỉnh Khánh Hòa"),
    ("Toà án nhân dân tối cao", "Tòa án nhân dân tối cao"),
    ("Viện kiểm sát Nhân dân Tối cao", "Viện kiểm sát nhân dân tối cao"),
    ("Sở Tài chính;", "Sở Tài chính"),
    ("- Bộ Tư pháp (để b/c);", "Bộ Tư pháp"),
    ("Sở Nội vụ (Ban Thi đua - Khen thưởng tỉnh)", "Sở Nội vụ"),
    ("TTgCP", "Thủ tướng Chính phủ"),
    ("NHNN", "Ngân hàng Nhà nước Việt Nam"),
    ("BKHĐT", "Bộ Kế hoạch và Đầu tư"),
    ("Ủy ban TW Mặt trận tổ quốc Việt Nam", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
    ("UBND tỉnh, thành phố trực thuộc TW", "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"),
    ("UBND TỈNH, THÀNH PHỐ TRỰC THUỘC TW", "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"),
    ("UBND TP.HCM", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("UBND TP. Đà Nẵng", "Ủy ban nhân dân thành phố Đà Nẵng"),
    ("ỦY BAN NHÂN DÂN QUẬN 1", "Ủy ban nhân dân Quận 1"),
    ("UBND HUYỆN CHÂU THÀNH", "Ủy ban nhân dân huyện Châu Thành"),
    ("TRUNG TÂM CHỨNG THỰC ĐIỆN TỬ QUỐC GIA", "Trung tâm Chứng thực điện tử quốc gia"),
    ("CỤC ĐĂNG KÝ VÀ DỮ LIỆU THÔNG TIN ĐẤT ĐAI", "Cục Đăng ký và Dữ liệu thông tin đất đai"),
    ("CỤC THUẾ TỈNH BÌNH DƯƠNG", "Cục Thuế tỉnh Bình Dương"),
    ("BỆNH VIỆN NHI TRUNG ƯƠNG", "Bệnh viện Nhi Trung ương"),
    ("ủy ban nhân dân tỉnh lạng sơn", "Ủy ban nhân dân tỉnh Lạng Sơn"),
    ("Phó Thủ tướng Lê Minh Khái", "Phó Thủ tướng Lê Minh Khái"),  # unknown: kept as printed
    ("các bộ, ngành", "Các bộ, ngành"),
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"),
    # another correct spelling of a canonical name is kept as printed; abbreviations take the lexicon's
    ("Viện Kiểm sát nhân dân tối cao", "Viện Kiểm sát nhân dân tối cao"),
    ("VKSNDTC", "Viện kiểm sát nhân dân tối cao"),
    ("Bộ Chỉ huy quân sự tỉnh", "Bộ Chỉ huy quân sự tỉnh"),
    ("BCHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
    # a level before a number or a full place name keeps its printed case (both are written)
    ("UBND quận 8", "Ủy ban nhân dân quận 8"),
    ("UBND Phường 2 Bảo Lộc", "Ủy ban nhân dân Phường 2 Bảo Lộc"),
    ("Sở GD&ĐT thành phố Hồ Chí Minh", "Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh"),
    ("Bảo hiểm xã hội Thành phố Hồ Chí Minh", "Bảo hiểm xã hội Thành phố Hồ Chí Minh"),
]


@pytest.mark.parametrize("raw,expected", CANONICAL)
def test_canonical_agency(raw, expected):
    assert canonical_agency(raw) == expected


def test_canonical_agency_province_completes_bare_level():
    assert canonical_agency("UBND tỉnh", province="Lạng Sơn") == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert canonical_agency("UBND tỉnh Bình Thuận", province="Lạng Sơn") == "Ủy ban nhân dân tỉnh Bình Thuận"


@pytest.mark.parametrize("raw", ["", "   ", "-", "(để b/c)", "???", "\u0301", "a" * 300, "Ð", "123/QĐ-UBND"])
def test_canonical_agency_never_raises(raw):
    assert isinstance(canonical_agency(raw), str)


# ---------------------------------------------------------------- issuer_name

ISSUERS = [
    (["UBND TỈNH LẠNG SƠN", "VĂN PHÒNG"], "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"),
    (["UBND TỈNH X", "SỞ TÀI CHÍNH"], "Sở Tài chính tỉnh X"),
    (["BỘ TÀI CHÍNH", "TỔNG CỤC THUẾ"], "Tổng cục Thuế"),
    (["CHÍNH PHỦ"], "Chính phủ"),
    (["BỘ TÀI CHÍNH - BỘ CÔNG THƯƠNG"], "Bộ Tài chính - Bộ Công Thương"),
    (["QUỐC HỘI"], "Quốc hội"),
    (["TÒA ÁN NHÂN DÂN TỐI CAO", "HỘI ĐỒNG THẨM PHÁN"], "Hội đồng Thẩm phán Tòa án nhân dân tối cao"),
    (["HỘI ĐỒNG THẨM PHÁN TÒA ÁN NHÂN DÂN TỐI CAO -------"], "Hội đồng Thẩm phán Tòa án nhân dân tối cao"),
    (["ỦY BAN THƯỜNG VỤ QUỐC HỘI"], "Ủy ban Thường vụ Quốc hội"),
    (["UỶ BAN THƯỜNG VỤ QUỐC HỘI ********"], "Ủy ban Thường vụ Quốc hội"),
    (["VĂN PHÒNG QUỐC HỘI"], "Văn phòng Quốc hội"),
    (["THỦ TƯỚNG CHÍNH PHỦ"], "Thủ tướng Chính phủ"),
    (["CHỦ TỊCH NƯỚC"], "Chủ tịch nước"),
    (["BỘ Y TẾ", "BỆNH VIỆN NHI TRUNG ƯƠNG"], "Bệnh viện Nhi Trung ương"),
    (["ỦY BAN NHÂN DÂN", "TỈNH KON TUM"], "Ủy ban nhân dân tỉnh Kon Tum"),
    (["NGÂN HÀNG NHÀ NƯỚC", "VIỆT NAM", "-------------"], "Ngân hàng Nhà nước Việt Nam"),
    (["BỘ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"], "Bộ Lao động - Thương binh và Xã hội"),
    (["TỎNG CỤC THUÊ"], "Tổng cục Thuế"),
    (["VAN PHONG CHÍNH PHU"], "Văn phòng Chính phủ"),
    (["VAN PHONG CHÍNH PHU CONG HOA XÃ HOI CHỦ NGHĨA VIỆT NAM"], "Văn phòng Chính phủ"),
    (["BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỎNG CỤC THUÊ Độc lập — Tự do — Hạnh phúc"], "Tổng cục Thuế"),
    (["UỶ BAN NHÂN DÂN TỈNH TUYÊN QUANG --------"], "Ủy ban nhân dân tỉnh Tuyên Quang"),
    (["BỘ TÀI CHÍNH", "BỘ CÔNG THƯƠNG"], "Bộ Tài chính - Bộ Công Thương"),
    (
        ["BỘ TƯ PHÁP - BỘ CÔNG AN - BỘ QUỐC PHÒNG - BỘ TÀI CHÍNH - TÒA ÁN NHÂN DÂN TỐI CAO - VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO"],
        "Bộ Tư pháp - Bộ Công an - Bộ Quốc phòng - Bộ Tài chính - Tòa án nhân dân tối cao - Viện kiểm sát nhân dân tối cao",
    ),
    (["UBND TỈNH X", "THANH TRA TỈNH"], "Thanh tra tỉnh X"),
    (["BỘ XÂY DỰNG", "THANH TRA"], "Thanh tra Bộ Xây dựng"),
    (["BỘ TÀI CHÍNH", "VỤ PHÁP CHẾ"], "Vụ Pháp chế Bộ Tài chính"),
    (["UBND TỈNH X", "SỞ Y TẾ", "BỆNH VIỆN ĐA KHOA"], "Bệnh viện Đa khoa tỉnh X"),
    (["UBND HUYỆN CHÂU THÀNH", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"], "Phòng Tài chính - Kế hoạch huyện Châu Thành"),
    (["QUỐC HỘI --------", "132/2020/QH14"], "Quốc hội"),
    (["**CHÍNH PHỦ**", "-------"], "Chính phủ"),
    ([], None),
    (["-------", "Số: 12/QĐ-UBND"], None),
]


@pytest.mark.parametrize("lines,expected", ISSUERS, ids=lambda v: " / ".join(v) if isinstance(v, list) else None)
def test_issuer_name(lines, expected):
    assert issuer_name(lines) == expected


# ---------------------------------------------------------------- successor

SUCCESSORS = [
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
    ("Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"),
    ("BTNMT", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"),
    ("Bộ Giao thông vận tải", "Bộ Xây dựng"),
    ("Bộ Lao động - Thương binh và Xã hội", "Bộ Nội vụ"),
    ("Ủy ban Dân tộc", "Bộ Dân tộc và Tôn giáo"),
    ("Tổng cục Thuế", "Cục Thuế"),
    ("Sở KHĐT tỉnh Bắc Giang", "Sở Tài chính tỉnh Bắc Ninh"),
    ("Ủy ban nhân dân tỉnh Bình Thuận", "Ủy ban nhân dân tỉnh Lâm Đồng"),
    ("UBND tỉnh Thừa Thiên Huế", "Ủy ban nhân dân thành phố Huế"),
    ("UBND tỉnh Bà Rịa - Vũng Tàu", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("Ban Dân tộc tỉnh Kon Tum", "Sở Dân tộc và Tôn giáo tỉnh Quảng Ngãi"),
    ("Bộ Tài chính", None),
    ("Ủy ban nhân dân tỉnh Lạng Sơn", None),
    ("Ủy ban nhân dân huyện Châu Thành", None),
    ("Phó Thủ tướng Lê Minh Khái", None),
]


@pytest.mark.parametrize("name,expected", SUCCESSORS)
def test_successor(name, expected):
    assert successor(name) == expected


# ---------------------------------------------------------------- find_agencies: spans and shape

SPAN_TEXTS = [e["text"] for e in AG["example"]] + [
    "phối hợp với Sở Tài chính, Sở Kế hoạch và Đầu tư, các cơ quan liên quan",
    "Chủ trì, phối hợp với UBND các huyện, thị xã, thành phố và các sở, ban, ngành liên quan tham mưu",
]


@pytest.mark.parametrize("text", SPAN_TEXTS)
def test_spans(text):
    for m in find_agencies(text):
        assert isinstance(m, AgencyMention)
        assert text[m.start : m.end] == m.text
        assert m.name == canonical_agency(m.name)  # names found are canonical fixed points


def test_mention_is_frozen():
    m = find_agencies("Sở Tài chính")[0]
    with pytest.raises(AttributeError):
        m.name = "x"  # type: ignore[misc]


def test_definite_group_is_one_agency():
    ms = find_agencies("UBND các huyện, thị xã, thành phố")
    assert [(m.text, m.name) for m in ms] == [
        ("UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân các huyện, thị xã, thành phố")
    ]


def test_names_with_va_and_commas_inside():
    text = "Bộ Văn hóa, Thể thao và Du lịch, Bộ Kế hoạch và Đầu tư và Bộ Tài chính"
    assert [m.name for m in find_agencies(text)] == ["Bộ Văn hóa, Thể thao và Du lịch", "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"]


@pytest.mark.parametrize("text", ["", "   ", "và, ;", "(((", "các cơ quan liên quan", "Như trên"])
def test_nothing_to_find(text):
    assert find_agencies(text) == []


# ---------------------------------------------------------------- adversarial input

ADVERSARIAL = [
    ("Sở Tài chính, " * 7200, 7200),
    ("UBND các huyện, " + "huyện, " * 14000 + "thành phố", 1),
    ("các sở, " * 12500, 12500),  # each a definite category (a kind of state body)
    ("các cơ quan, " * 8000, 0),  # catch-alls name nobody
    ("(" * 100_000, 0),
    ("Sở " * 33_000, 1),
    ("a" * 100_000, 0),
    ("UBND tỉnh " + "Lạng " * 19_000, 1),
    ("Ban " + "và Ban " * 14_000, 0),  # a type of body alone names nobody
    ("Trung tâm Tin học và " * 5000, 5000),
]


@pytest.mark.parametrize("text,count", ADVERSARIAL, ids=lambda v: repr(v)[:30] if isinstance(v, str) else str(v))
def test_adversarial_input_returns(text, count):
    assert len(text) >= 90_000
    t0 = time.perf_counter()
    found = find_agencies(text)
    issuer_name([text[:100_000]])
    canonical_agency(text[:100_000])
    assert time.perf_counter() - t0 < 20
    assert len(found) == count


# ---------------------------------------------------------------- the gold: canonical names are fixed points


def _gold_values() -> list[tuple[str, str]]:
    out = []
    for path in sorted(GOLD.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if (doc.get("document") or {}).get("issuer"):
            out.append(("issuer", doc["document"]["issuer"]))
        for task in doc.get("tasks") or []:
            if task.get("lead"):
                out.append(("lead", task["lead"]))
            out += [("support", s) for s in task.get("support") or []]
    return out


def test_gold_names_are_fixed_points():
    if not GOLD.is_dir():
        pytest.skip(f"no gold folder at {GOLD}")
    values = _gold_values()
    bad = sorted({v for _, v in values if canonical_agency(v) != v})
    passed = sum(canonical_agency(v) == v for _, v in values)
    print(f"\ngold agency values: {passed}/{len(values)} map to themselves ({len({v for _, v in values})} distinct)")
    assert not bad, bad


# ---------------------------------------------------------------- lists printed whole: cells, headings


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Sở Tư pháp; các cơ quan, đơn vị, địa phương", ["Sở Tư pháp", "Các cơ quan, đơn vị, địa phương"]),
        ("Các địa phương, các cơ quan có nguồn thu nộp ngân sách nhà nước", ["Các địa phương, các cơ quan có nguồn thu nộp ngân sách nhà nước"]),
        ("Theo phân công tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025", []),
        ("Văn phòng UBND tỉnh; Sở Tư pháp; Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh.",
         ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp", "Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch tỉnh"]),
        ("Hội Nông dân tỉnh, Hội Cựu chiến binh tỉnh, Tỉnh đoàn Thanh niên", ["Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh", "Tỉnh đoàn Thanh niên"]),
        ("Văn phòng UBND tỉnh chủ trì, phối hợp với Sở Khoa học Công nghệ", ["Văn phòng Ủy ban nhân dân tỉnh"]),
    ],
)
def test_listed_agencies_reads_a_cell_whole(text, expected):
    from pipeline.parse.agencies import listed_agencies

    assert [m.name for m in listed_agencies(text)] == expected


@pytest.mark.parametrize(
    "name,catch_all",
    [
        ("Các cơ quan, đơn vị, địa phương", True),
        ("Cơ quan, địa phương có liên quan", True),
        ("Các cơ quan, đơn vị liên quan", True),
        ("các doanh nghiệp", True),
        ("Các sở, ban, ngành", False),
        ("Các bộ, ngành, địa phương", False),
        ("Cơ quan quản lý cấp trên của đơn vị sự nghiệp công lập", False),
    ],
)
def test_catch_alls_name_nobody_in_particular(name, catch_all):
    from pipeline.parse.agencies import is_catch_all

    assert is_catch_all(name) is catch_all
