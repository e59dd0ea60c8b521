"""OCR's preparation and judgement: the image Tesseract reads, what it says it is unsure of, the pixel cap,
the cache, and which pages are sent to it at all."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "pdf"))

from pdfgen import Run, make_pdf  # noqa: E402

from pipeline.ingest import ocr  # noqa: E402
from pipeline.ingest import pdf as pdf_module  # noqa: E402
from pipeline.ingest.ocr import OcrPage, grey_for_ocr, page_scale, review_notes  # noqa: E402
from pipeline.ingest.quality import page_quality  # noqa: E402


def _tsv(lines: list[list[tuple[str, float]]], top: int = 300) -> str:
    """Tesseract's TSV for words (text, confidence), one line per list."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for n, words in enumerate(lines):
        for k, (word, conf) in enumerate(words):
            rows.append(f"5\t1\t1\t1\t{n + 1}\t{k + 1}\t{100 + 80 * k}\t{top + 60 * n}\t70\t40\t{conf}\t{word}")
    return "\n".join(rows)


def test_handwritten_number_and_day_read_with_little_confidence_are_reported():
    tsv = _tsv([[("Số:", 93.0), ("⁄JJ5", 40.8), ("/CV-", 91.6), ("BTV", 92.0)], [("Lâm", 96.0), ("Đồng,", 85.0), ("ngày-14", 78.0), ("tháng", 96.0), ("9", 97.0), ("năm", 97.0), ("2025", 97.0)]])
    notes = review_notes(tsv, 3500)
    assert [n.split(":")[0] for n in notes] == ["doc_number", "issue_date"]


def test_a_clear_number_and_day_are_not_reported():
    tsv = _tsv([[("Số:", 93.0), ("9757/VPCP-CN", 91.6)], [("Hà", 96.0), ("Nội,", 95.0), ("ngày", 96.0), ("10", 93.0), ("tháng", 96.0), ("10", 97.0), ("năm", 97.0), ("2025", 97.0)]])
    assert review_notes(tsv, 3500) == []
    # a number and a day missing altogether (the ink gave nothing) are reported
    tsv = _tsv([[("Số:", 93.0), ("/CĐ-TTg", 91.6)], [("Hà", 96.0), ("Nội,", 95.0), ("ngày", 96.0), ("tháng", 96.0), ("10", 97.0), ("năm", 97.0), ("2025", 97.0)]])
    assert len(review_notes(tsv, 3500)) == 2
    # body text below the header is not the document's number or date
    tsv = _tsv([[("số", 90.0), ("1199/QĐ-TTg", 40.0)], [("ngày", 96.0), ("l8", 30.0), ("tháng", 96.0), ("02", 97.0), ("năm", 97.0), ("2025", 97.0)]], top=2000)
    assert review_notes(tsv, 3500) == []


def test_red_ink_becomes_paper_and_blue_ink_stays_dark():
    """The seal over the signer's name is removed; a handwritten number in blue stays as dark as print."""
    rgb = np.array([[[20, 20, 20], [210, 40, 50], [40, 60, 190], [250, 250, 250]]], dtype=np.uint8)
    grey = grey_for_ocr(rgb)
    black, red, blue, paper = grey[0]
    assert red == 255 and paper == 250
    assert black < 40 and blue < 100


def test_red_ink_is_told_apart_on_every_combination_of_channels():
    """The red mask and the grey image, on random pixels in both byte orders, are what the rule says pixel by
    pixel: red where the red channel stands more than ``RED_INK`` above both others (no byte wraps)."""
    pixels = np.random.default_rng(7).integers(0, 256, size=(300, 300, 4), dtype=np.uint8)
    for bgr in (False, True):
        grey, red, blue = ocr.separate_ink(pixels, bgr=bgr)
        r, g, b = (pixels[:, :, i].astype(np.int16) for i in ((2, 1, 0) if bgr else (0, 1, 2)))
        want = (r - ocr.RED_INK > g) & (r - ocr.RED_INK > b)
        assert want.any() and not want.all()
        assert np.array_equal(red, want)
        assert np.array_equal(grey, np.where(want, 255, np.maximum(r, g)).astype(np.uint8))
        assert np.array_equal(blue, b.astype(np.uint8))


def test_a_huge_page_is_rendered_within_the_pixel_cap():
    scale, note = page_scale(4000, 4000)
    assert 4000 * 4000 * scale * scale <= ocr.MAX_PIXELS * 1.001
    assert note and "pixel cap" in note
    assert page_scale(595, 842) == (300 / 72, None)


