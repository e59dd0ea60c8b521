"""The two-column zones of an administrative page, and the page's text in reading order.

The header (issuer | national motto, number | place and date) and the signature (Nơi
nhận | signer) stand in two columns side by side: in those zones the left column's lines
come out first, then the right column's, so no output line mixes the two (``UBND TỈNH LẠNG
SƠN CỘNG HÒA XÃ HỘI …`` is the failure this prevents). Outside them, wrapped lines are
joined into paragraphs (``reflow``); inside them, only what is known to wrap is joined: a
``V/v`` subject under the number, a recipient that runs onto a second line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.ingest.geometry import Line, Page, Segment
from pipeline.ingest.reflow import Block, continues, join_wrapped, line_pitch, paragraph_text, reflow
from pipeline.normalize import fold

__all__ = ["HEADER_ZONE", "Line", "Page", "PageText", "Segment", "join_wrapped", "page_text"]

HEADER_ZONE = 0.4  # the header's two columns start in the top 40% of page 1 …
HEADER_FIRST_LINES = 3  # … within its first three lines
MIN_COLUMN_GAP = 0.035  # a column gap is at least this share of the page width
SIGNATURE_WINDOW = 14  # lines around ``Nơi nhận`` searched for the column gap
# ``Nơi nhận:`` folded, also as OCR leaves it (``Noi nhân``, ``ơi nhận:``, ``nhận:``).
_RECIPIENTS = re.compile(r"\W{0,3}(?:n?oi\s*nhan\b|nhan\s*:)")
# A signing authority printed in the signature column, folded, also as OCR leaves it (``K»BỌ TRƯỜNG``):
# it anchors the signature zone when ``Nơi nhận`` itself was not read.
_AUTHORITY = re.compile(r"\W{0,3}(?:(?:kt|tm|tl|tuq|q)\s*[.,»]|\w{0,3}\s*(?:bo |thu |pho )?truong\b|(?:pho )?chu tich\b|(?:pho )?giam doc\b)")
_MOTTO_HEAD = re.compile(r"\W*cong hoa xa hoi chu nghia\s*")
_SUBJECT = re.compile(r"\W{0,2}(?:v/v\b|ve viec\b)")
_BULLET = re.compile(r"[-–—+•*▪]")
# Lines that open the body under the header: never part of the header's columns.
_BODY_OPENS = re.compile(r"\W{0,2}(?:kinh gui|can cu|dieu \d|xet de nghi|theo de nghi)")


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
    best = max(gaps, key=lambda g: (sum(1 for i in candidates if _has_both_sides(lines[i], g[1], tol)), g[0]))[1]
    # just left of where the right column starts: a left-column line may run on far past the gap's middle
    both = [lines[i] for i in candidates if _has_both_sides(lines[i], best, tol)]
    return min(s.x0 for ln in both for s in ln.segments if s.x0 >= best) - 1.0


def _two_columns(line: Line, split: float, tol: float, gap: float) -> bool:
    """The line stands in the two columns: no text crosses ``split``, or (a wide motto centred over the
    right column starting left of it) its segments, apart by at least ``gap``, fall each on one side
    of it by their middles."""
    if not _crosses(line, split, tol):
        return True
    if len(line.segments) < 2 or _widest_gap(line)[0] < gap:
        return False
    sides = [(s.x0 + s.x1) / 2 < split for s in line.segments]
    return any(sides) and not all(sides)


def _run(lines: list[Line], anchor: int, split: float, tol: float, gap: float = float("inf")) -> tuple[int, int]:
    """The lines around ``anchor`` that stand in the two columns split at ``split``: [start, end)."""
    start = anchor
    while start > 0 and _two_columns(lines[start - 1], split, tol, gap):
        start -= 1
    end = anchor + 1
    while end < len(lines) and _two_columns(lines[end], split, tol, gap):
        end += 1
    return start, end


def _side(line: Line, split: float, left: bool) -> Line | None:
    segs = [s for s in line.segments if (s.x1 <= split + 1e-6 or (s.x0 + s.x1) / 2 < split) == left]
    return Line(segs, line.top, line.bottom, line.spans) if segs and any(s.text.strip() for s in segs) else None


def _columns(lines: list[Line], split: float) -> tuple[list[Line], list[Line]]:
    """The zone's left column and right column, one line per input line side."""
    left = [ln for line in lines if (ln := _side(line, split, True))]
    right = [ln for line in lines if (ln := _side(line, split, False))]
    return left, right


