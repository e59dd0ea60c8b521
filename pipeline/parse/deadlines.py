"""Deadlines: a phrase of time to a kind and a window of dates (ANNOTATION.md, deadline table).

Two entry points:

* ``parse_deadline(phrase)`` reads a phrase that is known to be a deadline: the value after
  ``Thời gian thực hiện:`` or a table cell such as ``Tháng 6/2024``.
* ``find_deadline(text)`` looks for the deadline inside the text of one task, where most dates are
  *not* deadlines. It tries, in this order, and the first that gives a datable answer wins:

  1. a labelled value (``Thời gian thực hiện:``, ``Thời hạn:``, ``Tiến độ:`` …), read as a phrase;
  2. a recurrence opening the task (``Hàng năm, …``, ``Định kỳ trước ngày 15 tháng 12 hằng năm …``),
     which beats any date later in the text (the gold of Quyết định 12/2024/QĐ-TTg reads it so);
     or ``Thường xuyên.`` standing as the whole item;
  3. a time expression with a deadline cue right before it (``trước``, ``trong``, ``hoàn thành``,
     ``chậm nhất``, ``xong``, ``đến hết``, ``thời hạn`` …); when several have one, the *last* wins.
     A date right after a document number or a law's name (``Nghị định số 32/2024/NĐ-CP ngày …``,
     ``Luật … ngày 19/6/2015``) is a citation and is skipped. ``đến năm 2030`` is not a cue (it reads
     as a horizon, ``tầm nhìn đến năm 2045``); ``đến hết năm 2025`` is. A stage of years
     (``giai đoạn 2021-2025``) counts only after a cue, closing its clause, with no programme name
     (``Chương trình``, ``Đề án``, ``Kế hoạch`` …) earlier in the clause: conservative on purpose,
     since such stages are mostly part of a name;
  4. ``thực hiện thường xuyên`` closing a sentence (ongoing), then a periodic report duty
     (``chế độ báo cáo định kỳ``, recurring). ``thường xuyên`` elsewhere in a sentence is an adverb
     (``thường xuyên kiểm tra``, ``trợ giúp thường xuyên``) and states no deadline; so does
     ``hàng năm`` inside a sentence (``kế hoạch đầu tư công trung hạn và hàng năm``).

Values follow the annotation table: ``trước``/``chậm nhất`` + a time leaves the start null (before a
period longer than a day the deadline becomes one end day: ``chậm nhất Quý III/2024`` → 2024-09-30,
``trước Quý III/2024`` → 2024-06-30, since ``trước`` excludes what it names; the table is silent here);
``… và các năm tiếp theo``/``trở đi`` makes the deadline ongoing from the start of the period; a
recurrence right after a date (``trước ngày 15/12 hằng năm``) keeps the kind ``date`` and sets
``recurrence``. A day and month, month or quarter without a year take ``doc_year``; with no
``doc_year`` they give nothing: a year is never guessed. Invalid dates (``31/2``) are skipped.

The phrase patterns and word lists are data, in ``rules/deadlines.toml``; this module only decides
how the pieces combine. Every pattern there is bounded, so no input makes the scan backtrack for long.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from pipeline import rules
from pipeline.models import Deadline
from pipeline.parse import patterns

RULE_FILE = "deadlines"
# The time expressions, by pattern name; the order breaks ties between two matches of the same span.
_EXPRESSIONS = ("date", "month_range", "half", "year_range", "quarter_range", "quarter", "month", "year")
# Expressions that `từ … đến …` / `… - …` may join into one range.
_JOINABLE = frozenset({"date", "month", "quarter", "year"})
_CUE_WINDOW = 80  # how far before an expression its cue is looked for
_CITATION_WINDOW = 120  # … and the number or name of a cited document
_CLAUSE_WINDOW = 160  # how far back the clause of a stage of years is read, and forward an opening clause
_VALUE_WINDOW = 200  # the longest labelled value read
_GAP = 12  # the longest gap a connector fills between two joined expressions
_PHRASE_STEPS = 6  # the most times a deadline phrase is read for (successive steps of one task)
_CLAUSE_MARKS = ".;:\n"
_TRIM_START = " \t\r\n*_"
_TRIM_END = " \t\r\n*_.;,"


@dataclass(frozen=True)
class _Expr:
    """One time expression found in the text: its pattern, its span and its match."""

    kind: str
    start: int
    end: int
    match: regex.Match

    @property
    def year(self) -> int | None:
        """The year the expression prints itself, if any (a stage of years prints two, read elsewhere)."""
        y = self.match.groupdict().get("y")
        return int(y) if y else None


@dataclass(frozen=True)
class _Reading:
    """What one candidate says: kind, window, recurrence, and where its phrase ends in the text."""

    kind: str
    start: dt.date | None
    end: dt.date | None
    recurrence: str | None
    stop: int


# ----------------------------------------------------------------------------------- rule data


def _p(name: str) -> regex.Pattern:
    return patterns.get(RULE_FILE, name)


def _finditer(name: str, text: str, lo: int = 0, hi: int | None = None) -> Iterator[regex.Match]:
    """The matches of rule ``name`` in ``text[lo:hi]``: none, without trying the pattern, when the span holds no needle.

    ``regex`` skips through a text to a needle's first digit or letter in C, but tries a pattern
    that opens with a lookbehind or an optional part (``giai đoạn …``) at every position: most
    task texts hold no date, and they no longer pay for that.
    """
    hi = len(text) if hi is None else hi
    holds = patterns.needle_test(RULE_FILE, (name,))
    if holds is not None and not holds(text, lo, hi):
        return iter(())
    return _p(name).finditer(text, lo, hi)


def _search(name: str, text: str) -> regex.Match | None:
    """The first match of rule ``name`` in ``text``, None at once when the text holds no needle."""
    holds = patterns.needle_test(RULE_FILE, (name,))
    if holds is not None and not holds(text, 0, len(text)):
        return None
    return _p(name).search(text)


@functools.cache
def _roman() -> dict[str, int]:
    return dict(rules.load(RULE_FILE)["roman"])


@functools.cache
def _number_words() -> dict[str, int]:
    return dict(rules.load(RULE_FILE)["number_words"])


@functools.cache
def _recurrences() -> dict[str, str]:
    return dict(rules.load(RULE_FILE)["recurrence"])


def _recurrence(unit: str | None) -> str | None:
    """The recurrence of a period word: `năm` → yearly, `06 tháng` → half-yearly (keys in the rule file)."""
    if not unit:
        return None
    words = [(w.lstrip("0") or "0") if w.isdigit() else w for w in unit.lower().split()]
    return _recurrences().get(" ".join(words))


# ----------------------------------------------------------------------------------- dates


def _month_last(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _number_words().get(word.lower())


def _window(e: _Expr, year: int | None) -> tuple[str, dt.date, dt.date] | None:
    """(kind, first day, last day) of one expression in ``year`` (unless it prints its own); None when invalid."""
    g = e.match.groupdict()
    if e.kind == "year_range":
        a, b = int(g["y1"]), int(g["y2"])
        return ("range", dt.date(a, 1, 1), dt.date(b, 12, 31)) if a < b else None
    y = e.year or year
    if y is None:
        return None
    try:
        return _period(e.kind, g, y)
    except (ValueError, TypeError):  # 31/2, tháng 13, quý 0
        return None


def _quarter(q: str) -> int:
    return int(q) if q.isdigit() else _roman()[q.upper()]


def _period(kind: str, g: dict[str, str | None], y: int) -> tuple[str, dt.date, dt.date] | None:
    """The window of a one-year expression; raises ValueError on an impossible date."""
    if kind == "date":
        day = dt.date(y, int(g["m"]), int(g["d"]))
        return ("date", day, day)
    if kind == "month":
        m = int(g["m"])
        return ("month", dt.date(y, m, 1), _month_last(y, m))
    if kind == "month_range":
        m1, m2 = int(g["m1"]), int(g["m2"])
        return ("range", dt.date(y, m1, 1), _month_last(y, m2)) if m1 < m2 else None
    if kind == "quarter":
        q = _quarter(g["q"])
        return ("quarter", dt.date(y, 3 * q - 2, 1), _month_last(y, 3 * q))
    if kind == "quarter_range":
        q1, q2 = _quarter(g["q1"]), _quarter(g["q2"])
        return ("range", dt.date(y, 3 * q1 - 2, 1), _month_last(y, 3 * q2)) if q1 < q2 else None
    if kind == "half":
        n = _number(g["n"])
        if not n or n >= 12:
            return None
        if g["which"].lower() == "đầu":
            return ("range", dt.date(y, 1, 1), _month_last(y, n))
        return ("range", dt.date(y, 13 - n, 1), dt.date(y, 12, 31))
    if kind == "year":
        return ("year", dt.date(y, 1, 1), dt.date(y, 12, 31))
    return None


# ----------------------------------------------------------------------------------- candidates


def _expressions(text: str, lo: int, hi: int) -> list[_Expr]:
    """Every time expression in ``text[lo:hi]``, the longest where two overlap, in text order."""
    found = [_Expr(kind, m.start(), m.end(), m) for kind in _EXPRESSIONS for m in _finditer(kind, text, lo, hi)]
    found.sort(key=lambda e: (e.start, -e.end))  # stable: ties keep the order of _EXPRESSIONS
    kept: list[_Expr] = []
    for e in found:
        if not kept or e.start >= kept[-1].end:
            kept.append(e)
    return kept


def _candidates(text: str, lo: int, hi: int) -> list[tuple[_Expr, _Expr]]:
    """The expressions as (first, last) pairs: two joined by `đến` / `-` make one range, others stand alone."""
    exprs = _expressions(text, lo, hi)
    out: list[tuple[_Expr, _Expr]] = []
    i = 0
    while i < len(exprs):
        a = exprs[i]
        b = exprs[i + 1] if i + 1 < len(exprs) else None
        if b and a.kind in _JOINABLE and b.kind in _JOINABLE and b.start - a.end <= _GAP:
            if _p("connector").fullmatch(text, a.end, b.start):
                out.append((a, b))
                i += 2
                continue
        out.append((a, a))
        i += 1
    return out


def _value(c: tuple[_Expr, _Expr], doc_year: int | None) -> tuple[str, dt.date, dt.date] | None:
    """(kind, first, last) of a candidate. In a range, a side without a year takes the other side's year."""
    a, b = c
    if a is b:
        return _window(a, doc_year)
    ya = a.year or b.year or doc_year
    yb = b.year or a.year or doc_year
    wa, wb = _window(a, ya), _window(b, yb)
    if wa and wb and wa[1] > wb[1] and ya is not None and yb is not None:  # từ tháng 11 đến tháng 2/2025
        if a.year is None:
            wa = _window(a, ya - 1)
        elif b.year is None:
            wb = _window(b, yb + 1)
    if not wa or not wb or wa[1] > wb[2]:
        return None
    return ("range", wa[1], wb[2])


