"""The issuing body: from the header's name block, or inferred from the body when the header is missing.

A text that lost its header (a copy pasted into a website, the two seed documents)
still names its issuer: ``Văn phòng UBND tỉnh thông báo …``, ``UBND tỉnh ban hành Kế
hoạch …``. The level (``tỉnh``) is completed with the place of issue or with the
province the text keeps naming; nothing is returned when that is ambiguous.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import regex

from pipeline.parse.header import Header
from pipeline.parse.patterns import fold_same_length

_SELF_REFERENCE = regex.compile(
    r"(?<!(?:của|do|với|gửi|mưu|trình|cho)[ \t]+)(?P<body>(?:Văn phòng[ \t]+)?(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Hội đồng nhân dân)[ \t]+"
    r"(?P<level>tỉnh|thành phố|huyện|quận|thị xã|xã|phường)(?P<name>(?:[ \t]+\p{Lu}\p{Ll}*){0,4})"
    r"|(?:Bộ|Sở|Tổng cục|Cục)(?:[ \t]+(?:\p{Lu}\p{Ll}*|và)){1,6}|Văn phòng Chính phủ|Chính phủ|Thủ tướng Chính phủ)"
    r"[ \t]+(?:ban hành|thông báo|yêu cầu|đề nghị|chỉ đạo|hướng dẫn|trân trọng|báo cáo|giao)(?![\p{L}])"
)
# Where a `_SELF_REFERENCE` match may start: each alternative of its case-sensitive `body` opens with
# one of these. ``re`` finds them in C; the pattern, opening with a lookbehind, is tried at every position.
_BODY_START = re.compile("Văn phòng|UBND|Ủy ban|Uỷ ban|HĐND|Hội đồng|Bộ|Sở|Tổng cục|Cục|Chính phủ|Thủ tướng")
_PROVINCE_MENTION = regex.compile(r"(?<![\p{L}])(?:tỉnh|thành phố)[ \t]+(\p{Lu}\p{Ll}*(?:[ \t]+\p{Lu}\p{Ll}*){0,3})")


def _dominant_place(text: str) -> str | None:
    counts = Counter(m.group(1) for m in _PROVINCE_MENTION.finditer(text))
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2) + [(None, 0)]
    return best if n > (rest[0][1] if rest else 0) else None


def _self_references(text: str) -> Iterator[regex.Match]:
    """``_SELF_REFERENCE.finditer(text)``, the pattern tried only where a body's name starts (no two of
    the words above overlap, so their matches, one after another, miss no start)."""
    end = 0
    for start in _BODY_START.finditer(text):
        if start.start() >= end and (m := _SELF_REFERENCE.match(text, start.start())):
            end = m.end()
            yield m


def _opens_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].rstrip(" \t*")
    return not before or before[-1] in "\n.:"


def infer_issuer(text: str, place: str | None) -> str | None:
    """The issuer a headerless text names itself by, completed with its place; None when unsure."""
    from pipeline.parse.agencies import canonical_agency

    # A sentence that opens with the body (`Văn phòng UBND tỉnh thông báo …`) is the surest,
    # else the first mention; the scan stops at the first that opens a sentence.
    m = None
    for f in _self_references(text):
        m = m or f
        if _opens_sentence(text, f.start()):
            m = f
            break
    if m is None:
        return None
    body = " ".join(m.group("body").split())
    if m.group("level") and not (m.group("name") or "").strip():
        where = place or _dominant_place(text)
        if not where:
            return None
        body = f"{body} {where}"
    return canonical_agency(body)


def find_issuer(text: str, header: Header) -> str | None:
    """The issuer per ANNOTATION.md: the header's name block, else what the body says."""
    from pipeline.parse.agencies import issuer_name

    if header.issuer_lines:
        name = issuer_name(header.issuer_lines)
        if name:
            return _misread_symbol_body(name, header.doc_symbol) or name
    return infer_issuer(text, header.place) or issuer_from_symbol(header.doc_symbol)


def _misread_symbol_body(name: str, symbol: str | None) -> str | None:
    """The body the symbol names, when the header's name is no known body but that one misread by OCR:
    ``BỘ GIÁO mg. VÀ ĐÀO TẠO`` beside ``QĐ-BGDĐT`` is Bộ Giáo dục và Đào tạo. All but one of the
    body's words (three or more) must stand in the printed name, in any case and without diacritics."""
    from pipeline.parse.agencies import is_known_agency

    if is_known_agency(name) or not (body := issuer_from_symbol(symbol)):
        return None
    want = fold_same_length(body).split()
    have = set(fold_same_length(name).split())
    return body if len(want) >= 3 and sum(w in have for w in want) >= len(want) - 1 and len(have) <= len(want) + 1 else None


def issuer_from_symbol(symbol: str | None) -> str | None:
    """The issuer a symbol names when the header lost its name block: ``QĐ-BYT`` → Bộ Y tế.

    Only codes that name one body on their own (a ministry, the Government, its Office);
    ``UBND`` says which kind of body but not where, so it gives nothing.
    """
    from pipeline.parse.agencies import canonical_agency

    if not symbol:
        return None
    code = symbol.replace("/", "-").split("-")[-1]
    if not code or code.upper() == code.lower():
        return None
    name = canonical_agency(code)
    return name if name != code and name.startswith(("Bộ ", "Chính phủ", "Thủ tướng", "Văn phòng Chính phủ")) else None
