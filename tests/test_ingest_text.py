"""Text ingest: every encoding Vietnamese offices use ends up as the same NFC text."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.ingest import detect_format, ingest_bytes
from pipeline.ingest.errors import IngestError
from pipeline.normalize import normalize_text

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed (â, ơ, ư), tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        marks = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in TONE_MARKS))
        tones = "".join(c for c in marks if c in TONE_MARKS)
        out.append(base + tones)
    return "".join(out).encode("cp1258")


SAMPLE = "ỦY BAN NHÂN DÂN TỈNH KON TUM\nSố: 435/QĐ-UBND\nKon Tum, ngày 04 tháng 5 năm 2020\nQUYẾT ĐỊNH\nVề việc phê duyệt"


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),  # with BOM
        lambda s: s.encode("utf-16-le"),  # without BOM
        lambda s: s.encode("utf-16-be"),
        to_cp1258,
        lambda s: unicodedata.normalize("NFD", s).encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1258", "utf8-nfd"],
)
def test_encodings_give_the_same_text(encode):
    src = ingest_bytes(encode(SAMPLE), "doc.txt")
    assert src.text == SAMPLE
    assert src.source_format == "txt"


def test_cp1258_parses_like_utf8():
    from pipeline.parse import parse_text

    data = to_cp1258(SAMPLE)
    assert data.decode("cp1258") != SAMPLE  # really decomposed on the wire
    fields = parse_text(ingest_bytes(data, "x.txt").text).fields
    assert fields.doc_number == "435/QĐ-UBND"
    assert fields.place == "Kon Tum"
    assert fields.issue_date == "2020-05-04"


def test_markdown_format():
    assert ingest_bytes("# THÔNG BÁO\n**Kết luận**".encode(), "a.md").text == "THÔNG BÁO\nKết luận"


@pytest.mark.parametrize(
    "data,name,error_type",
    [
        (b"", "empty.txt", "empty"),
        (b"   \n\t ", "blank.txt", "empty"),
        (bytes(range(256)) * 40, "noise.txt", "binary"),
        (b"\x00\x01\x02\x03" * 100, "data.bin", "unsupported_format"),
    ],
)
def test_bad_text_input_raises_ingest_error(data, name, error_type):
    with pytest.raises(IngestError) as exc:
        ingest_bytes(data, name)
    assert exc.value.error_type == error_type


def test_format_detected_from_bytes_not_name():
    assert detect_format(b"%PDF-1.7\n...", "letter.txt") == "pdf"
    assert detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "x.txt") == "doc"
    assert detect_format(b"plain", "notes.md") == "md"
    assert detect_format(b"plain", "notes.xyz") == "unknown"


def test_utf8_and_windows_1258_lines_in_one_file():
    """A UTF-8 file with lines pasted from a Windows-1258 one: each line read in its own encoding."""
    head, tail = "Số: 12/UBND-VX\nLạng Sơn, ngày 5 tháng 3 năm 2024\n", "Nơi nhận:\n- Sở Tài chính;\nPHÓ CHỦ TỊCH\nNguyễn Văn Đức\n"
    text = ingest_bytes(head.encode("utf-8") + to_cp1258(tail), "mixed.txt").text
    assert text == normalize_text(head + tail)


def test_windows_1258_alone_is_not_taken_for_mixed():
    text = "Nơi nhận:\n- Sở Tài chính;\nNguyễn Văn Đức\n"
    assert ingest_bytes(to_cp1258(text), "old.txt").text == normalize_text(text)


_LETTER = "Số: 12/UBND-VX\nLạng Sơn, ngày 5 tháng 3 năm 2024\nKính gửi: Sở Tư pháp\nNơi nhận:\n- Như trên;\nPHÓ CHỦ TỊCH\nNguyễn Văn Đức\n"


def test_utf16_with_one_bad_surrogate_is_read_and_says_what_it_skipped():
    """One lone surrogate (a damaged character) in a UTF-16 file: the rest is read, the review says where."""
    data = _LETTER.encode("utf-16-le")
    cut = data.index("Kính".encode("utf-16-le"))
    for damaged in (b"\xff\xfe" + data[:cut] + b"\x00\xd8" + data[cut:], data[:cut] + b"\x00\xdc" + data[cut:]):
        doc = ingest_bytes(damaged, "a.txt")
        assert doc.text == normalize_text(_LETTER)
        assert len(doc.review) == 1 and "1 damaged character" in doc.review[0]
    # damage all through the file is no stray character: it is still refused
    noise = b"".join(data[i : i + 2] + b"\x00\xd8" for i in range(0, len(data), 2))
    with pytest.raises(IngestError) as exc:
        ingest_bytes(b"\xff\xfe" + noise, "a.txt")
    assert exc.value.error_type == "decode_error"


def test_text_padded_with_nul_is_read_and_says_so():
    for data in (
        _LETTER.encode("utf-8") + b"\x00" * 5000,
        b"\x00" * 512 + _LETTER.encode("utf-8"),
        _LETTER.encode("utf-8").replace(b"\n", b"\n\x00\x00\x00"),
        b"\xff\xfe" + _LETTER.encode("utf-16-le") + b"\x00" * 4000,
    ):
        doc = ingest_bytes(data, "a.txt")
        assert doc.text == normalize_text(_LETTER)
        assert len(doc.review) == 1 and "NUL" in doc.review[0] and "skipped" in doc.review[0]
    with pytest.raises(IngestError) as exc:
        ingest_bytes(b"\x00" * 4096, "a.txt")
    assert exc.value.error_type == "empty"