def _read(
    text: str, c: tuple[_Expr, _Expr], doc_year: int | None, before: regex.Match | None, since: bool, phrase: bool
) -> _Reading | None:
    """What a candidate says in its context: the words after it (`hằng năm`, `và các năm tiếp theo`)
    and the cue before it.

    `trước` / `chậm nhất` leave the start null. Before a date the end is that day (the annotation table);
    before a longer period the deadline becomes that one end day: `chậm nhất Quý III/2024` its last day,
    `trước Quý III/2024` the day before it begins (`trước` excludes what it names).
    `từ` + one period is ongoing work from it when it is the whole phrase (`Từ năm 2025`); in running
    text it is only a start (`có hiệu lực từ ngày …`), unless the period goes on (`từ năm 2025 trở đi`)."""
    v = _value(c, doc_year)
    if not v:
        return None
    kind, first, last = v
    stop = c[1].end
    if c[0] is c[1] and c[0].kind != "year_range" and c[0].year is None and _p("relative_after").match(text, stop):
        return None  # `31 tháng 12 của năm trước`: a year counted from something unknown
    if m := _p("onwards").match(text, stop):
        return _Reading("ongoing", first, None, None, m.end())
    if since and kind != "range":
        return _Reading("ongoing", first, None, None, stop) if phrase else None
    recurrence = None
    if m := _p("recurrence_after").match(text, stop):
        recurrence, stop = _recurrence(m.group("unit")), m.end()
    if before:
        if kind != "date":
            last = (first - dt.timedelta(days=1)) if before.group("strict") else last
            kind = "date"
        first = None
    return _Reading(kind, first, last, recurrence, stop)


