"""Header fields: number and symbol, type, issuer lines, place and date, subject, each with its span.

The header is the text before the body starts (``Căn cứ``, ``Kính gửi``, ``Điều 1``…).
It is read on its flat view (``pipeline.parse.flat``): every run of layout (a wrapped
line, a cell mark, a rule, Markdown) is one character, so the same patterns read a header
printed one element per line, flattened onto one line by a website, cut into table cells,
hard-wrapped mid-phrase, or with its two columns merged line by line by OCR. The national
motto is masked first, so nothing reads across it. Elements are then found in the order
that leaves least doubt:

1. the number (``Số:``) and the place and date line: patterns that hold anywhere;
2. the type name, only where it stands on its own: at a line start or right after the
   number or the date (``VỀ KẾ HOẠCH …`` and ``BAN HÀNH QUY ĐỊNH …`` are subjects, not types);
3. the subject, after the type name, ``V/v`` or a ``Về …`` line, until the printing says
   it ends: capitals that stop, an authority or session line, a body opening, a blank line;
4. the issuer lines: the capitalised lines before those elements, left of the motto.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

import regex

from pipeline.models import Block
from pipeline.parse import doctype, numbers
from pipeline.parse.flat import Flat, flatten
from pipeline.parse.patterns import fold_same_length, get, search_anchored, upper_ratio
from pipeline.pattern_cache import compiled

HEADER_LIMIT = 5000

_LETTER = compiled(r"\p{L}")
_LOWER = compiled(r"\p{Ll}")
_EDITORIAL = compiled(r"\[[^\[\]]{0,1500}\]")  # editorial notes of websites
_TOKEN = compiled(r"\S+")
_NUMBERISH = compiled(r"\d")
_SENTENCE_END = compiled(r"[.!?][ ]+(?=\p{Lu})")  # not `;`: a subject may list laws
_SUBJECT_MAX = 600

_NUMBER = None  # compiled lazily: label + number


def _number_re() -> regex.Pattern:
    global _NUMBER
    if _NUMBER is None:
        label = get("header", "number_label").pattern
        number = get("header", "doc_number").pattern
        _NUMBER = compiled(
            rf"(?P<label>(?i:{label}))[ \t]{{0,20}}\n?[ \t]{{0,20}}{number}", regex.VERSION1 | regex.MULTILINE
        )
    return _NUMBER


@dataclass
class Header:
    """The header's fields and where each was read (source spans; None when not found)."""

    doc_type: str | None = None
    doc_number: str | None = None
    doc_symbol: str | None = None
    issuer_lines: list[str] | None = None
    place: str | None = None
    issue_date: str | None = None
    issue_year: int | None = None
    issue_month: int | None = None
    subject: str | None = None
    authority: str | None = None  # the enacting authority printed under the subject (`ỦY BAN NHÂN DÂN TỈNH X`)
    number_span: tuple[int, int] | None = None
    place_span: tuple[int, int] | None = None
    date_span: tuple[int, int] | None = None
    title_span: tuple[int, int] | None = None
    subject_span: tuple[int, int] | None = None
    issuer_spans: list[tuple[int, int]] = field(default_factory=list)
    end: int = 0  # where the header ends and the body starts


def header_end(text: str) -> int:
    """Offset where the body starts: the first ``Căn cứ``/``Kính gửi``/``Điều 1`` line, at most HEADER_LIMIT."""
    m = get("header", "body_start").search(text, 0, min(len(text), HEADER_LIMIT))
    return m.start() if m else min(len(text), HEADER_LIMIT)


def find_number(text: str, end: int) -> regex.Match | None:
    """The document's own ``Số:`` line in ``text[:end]`` (``text`` may be a flat view)."""
    return _number_re().search(text, 0, end)


def _line_number_fallback(text: str) -> regex.Match | None:
    """A ``Số:`` that starts a line anywhere (a consolidated text prints its number at the end): tried
    only where ``Số`` stands (found by ``str.find``), not at every position of the text."""
    pos = text.find("Số")
    while pos >= 0:
        line_start = text.rfind("\n", 0, pos) + 1
        if not text[line_start:pos].strip() and (m := _number_re().match(text, pos)):
            return m
        pos = text.find("Số", pos + 2)
    return None


_BARE_NUMBER = None


