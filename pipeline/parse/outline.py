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
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from pipeline.parse import patterns

MARKER_KINDS = ("chapter", "dieu", "roman", "arabic2", "arabic", "paren", "alpha", "dash", "plus")
# `caps`: a heading in capitals with no marker, ranked as a part (see ``_caps_heading``).
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


_BLANK = operator.itemgetter(2)
_PLUS_ONE = (1).__add__


def _lines(text: str, end: int | None = None, start: int = 0) -> list[tuple[int, int, bool]]:
    """The lines of ``text`` as ``(start, end, blank)``, ``end`` without the line break and trailing
    white space; with ``end``, only those starting at or before it (the rest is not read); with
    ``start``, only those starting at or after the line holding it.
    Plain tuples, made in a comprehension: a few hundred lines a document."""
    if end is not None and (cut := text.find("\n", end)) >= 0:
        text = text[:cut]  # whole lines: the one holding `end` ends at `cut`
    first = text.rfind("\n", 0, start) + 1 if start > 0 else 0
    page_break = patterns.get("tasks", "page_break").match
    may_break = _page_break_opens()
    raws = text[first:].split("\n")
    starts = itertools.accumulate(map(_PLUS_ONE, map(len, raws)), initial=first)  # each line and its break
    return [
        (s, s + (k := len(raw.rstrip())), not k or (may_break[raw[0]] and page_break(raw) is not None))
        for s, raw in zip(starts, raws)
    ]


# ---------------------------------------------------------------- what a line opens with

_SPACES = " \t"  # what the patterns skip (`^[ \t]*`) before the character a match opens with


class _ByChar(dict):
    """``decide(ch)`` for each character, worked out the first time it is seen: a line's test is then
    one look-up in C, where a pattern that cannot match the line would cost a regex call."""

    def __init__(self, decide) -> None:
        super().__init__()
        self._decide = decide

    def __missing__(self, ch: str):
        out = self._decide(ch)
        if len(self) < 65536:  # bounded, whatever characters a hostile file holds
            self[ch] = out
        return out


def _may_open(opens: regex.Pattern | None, ch: str) -> bool:
    return opens is None or opens.fullmatch(ch) is not None


@functools.cache
def _page_break_opens() -> _ByChar:
    """For the first character of a line: whether it may be a page break."""
    opens = patterns.opens("tasks", ("page_break",))
    return _ByChar(lambda ch: ch in _SPACES or _may_open(opens, ch))


@functools.cache
def _openers() -> _ByChar:
    """For the first character of a line after its spaces and tabs: the marker kinds that may match
    it, in ``MARKER_KINDS`` order, each as ``(kind, match, rank)``, and whether a bare number may."""
    match_of = _marker_matches()
    kinds = [(kind, patterns.opens("tasks", ("marker", kind))) for kind in MARKER_KINDS]
    bare = patterns.opens("tasks", ("bare_number",))
    return _ByChar(
        lambda ch: (
            tuple((kind, match_of[kind], float(_rank(kind))) for kind, opens in kinds if _may_open(opens, ch)),
            _may_open(bare, ch),
        )
    )


@functools.cache
def _marker_matches() -> dict[str, Callable[..., regex.Match | None]]:
    """The ``match`` of each marker kind's pattern."""
    return {kind: patterns.get_entry("tasks", ("marker", kind)).match for kind in MARKER_KINDS}


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


_NOTE_REACH = 1500  # a site's editorial note is at most this long