def _cited(text: str, start: int, lo: int = 0) -> bool:
    """Whether the expression at ``start`` is the date of a cited document (`… số 32/2024/NĐ-CP ngày …`)."""
    return bool(_p("citation_before").search(text, max(lo, start - _CITATION_WINDOW), start))


def _make(
    text: str, start: int, end: int, kind: str, first: dt.date | None, last: dt.date | None, recurrence: str | None = None
) -> Deadline:
    """A Deadline over ``text[start:end]``: the phrase as printed, its span, ISO dates."""
    return Deadline(
        text=text[start:end],
        kind=kind,
        start=first.isoformat() if first else None,
        end=last.isoformat() if last else None,
        recurrence=recurrence,
        char_start=start,
        char_end=end,
    )


# ----------------------------------------------------------------------------------- phrases


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and text[lo] in _TRIM_START:
        lo += 1
    while hi > lo and text[hi - 1] in _TRIM_END:
        hi -= 1
    return lo, hi


def _clause_recurrence(text: str, lo: int, hi: int) -> tuple[str | None, int]:
    """The first recurrence named in ``text[lo:hi]`` and where the last recurrence word ends.

    `Định kỳ trước ngày 15 tháng 12 hằng năm` opens with a bare `Định kỳ`; its period is the later `hằng năm`."""
    recurrence, stop = None, lo
    for m in _p("recurring").finditer(text, lo, hi):
        recurrence = recurrence or _recurrence(m.group("unit"))
        stop = m.end()
    return recurrence, stop