def _bare_number(text: str, end: int) -> regex.Match | None:
    """A number on a header line of its own whose ``Số:`` a stamp covered or OCR lost (``37/TB-VPCP``,
    ``/KH-TCTLNTW-C04``): the whole line is a number whose symbol opens with a known type or issuer code."""
    global _BARE_NUMBER
    if _BARE_NUMBER is None:
        _BARE_NUMBER = compiled(rf"[ \t]*{get('header', 'doc_number').pattern}[ \t]*$", regex.VERSION1)
    pos, n = 0, 0
    while pos < end and n < 25:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        m = _BARE_NUMBER.match(text, pos, line_end)
        if m and m.end() == line_end and (doctype.type_code(m.group("sym")) or numbers.is_issuer_code(m.group("sym"))):
            return m
        pos, n = line_end + 1, n + 1
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


class _View:
    """The header's flat view, the motto masked: what every element is searched in."""

    def __init__(self, text: str, end: int, stamps: list[tuple[int, int]]):
        self.text = text
        self.flat: Flat = flatten(text, 0, end)
        flat = self.flat.text
        # what is masked: the motto (and a party's heading), stamps ingest saw and marks on the paper
        # (KHẨN, DỰ THẢO …) become block breaks; a site's editorial notes become spaces, read past
        masks = [(m.start(), m.end(), "\n") for m in get("header", "motto").finditer(fold_same_length(flat))]
        marks = stamps + [m.span() for m in get("header", "paper_mark").finditer(text, 0, end)]
        marks += [m.span() for m in get("header", "stamp_line").finditer(text, 0, end)]
        for a, b in marks:
            i, j = self.flat.flat_index(a), self.flat.flat_index(b)
            if i < j:
                masks.append((i, min(j, len(flat)), "\n"))
        masks += [(m.start(), m.end(), " ") for m in _EDITORIAL.finditer(flat)]
        pieces, last = [], 0
        for a, b, ch in sorted(masks):
            a = max(a, last)
            if a < b:
                pieces += [flat[last:a], ch * (b - a)]
                last = b
        self.masked = "".join(pieces) + flat[last:] if pieces else flat

    def src(self, i: int) -> int:
        return self.flat.pos(i)

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.flat.span(a, b)

    def at_line_start(self, i: int) -> bool:
        """Whether flat position ``i`` opens a line of the source (only layout before it on its line) or a
        block of the flat view (a cell mark, rule, blank line or the motto just before it)."""
        j = i - 1
        while j >= 0 and self.masked[j] == " " and not self.flat.breaks_at(j):
            j -= 1
        if j < 0 or self.masked[j] == "\n" or self.flat.breaks_at(j):
            return True
        s = self.src(i)
        line_start = self.text.rfind("\n", 0, s) + 1
        return not self.text[line_start:s].strip(" \t|*#>-_")

    def line_end(self, i: int) -> int:
        """The flat position where the source line (or block) holding flat ``i`` ends."""
        nl = self.masked.find("\n", i)
        return min(self.flat.next_break(i), nl if nl >= 0 else len(self.masked))


def _stamps(blocks: tuple[Block, ...]) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in blocks if b.kind == "stamp"]


def parse_header(text: str, blocks: tuple[Block, ...] = ()) -> Header:
    """All header fields of a normalized text (and the blocks ingest saw in it). Missing fields stay None."""
    h = Header()
    h.end = end = header_end(text)
    view = _View(text, end, _stamps(blocks))
    flat = view.masked
    num = _read_number(h, view, text, end)
    pd = _read_place_date(h, view, text)

    anchors = [m.end() for m in (num, pd) if m]
    title = _find_title(view, max(anchors) if anchors else 0, bool(anchors))
    vv = get("header", "vv").search(flat)
    if vv and title and vv.start() > title.start():
        vv = None if _caps_word_run(flat, title.end()) else vv  # `V/V` inside a capitalised subject line
    starts = [m.start() for m in (num, pd, title, vv) if m]
    if num is None and h.number_span and h.number_span[0] < end:
        starts.append(view.flat.flat_index(h.number_span[0]))  # a number on a line of its own
    h.issuer_lines, h.issuer_spans = _issuer_lines(view, min(starts) if starts else len(flat))

    subject = _read_type_and_subject(h, view, num, pd, title, vv)
    if subject:
        a, b, authority = subject
        h.subject = _clean_subject(view.text[slice(*view.span(a, b))], h.issuer_lines)
        h.subject_span = view.span(a, b) if h.subject else None
        h.authority = authority
    return h


