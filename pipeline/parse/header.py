"""Header fields: number and symbol, type, issuer, place and date, subject.

The header is the text before the body starts (``Căn cứ``, ``Kính gửi``, ``Điều 1``…).
It comes in three shapes, all handled by the same patterns: one element per line
(vbpl.vn), flattened onto one or two lines by a website (thuvienphapluat), and two
columns merged line by line (OCR, pdfplumber). Positions, not line order, decide:
the issuer is what stands left of the national motto, the type name follows the
number or the date, the subject follows the type name or ``V/v``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from pipeline.parse import doctype, numbers
from pipeline.parse.patterns import fold_same_length, get, search_anchored, upper_ratio

_LETTER = regex.compile(r"\p{L}")
_LOWER = regex.compile(r"\p{Ll}")
_TWO_LOWER = regex.compile(r"\p{Ll}{2}")
_EDITORIAL = regex.compile(r"\[[^\[\]\n]{0,1500}\]")  # editorial notes of websites
# `Về việc` as OCR also reads it (`Và việc`, `Vê viêc`): no subject opens with those words otherwise.
_VV = regex.compile(r"^(?:V/v|V/V|Vv|(?i:v[ềểêeàảaạệ][ \t]+vi[ệêeẹ]c))[ :.]+")
_OLD_STYLE_HEAD = regex.compile(r"^CỦA\s.{0,80}?\sSỐ\s\S+\sNGÀY\s.{0,40}?NĂM\s\d{4}\s+")
_HANGING_CAPS = regex.compile(r"(?:CỦA|VÀ|VỀ)$")
_NEXT_WORD = regex.compile(r"\s*(\S+)")
_LOWER_OR_DIGIT = regex.compile(r"[\p{Ll}\d]")
_HANGING = regex.compile(r"(?:,|\bcủa|\bvà|\bvề)$")

HEADER_LIMIT = 5000

_NUMBER = None  # compiled lazily: label + number


def _number_re() -> regex.Pattern:
    global _NUMBER
    if _NUMBER is None:
        label = get("header", "number_label").pattern
        number = get("header", "doc_number").pattern
        _NUMBER = regex.compile(
            rf"(?P<label>(?i:{label}))[ \t]{{0,20}}\n?[ \t]{{0,20}}{number}", regex.VERSION1 | regex.MULTILINE
        )
    return _NUMBER


@dataclass
class Header:
    doc_type: str | None = None
    doc_number: str | None = None
    doc_symbol: str | None = None
    issuer_lines: list[str] | None = None
    place: str | None = None
    issue_date: str | None = None
    issue_year: int | None = None
    issue_month: int | None = None
    subject: str | None = None
    number_span: tuple[int, int] | None = None
    end: int = 0  # where the header ends and the body starts


def header_end(text: str) -> int:
    """Offset where the body starts: the first ``Căn cứ``/``Kính gửi``/``Điều 1`` line, at most HEADER_LIMIT."""
    m = get("header", "body_start").search(text, 0, min(len(text), HEADER_LIMIT))
    return m.start() if m else min(len(text), HEADER_LIMIT)


def find_number(text: str, end: int) -> regex.Match | None:
    """The document's own ``Số:`` line in the header."""
    return _number_re().search(text, 0, end)


def _LINE_NUMBER_FALLBACK(text: str) -> regex.Match | None:
    """A ``Số:`` that starts a line anywhere (a consolidated text prints its number at the end)."""
    for m in _number_re().finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.group("label").startswith("Số") and not text[line_start : m.start()].strip():
            return m
    return None


def parse_date(d: str | None, m: str | None, y: str | None) -> tuple[str | None, int | None, int | None]:
    """(ISO or partial date, year, month) from the three parts; blank parts give a partial date."""
    year = int(y) if y and y.isdigit() else None
    month = int(m) if m and m.strip().isdigit() else None
    day = int(d) if d and d.strip().isdigit() else None
    if year is None:
        return None, None, None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}", year, None
    if day is not None:
        try:
            return dt.date(year, month, day).isoformat(), year, month
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}", year, month


