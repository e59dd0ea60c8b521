"""Stamps on the page that are not the document's own text: an incoming ``ĐẾN`` stamp, a signature box.

An office that receives a letter stamps it (``ĐẾN Số: 9904 Ngày: … Chuyển: …``) in a rectangle
on page 1, often over the header; a portal's signing system adds a box (``Ký bởi: … Thời gian
ký: … Cơ quan: …``). Their numbers and days must never be taken for the document's own. They
are found two ways, each a class of what a stamp looks like:

- by its words (``rules/stamps.toml``): a line that holds a signature box's labels, or a line of
  an incoming stamp's own fields, in a text layer or in OCR;
- by its rectangle, on a scan (``find_boxes``): two horizontal rules of one width 80 to 330
  points apart and edges joining them, in red ink (the stamp's colour on a colour scan: a
  rectangle of red ink is a stamp whatever it says) or in black when a line inside it reads as
  a stamp's words (a black rectangle may also be a table or a framed note).

OCR words inside a stamp's rectangle become lines of their own marked ``stamp`` (``ocr``), which
the layout keeps out of the header and signature columns and the document hands on as
``stamp`` blocks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from pipeline import rules
from pipeline.ingest.geometry import Line, Page, Segment
from pipeline.normalize import fold

if TYPE_CHECKING:  # numpy is loaded by the image functions that call it: a text layer's stamps need none
    import numpy as np

DARK = 140  # grey level below which a pixel is ink
MIN_RUN = 12.0  # points: a horizontal run of ink at least this long may be part of a rule
BOX_WIDTH = (80.0, 330.0)  # points: a stamp's rectangle is this wide …
BOX_HEIGHT = (12.0, 150.0)  # … and this high
EDGE_TOL = 14.0  # points: the two rules' ends may differ this much (a stamp is pressed by hand)
EDGE_COVER = 0.4  # share of the rows between the rules each side edge must cover …
EDGES_COVER = 1.3  # … and both together
REACH = 40.0  # points: a stamp's edges are followed this far beyond its rules (a dashed top rule)
BELOW = 30.0  # points: under a framed title row only (a box lower than this), the stamp's fields


@dataclass(frozen=True)
class Box:
    """A rectangle on a page image, in pixels: left, top, right, bottom; ``red`` when drawn in red ink."""

    x0: float
    y0: float
    x1: float
    y1: float
    red: bool = False

    def holds(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def scaled(self, factor: float) -> Box:
        return Box(self.x0 * factor, self.y0 * factor, self.x1 * factor, self.y1 * factor, self.red)


@functools.cache
def _patterns() -> tuple[regex.Pattern, regex.Pattern]:
    data = rules.load("stamps")
    flags = regex.VERSION1 | regex.IGNORECASE
    return regex.compile(data["stamp_line"]["pattern"], flags), regex.compile(data["stamp_words"]["pattern"], flags)


def stamp_line(text: str) -> bool:
    """Whether a line of text is a stamp's own line (a signature box's label, an incoming stamp's field)."""
    return bool(_patterns()[0].search(text))


def stamp_words(text: str) -> bool:
    """Whether a line read inside a rectangle reads as a stamp's words (matched folded: OCR loses marks)."""
    return bool(_patterns()[1].search(fold(text)))


