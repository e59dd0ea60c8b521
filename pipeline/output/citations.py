"""The citation graph: ``references.ref_doc_id`` names the cited document when it is itself in the output.

A citation can only be linked once every document is known, so this runs after a run's
final tables are in place (``link_citations``, called at the end of ``run_batch``). It
rewrites the references table one row group at a time (memory: the documents' number
index plus one row group, whatever the number of citations) into a temporary file that
then replaces the old one atomically, file by file for a partitioned table. A linked
file carries a mark in its schema metadata; compaction writes files without it, so a
run killed between compaction and linking is linked by the next run, and a run that
changed nothing costs one footer read per file.

Matching: the cited number against ``documents.doc_number``, both as ``number_key``
(case, ``Đ``/``D``, spaces, dashes, leading zeros). When several documents carry the
number, the citation's type, issuer and date (those it prints) pick among them; when
what remains are copies of one document (same type, issuer and date, e.g. the .docx
and the .pdf of one decision), the first by ``source_path`` is named; when it is still
ambiguous, or nothing remains, the link is null. A document never links to itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.output.arrays import array
from pipeline.output.rewrite import marked, open_file, rewrite
from pipeline.output.schema import TABLES
from pipeline.query.files import Output
from pipeline.query.fold import fold, number_key

LINKED = b"vanban.ref_doc_id"
"""Schema metadata key of a references file whose ``ref_doc_id`` has been filled."""

_SCHEMA = TABLES["references"]
_LINKED_SCHEMA = _SCHEMA.with_metadata({LINKED: b"1"})
_key = functools.lru_cache(maxsize=1 << 16)(number_key)


@dataclass(frozen=True)
class _Doc:
    doc_id: str
    source_path: str
    doc_type: str
    issuer: str
    issue_date: dt.date | None


def _same_words(a: str, b: str) -> bool:
    """``a`` and ``b`` agree: one is empty (not printed) or one starts with the other's words.

    A cited issuer is often cut short or runs on (``Ủy ban nhân dân tỉnh``, ``Thủ tướng
    Chính phủ đảm bảo …``), so a word prefix is enough.
    """
    return not a or not b or a == b or a.startswith(b + " ") or b.startswith(a + " ")


def _agrees(doc: _Doc, ref_type: str, ref_issuer: str, ref_date: dt.date | None) -> bool:
    return (
        (not ref_type or not doc.doc_type or ref_type == doc.doc_type)
        and _same_words(ref_issuer, doc.issuer)
        and (ref_date is None or doc.issue_date is None or ref_date == doc.issue_date)
    )


def _one_document(docs: list[_Doc]) -> bool:
    """No two of ``docs`` differ in a value both print: copies of one document (pairs only among distinct issuers)."""
    types = {d.doc_type for d in docs if d.doc_type}
    dates = {d.issue_date for d in docs if d.issue_date is not None}
    issuers = sorted({d.issuer for d in docs if d.issuer})
    return len(types) <= 1 and len(dates) <= 1 and all(_same_words(a, b) for a in issuers for b in issuers)


class NumberIndex:
    """The documents of an output by ``number_key`` of their number, each list in ``source_path`` order."""

    def __init__(self):
        self.by_key: dict[str, list[_Doc]] = {}

    @classmethod
    def of_output(cls, out: Output) -> NumberIndex:
        index = cls()
        columns = ["doc_id", "source_path", "doc_number", "doc_type", "issuer", "issue_date"]
        for batch in out.batches("documents", columns):
            for r in batch.to_pylist():
                if r["doc_number"] is None:
                    continue
                doc = _Doc(r["doc_id"], r["source_path"] or "", fold(r["doc_type"]), fold(r["issuer"]), r["issue_date"])
                index.by_key.setdefault(_key(r["doc_number"]), []).append(doc)
        for docs in index.by_key.values():
            docs.sort(key=lambda d: (d.source_path, d.doc_id))
        return index

    def resolve(self, citing_id: str | None, number: str | None, ref_type=None, ref_issuer=None, ref_date=None) -> str | None:
        """The ``doc_id`` the citation names, or None (not in the output, or ambiguous)."""
        if not number:
            return None
        found = [d for d in self.by_key.get(_key(number), ()) if d.doc_id != citing_id]
        if len(found) > 1:
            t, i = fold(ref_type), fold(ref_issuer)
            found = [d for d in found if _agrees(d, t, i, ref_date)]
            if not _one_document(found):
                return None  # two different documents fit what the citation prints
        return found[0].doc_id if found else None


def _typed(column: pa.ChunkedArray, type: pa.DataType) -> pa.ChunkedArray:
    """The column as ``type``: cast only when it is not (a cast loads ``pyarrow.compute``, a tenth of a second)."""
    return column if column.type == type else column.cast(type)


def _conform(table: pa.Table) -> pa.Table:
    """The current references schema, whatever the file's (a column it lacks is null)."""
    arrays = [_typed(table.column(f.name), f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type) for f in _SCHEMA]
    return pa.Table.from_arrays(arrays, schema=_LINKED_SCHEMA)


def _linked(table: pa.Table, index: NumberIndex) -> pa.Table:
    cols = [table.column(c).to_pylist() for c in ("doc_id", "ref_number", "ref_type", "ref_issuer", "ref_date")]
    ids = [index.resolve(*row) for row in zip(*cols)]
    table = _conform(table)
    return table.set_column(table.schema.get_field_index("ref_doc_id"), _LINKED_SCHEMA.field("ref_doc_id"), array(ids, pa.string()))


def _link_file(out: Output, path: str, index: NumberIndex) -> int:
    """Rewrite one references file with its links beside it, then put it in place; returns the rows linked."""
    linked = 0

    def tables():
        nonlocal linked
        with open_file(out, path, "rb") as fh:
            source = pq.ParquetFile(fh)
            for i in range(source.num_row_groups):
                table = _linked(source.read_row_group(i), index)
                linked += table.num_rows - table.column("ref_doc_id").null_count
                yield table

    rewrite(out, path, tables(), _LINKED_SCHEMA, tag="linking")
    return linked


def link_citations(output: str | os.PathLike) -> int:
    """Fill ``references.ref_doc_id`` in OUTPUT (local or fsspec, one file or partitions); returns the citations linked now."""
    out = Output.at(output)
    todo = [path for path in out.files("references") if not marked(out, path, LINKED)]
    if not todo:
        return 0
    index = NumberIndex.of_output(out)
    return sum(_link_file(out, path, index) for path in todo)