def _note_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of `[…]` notes a site put in the text that run over more than one line."""
    spans, pos = [], start
    while (a := text.find("[", pos, end)) >= 0:
        b = text.find("]", a + 1, min(end, a + _NOTE_REACH))
        if b < 0:
            pos = a + 1
            continue
        if text.find("[", a + 1, b) < 0 and text.find("\n", a, b) >= 0:
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
    lines = _lines(text, end, start)
    while lines and lines[-1][1] > end:  # lines start and end in order: those past `end` are last
        lines.pop()
    if start > 0:
        lines = [ln for ln in lines if ln[0] >= start]
    flags = list(map(_BLANK, lines))
    blanks = sum(flags)
    nonblank = (len(lines) - blanks) or 1
    # Paragraphs separated by blank lines: count each run of blank lines between texts once (a header's
    # spacing before the first text and the blank lines after the last are no paragraph break).
    breaks = sum(1 for a, b in zip(flags, flags[1:]) if a and not b) - (1 if flags and flags[0] else 0)
    wrapped = breaks >= 0.2 * nonblank
    bare = patterns.get("tasks", "bare_number").match
    openers = _openers()
    out: list[Block] = []
    gap = True  # a blank line since the last text
    notes = _note_spans(text, start, end) if "[" in text else []
    for i, (s, e, blank) in enumerate(lines):
        if blank:
            gap = True
            continue
        if notes and out and _inside(notes, s):
            out[-1].end = e  # a line inside a site's `[…]` note wrapped over lines: the note goes on
            gap = False
            continue
        # The marker: only the kinds that may open with the line's first character are tried, one
        # by one in `MARKER_KINDS` order, the first that matches wins; most lines try one or none.
        first = text[s]
        if first in _SPACES:
            first = text[s:e].lstrip(_SPACES)[:1]
        kinds, may_be_bare = openers[first]
        for kind, match, rank in kinds:
            if m := match(text, s, e):
                out.append(Block(kind, m.group("label"), m.end(), e, rank))
                break
        else:
            if may_be_bare and (m := bare(text, s, e)):
                if i + 1 == len(lines) or lines[i + 1][2]:
                    gap = True  # a page number
                    continue
                out.append(Block("arabic", m.group("label"), e, e, float(_rank("arabic"))))
            elif out and _continues(text, out[-1], s, e, gap, wrapped, first):
                out[-1].end = e
            elif _caps_heading(text, s, e):
                out.append(Block("caps", "", s, e, _CAPS_RANK))
            else:
                out.append(Block(None, "", s, e))
        gap = False
    if spans := _quote_spans(text):  # most documents quote nothing: every block stays unquoted
        for b in out:
            b.quoted = _inside(spans, b.start)
    return out


def _continues(text: str, prev: Block, start: int, end: int, gap: bool, wrapped: bool, first: str = " ") -> bool:
    """Whether a line (``text[start:end]``) without a marker goes on with the block before it.

    ``first``: the line's first character after spaces and tabs, which ``blocks`` has read (white
    space: read it here).
    """
    if first.isspace():
        first = text[start : min(end, start + 64)].lstrip()[:1] or text[start:end].lstrip()[:1]
    if first.islower():
        return True
    if not gap and wrapped and not _short_heading_line(text, prev, first):
        return True
    # The block so far may be long (a paragraph wrapped over many lines): it is read from its
    # end, `end` being where `text[prev.start:prev.end].rstrip(" *_")` would end.
    line_end, end = end, prev.end
    while end > prev.start and text[end - 1] in " *_":
        end -= 1
    if end == prev.start:
        return not gap  # `Điều 2.` then its title on the next line
    if text[end - 1] == ";" and _list_goes_on(text, prev.start, end, start, first):
        return True
    if text[end - 1] in _TERMINAL or _mostly_capitals(text[max(prev.start, end - 200) : end]):
        return False
    if text[end - 1] in "”\"»" and end - 2 >= prev.start and text[end - 2] in _TERMINAL:
        return False  # a quotation that ends a sentence
    words = text[max(prev.start, end - 40) : end].rsplit(None, 1)  # none when the block so far is only white space
    if words and words[-1] in _dangling_words() and not _opens_with_verb(text, start, line_end):
        return True  # `… phối hợp với Sở` / `Công Thương để hướng dẫn …`
    if not gap and text[end - 1] == ",":
        return True  # a list goes on: no heading ends with a comma
    if first.isupper() and _name_across(text, max(prev.start, end - _NAME_REACH), end, start, line_end):
        return True  # `… phối hợp với Sở Công` / `Thương, UBND các huyện …`: a name cut at the line's end
    if prev.kind is not None and first.isupper() and text.find("\n", prev.start, end) < 0:
        # a numbered line then a capitalised one: a heading and its text (`5.2. Sở Y tế` / `Chủ trì …`); a
        # long line goes on unless a sentence opens after it (a line wrapped before `UBND tỉnh …`)
        if not gap and _names_and_acts(text, prev.start, end, prev.kind in ("dash", "plus")):
            return not _opens_with_verb(text, start, line_end) or bool(patterns.get("tasks", "document_named").match(text, start, line_end))
        if end - prev.start <= _HEADING_REACH or _opens_with_verb(text, start, line_end):
            return False
    return end - prev.start >= 60


_ASCII_LOWER_RE = re.compile("[a-z]")
_CAPS_RANK = 1.0  # a heading in capitals without a marker stands where a part (`II.`) does
_CAPS_LINE = 160  # a heading is a short line


def _caps_heading(text: str, start: int, end: int) -> bool:
    """Whether the line ``text[start:end]`` is a heading in capitals with no marker (`NỘI DUNG HOẠT ĐỘNG`)."""
    if end - start > _CAPS_LINE or text[end - 1 : end] in ".;," or _ASCII_LOWER_RE.search(text, start, end):
        return False  # (a lower-case ASCII letter, in almost every line of running text, rules it out in C)
    line = text[start:end]
    return sum(c.isalpha() for c in line) >= 6 and _mostly_capitals(line) and patterns.upper_ratio(line) >= 0.9


_WORD_START = re.compile(r"(?<!\S)\S")
_NAME_REACH = 60  # how much of a line's end and of the next line's start may hold one name


def _name_across(text: str, lo: int, end: int, start: int, line_end: int) -> bool:
    """Whether an agency's name runs from the end of ``text[lo:end]`` into the line ``text[start:line_end]``."""
    from pipeline.parse.agencies import first_agency

    tail, head = text[lo:end], text[start : min(line_end, start + _NAME_REACH)].lstrip()
    joined = f"{tail} {head}"
    for w in list(_WORD_START.finditer(tail))[-8:]:  # a name that may open at one of the last words
        if w[0].isupper() and (m := first_agency(joined[w.start() :])) and w.start() + m.end > len(tail) + 1:
            break
    else:
        return False
    # (asked only of a name that runs on: most lines have none) the line opens no sentence of its own,
    # with a verb or with a name
    return not _opens_with_verb(text, start, line_end) and first_agency(head) is None


