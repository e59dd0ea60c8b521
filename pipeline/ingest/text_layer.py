"""The text layer of one PDF page as positioned lines, read with PDFium.

PDFium gives text in content-stream order, with its own line breaks. That is right for
most lines, but not all: a PDF made with a fallback font writes the glyphs the main font
lacks (``ộ``, ``ư`` …) after the rest of the line, and a header written row by row puts
both columns on one line. Each line is checked cheaply by its text-object rectangles (a
few per line, where a gap wider than a column gap splits it); only lines whose runs
overlap, run backwards or change baseline, and the header zone of page 1, are rebuilt
from character boxes, which costs a call per character. Lines that PDFium gave apart but
that stand on one baseline are then merged into one row (``layout.merge_rows``), and a
ruled table (``rulings``) is read cell by cell into pipe rows.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_right

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import regex

from pipeline.ingest import pdfium_calls as calls

from pipeline.ingest.geometry import Line, Segment, merge_rows
from pipeline.ingest.layout import HEADER_ZONE
from pipeline.ingest.reflow import join_wrapped
from pipeline.ingest.rulings import MIN_COLUMNS, Grid, PageObjects, find_grids, page_objects

SEGMENT_GAP = 1.8  # × line height: a wider gap starts a new segment (a column, a tab stop)
SPACE_GAP = 0.12  # × character box height: a wider gap between two glyphs is a space
WORD_GAP = 0.12  # × letter height over the line's usual letter gap: a word gap the font left unwritten
OVERLAP = 0.1  # × character box height: glyphs overlapping more than this touch (a stamp over a slash)
_BREAK = re.compile(r"\r\n|\r|\n")
_VN_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_VN_UPPER = _VN_LOWER.upper()
# No Vietnamese word holds eight letters, nor a capital after a small letter (in a legacy font's
# look-alikes, ``nhËn``, the capital is not a Vietnamese letter).
_UNSPACED_SHAPE = rf"\p{{L}}{{8}}|[{_VN_LOWER}][{_VN_UPPER}]"
_UNSPACED = regex.compile(_UNSPACED_SHAPE)
_UNSPACED_TOKEN = regex.compile(rf"\S*(?:{_UNSPACED_SHAPE})\S*")
# The same shape loosened for the standard library's faster engine (every letter is a word character),
# asked first of each line: most lines hold neither, and only those that match are asked ``_UNSPACED``.
_UNSPACED_ROUGH = re.compile(rf"\w{{8}}|[{_VN_LOWER}][{_VN_UPPER}]")

# Digits right after a word or a closing mark: where a footnote's marker stands (``NĐ-CP2``, ``nhiệm1``).
_MARKER_DIGITS = regex.compile(r"(?<=[\p{L}\p{M})\].,;:”\"’])\d{1,3}(?!\d)")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUPERSCRIPT_SIZE = 0.8  # × the letter before: a smaller digit …
SUPERSCRIPT_RISE = 0.15  # … standing this share of its height above the letter's baseline is a footnote's marker

Rect = tuple[float, float, float, float]  # left, bottom, right, top (PDF space, y up)
Char = tuple[float, float, float, float, str, int]  # x0, x1, top, bottom (y down), char, stream index


def _text_of(textpage: pdfium.PdfTextPage, n: int) -> str:
    """The page's characters, one per PDFium character index."""
    text = textpage.get_text_range(0, n)
    if len(text) == n:
        return text
    get = pdfium_c.FPDFText_GetUnicode
    return "".join(chr(get(textpage.raw, i) or 32) for i in range(n))


def _without_watermarks(textpage: pdfium.PdfTextPage, text: str, faint: set[int]) -> str:
    """The page's characters with those a watermark draws (see-through or slanted text objects) blanked,
    so ``ATTESTING WILL`` or ``namtn.attp_19/07/2025`` never joins the signer's line or the subject."""
    if not faint:
        return text
    get, raw = calls.text_get_text_object, calls.handle(textpage.raw)
    out = list(text)
    for i, ch in enumerate(text):
        if not ch.isspace() and get(raw, i) in faint:
            out[i] = " "
    return "".join(out)


