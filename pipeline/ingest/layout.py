"""Lines with positions, and the two-column zones of an administrative page.

A page is a list of ``Line`` in reading order; each line holds ``Segment`` runs that a
wide horizontal gap keeps apart, with their x-extent. The header (issuer | national
motto, number | place and date) and the signature (Nơi nhận | signer) stand in two
columns side by side: in those zones the left column's lines come out first, then the
right column's, so no output line mixes the two (``UBND TỈNH LẠNG SƠN CỘNG HÒA XÃ HỘI …``
is the failure this prevents). The text layer and OCR both feed this one model.
Coordinates are PDF points, y growing downwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.normalize import fold

HEADER_ZONE = 0.4  # the header's two columns start in the top 40% of page 1
MIN_COLUMN_GAP = 0.035  # a column gap is at least this share of the page width
SEGMENT_HEIGHTS = 0.8  # a segment gap is at least this many letter heights …
SEGMENT_SPACES = 2.2  # … and this many times the line's median word gap
MAX_SPACE = 0.6  # letter heights: a wider "median word gap" is itself a column gap
SIGNATURE_WINDOW = 14  # lines around ``Nơi nhận`` searched for the column gap
# ``Nơi nhận:`` folded, also as OCR leaves it (``Noi nhân``, ``ơi nhận:``, ``nhận:``).
_RECIPIENTS = re.compile(r"\W{0,3}(?:n?oi\s*nhan\b|nhan\s*:)")


@dataclass
class Segment:
    """A run of text on one line, apart from its neighbours by a wide gap."""

    text: str
    x0: float
    x1: float


@dataclass
class Line:
    """One visual line: its segments left to right and its vertical extent."""

    segments: list[Segment]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1


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


def split_runs(runs: list[tuple[str, float, float]], gap: float) -> list[Segment]:
    """Runs sorted left to right joined into segments: a space across small gaps, a new segment across ``gap``."""
    segments: list[Segment] = []
    for text, x0, x1 in runs:
        if segments and x0 - segments[-1].x1 <= gap:
            last = segments[-1]
            last.text = f"{last.text} {text}" if not last.text.endswith(" ") else last.text + text
            last.x1 = max(last.x1, x1)
        else:
            segments.append(Segment(text, x0, x1))
    return segments


def _widest_gap(line: Line) -> tuple[float, float]:
    """(gap width, gap middle) of the widest gap between a line's segments; (0, 0) for one segment."""
    best = (0.0, 0.0)
    for a, b in zip(line.segments, line.segments[1:]):
        g = b.x0 - a.x1
        if g > best[0]:
            best = (g, (a.x1 + b.x0) / 2)
    return best


def _crosses(line: Line, split: float, tol: float) -> bool:
    return any(s.x0 < split - tol and s.x1 > split + tol for s in line.segments)


def _has_both_sides(line: Line, split: float, tol: float = 0.0) -> bool:
    """Text on each side of ``split`` and none across it."""
    left = any(s.x1 <= split + tol for s in line.segments)
    right = any(s.x0 >= split - tol for s in line.segments)
    return left and right and not _crosses(line, split, tol)


def _split_at(lines: list[Line], candidates: range, width: float) -> float | None:
    """The x of the column gap: of the wide gaps among the candidate lines, the one most lines share."""
    gaps = []
    for i in candidates:
        line = lines[i]
        for a, b in zip(line.segments, line.segments[1:]):
            if b.x0 - a.x1 >= MIN_COLUMN_GAP * width:
                gaps.append((b.x0 - a.x1, (a.x1 + b.x0) / 2))
    if not gaps:
        return None
    tol = 0.01 * width
    best = max(gaps, key=lambda g: (sum(1 for i in candidates if _has_both_sides(lines[i], g[1], tol)), g[0]))
    return best[1]


def _run(lines: list[Line], anchor: int, split: float, tol: float) -> tuple[int, int]:
    """The lines around ``anchor`` that no text crosses at ``split``: [start, end)."""
    start = anchor
    while start > 0 and not _crosses(lines[start - 1], split, tol):
        start -= 1
    end = anchor + 1
    while end < len(lines) and not _crosses(lines[end], split, tol):
        end += 1
    return start, end


def _columns(lines: list[Line], start: int, end: int, split: float) -> list[str]:
    """The run's left column, then its right column, one output line per input line side."""
    left: list[str] = []
    right: list[str] = []
    for line in lines[start:end]:
        lt = " ".join(s.text for s in line.segments if s.x1 <= split + 1e-6 or (s.x0 + s.x1) / 2 < split)
        rt = " ".join(s.text for s in line.segments if not (s.x1 <= split + 1e-6 or (s.x0 + s.x1) / 2 < split))
        if lt.strip():
            left.append(lt)
        if rt.strip():
            right.append(rt)
    return left + right


def _zones(page: Page, first_page: bool) -> list[tuple[int, int, float]]:
    """Two-column runs to lay out column by column: the header on page 1, the ``Nơi nhận`` block."""
    lines, tol = page.lines, 0.01 * page.width
    zones: list[tuple[int, int, float]] = []
    if first_page:
        top_lines = [i for i, ln in enumerate(lines) if ln.top < HEADER_ZONE * page.height]
        split = _split_at(lines, range(min(top_lines), max(top_lines) + 1), page.width) if top_lines else None
        if split is not None:
            anchor = next((i for i in top_lines if _has_both_sides(lines[i], split)), None)
            if anchor is not None:
                zones.append((*_run(lines, anchor, split, tol), split))
    for i, ln in enumerate(lines):
        if not _RECIPIENTS.match(fold(ln.segments[0].text[:14])):
            continue
        if any(s <= i < e for s, e, _ in zones):
            continue
        window = range(max(0, i - 3), min(len(lines), i + SIGNATURE_WINDOW))
        split = _split_at(lines, window, page.width)
        if split is None or ln.x0 > split:
            continue
        s, e = _run(lines, i, split, tol)
        if any(_has_both_sides(lines[k], split) or lines[k].x0 >= split for k in range(s, e)):
            zones.append((s, e, split))
    return sorted(zones)


def page_text_lines(page: Page, first_page: bool = False) -> list[str]:
    """The page's lines as text, with the header and signature zones laid out column by column."""
    out: list[str] = []
    pos = 0
    for start, end, split in _zones(page, first_page):
        if start < pos:
            continue
        out.extend(ln.text for ln in page.lines[pos:start])
        out.extend(_columns(page.lines, start, end, split))
        pos = end
    out.extend(ln.text for ln in page.lines[pos:])
    return out
