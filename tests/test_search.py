"""Phrase search on syllables, diacritics as typed: table-driven, in Python and inside DuckDB alike."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.query.fold import SQL_MACROS as FOLD_MACROS
from pipeline.query.search import SQL_MACROS, has, pattern, terms, words

# (text, what a person types, found?)
CASES = [
    ("Tổng hợp, báo cáo kết quả về Sở", "bao cao", True),
    ("nâng cao năng lực, bảo đảm an toàn", "bao cao", False),  # both words, not adjacent
    ("cao bao", "bao cao", False),  # not in order
    ("Báo cáo", "BAO CAO", True),
    ("báo-cáo", "bao cao", True),  # any non-letter separates words
    ("baocao", "bao cao", False),
    ("báo cáo định kỳ", "báo cáo", True),
    ("bảo cáo", "báo cáo", False),  # typed diacritics are respected
    ("bảo cáo", "bao cáo", True),  # per word: `bao` is any reading
    ("báo cao", "bao cáo", False),
    ("Ủy ban nhân dân tỉnh", "Uỷ ban", True),  # old and new tone placement are one word
    ("Uỷ ban nhân dân tỉnh", "ủy ban", True),
    ("tỉnh Khánh Hoà", "khánh hòa", True),
    ("thuỷ lợi", "thủy lợi", True),
    ("quý II", "quy", True),
    ("quý II", "quý", True),
    ("quỳ", "quý", False),
    ("Sở Công Thương", "so cong thuong", True),
    ("Sở Công Thương", "cong thu", False),  # whole words only
    ("Đồng Nai", "dong nai", True),
    ("dòng Nai", "đồng nai", False),  # đ is not d when typed
    ("Đồng Nai", "đong nai", False),
    ("ngày 30/6/2024", "30 6 2024", True),
    ("Sở Tài chính tỉnh Lâm Đồng", "tài chính tỉnh lâm đồng", True),
    ("Hòa\u0301", "hoa", True),  # a stray combining mark stays part of its word
]


@pytest.mark.parametrize("text,typed,found", CASES)
def test_phrase(text, typed, found):
    assert has(text, pattern(typed)) is found


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    c.execute(FOLD_MACROS + SQL_MACROS)
    return c


@pytest.mark.parametrize("text,typed,found", CASES)
def test_same_in_duckdb(con, text, typed, found):
    assert con.execute("SELECT vn_has(?, ?)", [text, pattern(typed)]).fetchone()[0] is found
    assert con.execute("SELECT vn_words(?)", [text]).fetchone()[0] == words(text)


def test_whole_matches_only_the_phrase():
    assert has("Kế hoạch", pattern("ke hoach", whole=True))
    assert not has("Kế hoạch liên tịch", pattern("ke hoach", whole=True))


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("bao cao", ["bao cao"]),
        ('"bao cao" "ke hoach"', ["bao cao", "ke hoach"]),
        ('"bao cao" ke hoach', ["bao cao", "ke", "hoach"]),
        ('"bao cao', ["bao cao"]),  # an unclosed quote runs to the end
        ('""', []),
        ("  ", []),
    ],
)
def test_terms(typed, expected):
    assert terms(typed) == expected


def test_nothing_to_search_for():
    with pytest.raises(ValueError, match="nothing to search for"):
        pattern(" - ")
