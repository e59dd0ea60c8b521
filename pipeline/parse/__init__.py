"""The parser: a pure function from a document (its normalized text and the structure ingest saw) to
records (no I/O, no global state but cached rules).

``parse_doc(doc)`` finds each zone once (header, body, signature, recipients, what follows the
signature) and hands each extractor its zone; ``parse_text(text)`` is the same for a bare text.
Every engine (one process, a pool, Dask) calls one of them.
"""

from __future__ import annotations

import dataclasses
import re

from pipeline.models import Doc, DocumentFields, ParsedDocument
from pipeline.parse.header import parse_header
from pipeline.parse.glued import glued_title, unglue
from pipeline.parse.issuer import ocr_name, ocr_place, read_issuer
from pipeline.parse.precompile import precompile
from pipeline.parse.recipients import find_recipients
from pipeline.parse.references import find_references
from pipeline.parse.signature import parse_signature
from pipeline.parse.tasks import find_tasks
from pipeline.parse.zones import find_zones, with_signature


def parse_doc(doc: Doc) -> ParsedDocument:
    """All records of one document. ``doc.text`` must already be normalized (``pipeline.normalize``)."""
    text = doc.text
    header = parse_header(text, doc.blocks)
    zones = find_zones(text, header.end, doc.blocks)
    signature = parse_signature(text, zones)
    zones = with_signature(zones, text, signature.start, signature.name_span[1] if signature.name_span else None)
    issuer, issuer_span = read_issuer(text, header)
    spans = {
        "doc_number": header.number_span,
        "doc_symbol": header.number_span,
        "issuer": issuer_span,
        "place": header.place_span,
        "issue_date": header.date_span,
        "subject": header.subject_span,
        "doc_type": header.title_span or (header.number_span if header.doc_type else None),
        "signer_name": signature.name_span,
    }
    fields = DocumentFields(
        doc_type=header.doc_type,
        doc_number=header.doc_number,
        doc_symbol=header.doc_symbol,
        issuer=ocr_name(issuer) if doc.text_source != "text" else issuer,
        place=ocr_place(header.place) if doc.text_source != "text" else header.place,
        issue_date=header.issue_date,
        issue_year=header.issue_year,
        issue_month=header.issue_month,
        subject=header.subject,
        signer_name=signature.name,
        signer_title=signature.title,
        signing_mode=signature.mode,
    )
    fields = _unglued(fields)
    fields = _unsure_left_out(fields, doc.review)
    fields = dataclasses.replace(fields, spans={k: v for k, v in spans.items() if v and getattr(fields, k) is not None})
    return ParsedDocument(
        fields=fields,
        references=find_references(text, header.doc_number),
        recipients=find_recipients(text, zones),
        tasks=find_tasks(text, fields),
    )


def _unglued(fields: DocumentFields) -> DocumentFields:
    """Subject and issuer with the words a web page glued split again (``pipeline.parse.glued``); a type's
    name glued at the subject's start is the title the header could not see."""
    subject, issuer = unglue(fields.subject), unglue(fields.issuer)
    if subject == fields.subject and issuer == fields.issuer:
        return fields
    doc_type = fields.doc_type
    if doc_type is None and subject != fields.subject and (titled := glued_title(subject)):
        doc_type, subject = titled
    return dataclasses.replace(fields, subject=subject, issuer=issuer, doc_type=doc_type)


_UNSURE = re.compile(r"\b(doc_number|issue_date):")


def _unsure_left_out(fields: DocumentFields, review: tuple[str, ...]) -> DocumentFields:
    """A number or day ingest could not read with confidence (``Doc.review``: handwriting on a scan) is left
    out rather than given wrong: the number's numeral (its symbol stays), the date's day (month and year stay)."""
    unsure = {m.group(1) for note in review if (m := _UNSURE.search(note))}
    changes: dict = {"review": tuple(review)} if review else {}
    if "doc_number" in unsure and fields.doc_number:
        changes["doc_number"] = None
    if "issue_date" in unsure and fields.issue_date and len(fields.issue_date) == 10:
        changes["issue_date"] = fields.issue_date[:7]
    return dataclasses.replace(fields, **changes) if changes else fields


def parse_text(text: str) -> ParsedDocument:
    """All records of one normalized text (a document without the structure ingest saw)."""
    return parse_doc(Doc(text=text, source_format="txt"))


precompile()
