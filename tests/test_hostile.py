"""A corpus of hostile and broken files, made here: every one ends up in documents or errors, none
crashes the batch, hangs it or takes its memory; nothing is read from outside the input, nothing is
written outside the output, no input is changed.

The files: empty and random-byte files with each extension, truncated DOCX, DOC and PDF, a DOCX
saved with a password, a DOCX zip
bomb, a DOCX whose XML declares an external entity pointing at a local file, a PDF of thousands of
empty pages, an encrypted PDF, a PDF whose text layer is garbage, a 50 MB text file, file names
with odd characters (and bytes that are not UTF-8), a symbolic link out of the input folder, a
text file in two encodings.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES
from pipeline.output.schema import TABLES
from pipeline.runner import run

sys.path.insert(0, str(FIXTURES / "pdf"))
from legacy_encode import cp1258_bytes  # noqa: E402
from pdfgen import Run, document_pages, make_pdf  # noqa: E402

SECRET = "VANBAN-XXE-SECRET-7f3a9c"
LETTER = (FIXTURES / "docs" / "seed_cong_van.txt").read_text(encoding="utf-8")


def _zip(members: dict[str, bytes], level: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _docx_members() -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / "formats" / "cv_vp_lang_son.docx") as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip_bomb() -> bytes:
    """A DOCX whose document.xml expands to 300 MB of spaces (300 KB on disk)."""
    members = _docx_members()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in members.items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            block = b" " * (1 << 20)
            for _ in range(300):
                fh.write(block)
            fh.write(b"</w:body></w:document>")
    return buf.getvalue()


def _xxe(target: Path) -> bytes:
    """A DOCX whose document.xml pulls a local file in through an external entity."""
    members = _docx_members()
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{target}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>Số: 12/UBND-VX</w:t></w:r></w:p><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    members["word/document.xml"] = body.encode("utf-8")
    return _zip(members)


def _encrypted_docx(data: bytes) -> bytes:
    """The DOCX as Word saves it with a password: an OLE container with the encrypted package."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("mật khẩu", out)
    return out.getvalue()


