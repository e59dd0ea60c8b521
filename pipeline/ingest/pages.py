"""Pages to one text: page numbers and running headers out, sentences across a page joined.

What a reader skips is left out: a margin line that is only a page number (``2``,
``- 2 -``, ``Trang 2/5``) and a line repeated in the top or bottom margin of most pages
(only the outermost lines of a page, never one that opens an article or an item, so a body
line that happens to start every page alike stays). A paragraph that a page break cut is
joined with a space (``layout.continues_page``). Each page is normalized on its own and the
pages concatenated, so the recorded start of each page is an offset into the very text the
parser reads.
"""

from __future__ import annotations

from collections import Counter

import regex

from pipeline.ingest.layout import Page, PageText, continues_page
from pipeline.ingest.reflow import CUT_AT_HYPHEN, MARKER, Block
from pipeline.ingest.blocks import blocks_of, paragraph_spans
from pipeline.models import Block as DocBlock
from pipeline.normalize import fold, normalize_text

MARGIN = 0.12  # top and bottom share of the page where page numbers and running lines sit
RUNNING_MIN_PAGES = 3  # a running header needs at least this many pages to be told apart
EDGE_LINES = 2  # running headers and footers are among the first or last lines of a page
RUNNING_MAX_CHARS = 120
_PAGE_NUMBER = regex.compile(
    r"(?i)\s*(?:[-–—]\s*)?(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?(?:\s*[-–—])?\s*"
)
_DIGITS = regex.compile(r"\d+")


def _in_margin(page: Page, top: float, bottom: float) -> bool:
    return bottom <= MARGIN * page.height or top >= (1 - MARGIN) * page.height


def _running_key(text: str) -> str:
    return _DIGITS.sub("#", fold(text))


def _edge(page: Page) -> list[int]:
    """Indexes of the page's outermost lines that sit in its top or bottom margin."""
    n = len(page.lines)
    candidates = sorted({*range(min(EDGE_LINES, n)), *range(max(0, n - EDGE_LINES), n)})
    return [i for i in candidates if _in_margin(page, page.lines[i].top, page.lines[i].bottom) and not page.lines[i].table]


def _side(page: Page, i: int) -> str:
    return "top" if page.lines[i].bottom <= MARGIN * page.height else "bottom"


def _page_numbers(pages: list[Page]) -> set[tuple[int, int]]:
    """(page, line) of the lines that are this document's page numbers.

    A document numbers its pages in one margin and in step with the pages (page index plus a
    fixed offset); a bare number elsewhere, or out of step, is body text (an item's number
    standing on its own line at the foot of a page).
    """
    found = [
        (p, i, _side(page, i), int(_DIGITS.search(page.lines[i].text).group()))
        for p, page in enumerate(pages)
        for i in _edge(page)
        if _PAGE_NUMBER.fullmatch(page.lines[i].text)
    ]
    if len(found) < 2:
        return {(p, i) for p, i, _, _ in found}
    (side, offset), votes = Counter((side, n - p) for p, _, side, n in found).most_common(1)[0]
    if votes < 2:
        return {(p, i) for p, i, _, _ in found}
    return {(p, i) for p, i, s, n in found if s == side and n - p == offset}


def strip_margins(pages: list[Page]) -> None:
    """Remove page numbers and running headers/footers from the pages' lines, in place."""
    numbers = _page_numbers(pages)
    keys: Counter[str] = Counter()
    if len(pages) >= RUNNING_MIN_PAGES:
        for page in pages:
            keys.update(
                {
                    _running_key(t)
                    for i in _edge(page)
                    if len(t := page.lines[i].text) <= RUNNING_MAX_CHARS and not MARKER.match(t)
                }
            )
    threshold = max(RUNNING_MIN_PAGES, (len(pages) + 1) // 2)
    running = {k for k, c in keys.items() if c >= threshold and k.strip("# ")}
    for p, page in enumerate(pages):
        drop = {i for i in _edge(page) if (p, i) in numbers or _running_key(page.lines[i].text) in running}
        if drop:
            page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]


def join_pages(pages: list[PageText], block: Block) -> tuple[str, list[int], tuple[DocBlock, ...]]:
    """The pages' paragraphs as one normalized text, the offset where each page starts in it, and the
    blocks their kinds make (consecutive paragraphs of one kind on a page are one block).

    Stamps come last, after the document's own text, each a ``stamp`` block saying its page: put
    where they were pressed they would cut a list of addressees or a sentence in two."""
    parts: list[str] = []
    starts: list[int] = []
    blocks: list[DocBlock] = []
    length = 0
    prev: PageText | None = None
    for number, page in enumerate(pages, 1):
        text, spans, lead = _normalized(page.paragraphs)
        whole, text = text, text.strip("\n")
        if not text:
            starts.append(length)
            continue
        if parts:
            sep = " " if prev is not None and continues_page(prev, page, block) else "\n"
            if sep == " " and CUT_AT_HYPHEN.search(parts[-1]):
                sep = ""  # ``32/2024/NĐ-`` at a page's foot, ``CP`` at the next one's head
            parts.append(sep)
            length += len(sep)
        starts.append(length)
        if spans is not None and len(page.kinds) == len(spans):
            blocks.extend(blocks_of(whole, spans, page.kinds, length - lead, number))
        parts.append(text)
        length += len(text)
        prev = page
    for number, page in enumerate(pages, 1):
        for group in page.stamps:
            text, spans, lead = _normalized(group)
            whole, text = text, text.strip("\n")
            if not text or spans is None:
                continue
            if parts:
                parts.append("\n")
                length += 1
            blocks.extend(blocks_of(whole, spans, ["stamp"] * len(spans), length - lead, number))
            parts.append(text)
            length += len(text)
    return "".join(parts), starts, tuple(blocks)


def _normalized(paragraphs: list[str]) -> tuple[str, list[tuple[int, int]] | None, int]:
    """Paragraphs joined and normalized, where each stands in the result, and how many line breaks
    lead it (they are stripped)."""
    paragraphs = [p.replace("\r", " ") for p in paragraphs]
    text = normalize_text("\n".join(paragraphs), markdown=False)
    return text, paragraph_spans(text, paragraphs), len(text) - len(text.lstrip("\n"))
