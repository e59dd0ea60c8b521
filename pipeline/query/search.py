"""Word search as Vietnamese readers expect it: whole syllables, adjacent and in order, diacritics as typed.

- A phrase matches adjacent words in order: ``bao cao`` finds ``báo cáo`` and not ``nâng cao … bảo``.
- A word typed without diacritics matches every reading of it (``bao`` finds ``báo``, ``bảo``, ``bao``);
  a word typed with them matches that reading only (``báo`` does not find ``bảo``), whatever the tone
  placement (``hoà`` and ``hòa``, ``Uỷ`` and ``Ủy`` are one word), and ``đ`` is not ``d``. The choice is
  per word: ``bao cáo`` finds ``bảo cáo`` and ``báo cáo``, not ``báo cao``.
- Case never matters.

``terms`` reads what a person types: without double quotes the whole value is one phrase; with
them each quoted part is a phrase and each word outside quotes a term of its own; every term must
be found. A text is compared as ``words``: lower case, tone placement made modern, every run of
characters that are not letters, marks or digits one space. The same key exists as the DuckDB
macro ``vn_words(s)`` (built from the same table, checked equal on real outputs by the tests), and
``vn_has(s, pattern)`` tests a pattern made by ``pattern`` inside the engine.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import regex

from pipeline.normalize import _TONE_FIX
from pipeline.query.fold import fold

_WORD_CHARS = r"\pL\pM\pN"
_NOT_WORD = regex.compile(rf"[^{_WORD_CHARS}]+")
_AFTER = r"([^\pL\pM]|$)"  # the end of a syllable, consumed and put back

# Old tone placement to modern (``hoà`` → ``hòa``), lower case only (text is lowered first), as
# (pattern, replacement) pairs that mean the same in DuckDB (RE2) and in Python (``regex``).
_TONES: list[tuple[str, str]] = []
for _old, _new in _TONE_FIX.items():
    if _old != _old.lower():
        continue
    if _old.startswith("u"):  # ``quý`` is another vowel cluster: left alone after q
        _TONES.append((f"(^|[^q]){_old}{_AFTER}", f"\\1{_new}\\2"))
    else:
        _TONES.append((f"{_old}{_AFTER}", f"{_new}\\1"))
_TONES_PY = [(regex.compile(p), r.replace("\\1", "\\g<1>").replace("\\2", "\\g<2>")) for p, r in _TONES]


def words(text: str | None) -> str:
    """The comparison key of a text: ``Uỷ ban  nhân-dân`` → ``ủy ban nhân dân``."""
    if not text:
        return ""
    s = text.lower().replace("ð", "đ")
    for pat, rep in _TONES_PY:
        s = pat.sub(rep, s)
    return _NOT_WORD.sub(" ", s).strip()


def _sql_words(arg: str) -> str:
    expr = f"replace(lower({arg}), 'ð', 'đ')"
    for pat, rep in _TONES:
        expr = f"regexp_replace({expr}, '{pat}', '{rep}', 'g')"
    return f"trim(regexp_replace({expr}, '[^{_WORD_CHARS}]+', ' ', 'g'))"


SQL_MACROS = f"""
CREATE OR REPLACE MACRO vn_words(s) AS {_sql_words("s")};
CREATE OR REPLACE MACRO vn_has(haystack, pattern) AS regexp_matches(' ' || vn_words(haystack) || ' ', pattern);
"""


@functools.cache
def _readings(letter: str) -> str:
    """Every lower-case letter that reads as ``letter`` without its marks (``a`` → ``aàáảãạăằ…``)."""
    found = {letter}
    for block in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(*block):
            c = chr(code).lower()
            if len(c) == 1 and fold(c) == letter:
                found.add(c)
    return "".join(sorted(found))


def _word_pattern(word: str) -> str:
    if words(word) != fold(word):  # typed with diacritics (or đ): that reading only
        return re.escape(unicodedata.normalize("NFC", words(word)))
    return "".join(f"[{_readings(c)}]\\pM*" if c.isalpha() else re.escape(c) for c in word)


def pattern(phrase: str, whole: bool = False) -> str:
    """A pattern over ``' ' + words(text) + ' '`` that finds ``phrase`` as adjacent whole words in order
    (``whole``: the text is the phrase and nothing else). Valid in DuckDB's ``regexp_matches`` and in Python."""
    ws = words(unicodedata.normalize("NFC", phrase)).split()
    if not ws:
        raise ValueError(f"nothing to search for in {phrase!r}: type a word")
    body = " ".join(_word_pattern(w) for w in ws)
    return f"^ {body} $" if whole else f" {body} "


def terms(typed: str) -> list[str]:
    """What must be found: ``"bao cao" ke`` → ``['bao cao', 'ke']``; ``bao cao`` (no quotes) → ``['bao cao']``."""
    if '"' not in typed:
        return [typed] if words(typed) else []
    parts = typed.split('"')
    found = []
    for i, part in enumerate(parts):
        if i % 2:  # inside quotes (an unclosed quote runs to the end)
            found += [part] if words(part) else []
        else:
            found += words(part).split()
    return found


def has(text: str | None, pat: str) -> bool:
    """``vn_has`` in Python: the pattern is found in the text's words."""
    return regex.search(pat, f" {words(text)} ") is not None
