"""Comparison keys: text folded for diacritic-free search, document numbers folded for matching.

People type ``so cong thuong`` for ``Sở Công Thương`` and ``32/2024/ND-CP`` for
``32/2024/NĐ-CP``. Each key exists twice: a Python function (for what the user typed
and for the citation linker) and a DuckDB macro of the same name (for columns, so a
filter runs inside the engine over millions of rows). ``tests/test_query.py`` checks
that both give the same key on every string of real outputs.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_LEADING_ZEROS = re.compile(r"^0+([0-9])")


class _Folding(dict):
    """``str.translate`` table, filled as characters are met: a character to itself without its
    marks (``ộ`` → ``o``, ``đ`` → ``d``), a combining mark to nothing. One C pass per string, where
    decomposing and testing every character in Python cost the citation linker most of its time."""

    def __missing__(self, code: int) -> str:
        bare = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        self[code] = folded = bare.replace("đ", "d").replace("ð", "d")
        return folded


_FOLDING = _Folding()


def fold(text: str | None) -> str:
    """Lowercase ASCII words separated by one space: ``Sở  Công-Thương`` → ``so cong thuong``.

    Diacritics are dropped (old and new tone placement alike: ``hoà``, ``hòa`` → ``hoa``),
    ``đ`` and the look-alike ``ð`` become ``d``, anything that is not a letter or a digit
    separates words. (Character by character is the same as NFD of the whole string: canonical
    reordering only moves the marks that are dropped.)
    """
    if not text:
        return ""
    return _NOT_WORD.sub(" ", text.lower().translate(_FOLDING)).strip()


def number_key(number: str | None) -> str:
    """A document number for matching: ``06/2022/qđ - ubnd`` and ``6/2022/QD-UBND`` → ``6/2022/QD-UBND``.

    Spaces out, upper case, ``Đ`` (and ``Ð``) as ``D``, dashes unified, zeros before the numeral dropped.
    """
    if not number:
        return ""
    s = _SPACES.sub("", number).upper()
    s = s.replace("Đ", "D").replace("Ð", "D").replace("–", "-").replace("—", "-")
    return _LEADING_ZEROS.sub(r"\1", s)


SQL_MACROS = r"""
CREATE OR REPLACE MACRO vn_fold(s) AS
    trim(regexp_replace(replace(replace(strip_accents(lower(s)), 'đ', 'd'), 'ð', 'd'), '[^a-z0-9]+', ' ', 'g'));
CREATE OR REPLACE MACRO vn_match(haystack, folded_words) AS
    contains(' ' || vn_fold(haystack) || ' ', ' ' || folded_words || ' ');
CREATE OR REPLACE MACRO number_key(n) AS
    regexp_replace(
        replace(replace(replace(replace(upper(regexp_replace(n, '\s+', '', 'g')), 'Đ', 'D'), 'Ð', 'D'), '–', '-'), '—', '-'),
        '^0+([0-9])', '\1');
"""
"""The same keys inside DuckDB: ``vn_fold(col)``, ``number_key(col)``, and ``vn_match(col, folded)``
(the folded words appear in ``col`` as whole words). Available in ``vanban query`` too."""