def _trim(lines: list[Line], start: int, end: int, split: float) -> tuple[int, int]:
    """The run cut to its two-column rows and the lines packed close around them (no body line far below)."""
    both = [k for k in range(start, end) if _has_both_sides(lines[k], split)]
    if not both:
        return start, end
    s, e = both[0], both[-1] + 1
    heights = sorted(ln.height for ln in lines[start:end])
    close = 1.2 * heights[len(heights) // 2]  # a text line's height: a rule line (------) is thinner
    while s > start and lines[s].top - lines[s - 1].bottom < close:
        s -= 1
    while e < end and lines[e].top - lines[e - 1].bottom < close:
        if _BODY_OPENS.match(fold(lines[e].text[:16])):
            break
        e += 1
    return s, e


def _zones(page: Page, first_page: bool) -> list[tuple[int, int, float, str]]:
    """Two-column runs to lay out column by column: the header on page 1, the ``Nơi nhận`` block."""
    lines, tol = page.lines, 0.01 * page.width
    zones: list[tuple[int, int, float, str]] = []
    if first_page:
        top_lines = [i for i, ln in enumerate(lines) if ln.top < HEADER_ZONE * page.height and not ln.table]
        split = _split_at(lines, range(min(top_lines), max(top_lines) + 1), page.width) if top_lines else None
        if split is not None:
            anchor = next((i for i in top_lines if _has_both_sides(lines[i], split)), None)
            if anchor is not None and anchor < HEADER_FIRST_LINES:  # the header is what a letter opens with
                run = _run(lines, anchor, split, tol, MIN_COLUMN_GAP * page.width)
                zones.append((*_trim(lines, *run, split), split, "header"))
    for i, ln in enumerate(lines):
        if ln.table or any(s <= i < e for s, e, _, _ in zones):
            continue
        recipients = bool(_RECIPIENTS.match(fold(ln.segments[0].text[:14])))
        authority = any(
            seg.x0 > 0.45 * page.width and len(seg.text) < 40 and _AUTHORITY.match(fold(seg.text)) for seg in ln.segments
        )
        if not (recipients or authority):
            continue
        window = range(max(0, i - 3), min(len(lines), i + SIGNATURE_WINDOW))
        split = _split_at(lines, window, page.width)
        if split is None or (recipients and ln.x0 > split):
            continue
        _, e = _run(lines, i, split, tol)
        s = i  # upwards only the list's own lines: a body paragraph above stays a paragraph
        while s > 0 and not _crosses(lines[s - 1], split, tol) and _list_start(lines[s - 1]):
            s -= 1
        if any(_has_both_sides(lines[k], split) or lines[k].x0 >= split for k in range(s, e)):
            zones.append((s, e, split, "signature"))
    return sorted(zones)


def _list_start(line: Line) -> bool:
    text = line.segments[0].text
    return bool(_BULLET.match(text) or _RECIPIENTS.match(fold(text[:14])))


def _worded(text: str) -> bool:
    """A signature-column line with words in it: not the stray marks a seal or a pen stroke leaves in OCR."""
    return sum(ch.isalpha() for ch in text) >= 3


def _motto_joined(texts: list[str]) -> list[str]:
    """The national motto's first line (fixed by Nghị định 30) put back together when a narrow cell wrapped it."""
    out: list[str] = []
    for t in texts:
        if out and _MOTTO_HEAD.fullmatch(fold(out[-1])) and fold(t).strip() == "viet nam":
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t)
    return out


def _subject_joined(lines: list[Line]) -> list[str]:
    """A header column's lines, a wrapped ``V/v`` subject joined into one line."""
    texts = _motto_joined([ln.text.strip() for ln in lines])
    k = next((i for i, t in enumerate(texts) if _SUBJECT.match(fold(t[:10]))), None)
    if k is None:
        return texts
    return texts[:k] + [join_wrapped(texts[k:])]


def _items_joined(lines: list[Line]) -> list[str]:
    """A ``Nơi nhận`` column's lines, a recipient that wraps onto the next line joined into one."""
    out: list[str] = []
    for ln in lines:
        t = ln.text.strip()
        if out and not _BULLET.match(t) and not _RECIPIENTS.match(fold(t[:14])) and not out[-1].endswith((";", ".", ":")):
            out[-1] = join_wrapped([out[-1], t])
        else:
            out.append(t)
    return out


