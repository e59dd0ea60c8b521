"""Deadlines: a phrase of time to a kind and a window of dates (ANNOTATION.md, deadline table).

``parse_deadline`` reads a phrase known to be a deadline (the value of ``Thời gian thực
hiện:``, a table cell). ``find_deadline`` looks inside a task's text, where most dates are
not deadlines: a date right after a cited document (``Nghị định số 32/2024/NĐ-CP ngày
15/3/2024``) or a year inside a programme's name (``tầm nhìn đến năm 2050``) is skipped,
and a time expression counts only after a word that makes it a deadline (``trước``,
``trong``, ``hoàn thành``, ``thời hạn``…). ``thường xuyên`` inside a sentence is an
adverb (``trợ giúp thường xuyên``), so in running text only a phrase that opens the task
(``Hàng năm, …``) or a periodic report (``báo cáo định kỳ``) makes it recurring.
A day and month with no year take the document's year; with no year known, nothing is guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools

import regex

from pipeline import rules
from pipeline.models import Deadline
from pipeline.parse import patterns

_EXPRESSIONS = ("year_range", "half", "month_range", "date", "quarter", "month", "year")
_PERIODIC_REPORT = regex.compile(r"báo[ \t]+cáo[ \t]+định[ \t]+kỳ", regex.IGNORECASE)
_YEAR_DIGITS = regex.compile(r"(?:19|20)\d\d")
_FIRM_CUE = regex.compile(r"(?:hoàn[ \t]+thành|trong|trước|thời[ \t]+hạn)", regex.IGNORECASE)
_RANGE_WORDS = regex.compile(r"(?:^|[ \t])(?:từ|đến)[ \t]", regex.IGNORECASE)


def _p(name: str) -> regex.Pattern:
    return patterns.get("deadlines", name)


@functools.cache
def _roman() -> dict[str, int]:
    return dict(rules.load("deadlines")["roman"])


@functools.cache
def _recurrence_words() -> dict[str, str]:
    return {" ".join(k.split()): v for k, v in rules.load("deadlines")["recurrence_words"].items()}


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    return _iso(y, m, calendar.monthrange(y, m)[1])


def _year(value: str | None, doc_year: int | None) -> int | None:
    return int(value) if value else doc_year


def _recurrence(m: regex.Match) -> str | None:
    unit = m.group("unit") or m.group("unit2")
    return _recurrence_words().get(" ".join(unit.lower().split())) if unit else None


def _make(text: str, kind: str, start: str | None, end: str | None, recurrence: str | None = None) -> Deadline:
    return Deadline(text=text, kind=kind, start=start, end=end, recurrence=recurrence)


def _date_of(m: regex.Match, doc_year: int | None) -> str | None:
    day = int(m.group("d"))
    month = int(m.group("m") or m.group("m2"))
    year = _year(m.group("y") or m.group("y2"), doc_year)
    return _iso(year, month, day) if year else None


def _expression(kind: str, m: regex.Match, doc_year: int | None, before: bool) -> tuple[str, str | None, str | None] | None:
    """(kind, start, end) of one matched time expression, or None when it names no valid window."""
    if kind == "year_range":
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        return ("range", f"{y1}-01-01", f"{y2}-12-31") if y1 <= y2 else None
    if kind == "half":
        y = _year(m.group("y"), doc_year)
        if not y:
            return None
        first = m.group("which").lower() == "đầu"
        return ("range", f"{y}-01-01", f"{y}-06-30") if first else ("range", f"{y}-07-01", f"{y}-12-31")
    if kind == "month_range":
        y, m1, m2 = int(m.group("y")), int(m.group("m1")), int(m.group("m2"))
        end = _month_end(y, m2)
        return ("range", _iso(y, m1, 1), end) if end and 1 <= m1 <= m2 else None
    if kind == "date":
        day = _date_of(m, doc_year)
        if not day:
            return None
        return ("date", None, day) if before else ("date", day, day)
    if kind == "quarter":
        y = _year(m.group("y"), doc_year)
        q = m.group("q")
        q = int(q) if q.isdigit() else _roman().get(q.upper())
        if not y or not q:
            return None
        return ("quarter", f"{y}-{3 * q - 2:02d}-01", _month_end(y, 3 * q))
    if kind == "month":
        y, mo = _year(m.group("y"), doc_year), int(m.group("m"))
        end = _month_end(y, mo) if y else None
        return ("month", _iso(y, mo, 1), end) if end else None
    if kind == "year":
        y = int(m.group("y"))
        return ("year", f"{y}-01-01", f"{y}-12-31")
    return None


def parse_deadline(phrase: str, doc_year: int | None = None) -> Deadline | None:
    """Normalize a phrase known to be a deadline; None when it states none that can be dated."""
    text = " ".join((phrase or "").split()).rstrip(" .;,")
    if not text:
        return None
    if _p("ongoing").match(text):
        m = _p("ongoing_from").search(text)
        return _make(text, "ongoing", f"{m.group('y')}-01-01" if m else None, None)
    recs = list(_p("recurring").finditer(text))
    if recs and not _YEAR_DIGITS.search(text):
        return _make(text, "recurring", None, None, next(filter(None, map(_recurrence, recs)), None))
    dates = [m for m in _p("date").finditer(text) if _date_of(m, doc_year)]
    if len(dates) >= 2 and _RANGE_WORDS.search(text):
        return _make(text, "range", _date_of(dates[0], doc_year), _date_of(dates[-1], doc_year))
    for kind in _EXPRESSIONS:
        for m in _p(kind).finditer(text):
            before = bool(_p("before").search(text[: m.start()]))
            got = _expression(kind, m, doc_year, before)
            if got:
                return _make(text, *got)
    return None


def _candidates(text: str) -> list[tuple[int, int, str, regex.Match]]:
    """Every time expression in ``text``, the longest where two overlap, in text order."""
    found = [(m.start(), m.end(), kind, m) for kind in _EXPRESSIONS for m in _p(kind).finditer(text)]
    found.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    kept: list[tuple[int, int, str, regex.Match]] = []
    for c in found:
        if kept and c[0] < kept[-1][1]:
            continue
        kept.append(c)
    return kept


def find_deadline(text: str, doc_year: int | None = None) -> Deadline | None:
    """The deadline stated in a task's text, with its span in ``text``; None when none is stated."""
    if not text:
        return None
    head = text.lstrip(" \t\n-–•*+")
    offset = len(text) - len(head)
    rec = _p("recurring").match(head)
    if rec and rec.start() == 0:
        return _span(_make(rec.group(0), "recurring", None, None, _recurrence(rec)), offset + rec.start(), offset + rec.end())
    for s, e, kind, m in _candidates(text):
        prefix = text[max(0, s - 80) : s]
        if _p("citation_before").search(prefix):
            continue
        cue = _p("cue").search(prefix)
        if not cue:
            continue
        if kind in ("year", "year_range") and _p("name_year").search(prefix[: cue.start()] if cue else prefix):
            if not _FIRM_CUE.search(prefix[cue.start() :]):
                continue
        start = s - (len(prefix) - cue.start())
        got = _expression(kind, m, doc_year, bool(_p("before").search(prefix)))
        if got:
            return _span(_make(" ".join(text[start:e].split()), *got), start, e)
    if m := _PERIODIC_REPORT.search(text):
        return _span(_make(m.group(0), "recurring", None, None, None), m.start(), m.end())
    return None


def _span(d: Deadline, start: int, end: int) -> Deadline:
    d.char_start, d.char_end = start, end
    return d
