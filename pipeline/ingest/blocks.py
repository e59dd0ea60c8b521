"""Blocks of a document's text from the paragraphs ingest laid out, each with the kind its layout showed.

A reader (the PDF layout, the DOCX table walk) knows which paragraphs are the header's left column,
a signature's right column or a stamp; the text is normalized after they are joined, so where each
one ends up is found again here: normalization keeps every line break (``pipeline.normalize``
repairs characters within lines), so the joined paragraphs' lines are the normalized text's lines.
Where they do not add up (a front matter block removed, a carriage return made a line), no block
is given rather than a wrong one.
"""

from __future__ import annotations

from pipeline.models import Block


def paragraph_spans(text: str, paragraphs: list[str]) -> list[tuple[int, int]] | None:
    """Where each paragraph stands in ``text``, the normalization of their join with line breaks;
    None when the lines do not add up."""
    lines = text.split("\n")
    if len(lines) != sum(p.count("\n") + 1 for p in paragraphs):
        return None
    spans, pos, i = [], 0, 0
    for p in paragraphs:
        n = p.count("\n") + 1
        size = sum(len(line) for line in lines[i : i + n]) + n - 1
        spans.append((pos, pos + size))
        pos += size + 1
        i += n
    return spans


def blocks_of(
    text: str, spans: list[tuple[int, int]], kinds: list[str | None], offset: int = 0, page: int | None = None
) -> list[Block]:
    """Runs of paragraphs of one kind (empty paragraphs between them do not break a run) as blocks,
    white space at their ends left out, their spans in ``text`` shifted by ``offset``; paragraphs of
    no kind give none."""
    out: list[Block] = []
    last: str | None = None
    for (a, b), kind in zip(spans, kinds):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a == b:
            continue
        if kind is not None:
            if last == kind and out:
                out[-1] = Block(kind, out[-1].start, b + offset, page)
            else:
                out.append(Block(kind, a + offset, b + offset, page))
        last = kind
    return out
