"""DOCX and legacy .doc ingest: body order, two-column tables kept apart, numbering, broken files."""

from __future__ import annotations

import io
import shutil
import zipfile

import docx
import pytest
from conftest import FIXTURES, fixture_text

from pipeline.ingest import ingest_bytes
from pipeline.ingest import docx as docx_reader
from pipeline.ingest.errors import IngestError
from pipeline.parse import parse_text


def _letter_docx(body_text: str) -> bytes:
    """A letter laid out as real ones are: a borderless two-column header table, then the body."""
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN"
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    t.cell(1, 0).text = "Số: 1234/UBND-KT"
    t.cell(1, 1).text = "Lạng Sơn, ngày 15 tháng 4 năm 2024"
    for para in body_text.split("\n\n"):
        d.add_paragraph(para)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_header_columns_never_share_a_line():
    text = ingest_bytes(_letter_docx("V/v triển khai Nghị định số 32/2024/NĐ-CP"), "a.docx").text
    assert not any("CỘNG HÒA" in line and "LẠNG SƠN" in line for line in text.splitlines())
    doc = parse_text(text)
    assert doc.fields.doc_number == "1234/UBND-KT"
    assert doc.fields.issue_date == "2024-04-15"
    assert doc.fields.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"


def test_body_of_a_real_plan_parses_the_same_as_its_text():
    """The seed plan's body in a DOCX gives the same tasks and references as the text file."""
    body = fixture_text("seed_ke_hoach.txt")
    from_docx = parse_text(ingest_bytes(_letter_docx(body), "k.docx").text)
    from_text = parse_text(body)
    assert [r.ref_number for r in from_docx.references] == [r.ref_number for r in from_text.references]
    assert [(t.path, t.lead_agency, t.deadline and t.deadline.kind) for t in from_docx.tasks] == [
        (t.path, t.lead_agency, t.deadline and t.deadline.kind) for t in from_text.tasks
    ]
    assert len(from_docx.tasks) == 19


def test_word_numbering_is_rendered():
    """Nghị định 30/2020 (the Word original) numbers its items through numbering.xml."""
    data = (FIXTURES / "formats" / "nd_30_2020.docx").read_bytes()
    text = ingest_bytes(data, "nd30.docx").text
    doc = parse_text(text)
    assert doc.fields.doc_number == "30/2020/NĐ-CP"
    assert doc.fields.signer_name == "Nguyễn Xuân Phúc"
    lines = text.splitlines()
    assert lines.index("CHÍNH PHỦ") < lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert any(line.startswith("1. Nghị định này áp dụng") for line in lines)


def test_data_table_becomes_pipe_rows():
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for i, v in enumerate(["Nội dung", "Cơ quan chủ trì", "Thời gian"]):
        t.cell(0, i).text = v
    for i, v in enumerate(["Rà soát văn bản", "Sở Tư pháp", "Quý II/2024"]):
        t.cell(1, i).text = v
    buf = io.BytesIO()
    d.save(buf)
    text = ingest_bytes(buf.getvalue(), "t.docx").text
    assert "| Rà soát văn bản | Sở Tư pháp | Quý II/2024 |" in text


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buf.getvalue()


def test_broken_docx_files(monkeypatch):
    good = _letter_docx("Nội dung.")
    with pytest.raises(IngestError) as e:
        ingest_bytes(good[: len(good) // 2], "cut.docx")
    assert e.value.error_type == "corrupt"
    with pytest.raises(IngestError) as e:
        ingest_bytes(_zip({"word/other.xml": b"x"}), "noword.docx")
    assert e.value.error_type in ("corrupt", "unsupported_format")
    monkeypatch.setattr(docx_reader, "MAX_XML_BYTES", 1000)
    with pytest.raises(IngestError) as e:
        ingest_bytes(_zip({"word/document.xml": b"<a>" + b" " * 5000 + b"</a>"}), "bomb.docx")
    assert e.value.error_type == "too_large"


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    with pytest.raises(IngestError) as e:
        ingest_bytes(_zip({"word/document.xml": xml, "[Content_Types].xml": b"<Types/>"}), "xxe.docx")
    assert e.value.error_type == "unsafe_xml"
    assert "TOP-SECRET" not in e.value.message


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword is not installed")
def test_legacy_doc():
    data = (FIXTURES / "formats" / "nd_30_2020_phuluc2.doc").read_bytes()
    src = ingest_bytes(data, "phuluc2.doc")
    assert src.source_format == "doc"
    assert "VIẾT HOA TRONG VĂN BẢN HÀNH CHÍNH" in src.text
    with pytest.raises(IngestError) as e:
        ingest_bytes(data[:2000], "cut.doc")
    assert e.value.error_type in ("corrupt", "empty")
