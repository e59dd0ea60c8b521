"""Pages to one text: page numbers and running headers out, sentences across a page joined.

What a reader skips is left out: a margin line that is only a page number (``2``,
``- 2 -``, ``Trang 2/5``) and a line repeated in the top or bottom margin of most pages.
A sentence that a page break cut (the page ends without final punctuation and the next
begins in lower case) is joined with a space. Each page is normalized on its own and
the pages concatenated, so the recorded start of each page is an offset into the very
text the parser reads.
"""

from __future__ import annotations

from collections import Counter

import regex

from pipeline.ingest.layout import Page
from pipeline.normalize import fold, normalize_text

MARGIN = 0.12  # top and bottom share of the page where page numbers and running lines sit
RUNNING_MIN_PAGES = 3  # a running header needs at least this many pages to be told apart
_PAGE_NUMBER = regex.compile(
    r"(?i)\s*(?:[-–—]\s*)?(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?(?:\s*[-–—])?\s*"
)
_DIGITS = regex.compile(r"\d+")
_ENDS_OPEN = regex.compile(r"[\p{L}\d,]$")
_STARTS_LOWER = regex.compile(r"^\p{Ll}")


def _in_margin(page: Page, top: float, bottom: float) -> bool:
    return bottom <= MARGIN * page.height or top >= (1 - MARGIN) * page.height


def _running_key(text: str) -> str:
    return _DIGITS.sub("#", fold(text))


def strip_margins(pages: list[Page]) -> None:
    """Remove page numbers and running headers/footers from the pages' lines, in place."""
    keys: Counter[str] = Counter()
    if len(pages) >= RUNNING_MIN_PAGES:
        for page in pages:
            keys.update({_running_key(ln.text) for ln in page.lines if _in_margin(page, ln.top, ln.bottom)})
    threshold = max(RUNNING_MIN_PAGES, (len(pages) + 1) // 2)
    running = {k for k, c in keys.items() if c >= threshold and k.strip("# ")}
    for page in pages:
        page.lines = [
            ln
            for ln in page.lines
            if not (
                _in_margin(page, ln.top, ln.bottom)
                and (_PAGE_NUMBER.fullmatch(ln.text) or _running_key(ln.text) in running)
            )
        ]


def join_pages(page_texts: list[str]) -> tuple[str, list[int]]:
    """The pages' texts as one normalized text, and the offset where each page starts in it."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for raw in page_texts:
        text = normalize_text(raw, markdown=False).strip("\n")
        if not text:
            starts.append(length)
            continue
        if parts:
            sep = " " if _ENDS_OPEN.search(parts[-1]) and _STARTS_LOWER.match(text) else "\n"
            parts.append(sep)
            length += 1
        starts.append(length)
        parts.append(text)
        length += len(text)
    return "".join(parts), starts