def _read_number(h: Header, view: _View, text: str, end: int) -> regex.Match | None:
    """The document's own number: after its label in the header; else a ``Số:`` opening a line anywhere,
    or a number alone on a header line. Returns the header's match (flat view), if that is where it was."""
    num = find_number(view.masked, len(view.masked))
    found = num or _line_number_fallback(text) or _bare_number(text, end)
    if found:
        h.number_span = view.span(*num.span()) if num else found.span()
        h.doc_symbol = numbers.normalize_symbol(found.group("sym"))
        h.doc_number = numbers.format_number(found.group("num"), found.group("year"), found.group("sep"), h.doc_symbol)
    return num


def _read_place_date(h: Header, view: _View, text: str) -> regex.Match | None:
    """The place and date line in the header (flat view), else anywhere in the text (laws print it late)."""
    pd = get("header", "place_date").search(view.masked)
    if pd:
        place_a, place_b = _place_span(view, pd)
        h.place = " ".join(view.text[slice(*view.span(place_a, place_b))].split())
        h.place_span = view.span(place_a, place_b)
        h.date_span = view.span(pd.start("d") if pd.start("d") >= 0 else place_b, pd.end())
        # a day read with marks glued to it (OCR's `ngày .2.L. tháng`) is no sure day: month and year stay
        day = None if pd.group("j1") or pd.group("j2") else pd.group("d")
        h.issue_date, h.issue_year, h.issue_month = parse_date(day, pd.group("m"), pd.group("y"))
        return pd
    late = search_anchored("header", "place_date", text)
    if late:
        h.place = " ".join(late.group("place").split())
        h.place_span = late.span("place")
        h.date_span = (late.end("place"), late.end())
        h.issue_date, h.issue_year, h.issue_month = parse_date(late.group("d"), late.group("m"), late.group("y"))
    return None


def _read_type_and_subject(h: Header, view: _View, num, pd, title, vv) -> tuple[int, int, str | None] | None:
    """The type (from the type name, else the symbol, else a ``V/v``) and the subject's flat span: after the
    type name, after ``V/v``, after the number or date when the site dropped the type line, or a ``về việc``
    line; with the authority line that closed it."""
    symbol_type = doctype.type_from_symbol(h.doc_symbol)
    subject = None
    if title:
        h.title_span = view.span(*title.span())
        h.doc_type = doctype.type_from_title(title.group(0))
        if symbol_type == "Văn bản hợp nhất":
            h.doc_type = symbol_type
        subject = _subject(view, _after_title(view, title))
    else:
        h.doc_type = symbol_type or (doctype.CONG_VAN if vv else None)
    if vv and (not title or not subject or h.doc_type == doctype.CONG_VAN):
        subject = _subject(view, vv.end(), sentence=True) or subject
        h.doc_type = h.doc_type or doctype.CONG_VAN
    if subject or title or vv:
        return subject
    for m in (num, pd):
        subject = subject or (m and _untitled_subject(view, m.end()))
    if subject is None:
        ve = next((m for m in get("header", "ve_viec_line").finditer(view.masked) if view.at_line_start(m.start())), None)
        if ve and (subject := _subject(view, ve.start(), sentence=True)):  # `về việc …` printed in full for `V/v`
            h.doc_type = h.doc_type or doctype.CONG_VAN
    return subject


def _place_span(view: _View, pd: regex.Match) -> tuple[int, int]:
    """The place of a place and date match; a place that runs over a line break keeps only its last
    line when that line is a place of two words or more on its own (``… Luật Đất đai`` / ``Hà Nội, ngày``)
    and its whole when the break cut a name (``Tiền`` / ``Giang, ngày``)."""
    a, b = pd.span("place")
    for i in range(b - 1, a, -1):
        if view.flat.text[i] == " " and view.flat.breaks_at(i):
            if len(view.masked[i + 1 : b].split()) >= 2:
                return i + 1, b
            break
    return a, b


def _find_title(view: _View, anchor: int, anchored: bool) -> regex.Match | None:
    """The type name: after the number and date where there are such, standing on its own."""
    flat = view.masked
    for m in doctype.title_pattern().finditer(flat, anchor):
        if not _stands_alone(view, m, anchor if anchored else None):
            continue
        return m
    return None


