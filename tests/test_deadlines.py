"""Deadline normalization: every phrasing in rules/deadlines.toml gives its exact kind, dates and recurrence;
real task sentences give the deadline a reader would pick, and no other date."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pipeline import rules
from pipeline.models import Deadline
from pipeline.parse.deadlines import find_deadline, parse_deadline

DATA = rules.load("deadlines")


def _values(d: Deadline | None) -> tuple | None:
    return (d.kind, d.start, d.end, d.recurrence) if d else None


def _expected(ex: dict) -> tuple:
    return (ex["kind"], ex.get("start"), ex.get("end"), ex.get("recurrence"))


def _ids(table: str) -> list[str]:
    return [e["text"][:50] or "<empty>" for e in DATA[table]]


def _span_is_faithful(text: str, d: Deadline) -> None:
    assert 0 <= d.char_start < d.char_end <= len(text)
    assert text[d.char_start : d.char_end] == d.text


@contextmanager
def _no_hang(seconds: int = 5) -> Iterator[None]:
    """Fail instead of hanging if a scan backtracks without end."""

    def _timeout(*_):
        raise TimeoutError("deadline scan did not end")

    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# ------------------------------------------------------------------------------ the data in the rule file


def test_rule_file_carries_sixty_distinct_phrasings():
    texts = {e["text"] for e in DATA["example"]} | {e["text"] for e in DATA["in_text"]}
    assert len(DATA["example"]) >= 60
    assert len(texts) == len(DATA["example"]) + len(DATA["in_text"])


@pytest.mark.parametrize("ex", DATA["example"], ids=_ids("example"))
def test_phrase(ex):
    d = parse_deadline(ex["text"], ex.get("doc_year"))
    assert _values(d) == _expected(ex)
    assert ex["text"].rstrip(". ").endswith(d.text)  # the value as printed, without a label or a full stop
    assert (d.char_start, d.char_end) == (-1, -1)


@pytest.mark.parametrize("ex", DATA["example"], ids=_ids("example"))
def test_phrase_after_a_label_reads_the_same(ex):
    """A phrase as the labelled value of a sub-item gives the same deadline, with its span in the task text."""
    text = f"Rà soát, sửa đổi quy chế theo Nghị định số 32/2024/NĐ-CP ngày 15/3/2024.\nc) Thời gian thực hiện: {ex['text']}\n"
    d = find_deadline(text, ex.get("doc_year"))
    assert _values(d) == _expected(ex)
    _span_is_faithful(text, d)


@pytest.mark.parametrize("ex", DATA["in_text"], ids=_ids("in_text"))
def test_deadline_inside_task_text(ex):
    d = find_deadline(ex["text"], ex.get("doc_year"))
    assert _values(d) == _expected(ex)
    _span_is_faithful(ex["text"], d)
    if "phrase" in ex:
        assert d.text == ex["phrase"]


@pytest.mark.parametrize("ex", DATA["non_deadline"], ids=_ids("non_deadline"))
def test_no_deadline_in(ex):
    assert find_deadline(ex["text"], 2024) is None


@pytest.mark.parametrize("ex", DATA["non_phrase"], ids=_ids("non_phrase"))
def test_phrase_that_cannot_be_dated(ex):
    assert parse_deadline(ex["text"], None) is None


# ------------------------------------------------------------------------------ rules stated in the brief


def test_a_year_is_never_guessed():
    assert parse_deadline("trước ngày 15/12", None) is None
    assert _values(parse_deadline("trước ngày 15/12", 2025)) == ("date", None, "2025-12-15", None)
    assert find_deadline("Báo cáo UBND tỉnh trước ngày 15/12.", None) is None
    assert find_deadline("Hoàn thành trong quý III.", None) is None
    assert _values(find_deadline("Hoàn thành trong quý III.", 2024)) == ("quarter", "2024-07-01", "2024-09-30", None)


def test_impossible_dates_are_skipped_not_fatal():
    assert parse_deadline("ngày 31/2/2024") is None
    assert parse_deadline("tháng 13/2024") is None
    d = find_deadline("Báo cáo trước ngày 31/2/2024; hoàn thành trong tháng 3/2024.")
    assert _values(d) == ("month", "2024-03-01", "2024-03-31", None)


def test_label_wins_over_dates_in_the_body():
    text = "Hoàn thành trước ngày 30/6/2024 việc rà soát.\nThời hạn: Quý IV/2024."
    assert _values(find_deadline(text)) == ("quarter", "2024-10-01", "2024-12-31", None)


def test_last_cued_deadline_wins_and_citations_are_skipped():
    text = (
        "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2024, xây dựng dự thảo trong tháng 3/2024, "
        "trình UBND tỉnh trước ngày 30/4/2024."
    )
    d = find_deadline(text)
    assert _values(d) == ("date", None, "2024-04-30", None)
    assert d.text == "trước ngày 30/4/2024"


def test_an_unreadable_label_falls_back_to_the_text():
    text = "Trình UBND tỉnh trong tháng 6/2024.\nThời hạn: theo tiến độ dự án."
    assert _values(find_deadline(text)) == ("month", "2024-06-01", "2024-06-30", None)


def test_table_cell_value():
    assert _values(parse_deadline("Trước ngày 30/6/2024", 2024)) == ("date", None, "2024-06-30", None)
    assert _values(parse_deadline(" Quý II/2024 ", 2024)) == ("quarter", "2024-04-01", "2024-06-30", None)


def test_empty_input():
    assert find_deadline("") is None
    assert parse_deadline("") is None
    assert find_deadline("   \n") is None


# ------------------------------------------------------------------------------ adversarial input


@pytest.mark.parametrize(
    "text",
    [
        "1/" * 20000,
        "9" * 100000,
        "trước ngày " * 5000,
        "tháng " * 20000 + "5",
        "trước ngày 1/1 " * 3000,
        "Luật a " * 10000,
        "Thời hạn: " * 5000,
        "Hàng năm " * 10000,
        "từ tháng 1 đến " * 5000,
        "2024-" * 10000,
    ],
    ids=["slashes", "digits", "cues", "months", "cued-dates", "law-names", "labels", "recurrences", "joins", "years"],
)
def test_adversarial_input_ends(text):
    with _no_hang():
        find_deadline(text, 2024)
        parse_deadline(text, 2024)


def test_adversarial_results():
    with _no_hang():
        assert find_deadline("1/" * 20000, 2024) is None
        assert find_deadline("9" * 100000, 2024) is None
        assert find_deadline("trước ngày " * 5000, 2024) is None