@dataclass
class PageText:
    """A page's paragraphs, and what may continue across a page break: its first and last body
    line, whether it ends inside the ``Nơi nhận`` list, whether it opens with the rest of one."""

    paragraphs: list[str]
    first: Line | None = None
    last: Line | None = None
    ends_in_list: bool = False
    opens_in_list: bool = False
    carried: list[str] = field(default_factory=list)  # the signature, held back until the list it stands beside ends
    split: float = 0.0  # the column gap of the zone the page ends in


def _list_lines(page: Page, split: float) -> int:
    """How many of the page's first lines go on with the ``Nơi nhận`` zone of the page before:
    the list on the left of its column gap, the rest of the signature on the right."""
    n = 0
    for ln in page.lines:
        if ln.table or _crosses(ln, split, 0.01 * page.width):
            break
        n += 1
    return n


def page_text(page: Page, block: Block, first_page: bool = False, before: PageText | None = None) -> PageText:
    """The page as paragraphs: zones column by column, the body's wrapped lines joined.

    ``before`` is the page before: when it ended inside the ``Nơi nhận`` list, the list goes
    on here, and the signature that stood beside it comes after it, as in the DOCX.
    """
    out = PageText([])
    pos = 0
    lines = page.lines
    if before is not None and before.ends_in_list:
        right: list[Line] = []
        if pos := _list_lines(page, before.split):
            left, right = _columns(lines[:pos], before.split)
            out.paragraphs.extend(_items_joined(left))
            out.opens_in_list = bool(out.paragraphs) and not _BULLET.match(out.paragraphs[0])
        out.paragraphs.extend(before.carried)
        out.paragraphs.extend(ln.text.strip() for ln in right)

    def body(run: list[Line]) -> None:
        if not run:
            return
        pitch = line_pitch(run) or block.pitch
        out.paragraphs.extend(paragraph_text(p) for p in reflow(run, Block(block.left, block.right, pitch)))

    zones = _zones(page, first_page) if lines else []
    for start, end, split, kind in zones:
        if start < pos:
            continue
        body(lines[pos:start])
        left, right = _columns(lines[start:end], split)
        out.paragraphs.extend(_subject_joined(left) if kind == "header" else _items_joined(left))
        out.ends_in_list = kind == "signature" and end == len(lines)
        if kind == "header":
            signature = _motto_joined([ln.text.strip() for ln in right])
        else:
            signature = [ln.text.strip() for ln in right if _worded(ln.text)]
        if out.ends_in_list:
            out.carried, out.split = signature, split
        else:
            out.paragraphs.extend(signature)
        pos = end
    body(lines[pos:])
    if lines and not any(s == 0 for s, _, _, _ in zones) and not lines[0].table and not out.opens_in_list:
        out.first = lines[0]
    if lines and not any(e == len(lines) for _, e, _, _ in zones) and not lines[-1].table:
        out.last = lines[-1]
    return out


def continues_page(prev: PageText, nxt: PageText, block: Block) -> bool:
    """True when the next page opens with the rest of the previous page's last paragraph or list item."""
    if prev.ends_in_list and nxt.opens_in_list:
        return bool(prev.paragraphs) and not prev.paragraphs[-1].endswith((";", ".", ":"))
    return prev.last is not None and nxt.first is not None and continues(prev.last, nxt.first, block, same_page=False)


def _cells(row: str) -> list[str] | None:
    return [c.strip() for c in row[1:-1].split(" | ")] if row.startswith("| ") and row.endswith(" |") else None


def join_split_rows(pages: list[PageText]) -> None:
    """A table row that a page break cut, written again on the next page with its first cell (the
    row number) empty, put back together, in place."""
    for prev, nxt in zip(pages, pages[1:]):
        if not prev.paragraphs or not nxt.paragraphs:
            continue
        a, b = _cells(prev.paragraphs[-1]), _cells(nxt.paragraphs[0])
        if a and b and len(a) == len(b) and not b[0] and all(c[0].islower() for c in b if c):
            prev.paragraphs[-1] = "| " + " | ".join(join_wrapped([x, y]) for x, y in zip(a, b)) + " |"
            nxt.paragraphs.pop(0)
