"""The table schema: the stable contract dashboards read. Changing a column is a breaking change.

One place defines every table's columns and types; the writer, ``pipeline.load`` and the data
dictionary (``pipeline.output.dictionary``, which writes docs/schema.md) all read it from here.
Columns and tables are only ever added, never renamed, retyped or dropped.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1"

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_path", pa.string()),
        ("source_format", pa.string()),
        ("text_source", pa.string()),
        ("quality", pa.float32()),
        ("n_chars", pa.int32()),
        ("n_pages", pa.int32()),
        ("doc_type", pa.string()),
        ("doc_number", pa.string()),
        ("doc_symbol", pa.string()),
        ("issuer", pa.string()),
        ("place", pa.string()),
        ("issue_date", pa.date32()),
        ("issue_year", pa.int16()),
        ("issue_month", pa.int8()),
        ("subject", pa.string()),
        ("signer_name", pa.string()),
        ("signer_title", pa.string()),
        ("signing_mode", pa.string()),
        ("parser_version", pa.string()),
        ("needs_review", pa.string()),
        ("duplicate_paths", pa.list_(pa.field("element", pa.string()))),  # "element": the name Parquet gives a list's items
    ]
)

REFERENCES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("ref_number", pa.string()),
        ("ref_type", pa.string()),
        ("ref_date", pa.date32()),
        ("ref_issuer", pa.string()),
        ("ref_text", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("page", pa.int32()),
        ("ref_doc_id", pa.string()),
    ]
)

RECIPIENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("role", pa.string()),
        ("recipient_text", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("page", pa.int32()),
    ]
)

TASKS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("task_no", pa.int32()),
        ("path", pa.string()),
        ("section", pa.string()),
        ("text", pa.string()),
        ("lead_agency", pa.string()),
        ("deadline_text", pa.string()),
        ("deadline_start", pa.date32()),
        ("deadline_end", pa.date32()),
        ("deadline_kind", pa.string()),
        ("deadline_recurrence", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("page", pa.int32()),
    ]
)

TASK_AGENCIES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("task_no", pa.int32()),
        ("role", pa.string()),
        ("agency", pa.string()),
        ("agency_text", pa.string()),
        ("agency_successor", pa.string()),
    ]
)

ERRORS = pa.schema(
    [
        ("source_path", pa.string()),
        ("doc_id", pa.string()),
        ("stage", pa.string()),
        ("error_type", pa.string()),
        ("message", pa.string()),
        ("parser_version", pa.string()),
    ]
)

TEXTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("page", pa.int32()),
        ("text", pa.string()),
        ("text_source", pa.string()),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "references": REFERENCES,
    "recipients": RECIPIENTS,
    "tasks": TASKS,
    "task_agencies": TASK_AGENCIES,
    "errors": ERRORS,
    "texts": TEXTS,
}

ADDED_TABLES = frozenset({"texts"})
"""Tables added after the first release: an output written before them lacks their files, and readers
see them empty (with their columns) rather than failing."""
