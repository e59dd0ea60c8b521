"""Deadline normalization: every phrasing in rules/deadlines.toml gives its exact kind and dates."""

from __future__ import annotations

import signal

import pytest

from pipeline import rules
from pipeline.parse.deadlines import find_deadline, parse_deadline

DATA = rules.load("deadlines")


def _values(d):
    return (d.kind, d.start, d.end) if d else None


def _expected(ex: dict):
    return (ex["kind"], ex.get("start"), ex.get("end"))


def test_rule_file_carries_sixty_phrasings():
    assert len(DATA["example"]) + len(DATA["in_text"]) >= 60


@pytest.mark.parametrize("ex", DATA["example"], ids=[e["text"] for e in DATA["example"]])
def test_phrase(ex):
    d = parse_deadline(ex["text"], ex.get("doc_year"))
    assert _values(d) == _expected(ex)
    if "recurrence" in ex:
        assert d.recurrence == ex["recurrence"]


@pytest.mark.parametrize("ex", DATA["in_text"], ids=[e["text"][:40] for e in DATA["in_text"]])
def test_deadline_inside_task_text(ex):
    d = find_deadline(ex["text"], ex.get("doc_year"))
    assert _values(d) == _expected(ex)
    assert ex["text"][d.char_start : d.char_end].split() == d.text.split()


@pytest.mark.parametrize("ex", DATA["non_deadline"], ids=[e["text"][:40] for e in DATA["non_deadline"]])
def test_no_deadline_in(ex):
    assert find_deadline(ex["text"], 2024) is None


def test_day_and_month_without_a_year_need_the_documents_year():
    assert parse_deadline("trước ngày 15/12", None) is None
    assert _values(parse_deadline("trước ngày 15/12", 2025)) == ("date", None, "2025-12-15")


def test_impossible_dates_are_not_deadlines():
    assert parse_deadline("ngày 31/2/2024") is None
    assert parse_deadline("tháng 13/2024") is None


@pytest.mark.parametrize("text", ["1/" * 20000, "9" * 100000, "trước ngày " * 5000, "tháng " * 20000 + "5"])
def test_adversarial_input_ends(text):
    def _hang(*_):
        raise TimeoutError
    old = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(10)
    try:
        find_deadline(text, 2024)
        parse_deadline(text[:2000], 2024)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
