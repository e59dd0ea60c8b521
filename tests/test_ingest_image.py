"""Scans kept as image files (TIFF, multi-page; JPEG; PNG) read as scanned PDFs are.

The three samples in data/raw are pages of real chinhphu.vn scans (the dev corpus's
``sc_ttg_196_cd``, ``sc_vpcp_9757_cv``, ``sc_ttg_1009_smartdocs``) saved as a two-page CCITT G4
TIFF at 200 dpi, a 150 dpi greyscale JPEG and a 200 dpi bilevel PNG.
"""

from __future__ import annotations

import io

import pytest

from conftest import ROOT
from pipeline.ingest import detect_format, ingest_bytes
from pipeline.ingest.errors import IngestError
from pipeline.ingest.ocr import tesseract_ready
from pipeline.parse import parse_text

RAW = ROOT / "data" / "raw"
SAMPLES = [
    ("cong_dien_196_CD-TTg_scan.tiff", 2, "Công điện", "196/CĐ-TTg", "2025-10-12"),
    ("cong_van_9757_VPCP-CN_scan.jpg", 1, "Công văn", "9757/VPCP-CN", "2025-10-10"),
    ("quyet_dinh_1009_QD-TTg_scan.png", 1, "Quyết định", "1009/QĐ-TTg", "2024-09-19"),
]


@pytest.mark.parametrize(("name", "pages", "doc_type", "number", "date"), SAMPLES, ids=[s[0].rsplit(".", 1)[1] for s in SAMPLES])
def test_a_scan_kept_as_an_image_file_is_read(name, pages, doc_type, number, date):
    if not tesseract_ready():
        pytest.skip("tesseract with the vie model is not installed")
    data = (RAW / name).read_bytes()
    source = ingest_bytes(data, name.rsplit(".", 1)[0])  # told by its bytes, not its name
    assert (source.source_format, source.text_source) == ("image", "ocr")
    assert len(source.page_starts) == pages and source.page_starts[0] == 0
    fields = parse_text(source.text).fields
    assert (fields.doc_type, fields.doc_number, fields.issue_date) == (doc_type, number, date)


@pytest.mark.parametrize(
    ("head", "fmt"),
    [(b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"), (b"\x89PNG\r\n\x1a\n\x00", "image"), (b"II*\x00\x08\x00", "image"), (b"MM\x00*\x00", "image")],
    ids=["jpeg", "png", "tiff-le", "tiff-be"],
)
def test_image_formats_are_told_by_their_bytes(head, fmt):
    assert detect_format(head + b"\x00" * 20, "scan.bin") == fmt


def test_a_damaged_image_is_an_error_row_not_a_crash():
    with pytest.raises(IngestError) as info:
        ingest_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "scan.png")
    assert info.value.error_type == "corrupt"


def test_a_tiff_with_too_many_pages_is_refused_before_ocr():
    from PIL import Image

    from pipeline.limits import Limits

    frames = [Image.new("1", (40, 40), 1) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="group4")
    with pytest.raises(IngestError) as info:
        ingest_bytes(buf.getvalue(), "scan.tif", Limits(max_pages=2))
    assert info.value.error_type == "too_many_pages"
