"""One document's rows as one JSON object, nested the way a person reads it (``vanban parse FILE``).

The same values as the tables, from the same code (``rows.document_rows``): the document's fields,
then its references, recipients and tasks, each task with its agencies inside it. ``doc_id``
stands once, at the top, not on every row.
"""

from __future__ import annotations

import datetime as dt

from pipeline.output.rows import Rows


def _plain(row: dict, drop: tuple[str, ...] = ("doc_id",)) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items() if k not in drop}


def document_json(rows: Rows, with_text: bool = False) -> dict:
    """The rows one input gave (``document_rows``) as ``{doc_id, source_path, document, references,
    recipients, tasks: [{…, agencies: […]}], texts?}``."""
    doc = rows["documents"][0]
    agencies: dict[int, list[dict]] = {}
    for a in rows["task_agencies"]:
        agencies.setdefault(a["task_no"], []).append(_plain(a, ("doc_id", "task_no")))
    out = {
        "doc_id": doc["doc_id"],
        "source_path": doc["source_path"],
        "document": _plain(doc, ("doc_id", "source_path")),
        "references": [_plain(r) for r in rows["references"]],
        "recipients": [_plain(r) for r in rows["recipients"]],
        "tasks": [{**_plain(t), "agencies": agencies.get(t["task_no"], [])} for t in rows["tasks"]],
    }
    if with_text:
        out["texts"] = [_plain(t) for t in rows["texts"]]
    return out
