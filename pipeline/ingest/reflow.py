"""Wrapped lines joined back into the paragraphs they were typed as.

A PDF keeps the lines its writer broke, a text or DOCX file keeps paragraphs; the parser
must get the same text from both (a number cut at a line end, ``32/2024/NĐ-`` + ``CP``, is
the failure this prevents). A line is joined to the next when the next line's first word
would not have fitted at its end: the test a word processor applied when it broke the
line, so it holds for justified and ragged text alike, and for centred text (a title
wraps when the line and the next word are wider than the text block). A line never joins a
next one that opens with a list marker or an article, that is indented against it, that
stands apart by paragraph spacing, or that starts a sentence after one ended; table rows
never join. A word cut at a hyphen (``NĐ-``/``CP``, ``2021-``/``2030``) is joined without a
space: Vietnamese is not hyphenated by syllable, so such a hyphen belongs to the text (PDFium's
U+FFFE at a line end too).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from pipeline.ingest.geometry import Line

# A line that opens an item or a heading: never the continuation of the line above.
MARKER = regex.compile(
    r"""(?x)^(?:
        [-–—+•*▪●■○◦·]\s
      | \(?\d{1,2}(?:\.\d{1,2})*[.)]\s*\S?
      | \(?[a-zđ][).]\s
      | [IVXLC]{1,6}[.)]\s
      | (?:Điều|Chương|Mục|Phần|Phụ\ lục|PHỤ\ LỤC|CHƯƠNG|MỤC|PHẦN)\s+[\dIVXLC]
      | (?:Căn\ cứ|Xét\ đề\ nghị|Theo\ đề\ nghị|Nơi\ nhận|Kính\ gửi)\b
    )"""
)
_ENDS_SENTENCE = regex.compile(r"[.;:!?…][\"”’)\]]*$")
_STARTS_SENTENCE = regex.compile(r"^[\"“‘(\[]*[\p{Lu}\d]")
# A line ending in a hyphen or a slash (PDFium gives U+FFFE for a hyphen it takes for a soft one at a
# line end, ``2775/SNV\ufffe`` + ``CCHC&VTLT``): the next line goes on with no space.
CUT_AT_HYPHEN = _CUT_AT_HYPHEN = regex.compile(r"\S[-/\ufffe\u00ad\u2010\u2011]$")
PARAGRAPH_PITCH = 1.4  # × the usual line pitch: a wider step is paragraph spacing
INDENT = 1.0  # character widths: a next line starting further right than this is indented


@dataclass
class Block:
    """The text block lines are wrapped in: its left and right edge, and the usual line pitch."""

    left: float
    right: float
    pitch: float = 0.0


def join_wrapped(texts: list[str]) -> str:
    """Lines known to be one paragraph (a table cell, a wrapped list item) as one line."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if not out:
            out = t
        elif _CUT_AT_HYPHEN.search(out[-2:]):  # the pattern is the last two characters: not the whole paragraph again
            out += t
        else:
            out += " " + t
    return out


def _char_width(line: Line) -> float:
    n = sum(len(s.text) for s in line.segments)
    width = sum(s.x1 - s.x0 for s in line.segments)
    return width / n if n else line.height * 0.5


@functools.lru_cache(maxsize=1024)  # each line is asked twice: as the one continued and as the continuation
def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _centred(line: Line, block: Block, cw: float) -> bool:
    middle = (block.left + block.right) / 2
    return line.x0 > block.left + 2 * cw and line.x1 < block.right - 2 * cw and abs((line.x0 + line.x1) / 2 - middle) < 3 * cw


def continues(cur: Line, nxt: Line, block: Block, same_page: bool = True) -> bool:
    """True when ``nxt`` is the continuation of the paragraph ``cur`` was wrapped from."""
    if cur.table or nxt.table or len(cur.segments) > 1 or len(nxt.segments) > 1:
        return False
    a, b = cur.text.strip(), nxt.text.strip()
    if not a or not b or MARKER.match(b):
        return False
    if _ENDS_SENTENCE.search(a) and _STARTS_SENTENCE.match(b):
        return False
    if _all_caps(a) != _all_caps(b):
        return False
    cw = _char_width(cur)
    if same_page:
        if block.pitch and nxt.top - cur.top > PARAGRAPH_PITCH * block.pitch:
            return False
        if nxt.top - cur.bottom > 1.5 * max(cur.height, nxt.height):
            return False
    first = b.split()[0]
    need = cw * (1 + len(first))
    if _centred(cur, block, cw):
        return _centred(nxt, block, cw) and (cur.x1 - cur.x0) + need > block.right - block.left - 2 * cw
    if nxt.x0 > cur.x0 + INDENT * cw and nxt.x0 > block.left + INDENT * cw:
        return False
    return cur.x1 + need > block.right - cw


def line_pitch(lines: list[Line]) -> float:
    """The usual step from one line to the next (median), 0 when there are too few lines."""
    steps = sorted(
        b.top - a.top for a, b in zip(lines, lines[1:]) if 0 < b.top - a.top < 3 * max(a.height, b.height)
    )
    return steps[len(steps) // 2] if len(steps) >= 3 else 0.0


def reflow(lines: list[Line], block: Block) -> list[list[Line]]:
    """The lines grouped into paragraphs, in order."""
    paragraphs: list[list[Line]] = []
    for ln in lines:
        if paragraphs and continues(paragraphs[-1][-1], ln, block):
            paragraphs[-1].append(ln)
        else:
            paragraphs.append([ln])
    return paragraphs


def paragraph_text(lines: list[Line]) -> str:
    return join_wrapped([ln.text for ln in lines])


def text_block(pages_lines: list[list[Line]], page_width: float) -> Block:
    """The body's left and right edge over the whole document: where its long lines start and end."""
    long = [ln for lines in pages_lines for ln in lines if not ln.table and ln.x1 - ln.x0 > 0.45 * page_width]
    if not long:
        return Block(0.1 * page_width, 0.9 * page_width)
    lefts = sorted(ln.x0 for ln in long)
    rights = sorted(ln.x1 for ln in long)
    return Block(lefts[len(lefts) // 10], rights[(len(rights) * 9) // 10])