def _with_superscripts(textpage: pdfium.PdfTextPage, text: str) -> str:
    """The page's characters with a footnote's marker glued to a word (``126/2024/NĐ-CP2``, the ``2``
    set smaller and raised) written as superscript digits (``NĐ-CP²``): the cited number is then read
    as printed, and the marker is kept apart from it. Told by the digits' boxes against the letter
    before them, asked only where digits follow a word."""
    if not _MARKER_DIGITS.search(text):
        return text
    box = pdfium_c.FS_RECTF()
    ref, get, raw = ctypes.byref(box), pdfium_c.FPDFText_GetLooseCharBox, textpage.raw
    out = None
    for m in _MARKER_DIGITS.finditer(text):
        if not get(raw, m.start() - 1, ref):
            continue
        prev_bottom, prev_height = box.bottom, box.top - box.bottom
        if prev_height <= 0 or not get(raw, m.start(), ref):
            continue
        if box.top - box.bottom < SUPERSCRIPT_SIZE * prev_height and box.bottom > prev_bottom + SUPERSCRIPT_RISE * prev_height:
            out = out if out is not None else list(text)
            out[m.start() : m.end()] = m.group().translate(_SUPERSCRIPT)
    return "".join(out) if out is not None else text


def _backwards(a: Rect, b: Rect) -> bool:
    """Run ``b`` starts left of where ``a`` ends on one baseline: a glyph written after the rest of its line."""
    ha, hb = a[3] - a[1], b[3] - b[1]
    return b[0] < a[2] - 0.2 * max(ha, 1.0) and min(a[3], b[3]) - max(a[1], b[1]) >= 0.3 * min(ha, hb)


def _in_order(rects: list[Rect]) -> bool:
    """True when the runs of a line go left to right on one baseline without overlapping."""
    for a, b in zip(rects, rects[1:]):
        ha, hb = a[3] - a[1], b[3] - b[1]
        if b[0] < a[2] - 0.2 * max(ha, 1.0):
            return False
        if min(a[3], b[3]) - max(a[1], b[1]) < 0.3 * min(ha, hb):
            return False
    return True


