"""A stretch of text with its layout folded away, each character still pointing at its source.

Sites, crawlers and converters print the same header in many layouts: one element per
line, cells with ``|`` between them, lines wrapped mid-phrase (``ỦY\\nBAN NHÂN DÂN``,
``Tiền\\nGiang, ngày``, ``ngày 24\\ntháng 8``), ``-------`` rules, Markdown marks. The
flat view folds every run of such layout into one character: a newline where the run
breaks the page into separate blocks (a cell mark, a rule, a blank line), a space where
it only wraps a line. Patterns then read the words, not the printing, and every match
maps back to the source through ``pos``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from pipeline.pattern_cache import compiled

# A run of layout: spaces, line breaks, cell marks, rules standing alone, Markdown marks.
_LAYOUT = compiled(
    r"(?:[ \t\r\f\v\u00a0]+|\n|\||\*\*|__|(?<![^\s|])[-_=—–~*]{3,}(?![^\s|])|(?<![^\s|])\.{4,}(?![^\s|/])|(?m:^[ \t]*#{1,6}(?=[ \t])))+",
    regex.VERSION1,
)
_HARD = compiled(r"\||\n[ \t]*\n|[-_=—–~*.]{3}")


@dataclass(frozen=True)
class Flat:
    """``text``: the flat view; ``pos(i)``: where its character ``i`` stands in the source (``pos(len(text))``
    is the source end). A layout run becomes one character that points at the run's start. The map is
    kept as runs (flat start, source start), one per piece of text or layout, not one per character."""

    text: str
    _flat_starts: tuple[int, ...]
    _src_starts: tuple[int, ...]
    end: int
    line_breaks: tuple[int, ...] = ()  # flat positions of layout runs that held a line break, in order

    def breaks_at(self, i: int) -> bool:
        """Whether flat position ``i`` is a layout run that held a line break."""
        k = bisect.bisect_left(self.line_breaks, i)
        return k < len(self.line_breaks) and self.line_breaks[k] == i

    def next_break(self, i: int) -> int:
        """The first flat position at or after ``i`` that is a line break (``len(text)`` if none)."""
        k = bisect.bisect_left(self.line_breaks, i)
        return self.line_breaks[k] if k < len(self.line_breaks) else len(self.text)

    def pos(self, i: int) -> int:
        if i >= len(self.text):
            return self.end
        k = bisect.bisect_right(self._flat_starts, i) - 1
        return self._src_starts[k] + (i - self._flat_starts[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of flat ``text[start:end]`` (``end > start``)."""
        return self.pos(start), self.pos(end - 1) + 1

    def flat_index(self, src: int) -> int:
        """The first flat position whose source position is ``src`` or after it."""
        k = bisect.bisect_right(self._src_starts, src) - 1
        if k < 0:
            return 0
        nxt = self._flat_starts[k + 1] if k + 1 < len(self._flat_starts) else len(self.text)
        return min(self._flat_starts[k] + (src - self._src_starts[k]), nxt)


def flatten(source: str, start: int = 0, end: int | None = None) -> Flat:
    """The flat view of ``source[start:end]``."""
    end = len(source) if end is None else end
    out: list[str] = []
    flat_starts: list[int] = []
    src_starts: list[int] = []
    breaks: list[int] = []
    n = 0
    last = start
    for m in _LAYOUT.finditer(source, start, end):
        if m.end() - m.start() == 1 and source[m.start()] == " " and out:
            continue  # one plain space between words stays as it is, inside the piece of text
        if m.start() > last:
            out.append(source[last : m.start()])
            flat_starts.append(n)
            src_starts.append(last)
            n += m.start() - last
        run = m.group(0)
        sep = "\n" if _HARD.search(run) else " "
        if out or sep == "\n":
            out.append(sep)
            flat_starts.append(n)
            src_starts.append(m.start())
            if "\n" in run or sep == "\n":
                breaks.append(n)
            n += 1
        last = m.end()
    if end > last:
        out.append(source[last:end])
        flat_starts.append(n)
        src_starts.append(last)
    return Flat("".join(out), tuple(flat_starts), tuple(src_starts), end, tuple(breaks))
