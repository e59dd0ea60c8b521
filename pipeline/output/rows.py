"""Records to table rows, in one place: the only code that knows both the dataclasses and the columns."""

from __future__ import annotations

import datetime as dt
import hashlib

from pipeline import PARSER_VERSION
from pipeline.models import ParsedDocument, SourceText

Rows = dict[str, list[dict]]


def doc_id_of(data: bytes) -> str:
    """Stable identity of an input: the sha256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


def _date(value: str | None) -> dt.date | None:
    if not value or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _page(source: SourceText, offset: int) -> int | None:
    """1-based page of a character offset, when the source is paged."""
    if not source.page_starts or offset < 0:
        return None
    lo, hi = 0, len(source.page_starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if source.page_starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def text_rows(doc_id: str, source: SourceText) -> list[dict]:
    """The text the parser was given, one row per page (one row with page null when unpaged).

    The pages' texts joined in page order are exactly ``source.text``, so the spans of the other
    tables (``char_start``, ``char_end``) index into that concatenation: page 1 starts at 0 and
    each page ends where the next begins (the line break between two pages closes the earlier one).
    """
    starts = source.page_starts
    if not starts:
        return [{"doc_id": doc_id, "page": None, "text": source.text, "text_source": source.text_source}]
    per_page = source.page_sources if source.page_sources and len(source.page_sources) == len(starts) else None
    ends = [*starts[1:], len(source.text)]
    return [
        {
            "doc_id": doc_id,
            "page": i + 1,
            "text": source.text[0 if i == 0 else start : end],
            "text_source": per_page[i] if per_page else source.text_source,
        }
        for i, (start, end) in enumerate(zip(starts, ends))
    ]


def document_rows(doc_id: str, source_path: str, source: SourceText, parsed: ParsedDocument) -> Rows:
    """Every row one parsed document contributes, keyed by table name.

    ``task_agencies.agency_successor`` is left null here: it is filled once per distinct name after
    the run (``pipeline.output.successors``), where the document's province is known and the
    administrative-unit library is loaded once, not in every worker.
    """
    f = parsed.fields
    rows: Rows = {
        "documents": [
            {
                "doc_id": doc_id,
                "source_path": source_path,
                "source_format": source.source_format,
                "text_source": source.text_source,
                "quality": source.quality,
                "n_chars": len(source.text),
                "n_pages": len(source.page_starts) if source.page_starts else None,
                "doc_type": f.doc_type,
                "doc_number": f.doc_number,
                "doc_symbol": f.doc_symbol,
                "issuer": f.issuer,
                "place": f.place,
                "issue_date": _date(f.issue_date),
                "issue_year": f.issue_year,
                "issue_month": f.issue_month,
                "subject": f.subject,
                "signer_name": f.signer_name,
                "signer_title": f.signer_title,
                "signing_mode": f.signing_mode,
                "parser_version": PARSER_VERSION,
                "needs_review": "; ".join(f.review) or None,
                "duplicate_paths": [],  # filled by compaction when other inputs hold the same bytes
            }
        ],
        "references": [
            {
                "doc_id": doc_id,
                "ref_number": r.ref_number,
                "ref_type": r.ref_type,
                "ref_date": _date(r.ref_date),
                "ref_issuer": r.ref_issuer,
                "ref_text": r.ref_text,
                "char_start": r.char_start,
                "char_end": r.char_end,
                "page": _page(source, r.char_start),
            }
            for r in parsed.references
        ],
        "recipients": [
            {
                "doc_id": doc_id,
                "role": r.role,
                "recipient_text": r.recipient_text,
                "char_start": r.char_start,
                "char_end": r.char_end,
                "page": _page(source, r.char_start),
            }
            for r in parsed.recipients
        ],
        "tasks": [],
        "task_agencies": [],
        "errors": [],
        "texts": text_rows(doc_id, source),
    }
    for t in parsed.tasks:
        d = t.deadline
        rows["tasks"].append(
            {
                "doc_id": doc_id,
                "task_no": t.task_no,
                "path": t.path,
                "section": t.section,
                "text": t.text,
                "lead_agency": t.lead_agency,
                "deadline_text": d.text if d else None,
                "deadline_start": _date(d.start) if d else None,
                "deadline_end": _date(d.end) if d else None,
                "deadline_kind": d.kind if d else None,
                "deadline_recurrence": d.recurrence if d else None,
                "char_start": t.char_start,
                "char_end": t.char_end,
                "page": _page(source, t.char_start),
            }
        )
        for a in t.agencies:
            rows["task_agencies"].append(
                {
                    "doc_id": doc_id,
                    "task_no": t.task_no,
                    "role": a.role,
                    "agency": a.agency,
                    "agency_text": a.agency_text,
                    "agency_successor": None,
                }
            )
    return rows


def error_rows(source_path: str, doc_id: str | None, stage: str, error_type: str, message: str) -> Rows:
    """The one row a failed input contributes."""
    rows: Rows = {name: [] for name in COLUMNS if name != "errors"}
    rows["errors"] = [
        {
            "source_path": source_path,
            "doc_id": doc_id,
            "stage": stage,
            "error_type": error_type,
            "message": message[:2000],
            "parser_version": PARSER_VERSION,
        }
    ]
    return rows


COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "doc_id", "source_path", "source_format", "text_source", "quality", "n_chars", "n_pages", "doc_type",
        "doc_number", "doc_symbol", "issuer", "place", "issue_date", "issue_year", "issue_month", "subject",
        "signer_name", "signer_title", "signing_mode", "parser_version", "needs_review", "duplicate_paths",
    ),
    "references": (
        "doc_id", "ref_number", "ref_type", "ref_date", "ref_issuer", "ref_text", "char_start", "char_end", "page",
        "ref_doc_id",
    ),
    "recipients": ("doc_id", "role", "recipient_text", "char_start", "char_end", "page"),
    "tasks": (
        "doc_id", "task_no", "path", "section", "text", "lead_agency", "deadline_text", "deadline_start",
        "deadline_end", "deadline_kind", "deadline_recurrence", "char_start", "char_end", "page",
    ),
    "task_agencies": ("doc_id", "task_no", "role", "agency", "agency_text", "agency_successor"),
    "errors": ("source_path", "doc_id", "stage", "error_type", "message", "parser_version"),
    "texts": ("doc_id", "page", "text", "text_source"),
}
"""Each table's columns in schema order (``pipeline.output.schema`` has the types; kept apart so workers
never import pyarrow, and checked equal to it where both are loaded)."""

Columns = dict[str, list[list]]
"""The rows of one input by table, column by column (``COLUMNS`` order); a table without rows is absent."""


def to_columns(rows: Rows) -> Columns:
    """Rows as columns: what a worker sends the driver. A list per column pickles in a fraction of the
    bytes and time of a dict per row, and the driver appends it to its part without looking at rows."""
    return {
        name: [[r.get(c) for r in table_rows] for c in COLUMNS[name]] for name, table_rows in rows.items() if table_rows
    }
