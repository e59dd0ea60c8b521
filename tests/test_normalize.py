"""Normalization: NFC, look-alikes, spaces, Markdown decoration; idempotent."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.normalize import fold, modern_tones, normalize_text


def test_nfd_input_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Số: 435/QĐ-UBND")
    assert normalize_text(nfd) == "Số: 435/QĐ-UBND"


def test_lookalike_letters_repaired():
    assert normalize_text("Số: 102/2017/NÐ-CP") == "Số: 102/2017/NĐ-CP"  # U+00D0 eth
    assert normalize_text("Thông tư 06/2024/TT-BTС") == "Thông tư 06/2024/TT-BTC"  # Cyrillic Es


def test_cyrillic_document_left_alone():
    text = "Российская Федерация"
    assert normalize_text(text) == text


def test_spaces_and_zero_width():
    assert normalize_text("Kính\u00a0gửi:\u200b Sở\u202fCông Thương\ufeff") == "Kính gửi: Sở Công Thương"
    assert normalize_text("a\r\nb\rc") == "a\nb\nc"


def test_markdown_removed_without_losing_words():
    md = "## KẾ HOẠCH\n\n**2.** Rà soát *các* văn bản\n***Nơi nhận:***\n* Như trên;\n| a | b |\n| --- | --- |\n"
    out = normalize_text(md)
    assert "KẾ HOẠCH" in out and "#" not in out
    assert "2. Rà soát các văn bản" in out
    assert "Nơi nhận:" in out and "*" not in out.replace("- Như", "")
    assert "- Như trên;" in out
    assert "| a | b |" in out and "---" not in out


def test_front_matter_and_comments_removed():
    md = '---\ntitle: "CV 5029"\ncategory: "Tax"\n---\n\nBỘ TÀI CHÍNH\n<!-- extracted from x.html -->\nSố: 1/BTC-X'
    out = normalize_text(md)
    assert out.startswith("\nBỘ TÀI CHÍNH") or out.startswith("BỘ TÀI CHÍNH")
    assert "title" not in out and "extracted" not in out


def test_idempotent():
    samples = ["Số:  /VP-KT\n\n**KT. CHÁNH VĂN PHÒNG**", "NÐ-CP ***x*** \u00a0 y", "## a\n| b |\n|---|\n"]
    for s in samples:
        once = normalize_text(s)
        assert normalize_text(once) == once


def test_modern_tones_only_at_syllable_end():
    assert modern_tones("Uỷ ban hoà bình") == "Ủy ban hòa bình"
    assert modern_tones("hoàn thành kế hoạch quý") == "hoàn thành kế hoạch quý"


def test_fold():
    assert fold("Sở Công Thương") == "so cong thuong"
    assert fold("ĐỘC LẬP") == "doc lap"


@pytest.mark.parametrize("control", [*map(chr, range(0, 9)), *map(chr, range(0x0E, 0x20)), *map(chr, range(0x7F, 0xA0))])
def test_no_control_character_survives(control):
    """A scanner's OCR layer or a damaged file carries C0/C1 controls (ESC, BEL, NUL …): none reaches a table."""
    text = normalize_text(f"Số: 12{control}/UBND-VX\nCăn cứ{control}Luật")
    assert text == "Số: 12/UBND-VX\nCăn cứLuật"
    assert normalize_text(text) == text
