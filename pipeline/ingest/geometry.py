"""Positioned text: segments, lines and pages, shared by the text layer and OCR.

A page is a list of ``Line`` top to bottom; each line holds ``Segment`` runs that a wide
horizontal gap keeps apart, with their x-extent. Coordinates are PDF points, y growing
downwards. Both readers feed this one model, so the layout (``layout``) and the joining of
wrapped lines (``reflow``) are decided in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

SEGMENT_HEIGHTS = 0.8  # a segment gap is at least this many letter heights …
SEGMENT_SPACES = 2.2  # … and this many times the line's median word gap
MAX_SPACE = 0.6  # letter heights: a wider "median word gap" is itself a column gap
JOIN_GAP = 0.15  # letter heights: two runs closer than this on one row are one word
ROW_OVERLAP = 0.5  # two lines whose heights overlap by this share of the smaller are one row


@dataclass
class Segment:
    """A run of text on one line, apart from its neighbours by a wide gap."""

    text: str
    x0: float
    x1: float


@dataclass
class Line:
    """One visual line: its segments left to right and its vertical extent.

    ``spans`` are the text layer's character ranges the line came from (none for OCR);
    ``table`` marks a row of a ruled table, never joined to its neighbours; ``ordered`` says the
    text layer's stream order was the reading order (no glyph had to be put back by position);
    ``stamp`` marks text stamped on the page (an incoming ``ĐẾN`` stamp, a signature box), never
    joined to the document's own lines nor laid out with them.
    """

    segments: list[Segment]
    top: float
    bottom: float
    spans: list[tuple[int, int]] = field(default_factory=list)
    table: bool = False
    ordered: bool = False
    stamp: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Page:
    """The lines of one page and its size in points."""

    lines: list[Line]
    width: float
    height: float


def segment_gap(height: float, word_gaps: list[float]) -> float:
    """The gap that starts a new segment on a line of words: wide against the letters and the line's own spacing.

    Header columns can stand as close as one letter height apart, while a justified line
    spreads its spaces evenly, so a gap counts when it is both ``SEGMENT_HEIGHTS`` letter
    heights and ``SEGMENT_SPACES`` times the line's median word gap.
    """
    gaps = sorted(g for g in word_gaps if g > 0)
    typical = min(gaps[(len(gaps) - 1) // 2], MAX_SPACE * height) if gaps else 0.0
    return max(SEGMENT_HEIGHTS * height, SEGMENT_SPACES * typical)


def _overlap_x(a: Line, b: Line, tol: float) -> bool:
    return any(s.x0 < t.x1 - tol and t.x0 < s.x1 - tol for s in a.segments for t in b.segments)


def _merge_segments(segments: list[Segment], height: float) -> list[Segment]:
    """Segments of one row left to right; runs closer than a column gap become one segment."""
    out: list[Segment] = []
    for seg in sorted(segments, key=lambda s: s.x0):
        if out and seg.x0 - out[-1].x1 < segment_gap(height, []):
            last = out[-1]
            sep = "" if seg.x0 - last.x1 < JOIN_GAP * height else " "
            out[-1] = Segment(last.text + sep + seg.text, last.x0, max(last.x1, seg.x1))
        else:
            out.append(seg)
    return out


def merge_rows(lines: list[Line], rebuild: Callable[[Line, Line], list[Line]] | None = None) -> list[Line]:
    """Lines top to bottom, lines that stand on one baseline merged into one row.

    A PDF may write one visual line in several places of its stream (a header row cell by
    cell, a field, a fallback glyph), and OCR returns side-by-side blocks as separate lines.
    Runs that do not overlap are put side by side; runs that overlap (glyphs written over
    a gap left for them) are given to ``rebuild``, which reads them again from character
    boxes, or, without it, kept as separate lines. Stamp lines are never merged.
    """
    stamps = [ln for ln in lines if ln.stamp]
    if stamps:  # set aside: a stamp between two halves of a row must not keep them apart
        rows = merge_rows([ln for ln in lines if not ln.stamp], rebuild)
        return sorted(rows + stamps, key=lambda ln: (ln.top + ln.bottom) / 2)
    out: list[Line] = []
    for ln in sorted(lines, key=lambda ln: (ln.top + ln.bottom) / 2):
        if out and not ln.table and not out[-1].table:
            last = out[-1]
            overlap = min(last.bottom, ln.bottom) - max(last.top, ln.top)
            if overlap > ROW_OVERLAP * min(last.height, ln.height):
                if not _overlap_x(last, ln, 0.2 * min(last.height, ln.height)):
                    height = max(last.height, ln.height)
                    out[-1] = Line(
                        _merge_segments(last.segments + ln.segments, height),
                        min(last.top, ln.top),
                        max(last.bottom, ln.bottom),
                        spans=last.spans + ln.spans,
                        ordered=last.ordered and ln.ordered,
                    )
                    continue
                if rebuild is not None and last.spans and ln.spans:
                    rows = rebuild(last, ln)
                    if rows:
                        out[-1:] = rows
                        continue
        out.append(ln)
    return out