def _names_and_acts(text: str, start: int, end: int, dashed: bool) -> bool:
    """Whether ``text[start:end]`` is a sentence begun, a body then its duty (`Văn phòng UBND tỉnh có trách
    nhiệm đăng tải`) or, after a dash (``dashed``), a duty (`Chủ trì, phối hợp … tham mưu`), not a heading (`Sở Nội vụ (Ban Thi đua - Khen thưởng)`, `Sở Y tế chủ trì:`)."""
    if text[end - 1] == ":":
        return False
    from pipeline.parse.agencies import first_agency

    line = text[start:end].lstrip(" *_")
    if dashed and _opens_with_verb(line, 0, len(line)):
        return True  # `- Chủ trì, phối hợp … tham mưu` / `UBND tỉnh tổ chức …` (a numbered `2. Tăng cường …` is a heading)
    m = first_agency(line)
    return m is not None and _opens_with_verb(line, m.end, len(line))


def _opens_with_verb(text: str, start: int, end: int) -> bool:
    """Whether the line ``text[start:end]`` opens with a verb (`Chủ trì, phối hợp …`): it starts a sentence,
    it does not finish a name cut at the line before (`… Bộ đội Biên phòng` / `Chủ trì …`)."""
    from pipeline.parse.agencies import opens_with_verb

    return opens_with_verb(text[start:end].lstrip())


_HEADING_REACH = 80  # a numbered line longer than this that ends no sentence is a line wrapped, not a heading
_SHORT_LINE = 60  # shorter than a wrapped line of a page: a numbered line this short is a heading
_LIST_REACH = 400  # how far back a list cut after a `;` is read


def _short_heading_line(text: str, prev: Block, first: str) -> bool:
    """A numbered block of one short line then a capitalised line: a heading and its text, even where
    the text wraps its paragraphs (`1. Phòng Công chức, viên chức` / `Chủ trì, phối hợp …`)."""
    if prev.kind is None or not first.isupper() or prev.end - prev.start > _SHORT_LINE:
        return False
    last = text[prev.start : prev.end].rstrip(" *_")
    words = last.rsplit(None, 1)
    return text.find("\n", prev.start, prev.end) < 0 and bool(words) and words[-1] not in _dangling_words()


def _list_goes_on(text: str, lo: int, hi: int, start: int, first: str) -> bool:
    """Whether a line goes on with a list of bodies the block before it announced and cut after a `;`
    (`- Các bộ, cơ quan ngang bộ: Tài chính; Tư pháp;` / `Văn phòng Chính phủ phối hợp với …`)."""
    lo = max(lo, hi - _LIST_REACH)  # the list's end is read, however long the block has grown
    if not first.isupper() or text.find(":", lo, hi) < 0 or text.count(";", lo, hi) < 2:
        return False
    from pipeline.parse.agencies import first_agency

    return first_agency(text[start : start + 200].lstrip()) is not None


_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))


def _mostly_capitals(s: str) -> bool:
    """``upper_ratio(s) >= 0.6``, decided at once from the ASCII letters when it cannot hold even if
    every other character were a capital letter: running text (mostly ASCII lower case), a table
    row of figures (no letter at all)."""
    ascii_part = s.encode("ascii", "ignore")
    other = len(s) - len(ascii_part)  # letters or not, capitals or not: counted as capitals
    lower = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LOWER))
    upper = len(ascii_part) - len(ascii_part.translate(None, _ASCII_UPPER))
    if upper + other == 0 or 5 * (upper + other) < 3 * (lower + upper + other):
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
