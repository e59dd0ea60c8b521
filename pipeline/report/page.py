"""The report's HTML: one self-contained page (inline CSS and SVG), readable offline and printable.

A Content-Security-Policy in the page itself forbids every fetch (``default-src
'none'``), so even a browser that opens it online loads nothing beyond the file.
"""

from __future__ import annotations

import calendar
import datetime as dt
from html import escape

from pipeline.report.figures import Figures
from pipeline.report.svg import WIDTH, Bar, Column, columns, cut, hbars

MAX_MONTHS = 360
"""A time axis longer than this many months is drawn per year."""

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328; margin: 0; background: #f6f7f9; }
main { max-width: 940px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 0 0 8px; }
.meta { color: #59636e; margin: 0 0 16px; }
section { background: #fff; border: 1px solid #d8dee4; border-radius: 6px; padding: 16px 20px; margin: 16px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: #fff; border: 1px solid #d8dee4; border-radius: 6px; padding: 10px 16px; min-width: 120px; }
.card b { display: block; font-size: 22px; } .card span { color: #59636e; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 8px 0; }
svg .label, svg .value { font-size: 12px; fill: #1f2328; } svg .value { fill: #59636e; }
svg .mark { fill: #3b6ea8; } svg .mark.overdue { fill: #c0392b; } svg .mark.linked { fill: #2e8b57; }
svg .axis, svg .tick { stroke: #8c959f; } svg .grid { stroke: #d8dee4; stroke-dasharray: 3 3; }
svg .marker { stroke: #c0392b; stroke-width: 2; stroke-dasharray: 5 3; } svg .marker-label { font-size: 12px; fill: #c0392b; }
.legend .key { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; background: #3b6ea8; }
.legend .key.overdue { background: #c0392b; } .legend .key.linked { background: #2e8b57; }
.note { color: #59636e; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { color: #59636e; font-weight: 600; } td.n { text-align: right; white-space: nowrap; } td.due { white-space: nowrap; }
tr.overdue td.due { color: #c0392b; font-weight: 600; }
"""


def _periods(keys: list[tuple[int, int]]) -> list[tuple[int, int | None]]:
    """Every month from the first key to the last (every year when that is more than MAX_MONTHS months)."""
    (y0, m0), (y1, m1) = min(keys), max(keys)
    if (y1 - y0) * 12 + (m1 - m0) + 1 > MAX_MONTHS:
        return [(y, None) for y in range(y0, y1 + 1)]
    return [(y, m) for y in range(y0, y1 + 1) for m in range(1, 13) if (y, m) >= (y0, m0) and (y, m) <= (y1, m1)]


def _period_label(p: tuple[int, int | None]) -> str:
    return str(p[0]) if p[1] is None else f"{p[0]}-{p[1]:02d}"


def _ticks(periods: list[tuple[int, int | None]], room: float = WIDTH - 60) -> dict[int, str]:
    """Tick labels that do not collide: every month on a short axis, else the years, as many as fit in ``room`` pixels."""
    if len(periods) <= 12:
        return {i: _period_label(p) for i, p in enumerate(periods)}
    step = room / len(periods)
    ticks: dict[int, str] = {}
    last = None
    for i, p in enumerate(periods):
        if p[1] in (None, 1) and (last is None or (i - last) * step >= 40):
            ticks[i] = str(p[0])
            last = i
    if 0 not in ticks and min(ticks, default=len(periods)) * step >= 40:  # the first year, when its January is not on the axis
        ticks[0] = str(periods[0][0])
    return ticks


def _time_columns(rows: list[dict], parts: list[tuple[str, str, str]], today: dt.date | None = None):
    """Columns of a time chart from rows of (year, month, counts…); the axis reaches today when given."""
    keys = [(r["year"], r["month"]) for r in rows]
    if today is not None:
        keys.append((today.year, today.month))
    periods = _periods(keys)
    index = {p: i for i, p in enumerate(periods)}
    cols = [Column(_period_label(p), [(0, css, "") for _, css, _ in parts]) for p in periods]
    for r in rows:
        p = (r["year"], r["month"]) if periods[0][1] is not None else (r["year"], None)
        col = cols[index[p]]
        col.parts = [(v + r[key], css, "") for (v, css, _), (key, _, _) in zip(col.parts, parts)]
    for col in cols:
        col.parts = [(v, css, f"{v:,} {noun}") for (v, css, _), (_, _, noun) in zip(col.parts, parts)]
    marker = None
    if today is not None:
        p = (today.year, today.month) if periods[0][1] is not None else (today.year, None)
        days = calendar.monthrange(today.year, today.month)[1] if p[1] else (366 if calendar.isleap(today.year) else 365)
        day = today.day if p[1] else today.timetuple().tm_yday
        marker = (index[p] + (day - 0.5) / days, f"today {today.isoformat()}")
    return cols, _ticks(periods), marker


def _table(headers: list[str], rows: list[list[str]], classes: list[str] | None = None, row_class: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    classes = classes or [""] * len(headers)
    body = "".join(
        f'<tr class="{row_class}">' + "".join(f'<td class="{c}">{escape(v)}</td>' for v, c in zip(r, classes)) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(ident: str, title: str, *parts: str) -> str:
    return f'<section id="{ident}"><h2>{escape(title)}</h2>' + "".join(parts) + "</section>"


def _note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'


def _documents(f: Figures) -> str:
    by_type = hbars("documents-by-type", [Bar(r["label"], r["n"]) for r in f.by_type], "Documents per type")
    parts = [by_type]
    if f.by_month:
        cols, ticks, _ = _time_columns(f.by_month, [("n", "", "documents")])
        parts += [columns("documents-by-month", cols, "Documents per month of issue", ticks)]
    missing = f.undated["no_year"] + f.undated["no_month"]
    dropped = f"; {missing:,} documents have no month of issue and are not drawn" if missing else ""
    parts.append(_note(f"Per month of issue{dropped}."))
    return _section("documents", "Documents per type and per month", *parts)


def _leads(f: Figures) -> str:
    if not f.by_lead:
        return _section("leads", "Tasks per lead agency", _note("No task has a lead agency."))
    chart = hbars("tasks-by-lead", [Bar(r["label"], r["n"]) for r in f.by_lead], "Tasks per lead agency")
    rest = f.lead_rest
    return _section(
        "leads",
        "Tasks per lead agency",
        chart,
        _note(f"Top {len(f.by_lead)}; {rest['others']:,} more tasks are led by other agencies, {rest['no_lead']:,} have no lead."),
    )


def _deadlines(f: Figures) -> str:
    today = f.today
    rest = f.due_rest
    if not f.due:
        return _section("deadlines", "Task deadlines", _note(f"No task has a due date ({rest['undated']:,} tasks without one)."))
    cols, ticks, marker = _time_columns(f.due, [("overdue", "overdue", "overdue"), ("later", "", "due later")], today)
    legend = '<p class="legend note"><span class="key overdue"></span>overdue<span class="key"></span>due later</p>'
    chart = columns("deadlines", cols, f"Task deadlines per month, overdue before {today.isoformat()}", ticks, marker)
    summary = _note(
        f"By the last day of each task's deadline window, against {today.isoformat()}: {rest['overdue']:,} overdue, "
        f"{rest['later']:,} due later, {rest['undated']:,} with no due date (ongoing, recurring or none stated)."
    )
    headers = ["due", "deadline as printed", "lead", "document", "task"]
    classes = ["due", "", "", "", ""]

    def rows(tasks):
        return [
            [str(t["due"]), cut(t["deadline_text"] or "", 40), t["lead_agency"] or "", t["document"] or "", cut(t["text"] or "", 140)]
            for t in tasks
        ]

    parts = [legend, chart, summary]
    if f.overdue:
        parts += ["<h3>Overdue, most recent first</h3>", _table(headers, rows(f.overdue), classes, "overdue")]
    if f.upcoming:
        parts += ["<h3>Due next</h3>", _table(headers, rows(f.upcoming), classes)]
    return _section("deadlines", "Task deadlines", *parts)


def _citations(f: Figures) -> str:
    if not f.most_cited:
        return _section("citations", "Most cited documents", _note("No citation was found."))
    bars = [
        Bar(
            f"{r['number']} ({r['type']})" if r["type"] else r["number"],
            r["n"],
            "linked" if r["in_output"] else "",
            f"{r['number']}: cited by {r['n']} documents" + (f"; in the output: {r['in_output']}" if r["in_output"] else ""),
        )
        for r in f.most_cited
    ]
    legend = '<p class="legend note"><span class="key linked"></span>in the output<span class="key"></span>not in the output</p>'
    t = f.totals
    return _section(
        "citations",
        "Most cited documents",
        legend,
        hbars("most-cited", bars, "Most cited documents, by the number of documents citing them"),
        _note(f"By the number of documents citing each; {t['linked']:,} of {t['references']:,} citations name a document of this output."),
    )


def _errors(f: Figures) -> str:
    if not f.errors:
        return _section("errors", "Errors", _note("No errors: every input gave a document."))
    chart = hbars("errors", [Bar(f"{r['stage']} / {r['error_type']}", r["n"], "overdue") for r in f.errors], "Errors by stage and type")
    rows = [[r["stage"], r["error_type"], f"{r['n']:,}", r["example"] or ""] for r in f.errors]
    return _section("errors", "Errors", chart, _table(["stage", "error type", "files", "for example"], rows, ["", "", "n", ""]))


def render(f: Figures, output: str, generated: dt.datetime) -> str:
    """The whole page as one string."""
    t = f.totals
    cards = "".join(
        f'<div class="card"><b>{v:,}</b><span>{escape(k)}</span></div>'
        for k, v in (("documents", t["documents"]), ("tasks", t["tasks"]), ("citations", t["references"]), ("errors", t["errors"]))
    )
    versions = f"parser {t['parser_versions']}" if t["parser_versions"] else "no documents"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>vanban report: {escape(output)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>vanban report</h1>"
        f'<p class="meta">{escape(output)} · {versions} · overdue counted against {f.today.isoformat()} · '
        f"made {generated:%Y-%m-%d %H:%M}</p>"
        f'<div class="cards">{cards}</div>'
        + _documents(f)
        + _leads(f)
        + _deadlines(f)
        + _citations(f)
        + _errors(f)
        + "</main></body></html>\n"
    )
