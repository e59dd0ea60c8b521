"""Repairs of Tesseract's usual misreadings, where the context says what was printed.

Only confusions seen again and again on Vietnamese administrative scans, each bound to a
context where the reading is not in doubt: ``Đ`` read twice as ``ĐÐ`` (two code points),
the ``Số:`` label read as ``Só``, ``$6:`` or ``Sô`` before a number and symbol, and the
digits of a ``ngày … tháng … năm`` date read as ``l``, ``I``, ``]`` or ``O``, or run into
the words around them. Then the commonest error of all, wrong or missing diacritics on a
syllable whose letters are right (``tô chức``, ``phát triên``), is undone where the lexicon
of clean text says so (``ocr_lexicon``).
"""

from __future__ import annotations

import functools

import regex

from pipeline import rules
from pipeline.ingest.ocr_lexicon import correct
from pipeline.normalize import fold

_DOUBLE_D = regex.compile("ĐÐ|ÐĐ|ÐÐ")
# ``Số:`` misread at the start of a line, before ``<digits> / <CAPITALS>``.
_NUMBER_LABEL = regex.compile(r"^[S$][ốốóòỏõọôồổỗộo06][:;.,]?[ \t]*(?=\d[\d \t]*/[ \t]*\p{Lu})")
_DIGITISH = r"[\dlI|\]\[!oO]{1,4}"
_DATE = regex.compile(
    rf"(?i)\b(ngày)[ \t]*({_DIGITISH})[ \t]*(tháng)[ \t]*({_DIGITISH})[ \t]*(năm)[ \t]*(\d{{4}})"
)
_TO_DIGIT = str.maketrans({"l": "1", "I": "1", "|": "1", "]": "1", "[": "1", "!": "1", "o": "0", "O": "0"})
_PLACE_DOT = regex.compile(r"(\p{L})\.[ \t]*(?=ngày\b|ngày[ \t]*\d)")


def fix_word(word: str) -> str:
    """One OCR word with Tesseract's doubled ``Đ`` made single."""
    return _DOUBLE_D.sub("Đ", word) if "Ð" in word else word


def _date(m: regex.Match) -> str:
    day, month = m.group(2).translate(_TO_DIGIT), m.group(4).translate(_TO_DIGIT)
    if not (day.isdigit() and month.isdigit()):
        return m.group(0)
    return f"{m.group(1)} {day} {m.group(3)} {month} {m.group(5)} {m.group(6)}"


@functools.cache
def _titles() -> dict[str, str]:
    """Folded type name → the name in capitals as printed (``quyet dinh`` → ``QUYẾT ĐỊNH``)."""
    return {fold(t): t for entry in rules.load("doc_types")["type"] for t in entry.get("title", []) if t.isupper()}


def _title(line: str) -> str:
    core = line.strip().rstrip(":. ")
    if core and core.isupper() and len(core) <= 40:
        title = _titles().get(fold(core))
        if title and title != core:
            return line.replace(core, title, 1)
    return line


def fix_diacritics(line: str) -> str:
    """One OCR line (a paragraph) with the diacritics its neighbours contradict put right:
    ``tô chức`` → ``tổ chức``, ``Quyêt định`` → ``Quyết định``; anything in doubt left as read."""
    return correct(line)


def fix_line(line: str) -> str:
    """One OCR line with the ``Số:`` label, ``ngày … tháng … năm`` dates, type names and diacritics repaired."""
    line = _title(_NUMBER_LABEL.sub("Số: ", line))
    if "ngày" in line.lower():
        line = _DATE.sub(_date, line)
        line = _PLACE_DOT.sub(r"\1, ", line)
    return fix_diacritics(line)
