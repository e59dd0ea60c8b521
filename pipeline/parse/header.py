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

HEADER_LIMIT = 5000

_LETTER = regex.compile(r"\p{L}")
_LOWER = regex.compile(r"\p{Ll}")
_EDITORIAL = regex.compile(r"\[[^\[\]]{0,1500}\]")  # editorial notes of websites
_TOKEN = regex.compile(r"\S+")
_NUMBERISH = regex.compile(r"\d")
_SENTENCE_END = regex.compile(r"[.;!?][ ]+(?=\p{Lu})")
_SUBJECT_MAX = 600

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


class _View:
    """The header's flat view, the motto masked: what every element is searched in."""

    def __init__(self, text: str, end: int, stamps: list[tuple[int, int]]):
        self.text = text
        self.flat: Flat = flatten(text, 0, end)
        chars = list(self.flat.text)
        self.masked_spans: list[tuple[int, int]] = []
        folded = fold_same_length(self.flat.text)
        for m in get("header", "motto").finditer(folded):
            self.masked_spans.append(m.span())
        # Stamps ingest saw and marks on the paper (KHẨN, DỰ THẢO …): source spans, masked alike.
        marks = stamps + [m.span() for m in get("header", "paper_mark").finditer(text, 0, end)]
        pos = self.flat.pos
        for a, b in marks:
            i, j = bisect.bisect_left(pos, a), bisect.bisect_left(pos, b)
            if i < j:
                self.masked_spans.append((i, min(j, len(chars))))
        for a, b in self.masked_spans:
            chars[a:b] = "\n" * (b - a)
        for m in _EDITORIAL.finditer(self.flat.text):  # a site's note inside the header: read past it
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
        self.masked = "".join(chars)

    def src(self, i: int) -> int:
        return self.flat.pos[i]

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.flat.span(a, b)

    def at_line_start(self, i: int) -> bool:
        """Whether flat position ``i`` opens a line of the source (only layout before it on its line) or a
        block of the flat view (a cell mark, rule, blank line or the motto just before it)."""
        before = self.masked[:i].rstrip(" ")
        if not before or before.endswith("\n"):
            return True
        s = self.src(i)
        line_start = self.text.rfind("\n", 0, s) + 1
        return not self.text[line_start:s].strip(" \t|*#>-_")



def _stamps(blocks: tuple[Block, ...]) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in blocks if b.kind == "stamp"]


def parse_header(text: str, blocks: tuple[Block, ...] = ()) -> Header:
    """All header fields of a normalized text. Missing fields stay None."""
    h = Header()
    end = header_end(text)
    h.end = end
    view = _View(text, end, _stamps(blocks))
    flat = view.masked

    num = find_number(flat, len(flat))
    num_src = None
    if num:
        h.number_span = view.span(*num.span())
        num_src = num
    else:
        num_src = _line_number_fallback(text)
        if num_src:
            h.number_span = num_src.span()
    if num_src:
        h.doc_symbol = numbers.normalize_symbol(num_src.group("sym"))
        h.doc_number = numbers.format_number(num_src.group("num"), num_src.group("year"), num_src.group("sep"), h.doc_symbol)

    pd = get("header", "place_date").search(flat)
    if pd:
        place_a, place_b = _place_span(view, pd)
        h.place = " ".join(view.text[slice(*view.span(place_a, place_b))].split())
        h.place_span = view.span(place_a, place_b)
        h.date_span = view.span(pd.start("d") if pd.start("d") >= 0 else place_b, pd.end())
        h.issue_date, h.issue_year, h.issue_month = parse_date(pd.group("d"), pd.group("m"), pd.group("y"))
    else:
        late = search_anchored("header", "place_date", text)
        if late:
            h.place = " ".join(late.group("place").split())
            h.place_span = late.span("place")
            h.date_span = (late.end("place"), late.end())
            h.issue_date, h.issue_year, h.issue_month = parse_date(late.group("d"), late.group("m"), late.group("y"))

    anchors = [m.end() for m in (num, pd) if m]
    title = _find_title(view, max(anchors) if anchors else 0, bool(anchors))
    vv = get("header", "vv").search(flat)
    if vv and title and vv.start() > title.start():
        vv = None if _caps_word_run(flat, title.end()) else vv  # `V/V` inside a capitalised subject line
    starts = [m.start() for m in (num, pd, title, vv) if m]
    stop = min(starts) if starts else len(flat)
    h.issuer_lines, h.issuer_spans = _issuer_lines(view, stop)

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
        if h.doc_type is None:
            h.doc_type = doctype.CONG_VAN
    for m in (num, pd) if subject is None and not title and not vv else ():
        subject = subject or (m and _untitled_subject(view, m.end()))
    if subject:
        a, b, authority = subject
        h.subject = _clean_subject(view.text[slice(*view.span(a, b))], h.issuer_lines)
        h.subject_span = view.span(a, b) if h.subject else None
        h.authority = authority
    return h


