"""Typed records that flow between the stages. Every extracted value keeps its span.

Spans (``char_start``, ``char_end``) are offsets into the normalized text the
parser was given, so ``text[char_start:char_end]`` is what the value came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Block:
    """A region of the text whose role ingest saw in the file's structure.

    ``kind`` is one of ``BLOCK_KINDS``: the header's left column (the issuing body, the number,
    a ``V/v`` subject) and right column (motto, place and date), the signature's left column
    (``Nơi nhận``) and right column (signing block), a table cell, a stamp or mark put on the
    page (``ĐẾN`` stamp, signature box, watermark) that is not the document's own text. Spans
    are offsets into ``Doc.text``; ``text[start:end]`` is the block.
    """

    kind: str
    start: int
    end: int
    page: int | None = None


BLOCK_KINDS = frozenset(
    {"header_left", "header_right", "signature_left", "signature_right", "table_cell", "stamp"}
)


@dataclass
class Doc:
    """What ingest hands on: the text of one input, normalized once, and the structure seen in it.

    ``blocks`` holds what the format told (a DOCX header table's cells, a PDF's columns by
    position, a stamp OCR saw): the parser uses it where present and finds the same zones by
    rules on plain text where not. ``review`` lists what ingest could not read with confidence
    (``doc_number: handwritten digits unreadable``), so a field can be left null and flagged.
    """

    text: str
    source_format: str  # txt, md, docx, pdf, doc, image, …
    text_source: str = "text"  # text | ocr | mixed
    page_starts: list[int] | None = None  # offset where each page begins, when paged
    page_sources: tuple[str | None, ...] | None = None  # text | ocr for each page, when paged (None: an empty page)
    quality: float | None = None
    blocks: tuple[Block, ...] = ()
    review: tuple[str, ...] = ()


SourceText = Doc  # the name ingest's readers used before the document model


@dataclass(frozen=True)
class DocumentFields:
    """The header and signature fields of one document (ANNOTATION.md, document fields).

    ``spans`` says where each field was read: ``text[start:end]`` is what the page printed (the number
    as printed, the place, the date line, the subject's lines, the issuer's name block, the signer's
    name); a field inferred from the body or the symbol points at the words it was inferred from.
    """

    doc_type: str | None = None
    doc_number: str | None = None
    doc_symbol: str | None = None
    issuer: str | None = None
    place: str | None = None
    issue_date: str | None = None  # ISO date, or "YYYY-MM" / "YYYY" when partial
    issue_year: int | None = None
    issue_month: int | None = None
    subject: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signing_mode: str | None = None
    spans: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    review: tuple[str, ...] = ()  # what a person should check: a field left empty because it was not read with confidence

    def values(self) -> dict:
        """The fields' values without where they were read: what must not depend on the format."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("spans", "review")}


@dataclass(frozen=True)
class Reference:
    """A document the text cites by number."""

    ref_number: str
    ref_type: str | None
    ref_date: str | None
    ref_issuer: str | None
    ref_text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Recipient:
    """An addressee: ``to`` after Kính gửi, ``cc`` in Nơi nhận."""

    role: str
    recipient_text: str
    char_start: int
    char_end: int


@dataclass
class Deadline:
    """A normalized deadline (ANNOTATION.md deadline table)."""

    text: str
    kind: str | None  # date | month | quarter | range | year | ongoing | recurring
    start: str | None  # ISO date
    end: str | None
    recurrence: str | None = None  # yearly | quarterly | monthly | weekly, for kind recurring
    char_start: int = -1
    char_end: int = -1


@dataclass
class TaskAgency:
    """One agency of a task: the lead or a cooperating (support) agency."""

    role: str  # lead | support
    agency: str  # canonical full name
    agency_text: str  # as printed


@dataclass
class Task:
    """A leaf item that assigns work."""

    task_no: int
    path: str
    section: str | None
    text: str
    lead_agency: str | None
    agencies: list[TaskAgency] = field(default_factory=list)
    deadline: Deadline | None = None
    char_start: int = -1
    char_end: int = -1


@dataclass
class ParsedDocument:
    """Everything the parser found in one text."""

    fields: DocumentFields
    references: list[Reference] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