def _phrase(text: str, lo: int, hi: int, doc_year: int | None) -> Deadline | None:
    """Read ``text[lo:hi]`` as a deadline phrase; the Deadline spans the trimmed phrase."""
    lo, hi = _trim(text, lo, hi)
    if label := _p("label").match(text, lo, hi):
        lo, hi = _trim(text, label.end(), hi)
    if lo >= hi:
        return None
    if m := _p("ongoing").match(text, lo, hi):
        return _ongoing_phrase(text, lo, hi, m.end(), doc_year)
    if _p("recurring").match(text, lo, hi):
        return _make(text, lo, hi, "recurring", None, None, _clause_recurrence(text, lo, hi)[0])
    elsewhere = _p("elsewhere").match(text, lo, hi)  # `Theo kế hoạch của tỉnh`, `Khi có kết quả …`: another schedule
    if not elsewhere and (m := _p("bare_year").fullmatch(text, lo, hi)):
        y = int(m.group("y"))
        return _make(text, lo, hi, "year", dt.date(y, 1, 1), dt.date(y, 12, 31))
    if not elsewhere and (r := _latest_reading(text, lo, hi, doc_year)):
        return _make(text, lo, hi, r.kind, r.start, r.end, r.recurrence)
    if (m := _p("ongoing").search(text, lo, hi)) and _p("bare_this_year").match(text, m.end(), hi):
        return _ongoing_phrase(text, lo, hi, m.end(), doc_year)  # `…; thực hiện thường xuyên trong năm`
    if m := _cadence(text, lo, hi):
        return _make(text, lo, hi, "recurring", None, None, _recurrence(m.group("unit")))
    if not elsewhere and _p("ongoing").search(text, lo, hi):
        return _make(text, lo, hi, "ongoing", None, None)
    return None


def _readings(text: str, lo: int, hi: int, doc_year: int | None) -> Iterator[_Reading]:
    """The datable, uncited expressions of a phrase, read with the cue before each within the phrase."""
    for c in _candidates(text, lo, hi):
        s = c[0].start
        if _cited(text, s, lo):
            continue
        before = _p("before").search(text, max(lo, s - _CUE_WINDOW), s)
        since = bool(_p("since").search(text, max(lo, s - _CUE_WINDOW), s))
        if r := _read(text, c, doc_year, before, since, phrase=True):
            yield r


def _first_reading(text: str, lo: int, hi: int, doc_year: int | None) -> _Reading | None:
    """The first datable, uncited expression of a phrase."""
    return next(_readings(text, lo, hi, doc_year), None)


def _latest_reading(text: str, lo: int, hi: int, doc_year: int | None) -> _Reading | None:
    """The reading that ends last: successive steps in one phrase (`Ban hành kế hoạch trong tháng 01/2026,
    tổ chức kiểm tra chậm nhất trong tháng 6/2026 và báo cáo … chậm nhất trong tháng 8/2026`) end with the
    last; ongoing work (no end) counts as ending last."""
    best = None
    for k, r in enumerate(_readings(text, lo, hi, doc_year)):
        if k == _PHRASE_STEPS:
            break  # a phrase names a few steps; what follows is no deadline phrase
        if best is None or _later(r.end, best.end):
            best = r
    return best


