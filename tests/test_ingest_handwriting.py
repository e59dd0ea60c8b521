"""The header's handwritten number and day on a scan: an unsure reading is read again on its own (the day,
month, year) or taken out of the text with a review note, never handed on as a wrong value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.ingest import handwriting
from pipeline.ingest.handwriting import header_digits, review_notes, settle
from pipeline.ingest.ocr import _lines_from_tsv
from pipeline.ingest.ocr_fixes import fix_line


def _tsv(lines: list[list[tuple[str, float]]], top: int = 300) -> str:
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for n, words in enumerate(lines):
        left = 100
        for k, (word, conf) in enumerate(words):
            width = 25 * len(word)
            rows.append(f"5\t1\t1\t1\t{n + 1}\t{k + 1}\t{left}\t{top + 60 * n}\t{width}\t40\t{conf}\t{word}")
            left += width + 20
    return "\n".join(rows)


def _text(tsv: str) -> list[str]:
    return [ln.text for ln in _lines_from_tsv(tsv, 1.0)]


HEADER = [
    [("Số:", 93.0), ("⁄JJ5", 40.8), ("/CV-BTV", 91.6)],
    [("Lâm", 96.0), ("Đồng,", 85.0), ("ngày-14", 78.0), ("tháng", 96.0), ("9", 97.0), ("năm", 97.0), ("2025", 97.0)],
]
GREY = np.full((3500, 2480), 255, np.uint8)


def test_fields_are_found_with_their_reading():
    fields = {f.field: f for f in header_digits(_tsv(HEADER), 3500)}
    assert (fields["doc_number"].digits, fields["doc_number"].unsure) == ("⁄JJ5", True)
    assert (fields["day"].digits, fields["day"].unsure) == ("-14", True)
    assert (fields["month"].digits, fields["month"].unsure) == ("9", False)
    assert (fields["year"].digits, fields["year"].unsure) == ("2025", False)
    # a day no month has, and a year read with less confidence than print is, are unsure too
    fields = {f.field: f for f in header_digits(_tsv([[("Hà", 96.0), ("Nội,", 95.0), ("ngày", 96.0), ("42", 95.0), ("tháng", 96.0), ("10", 97.0), ("năm", 97.0), ("2023", 79.5)]]), 3500)}
    assert fields["day"].unsure and fields["year"].unsure and not fields["month"].unsure
    # glued to its words: ``ngày44tháng``, ``0?tháng``
    glued = {f.field: f.digits for f in header_digits(_tsv([[("ngày44tháng", 80.0), ("02", 90.0), ("năm", 97.0), ("2026", 97.0)]]), 3500)}
    assert glued == {"day": "44", "month": "02", "year": "2026"}
    glued = {f.field: f.digits for f in header_digits(_tsv([[("ngày", 96.0), ("0?tháng", 50.0), ("10", 90.0), ("năm", 97.0), ("2025", 97.0)]]), 3500)}
    assert glued["day"] == "0?"


def test_an_unsure_number_and_day_are_taken_out_and_said(monkeypatch):
    monkeypatch.setattr(handwriting, "read_digits", lambda grey, boxes: [("", 0.0)] * len(boxes))
    tsv, notes = settle(_tsv(HEADER), GREY)
    assert _text(tsv) == ["Số: /CV-BTV", "Lâm Đồng, ngày tháng 9 năm 2025"]
    assert [n.split(":")[0] for n in notes] == ["doc_number", "issue_date"]
    assert notes == review_notes(_tsv(HEADER), 3500)


def _second(readings: dict[str, tuple[str, float]]):
    """A digits-only pass that reads each field's box as ``readings`` says (by the box's order: number, day)."""
    order = ["doc_number", "day"]
    return lambda grey, boxes: [readings.get(order[i], ("", 0.0)) for i in range(len(boxes))]


def test_a_day_read_again_with_confidence_takes_the_unsure_ones_place(monkeypatch):
    monkeypatch.setattr(handwriting, "read_digits", _second({"day": ("11", 91.0)}))
    tsv, notes = settle(_tsv(HEADER), GREY)
    assert _text(tsv) == ["Số: /CV-BTV", "Lâm Đồng, ngày 11 tháng 9 năm 2025"]
    assert [n.split(":")[0] for n in notes] == ["doc_number"]
    # read again but with little confidence, or as no day: taken out all the same
    for reading in (("11", 40.0), ("41", 95.0), ("", 0.0)):
        monkeypatch.setattr(handwriting, "read_digits", _second({"day": reading}))
        tsv, notes = settle(_tsv(HEADER), GREY)
        assert "ngày tháng 9" in _text(tsv)[1] and len(notes) == 2


def test_an_unsure_number_is_kept_only_when_a_second_reading_agrees(monkeypatch):
    """A printed number read with little confidence (``Só2624``, the label glued) is kept when the
    digits-only pass reads the same; a handwritten one read ``525`` is not, unless the second reading
    is sure of other digits."""
    header = [[("Só2624", 45.0), ("/QĐ-BGDĐT", 93.0)], [("Hà", 96.0), ("Nội,", 95.0), ("ngày", 96.0), ("17", 97.0), ("tháng", 97.0), ("9", 97.0), ("năm", 97.0), ("2025", 97.0)]]
    monkeypatch.setattr(handwriting, "read_digits", _second({"doc_number": ("2624", 60.0)}))
    assert settle(_tsv(header), GREY) == (_tsv(header), [])
    header[0][0] = ("Số:525", 50.0)
    monkeypatch.setattr(handwriting, "read_digits", _second({"doc_number": ("", 0.0)}))
    tsv, notes = settle(_tsv(header), GREY)
    assert _text(tsv)[0] == "Số: /QĐ-BGDĐT" and notes[0].startswith("doc_number")
    monkeypatch.setattr(handwriting, "read_digits", _second({"doc_number": ("323", 88.0)}))
    tsv, notes = settle(_tsv(header), GREY)
    assert _text(tsv)[0] == "Số: 323 /QĐ-BGDĐT" and notes == []


def test_marks_ocr_takes_for_digits_are_digits():
    fields = {f.field: f for f in header_digits(_tsv([[("ngày", 96.0), ("]]", 77.0), ("tháng", 97.0), ("9", 97.0), ("năm", 97.0), ("2025", 97.0)]]), 3500)}
    assert fields["day"].value == "11" and not fields["day"].unsure


def test_a_year_misread_is_read_again(monkeypatch):
    line = [[("Hà", 96.0), ("Nội,", 95.0), ("ngày", 96.0), ("04", 92.0), ("tháng", 96.0), ("10", 97.0), ("năm", 97.0), ("2023", 79.5)]]
    monkeypatch.setattr(handwriting, "read_digits", lambda grey, boxes: [("2025", 96.5)] * len(boxes))
    tsv, notes = settle(_tsv(line), GREY)
    assert _text(tsv) == ["Hà Nội, ngày 04 tháng 10 năm 2025"] and notes == []


def test_a_clear_header_is_left_as_read(monkeypatch):
    calls = []
    monkeypatch.setattr(handwriting, "read_digits", lambda grey, boxes: calls.append(boxes) or [])
    tsv = _tsv([[("Số:", 93.0), ("9757/VPCP-CN", 91.6)], [("Hà", 96.0), ("Nội,", 95.0), ("ngày", 96.0), ("10", 93.0), ("tháng", 96.0), ("10", 97.0), ("năm", 97.0), ("2025", 97.0)]])
    assert settle(tsv, GREY) == (tsv, []) and calls == []


def test_the_month_word_misread_on_a_date_line_is_put_right():
    assert fix_line("Lâm Đông, ngày 26 thóng 8 năm 2025") == "Lâm Đông, ngày 26 tháng 8 năm 2025"
    assert fix_line("NGÀY 5 THÁNG 3 NĂM 2024") == "NGÀY 5 THÁNG 3 NĂM 2024"


REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev" / "real"


@pytest.mark.skipif(not (REAL / "sc_ttg_187_cd.pdf").exists(), reason="the dev corpus is not here")
def test_real_scans_give_no_wrong_number_nor_day():
    """On real scans whose number and day are written by hand: a day read again where it can be, and no
    number or day that is not the one on the page."""
    from pipeline.ingest import ingest_path
    from pipeline.ingest.ocr import tesseract_ready
    from pipeline.parse import parse_doc

    if not tesseract_ready():
        pytest.skip("tesseract with the vie model is not installed")
    fields = parse_doc(ingest_path(REAL / "sc_ttg_187_cd.pdf")).fields
    assert fields.issue_date == "2025-10-04"  # a handwritten 04, and a printed 2025 first read as 2023
    assert fields.doc_number is None and fields.doc_symbol == "CĐ-TTg"  # a handwritten 187 not read
    fields = parse_doc(ingest_path(REAL / "sc_cp_323_nq.pdf")).fields
    assert fields.doc_number in (None, "323/NQ-CP") and fields.issue_date in ("2025-10", "2025-10-12")


def test_a_printed_month_the_second_pass_cannot_read_is_kept_and_the_day_with_it(monkeypatch):
    """``tháng 10năm`` read at 59 and nothing from the digits-only pass: the month is print, kept; the note
    says so without marking the date unsure, so the day read with confidence stays."""
    from pipeline.models import Doc
    from pipeline.parse import parse_doc

    line = [[("Hà", 96.0), ("Nội,", 95.0), ("ngày", 96.0), ("03", 90.0), ("tháng", 96.0), ("10năm", 59.0), ("2025", 97.0)]]
    monkeypatch.setattr(handwriting, "read_digits", lambda grey, boxes: [("", 0.0)] * len(boxes))
    tsv, notes = settle(_tsv(line), GREY)
    assert _text(tsv) == ["Hà Nội, ngày 03 tháng 10năm 2025"] and len(notes) == 1
    text = fix_line(_text(tsv)[0])
    assert parse_doc(Doc(text, "pdf", review=tuple(notes))).fields.issue_date == "2025-10-03"
