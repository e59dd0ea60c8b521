"""Document types: from the printed type name (``QUYẾT ĐỊNH``) or from the code in the symbol (``QĐ-UBND``).

The codes are data (``rules/doc_types.toml``, Nghị định 30/2020/NĐ-CP Phụ lục III) and
case-sensitive: ``QyĐ`` is a Quy định, ``QĐ`` a Quyết định, ``CTr`` a Chương trình.
"""

from __future__ import annotations

import functools

import regex

from pipeline import rules
from pipeline.pattern_cache import compiled

_SLOT_SEPARATOR = compiled(r"[-/]")
CONG_VAN = "Công văn"


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str], regex.Pattern]:
    code_to_type: dict[str, str] = {}
    title_to_type: dict[str, str] = {}
    for entry in rules.load("doc_types")["type"]:
        for code in entry.get("codes", []):
            code_to_type[code] = entry["name"]
        for title in entry.get("title", []):
            title_to_type[title] = entry["name"]
    titles = sorted(title_to_type, key=len, reverse=True)
    alternatives = "|".join(regex.escape(t).replace(r"\ ", r"[ \t]{1,3}") for t in titles)
    title_re = compiled(rf"(?<![\p{{L}}])(?:{alternatives})(?![\p{{L}}])", regex.VERSION1)
    return code_to_type, title_to_type, title_re


def title_pattern() -> regex.Pattern:
    """Type names as printed in capitals, longest first (``THÔNG TƯ LIÊN TỊCH`` before ``THÔNG TƯ``)."""
    return _tables()[2]


def type_from_title(title: str) -> str | None:
    """``QUYẾT ĐỊNH`` → ``Quyết định``."""
    return _tables()[1].get(" ".join(title.split()))


def type_code(symbol: str) -> str | None:
    """The type slot of a symbol: ``QĐ`` of ``QĐ-UBND``, ``KH`` of ``KH/TU``; None when the slot is no known code."""
    first = _SLOT_SEPARATOR.split(symbol, maxsplit=1)[0]
    return first if first in _tables()[0] else None


def type_from_symbol(symbol: str | None) -> str | None:
    """The type a symbol implies: a known code gives its type, a hyphenated symbol without one is a Công văn."""
    if not symbol:
        return None
    code = type_code(symbol)
    if code:
        return _tables()[0][code]
    if _SLOT_SEPARATOR.search(symbol):
        return CONG_VAN
    return None


def is_normative_code(code: str | None) -> bool:
    """Normative types carry the year in their number (32/2024/NĐ-CP)."""
    if not code:
        return False
    name = _tables()[0].get(code)
    return any(e["name"] == name and e.get("normative") for e in rules.load("doc_types")["type"])


def is_normative_type(name: str | None) -> bool:
    """Legal normative types (Luật, Nghị định, Thông tư, …): their articles regulate rather than assign."""
    return bool(name) and any(e["name"] == name and e.get("normative") for e in rules.load("doc_types")["type"])
