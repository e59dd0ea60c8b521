"""Scanned pages kept as image files (TIFF, often multi-page; JPEG; PNG) read as a scanned PDF is.

Archives hold scans as image files as often as PDFs. Each frame is decoded with Pillow, its
coloured ink separated as for a PDF page (``ocr.grey_for_ocr``), brought under the pixel cap,
read by Tesseract, and the pages are laid out by the same code as a PDF's (``pdf.pages_text``),
so a TIFF of a letter gives the text its PDF scan gives. The image's own resolution (its dpi,
200 when it does not say) turns pixels into points.
"""

from __future__ import annotations

import io

import numpy as np

from pipeline.ingest.errors import IngestError
from pipeline.ingest.geometry import Page
from pipeline.ingest.ocr import DPI as OCR_DPI
from pipeline.ingest.ocr import MAX_PIXELS, grey_for_ocr, read_grey
from pipeline.ingest.quality import page_quality
from pipeline.limits import DEFAULT
from pipeline.models import Doc

DEFAULT_DPI = 200.0  # scanners' usual resolution, for an image that does not state its own


def _frames(data: bytes, max_pages: int):
    """Each frame of the image as (RGB or grey array, dpi). Raises ``IngestError`` for a damaged or huge file."""
    from PIL import Image, ImageSequence

    try:
        image = Image.open(io.BytesIO(data))
        n = getattr(image, "n_frames", 1)
        if n > max_pages:
            raise IngestError("too_many_pages", f"the image has {n:,} pages, over the limit of {max_pages:,} (--max-pages)")
        for frame in ImageSequence.Iterator(image):
            dpi = frame.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
            dpi = float(dpi) if 50 <= float(dpi) <= 1200 else DEFAULT_DPI
            width, height = frame.size
            if width * height > MAX_PIXELS:  # brought under the cap before decoding it whole
                ratio = (MAX_PIXELS / (width * height)) ** 0.5
                frame = frame.reduce(max(2, int(1 / ratio) + 1))
                dpi *= frame.size[0] / width
            mode = "L" if frame.mode in ("1", "L", "I;16", "I", "F") else "RGB"
            frame = frame.convert(mode)
            if dpi < OCR_DPI * 0.8 and frame.size[0] * frame.size[1] * (OCR_DPI / dpi) ** 2 <= MAX_PIXELS:
                # Tesseract reads small print of a 150-200 dpi scan better brought to 300 dpi, as a PDF page is
                size = (round(frame.size[0] * OCR_DPI / dpi), round(frame.size[1] * OCR_DPI / dpi))
                frame, dpi = frame.resize(size, Image.Resampling.BILINEAR), OCR_DPI
            yield np.asarray(frame), dpi
    except IngestError:
        raise
    except Image.DecompressionBombError as exc:
        raise IngestError("too_large", f"the image is too large to read: {exc}") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise IngestError("corrupt", f"not a readable image: {exc}") from exc


def read_image(data: bytes, max_pages: int = DEFAULT.max_pages) -> Doc:
    """The text of a scanned image file, page by page, by OCR."""
    from pipeline.ingest.pdf import pages_text

    pages: list[Page] = []
    sources: list[str] = []
    scores: list[float] = []
    notes: list[str] = []
    for i, (pixels, dpi) in enumerate(_frames(data, max_pages)):
        grey = pixels if pixels.ndim == 2 else grey_for_ocr(pixels)
        scale = dpi / 72  # pixels per point
        result = read_grey(np.ascontiguousarray(grey), scale)
        height, width = grey.shape[:2]
        pages.append(Page(result.lines, width / scale, height / scale))
        sources.append("ocr" if result.lines else "")
        if result.lines:
            scores.append(page_quality("\n".join(ln.text for ln in result.lines)))
        if i == 0:
            notes.extend(f"page 1: {note}" for note in result.notes)
    if not pages:
        raise IngestError("empty", "the image has no page")
    text, starts = pages_text(pages, sources)
    if not text.strip():
        raise IngestError("empty", "OCR found no text in the image")
    return Doc(
        text=text,
        source_format="image",
        text_source="ocr",
        page_starts=starts,
        quality=round(sum(scores) / len(scores), 3) if scores else 0.0,
        review=tuple(notes),
    )
