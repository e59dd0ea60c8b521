"""A document's outline: its text cut into blocks (numbered items and paragraphs) and nested by level.

Vietnamese documents number their parts in a fixed order of levels (``Điều`` > ``I.`` >
``1.`` > ``1.1.`` > ``a)`` > ``-`` > ``+``), so a block's level comes from its marker, not
from indentation, which plain text has lost. Two ways of breaking lines are told apart:
text whose paragraphs are separated by blank lines (OCR output, Markdown) wraps lines
inside a paragraph; text without blank lines (a website's copy) puts one paragraph on
each line. A paragraph broken by a page or a stray blank line is joined again when it
plainly goes on (it starts in lower case, or the previous one stopped mid-sentence).
"""

from __future__ import annotations

import functools
import itertools
import operator
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from pipeline.parse import patterns

MARKER_KINDS = ("dieu", "roman", "arabic2", "arabic", "alpha", "dash", "plus")
_TERMINAL = ".;:!?…"


@dataclass
class Block:
    """One numbered item or paragraph: its marker and the span of its text (marker excluded)."""

    kind: str | None  # a marker kind, or None for an unnumbered paragraph
    label: str
    start: int  # offset of the text after the marker
    end: int
    rank: float = 99.0
    children: list[Block] = field(default_factory=list)
    parent: Block | None = None
    quoted: bool = False


class _Line(NamedTuple):
    start: int
    end: int  # without the line break, trailing spaces trimmed
    blank: bool


_BLANK = operator.itemgetter(2)
_PLUS_ONE = (1).__add__


def _lines(text: str) -> list[_Line]:
    page_break = patterns.get("tasks", "page_break").match
    raws = text.split("\n")
    starts = itertools.accumulate(map(_PLUS_ONE, map(len, raws)), initial=0)  # each line and its break
    new = tuple.__new__  # a few hundred lines a document: comprehensions, no Python constructor
    return [
        new(_Line, (s, s + (k := len(raw.rstrip())), not k or page_break(raw) is not None))
        for s, raw in zip(starts, raws)
    ]


def _marker(text: str, line: _Line) -> tuple[str, str, int] | None:
    """(kind, label, offset where the item's text starts) of a line that opens an item."""
    markers = _markers()
    if markers is None:  # rule patterns that cannot be combined: one by one
        for kind in MARKER_KINDS:
            if m := patterns.get_entry("tasks", ("marker", kind)).match(text, line.start, line.end):
                return kind, m.group("label"), m.end()
        return None
    m = markers.match(text, line.start, line.end)
    if m is None:
        return None
    i = int(m.lastgroup[1:])  # `p{i}`, the group around pattern i, closes last
    return MARKER_KINDS[i], m.group(f"label{i}"), m.end()


@functools.cache
def _markers() -> regex.Pattern | None:
    """The marker patterns as one, tried in ``MARKER_KINDS`` order: one test a line instead of one a kind."""
    return patterns.any_of([patterns.get_entry("tasks", ("marker", kind)) for kind in MARKER_KINDS], tag=True)


@functools.cache
def _rank(kind: str) -> int:
    from pipeline import rules

    return rules.load("tasks")["marker"][kind]["rank"]


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans between curly quotes: amended wording quoted inside a document, not its own text."""
    spans, pos = [], 0
    while (a := text.find("“", pos)) >= 0:
        b = text.find("”", a + 1)
        if b < 0:
            break
        spans.append((a, b))
        pos = b + 1
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` is in one of ``spans`` (in order, apart: the last one opening at or before it)."""
    k = bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and pos < spans[k][1]


def blocks(text: str, start: int = 0, end: int | None = None) -> list[Block]:
    """The blocks of ``text[start:end]`` in document order."""
    end = len(text) if end is None else end
    lines = [ln for ln in _lines(text) if ln.start >= start and ln.end <= end]
    blanks = sum(map(_BLANK, lines))
    nonblank = (len(lines) - blanks) or 1
    wrapped = blanks >= 0.2 * nonblank
    bare = patterns.get("tasks", "bare_number")
    out: list[Block] = []
    gap = True  # a blank line since the last text
    for i, ln in enumerate(lines):
        if ln.blank:
            gap = True
            continue
        mk = _marker(text, ln)
        if mk is None and (m := bare.match(text, ln.start, ln.end)):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if nxt is None or nxt.blank:
                gap = True  # a page number
                continue
            mk = ("arabic", m.group("label"), ln.end)
        if mk:
            kind, label, body = mk
            out.append(Block(kind, label, body, ln.end, float(_rank(kind))))
        elif out and _continues(text, out[-1], ln, gap, wrapped):
            out[-1].end = ln.end
        else:
            out.append(Block(None, "", ln.start, ln.end))
        gap = False
    spans = _quote_spans(text)
    for b in out:
        b.quoted = _inside(spans, b.start)
    return out


def _continues(text: str, prev: Block, ln: _Line, gap: bool, wrapped: bool) -> bool:
    """Whether a line without a marker goes on with the block before it."""
    first = text[ln.start : min(ln.end, ln.start + 64)].lstrip()[:1] or text[ln.start : ln.end].lstrip()[:1]
    if first.islower():
        return True
    if not gap and wrapped:
        return True
    # The block so far may be long (a paragraph wrapped over many lines): it is read from its
    # end, `end` being where `text[prev.start:prev.end].rstrip(" *_")` would end.
    end = prev.end
    while end > prev.start and text[end - 1] in " *_":
        end -= 1
    if end == prev.start:
        return not gap  # `Điều 2.` then its title on the next line
    if text[end - 1] in _TERMINAL or _mostly_capitals(text[max(prev.start, end - 200) : end]):
        return False
    words = text[prev.start : end].rsplit(None, 1)  # none when the block so far is only white space
    return end - prev.start >= 60 or (bool(words) and words[-1] in _dangling_words())


_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def _mostly_capitals(s: str) -> bool:
    """``upper_ratio(s) >= 0.6``, decided at once when ASCII lowercase letters are 45% of ``s``:
    capitals are then at most 55% of its letters (the usual case: running text)."""
    ascii_part = s.encode("ascii", "ignore")
    if (len(ascii_part) - len(ascii_part.translate(None, _ASCII_LOWER))) * 20 >= 9 * len(s):
        return False
    return patterns.upper_ratio(s) >= 0.6


@functools.cache
def _dangling_words() -> frozenset[str]:
    from pipeline import rules

    return frozenset(rules.load("tasks")["dangling_words"])


def nest(items: list[Block], is_heading) -> list[Block]:
    """Nest blocks into a tree by rank; returns the top-level blocks.

    An unnumbered paragraph belongs to the item above it only when that item is a heading
    that owns what follows (``is_heading(block)``: an agency's name, a ``Điều``); otherwise it
    closes the open list and stands at the level of the nearest ``Điều``/section.
    """
    root = Block(None, "", 0, 0, rank=-1.0)
    stack = [root]
    marked: set[int] = set()  # blocks with a numbered child: children only grow here, so no rescan
    for b in items:
        if b.kind is None:
            top = stack[-1]
            if top is not root and top.kind is not None and id(top) not in marked and is_heading(top):
                b.rank = 99.0
            else:
                while len(stack) > 1 and stack[-1].rank > 1:
                    stack.pop()
                b.rank = 99.0
            b.parent = stack[-1]
            stack[-1].children.append(b)
            continue
        while len(stack) > 1 and stack[-1].rank >= b.rank:
            stack.pop()
        b.parent = stack[-1]
        stack[-1].children.append(b)
        marked.add(id(stack[-1]))
        stack.append(b)
    return root.children
