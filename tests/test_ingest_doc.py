"""Legacy Word 97 ``.doc`` through antiword: text, two-column tables kept apart, broken files."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, ROOT, fixture_text

from pipeline.ingest import doc as doc_reader
from pipeline.ingest import ingest_bytes
from pipeline.ingest.doc import untable
from pipeline.ingest.errors import IngestError
from pipeline.parse import parse_text

needs_antiword = pytest.mark.skipif(not shutil.which("antiword"), reason="antiword is not installed")
WORD97 = ROOT / "data" / "raw" / "cong_van_VP-KT_lang_son_word97.doc"  # LibreOffice's Word 97 copy of a letter


@needs_antiword
def test_real_doc():
    data = (FIXTURES / "formats" / "nd_30_2020_phuluc2.doc").read_bytes()
    src = ingest_bytes(data, "phuluc2.doc")
    assert src.source_format == "doc"
    assert "VIẾT HOA TRONG VĂN BẢN HÀNH CHÍNH" in src.text


@needs_antiword
def test_letter_fields_match_the_text():
    """Header and signature tables come out column by column: every document field as in the text file."""
    text = ingest_bytes(WORD97.read_bytes(), WORD97.name).text
    assert not any("Số:" in line and "Lạng Sơn, ngày" in line for line in text.splitlines())
    assert not any("Nơi nhận" in line and "CHÁNH VĂN PHÒNG" in line for line in text.splitlines())
    got, want = parse_text(text), parse_text(fixture_text("seed_cong_van.txt"))
    assert got.fields.values() == want.fields.values()
    assert {r.ref_number for r in got.references} == {r.ref_number for r in want.references}
    assert {r.recipient_text for r in got.recipients} == {r.recipient_text for r in want.recipients}


def test_antiword_tables_are_laid_out_by_column():
    out = untable("Intro\n|Số: 12/UBND   |Hà Nội, ngày 1 |\n|V/v việc A    |               |\nBody\n|a |b |c |\n")
    assert out.splitlines() == ["Intro", "Số: 12/UBND", "V/v việc A", "", "Hà Nội, ngày 1", "", "Body", "| a | b | c |"]


@needs_antiword
def test_broken_doc_files():
    data = WORD97.read_bytes()
    with pytest.raises(IngestError) as e:
        ingest_bytes(data[:3000], "cut.doc")
    assert e.value.error_type in ("corrupt", "empty")
    with pytest.raises(IngestError) as e:
        ingest_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, "garbage.doc")
    assert e.value.error_type in ("corrupt", "empty")


def test_encrypted_doc():
    locked = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le")
    with pytest.raises(IngestError) as e:
        ingest_bytes(locked, "locked.doc")
    assert e.value.error_type == "encrypted"


def test_missing_antiword(monkeypatch):
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    with pytest.raises(IngestError) as e:
        ingest_bytes(WORD97.read_bytes(), WORD97.name)
    assert e.value.error_type == "missing_tool"
    assert "install-system-deps" in e.value.message