def _with_unwritten_spaces(text: str, gaps: dict[int, float], height: float) -> str:
    """``text`` with the spaces put back that a font drew as gaps but never wrote.

    Some producers set words apart by moving the pen, with no space character, and PDFium does not
    always make one up (``SỞVĂNHÓA,THỂTHAOVÀDULỊCH`` in a condensed font, ``ThịBích``). A token no
    Vietnamese word forms (eight letters or more, a capital after a small letter) is cut where its
    glyphs stand further apart than the line's letters usually do. ``gaps[i]``: the gap between the
    glyphs at ``i - 1`` and ``i`` of ``text``, where both are drawn side by side.
    """
    if len(gaps) < 4 or not _UNSPACED.search(text):
        return text
    typical = sorted(gaps.values())[len(gaps) // 2]
    wide = typical + WORD_GAP * height
    cut = {i for m in _UNSPACED_TOKEN.finditer(text) for i in range(m.start() + 1, m.end()) if gaps.get(i, typical) > wide}
    if not cut:
        return text
    return "".join((" " if i in cut else "") + ch for i, ch in enumerate(text))


class _Chars:
    """Character boxes of one text page, read on demand (a PDFium call per character)."""

    def __init__(self, textpage: pdfium.PdfTextPage, text: str, height: float):
        self.textpage, self.text, self.height = textpage, text, height
        self._box = pdfium_c.FS_RECTF()

    def spaced(self, s: int, e: int) -> str:
        """The stream's text [s, e) with the spaces a font drew as gaps but never wrote put back."""
        raw = self.text[s:e]
        if not _UNSPACED_ROUGH.search(raw) or not _UNSPACED.search(raw):
            return raw
        ref, get, heights = ctypes.byref(self._box), pdfium_c.FPDFText_GetLooseCharBox, []
        gaps: dict[int, float] = {}
        prev_right = None
        for k, ch in enumerate(raw):
            if ch.isspace() or not get(self.textpage.raw, s + k, ref):
                prev_right = None
                continue
            if prev_right is not None:
                gaps[k] = self._box.left - prev_right
            prev_right = self._box.right
            heights.append(self._box.top - self._box.bottom)
        return _with_unwritten_spaces(raw, gaps, sorted(heights)[len(heights) // 2] if heights else 0.0)

    def space_between(self, indexes: tuple[int, ...], x0: float, x1: float, row: Char) -> bool:
        """Whether the content stream itself holds a space at one of ``indexes`` (not one PDFium made up
        for a gap) drawn on ``row``'s baseline between ``x0`` (where the glyph before ends) and ``x1``
        (where the next one ends): the blank a stamped number was put in, not a space that ended a
        run elsewhere on the line or one the glyph before was already put after."""
        box, text = self._box, self.text
        for i in indexes:
            if not (0 <= i < len(text) and text[i] == " "):
                continue
            if pdfium_c.FPDFText_IsGenerated(self.textpage.raw, i):
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(self.textpage.raw, i, ctypes.byref(box)):
                continue
            mid_x, mid_y = (box.left + box.right) / 2, self.height - (box.top + box.bottom) / 2
            if x0 <= mid_x <= x1 and row[2] <= mid_y <= row[3]:
                return True
        return False

    def glyphs(self, spans: list[tuple[int, int]]) -> list[Char]:
        """The visible characters of the given stream ranges with their loose boxes."""
        ref = ctypes.byref(self._box)
        get = pdfium_c.FPDFText_GetLooseCharBox
        raw, text, box, height = self.textpage.raw, self.text, self._box, self.height
        chars: list[Char] = []
        for s, e in spans:
            for i in range(s, e):
                ch = text[i]
                if ch.isspace() or ch == "\x00":
                    continue
                if not get(raw, i, ref) or box.top - box.bottom <= 0:
                    continue
                chars.append((box.left, box.right, height - box.top, height - box.bottom, ch, i))
        return chars


def _rect_line(chars: _Chars, s: int, e: int, rects: list[Rect]) -> Line | None:
    """A line whose runs are in order: PDFium's text, split where a run starts after a wide gap."""
    textpage, height = chars.textpage, chars.height
    lefts, bottoms, rights, tops = zip(*rects)
    h = sorted([t - b for b, t in zip(bottoms, tops)])[len(rects) // 2] or 1.0
    wide = SEGMENT_GAP * h
    cuts: list[tuple[int, int]] = []  # (char index, rect index) where a new segment starts
    for k, (end, start) in enumerate(zip(rights, lefts[1:]), 1):
        if start - end > wide:
            b = rects[k]
            idx = textpage.get_index(b[0] + 0.5, (b[1] + b[3]) / 2, 1.0, 1.0)
            if idx is None or not (cuts[-1][0] if cuts else s) < idx < e:
                return None
            cuts.append((idx, k))
    segments: list[Segment] = []
    bounds = [(s, 0), *cuts, (e, len(rects))]
    for (c0, r0), (c1, r1) in zip(bounds, bounds[1:]):
        seg_text = " ".join(chars.spaced(c0, c1).split())
        if seg_text:
            segments.append(Segment(seg_text, min(lefts[r0:r1]), max(rights[r0:r1])))
    if not segments:
        return None
    return Line(segments, height - max(tops), height - min(bottoms), spans=[(s, e)], ordered=True)


def _char_rows(glyphs: list[Char], chars: _Chars) -> list[Line]:
    """Lines rebuilt from character boxes: glyphs grouped by baseline, sorted by position, then joined.

    Two glyphs side by side that are also neighbours in the stream are one word, or two
    words when a space stands between them there; glyphs brought together from elsewhere in
    the stream (a stamped number put in the blank left for it) are two words when the stream
    held a space of its own on either side of the jump, drawn after the first glyph and under or
    before the second, or when digits meet letters (``ngày 15 tháng``), and they do not overlap, or when the gap is wide (boxes are less
    exact than the stream, since a font that is not embedded is measured with its substitute).
    Where a fallback font's glyphs were put back into a word, the space PDFium made up for the
    hole they left is not trusted, and neither its place nor the boxes tell whether a real space
    stood there too (``chức`` and ``SỬ DỤNG`` look alike): such a space can be lost. Each line's
    ``spans`` are the stream ranges of its own glyphs, so reading a line again never brings in
    the glyphs of another one.
    """
    if not glyphs:
        return []
    text = chars.text
    glyphs = sorted(glyphs, key=lambda c: c[2] + c[3])
    rows: list[list[Char]] = []
    for c in glyphs:
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
        gaps: dict[int, float] = {}  # gap before parts[k] where no space stands before it
        x0 = prev_x1 = row[0][0]
        prev_i = -2
        for c in row:
            gap = c[0] - prev_x1
            if parts and gap > SEGMENT_GAP * h:
                segments.append(Segment(_with_unwritten_spaces("".join(parts), gaps, h), x0, prev_x1))
                parts, gaps, x0 = [], {}, c[0]
            elif parts and c[5] != prev_i + 1:
                if c[5] == prev_i + 2:
                    if text[prev_i + 1] == " ":
                        parts.append(" ")
                elif gap > SPACE_GAP * h or (
                    gap > -OVERLAP * h
                    and (
                        parts[-1].isdigit() != c[4].isdigit()
                        or chars.space_between((prev_i + 1, c[5] - 1), prev_x1 - OVERLAP * h, c[1], c)
                    )
                ):
                    parts.append(" ")
            if parts and parts[-1] != " ":
                gaps[len(parts)] = gap
            parts.append(c[4])
            prev_x1, prev_i = max(prev_x1, c[1]), c[5]
        segments.append(Segment(_with_unwritten_spaces("".join(parts), gaps, h), x0, prev_x1))
        lines.append(Line(segments, min(c[2] for c in row), max(c[3] for c in row), spans=_own_spans(row, text)))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _own_spans(row: list[Char], text: str) -> list[tuple[int, int]]:
    """The stream ranges holding a row's glyphs and nothing visible but them (white space between is theirs)."""
    idx = sorted(c[5] for c in row)
    spans: list[tuple[int, int]] = []
    start = prev = idx[0]
    for i in idx[1:]:
        if text[prev + 1 : i].strip(" \r\n\t\x00"):
            spans.append((start, prev + 1))
            start = i
        prev = i
    spans.append((start, prev + 1))
    return spans


def _cell_text(lines: list[Line]) -> str:
    return join_wrapped([ln.text for ln in lines])


def _bounded_texts(chars: _Chars, grid: Grid):
    """Cell texts asked of PDFium by rectangle (one call a cell), for tables whose text is in stream order."""
    textpage, height = chars.textpage, chars.height

    def text_of(cell) -> str:
        raw = textpage.get_text_bounded(cell.x0, height - cell.bottom, cell.x1, height - cell.top)
        return join_wrapped(_BREAK.split(raw))

    return text_of


def _placed_texts(chars: _Chars, grid: Grid, spans: list[tuple[int, int]]):
    """Cell texts from character boxes, each glyph put in the cell its centre falls in (glyphs out of order)."""
    buckets: dict[tuple[float, float], list[Char]] = {}  # (cell top, cell x0): a merged cell is one bucket
    tops = [band.top for band in grid.bands]
    lefts = [[cell.x0 for cell in band.cells] for band in grid.bands]
    for c in chars.glyphs(spans):
        x, y = (c[0] + c[1]) / 2, (c[2] + c[3]) / 2
        b = bisect_right(tops, y) - 1
        if b < 0 or y > grid.bands[b].bottom:
            continue
        k = bisect_right(lefts[b], x) - 1
        if k >= 0 and x <= (cell := grid.bands[b].cells[k]).x1:
            buckets.setdefault((cell.top, cell.x0), []).append(c)

    def text_of(cell) -> str:
        return _cell_text(_char_rows(buckets.get((cell.top, cell.x0), []), chars))

    return text_of


def _tables(chars: _Chars, lines: list[Line], grids: list[Grid]) -> list[Line]:
    """The page's lines with those inside a ruled table replaced by the table's rows.

    A row of three or more cells becomes one pipe row (``| a | b | c |``); a row the grid
    merged into fewer cells (a note under the table) becomes its cells' lines.
    """
    for grid in grids:
        inside = [ln for ln in lines if grid.holds(ln.x0, (ln.top + ln.bottom) / 2) and grid.holds(ln.x1, ln.top + 1)]
        if not inside:
            continue
        if all(ln.ordered for ln in inside):
            text_of = _bounded_texts(chars, grid)
        else:
            text_of = _placed_texts(chars, grid, sorted({span for ln in inside for span in ln.spans}))
        rows: list[Line] = []
        for band in grid.bands:
            texts = ["" if cell.continued else text_of(cell) for cell in band.cells]
            if not any(texts):
                continue
            if len(band.cells) >= MIN_COLUMNS:
                rows.append(Line([Segment("| " + " | ".join(texts) + " |", grid.x0, grid.x1)], band.top, band.bottom, table=True))
            else:
                for cell, t in zip(band.cells, texts):
                    if t:
                        rows.append(Line([Segment(t, cell.x0, cell.x1)], band.top, band.bottom, table=True))
        taken = {id(ln) for ln in inside}
        lines = [ln for ln in lines if id(ln) not in taken] + rows
    return lines


class _RectReader:
    """PDFium's text rectangles of a range of characters (a few per line: one per text object run)."""

    def __init__(self, textpage: pdfium.PdfTextPage):
        self.raw = calls.handle(textpage.raw)
        self.box = (ctypes.c_double * 4)()  # left, top, right, bottom
        self.refs = [ctypes.addressof(self.box) + 8 * k for k in range(4)]

    def __call__(self, s: int, n: int) -> list[Rect]:
        """The rectangles of characters [s, s+n): left, bottom, right, top."""
        raw, box, refs, get = self.raw, self.box, self.refs, calls.text_get_rect
        rects = []
        for k in range(calls.text_count_rects(raw, s, n)):
            get(raw, k, *refs)
            rects.append((box[0], box[3], box[2], box[1]))
        return rects


def _in_grid(rects: list[Rect], grids: list[Grid], height: float) -> bool:
    x0, x1 = min(r[0] for r in rects), max(r[2] for r in rects)
    y = height - (min(r[1] for r in rects) + max(r[3] for r in rects)) / 2
    return any(g.holds(x0, y) and g.holds(x1, y) for g in grids)


def _rects_line(rects: list[Rect], height: float, span: tuple[int, int], ordered: bool) -> Line:
    """A stand-in for a line inside a ruled table: its extent and its characters' range, no text yet."""
    x0, x1 = min(r[0] for r in rects), max(r[2] for r in rects)
    return Line([Segment("", x0, x1)], height - max(r[3] for r in rects), height - min(r[1] for r in rects), [span], ordered=ordered)


def text_layer_lines(page: pdfium.PdfPage, first_page: bool = False, objects: PageObjects | None = None) -> list[Line]:
    """The page's text layer as lines top to bottom, ruled tables as pipe rows; [] when the page has no text."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return []
        objects = objects or page_objects(page)
        text = _with_superscripts(textpage, _without_watermarks(textpage, _text_of(textpage, n), objects.faint))
        chars = _Chars(textpage, text, height)
        read_rects = _RectReader(textpage)
        header_bottom = HEADER_ZONE * height if first_page else -1.0
        grids = find_grids(objects.horizontal, objects.vertical)
        lines: list[Line] = []
        s = 0
        for m in [*_BREAK.finditer(text), None]:
            e = m.start() if m else n
            if text[s:e].strip():
                rects = read_rects(s, e - s)
                line = None
                if rects and _in_order(rects) and height - max(r[3] for r in rects) >= header_bottom:
                    line = _rect_line(chars, s, e, rects)
                if line is not None:
                    lines.append(line)
                elif rects:
                    ordered = not any(_backwards(a, b) for a, b in zip(rects, rects[1:]))
                    if grids and _in_grid(rects, grids, height):  # read cell by cell below: the boxes are enough
                        lines.append(_rects_line(rects, height, (s, e), ordered))
                        s = m.end() if m else n
                        continue
                    rebuilt = _char_rows(chars.glyphs([(s, e)]), chars)
                    for ln in rebuilt:  # only a change of baseline: the stream order still reads right
                        ln.ordered = ordered
                    lines.extend(rebuilt)
            s = m.end() if m else n
        if grids:
            lines = _tables(chars, lines, grids)

        def rebuild(a: Line, b: Line) -> list[Line]:
            spans = sorted(set(a.spans) | set(b.spans))
            return _char_rows(chars.glyphs(spans), chars)

        return merge_rows(lines, rebuild)
    finally:
        textpage.close()
