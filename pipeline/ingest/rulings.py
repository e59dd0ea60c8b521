"""Ruled tables of a PDF page: the grid of cells that the page's drawn lines make.

A data table in a PDF is drawn with thin lines: Word and LibreOffice draw every border as a
thin path or rectangle. Read as plain lines of text, its cells run together (``STT Đối tượng
Mức trợ cấp``), while the parser reads tables as the pipe rows a text or DOCX file gives
(``| a | b | c |``). This module finds the grids: thin horizontal and vertical rules joined
where they touch; each band between two horizontal rules is cut into cells by the vertical
rules that cross it. Which characters fall in which cell is ``text_layer``'s business.
Borderless layout tables (the header, the signature) draw no rules and are left to ``layout``.

Coordinates are PDF points with y growing downwards, as in ``layout``.
"""

from __future__ import annotations

import ctypes
import hashlib
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest import pdfium_calls as calls

THIN = 2.5  # points: a path thinner than this one way and longer the other is a rule
MIN_RULE = 6.0  # points: a shorter rule is a dash or a dot, not a border
TOL = 2.0  # points: rules this close meet
MIN_COLUMNS = 3  # as for DOCX: a table of three or more columns holds data
MAX_PATHS = 4000  # a page with more drawn paths is a drawing, not a letter: no table search


@dataclass
class Cell:
    """A cell of a band; ``top``/``bottom`` reach further when rows are merged (no rule between them),
    and such a cell is ``continued`` in the bands below its first, as Word's vMerge is."""

    x0: float
    x1: float
    top: float = 0.0
    bottom: float = 0.0
    continued: bool = False


@dataclass
class Band:
    """One row of a grid: its vertical extent and its cells left to right."""

    top: float
    bottom: float
    cells: list[Cell]


@dataclass
class Grid:
    x0: float
    x1: float
    top: float
    bottom: float
    bands: list[Band]

    def holds(self, x: float, y: float) -> bool:
        return self.x0 - TOL <= x <= self.x1 + TOL and self.top - TOL <= y <= self.bottom + TOL


Rule = tuple[float, float, float]  # horizontal: (y, x0, x1); vertical: (x, top, bottom)


@dataclass
class PageObjects:
    """What a page draws besides text, read in one pass: its thin rules and whether it holds an image."""

    horizontal: list[Rule]
    vertical: list[Rule]
    images: int = 0
    cover: float = 0.0  # the largest share of the page one image covers (a scan: most of it)
    picture: str = ""  # a hash of that image's data when it covers half the page or more
    colour: bool = False  # an image in colour (not 1-bit, not grey): OCR renders it in colour to separate inks
    faint: set[int] = field(default_factory=set)  # addresses of text objects a watermark draws (see ``_faint``)


def page_objects(page: pdfium.PdfPage, max_depth: int = 4) -> PageObjects:
    """The page's thin horizontal and vertical paths (y downwards) and its image count.

    Read through PDFium's C interface: pypdfium2's object wrappers cost more than the
    page's text. Form XObjects are entered (a scan is often an image inside one). A page
    with more than ``MAX_PATHS`` paths is a drawing: its rules are not kept.
    """
    width, height = page.get_size()
    page_area = max(1.0, width * height)
    out = PageObjects([], [])
    box = (ctypes.c_float * 4)()  # left, bottom, right, top
    left, bottom, right, top = (ctypes.addressof(box) + 4 * k for k in range(4))
    paths = 0
    faint = _Faint()
    meta = pdfium_c.FPDF_IMAGEOBJ_METADATA()
    raw = page.raw
    get_type, get_bounds = calls.obj_get_type, calls.obj_get_bounds
    transparent, get_matrix, matrix, matrix_at = calls.obj_has_transparency, calls.obj_get_matrix, faint.matrix, faint.matrix_at
    IMAGE, PATH, TEXT, FORM = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_FORM)

    def walk(objs, depth: int) -> None:
        nonlocal paths
        for obj in objs:
            kind = get_type(obj)
            if kind == TEXT:
                # the usual text object, opaque and upright (no turn in its matrix), told without a call to _Faint
                if not transparent(obj) and get_matrix(obj, matrix_at) and (not matrix[1] or not matrix[2]):
                    continue
                if faint(obj):
                    out.faint.add(obj)
            elif kind == PATH:
                paths += 1
                if paths > MAX_PATHS or not get_bounds(obj, left, bottom, right, top):
                    continue
                w, h = box[2] - box[0], box[3] - box[1]
                if h <= THIN and w >= MIN_RULE:
                    out.horizontal.append((height - (box[3] + box[1]) / 2, box[0], box[2]))
                elif w <= THIN and h >= MIN_RULE:
                    out.vertical.append(((box[0] + box[2]) / 2, height - box[3], height - box[1]))
            elif kind == IMAGE:
                out.images += 1
                image = ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT)
                if not out.colour and pdfium_c.FPDFImageObj_GetImageMetadata(image, raw, ctypes.byref(meta)):
                    out.colour = meta.bits_per_pixel > 8 or meta.colorspace not in _GREY
                if get_bounds(obj, left, bottom, right, top):
                    share = (box[2] - box[0]) * (box[3] - box[1]) / page_area
                    if share > out.cover:
                        out.cover = share
                        out.picture = _image_hash(image) if share >= 0.5 else ""
            elif kind == FORM and depth < max_depth:
                get = calls.form_get_object
                walk([get(obj, k) for k in range(calls.form_count_objects(obj))], depth + 1)

    handle = calls.handle(raw)
    get = calls.page_get_object
    walk([get(handle, k) for k in range(calls.page_count_objects(handle))], 0)
    if paths > MAX_PATHS:
        out.horizontal, out.vertical = [], []
    return out