def test_a_huge_page_is_rendered_small_and_says_so(monkeypatch):
    """A 4,000-point page with nothing but an image: rendered under the cap, the review says why."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    page = doc.new_page(4000, 4000)
    bitmap = pdfium.PdfBitmap.new_native(40, 40, pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((200, 200, 200, 255), 0, 0, 40, 40)
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(3800, 3800).translate(100, 100))
    page.insert_obj(image)
    page.gen_content()
    buf = io.BytesIO()
    doc.save(buf)
    seen = []
    monkeypatch.setattr(ocr, "tesseract_ready", lambda: True)
    monkeypatch.setattr(ocr, "read_tsv", lambda image: seen.append(len(image)) or _tsv([[("Căn", 95.0), ("cứ", 95.0), ("Luật", 95.0), ("Tổ", 95.0), ("chức", 95.0), ("Chính", 95.0), ("phủ", 95.0), ("ngày", 95.0)]]))
    source = pdf_module.read_pdf(buf.getvalue())
    assert seen and seen[0] <= ocr.MAX_PIXELS * 1.01
    assert any("pixel cap" in note for note in source.review)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("2\nQUY ĐỊNH\nQUẢN LÝ VÀ KHAI T", 0.9, 1.0),  # a short page of capitals is not garbage
        ("TINH trY LAM DONG BAO VA PHAT THANH, TRUYEN HINH Lam Dang, ngay 03 thang 9 nam 2025 Kinh g£ri Sd N6i vp tinh Lam Dang", 0.0, 0.3),
        ("Cdn c* LuQt Tii ch*c chinh quyin dia phucrng ngdy 16 thdng 6 ndm 2025; Cdn c* Lugt C6ng chilmg ngdy 26 thdng", 0.0, 0.3),
    ],
    ids=["capitals", "scanner-layer-unmarked", "scanner-layer-mangled"],
)
def test_page_quality_tells_a_scanners_garbled_layer(text, low, high):
    assert low <= page_quality(text) <= high


def test_an_english_text_page_is_not_sent_to_ocr(monkeypatch):
    """No Vietnamese marks, but nothing drawn either: a born-digital page in English is read as it is."""
    calls = []
    monkeypatch.setattr(pdf_module, "ocr_page", lambda page, **kw: calls.append(page) or OcrPage([]))
    lines = ["This agreement is made between the parties named below and enters into force", "on the date of its signature by both of them, for a period of five years."]
    source = pdf_module.read_pdf(make_pdf([[Run(85, 100 + 18 * i, t) for i, t in enumerate(lines)]]))
    assert not calls and source.text_source == "text" and source.text.startswith("This agreement")


def test_ocr_is_cached_by_image_so_a_second_read_runs_no_tesseract(tmp_path, monkeypatch):
    if not ocr.tesseract_ready():
        pytest.skip("tesseract with the vie model is not installed")
    from test_ingest_pdf import image_pdf

    monkeypatch.setenv("VANBAN_OCR_CACHE", str(tmp_path / "cache"))
    runs = []
    real = ocr._run_tesseract
    monkeypatch.setattr(ocr, "_run_tesseract", lambda image: runs.append(1) or real(image))
    pdf = image_pdf(2)
    first = [e.error_type if isinstance(e, Exception) else e for e in [_try(pdf)]]
    assert len(runs) == 1  # the two pages are one image: read once
    second = [e.error_type if isinstance(e, Exception) else e for e in [_try(pdf)]]
    assert len(runs) == 1 and first == second  # nothing read again
    entries = list((tmp_path / "cache").rglob("*.tsv"))
    assert len(entries) == 1  # the two pages are the same image: one entry
    assert not list((tmp_path / "cache").rglob(".tmp-*"))


def _try(pdf: bytes):
    try:
        return pdf_module.read_pdf(pdf).text
    except Exception as exc:  # noqa: BLE001 - a blank scan is 'empty'
        return exc


def _scan_pdf(grey: bool) -> bytes:
    """One page holding one JPEG image, grey or in colour (a red patch), as a scanner writes it."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("L" if grey else "RGB", (60, 80), 200 if grey else (210, 30, 40)).save(jpeg, "JPEG")
    jpeg.seek(0)
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    image = pdfium.PdfImage.new(doc)
    image.load_jpeg(jpeg, inline=True)
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_grey_scan_is_rendered_in_grey_and_a_colour_one_in_colour():
    """A 1-bit or grey scan has no ink to separate: it is rendered in grey at once, where a colour scan
    is rendered in colour for its red ink to be taken out."""
    import pypdfium2 as pdfium

    from pipeline.ingest.rulings import page_objects

    for grey in (True, False):
        doc = pdfium.PdfDocument(_scan_pdf(grey))
        page = doc[0]
        objects = page_objects(page)
        assert objects.colour is (not grey)
        image, colour, scale, _ = ocr._render(page, 72, objects.colour)
        assert image.ndim == 2 and image.shape == (842, 595)
        assert (colour is None) is grey
        if not grey:  # the red ink became paper
            assert colour[0].mean() > 0.9 and image.mean() > 250