def _stands_alone(view: _View, m: regex.Match, anchor: int | None) -> bool:
    """A type name opens its line (or follows the number or date with only layout between) and is followed
    by a break, a colon-less end, or a subject; ``VỀ KẾ HOẠCH`` and ``BAN HÀNH QUY ĐỊNH`` are words of a subject."""
    flat = view.masked
    opens = view.at_line_start(m.start()) or (anchor is not None and not flat[anchor : m.start()].strip())
    if not opens:
        return False
    after = flat[m.end() : m.end() + 2]
    if after.startswith(":"):
        return False  # `QUYẾT ĐỊNH:` opens the articles
    return True


def _after_title(view: _View, title: regex.Match) -> int:
    """Where the subject starts after the type name: past an old-style ``CỦA … SỐ … NGÀY … NĂM …`` or a
    ``CỦA ‹body›`` line, and past capital qualifiers of the type (``BÁO CÁO TÓM TẮT``) when the subject
    below is printed in sentence case."""
    flat, pos = view.masked, title.end()
    rest = flat[pos:].lstrip(" ")
    start = len(flat) - len(rest)
    if m := get("header", "old_style_head").match(rest):
        return start + m.end()
    line_end = _source_line_end(view, start)
    if rest.startswith("CỦA "):
        ve = get("header", "ve_opening").search(flat, start, line_end)
        return ve.start() if ve else line_end
    tail = flat[start:line_end]
    if 0 < len(tail.split()) <= 3 and upper_ratio(tail) > 0.9 and line_end < len(flat):
        nxt = flat[line_end:].lstrip(" \n")
        if nxt and _LOWER.match(nxt[1:2] or "") and not get("header", "body_opening").match(nxt):
            return len(flat) - len(nxt)
    return start


def _source_line_end(view: _View, i: int) -> int:
    """The flat position where the source line holding flat ``i`` ends."""
    return view.line_end(i)


def _caps_word_run(flat: str, pos: int) -> bool:
    words = flat[pos : pos + 80].split()[:3]
    return bool(words) and upper_ratio(" ".join(words)) > 0.9


def _tokens(view: _View, start: int):
    """(start, end) of each flat token from ``start``, with whether a line or cell break precedes it."""
    flat = view.masked
    prev_end = start
    for m in _TOKEN.finditer(flat, start):
        gap = flat[prev_end : m.start()]
        broke = "\n" in gap or (prev_end < m.start() and view.flat.breaks_at(m.start() - 1))
        hard = "\n" in gap
        yield m.start(), m.end(), broke, hard
        prev_end = m.end()


def _is_word_with_lower(tok: str) -> bool:
    """A word printed in lower or mixed case: not a number or symbol (``27/2010/QĐ-TTg``), nor the letter of
    a point (``CÁC ĐIỂM đ, h KHOẢN 1``)."""
    if not _LOWER.search(tok) or _NUMBERISH.search(tok) or sum(c.isupper() for c in tok) >= 2:
        return False
    return len(_LETTER.findall(tok)) > 1


def _subject(view: _View, start: int, sentence: bool = False) -> tuple[int, int, str | None] | None:
    """Flat span of the subject from ``start``, and the authority line that closed it (if one did)."""
    flat = view.masked
    first_words = " ".join(flat[start : start + 200].split()[:3])
    if not first_words:
        return None
    caps = not sentence and upper_ratio(first_words) > 0.9
    out_end = None
    authority = None
    authority_re, hanging = get("header", "authority_line"), get("header", "hanging_end")
    toks: list[tuple[int, int]] = []  # read as far as the subject goes, not the whole header
    for k, (a, b, broke, hard) in enumerate(_tokens(view, start)):
        toks.append((a, b))
        tok = flat[a:b]
        if k and tok[:1].isupper() and (get("header", "kinh_gui").match(flat, a) or get("header", "place_date").match(flat, a)):
            break
        if k:
            prev_text = flat[toks[0][0] : toks[k - 1][1]]
            at_line = broke or hard
            rest = flat[a : a + 120]
            if at_line and authority_re.match(rest) and not hanging.search(prev_text):
                authority = _line_text(view, a)
                break
            if at_line and _new_element(rest):
                break
            if caps:
                if _is_word_with_lower(tok):
                    break
                if hard and not hanging.search(prev_text) and not _continues_caps(flat, a):
                    break
            else:
                if at_line and get("header", "body_opening").match(rest):
                    break
                if authority_re.match(rest) and upper_ratio(" ".join(rest.split()[:2])) > 0.9 and not hanging.search(prev_text):
                    authority = _line_text(view, a)
                    break  # an authority in capitals after a subject in normal case, on the same line
                if hard and not _continues_sentence(prev_text, rest) and not _closing_line(view, a):
                    break
                if at_line and upper_ratio(flat[a:_source_line_end(view, a)]) > 0.9 and len(rest.split()) >= 2 and not hanging.search(prev_text):
                    break
                if _SENTENCE_END.match(flat, toks[k - 1][1] - 1) and b - toks[0][0] > 20:
                    break
        if b - toks[0][0] > _SUBJECT_MAX:
            break
        out_end = b
    if out_end is None:
        return None
    return toks[0][0], out_end, authority


