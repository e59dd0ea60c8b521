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

from dataclasses import dataclass

import regex

# A run of layout: spaces, line breaks, cell marks, rules standing alone, Markdown marks.
_LAYOUT = regex.compile(
    r"(?:[ \t\r\f\v\u00a0]+|\n|\||\*\*|__|(?<![^\s|])[-_=—–~*]{3,}(?![^\s|])|(?<![^\s|])\.{4,}(?![^\s|/])|(?m:^[ \t]*#{1,6}(?=[ \t])))+",
    regex.VERSION1,
)
_HARD = regex.compile(r"\||\n[ \t]*\n|[-_=—–~*.]{3}")


@dataclass(frozen=True)
class Flat:
    """``text``: the flat view; ``pos[i]``: where its character ``i`` stands in the source (``pos[len(text)]``
    is the source end). A layout run becomes one character that points at the run's start."""

    text: str
    pos: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of flat ``text[start:end]`` (``end > start``)."""
        return self.pos[start], self.pos[end - 1] + 1

    def source_start(self, i: int) -> int:
        return self.pos[i]


def flatten(source: str, start: int = 0, end: int | None = None) -> Flat:
    """The flat view of ``source[start:end]``."""
    end = len(source) if end is None else end
    out: list[str] = []
    pos: list[int] = []
    last = start
    for m in _LAYOUT.finditer(source, start, end):
        if m.start() > last:
            out.append(source[last : m.start()])
            pos.extend(range(last, m.start()))
        run = m.group(0)
        sep = "\n" if _HARD.search(run) else " "
        if out or sep == "\n":
            out.append(sep)
            pos.append(m.start())
        last = m.end()
    if end > last:
        out.append(source[last:end])
        pos.extend(range(last, end))
    pos.append(end)
    return Flat("".join(out), tuple(pos))
