"""Repairs of Tesseract's usual misreadings, where the context says what was printed.

Only confusions seen again and again on Vietnamese administrative scans, each bound to a
context where the reading is not in doubt: ``Đ`` read twice as ``ĐÐ`` (two code points),
the ``Số:`` label read as ``Só``, ``$6:`` or ``Sô`` before a number and symbol, and the
digits of a ``ngày … tháng … năm`` date read as ``l``, ``I``, ``]`` or ``O``, or run into
the words around them; the ``Đ`` of a symbol's code read as ``D`` (``QĐ-BGDDT``), put back where
only the ``Đ`` spelling is a code Nghị định 30 or an issuer uses. Then the commonest error of all, wrong or missing diacritics on a
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
    rf"(?i)\b(ngày)[ \t]*({_DIGITISH})[ \t]*(t?h[áàaoóả]ng)[ \t]*({_DIGITISH})[ \t]*(năm)[ \t]*(\d{{4}})"
)
TO_DIGIT = _TO_DIGIT = str.maketrans({"l": "1", "I": "1", "|": "1", "]": "1", "[": "1", "!": "1", "o": "0", "O": "0"})
_PLACE_DOT = regex.compile(r"(\p{L})\.[ \t]*(?=ngày\b|ngày[ \t]*\d)")


def fix_word(word: str) -> str:
    """One OCR word with Tesseract's doubled ``Đ`` made single."""
    return _DOUBLE_D.sub("Đ", word) if "Ð" in word else word


def _date(m: regex.Match) -> str:
    day, month = m.group(2).translate(_TO_DIGIT), m.group(4).translate(_TO_DIGIT)
    if not (day.isdigit() and month.isdigit()):
        return m.group(0)
    word = m.group(3) if m.group(3).lower() == "tháng" else "tháng"  # ``thóng``, ``háng``: the month's word misread
    return f"{m.group(1)} {day} {word} {month} {m.group(5)} {m.group(6)}"


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


# A number and symbol: the codes after the number (``2344/QĐ-BGDĐT``, ``37/2025/NĐ-CP``).
_SYMBOL = regex.compile(r"(?<=\b\d{1,5}/(?:\d{4}/)?)[\p{Lu}\p{Ll}]{1,12}(?:-[\p{Lu}\p{Ll}\d]{1,12}){0,4}")


@functools.cache
def _codes() -> frozenset[str]:
    """Every code a symbol may carry: the type codes of Nghị định 30 and the issuer codes, from rules/."""
    data = rules.load("doc_types")
    return frozenset(data["issuer_codes"]) | {c for entry in data["type"] for c in entry.get("codes", [])}


def _code(part: str) -> str:
    """``BGDDT`` → ``BGDĐT`` when only a spelling with Đ for D is a known code; else as read."""
    codes = _codes()
    if part in codes or "D" not in part:
        return part
    spots = [i for i, ch in enumerate(part) if ch == "D"]
    found = set()
    for mask in range(1, 1 << min(len(spots), 4)):
        chars = list(part)
        for k, i in enumerate(spots[:4]):
            if mask >> k & 1:
                chars[i] = "Đ"
        if (cand := "".join(chars)) in codes:
            found.add(cand)
    return found.pop() if len(found) == 1 else part


def _symbol(m: regex.Match) -> str:
    return "-".join(_code(part) for part in m.group(0).split("-"))


def fix_symbols(line: str) -> str:
    """The ``Đ`` OCR read as ``D`` in the codes of a document symbol put back: ``1766/QĐ-BGDDT`` →
    ``1766/QĐ-BGDĐT``, ``08/2014/ND-CP`` → ``08/2014/NĐ-CP``; and the misread characters of a number
    (``fix_numbers``)."""
    return _SYMBOL.sub(_symbol, fix_numbers(line)) if "/" in line else line


# What Tesseract makes of a document number, each only where the number's shape leaves no doubt:
# `§` for an `8` between digits (`12§4/QĐ`), a fraction slash doubling the slash (`973⁄/QĐ`), the
# `Q` of a National Assembly term read as `O` or `0` after the year (`34/2018/OH14`), and a number
# cut in two after `số` (`số 1 18/2025/NĐ-CP`: `số` names one number).
_SECTION_EIGHT = regex.compile(r"(?<=\d)§(?=\d{0,4}/)")
_FRACTION_SLASH = regex.compile(r"(?<=\d)⁄(?=/)")
_TERM = regex.compile(r"(?<=\d{4}/(?:UBTV)?)[O0](?=H\d{1,2}(?![\p{L}\d]))")
_SPLIT_NUMBER = regex.compile(r"(?<=(?<![\p{L}])[Ss]ố[ \t]{1,3})(\d{1,2})[ \t](?=\d{1,4}/(?:\d{4}/)?\p{Lu})")


def fix_numbers(line: str) -> str:
    """A document number as printed where OCR misread one of its characters (see above)."""
    if "§" in line:
        line = _SECTION_EIGHT.sub("8", line)
    if "⁄" in line:
        line = _FRACTION_SLASH.sub("", line)
    return _SPLIT_NUMBER.sub(r"\1", _TERM.sub("Q", line))


# ``Nơi nhận:`` as OCR leaves it under a seal, folded: ``Nơi nhà`` / ``nhận:`` on two lines, ``Noi nhan``.
_LABEL_HEAD = regex.compile(r"\W{0,3}n?[oơô]i\s*nh[aàâậ]n?\s*[:;.]?\s*")
_LABEL_TAIL = regex.compile(r"\W{0,2}nh[aâậ]n\s*[:;.]\s*")
_BULLET = regex.compile(r"[-–_+•*]\s")


def fix_labels(paragraphs: list[str]) -> list[str]:
    """The ``Nơi nhận:`` label put back when OCR broke it (``Nơi nhà`` then ``nhận:``) or lost its marks,
    where the recipient list (a line opening with a dash) follows: the parser finds recipients by it."""
    return [p for _, p in labels_fixed(paragraphs)]


def labels_fixed(paragraphs: list[str]) -> list[tuple[int, str]]:
    """``fix_labels``, each paragraph with the index of the one it came from (a broken label's two
    lines become one)."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(paragraphs):
        p = paragraphs[i]
        tail = i + 1 < len(paragraphs) and _LABEL_TAIL.fullmatch(paragraphs[i + 1].lower())
        nxt = paragraphs[i + 2 if tail else i + 1] if i + (2 if tail else 1) < len(paragraphs) else ""
        if p != "Nơi nhận:" and _LABEL_HEAD.fullmatch(p.lower()) and _BULLET.match(nxt):
            out.append((i, "Nơi nhận:"))
            i += 2 if tail else 1
            continue
        out.append((i, p))
        i += 1
    return out


def fix_diacritics(line: str) -> str:
    """One OCR line (a paragraph) with the diacritics its neighbours contradict put right:
    ``tô chức`` → ``tổ chức``, ``Quyêt định`` → ``Quyết định``; anything in doubt left as read."""
    return correct(line)


_LOW_DASH = regex.compile(r"^_(?=[ \t]+\S)")  # a list dash read as an underscore


def fix_line(line: str) -> str:
    """One OCR line with the ``Số:`` label, list dashes, ``ngày … tháng … năm`` dates, type names and
    diacritics repaired."""
    line = _title(_NUMBER_LABEL.sub("Số: ", _LOW_DASH.sub("-", line)))
    if "ngày" in line.lower():
        line = _DATE.sub(_date, line)
        line = _PLACE_DOT.sub(r"\1, ", line)
    return fix_diacritics(fix_symbols(line))
