"""The parser: a pure function from normalized text to records (no I/O, no global state but cached rules).

``parse_text(text)`` is what every engine (one process, a pool, Dask) calls.
"""

from __future__ import annotations

from pipeline.models import DocumentFields, ParsedDocument
from pipeline.parse.header import parse_header
from pipeline.parse.issuer import find_issuer
from pipeline.parse.recipients import find_recipients
from pipeline.parse.references import find_references
from pipeline.parse.signature import parse_signature
from pipeline.parse.precompile import precompile
from pipeline.parse.tasks import find_tasks


def parse_text(text: str) -> ParsedDocument:
    """All records of one document. ``text`` must already be normalized (``pipeline.normalize``)."""
    header = parse_header(text)
    signature = parse_signature(text)
    fields = DocumentFields(
        doc_type=header.doc_type,
        doc_number=header.doc_number,
        doc_symbol=header.doc_symbol,
        issuer=find_issuer(text, header),
        place=header.place,
        issue_date=header.issue_date,
        issue_year=header.issue_year,
        issue_month=header.issue_month,
        subject=header.subject,
        signer_name=signature.name,
        signer_title=signature.title,
        signing_mode=signature.mode,
    )
    doc = ParsedDocument(fields=fields)
    doc.references = find_references(text, header.doc_number)
    doc.recipients = find_recipients(text)
    doc.tasks = find_tasks(text, fields)
    return doc


precompile()
