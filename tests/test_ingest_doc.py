"""Legacy Word 97 ``.doc`` through antiword: text, two-column tables kept apart, broken files."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, ROOT, fixture_text

from pipeline.ingest import doc as doc_reader
from pipeline.ingest import ingest_bytes
from pipeline.ingest.doc import read_doc, untable
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


def test_doc_bytes_go_on_stdin_and_no_temporary_file_is_made(monkeypatch, tmp_path):
    """A worker killed mid-file left the .doc's copy in the system temp folder: no named copy is made now."""
    import tempfile

    def refuse(*args, **kwargs):
        raise AssertionError("a temporary file was made")

    for name in ("NamedTemporaryFile", "mkstemp", "mkdtemp", "TemporaryDirectory"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    source = read_doc(WORD97.read_bytes())
    assert "Lạng Sơn" in source.text
    assert not list(tmp_path.iterdir())


def test_third_party_tools_run_confined(tmp_path):
    """Limits a child cannot raise: no file written where none is allowed, address space and CPU bounded."""
    import sys

    from pipeline.ingest.confine import MB, run_confined

    target = tmp_path / "leak.txt"
    proc = run_confined([sys.executable, "-c", f"f = open({str(target)!r}, 'w'); f.write('x' * 100); f.flush()"], b"", 30)
    assert proc.returncode != 0 and (not target.exists() or target.stat().st_size == 0)
    proc = run_confined([sys.executable, "-c", "b = bytearray(600 * 1024 * 1024)"], b"", 30, memory=300 * MB)
    assert proc.returncode != 0 and b"MemoryError" in proc.stderr
    proc = run_confined([sys.executable, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())"], b"abc", 30)
    assert proc.returncode == 0 and proc.stdout == b"ABC"
