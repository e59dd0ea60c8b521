"""Typed records that flow between the stages. Every extracted value keeps its span.

Spans (``char_start``, ``char_end``) are offsets into the normalized text the
parser was given, so ``text[char_start:char_end]`` is what the value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceText:
    """What ingest hands on: the text of one input and how it was obtained."""

    text: str
    source_format: str  # txt, md, docx, pdf, doc, …
    text_source: str = "text"  # text | ocr | mixed
    page_starts: list[int] | None = None  # offset where each page begins, when paged
    quality: float | None = None


@dataclass
class DocumentFields:
    """The header and signature fields of one document (ANNOTATION.md, document fields)."""

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


@dataclass
class Reference:
    """A document the text cites by number."""

    ref_number: str
    ref_type: str | None
    ref_date: str | None
    ref_issuer: str | None
    ref_text: str
    char_start: int
    char_end: int


@dataclass
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
