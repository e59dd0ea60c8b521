"""The zones of a document, found once: header, body, signature, recipients, what follows the signature.

Every extractor reads its own zone instead of finding it again: the header ends where the
body starts (``Căn cứ``, ``Kính gửi``, ``Điều 1``); the body ends at the first end mark
after the header (``./.`` or the ``Nơi nhận`` line); the signature block and the ``Nơi
nhận`` list follow it; what stands after the signer's name (an appendix, a plan the
decision issues, a table of tasks) is the ``annex``. Where ingest saw the structure (a
DOCX signature table, a PDF's columns) its blocks say where a zone is; else the rules
on plain text do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from pipeline.models import Block
from pipeline.parse.patterns import get

Span = tuple[int, int]

_NOI = re.compile("N[ơo]i")


@dataclass(frozen=True)
class Zones:
    """Spans of the parts of one text (offsets into it); a part not found is None."""

    header: Span
    body: Span
    end_mark: int | None  # the first `./.` or `Nơi nhận` after the header: where the body ends
    noi_nhan: Span | None  # the `Nơi nhận` label
    signature_start: int | None = None  # set once the signature is read
    annex: Span | None = None  # after the signer's name: appendices, attached plans, tables


def first_noi_nhan(text: str, pos: int = 0) -> regex.Match | None:
    """The first ``Nơi nhận`` label at or after ``pos``, searched from the line of the first ``Nơi``/``Noi``
    (every match holds one, found by ``re`` in one C scan)."""
    first = _NOI.search(text, pos)
    return get("recipients", "noi_nhan").search(text, max(pos, text.rfind("\n", 0, first.start()) + 1)) if first else None


def first_end_mark(text: str, pos: int = 0) -> int | None:
    """Where the first ``./.`` or ``Nơi nhận`` line at or after ``pos`` starts."""
    noi = _NOI.search(text, pos)
    found = [p for p in (text.find("./.", pos), text.rfind("\n", 0, noi.start()) + 1 if noi else -1) if p >= 0]
    m = get("recipients", "end_mark").search(text, max(pos, min(found))) if found else None
    return m.start() if m else None


def find_zones(text: str, header_end: int, blocks: tuple[Block, ...] = ()) -> Zones:
    """The header, body and end of a text whose header ends at ``header_end``."""
    mark = first_end_mark(text, header_end) if header_end < len(text) else None
    if mark is None:
        mark = first_end_mark(text)  # a text whose end mark stands before what the rules took as its body
    noi = first_noi_nhan(text, header_end) or first_noi_nhan(text)
    sig_blocks = [b for b in blocks if b.kind in ("signature_left", "signature_right")]
    body_end = mark if mark is not None and mark >= header_end else len(text)
    if sig_blocks:
        body_end = min(body_end, min(b.start for b in sig_blocks))
    return Zones(
        header=(0, header_end),
        body=(header_end, body_end),
        end_mark=mark,
        noi_nhan=noi.span() if noi else None,
    )


def with_signature(zones: Zones, text: str, start: int, name_end: int | None) -> Zones:
    """The zones once the signature block is read: it starts at ``start``; what follows the signer's
    name (or the ``Nơi nhận`` list, whichever ends later) is the annex."""
    from dataclasses import replace

    annex = None
    if name_end is not None and name_end < len(text):
        line_end = text.find("\n", name_end)
        if line_end >= 0 and text[line_end:].strip():
            annex = (line_end + 1, len(text))
    return replace(zones, signature_start=start if start >= 0 else None, annex=annex)
