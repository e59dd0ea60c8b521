"""Document numbers and symbols: one normal form for the document's own number and for citations.

``Số: 4222 /TCT -PC`` and ``4222/TCT-PC`` are the same number; so are ``NÐ-CP`` (U+00D0)
and ``NĐ-CP``, ``QD-TCT`` (OCR lost the stroke) and ``QĐ-TCT``, ``QĐUBND`` and ``QĐ-UBND``.
"""

from __future__ import annotations

import functools

import regex

from pipeline import rules
from pipeline.parse import doctype
from pipeline.pattern_cache import compiled

# Type codes that OCR or ASCII typing print without their Đ.
_ASCII_CODES = {"QD": "QĐ", "ND": "NĐ"}
_SPACES = compiled(r"\s+")
_SYMBOL_PARTS = compiled(r"([^-/]*)([-/]?)(.*)", regex.DOTALL)
_NUMBER_PARTS = compiled(r"(\d+(?:\.\d+)?)(?:/((?:19|20)\d\d))?([-/])(.+)")


@functools.cache
def _issuer_codes() -> frozenset[str]:
    return frozenset(rules.load("doc_types").get("issuer_codes", []))


def normalize_symbol(symbol: str) -> str:
    """Spaces out, dashes unified, ASCII type codes repaired, a lost hyphen restored."""
    sym = _SPACES.sub("", symbol).replace("–", "-").replace("—", "-").replace("Ð", "Đ")
    head, sep, rest = _split_head(sym)
    if head in _ASCII_CODES and sep:
        head = _ASCII_CODES[head]
    if not sep:
        # QĐUBND → QĐ-UBND, only when both halves are known codes
        for code in sorted(_type_codes(), key=len, reverse=True):
            if head.startswith(code) and head[len(code):] in _issuer_codes():
                return f"{code}-{head[len(code):]}"
        return head
    return f"{head}{sep}{rest}"


def _split_head(sym: str) -> tuple[str, str, str]:
    m = _SYMBOL_PARTS.match(sym)
    return m.group(1), m.group(2), m.group(3)


def is_issuer_code(symbol: str) -> bool:
    """Whether a symbol's first code is an issuer's (``UBND-VP``, ``BNV-TCPCP``)."""
    head = regex.split(r"[-/]", symbol, maxsplit=1)[0]
    return head in _issuer_codes()


@functools.cache
def _type_codes() -> frozenset[str]:
    return frozenset(c for e in rules.load("doc_types")["type"] for c in e.get("codes", []) if len(c) >= 2)


def format_number(num: str | None, year: str | None, sep: str, symbol: str) -> str | None:
    """The full number as printed, normalized: ``249/2025/NĐ-CP``, ``1056/QĐ-CT``, ``61-CP``, ``119-KH/TU``.

    None when the numeral is blank (``Số: /VP-KT``): the symbol alone is no number.
    """
    if not num:
        return None
    num = num.replace(",", ".")
    sep = "-" if sep in "-–" else "/"
    if year and doctype.is_normative_code(doctype.type_code(symbol)):
        return f"{num}/{year}/{symbol.replace('/', '-')}"  # a normative symbol has no slash: TTLT/BTP is a typo
    if year:
        return f"{num}/{year}/{symbol}"  # as printed: `1213/2010/HDLN/STC-SCT`
    return f"{num}{sep}{symbol}"


@functools.lru_cache(maxsize=4096)  # pure; a document cites the same numbers again and again
def normalize_number(text: str) -> str:
    """Normalize a number written anywhere (``4222 /TCT -PC`` → ``4222/TCT-PC``)."""
    text = _SPACES.sub("", text).replace("–", "-").replace("—", "-")
    m = _NUMBER_PARTS.match(text)
    if not m:
        return text
    return format_number(m.group(1), m.group(2), m.group(3), normalize_symbol(m.group(4))) or text
