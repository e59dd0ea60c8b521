"""DOCX ingest: body order, two-column tables kept apart, numbering, legacy fonts, broken and hostile files."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from conftest import FIXTURES, fixture_text

from pipeline.ingest import ingest_bytes
from pipeline.ingest.docx import read_docx
from pipeline.ingest.errors import IngestError
from pipeline.limits import Limits
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
    t.style = "Table Grid"  # a bordered grid: a data table
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


def test_broken_docx_files():
    good = _letter_docx("Nội dung.")
    with pytest.raises(IngestError) as e:
        ingest_bytes(good[: len(good) // 2], "cut.docx")
    assert e.value.error_type == "corrupt"
    with pytest.raises(IngestError) as e:
        ingest_bytes(_zip({"word/other.xml": b"x"}), "noword.docx")
    assert e.value.error_type in ("corrupt", "unsupported_format")
    with pytest.raises(IngestError) as e:
        ingest_bytes(_zip({"word/document.xml": b"<a>" + b" " * 5000 + b"</a>"}), "bomb.docx", Limits(max_uncompressed=1000))
    assert e.value.error_type == "too_large_uncompressed" and "--max-uncompressed" in e.value.message


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


# --- body order, layout tables, numbering, legacy fonts, hostile files --------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _save(d: docx.Document) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _list(d: docx.Document, num_id: int, levels: list[tuple[str, str]], start_override: int | None = None) -> str:
    """Add an abstract list with ``levels`` [(numFmt, lvlText)] and a num pointing at it."""
    from docx.oxml import parse_xml

    root = d.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{num_id}">{lvls}</w:abstractNum>')
    first = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    first.addprevious(abstract) if first is not None else root.append(abstract)
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>' if start_override else ""
    )
    root.append(parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>{override}</w:num>'))
    return str(num_id)


def _item(d: docx.Document, text: str, num_id: str, ilvl: int = 0):
    from docx.oxml import parse_xml

    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return p


def test_paragraphs_and_tables_keep_body_order():
    d = docx.Document()
    d.add_paragraph("Đoạn một.")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "Trái"
    t.cell(0, 1).text = "Phải"
    d.add_paragraph("Đoạn hai.")
    lines = [ln for ln in read_docx(_save(d)).text.splitlines() if ln]
    assert lines == ["Đoạn một.", "Trái", "Phải", "Đoạn hai."]


def test_signature_table_keeps_columns_apart():
    """Nơi nhận beside the signature, two rows: the whole left column first, never one line with both."""
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Nơi nhận:\n- Như trên;"
    t.cell(0, 1).text = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    t.cell(1, 0).text = "- Lưu: VT."
    t.cell(1, 1).text = "Nguyễn Văn A"
    inner = t.cell(1, 1).add_table(rows=1, cols=1)  # a nested table
    inner.cell(0, 0).text = "(Đã ký)"
    lines = [ln for ln in read_docx(_save(d)).text.splitlines() if ln]
    assert lines == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A", "(Đã ký)"]


def test_numbering_levels_restart_and_formats():
    d = docx.Document()
    outline = _list(d, 90, [("decimal", "%1."), ("lowerLetter", "%2)"), ("decimal", "%1.%3.")])
    roman = _list(d, 91, [("upperRoman", "%1.")])
    bullets = _list(d, 92, [("bullet", "-"), ("bullet", "o")])
    _item(d, "MỤC ĐÍCH", roman)
    _item(d, "Mục đích", outline)
    _item(d, "Tổ chức", outline, 1)
    _item(d, "Rà soát", outline, 1)
    _item(d, "Yêu cầu", outline)
    _item(d, "Xác định", outline, 1)  # the letters restart under a new number
    _item(d, "Chi tiết", outline, 2)
    _item(d, "Gạch đầu dòng", bullets)
    _item(d, "Gạch cấp hai", bullets, 1)
    _item(d, "NỘI DUNG", roman)
    restarted = _list(d, 93, [("decimal", "%1.")], start_override=5)
    _item(d, "Năm", restarted)
    text = read_docx(_save(d)).text
    expected = ["I. MỤC ĐÍCH", "1. Mục đích", "a) Tổ chức", "b) Rà soát", "2. Yêu cầu", "a) Xác định", "2.1. Chi tiết",
                "- Gạch đầu dòng", "+ Gạch cấp hai", "II. NỘI DUNG", "5. Năm"]
    assert text.splitlines() == expected
    # the labels are Word's: none of them is in the paragraphs' own text
    assert "1. Mục đích" not in "".join(p.text for p in docx.Document(io.BytesIO(_save(d))).paragraphs)


def test_style_numbering_and_word_letters():
    from docx.oxml import parse_xml

    d = docx.Document()
    letters = _list(d, 94, [("lowerLetter", "%1)")])
    style = d.styles.add_style("DiemChu", 1)
    style.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:numId w:val="{letters}"/></w:numPr>'))
    for i in range(6):
        d.add_paragraph(f"điểm {i}", style="DiemChu")
    labels = [ln.split(")")[0] for ln in read_docx(_save(d)).text.splitlines()]
    assert labels == ["a", "b", "c", "d", "e", "f"]  # what Word prints: its letters, not đ


def test_headers_and_footers_are_left_out():
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "CÔNG BÁO ĐẦU TRANG"
    d.sections[0].footer.paragraphs[0].text = "Trang 1"
    d.add_paragraph("Nội dung văn bản.")
    text = read_docx(_save(d)).text
    assert "CÔNG BÁO" not in text and "Trang 1" not in text
    assert "Nội dung văn bản." in text


def _fonted(d: docx.Document, text: str, font: str | None):
    p = d.add_paragraph()
    run = p.add_run(text)
    if font:
        run.font.name = font
    return p


def test_legacy_font_runs_are_converted():
    from legacy_encode import to_tcvn3, to_vni

    d = docx.Document()
    _fonted(d, to_tcvn3("Cộng hòa xã hội chủ nghĩa Việt Nam"), ".VnTime")
    _fonted(d, to_tcvn3("ủy ban nhân dân tỉnh"), ".VnTimeH")  # the capitals font
    _fonted(d, to_vni("Sở Công Thương chủ trì"), "VNI-Times")
    _fonted(d, "Hà Nội, ngày 15 tháng 4 năm 2024", ".VnTime")  # Unicode left in an old font: unchanged
    lines = read_docx(_save(d)).text.splitlines()
    assert lines == ["Cộng hòa xã hội chủ nghĩa Việt Nam", "ỦY BAN NHÂN DÂN TỈNH", "Sở Công Thương chủ trì",
                     "Hà Nội, ngày 15 tháng 4 năm 2024"]


def test_legacy_text_without_font_names_is_detected():
    from legacy_encode import to_tcvn3

    body = fixture_text("seed_cong_van.txt")
    d = docx.Document()
    for line in body.splitlines():
        if line.strip():
            d.add_paragraph(to_tcvn3(line))
    text = read_docx(_save(d)).text
    assert "Xem xét Công văn số 543/SCT-QLCN ngày 15/4/2024 của Sở Công Thương" in text
    assert parse_text(text).fields.signer_name == "Dương Văn Chiêu"


def test_vertically_merged_cells_are_read_once():
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.style = "Table Grid"
    a = t.cell(0, 0).merge(t.cell(2, 0))
    a.text = "Sở Tư pháp"
    for r in range(3):
        t.cell(r, 1).text = f"việc {r}"
    text = read_docx(_save(d)).text
    assert text.count("Sở Tư pháp") == 1


def test_empty_and_encrypted_files():
    with pytest.raises(IngestError) as e:
        ingest_bytes(_save(docx.Document()), "empty.docx")
    assert e.value.error_type == "empty"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 200
    for name in ("locked.docx", "locked.doc"):
        with pytest.raises(IngestError) as e:
            ingest_bytes(ole, name)
        assert e.value.error_type == "encrypted"
    with pytest.raises(IngestError) as e:
        read_docx(ole)
    assert e.value.error_type == "encrypted"


def test_dtd_in_any_part_and_oversized_parts_are_refused():
    good = _letter_docx("Nội dung.")
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["word/styles.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + members["word/styles.xml"][38:]
    with pytest.raises(IngestError) as e:
        ingest_bytes(_zip(members), "dtd.docx")
    assert e.value.error_type == "unsafe_xml"
    with pytest.raises(IngestError) as e:
        ingest_bytes(good, "big.docx", Limits(max_uncompressed=2000))
    assert e.value.error_type == "too_large_uncompressed"


def test_truncated_and_garbage_files():
    good = _letter_docx("Nội dung.")
    for cut in (10, 100, len(good) - 30):
        with pytest.raises(IngestError) as e:
            ingest_bytes(good[:cut], "cut.docx")
        assert e.value.error_type == "corrupt"
    with pytest.raises(IngestError) as e:
        read_docx(b"PK\x03\x04 not really a zip")
    assert e.value.error_type == "corrupt"
    with pytest.raises(IngestError) as e:  # a document.xml that is not XML
        ingest_bytes(_zip({"word/document.xml": b"<w:document", "[Content_Types].xml": b"<Types/>"}), "bad.docx")
    assert e.value.error_type == "corrupt"


def test_a_dangling_relationship_does_not_reject_a_readable_docx():
    """An image the archive lost (its relationship left pointing at nothing): Word shows a blank frame and
    the whole text; so is it read here, the review saying what was left out."""
    from PIL import Image

    d = docx.Document()
    d.add_paragraph("Số: 12/UBND-VX")
    d.add_paragraph("Kính gửi: Sở Tư pháp")
    image = io.BytesIO()
    Image.new("RGB", (10, 10)).save(image, "PNG")
    image.seek(0)
    d.add_picture(image)
    d.add_paragraph("Nơi nhận: như trên.")
    src = zipfile.ZipFile(io.BytesIO(_save(d)))
    members = {i.filename: src.read(i) for i in src.infolist() if not i.filename.startswith("word/media/")}
    doc = ingest_bytes(_zip(members), "a.docx")
    assert doc.text.split() == "Số: 12/UBND-VX Kính gửi: Sở Tư pháp Nơi nhận: như trên.".split()
    assert len(doc.review) == 1 and "word/media/image1.png" in doc.review[0] and "left out" in doc.review[0]
    # a part the body itself needs is no image to leave out: still refused
    del members["word/document.xml"]
    with pytest.raises(IngestError):
        ingest_bytes(_zip(members), "a.docx")
