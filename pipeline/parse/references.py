"""Cited documents: every other document the text names by number, once per distinct number.

A number is found by its shape (``32/2024/NĐ-CP``, ``543/SCT-QLCN``, ``37-CT/TW``,
``299/TTg`` after a type name); its type, date and issuer are read from the words
around it (``Nghị định số … ngày 15/3/2024 của Chính phủ``). Website editorial notes
in square brackets are not the document's text and are skipped.
"""

from __future__ import annotations

import bisect
import functools

import regex

from pipeline.models import Reference
from pipeline.parse import doctype, numbers
from pipeline import rules
from pipeline.parse.patterns import finditer_anchored, get
from pipeline.pattern_cache import compiled

_BRACKETS = compiled(r"\[[^\[\]]{8,1500}\]")  # a note wrapped over lines is one note
_LAST_DIGIT = compiled(r"\d", regex.REVERSE)  # searched from the end: the last digit


def _by_first_letter(words: list[str]) -> str:
    """``(?i:w1|w2|…)`` written as one alternative per first letter (``T(?:hông tư liên tịch|hông
    tư|ờ trình)``), each word in its place in ``words``: the same matches, but ``regex`` tries a
    letter once per position, not once per word (a third faster on running text)."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0].casefold(), []).append(w)
    alts = [regex.escape(ws[0][0]) + "(?:" + "|".join(regex.escape(w[1:]) for w in ws) + ")" for ws in groups.values()]
    return "(?i:" + "|".join(alts) + ")"





@functools.cache
def _type_words() -> regex.Pattern:
    """The type words of ``rules/doc_types.toml`` (``cited_as``), in their order, case-insensitive."""
    return compiled(_by_first_letter(rules.load("doc_types")["cited_as"]))


def _type_before(text: str, start: int) -> str | None:
    """The type word that introduces a number (``Nghị định số``), with nothing numbered in between.

    ``Văn bản`` (a document of any type) is returned as is: it introduces a number without typing it.
    """
    window = text[max(0, start - 80) : start]
    # Only the part after the window's last digit is read: a type word with a digit after it gives
    # None, and as no type word holds a digit, no match of a scan of the whole window crosses that
    # point: those after it are the ones a scan from there finds.
    digit = _LAST_DIGIT.search(window)
    last = None
    for m in _type_words().finditer(window, digit.end() if digit else 0):
        last = m
    if not last:
        return None
    word = last.group(0)
    if word.lower() == "văn bản":
        return "Văn bản"
    if word.lower() == "bộ luật":
        return "Luật"
    return doctype.type_from_title(word.upper()) or word[:1].upper() + word[1:].lower()


def _iso(d: str, m: str, y: str) -> str | None:
    import datetime as dt

    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether ``pos`` lies in one of ``spans`` (in order, none overlapping; ``starts`` their starts): the
    only span that can hold it is the last one starting at or before it, found by bisection, so a text's
    numbers cost a logarithm each, not a pass over every note."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < spans[i][1]


def find_references(text: str, own_number: str | None = None) -> list[Reference]:
    """Distinct cited numbers in document order, with type, date and issuer when the text gives them."""
    from pipeline.parse.agencies import canonical_agency  # lazy: agencies loads its rules on first use

    notes = [m.span() for m in _BRACKETS.finditer(text)]  # in text order, none overlapping another
    note_starts = [a for a, _ in notes]
    seen: set[str] = set()
    own = numbers.normalize_number(own_number) if own_number else None
    out: list[Reference] = []
    for m in finditer_anchored("references", "number", text):
        if notes and _inside(notes, note_starts, m.start()):
            continue
        raw = m.group(0)
        number = numbers.normalize_number(raw)
        if number == own or number in seen:
            continue  # tested first: the tests below only skip, and reading the type costs most
        before_type = _type_before(text, m.start())
        if m.group("bare") and not before_type:
            continue  # 299/TTg is a number only after a type name
        if get("references", "form_before").search(text, max(0, m.start() - 12), m.start()):
            continue  # "Mẫu số 04/SS-CTĐT" names a form, not a document
        seen.add(number)
        sym = number.split("/", 2)[-1] if number.count("/") else number.split("-", 1)[-1]
        ref_type = before_type if before_type and before_type != "Văn bản" else doctype.type_from_symbol(sym)
        rest = text[m.end() : m.end() + 200]
        date = get("references", "date_after").match(rest)
        ref_date = None
        if date:
            ref_date = _iso(date.group("d") or date.group("d2"), date.group("m") or date.group("m2"), date.group("y") or date.group("y2"))
            rest = rest[date.end() :]
        issuer = get("references", "issuer_after").match(rest)
        ref_issuer = canonical_agency(issuer.group("issuer").strip()) if issuer else None
        out.append(Reference(number, ref_type, ref_date, ref_issuer, raw, m.start(), m.end()))
    return out