_GREY = {pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_CALGRAY}
WATERMARK_ALPHA = 128  # text filled less opaque than this (of 255) is a watermark
WATERMARK_SKEW = 0.05  # text turned further than this (sine of its angle) is a watermark across the page


class _Faint:
    """Tells a text object that a watermark draws: see-through, or set at a slant across the page."""

    def __init__(self):
        self.colour = (ctypes.c_uint * 4)()  # r, g, b, a
        self.matrix = (ctypes.c_float * 6)()  # an FS_MATRIX: a, b, c, d, e, f
        self._rgba = [ctypes.addressof(self.colour) + 4 * k for k in range(4)]
        self.matrix_at = self._matrix = ctypes.addressof(self.matrix)

    def __call__(self, obj: int) -> bool:
        # only an object with transparency can be filled less than opaque (asking first spares four out-parameters)
        if calls.obj_has_transparency(obj) and calls.obj_get_fill_color(obj, *self._rgba) and self.colour[3] < WATERMARK_ALPHA:
            return True
        if calls.obj_get_matrix(obj, self._matrix):
            a, b, c, d = self.matrix[:4]
            if not b or not c:  # upright (or only mirrored or stretched): the usual text object
                return False
            scale = max(abs(a), abs(d), 1e-6)
            return abs(b) / scale > WATERMARK_SKEW and abs(c) / scale > WATERMARK_SKEW
        return False


def _image_hash(obj) -> str:
    """A hash of an image object's stored data: the same picture (a letterhead, a watermark) on several pages."""
    n = pdfium_c.FPDFImageObj_GetImageDataRaw(obj, None, 0)
    if n <= 0:
        return ""
    buf = (ctypes.c_ubyte * n)()
    pdfium_c.FPDFImageObj_GetImageDataRaw(obj, buf, n)
    return hashlib.blake2b(bytes(buf), digest_size=12).hexdigest()


def _cluster(values: list[float]) -> list[float]:
    """Sorted values with those within ``TOL`` of the previous one merged (their mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= TOL:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _components(horizontal: list[Rule], vertical: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """Groups of rules that touch one another (union-find over crossing pairs)."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, hx0, hx1) in enumerate(horizontal):
        for j, (x, vy0, vy1) in enumerate(vertical):
            if hx0 - TOL <= x <= hx1 + TOL and vy0 - TOL <= y <= vy1 + TOL:
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, rule in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(rule)
    for j, rule in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(rule)
    return list(groups.values())


def _ruled(horizontal: list[Rule], y: float, x0: float, x1: float) -> bool:
    """True when a horizontal rule at ``y`` runs under the cell [x0, x1]."""
    return any(abs(hy - y) <= TOL and hx0 <= x0 + TOL and hx1 >= x1 - TOL for hy, hx0, hx1 in horizontal)


def _grid(horizontal: list[Rule], vertical: list[Rule]) -> Grid | None:
    ys = _cluster([y for y, _, _ in horizontal])
    bands: list[Band] = []
    for top, bottom in zip(ys, ys[1:]):
        if bottom - top < 2 * TOL:
            continue
        xs = _cluster([x for x, vy0, vy1 in vertical if vy0 - TOL <= top and vy1 + TOL >= bottom])
        if len(xs) < 2:
            continue
        cells = [Cell(a, b, top, bottom) for a, b in zip(xs, xs[1:]) if b - a > TOL]
        if bands:
            for cell in cells:  # no rule above: the cell goes on from the band above
                above = next((c for c in bands[-1].cells if abs(c.x0 - cell.x0) <= TOL and abs(c.x1 - cell.x1) <= TOL), None)
                if above is not None and not _ruled(horizontal, top, cell.x0, cell.x1):
                    cell.continued, cell.top = True, above.top
                    for band in bands:
                        for c in band.cells:
                            if c is above or (c.continued and c.top == above.top and abs(c.x0 - cell.x0) <= TOL):
                                c.bottom = bottom
        bands.append(Band(top, bottom, cells))
    if not bands or max(len(b.cells) for b in bands) < MIN_COLUMNS:
        return None
    x0 = min(b.cells[0].x0 for b in bands if b.cells)
    x1 = max(b.cells[-1].x1 for b in bands if b.cells)
    return Grid(x0, x1, bands[0].top, bands[-1].bottom, bands)


def find_grids(horizontal: list[Rule], vertical: list[Rule]) -> list[Grid]:
    """The data tables (three or more columns) that the rules draw, top to bottom."""
    if len(horizontal) < 2 or len(vertical) < 2 or len(horizontal) * len(vertical) > 250_000:
        return []
    grids = [g for h, v in _components(horizontal, vertical) if len(h) >= 2 and len(v) >= 2 if (g := _grid(h, v))]
    return sorted(grids, key=lambda g: g.top)