def find_place_date(text: str, end: int) -> regex.Match | None:
    """The ``‹place›, ngày … tháng … năm …`` line: in the header, else anywhere (laws print it late)."""
    return get("header", "place_date").search(text, 0, end) or search_anchored("header", "place_date", text)


def _issuer_lines(text: str, stop: int) -> list[str]:
    """Capitalised lines left of the national motto, before the number line: the issuing body."""
    motto = get("header", "motto")
    rule = get("header", "rule_line")
    lines: list[str] = []
    for line in text[:stop].split("\n"):
        folded = fold_same_length(line)
        m = motto.search(folded)
        if m:
            line = line[: m.start()]
        line = rule.sub(" ", line).replace("|", " ")
        line = " ".join(line.split()).strip(" -–—:;,.")
        if len(_LETTER.findall(line)) < 2 or upper_ratio(line) < 0.75:
            if lines and m is None and line:
                break  # a lower-case line after the name block ends it
            continue
        if get("header", "number_label").match(line):
            break
        lines.append(line)
    return lines


_AUTHORITY = regex.compile(
    r"\s(?:(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG|GIÁM ĐỐC|THỐNG ĐỐC|CHÁNH ÁN|VIỆN TRƯỞNG"
    r"|TỔNG KIỂM TOÁN|TỔNG THANH TRA)(?:\s(?:BỘ|ỦY BAN|UỶ BAN|NGÂN HÀNG|TÒA ÁN|VIỆN|KIỂM TOÁN|THANH TRA|TỔNG CỤC|CỤC|SỞ)"
    r"[^\p{Ll}]{0,60})?|HỘI ĐỒNG THẨM PHÁN[^\p{Ll}]{0,60}|(?:ỦY|UỶ) BAN THƯỜNG VỤ QUỐC HỘI|CHÍNH PHỦ|QUỐC HỘI(?: NƯỚC CỘNG HO[ÀA] XÃ HỘI CHỦ NGHĨA VIỆT NAM)?"
    r"|(?:ỦY|UỶ) BAN NHÂN DÂN(?:\s(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)(?:\s\p{Lu}+){0,4})?)$"
)


def _flattened_cut(s: str) -> str:
    """A website flattened the header: the capitalised subject runs into the next normal-case text."""
    tokens = s.split(" ")
    if len(tokens) < 2 or upper_ratio(" ".join(tokens[:3])) < 0.95:
        return s
    for i in range(1, len(tokens) - 1):
        if _LOWER.search(tokens[i]) and _TWO_LOWER.search(tokens[i + 1]):
            return " ".join(tokens[:i])
    return s


def _clean_subject(s: str, issuer_lines: list[str], flattened: bool) -> str | None:
    s = _EDITORIAL.sub(" ", s)  # editorial notes of websites
    s = " ".join(s.split())
    s = _VV.sub("", s)
    # Old style: "NGHỊ ĐỊNH CỦA CHÍNH PHỦ SỐ 61-CP NGÀY 05 THÁNG 7 NĂM 1994 VỀ …"
    s = _OLD_STYLE_HEAD.sub("", s)
    if flattened or upper_ratio(s) > 0.95:
        if flattened:
            s = _flattened_cut(s)
        # The enacting authority closes a flattened subject: "… CHỦ TỊCH UỶ BAN NHÂN DÂN TỈNH".
        for line in issuer_lines:
            key = fold_same_length(line)
            if key and fold_same_length(s).endswith(" " + key):
                s = s[: len(s) - len(key)].rstrip()
        m = _AUTHORITY.search(s)
        if m and upper_ratio(s[: m.start()]) > 0.9 and not _HANGING_CAPS.search(s[: m.start()]):
            s = s[: m.start()]
    s = s.strip(" .;:-–")
    return s or None


