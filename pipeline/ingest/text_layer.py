"""The text layer of one PDF page as positioned lines, read with PDFium.

PDFium gives text in content-stream order, with its own line breaks. That is right for
most lines, but not all: a PDF made with a fallback font writes the glyphs the main font
lacks (``ộ``, ``ư`` …) after the rest of the line, and a header written row by row puts
both columns on one line. Each line is checked cheaply by its text-object rectangles (a
few per line, where a gap wider than a column gap splits it); only lines whose runs
overlap, run backwards or change baseline, and the header zone of page 1, are rebuilt
from character boxes, which costs a call per character.
"""

from __future__ import annotations

import ctypes
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest.layout import HEADER_ZONE, Line, Segment

SEGMENT_GAP = 1.8  # × line height: a wider gap starts a new segment (a column, a tab stop)
SPACE_GAP = 0.12  # × character box height: a wider gap between two glyphs is a space
_BREAK = re.compile(r"\r\n|\r|\n")

Rect = tuple[float, float, float, float]  # left, bottom, right, top (PDF space, y up)


def _text_of(textpage: pdfium.PdfTextPage, n: int) -> str:
    """The page's characters, one per PDFium character index."""
    text = textpage.get_text_range(0, n)
    if len(text) == n:
        return text
    get = pdfium_c.FPDFText_GetUnicode
    return "".join(chr(get(textpage.raw, i) or 32) for i in range(n))


def _in_order(rects: list[Rect]) -> bool:
    """True when the runs of a line go left to right on one baseline without overlapping."""
    for a, b in zip(rects, rects[1:]):
        ha, hb = a[3] - a[1], b[3] - b[1]
        if b[0] < a[2] - 0.2 * max(ha, 1.0):
            return False
        if min(a[3], b[3]) - max(a[1], b[1]) < 0.3 * min(ha, hb):
            return False
    return True


def _rect_line(textpage: pdfium.PdfTextPage, text: str, s: int, e: int, rects: list[Rect], height: float) -> Line | None:
    """A line whose runs are in order: PDFium's text, split where a run starts after a wide gap."""
    h = sorted(r[3] - r[1] for r in rects)[len(rects) // 2] or 1.0
    cuts: list[tuple[int, int]] = []  # (char index, rect index) where a new segment starts
    for k in range(1, len(rects)):
        a, b = rects[k - 1], rects[k]
        if b[0] - a[2] > SEGMENT_GAP * h:
            idx = textpage.get_index(b[0] + 0.5, (b[1] + b[3]) / 2, 1.0, 1.0)
            if idx is None or not (cuts[-1][0] if cuts else s) < idx < e:
                return None
            cuts.append((idx, k))
    segments: list[Segment] = []
    bounds = [(s, 0), *cuts, (e, len(rects))]
    for (c0, r0), (c1, r1) in zip(bounds, bounds[1:]):
        seg_text = " ".join(text[c0:c1].split())
        if seg_text:
            segments.append(Segment(seg_text, min(r[0] for r in rects[r0:r1]), max(r[2] for r in rects[r0:r1])))
    if not segments:
        return None
    return Line(segments, height - max(r[3] for r in rects), height - min(r[1] for r in rects))


def _char_lines(textpage: pdfium.PdfTextPage, text: str, s: int, e: int, height: float) -> list[Line]:
    """Lines rebuilt from character boxes: glyphs sorted by position, then joined.

    Two glyphs side by side that are also neighbours in the stream are one word, or two
    words when a space stands between them there; glyphs brought together from elsewhere in
    the stream are joined by the width of the gap (boxes are less exact than the stream,
    since a font that is not embedded is measured with its substitute).
    """
    box = pdfium_c.FS_RECTF()
    ref = ctypes.byref(box)
    get = pdfium_c.FPDFText_GetLooseCharBox
    raw = textpage.raw
    chars: list[tuple[float, float, float, float, str, int]] = []  # x0, x1, bottom, top, char, index
    for i in range(s, e):
        ch = text[i]
        if ch.isspace() or ch == "\x00":
            continue
        if not get(raw, i, ref) or box.top - box.bottom <= 0:
            continue
        chars.append((box.left, box.right, box.bottom, box.top, ch, i))
    if not chars:
        return []
    chars.sort(key=lambda c: -(c[2] + c[3]))
    rows: list[list[tuple[float, float, float, float, str, int]]] = []
    for c in chars:
        mid = (c[2] + c[3]) / 2
        if rows and rows[-1][0][2] <= mid <= rows[-1][0][3]:
            rows[-1].append(c)
        else:
            rows.append([c])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda c: (c[0], c[5]))
        h = sorted(c[3] - c[2] for c in row)[len(row) // 2]
        segments: list[Segment] = []
        parts: list[str] = []
        x0 = prev_x1 = row[0][0]
        prev_i = -2
        for c in row:
            gap = c[0] - prev_x1
            if parts and gap > SEGMENT_GAP * h:
                segments.append(Segment("".join(parts), x0, prev_x1))
                parts, x0 = [], c[0]
            elif parts and c[5] != prev_i + 1:
                if (c[5] == prev_i + 2 and text[prev_i + 1] == " ") or (c[5] != prev_i + 2 and gap > SPACE_GAP * h):
                    parts.append(" ")
            parts.append(c[4])
            prev_x1, prev_i = max(prev_x1, c[1]), c[5]
        segments.append(Segment("".join(parts), x0, prev_x1))
        lines.append(Line(segments, height - max(c[3] for c in row), height - min(c[2] for c in row)))
    lines.sort(key=lambda ln: ln.top)
    return lines


def text_layer_lines(page: pdfium.PdfPage, first_page: bool = False) -> list[Line]:
    """The page's text layer as lines in reading order; [] when the page has no text."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return []
        text = _text_of(textpage, n)
        header_bottom = HEADER_ZONE * height if first_page else -1.0
        lines: list[Line] = []
        s = 0
        for m in [*_BREAK.finditer(text), None]:
            e = m.start() if m else n
            if text[s:e].strip():
                rects = [textpage.get_rect(k) for k in range(textpage.count_rects(s, e - s))]
                line = None
                if rects and _in_order(rects) and height - max(r[3] for r in rects) >= header_bottom:
                    line = _rect_line(textpage, text, s, e, rects, height)
                if line is not None:
                    lines.append(line)
                elif rects:
                    lines.extend(_char_lines(textpage, text, s, e, height))
            s = m.end() if m else n
        return lines
    finally:
        textpage.close()