def build(root: Path, outside: Path) -> dict[str, str]:
    """The hostile corpus in ``root``; returns relative path → what it is."""
    rnd = random.Random(7)
    what: dict[str, str] = {}

    def put(rel: str, data: bytes, note: str) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        what[rel] = note

    for ext in ("txt", "md", "docx", "doc", "pdf"):
        put(f"empty/empty.{ext}", b"", "empty")
        put(f"random/random.{ext}", bytes(rnd.getrandbits(8) for _ in range(4096)), "random bytes")
    docx = (FIXTURES / "formats" / "cv_vp_lang_son.docx").read_bytes()
    pdf = (FIXTURES / "formats" / "cv_vp_lang_son.pdf").read_bytes()
    put("truncated/half.docx", docx[: len(docx) // 2], "truncated DOCX")
    doc = (FIXTURES / "formats" / "nd_30_2020_phuluc2.doc").read_bytes()
    put("truncated/half.doc", doc[: len(doc) // 2], "truncated DOC")
    put("encrypted/locked.docx", _encrypted_docx(docx), "DOCX with a password (Office encryption)")
    put("truncated/tail.pdf", pdf[: len(pdf) - 300], "truncated PDF")
    put("truncated/half.pdf", pdf[: len(pdf) // 2], "truncated PDF")
    put("bombs/zip_bomb.docx", _zip_bomb(), "DOCX zip bomb")
    put("bombs/xxe.docx", _xxe(outside / "secret.txt"), "DOCX with an external entity")
    put("pdf/empty_pages.pdf", make_pdf([[] for _ in range(3000)]), "3,000 empty pages")
    put("pdf/blank_1500.pdf", make_pdf([[] for _ in range(1500)]), "1,500 empty pages")
    put("pdf/encrypted.pdf", make_pdf([[Run(85, 100, "Nội dung mật")]], user_password="x"), "encrypted PDF")
    garbage = "".join(rnd.choice("ÐÞßæøþ§¶µ¤¥©®°±") for _ in range(1500))
    put("pdf/garbage_layer.pdf", make_pdf(document_pages(garbage)), "PDF with a garbage text layer")
    put("pdf/letter.pdf", make_pdf(document_pages(LETTER)), "a real letter")
    put("big/fifty_mb.txt", (LETTER.encode("utf-8") + b"\n") * (50 * 2**20 // (len(LETTER.encode()) + 1) + 1), "50 MB text")
    odd = "tên lạ — “bản sao” #1 (final)?; 'x' & $y.txt"
    put(f"names/{odd}", LETTER.encode("utf-8"), "odd file name")
    put("names/ok.txt", LETTER.replace("Số: /VP-KT", "Số: 7/VP-KT").encode("utf-8"), "a real letter")
    cut = LETTER.index("\n", len(LETTER) // 2) + 1
    mixed = LETTER[:cut].encode("utf-8") + cp1258_bytes(LETTER[cut:])
    put("mixed/two_encodings.txt", mixed, "UTF-8 then Windows-1258")
    bad_name = os.fsdecode(b"names/not-utf8-\xff\xfe.txt")
    put(bad_name, LETTER.replace("Số: /VP-KT", "Số: 8/VP-KT").encode("utf-8"), "file name that is not UTF-8")
    (root / "links").mkdir()
    os.symlink(outside / "secret.txt", root / "links" / "escape.txt")
    what["links/escape.txt"] = "symbolic link out of the input folder"
    return what


def _tree(root: Path) -> dict[str, tuple[int, str]]:
    """Every file below ``root`` (links not followed): its mtime and sha256."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            if p.is_symlink():
                out[str(p)] = (0, os.readlink(p))
            else:
                out[str(p)] = (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\nmật khẩu của máy chủ\n", encoding="utf-8")
    src = base / "input"
    what = build(src, outside)
    before = _tree(base)
    summary = run(src, base / "output", progress=False, workers=2, timeout=120, max_memory=3 << 30)
    return base, src, what, before, summary


def test_every_file_is_accounted_for(hostile_run):
    base, _, what, _, summary = hostile_run
    docs = pq.read_table(base / "output" / "documents.parquet").to_pylist()
    errors = pq.read_table(base / "output" / "errors.parquet").to_pylist()
    seen = [r["source_path"] for r in docs] + [r["source_path"] for r in errors]
    assert sorted(seen) == sorted(os.fsencode(p).decode("utf-8", "backslashreplace") for p in what)
    assert len(seen) == len(set(seen)), "a file in both tables, or twice"
    assert summary.files == len(what) and summary.documents + summary.failed == len(what)
    for e in errors:
        assert e["stage"] in ("read", "ingest", "parse", "output") and e["error_type"] and e["message"]


def test_each_kind_of_breakage_says_what_it_is(hostile_run):
    base, *_ = hostile_run
    errors = {r["source_path"]: r for r in pq.read_table(base / "output" / "errors.parquet").to_pylist()}
    docs = {r["source_path"] for r in pq.read_table(base / "output" / "documents.parquet").to_pylist()}
    kind = {path: e["error_type"] for path, e in errors.items()}
    for ext in ("txt", "md", "docx", "doc", "pdf"):
        assert kind[f"empty/empty.{ext}"] == "empty"
        assert f"random/random.{ext}" in errors
    assert kind["truncated/half.docx"] == "corrupt"
    assert kind["truncated/half.doc"] in ("corrupt", "empty")
    assert kind["encrypted/locked.docx"] == "encrypted"
    assert kind["truncated/half.pdf"] == "corrupt" and kind["truncated/tail.pdf"] in ("corrupt",)
    assert kind["bombs/zip_bomb.docx"] == "too_large_uncompressed"
    assert "--max-uncompressed" in errors["bombs/zip_bomb.docx"]["message"]
    assert kind["bombs/xxe.docx"] == "unsafe_xml"
    assert kind["pdf/empty_pages.pdf"] == "too_many_pages" and "--max-pages" in errors["pdf/empty_pages.pdf"]["message"]
    assert kind["pdf/blank_1500.pdf"] == "empty"
    assert kind["pdf/encrypted.pdf"] == "encrypted"
    assert kind["big/fifty_mb.txt"] == "too_long" and "--max-chars" in errors["big/fifty_mb.txt"]["message"]
    assert kind["links/escape.txt"] == "symlink"
    assert "pdf/garbage_layer.pdf" in errors or "pdf/garbage_layer.pdf" in docs
    for ok in ("pdf/letter.pdf", "names/ok.txt", "mixed/two_encodings.txt"):
        assert ok in docs, errors.get(ok)
    assert any(p.startswith("names/tên lạ") for p in docs)
    assert "names/not-utf8-\\xff\\xfe.txt" in docs


def test_the_mixed_encoding_file_reads_both_halves(hostile_run):
    """Header in UTF-8, signature in Windows-1258: each line is read in the encoding it was written in."""
    base, *_ = hostile_run
    docs = {r["source_path"]: r for r in pq.read_table(base / "output" / "documents.parquet").to_pylist()}
    doc = docs["mixed/two_encodings.txt"]
    assert (doc["place"], doc["issuer"]) == ("Lạng Sơn", "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn")
    assert (doc["signer_name"], doc["signer_title"]) == ("Dương Văn Chiêu", "Phó Chánh Văn phòng")


def test_nothing_of_the_xxe_target_leaks(hostile_run):
    base, *_ = hostile_run
    for name in TABLES:
        table = pq.read_table(base / "output" / f"{name}.parquet")
        for column in table.column_names:
            for value in table.column(column).to_pylist():
                assert SECRET not in str(value), (name, column)
    for p in (base / "output").rglob("*"):
        if p.is_file():
            assert SECRET.encode() not in p.read_bytes(), p


def test_inputs_unchanged_and_nothing_written_outside_the_output(hostile_run):
    base, _, _, before, _ = hostile_run
    after = _tree(base)
    outside_output = {p: v for p, v in after.items() if not p.startswith(str(base / "output") + os.sep)}
    assert outside_output == before