def _continues(last: str, text: str, pos: int, stop: int) -> bool:
    """A subject wrapped over a blank line: the next line starts in lower case or the last one hangs."""
    m = _NEXT_WORD.match(text, pos, stop)
    if not m:
        return False
    nxt = m.group(1)
    line_end = text.find("\n", m.start(1))
    line = text[m.start(1) : stop if line_end < 0 else min(line_end, stop)].strip()
    if get("header", "body_start").match(line) or _is_authority(line):
        return False
    if _LOWER_OR_DIGIT.match(nxt) or _HANGING.search(last):
        return True
    return upper_ratio(last) > 0.95 and upper_ratio(line) > 0.95


def _is_authority(line: str) -> bool:
    """A line that is only the enacting authority (``CHÍNH PHỦ``, ``BỘ TRƯỞNG BỘ Y TẾ``)."""
    m = _AUTHORITY.search(" " + line)
    return bool(m) and m.start() == 0


def _collect_lines(text: str, start: int, stop: int) -> str:
    """The rest of the line at ``start`` and the lines after it, up to a blank line or a new header element."""
    place_date = get("header", "place_date")
    body = get("header", "body_start")
    label = get("header", "number_label")
    out: list[str] = []
    pos = start
    first = True
    while pos < stop:
        nl = text.find("\n", pos, stop)
        line_end = stop if nl < 0 else nl
        line = text[pos:line_end].strip()
        if not line:
            if out and not _continues(out[-1], text, line_end + 1, stop):
                break
        elif not first and (
            body.match(line) or place_date.match(line) or label.match(line) or get("header", "rule_line").fullmatch(line)
        ):
            break
        elif not first and out and upper_ratio(line) > 0.9 and upper_ratio(" ".join(out)) < 0.6:
            break  # a capitalised authority line after a normal-case subject
        else:
            rule = get("header", "rule_line").search(line)
            if rule and rule.start() > 0:
                out.append(line[: rule.start()])
                break
            if not get("header", "rule_line").fullmatch(line):
                out.append(line)
        first = False
        pos = line_end + 1
    return " ".join(out)


def parse_header(text: str) -> Header:
    """All header fields of a normalized text. Missing fields stay None."""
    h = Header()
    end = header_end(text)
    h.end = end

    num = find_number(text, end) or _LINE_NUMBER_FALLBACK(text)
    if num:
        h.number_span = num.span()
        h.doc_symbol = numbers.normalize_symbol(num.group("sym"))
        h.doc_number = numbers.format_number(num.group("num"), num.group("year"), num.group("sep"), h.doc_symbol)

    pd = find_place_date(text, end)
    if pd:
        h.place = " ".join(pd.group("place").split())
        h.issue_date, h.issue_year, h.issue_month = parse_date(pd.group("d"), pd.group("m"), pd.group("y"))

    # The type name follows the number and the date; without them it must start a line.
    anchor = max(num.end() if num and num.start() < end else 0, pd.end() if pd and pd.start() < end else 0)
    title = None
    for m in doctype.title_pattern().finditer(text, anchor, max(end, anchor)):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()].strip()
        if anchor or not before:
            title = m
            break

    stops = [x for x in (num.start() if num else None, pd.start() if pd and pd.start() < end else None) if x is not None]
    if title:
        stops.append(title.start())
    h.issuer_lines = _issuer_lines(text, min(stops) if stops else end)

    symbol_type = doctype.type_from_symbol(h.doc_symbol)
    vv = get("header", "vv").search(text, 0, end)
    if title:
        h.doc_type = doctype.type_from_title(title.group(0))
        if symbol_type == "Văn bản hợp nhất":
            h.doc_type = symbol_type
        rest = text[title.end() : text.find("\n", title.end()) % (len(text) + 1)].strip()
        h.subject = _clean_subject(_collect_lines(text, title.end(), end), h.issuer_lines, flattened=bool(rest))
    else:
        h.doc_type = symbol_type or (doctype.CONG_VAN if vv else None)
    if vv and (not title or not h.subject or h.doc_type == doctype.CONG_VAN):
        h.subject = _clean_subject(_collect_lines(text, vv.end(), end), h.issuer_lines, flattened=False) or h.subject
        if h.doc_type is None:
            h.doc_type = doctype.CONG_VAN
    return h
