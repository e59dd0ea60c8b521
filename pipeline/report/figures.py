"""The numbers behind the report, each one SQL aggregate over the views (so the page costs the same for a million rows).

Nothing here draws: ``figures(con, today, top)`` returns plain Python values that
``page`` lays out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from pipeline.query.sql import arrow

def _rows(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list[dict]:
    return arrow(con, query, params).to_pylist()


def _one(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> dict:
    return _rows(con, query, params)[0]


@dataclass
class Figures:
    today: dt.date
    totals: dict  # documents, tasks, references, linked, errors, files, parser_versions
    by_type: list[dict]  # label, n
    by_month: list[dict]  # year, month, n
    undated: dict  # no_year, no_month
    by_lead: list[dict]  # label, n
    lead_rest: dict  # others (tasks of agencies past the top), no_lead
    due: list[dict]  # year, month, overdue, later
    due_rest: dict  # overdue, later, undated
    overdue: list[dict]  # the most recently overdue tasks
    upcoming: list[dict]  # the tasks due next
    most_cited: list[dict]  # number, type, n, in_output
    errors: list[dict]  # stage, error_type, n, example


def figures(con: duckdb.DuckDBPyConnection, today: dt.date, top: int = 15) -> Figures:
    totals = _one(
        con,
        """SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM tasks) AS tasks,
                  (SELECT count(*) FROM "references") AS "references",
                  (SELECT count(ref_doc_id) FROM "references") AS linked,
                  (SELECT count(*) FROM errors) AS errors,
                  (SELECT string_agg(DISTINCT parser_version, ', ' ORDER BY parser_version) FROM documents) AS parser_versions""",
    )
    by_type = _rows(
        con, "SELECT coalesce(doc_type, '(no type)') AS label, count(*) AS n FROM documents GROUP BY 1 ORDER BY n DESC, label"
    )
    by_month = _rows(
        con,
        """SELECT issue_year AS year, issue_month AS month, count(*) AS n FROM documents
           WHERE issue_year IS NOT NULL AND issue_month IS NOT NULL GROUP BY ALL ORDER BY 1, 2""",
    )
    undated = _one(
        con,
        """SELECT count(*) FILTER (WHERE issue_year IS NULL) AS no_year,
                  count(*) FILTER (WHERE issue_year IS NOT NULL AND issue_month IS NULL) AS no_month FROM documents""",
    )
    by_lead = _rows(
        con,
        """SELECT lead_agency AS label, count(*) AS n FROM tasks WHERE lead_agency IS NOT NULL
           GROUP BY 1 ORDER BY n DESC, label LIMIT ?""",
        [top],
    )
    lead_rest = _one(
        con,
        "SELECT count(*) FILTER (WHERE lead_agency IS NULL) AS no_lead, count(*) FILTER (WHERE lead_agency IS NOT NULL) AS led FROM tasks",
    )
    lead_rest["others"] = lead_rest.pop("led") - sum(r["n"] for r in by_lead)
    due = _rows(
        con,
        """SELECT year(deadline_end) AS year, month(deadline_end) AS month,
                  count(*) FILTER (WHERE deadline_end < ?) AS overdue, count(*) FILTER (WHERE deadline_end >= ?) AS later
           FROM tasks WHERE deadline_end IS NOT NULL GROUP BY ALL ORDER BY 1, 2""",
        [today, today],
    )
    due_rest = _one(
        con,
        """SELECT count(*) FILTER (WHERE deadline_end < ?) AS overdue, count(*) FILTER (WHERE deadline_end >= ?) AS later,
                  count(*) FILTER (WHERE deadline_end IS NULL) AS undated FROM tasks""",
        [today, today],
    )
    task_list = """SELECT t.deadline_end AS due, t.deadline_text, t.lead_agency, coalesce(d.doc_number, d.source_path) AS document, t.text
                   FROM tasks t LEFT JOIN documents d ON d.doc_id = t.doc_id
                   WHERE {} ORDER BY t.deadline_end {}, d.source_path, t.task_no LIMIT ?"""
    overdue = _rows(con, task_list.format("t.deadline_end < ?", "DESC"), [today, top])
    upcoming = _rows(con, task_list.format("t.deadline_end >= ?", "ASC"), [today, top])
    most_cited = _rows(
        con,
        """SELECT min(r.ref_number) AS number, min(r.ref_type) AS type, count(DISTINCT r.doc_id) AS n,
                  min(d.source_path) AS in_output
           FROM "references" r LEFT JOIN documents d ON d.doc_id = r.ref_doc_id
           GROUP BY number_key(r.ref_number) ORDER BY n DESC, number LIMIT ?""",
        [top],
    )
    errors = _rows(
        con,
        """SELECT stage, error_type, count(*) AS n, min(source_path) AS example FROM errors
           GROUP BY ALL ORDER BY n DESC, stage, error_type""",
    )
    return Figures(today, totals, by_type, by_month, undated, by_lead, lead_rest, due, due_rest, overdue, upcoming, most_cited, errors)