def _new_element(rest: str) -> bool:
    """A number, place and date, ``Kính gửi`` or body line starts here: no subject goes on into it."""
    return bool(
        get("header", "number_label").match(rest)
        and _number_re().match(rest)
        or get("header", "place_date").match(rest)
        or get("header", "body_start").match(rest)
        or rest.startswith(("Kính gửi", "KÍNH GỬI"))
        or get("header", "outline_start").match(rest)
    )


def _continues_caps(flat: str, pos: int) -> bool:
    """A capitalised subject goes on over a cell or blank line when the next words are capitals too."""
    words = flat[pos : pos + 60].split()[:2]
    return bool(words) and upper_ratio(" ".join(words)) > 0.9 and not regex.match(r"\d", words[0])


def _continues_sentence(prev: str, rest: str) -> bool:
    """A sentence-case subject wrapped over a blank line: the next line opens in lower case or the last one hangs."""
    nxt = rest.split(maxsplit=1)[0] if rest.split() else ""
    return bool(nxt) and (bool(regex.match(r"[\p{Ll}\d]", nxt)) or bool(get("header", "hanging_end").search(prev)))


def _line_text(view: _View, a: int) -> str:
    """The authority's words from ``a``: capitals up to a block break or a word in lower case."""
    end = view.masked.find("\n", a)
    words = []
    for w in view.masked[a : end if end >= 0 else len(view.masked)].split():
        if _is_word_with_lower(w) or len(words) >= 16 or (words and get("header", "session_word").match(w)):
            break
        words.append(w)
    return " ".join(words)


def _untitled_subject(view: _View, pos: int) -> tuple[int, int, str | None] | None:
    """A subject the site printed without its type line: capitals (``VỀ KẾ HOẠCH …``) or a ``Về …`` line
    right after the number or the date; or a letter's subject in the left column under its number with no
    ``V/v`` (``Hướng dẫn một số nội dung …``), which the motto, the place and date or ``Kính gửi`` follow."""
    flat = view.masked
    rest = flat[pos:].lstrip(" \n")
    start = len(flat) - len(rest)
    if not rest or get("header", "body_start").match(rest) or get("header", "body_opening").match(rest):
        return None
    if get("header", "ve_opening").match(rest):
        return _subject(view, start, sentence=not _caps_word_run(flat, start))
    if _caps_word_run(flat, start) and len(rest.split()) >= 3 and not get("header", "authority_line").match(rest):
        return _subject(view, start)
    if _new_element(rest) or get("header", "outline_start").match(rest) or upper_ratio(rest[:40]) > 0.5:
        return None
    found = _subject(view, start, sentence=True)
    if found:
        after = flat[found[1] :]
        gap = len(after) - len(after.lstrip(" \n"))
        if "\n" in after[:gap] and _new_element(after[gap:]):
            return found
    return None


def _closing_line(view: _View, a: int) -> bool:
    """A short line below a blank line that ends a normal-case subject (``Tổ giúp việc về Cải cách hành
    chính tỉnh Lâm Đồng`` under ``Về việc phê duyệt … Quy chế hoạt động``): no body opening, no capitals,
    no sentence end, and a block break after it."""
    flat = view.masked
    end = _source_line_end(view, a)
    line = flat[a:end].strip()
    if not line or len(line) > 120 or line[-1] in ".:;" or upper_ratio(line) > 0.5:
        return False
    if get("header", "body_opening").match(line) or _new_element(line):
        return False
    after = flat[end:]
    gap = len(after) - len(after.lstrip(" \n"))
    return "\n" in after[:gap]


