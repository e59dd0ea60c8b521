"""Find tasks: who must do what, by when, filtered the way a researcher asks (``vanban tasks``).

Every filter becomes a clause of one DuckDB query over the views, so it runs inside the
engine whatever the size of the tables. Text filters are phrase searches (``search``):
``so cong thuong`` finds ``Sở Công Thương``, as adjacent whole words (``cong thuong`` finds it
too, ``cong thu`` does not); diacritics typed are respected. ``--agency`` also finds an
agency by the name printed (``agency_text``), canonical (``agency``) or today's (``agency_successor``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from pipeline.query.fold import number_key
from pipeline.query.search import pattern, terms
from pipeline.query.sql import arrow

ROLES = ("lead", "support")

COLUMNS = """
    d.source_path, d.doc_type, d.doc_number, d.issuer, d.issue_date,
    t.task_no, t.path, t.lead_agency, s.support,
    t.deadline_text, t.deadline_kind, t.deadline_start, t.deadline_end,
    t.section, t.text, t.doc_id
"""


@dataclass
class TaskFilter:
    """What to keep; a field left None does not filter. All given fields must hold."""

    agency: str | None = None
    role: str | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    kind: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    year: int | None = None
    cites: str | None = None
    text: str | list[str] | None = None  # each a --text value: a phrase, or quoted phrases and words (search.terms)

    def where(self, cite_keys: list[str] | None = None) -> tuple[list[str], list]:
        """SQL conditions over ``t`` (tasks) and ``d`` (documents), and their parameters in order.

        ``cite_keys``: the numbers of the output ``cites`` names (``cites.resolve``); without them the
        number is compared as typed."""
        if self.role is not None and self.role not in ROLES:
            raise ValueError(f"role must be lead or support, not {self.role!r}")
        clauses: list[str] = []
        params: list = []
        if self.agency is not None or self.role is not None:
            role = "AND a.role = ?" if self.role else ""
            named = (
                "AND (vn_has(a.agency, ?) OR vn_has(a.agency_text, ?) OR vn_has(a.agency_successor, ?))" if self.agency is not None else ""
            )
            agency = (
                f"EXISTS (SELECT 1 FROM task_agencies a WHERE a.doc_id = t.doc_id AND a.task_no = t.task_no {role} {named})"
            )
            asked = pattern(self.agency) if self.agency is not None else None
            params += ([self.role] if self.role else []) + ([asked] * 3 if asked else [])
            if self.role != "support":  # the lead is also a column of tasks: a lead missing from task_agencies still counts
                lead = "vn_has(t.lead_agency, ?)" if asked else "t.lead_agency IS NOT NULL"
                agency = f"({agency} OR {lead})"
                params += [asked] if asked else []
            clauses.append(agency)
        if self.due_from is not None or self.due_to is not None:
            # the deadline window [start, end] overlaps [due_from, due_to]; an open side is unbounded, no date at all never matches
            clauses.append("(t.deadline_start IS NOT NULL OR t.deadline_end IS NOT NULL)")
            if self.due_to is not None:
                clauses.append("(t.deadline_start IS NULL OR t.deadline_start <= ?)")
                params.append(self.due_to)
            if self.due_from is not None:
                clauses.append("(t.deadline_end IS NULL OR t.deadline_end >= ?)")
                params.append(self.due_from)
        simple = [  # (what was asked, the condition, the key the asked value is compared as)
            (self.kind, "lower(t.deadline_kind) = ?", lambda v: v.strip().lower()),
            (self.doc_type, "vn_has(d.doc_type, ?)", lambda v: pattern(v, whole=True)),
            (self.issuer, "vn_has(d.issuer, ?)", pattern),
            (self.year, "d.issue_year = ?", int),
            (
                self.cites,
                'EXISTS (SELECT 1 FROM "references" r WHERE r.doc_id = t.doc_id AND list_contains(?, number_key(r.ref_number)))',
                lambda v: cite_keys if cite_keys is not None else [number_key(v)],
            ),
        ]
        for value, clause, key in simple:
            if value is not None:
                clauses.append(clause)
                params.append(key(value))
        for typed in [self.text] if isinstance(self.text, str) else self.text or []:
            found = terms(typed)
            if not found:
                raise ValueError(f"nothing to search for in --text {typed!r}: type a word")
            for term in found:
                clauses.append("vn_has(t.text, ?)")
                params.append(pattern(term))
        return clauses, params


def find_tasks(con: duckdb.DuckDBPyConnection, keep: TaskFilter, limit: int | None = None) -> pa.Table:
    """The tasks ``keep`` lets through, with their document and cooperating agencies, in table order."""
    cite_keys = None
    if keep.cites is not None:
        from pipeline.query.cites import known_numbers, read_number, resolve

        cite_keys = [k.key for k in resolve(read_number(keep.cites), known_numbers(con))]
    clauses, params = keep.where(cite_keys)
    query = f"""
        WITH s AS (
            SELECT doc_id, task_no, string_agg(agency, '; ' ORDER BY agency) AS support
            FROM task_agencies WHERE role = 'support' GROUP BY doc_id, task_no
        )
        SELECT {COLUMNS}
        FROM tasks t
        LEFT JOIN documents d ON d.doc_id = t.doc_id
        LEFT JOIN s ON s.doc_id = t.doc_id AND s.task_no = t.task_no
        {"WHERE " + " AND ".join(clauses) if clauses else ""}
        ORDER BY d.source_path, t.task_no
        {"LIMIT " + str(int(limit)) if limit is not None else ""}
    """
    return arrow(con, query, params)


READING = ["document", "path", "lead_agency", "support", "deadline_start", "deadline_end", "text"]


def for_reading(table: pa.Table) -> pa.Table:
    """The columns a person reads on a terminal: the document (its number, else its file), who, by when, what."""
    import pyarrow.compute as pc

    document = pc.coalesce(table.column("doc_number"), table.column("source_path"))
    table = table.append_column("document", document)
    return table.select(READING)
