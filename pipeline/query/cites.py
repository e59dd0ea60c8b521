"""Both directions of the citation graph for one number: what cites it, what it cites (``vanban cites``).

"Cited by" is every citation of the number (compared as ``number_key``), whether or not
the document itself is in the output; "cites" lists, once per cited number, what the
documents carrying the number cite, with the file of the cited document when the
run linked it (``references.ref_doc_id``).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from pipeline.query.fold import number_key
from pipeline.query.sql import arrow


@dataclass
class Citations:
    number: str
    documents: pa.Table  # the documents in the output that carry the number
    cited_by: pa.Table  # one row per citation of the number
    cites: pa.Table  # one row per number those documents cite

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "documents": self.documents.to_pylist(),
            "cited_by": self.cited_by.to_pylist(),
            "cites": self.cites.to_pylist(),
        }


def citations(con: duckdb.DuckDBPyConnection, number: str) -> Citations:
    key = number_key(number)
    documents = arrow(
        con,
        """SELECT source_path, doc_type, doc_number, issuer, issue_date, subject, doc_id
           FROM documents WHERE number_key(doc_number) = ? ORDER BY source_path""",
        [key],
    )
    cited_by = arrow(
        con,
        """SELECT c.source_path, c.doc_type, c.doc_number, c.issuer, c.issue_date, r.ref_text, c.doc_id
           FROM "references" r JOIN documents c ON c.doc_id = r.doc_id
           WHERE number_key(r.ref_number) = ?
              OR r.ref_doc_id IN (SELECT doc_id FROM documents WHERE number_key(doc_number) = ?)
           ORDER BY c.source_path, r.char_start""",
        [key, key],
    )
    cites = arrow(
        con,
        """WITH own AS (SELECT doc_id FROM documents WHERE number_key(doc_number) = ?)
           SELECT min(r.ref_number) AS ref_number, min(r.ref_type) AS ref_type, min(r.ref_date) AS ref_date,
                  min(r.ref_issuer) AS ref_issuer, min(cd.source_path) AS in_output, min(r.ref_doc_id) AS ref_doc_id
           FROM "references" r JOIN own ON own.doc_id = r.doc_id LEFT JOIN documents cd ON cd.doc_id = r.ref_doc_id
           GROUP BY number_key(r.ref_number)
           ORDER BY min(r.char_start), 1""",
        [key],
    )
    return Citations(number, documents, cited_by, cites)