_BARE_SYMBOL = compiled(r"\S*\d\S*/\S+")
_JOINERS = frozenset({"-", "–", "&"})


def _issuer_lines(view: _View, stop: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Capitalised lines before the number, type or date, the motto masked: the issuing body."""
    flat = view.masked
    label = get("header", "number_label")
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    for seg in regex.finditer(r"[^\n]+", flat[:stop]):
        a, b = seg.span()
        src_a, src_b = view.span(a, b)
        # split the segment at source line breaks: each printed line separately
        offset = src_a
        for raw in view.text[src_a:src_b].split("\n"):
            line_a, offset = offset, offset + len(raw) + 1
            line = get("header", "rule_line").sub(" ", raw).replace("|", " ").replace("*", " ")
            whole = " ".join(line.split()).strip(" -–—:;.#>")
            if label.match(whole):
                return lines, spans
            clean = _caps_tail(whole)  # a comma that ends a line says the name goes on: kept
            if _BARE_SYMBOL.fullmatch(clean):
                continue  # a site's page title cut from its type (`Thông tư liên tịch` / `89/2016/TTLT-BTC-BCT`)
            if len(_LETTER.findall(clean)) < 2 or upper_ratio(clean) < 0.75:
                if lines and clean and _LOWER.search(clean):
                    return lines, spans  # a lower-case line after the name block ends it
                continue
            if label.match(clean):
                return lines, spans
            lines.append(clean)
            spans.append((line_a, line_a + len(raw)))
    return lines, spans


def _caps_tail(line: str) -> str:
    """The capitalised words of a line that also holds other words: a site's page title run onto the
    header line before the name (``Công văn 19046/BTC-TCHQ BỘ TÀI CHÍNH``, ``Luật … 2024 QUỐC HỘI``) or the
    start of the next element after it (``ỦY BAN THƯỜNG VỤ QUỐC HỘI Nghị quyết``) is no part of it: the
    longest run of two or more capitalised words, when the rest of the line is not in capitals."""
    words = line.split(" ")
    if not any(_is_word_with_lower(w) for w in words):
        return line
    best: tuple[int, int] = (0, 0)
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and (
            _LETTER.match(words[j]) and not _LOWER.search(words[j]) and not _NUMBERISH.search(words[j])
            or words[j] in _JOINERS and j > i and j + 1 < len(words) and _LETTER.match(words[j + 1]) and not _LOWER.search(words[j + 1])
        ):
            j += 1  # (`BỘ TÀI CHÍNH - BỘ CÔNG THƯƠNG`: a dash between capitalised names goes on with them)
        if j - i > best[1] - best[0]:
            best = (i, j)
        i = j + 1
    a, b = best
    rest = words[:a] + words[b:]
    lowered = sum(_is_word_with_lower(w) for w in rest)
    if b - a >= 2 and lowered >= 2 and (a == 0 or b == len(words)):
        return " ".join(words[a:b])
    return line


def _clean_subject(s: str, issuer_lines: list[str] | None) -> str | None:
    s = _EDITORIAL.sub(" ", s)  # editorial notes of websites
    s = get("header", "rule_line").sub(" ", s.replace("|", " ").replace("**", " "))
    s = " ".join(s.split())
    s = get("header", "vv_opening").sub("", s)
    # Old style: "NGHỊ ĐỊNH CỦA CHÍNH PHỦ SỐ 61-CP NGÀY 05 THÁNG 7 NĂM 1994 VỀ …"
    s = get("header", "old_style_head").sub("", s)
    if upper_ratio(s) > 0.95:
        # The enacting authority closes a flattened subject: "… CHỦ TỊCH UỶ BAN NHÂN DÂN TỈNH".
        name = " ".join(issuer_lines or [])
        key = fold_same_length(name)
        if key and len(name.split()) >= 2 and fold_same_length(s).endswith(" " + key):
            cut = s[: len(s) - len(key)].rstrip()
            if not get("header", "hanging_caps").search(cut):
                s = cut
        m = get("header", "authority_end").search(s)
        if m and upper_ratio(s[: m.start()]) > 0.9 and not get("header", "hanging_caps").search(s[: m.start()]):
            s = s[: m.start()]
    s = s.strip(" .;:-–|")
    s = get("header", "paper_note").sub("", s).strip(" .;:-–|") if len(s) > 40 else s
    return s or None
