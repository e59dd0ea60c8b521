"""Legacy Vietnamese font encodings (TCVN3, VNI): tables, round trips, detection that never misfires."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import FIXTURES, ROOT
from legacy_encode import LOWER, UPPER, cp1258_bytes, tcvn3_bytes, to_tcvn3, to_vni

from pipeline.ingest import ingest_bytes, ingest_path
from pipeline.ingest.legacy_fonts import detect_legacy, fix_legacy, to_unicode
from pipeline.ingest.text import decode_text
from pipeline.parse import parse_text
from pipeline.rules import load

DOCS = sorted((FIXTURES / "docs").iterdir())


def test_tables_cover_all_134_letters():
    assert len(LOWER) == len(UPPER) == 67
    letters = set(load("legacy_fonts")["vni"]["letters"])
    assert letters == set(LOWER) | set(UPPER)
    tcvn3 = load("legacy_fonts")["tcvn3"]["letters"]
    assert set(LOWER) <= set(tcvn3)
    assert len(set(tcvn3.values())) == len(tcvn3), "two letters share a TCVN3 code"
    assert all(len(v) == 1 and 0xA1 <= ord(v) <= 0xFF for v in tcvn3.values())


@pytest.mark.parametrize("example", load("legacy_fonts")["example"], ids=lambda e: e["legacy"][:20])
def test_rule_examples(example):
    assert to_unicode(example["legacy"], example["encoding"]) == example["unicode"]


@pytest.mark.parametrize("text", load("legacy_fonts")["not_legacy"])
def test_rule_counter_examples(text):
    assert detect_legacy(text) is None


@pytest.mark.parametrize("encoding,encode", [("tcvn3", to_tcvn3), ("vni", to_vni)])
def test_every_letter_round_trips(encoding, encode):
    """All 134 letters, in a lowercase word and in a capitals word (TCVN3 capitals need the context)."""
    for lower, upper in zip(LOWER, UPPER):
        for word in (f"ng{lower}n", f"NG{upper}N", f"{lower}"):
            assert to_unicode(encode(word), encoding) == word, (encoding, word, encode(word))
    if encoding == "vni":
        for upper in UPPER:
            assert to_unicode(encode(upper), encoding) == upper


def test_tcvn3_capitals_are_guessed_from_context():
    assert to_unicode("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert to_unicode("Sè: 12/2024/Q§-TTg", "tcvn3") == "Số: 12/2024/QĐ-TTg"
    assert to_unicode("Sè: 1234/UBND-KT", "tcvn3") == "Số: 1234/UBND-KT"
    assert to_unicode("QUYÕT §ÞNH VÒ C¥ CHÕ, Hµ Néi", "tcvn3") == "QUYẾT ĐỊNH VỀ CƠ CHẾ, Hà Nội"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_real_documents_round_trip_and_detection(path):
    """Real text, re-encoded, is detected and comes back; the Unicode original is never taken for legacy."""
    text = ingest_path(path).text
    assert detect_legacy(text) is None
    assert detect_legacy(cp1258_bytes(text).decode("latin-1")) is None  # Windows-1258 bytes, read byte by byte
    assert detect_legacy(to_tcvn3(text)) == "tcvn3"
    assert detect_legacy(to_vni(text)) == "vni"
    # Words with stray legacy characters of their own (``chÝnh``, ``2®)`` in two sources) aside, every
    # word comes back; TCVN3 only up to case (a toned capital is the lowercase code).
    stray = set("¡¢£¤¥¦§¨©ª«¬®µ¶·¸¹»¼½¾ÆÇËÎÏÐÑÖ×ØÜÞßäåæçëîïñö÷øûüþ")
    for encode, encoding, key in ((to_tcvn3, "tcvn3", str.casefold), (to_vni, "vni", str)):
        back = to_unicode(encode(text), encoding).split()
        pairs = [(a, b) for a, b in zip(text.split(), back) if not stray & set(a)]
        assert len(back) == len(text.split())
        assert [a for a, b in pairs if key(a) != key(b)] == [], encoding


def test_windows_1258_text_is_not_converted():
    text = ingest_path(FIXTURES / "docs" / "seed_cong_van.txt").text
    decoded, encoding = decode_text(cp1258_bytes(text))
    assert encoding == "cp1258"
    assert unicodedata.normalize("NFC", decoded) == text


def test_tcvn3_text_file_is_ingested_as_unicode():
    original = ingest_path(FIXTURES / "docs" / "seed_ke_hoach.txt").text
    src = ingest_bytes(tcvn3_bytes(original), "ke_hoach_tcvn3.txt")
    assert "Triển khai thực hiện Nghị định số 32/2024/NĐ-CP" in src.text
    assert "Sở Công Thương" in src.text
    a, b = parse_text(original), parse_text(src.text)
    assert [(t.path, t.lead_agency) for t in b.tasks] == [(t.path, t.lead_agency) for t in a.tasks]
    assert {r.ref_number for r in b.references} == {r.ref_number for r in a.references}


def test_vni_text_file_and_utf8_copies_are_converted():
    original = ingest_path(FIXTURES / "docs" / "seed_cong_van.txt").text
    assert ingest_bytes(to_vni(original).encode("cp1252"), "cv_vni.txt").text == original
    # Legacy characters already in UTF-8 (copied out of an old document): converted too.
    assert ingest_bytes(to_vni(original).encode("utf-8"), "cv_vni_utf8.txt").text == original
    assert "Sở Công Thương" in ingest_bytes(to_tcvn3(original).encode("utf-8"), "cv_tcvn3_utf8.txt").text


def test_fix_legacy_leaves_unicode_alone():
    text = "Ủy ban nhân dân tỉnh Lạng Sơn giao Sở Công Thương chủ trì."
    assert fix_legacy(text) == (text, None)
    assert fix_legacy(to_tcvn3(text.lower()))[1] == "tcvn3"


def test_tcvn3_sample_in_data_raw():
    """data/raw ships a TCVN3 text made from a real decision: it parses like the Unicode original."""
    sample = ROOT / "data" / "raw" / "quyet_dinh_12_2024_QD-TTg_tcvn3.txt"
    if not sample.exists():
        pytest.skip("data/raw sample not built")
    assert b"\xb8" in sample.read_bytes()  # really TCVN3 bytes (á)
    src = ingest_path(sample)
    original = parse_text(ingest_path(FIXTURES / "docs" / "tvpl_qd_12_2024_ttg.txt").text)
    doc = parse_text(src.text)
    assert doc.fields.doc_number == original.fields.doc_number == "12/2024/QĐ-TTg"
    assert doc.fields.issue_date == original.fields.issue_date
    assert doc.fields.signer_name == original.fields.signer_name
    assert doc.fields.values() == original.fields.values()
    assert [(t.path, t.lead_agency) for t in doc.tasks] == [(t.path, t.lead_agency) for t in original.tasks]
    assert len(doc.recipients) == len(original.recipients)