def _pooled(mask: np.ndarray) -> np.ndarray:
    """The mask at half the resolution, a pixel set where any of its four was: rules stay unbroken."""
    h, w = (mask.shape[0] // 2) * 2, (mask.shape[1] // 2) * 2
    m = mask[:h, :w]
    return m[0::2, 0::2] | m[1::2, 0::2] | m[0::2, 1::2] | m[1::2, 1::2]


def dark_pooled(grey: np.ndarray) -> np.ndarray:
    """``_pooled(grey < DARK)``, with the comparison made once at half the resolution (the darkest of four)."""
    import numpy as np

    h, w = (grey.shape[0] // 2) * 2, (grey.shape[1] // 2) * 2
    g = grey[:h, :w]
    low = np.minimum(g[0::2, 0::2], g[1::2, 0::2])
    np.minimum(low, g[0::2, 1::2], out=low)
    np.minimum(low, g[1::2, 1::2], out=low)
    return low < DARK


def _rules(mask: np.ndarray, min_run: int, min_length: int, gap: int) -> list[list[int]]:
    """Horizontal rules as [top, bottom, left, right]: runs of ink at least ``min_run`` long on rows
    (three rows at a time, so a rule pressed at a slant stays one), joined when they touch or stand
    less than ``gap`` apart, kept when they reach ``min_length``."""
    import numpy as np

    if mask.shape[0] < 3 or mask.shape[1] < 2:
        return []
    m = mask[:-2] | mask[1:-1] | mask[2:]
    rows = np.flatnonzero(np.count_nonzero(m, axis=1) >= min_run)  # only rows with ink enough for a run
    if not len(rows):
        return []
    m = m[rows]
    starts = np.nonzero(np.concatenate([m[:, :1], m[:, 1:] & ~m[:, :-1]], axis=1))
    ends = np.nonzero(np.concatenate([m[:, :-1] & ~m[:, 1:], m[:, -1:]], axis=1))
    lengths = ends[1] + 1 - starts[1]
    keep = lengths >= min_run
    runs = sorted(zip(rows[starts[0][keep]].tolist(), starts[1][keep].tolist(), (ends[1][keep] + 1).tolist()))
    found: list[list[int]] = []
    for r, a, b in runs:
        for ln in found:
            if r - ln[1] <= 2 and a <= ln[3] + gap and b >= ln[2] - gap:
                ln[1], ln[2], ln[3] = r, min(ln[2], a), max(ln[3], b)
                break
        else:
            found.append([r, r, a, b])
    merged = True
    while merged:  # runs of one rule met from two ends: one rule
        merged = False
        for i, p in enumerate(found):
            for q in found[i + 1 :]:
                if p[0] <= q[1] + 2 and q[0] <= p[1] + 2 and p[2] <= q[3] + gap and q[2] <= p[3] + gap:
                    q[0], q[1], q[2], q[3] = min(p[0], q[0]), max(p[1], q[1]), min(p[2], q[2]), max(p[3], q[3])
                    found.pop(i)
                    merged = True
                    break
            if merged:
                break
    return [ln for ln in found if ln[3] - ln[2] >= min_length]


def _cover(mask: np.ndarray, x: int, y0: int, y1: int, tol: int) -> float:
    """The share of rows in [y0, y1) with ink within ``tol`` of column ``x``: a side edge, slanted or not."""
    window = mask[y0:y1, max(0, x - tol) : x + tol + 1]
    return float(window.any(axis=1).mean()) if window.size else 0.0


def _extent(mask: np.ndarray, x: int, y0: int, y1: int, tol: int, reach: int) -> tuple[int, int]:
    """How far above ``y0`` and below ``y1`` the edge at ``x`` goes on (gaps of two rows allowed)."""
    rows = mask[:, max(0, x - tol) : x + tol + 1].any(axis=1)
    top = y0
    y, miss = y0 - 1, 0
    while y >= max(0, y0 - reach) and miss <= 2:
        miss = 0 if rows[y] else miss + 1
        top = y if rows[y] else top
        y -= 1
    bottom = y1
    y, miss = y1 + 1, 0
    while y < min(len(rows), y1 + reach) and miss <= 2:
        miss = 0 if rows[y] else miss + 1
        bottom = y if rows[y] else bottom
        y += 1
    return top, bottom


def find_boxes(mask: np.ndarray, scale: float, red: bool = False, pooled: np.ndarray | None = None) -> list[Box]:
    """The rectangles of stamp size drawn on a page image (``mask``: ink; ``scale``: pixels per point),
    outermost only, in the image's pixels. ``pooled``: the mask already at half the resolution."""
    small = pooled if pooled is not None else _pooled(mask)
    s = scale / 2
    rules_ = _rules(small, max(2, int(MIN_RUN * s)), int(BOX_WIDTH[0] * s * 0.9), max(2, int(5 * s)))
    tol = max(2, int(EDGE_TOL * s))
    found: list[Box] = []
    for t in rules_:
        for b in rules_:
            height = (b[0] - t[1]) / s
            if not BOX_HEIGHT[0] <= height <= BOX_HEIGHT[1] or abs(t[2] - b[2]) > tol or abs(t[3] - b[3]) > tol:
                continue
            x0, x1 = min(t[2], b[2]), max(t[3], b[3])
            if not BOX_WIDTH[0] <= (x1 - x0) / s <= BOX_WIDTH[1]:
                continue
            left, right = _cover(small, x0 + 1, t[0], b[1], tol // 2), _cover(small, x1 - 1, t[0], b[1], tol // 2)
            if min(left, right) < EDGE_COVER or left + right < EDGES_COVER:
                continue
            reach = int(REACH * s)
            tops, bottoms = zip(*(_extent(small, x, t[0], b[1], tol // 2, reach) for x in (x0 + 1, x1 - 1)))
            found.append(Box(x0, max(tops), x1, min(bottoms), red))  # as far as both edges go
    unique: list[Box] = []  # outermost first; one inside another (within the tolerance) is part of it
    for f in sorted(found, key=lambda b: (b.x1 - b.x0) * (b.y1 - b.y0), reverse=True):
        if not any(g.x0 <= f.x0 + tol and g.y0 <= f.y0 + tol and g.x1 >= f.x1 - tol and g.y1 >= f.y1 - tol for g in unique):
            unique.append(f)
    return [f.scaled(2.0) for f in unique]


Word = tuple[str, float, float, float, float, float]  # text, left, right, top, bottom (points), confidence


def stamp_areas(boxes: list[Box], lines: list[list[Word]], scale: float) -> list[Box]:
    """The rectangles (in points) that are stamps: every red one; a black one when a line of the words
    inside it reads as a stamp's; a stamp only its title row is framed in goes on ``BELOW`` under it.
    ``lines``: the words OCR read, line by line."""
    areas: list[Box] = []
    for box in boxes:
        b = box.scaled(1 / scale)
        if not box.red and not any(
            stamp_words(" ".join(w[0] for w in line if b.holds((w[1] + w[2]) / 2, (w[3] + w[4]) / 2))) for line in lines
        ):
            continue
        if b.y1 - b.y0 < BELOW:
            b = Box(b.x0, b.y0, b.x1, b.y1 + BELOW, b.red)
        areas.append(b)
    return areas


def mark_stamp_lines(page: Page) -> None:
    """Lines of a stamp's own words marked ``stamp``, in place; a segment of them on a line of the
    document's text (a signature box beside the signer's title) set apart as a line of its own."""
    out: list[Line] = []
    changed = False
    for ln in page.lines:
        if ln.stamp or ln.table:
            out.append(ln)
            continue
        marked = [stamp_line(s.text) for s in ln.segments]
        if not any(marked):
            out.append(ln)
            continue
        changed = True
        kept = [s for s, m in zip(ln.segments, marked) if not m]
        if kept:
            out.append(Line(kept, ln.top, ln.bottom, ln.spans, ordered=ln.ordered))
        for s, m in zip(ln.segments, marked):
            if m:
                out.append(Line([Segment(s.text, s.x0, s.x1)], ln.top, ln.bottom, stamp=True))
    if changed:
        page.lines = out