def _place_span(view: _View, pd: regex.Match) -> tuple[int, int]:
    """The place of a place and date match; a place that runs over a line break keeps only its last
    line when that line is a place of two words or more on its own (``… Luật Đất đai`` / ``Hà Nội, ngày``)
    and its whole when the break cut a name (``Tiền`` / ``Giang, ngày``)."""
    a, b = pd.span("place")
    for i in range(b - 1, a, -1):
        if view.flat.text[i] == " " and view.text[view.src(i) : view.src(i + 1)].count("\n"):
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
    flat = view.masked
    j = i
    while j < len(flat):
        if flat[j] == "\n" or (flat[j] == " " and "\n" in view.text[view.src(j) : view.src(j + 1)]):
            return j
        j += 1
    return j


def _caps_word_run(flat: str, pos: int) -> bool:
    words = flat[pos : pos + 80].split()[:3]
    return bool(words) and upper_ratio(" ".join(words)) > 0.9


def _tokens(view: _View, start: int):
    """(start, end) of each flat token from ``start``, with whether a line or cell break precedes it."""
    flat = view.masked
    prev_end = start
    for m in _TOKEN.finditer(flat, start):
        gap = flat[prev_end : m.start()]
        broke = "\n" in gap or (prev_end < m.start() and "\n" in view.text[view.src(prev_end) : view.src(m.start())])
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
    toks = list(_tokens(view, start))
    if not toks:
        return None
    first_words = " ".join(flat[a:b] for a, b, _, _ in toks[:3])
    caps = not sentence and upper_ratio(first_words) > 0.9
    out_end = None
    authority = None
    authority_re, hanging = get("header", "authority_line"), get("header", "hanging_end")
    for k, (a, b, broke, hard) in enumerate(toks):
        tok = flat[a:b]
        if k and (get("header", "kinh_gui").match(flat, a) or get("header", "place_date").match(flat, a)):
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
                if hard and not _continues_sentence(prev_text, rest):
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
    right after the number or the date."""
    flat = view.masked
    rest = flat[pos:].lstrip(" \n")
    start = len(flat) - len(rest)
    if not rest or get("header", "body_start").match(rest) or get("header", "body_opening").match(rest):
        return None
    if get("header", "ve_opening").match(rest):
        return _subject(view, start, sentence=not _caps_word_run(flat, start))
    if _caps_word_run(flat, start) and len(rest.split()) >= 3 and not get("header", "authority_line").match(rest):
        return _subject(view, start)
    return None


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
            whole = " ".join(line.split()).strip(" -–—:;,.#>")
            if label.match(whole):
                return lines, spans
            clean = _caps_tail(whole)
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
    """The capitalised words that end a line: a site's page title run onto the header line before the
    name (``Công văn 19046/BTC-TCHQ BỘ TÀI CHÍNH``, ``Luật … 2024 QUỐC HỘI``) is no part of it."""
    words = line.split(" ")
    k = len(words)
    while k > 0 and _LETTER.match(words[k - 1]) and not _LOWER.search(words[k - 1]) and not _NUMBERISH.search(words[k - 1]):
        k -= 1
    if 0 < k < len(words) and upper_ratio(" ".join(words[:k])) < 0.75:
        return " ".join(words[k:])
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
