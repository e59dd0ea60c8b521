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

import unicodedata
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest.errors import IngestError
from pipeline.ingest.geometry import Page
from pipeline.ingest.layout import join_split_rows, page_text
from pipeline.ingest.legacy_fonts import detect_legacy, has_unicode_vietnamese, to_unicode
from pipeline.ingest.pages import join_pages, strip_margins
from pipeline.ingest.quality import MIN_LETTERS, OCR_BELOW, page_quality
from pipeline.ingest.reflow import line_pitch, text_block
from pipeline.ingest.rulings import PageObjects, page_objects
from pipeline.ingest.stamps import mark_stamp_lines
from pipeline.ingest.text_layer import text_layer_lines
from pipeline.limits import DEFAULT
from pipeline.models import Block, SourceText

SCAN_COVER = 0.5  # an image covering this share of the page or more makes it a scan
SCAN_TEXT_EXTENT = 0.5  # a good text layer spanning less of a scan's height than this is not its text
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


def _load_page(doc: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """Page ``index`` with what annotations and form widgets print on it made part of its content.

    E-office signing systems stamp the number and the day (``Số: 8977/BNV-TCPCP``, ``ngày 06``) as
    signature widgets whose appearance is drawn over blanks left in the text: the text layer says
    ``Số:   /BNV-TCPCP``. Flattened (as printed), the widgets' text joins the page's text at its
    position, and the image OCR reads holds it too. A widget that draws a picture is a signature
    box (the signer's scanned signature and seal, a portal's ``Người ký: … Cơ quan: …`` banner over
    a scan): it is removed instead, so it neither hides the page from OCR nor adds its labels to
    the document's text.
    """
    page = doc[index]
    raw = page.raw
    count = pdfium_c.FPDFPage_GetAnnotCount(raw)
    if count > 0:
        drawn = False  # an annotation left that has an appearance to flatten (a link usually has none)
        for i in reversed(range(count)):
            annot = pdfium_c.FPDFPage_GetAnnot(raw, i)
            pictured = bool(annot) and _draws_image(annot)
            if annot:
                drawn = drawn or (not pictured and bool(pdfium_c.FPDFAnnot_HasKey(annot, b"AP")))
                pdfium_c.FPDFPage_CloseAnnot(annot)
            if pictured:
                pdfium_c.FPDFPage_RemoveAnnot(raw, i)
        if drawn and pdfium_c.FPDFPage_Flatten(raw, pdfium_c.FLAT_PRINT) == pdfium_c.FLATTEN_SUCCESS:
            page.close()  # the handle's content is stale: load the page again (removing an annotation leaves it as it is)
            page = doc[index]
    return page


def _draws_image(annot) -> bool:
    """Whether an annotation's appearance draws an image (looked for two form levels deep)."""

    def walk(obj, depth: int) -> bool:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 3:
            return any(walk(pdfium_c.FPDFFormObj_GetObject(obj, k), depth + 1) for k in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
        return False

    return any(walk(pdfium_c.FPDFAnnot_GetObject(annot, k), 0) for k in range(pdfium_c.FPDFAnnot_GetObjectCount(annot)))


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


def _compose(page: Page) -> None:
    """Every segment's text in NFC, in place: a producer that writes ``cứ`` as ``ư`` and a combining
    acute hid ``Căn cứ`` from the rules that keep an item's first line from being taken for a running
    header or joined to the line above (the first ``Căn cứ`` line of each page was dropped)."""
    for line in page.lines:
        for seg in line.segments:
            if not unicodedata.is_normalized("NFC", seg.text):
                seg.text = unicodedata.normalize("NFC", seg.text)


def ocr_page(page: pdfium.PdfPage, **kwargs):
    """Tesseract's reading of one page (``ocr.ocr_page``): OCR and its repairs are loaded on the first
    page that needs them, never by a document whose text layer is read."""
    from pipeline.ingest.ocr import ocr_page as read

    return read(page, **kwargs)


@dataclass
class _PageRead:
    """One page's text layer as read, and what decides whether OCR must read its image instead."""

    page: Page
    source: str  # 'text', 'ocr' or '' (nothing read)
    quality: float
    objects: PageObjects
    letters: int


def _scan(read: _PageRead, decorations: set[str]) -> bool:
    """The page is a picture of paper: one image covers most of it and is not a letterhead or watermark
    that pages with a good text layer repeat."""
    return read.objects.cover >= SCAN_COVER and read.objects.picture not in decorations


def _text_extent(page: Page) -> float:
    """The share of the page's height its text layer's lines span."""
    if not page.lines:
        return 0.0
    return (max(ln.bottom for ln in page.lines) - min(ln.top for ln in page.lines)) / max(1.0, page.height)


def _needs_ocr(read: _PageRead, decorations: set[str]) -> bool:
    """A page whose text layer does not hold what the page shows.

    Garbage text over a scan or in a broken font (glyphs mapped to the wrong letters), no text over a
    scan, or a scan whose text layer covers only a strip of it (a portal's banner). A page with little
    text and nothing drawn (a blank page, a last page holding a word and the page number), or whose
    only picture is the letterhead or watermark every good page carries, is taken as it is: OCR could
    not find more there, and a page whose result would not be used is not read. A born-digital page
    of plain ASCII (a page in English) is not a broken font.
    """
    scan = _scan(read, decorations)
    if read.quality >= OCR_BELOW:
        return scan and _text_extent(read.page) < SCAN_TEXT_EXTENT
    if scan:
        return True
    text = _lines_text(read.page)
    return read.letters >= MIN_LETTERS and not text.isascii() and page_quality(text, marks=False) < OCR_BELOW


def _first_pass(doc: pdfium.PdfDocument, index: int, first: bool) -> _PageRead:
    """One page's text layer, legacy fonts converted, its score and what it draws."""
    try:
        page = _load_page(doc, index)
    except pdfium.PdfiumError as exc:
        raise IngestError("corrupt", f"page {index + 1} cannot be read: {exc}") from exc
    try:
        width, height = page.get_size()
        objects = page_objects(page)
        result = Page(text_layer_lines(page, first_page=first, objects=objects), width, height)
    finally:
        page.close()
    _settle_legacy(result)
    _compose(result)
    text = _lines_text(result)
    return _PageRead(result, "text" if result.lines else "", page_quality(text), objects, sum(map(str.isalpha, text)))


def _ocr(doc: pdfium.PdfDocument, index: int, read: _PageRead, notes: list[str]) -> None:
    """Read page ``index``'s image and keep the reading where it holds more than the text layer, in place."""
    page = _load_page(doc, index)
    try:
        scanned = ocr_page(page, colour=read.objects.colour or read.objects.images == 0, header=index == 0)
    finally:
        page.close()
    ocr_page_lines = Page(scanned.lines, read.page.width, read.page.height)
    quality = page_quality(_lines_text(ocr_page_lines))
    covers_more = read.quality >= OCR_BELOW  # the text was good but covered a strip of the scan
    if not read.page.lines or (quality > read.quality if not covers_more else quality >= OCR_BELOW):
        read.page, read.source, read.quality = ocr_page_lines, "ocr" if scanned.lines else "", quality
        first = index == 0 or not any(n.startswith("page ") for n in notes)
        notes.extend(f"page {index + 1}: {note}" for note in scanned.notes if first or "pixel cap" in note)


def read_pdf(data: bytes, max_pages: int = DEFAULT.max_pages) -> SourceText:
    """A PDF's text, page starts, text source (text, ocr, mixed) and quality (mean page score)."""
    doc = _open(data)
    try:
        n = len(doc)
        if n == 0:
            raise IngestError("empty", "the PDF has no pages")
        if n > max_pages:
            raise IngestError("too_many_pages", f"the PDF has {n:,} pages, over the limit of {max_pages:,} (--max-pages)")
        reads: list[_PageRead] = []
        read_any = False  # a page before held text: the header zone is looked for on the first that does
        for i in range(n):
            reads.append(_first_pass(doc, i, first=not read_any))
            read_any = read_any or bool(reads[-1].source)
        repeated = Counter(r.objects.picture for r in reads if r.objects.picture and r.quality >= OCR_BELOW)
        decorations = {key for key, count in repeated.items() if count >= 2}
        ocr_tried = False
        ocr_error: IngestError | None = None
        notes: list[str] = []
        for i, read in enumerate(reads):
            if _needs_ocr(read, decorations):
                ocr_tried = True
                try:
                    _ocr(doc, i, read, notes)
                except IngestError as exc:
                    ocr_error = ocr_error or exc
    finally:
        doc.close()
    pages = [r.page for r in reads]
    sources = [r.source for r in reads]
    text, starts, blocks = pages_text(pages, sources)
    scores = [r.quality for r in reads if r.source]
    if not text.strip():
        if ocr_error is not None:
            raise ocr_error
        if ocr_tried:
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
        blocks=blocks,
        review=tuple(notes),
    )


def pages_text(pages: list[Page], sources: list[str]) -> tuple[str, list[int], tuple[Block, ...]]:
    """Positioned pages (from a text layer or OCR) as one normalized text, the offset of each page and
    the blocks the layout showed (header and signature columns, stamps): margins stripped, columns
    laid out, paragraphs joined, OCR's usual misreadings repaired."""
    for page in pages:
        mark_stamp_lines(page)
    strip_margins(pages)
    first = next((i for i, s in enumerate(sources) if s), 0)
    block = text_block([p.lines for p in pages], max(p.width for p in pages))
    block.pitch = line_pitch([ln for p in pages for ln in p.lines])
    texts = []
    for i, (page, source) in enumerate(zip(pages, sources)):
        out = page_text(page, block, first_page=i == first, before=texts[-1] if texts else None)
        if source == "ocr":
            from pipeline.ingest.ocr_fixes import fix_line, labels_fixed

            kept = labels_fixed([fix_line(p) for p in out.paragraphs])
            out.kinds = [out.kinds[i] for i, _ in kept]
            out.paragraphs = [p for _, p in kept]
        texts.append(out)
    if texts and texts[-1].carried:  # the document ends with the list: the signature comes last
        texts[-1].add(texts[-1].carried, "signature_right")
    join_split_rows(texts)
    return join_pages(texts, block)
