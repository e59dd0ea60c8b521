"""PDF to text: the text layer where it reads as Vietnamese, OCR where it does not.

Each page's text layer is read with PDFium as positioned lines (``text_layer``); a page
whose text scores low (``quality``: a scan has none, a broken font gives garbage) is
rendered and read by Tesseract (``ocr``), and the better of the two is kept. The lines
then lose page numbers and running headers, the header and signature columns are laid
out one after the other (``layout``), and the pages are joined into one normalized
text with the offset where each page starts (``pages``), so every extracted value can
say its page.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from pipeline.ingest.errors import IngestError
from pipeline.ingest.geometry import Page
from pipeline.ingest.layout import join_split_rows, page_text
from pipeline.ingest.legacy_fonts import detect_legacy, has_unicode_vietnamese, to_unicode
from pipeline.ingest.ocr import ocr_lines
from pipeline.ingest.ocr_fixes import fix_labels, fix_line
from pipeline.ingest.pages import join_pages, strip_margins
from pipeline.ingest.quality import MIN_LETTERS, OCR_BELOW, page_quality
from pipeline.ingest.reflow import line_pitch, text_block
from pipeline.ingest.rulings import PageObjects, page_objects
from pipeline.ingest.text_layer import text_layer_lines
from pipeline.limits import DEFAULT
from pipeline.models import SourceText

_PASSWORD_ERRORS = {4, 5}  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY


def _open(data: bytes) -> pdfium.PdfDocument:
    """The document, or the ``IngestError`` that says why it cannot be opened."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in _PASSWORD_ERRORS or "password" in str(exc).lower() or "security" in str(exc).lower():
            raise IngestError("encrypted", "the PDF is encrypted with a password: it cannot be read") from exc
        raise IngestError("corrupt", f"not a readable PDF: {exc}") from exc


def _lines_text(page: Page) -> str:
    return "\n".join(ln.text for ln in page.lines)


def _settle_legacy(page: Page) -> None:
    """A text layer typed in a TCVN3 or VNI font (``Céng hoµ x· héi``) converted to Unicode, in place.

    The fonts' glyph names map to the Latin-1 characters they reused, so the text layer holds
    those; converting them is exact, where OCR of the page would only approximate. Segments
    that already hold Unicode Vietnamese (a header in a Unicode font) are left as they are.
    """
    legacy = detect_legacy(_lines_text(page))
    if not legacy:
        return
    for line in page.lines:
        for seg in line.segments:
            if not has_unicode_vietnamese(seg.text):
                seg.text = to_unicode(seg.text, legacy)


def _needs_ocr(text: str, quality: float, objects: PageObjects) -> bool:
    """A page whose text layer does not read: garbage text (a broken font), or no text over an image.

    A page with little text and nothing drawn (a blank page, a last page holding a word and
    the page number) is taken as it is: OCR could not find more there.
    """
    if quality >= OCR_BELOW:
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return letters >= MIN_LETTERS or objects.images > 0


def _read_page(doc: pdfium.PdfDocument, index: int, first: bool) -> tuple[Page, str, Exception | None, bool]:
    """One page's lines, where they came from ('text', 'ocr', '' for none), an OCR error (returned, not
    raised) and whether OCR was tried."""
    try:
        page = doc[index]
    except pdfium.PdfiumError as exc:
        raise IngestError("corrupt", f"page {index + 1} cannot be read: {exc}") from exc
    try:
        width, height = page.get_size()
        objects = page_objects(page)
        result = Page(text_layer_lines(page, first_page=first, objects=objects), width, height)
        _settle_legacy(result)
        source = "text" if result.lines else ""
        text = _lines_text(result)
        quality = page_quality(text)
        if not _needs_ocr(text, quality, objects):
            return result, source, None, False
        try:
            scanned = Page(ocr_lines(page), width, height)
        except IngestError as exc:
            return result, source, exc, True
        if page_quality(_lines_text(scanned)) > quality or not result.lines:
            return scanned, "ocr" if scanned.lines else "", None, True
        return result, source, None, True
    finally:
        page.close()


def read_pdf(data: bytes, max_pages: int = DEFAULT.max_pages) -> SourceText:
    """A PDF's text, page starts, text source (text, ocr, mixed) and quality (mean page score)."""
    doc = _open(data)
    try:
        n = len(doc)
        if n == 0:
            raise IngestError("empty", "the PDF has no pages")
        if n > max_pages:
            raise IngestError("too_many_pages", f"the PDF has {n:,} pages, over the limit of {max_pages:,} (--max-pages)")
        pages: list[Page] = []
        sources: list[str] = []
        ocr_tried: list[bool] = []
        ocr_error: Exception | None = None
        for i in range(n):
            page, source, err, tried = _read_page(doc, i, first=not any(sources))
            ocr_tried.append(tried)
            pages.append(page)
            sources.append(source)
            ocr_error = ocr_error or err
    finally:
        doc.close()
    strip_margins(pages)
    first = next((i for i, s in enumerate(sources) if s), 0)
    block = text_block([p.lines for p in pages], max(p.width for p in pages))
    block.pitch = line_pitch([ln for p in pages for ln in p.lines])
    texts = []
    for i, (page, source) in enumerate(zip(pages, sources)):
        out = page_text(page, block, first_page=i == first, before=texts[-1] if texts else None)
        if source == "ocr":
            out.paragraphs = fix_labels([fix_line(p) for p in out.paragraphs])
        texts.append(out)
    if texts and texts[-1].carried:  # the document ends with the list: the signature comes last
        texts[-1].paragraphs.extend(texts[-1].carried)
    join_split_rows(texts)
    text, starts = join_pages(texts, block)
    scores = [page_quality(_lines_text(p)) for p, s in zip(pages, sources) if s]
    if not text.strip():
        if isinstance(ocr_error, IngestError):
            raise ocr_error
        if any(ocr_tried):
            raise IngestError("empty", "the PDF has no text, and OCR found none on its images")
        raise IngestError("empty", f"the PDF's {n} page(s) hold no text and no image")
    used = {s for s in sources if s}
    text_source = "mixed" if len(used) > 1 else used.pop()
    return SourceText(
        text=text,
        source_format="pdf",
        text_source=text_source,
        page_starts=starts,
        page_sources=tuple(s or None for s in sources),
        quality=round(sum(scores) / len(scores), 3) if scores else 0.0,
    )