def _later(a: dt.date | None, b: dt.date | None) -> bool:
    """Whether end ``a`` is at or after end ``b`` (None: open, after every date)."""
    if a is None:
        return True
    return b is not None and a >= b


def _ongoing_phrase(text: str, lo: int, hi: int, after: int, doc_year: int | None) -> Deadline:
    """`Thường xuyên …`: ongoing, from the period named after it (`trong năm 2024 và các năm tiếp theo`).

    A period that goes on (`và các năm tiếp theo`, `từ năm 2025`) leaves the end open; one that does not
    (`Thường xuyên trong năm 2024`) bounds it."""
    r = _first_reading(text, after, hi, doc_year)
    if r is None and doc_year is not None and _p("bare_this_year").match(text, after, hi):
        first = dt.date(doc_year, 1, 1)  # `Thường xuyên trong năm` in a plan for a year: that year
        return _make(text, lo, hi, "ongoing", first, dt.date(doc_year, 12, 31))
    if r is None:
        return _make(text, lo, hi, "ongoing", None, None)
    return _make(text, lo, hi, "ongoing", r.start, None if r.kind == "ongoing" else r.end)


def parse_deadline(phrase: str, doc_year: int | None = None) -> Deadline | None:
    """Normalize a phrase known to be a deadline (a labelled value, a table cell).

    Returns None when it states nothing datable. The Deadline's text is the phrase as printed, trimmed;
    its span is left at -1, because the phrase was cut from a text only the caller knows."""
    d = _phrase(phrase or "", 0, len(phrase or ""), doc_year)
    if d:
        d.char_start = d.char_end = -1
    return d


# ----------------------------------------------------------------------------------- running text


def find_deadline(text: str, doc_year: int | None = None) -> Deadline | None:
    """The deadline of one task, searched in its text (sub-items included); None when none is stated.

    The Deadline's span points into ``text`` (``text[char_start:char_end] == deadline.text``).
    See the module docstring for the order of evidence."""
    if not text:
        return None
    return _labelled(text, doc_year) or _opening(text) or _timed(text, doc_year)


def _timed(text: str, doc_year: int | None) -> Deadline | None:
    """An item's time when nothing opens it: a cued time (the latest of several), then the item's own
    `thường xuyên`, then a cadence anywhere (`định kỳ hằng tháng báo cáo …`), then weaker evidence.

    `Thường xuyên … trong năm 2026` is ongoing over that year; a cadence with `bắt đầu thực hiện từ
    tháng 01/2026` recurs from that month."""
    cued = _cued(text, doc_year)
    ongoing = _ongoing_timing(text)
    if cued is not None:
        if ongoing is not None and cued.kind in ("year", "range"):
            return _make(text, ongoing.char_start, ongoing.char_end, "ongoing", _iso(cued.start), _iso(cued.end))
        return cued
    if ongoing is not None:
        return ongoing
    if m := _cadence(text, 0, len(text)):
        start = None
        if since := _search("since_start", text):
            if w := _window(_Expr("month", since.start("when"), since.end(), since), doc_year):
                start = w[1]
        return _make(text, m.start(), m.end(), "recurring", start, None, _recurrence(m.group("unit")))
    return _tail(text)


def _iso(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _cadence(text: str, lo: int, hi: int) -> regex.Match | None:
    """A cadence in the text (`định kỳ 02 tuần/lần`, `hằng tháng`, `mỗi học kỳ`, `tháng liền kề`), not one
    that only qualifies a kind of plan (`kế hoạch đầu tư công trung hạn và hàng năm`)."""
    for m in _finditer("cadence", text, lo, hi):
        if not _p("cadence_not").search(text, max(lo, m.start() - 30), m.start()):
            return m
    return None


def _ongoing_timing(text: str) -> Deadline | None:
    """`Thường xuyên` as the item's timing: opening it (`Thường xuyên theo dõi, đôn đốc …`) or right before
    the verb of its first clause (`Từng cấp, từng ngành phải thường xuyên tổ chức …`); not one manner adverb
    among others (`quyết liệt, đồng bộ, thường xuyên, liên tục`) nor a later clause's."""
    marker = _p("item_marker").match(text)
    head, _ = _trim(text, marker.end() if marker else 0, len(text))
    if m := _p("ongoing_lead").match(text, head):
        return _make(text, m.start(), m.end(), "ongoing", None, None)
    clause = _p("clause_stop").search(text, head)
    hi = clause.start() if clause else len(text)
    if m := _p("ongoing_predicate").search(text, head, hi):
        return _make(text, m.start("adv"), m.end("adv"), "ongoing", None, None)
    return None


def _labelled(text: str, doc_year: int | None) -> Deadline | None:
    """The first labelled value that reads as a deadline: `c) Thời gian thực hiện: Quý II/2024.`"""
    for label in _finditer("label", text):
        lo = label.end()
        limit = min(len(text), lo + _VALUE_WINDOW)
        end = _p("value_end").search(text, lo, limit)
        if d := _phrase(text, lo, end.start() if end else limit, doc_year):
            return d
    return None


def _opening(text: str) -> Deadline | None:
    """A recurrence opening the item (`Hàng năm, …`, `Định kỳ … hằng năm, …`) or `Thường xuyên.` as the whole item."""
    marker = _p("item_marker").match(text)
    head, _ = _trim(text, marker.end() if marker else 0, len(text))
    if m := _p("recurring").match(text, head):
        limit = min(len(text), head + _CLAUSE_WINDOW)
        clause_end = _p("clause_mark").search(text, m.end(), limit)
        hi = clause_end.start() if clause_end else limit
        recurrence, stop = _clause_recurrence(text, head, hi)
        return _make(text, head, max(stop, m.end()), "recurring", None, None, recurrence)
    if m := _p("ongoing_alone").match(text, head):
        lo, hi = _trim(text, head, m.end())
        return _make(text, lo, hi, "ongoing", None, None)
    return None


def _cued(text: str, doc_year: int | None) -> Deadline | None:
    """The time expression a deadline cue introduces; of several (successive steps of one item:
    `nộp hồ sơ trước ngày 28/4/2026; … hoàn thành báo cáo trước ngày 05/5/2026`), the one that ends last."""
    best = None
    for c in _candidates(text, 0, len(text)):
        d = _cued_one(text, c, doc_year)
        if d is not None and (best is None or _later(_iso(d.end), _iso(best.end))):
            best = d
    return best


def _cued_one(text: str, c: tuple[_Expr, _Expr], doc_year: int | None) -> Deadline | None:
    """One candidate as a deadline of running text, or None when no cue makes it one."""
    s = c[0].start
    if _cited(text, s):
        return None
    window = max(0, s - _CUE_WINDOW)
    cue = _p("cue").search(text, window, s)
    if cue is None and c[0].kind == "date":
        cue = _p("cue_to_date").search(text, window, s)  # `phấn đấu đến ngày 30/6/2026 hoàn thành …`
    since = None if cue else _p("since").search(text, window, s)
    if not cue and not since:
        return None
    intro = (cue or since).start()
    if c[0].match.groupdict().get("stage") and not _stands_as_deadline(text, intro, c[1].end):
        return None
    before = _p("before").search(text, cue.start(), s) if cue else None
    r = _read(text, c, doc_year, before, since is not None, phrase=False)
    if r is None:
        return None
    return _make(text, intro, r.stop, r.kind, r.start, r.end, r.recurrence)


def _stands_as_deadline(text: str, intro: int, end: int) -> bool:
    """Whether a stage of years (`trong giai đoạn 2021-2025`) is the deadline rather than part of a name:
    it closes its clause, and no programme name comes earlier in the clause."""
    if not _p("clause_end").match(text, end):
        return False
    lo = max(0, intro - _CLAUSE_WINDOW)
    clause_start = max(text.rfind(ch, lo, intro) for ch in _CLAUSE_MARKS) + 1
    return not _p("programme_before").search(text, max(lo, clause_start), intro)


def _tail(text: str) -> Deadline | None:
    """Weak evidence, used only when nothing else speaks: `thực hiện thường xuyên.` closing a sentence
    (ongoing), a periodic report duty (recurring)."""
    if m := _p("ongoing_tail").search(text):
        return _make(text, m.start(), m.end(), "ongoing", None, None)
    if m := _search("periodic_report", text):
        return _make(text, m.start(), m.end(), "recurring", None, None, _recurrence(m.group("unit")))
    return None
