"""Agency names: canonical full names, the issuer of a header, the agencies in a phrase.

ANNOTATION.md wants every agency as its canonical full name (`Sở KHĐT` → `Sở Kế hoạch
và Đầu tư`, `UBND TỈNH LẠNG SƠN` → `Ủy ban nhân dân tỉnh Lạng Sơn`). Documents print
the same body in capitals, abbreviated, with old tone placement (`Uỷ`) or OCR damage
(`TỎNG CỤC THUÊ`), so names are compared on *folded* tokens (no case, no diacritics)
against the lexicon in ``rules/agencies.toml`` and ``rules/places.toml``; the longest
known name wins, which is what keeps `và` and commas inside names (`Bộ Văn hóa, Thể
thao và Du lịch`) from being read as list separators.

Public API: ``canonical_agency``, ``issuer_name``, ``find_agencies`` and ``first_agency`` (→ ``AgencyMention``),
``successor`` and ``PLACE_PATTERN``. Everything is pure; rule files and regexes are loaded
and compiled once. Input is expected in NFC (ingest normalises it).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import regex

from pipeline import rules
from pipeline.parse.agency_tokens import TOKEN_RE as _TOKEN_RE
from pipeline.parse.agency_tokens import LazyTokens, normalize_tone
from pipeline.parse.agency_tokens import Tok as _Tok
from pipeline.parse.agency_tokens import fold as _fold
from pipeline.parse.agency_tokens import tokens as _tokens
from pipeline.pattern_cache import compiled

__all__ = [
    "AgencyMention", "canonical_agency", "issuer_name", "find_agencies", "first_agency", "leading_agencies",
    "listed_agencies",
    "is_catch_all", "successor", "PLACE_PATTERN",
]


@dataclass(frozen=True)
class AgencyMention:
    """One agency found in a phrase: ``text`` as printed, ``name`` canonical, span into the phrase."""

    text: str
    name: str
    start: int
    end: int


# ============================================================================ text helpers

_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "\u00a0": " ", "\ufffe": "-", "’": "'"})


def _uppers(t: str) -> int:
    return sum(c.isupper() for c in t)


# ============================================================================ the lexicon


@dataclass(frozen=True)
class _Entry:
    """One surface form. ``role``: name | title | place | level | type | word.

    ``abbr`` entries only match when printed in capitals (`BTC`, not `btc`); one-word
    entries (``exact``) must match with their diacritics, because folding one word
    confuses too much (`Sở`/`số`, `Báo`/`bảo`, `xã`/`xa`).
    """

    out: str
    role: str
    abbr: bool = False
    exact: tuple[str, ...] | None = None
    kind: str = ""  # names: ministry | judicial | central | local | department; levels: short (`TP.`)
    full: bool = False  # places that carry their own generic noun (`Thành phố Hồ Chí Minh`)
    body: str = ""  # sector entries: `Bộ` / `Sở` they may follow
    cased: tuple[str, ...] | None = None  # a spelling kept as printed: matches only these exact words


_ROLE_RANK = {"name": 0, "title": 1, "place": 2, "level": 3, "type": 4, "word": 5}


_FILLERS = frozenset({"va", ",", "-", "&"})


class _Trie:
    """Surface forms keyed by their folded tokens, in nested dicts; longest match first."""

    _END = ""  # key of a node's entries (no token folds to the empty string)

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, surface: str, entry: _Entry) -> None:
        toks = _tokens(normalize_tone(surface))
        if len(toks) == 1 and not entry.abbr:
            entry = _Entry(**{**entry.__dict__, "exact": (toks[0].low,)})
        node = self.root
        for k, t in enumerate(toks):
            if k and t.fold in _FILLERS:
                continue  # `Văn hóa, Thể thao và Du lịch` is also printed `Văn hóa Thể thao Du lịch`
            node = node.setdefault(t.fold, {})
        bucket = node.setdefault(self._END, [])
        if entry not in bucket:
            bucket.append(entry)
            bucket.sort(key=lambda e: (_ROLE_RANK[e.role], e.cased is None))

    def match(self, toks: list[_Tok], i: int, accept=None, more=None) -> tuple[_Entry, int] | None:
        """Longest entry starting at token ``i`` that passes its own checks and ``accept``.

        ``more``: the ``has`` of a ``LazyTokens`` whose ``items`` are ``toks``, to make tokens as read.
        """
        node, ends, k = self.root, [], i
        while k < len(toks) or (more is not None and more(k)):
            if k > i and toks[k].fold in _FILLERS:
                k += 1  # the words of a name compare without `và`, commas and dashes
                continue
            node = node.get(toks[k].fold)
            if node is None:
                break
            if self._END in node:
                ends.append((k + 1, node[self._END]))
            k += 1
        for j, bucket in reversed(ends):
            span = toks[i:j]
            for e in bucket:
                if e.exact is not None and tuple(t.low for t in span) != e.exact:
                    continue
                if e.cased is not None and tuple(t.text for t in span) != e.cased:
                    continue
                if e.abbr and not any(_uppers(t.text) >= 2 for t in span):
                    continue
                if accept is None or accept(e, span):
                    return e, j
        return None


class _Lexicon:
    """Everything built from the rule files, once per process."""

    def __init__(self) -> None:
        ag, pl = rules.load("agencies"), rules.load("places")
        self.trie = _Trie()  # names, places, levels, types, words
        self.sectors = _Trie()  # bare sector names and codes, for `Các Sở: KHĐT, XD`
        self.successors: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self._add_places(pl)
        self._add_sectors(ag["sector"])
        for a in ag["agency"]:
            self._add_name(a["name"], a.get("kind", "central"), a.get("successor"), a.get("abbr", []), a.get("variants", []))
            for spelling in a.get("spellings", []):  # another correct spelling, kept as printed
                cased = tuple(t.text for t in _tokens(normalize_tone(spelling)))
                self.trie.add(spelling, _Entry(spelling, "name", kind=a.get("kind", "central"), cased=cased))
        for t in ag["types"]["names"]:
            self.trie.add(t, _Entry(t, "type"))
        self.alone = {_fold(t): True for t in ag["types"].get("alone", [])}
        self.not_names = _phrase_index(ag["types"].get("not_names", []))
        for abbr, out in ag["words"].items():
            self.trie.add(abbr, _Entry(out, "word", abbr=True))
        for p in ag["proper"]["names"]:
            self.trie.add(p, _Entry(p, "word"))
        for lv in ag["levels"]["names"]:
            self.trie.add(lv, _Entry(lv, "level"))
        for abbr, out in ag["levels"]["abbr"].items():
            self.trie.add(abbr, _Entry(out, "level", abbr=abbr.isupper(), kind="short"))
        for t in ag["titles"]["names"]:
            self.trie.add(t, _Entry(t, "title"))
        self.with_body = [_fold(x) for x in ag["issuer"]["with_body"]]
        self.with_place = [_fold(x) for x in ag["issuer"]["with_place"]]
        self.stops = _phrase_index(ag["stop_words"]["names"])
        self.hard_stops = _phrase_index(ag["stop_words"]["always"])
        self.generic = _phrase_index(ag["generic_nouns"]["names"])
        pats = ag["patterns"]
        self.lead_in = rules.compile_pattern(pats["lead_in"]["pattern"])
        self.list_intro = rules.compile_pattern(pats["list_intro"]["pattern"])
        self.group = rules.compile_pattern(pats["group"]["pattern"])
        self.definite_kind = rules.compile_pattern(pats["definite_kind"]["pattern"])
        self.unplaced = rules.compile_pattern(pats["unplaced"]["pattern"])
        self.plural_level = rules.compile_pattern(pats["plural_level"]["pattern"])
        self.cell_reference = rules.compile_pattern(pats["cell_reference"]["pattern"])
        self.place_list = rules.compile_pattern(pats["place_list"]["pattern"])
        self.vague_kind = rules.compile_pattern(pats["vague_kind"]["pattern"])
        self.tail = rules.compile_pattern(pats["tail"]["pattern"])

    def _add_name(self, name, kind, succ, abbrs=(), variants=()) -> None:
        entry = _Entry(name, "name", kind=kind)
        self.kinds[_fold(name)] = kind
        if succ:
            self.successors[_fold(name)] = succ
        for surface in (name, *variants):
            self.trie.add(surface, entry)
        for a in abbrs:
            self.trie.add(a, _Entry(name, "name", abbr=True, kind=kind))

    def _add_sectors(self, sectors) -> None:
        for s in sectors:
            for body in s["bodies"]:
                name = f"{body} {s['name']}"
                kind = "ministry" if body == "Bộ" else "department"
                succ = f"{body} {s['successor']}" if s.get("successor") else None
                abbrs = [f"{body} {c}" for c in s["codes"]] + [f"{body[0]}{c}" for c in s["codes"] if "-" not in c]
                self._add_name(name, kind, succ, abbrs, [f"{body} {v}" for v in s.get("variants", [])])
                for surface in (s["name"], *s.get("variants", [])):
                    self.sectors.add(surface, _Entry(s["name"], "name", body=body))
                for c in s["codes"]:
                    self.sectors.add(c, _Entry(s["name"], "name", abbr=True, body=body))

    def _add_places(self, pl) -> None:
        self.place_kind: dict[str, str] = {}
        self.place_new: dict[str, tuple[str, str]] = {}  # folded old name → (new name, kind)
        self.place_names: list[str] = []
        new_kind = {n["name"]: n["kind"] for n in pl["new"]}
        for n in pl["new"]:
            for old in n["from"]:
                if old != n["name"] or new_kind[n["name"]] != next(o["kind"] for o in pl["old"] if o["name"] == old):
                    self.place_new[_fold(old)] = (n["name"], n["kind"])
        entries = [(o["name"], o["kind"], o.get("variants", [])) for o in pl["old"]]
        entries += [(n["name"], n["kind"], []) for n in pl["new"] if n["name"] not in {o["name"] for o in pl["old"]}]
        for name, kind, variants in entries:
            self.place_kind[_fold(name)] = kind
            for surface in (name, *variants):
                self.place_names.append(surface)
                self.trie.add(surface, _Entry(name, "place", abbr=surface.isupper()))
        hcm = "Thành phố Hồ Chí Minh"
        for surface in ("Thành phố Hồ Chí Minh", "TP Hồ Chí Minh", "TP. Hồ Chí Minh", "TP.HCM", "TP HCM", "TPHCM", "Thành phố HCM"):
            self.trie.add(surface, _Entry(hcm, "place", full=True))
        self.trie.add("Thủ đô Hà Nội", _Entry("Thủ đô Hà Nội", "place", full=True))
        self.place_names += ["HCM"]


def _phrase_index(phrases: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases as lower-case token tuples, indexed by their first word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        key = tuple(t.low for t in _tokens(p))
        out.setdefault(key[0], []).append(key)
    return out


@functools.cache
def _lexicon() -> _Lexicon:
    return _Lexicon()


# ============================================================================ the place pattern


def _letter_classes() -> dict[str, tuple[str, str]]:
    """For each base letter: (upper-case variants, all variants) over Vietnamese letters."""
    out: dict[str, tuple[set, set]] = {}
    for cp in list(range(0x41, 0x7B)) + list(range(0xC0, 0x250)) + list(range(0x1EA0, 0x1F00)):
        c = chr(cp)
        if not c.isalpha():
            continue
        b = _fold(c)
        if len(b) != 1 or not ("a" <= b <= "z"):
            continue
        marks = {m for m in unicodedata.normalize("NFD", c) if unicodedata.combining(m)}
        if not marks <= set("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"):
            continue
        up, every = out.setdefault(b, (set(), set()))
        every.add(c)
        if c.isupper():
            up.add(c)
    for c in "Đđ":
        out["d"][1].add(c)
    out["d"][0].add("Đ")
    return {b: ("".join(sorted(u)), "".join(sorted(a))) for b, (u, a) in out.items()}


def _place_regex(name: str, classes) -> str:
    parts, initial = [], True
    for ch in normalize_tone(name):
        if ch == " ":
            parts.append(r"\s+")
            initial = True
        elif ch in "-–":
            parts.append(r"\s*[-–—]\s*")
            initial = True
        elif _fold(ch) in classes:
            up, every = classes[_fold(ch)]
            parts.append(f"[{up if initial else every}]")
            initial = False
        else:
            parts.append(regex.escape(ch))
            initial = False
    return "".join(parts).replace(r"\s*[-–—]\s*\s+", r"\s*[-–—]\s*").replace(r"\s+\s*[-–—]\s*", r"\s*[-–—]\s*")


@functools.cache
def _place_pattern() -> str:
    """A province or city name, optionally after its generic noun; every word capitalised.

    Built from ``rules/places.toml`` so it cannot drift from the list. Each letter
    accepts all its diacritic variants (so `Hoà`, `Hòa` and OCR-damaged `Hoa` match);
    the capital first letters keep ordinary words out (`hòa bình` is peace, not the province).
    """
    classes = _letter_classes()
    names = sorted(set(_lexicon().place_names), key=lambda n: (-len(n), n))  # one order in every process
    alts = "|".join(_place_regex(n, classes) for n in names)
    prefix = r"(?:(?:tỉnh|thành\s+phố|thủ\s+đô)\s+|TP\.?\s*)?"
    return rf"(?<!\w){prefix}(?-i:(?:{alts}))(?!\w)"


def __getattr__(attr: str):
    # PLACE_PATTERN is built lazily from the rule files (module import stays cheap).
    if attr == "PLACE_PATTERN":
        return _place_pattern()
    raise AttributeError(attr)


# ============================================================================ canonical_agency

_TRAILING_RE = compiled(
    r"(?:\s*\([^()]{0,120}\)|\s+(?:để|đê|de)\s+(?:b/c|t/h|biết|báo\s+cáo|thực\s+hiện|theo\s+dõi|chỉ\s+đạo|phối\s+hợp|kiểm\s+tra|giám\s+sát)|[\s;:,.!/…=~*_\-]+)+$",
    regex.IGNORECASE,
)
_LEADING_RE = compiled(r"^(?:[\s\-–—•+*~=>#]+|(?:\d+(?:\.\d+)*|[a-zđ]|[IVXLC]+)[.)]\s+)+", regex.IGNORECASE)
_MARKUP_RE = compiled(r"[*#`|]+|_{2,}|-{3,}")
_ROMAN_RE = compiled(r"[IVXLC]+|\d+\w*")
_FN_BREAK = {"cua", "thuoc", "tai", "cac", "tren"}
_NOT_PROPER = {"truc", "thuoc", "cac", "va", "cap", "cua", "tren", "dia", "ban", "khu", "vuc"}


def _clean(name: str) -> str:
    s = unicodedata.normalize("NFC", name).translate(_LOOKALIKES)
    s = _MARKUP_RE.sub(" ", normalize_tone(s))
    s = " ".join(s.split())
    s = _LEADING_RE.sub("", s)
    return _TRAILING_RE.sub("", s).strip()


def _is_caps(toks: list[_Tok]) -> bool:
    """True for header-style capitals (`UBND TỈNH LẠNG SƠN`): no lower-case word except abbreviations (`TTg`)."""
    words = [t.text for t in toks if t.is_word and any(c.isalpha() for c in t.text)]
    return bool(words) and all(not any(c.islower() for c in w) or _uppers(w) >= 2 for w in words)


def _place_ok(prev_role: str | None):
    def accept(e: _Entry, span: list[_Tok]) -> bool:
        if e.role != "place" or e.full or prev_role == "level":
            return True
        return all(t.text[0].isupper() for t in span if t.is_word)

    return accept


def _expand_words(s: str) -> str:
    """First pass: abbreviations of words (`TW`, `MTTQ`, `BQL`) spelled out, so names can match whole."""
    lex, toks = _lexicon(), _tokens(s)
    out, last, i = [], 0, 0
    while i < len(toks):
        hit = lex.trie.match(toks, i)
        if hit and hit[0].role == "word" and hit[0].abbr:
            out += [s[last : toks[i].start], hit[0].out]
            last = toks[hit[1] - 1].end
        i = hit[1] if hit else i + 1
    return "".join(out) + s[last:]


def _join(pieces: list[tuple[str, bool]]) -> str:
    """Glue output pieces (text, printed with a space before): `, ` after commas, ` - ` between words."""
    parts: list[str] = []
    for k, (text, spaced) in enumerate(pieces):
        prev = parts[-1] if parts else ""
        nxt = pieces[k + 1][0] if k + 1 < len(pieces) else ""
        if not parts or text in {",", ";", ":", ")", "."}:
            parts.append(text)
        elif text == "-" and prev[-1:].isalpha() and nxt[:1].isalpha():
            parts.append(" -")  # `Lao động-Thương binh` → `Lao động - Thương binh`; `COVID-19` stays
        elif prev.endswith("(") or (prev.endswith("-") and prev != " -" and not spaced):
            parts.append(text)
        else:
            parts.append((" " if spaced or prev[-1:] in ",;:" or prev == " -" else "") + text)
    return " ".join("".join(parts).split())


@functools.lru_cache(maxsize=8192)  # pure; the same few hundred names recur (2 calls in 3 on the dev corpus)
def canonical_agency(name: str, province: str | None = None) -> str:
    """One agency mention as its canonical full name.

    Abbreviations expanded (`Sở KHĐT`, `UBND`, `BQL`), known names written as the
    lexicon writes them (`BỘ TÀI CHÍNH` → `Bộ Tài chính`), header capitals recased
    (type of body and first word of its function capitalised, generic nouns of places
    lower-cased, place names capitalised), old tone placement modernised, bullets,
    trailing punctuation and a trailing parenthesis (`(để b/c)`, a sub-unit) dropped.
    Words the lexicon does not know keep their printed case unless the whole mention
    is in capitals. ``province``, the document's own province, completes a bare
    trailing `tỉnh` (`UBND tỉnh` → `Ủy ban nhân dân tỉnh Lạng Sơn`). Never raises.
    """
    s = _clean(name or "")
    if not s:
        return ""
    caps = _is_caps(_tokens(s))
    s = _expand_words(s)
    lex, toks = _lexicon(), _tokens(s)
    pieces: list[tuple[str, bool]] = []
    roles: list[str] = []
    fn = False  # inside the function part of a name being recased (`Trung tâm Chứng thực …`)
    i = 0
    while i < len(toks):
        tok, prev = toks[i], (roles[-1] if roles else None)
        spaced = i > 0 and toks[i - 1].end < tok.start
        hit = lex.trie.match(toks, i, _place_ok(prev))
        if hit:
            e, j = hit
            role, text = e.role, e.out
            nxt = toks[j] if j < len(toks) else None
            if role == "level":
                if nxt is not None and nxt.text[0].isdigit():  # `Quận 1` in capitals, as printed otherwise
                    text = text[0].upper() + text[1:] if caps or e.kind == "short" else s[tok.start : toks[j - 1].end]
                elif not (caps or e.kind == "short" or (nxt is not None and nxt.text[0].isupper())):
                    text = s[tok.start : toks[j - 1].end]
            elif role in ("type", "title") or (role == "word" and not e.abbr):
                if not caps:
                    text = s[tok.start : toks[j - 1].end]
            elif role == "place" and e.full and not caps and tok.text[:1].islower():
                text = text[0].lower() + text[1:]  # `thành phố Hồ Chí Minh` as printed; both are written
            fn = role == "type"
        else:
            j, text = i + 1, tok.text
            role = "punct" if not tok.is_word else "other"
            if tok.is_word and caps:
                if _ROMAN_RE.fullmatch(text):
                    pass
                elif prev in ("level", "proper") and tok.fold not in _NOT_PROPER:
                    text, role = text[:1].upper() + text[1:].lower(), "proper"
                elif prev == "type" or (fn and pieces and pieces[-1][0] in {",", "-", "và"}):
                    text, role = text[:1].upper() + text[1:].lower(), "fn"
                else:
                    text = text.lower()
                    fn = fn and tok.fold not in _FN_BREAK
            elif role == "punct" and text not in {",", "-"}:
                fn = False
        pieces.append((text, spaced))
        roles.append(role)
        i = j
    out = _join(pieces)
    out = out[:1].upper() + out[1:]
    if province and roles and roles[-1] == "level" and _fold(out).endswith((" tinh", " thanh pho")):
        hit = lex.trie.match(_tokens(_clean(province)), 0)
        out += " " + (hit[0].out if hit and hit[0].role == "place" else _clean(province))
    return out


# ============================================================================ issuer_name

_QUOC_HIEU = [("cong", "hoa", "xa", "hoi"), ("doc", "lap")]
_LEVEL_START_RE = compiled(r"(?:^|\s)((?:tỉnh|thành phố|Thành phố|huyện|quận|Quận|thị xã|thị trấn|xã|phường|Phường|đặc khu)\s+\S.*)$")
_LEVEL_WORD_END_RE = compiled(r"\s((?:tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường|đặc khu))$", regex.IGNORECASE)
_SO_LINE_RE = compiled(r"^(?:so|[^\w]*so\s*:)\s*[:\d]|ngay\s+\S+\s+thang|^v/v\b")
_RULE_MARKS_RE = compiled(r"[-_=*~.]{2,}|[—–]{1,}\s*$")


def _header_line(line: str) -> str:
    """One header line without rules, markup and whatever of the Quốc hiệu column merged into it."""
    s = _MARKUP_RE.sub(" ", unicodedata.normalize("NFC", line).translate(_LOOKALIKES))
    toks = _tokens(s)
    folds = [t.fold for t in toks]
    for k in range(len(toks)):
        if any(tuple(folds[k : k + len(q)]) == q for q in _QUOC_HIEU):
            s = s[: toks[k].start]
            break
    s = " ".join(_RULE_MARKS_RE.sub(" ", s).split())
    s = _LEADING_RE.sub("", s).strip(" -–—")
    words = [t for t in _tokens(s) if t.text.isalpha() and len(t.text) > 1]
    if not words or _SO_LINE_RE.search(_fold(s)):
        return ""  # a number, date or V/v line, or a rule
    return s


def _starts_agency(line: str) -> bool:
    toks = _tokens(normalize_tone(line))
    hit = toks and _lexicon().trie.match(toks, 0)
    return bool(hit) and (hit[0].role in ("name", "type") or (hit[0].role == "word" and hit[0].abbr))


def _continues(prev: str, line: str) -> bool:
    """Whether a header line continues the name on the line above (`ỦY BAN NHÂN DÂN` / `TỈNH KON TUM`)."""
    first = _tokens(line)[0]
    if _fold(prev).endswith((" va", ",", "-", " cua")) or first.fold in ("va", "-", "cua"):
        return True
    joined = _tokens(normalize_tone(f"{prev} {line}"))
    hit = _lexicon().trie.match(joined, 0)
    if hit and hit[1] == len(joined) and hit[0].role == "name":
        return True
    lead = _lexicon().trie.match(_tokens(normalize_tone(line)), 0)
    if lead and lead[0].role == "level":
        return True
    return not _starts_agency(line)


def _prefixed(name: str, prefixes: list[str]) -> bool:
    f = _fold(name)
    return any(f == p or f.startswith(p + " ") for p in prefixes)


def _complete(unit: str, parent: str | None) -> str:
    """ANNOTATION.md: a unit's name completed by its parent's place or body only when many bodies share it."""
    lex = _lexicon()
    if not parent or _LEVEL_START_RE.search(unit):
        return unit
    place = _LEVEL_START_RE.search(parent)
    if place and _prefixed(unit, lex.with_place):
        level = _LEVEL_WORD_END_RE.search(unit)  # `Thanh tra tỉnh` + `tỉnh X` → `Thanh tra tỉnh X`
        if level and _fold(place[1]).startswith(_fold(level[1]) + " "):
            return unit + place[1][len(level[1]) :]
        return f"{unit} {place[1]}"
    known = lex.kinds.get(_fold(unit))
    if _prefixed(unit, lex.with_body) and known in (None, "local"):
        return f"{unit} {parent}"
    return unit


def is_known_agency(name: str) -> bool:
    """Whether ``name`` is a body of the lexicon under its canonical name (a ministry, a court, …)."""
    return _fold(name) in _lexicon().kinds


def issuer_name(lines: list[str]) -> str | None:
    """The issuing body from the left header block, lines as printed (parent above, unit below).

    Lines wrapped from one name are joined (`ỦY BAN NHÂN DÂN` / `TỈNH KON TUM`); the
    last name is the issuer, completed by its parent when its name is shared
    (`VĂN PHÒNG` under `UBND TỈNH LẠNG SƠN`); ministries stacked or joined by ` - ` are a
    joint issuer (`Bộ Tài chính - Bộ Công Thương`). None when no name is left.
    """
    groups: list[str] = []
    for raw in lines or []:
        line = _header_line(raw)
        if not line:
            continue
        if groups and _continues(groups[-1], line):
            groups[-1] = f"{groups[-1]} {line}"
        else:
            groups.append(line)
    if not groups:
        return None
    names = [canonical_agency(g) for g in groups]
    names = [n for n in names if n]
    if not names:
        return None
    lex = _lexicon()
    if len(names) > 1 and all(lex.kinds.get(_fold(n)) in ("ministry", "judicial") for n in names):
        return " - ".join(names)
    done: str | None = None
    for n in names:
        done = _complete(n, done)
    return done


# ============================================================================ find_agencies

_SEPARATORS = {",", ";", "va", "&", "cung", "voi", "-", "+", "•", "~", "*", "=", "hoac", "/"}
_OPEN_BREAK = {",", ";", ".", ":", "(", ")", "!", "?"}
_MAX_OPEN = 25  # tokens in an unknown name: keeps a run-on sentence from becoming one "agency"
_COMMA_RUN = 5  # lower-case words after a comma that may still close an unknown name
_LEVEL_WORDS = frozenset({"tỉnh", "thành", "huyện", "quận", "thị", "xã", "phường", "đặc", "cấp", "khu"})
_PAIRED = ("Hội đồng nhân dân", "Ủy ban nhân dân")


@dataclass
class _Found:
    start: int
    end: int
    name: str
    tail: str = ""  # the place or set of units printed after a known name


def _starts_phrase(toks: list[_Tok], k: int, index: dict[str, list[tuple[str, ...]]], more=None) -> bool:
    """Whether a phrase of ``index`` starts at token ``k`` (``more`` as in ``_Trie.match``)."""
    for p in index.get(toks[k].low, ()):
        if more is not None:
            more(k + len(p) - 1)
        if tuple(t.low for t in toks[k : k + len(p)]) == p:
            return True
    return False


def _opens_item(e: _Entry | None, tok: _Tok) -> bool:
    """A known name, a capitalised type of body (`Trung tâm …`) or an abbreviation (`BQL …`) starts an agency."""
    return e is not None and (e.role == "name" or (e.role == "type" and tok.text[0].isupper()) or (e.role == "word" and e.abbr))


class _Reader:
    """One left-to-right pass over a phrase; each ``_read_*`` method returns an item, or None if it does not apply."""

    def __init__(self, text: str, catch_alls: bool = False) -> None:
        self.text, self.lex, self.catch_alls = text, _lexicon(), catch_alls
        lazy = LazyTokens(text)
        # `toks[k]` once `has(k)`, which stands for `k < len(toks)` throughout: tokens are made as read.
        self.toks, self.has, self.at = lazy.items, lazy.has, lazy.index_at
        self.context: str | None = None  # `Sở` / `Bộ`: bare sector names in a list take it
        self.listed = False  # the context comes from a list's introduction (`Các bộ, cơ quan ngang bộ: …`)

    def read(self, first: bool = False) -> list[_Found]:
        """The items of the phrase. ``first``: only as far as decides the item that opens it (see ``first_agency``)."""
        toks, has, found, i = self.toks, self.has, [], 0
        m = has(0) and self.lex.lead_in.match(self.text, toks[0].start)
        if m:
            i = self.at(m.end())
        while has(i):
            if first and (len(found) == 2 or (not found and i > 0)):
                break  # the second item is read for the pairing in `_mentions`; an item found later opens nothing
            if toks[i].fold in _SEPARATORS:
                if toks[i].text == ";" and not self.listed:  # a list announced by its type (`Các bộ: …`) goes on
                    self.context = None
                i += 1
                continue
            if (k := self._read_list_intro(i)) is not None:
                i = k
                continue
            step = self._read_sector(i) or self._read_group(i) or self._read_named(i)
            if step is None:
                break  # neither an agency nor a separator: the list has ended
            item, i = step
            if item is not None and item.name:
                if (places := self._listed_places(item)) is not None:
                    found += places[0]
                    i = self.at(places[1])
                    continue
                found.append(item)
            i = self._after_item(i)
            if i is None:
                break
        return found

    def _listed_places(self, item: _Found) -> tuple[list[_Found], int] | None:
        """`UBND các xã: Đức Trọng, Hiệp Thạnh, Đinh Văn Lâm Hà` is one body per place, each under its name
        (`Ủy ban nhân dân xã Đức Trọng`, …), as an elliptic list of ministries is; None when no such list follows."""
        lv = self.lex.plural_level.fullmatch(item.tail) if item.tail else None
        m = lv and self.lex.place_list.match(self.text, item.end)
        if not m:
            return None
        base = item.name[: len(item.name) - len(" ".join(item.tail.split()))].rstrip()
        out = []
        for p in regex.finditer(r"\p{Lu}[\p{L}\d]*(?:[ \t]+(?:\p{Lu}[\p{L}\d]*|\d+))*", m.group("list")):
            s0 = m.start("list") + p.start()
            out.append(_Found(s0 if out else item.start, s0 + len(p.group(0)), f"{base} {lv.group('level').lower()} {p.group(0)}"))
        return out, m.end()  # the first as printed with the list's head: `UBND các xã: Đức Trọng`

    def _read_list_intro(self, i: int) -> int | None:
        """`Các Sở: …`, `các Bộ, cơ quan: …`, or `các Sở` + a sector: later bare sectors take the type."""
        toks, m = self.toks, self.lex.list_intro.match(self.text, self.toks[i].start)
        if m:
            self.context = "Bộ" if _fold(m["body"]) == "bo" else "Sở"
            self.listed = True
            return self.at(m.end())
        if toks[i].fold == "cac" and self.has(i + 2) and toks[i + 1].low in ("sở", "bộ"):
            body = "Bộ" if toks[i + 1].low == "bộ" else "Sở"
            if self.lex.sectors.match(toks, i + 2, lambda e, _s: e.body == body, self.has):
                self.context = body
                return i + 2
        return None

    def _read_sector(self, i: int):
        """A bare sector in a list (`KHĐT`, `Tài chính`) → `Sở …` / `Bộ …`."""
        if not self.context:
            return None
        toks, body = self.toks, self.context
        hit = self.lex.sectors.match(toks, i, lambda e, _s: e.body == body, self.has)
        if not hit or (
            self.has(hit[1])
            and toks[hit[1]].fold not in _SEPARATORS
            and toks[hit[1]].text not in "().:"
            and "\n" not in self.text[toks[hit[1] - 1].end : toks[hit[1]].start]  # the list ends its line
        ):
            return None
        return _Found(toks[i].start, toks[hit[1] - 1].end, f"{body} {hit[0].out}"), hit[1]

    def _read_group(self, i: int):
        """`các sở, ban, ngành …`: a definite group is one item; an indefinite one (`các cơ quan, đơn vị`,
        `… có liên quan`) is skipped (item None), or kept whole when the reader keeps catch-alls (a lead)."""
        pos = self.toks[i].start
        m = self.lex.group.match(self.text, pos)
        if not m:
            return None
        end = self._group_end(m)
        if end and not m["indef"]:
            return _Found(pos, end, canonical_agency(self.text[pos:end])), self.at(end)
        end = max(end, m.end())
        if self.catch_alls:
            return _Found(pos, end, canonical_agency(self.text[pos:end])), self.at(end)
        return None, self.at(end)

    def _group_end(self, m: regex.Match) -> int:
        """End of a definite group, or 0 when the group is indefinite.

        Definite: qualified (`các đơn vị thuộc Bộ Tài chính`, `các sở, ban, ngành cấp tỉnh`), or naming a kind
        of state body (`các sở, ban, ngành`, `các bộ, ngành`); `các cơ quan, đơn vị, địa phương` names nobody."""
        kinds_end = m.start("qual") if m["qual"] else m.start("indef") if m["indef"] else m.end()
        if m["qual"] and not self.lex.vague_kind.search(self.text, m.start(), kinds_end):
            if not m["of"]:
                return m.end("qual")
            k = self.at(m.end("qual"))
            hit = self.lex.trie.match(self.toks, k, None, self.has)
            if hit and hit[0].role == "name":
                return self._with_tail(self.toks[hit[1] - 1].end)[0]
            if hit and hit[0].role == "type" and self.toks[k].text[0].isupper() and self._type_alone(hit[1]):
                return self.toks[hit[1] - 1].end  # `các đơn vị thuộc Bộ`: the issuing body by its type
            if _fold(m["of"]).startswith("truc"):
                return m.end("qual")
        if self.lex.vague_kind.search(self.text, m.start(), kinds_end):
            return 0  # `các cơ quan chức năng thuộc Chính phủ`: whoever is competent
        if self.lex.definite_kind.search(self.text, m.start(), kinds_end):
            return kinds_end
        return 0

    def _type_alone(self, k: int) -> bool:
        """Whether the type of body ending before token ``k`` stands alone (the next word opens no name of it)."""
        return not self.has(k) or not self.toks[k].text[0].isupper() or self.toks[k].text in _OPEN_BREAK

    def _with_tail(self, end: int) -> tuple[int, str]:
        tm = self.lex.tail.match(self.text, end)
        return (tm.end(), tm[0]) if tm else (end, "")

    def _read_named(self, i: int):
        """A known name and its tail, or an unknown name opened by a type of body, read to its end."""
        toks, has = self.toks, self.has
        hit = self.lex.trie.match(toks, i, None, has)
        if not _opens_item(hit and hit[0], toks[i]):
            return None
        e, j = hit
        if e.role == "name":
            end, tail = self._with_tail(toks[j - 1].end)
            if not tail and e.kind == "local" and not self.catch_alls and (m := self.lex.unplaced.match(self.text, end)):
                return None, self.at(m.end())  # `UBND địa phương có liên quan`: no body in particular
        else:
            if _starts_phrase(toks, i, self.lex.not_names, has):
                return None  # `Báo cáo …`, `Trường hợp …`: a type of body opening an ordinary word
            end = self._open_end(i, j)
            if end is None:
                return None  # a type of body alone (`Phòng, chống …`) names nobody
            tail = ""
        name = canonical_agency(self.text[toks[i].start : end])
        self.context = "Bộ" if name.startswith("Bộ ") else "Sở" if name.startswith("Sở ") else None
        return _Found(toks[i].start, end, name, tail), self.at(end)

    def _open_end(self, i: int, j: int) -> int | None:
        """Where an unknown name opened by a type of body (tokens ``i``..``j``) ends, None if it names nothing.

        The grammar ends it: punctuation, a verb or another stop word, `và` or a comma before another
        body; its level and place (`… tỉnh`, `… huyện Châu Thành`) close it. A comma followed by a
        capitalised word that opens no other body stays inside (`Trung tâm Xúc tiến đầu tư, Thương mại
        và Du lịch tỉnh`), and so do a few lower-case words closing the name (`Vụ Phổ biến, giáo dục
        pháp luật;`)."""
        toks, has = self.toks, self.has
        k, topic = j, False
        while has(k) and k - i < _MAX_OPEN:
            t = toks[k]
            if self.text.count("\n", toks[k - 1].end, t.start) >= 2:
                break  # a blank line ends the paragraph, and the name with it
            if t.text == ",":
                if k == j or not (has(k + 1) and self._comma_inside(k + 1)):
                    break
                k += 1
                continue
            if t.text in _OPEN_BREAK:
                break
            if t.text[0].islower() and _starts_phrase(toks, k, self.lex.hard_stops if topic else self.lex.stops, has):
                break
            topic = topic or (t.low == "về" and k > j)  # `Vụ Các vấn đề chung về xây dựng pháp luật`: a topic, no verb
            if t.fold in ("va", "&") and has(k + 1) and self._starts_item(k + 1):
                break
            if t.low in _LEVEL_WORDS and (tm := self.lex.tail.match(self.text, toks[k - 1].end)):
                return tm.end()  # the level and place close the name
            k += 1
        if k == j:
            return toks[j - 1].end if self.lex.alone.get(_fold(self.text[toks[i].start : toks[j - 1].end])) else None
        return toks[k - 1].end

    def _comma_inside(self, k: int) -> bool:
        """Whether the words from token ``k``, after a comma inside an unknown name, still belong to it."""
        toks, has = self.toks, self.has
        t = toks[k]
        if t.text[0].isupper():
            hit = self.lex.trie.match(toks, k, None, has)
            return not (hit and hit[0].role in ("name", "type", "title", "place", "level", "word"))
        if not t.text[0].isalpha() or _starts_phrase(toks, k, self.lex.stops, has) or self._starts_item(k):
            return False
        n = k  # a short lower-case run that closes the name: `Vụ Phổ biến, giáo dục pháp luật;`
        while has(n) and n - k < _COMMA_RUN and toks[n].text[0].isalpha() and not toks[n].text[0].isupper():
            if _starts_phrase(toks, n, self.lex.stops, has) or toks[n].fold in ("va", "&"):
                return n > k
            n += 1
        return not has(n) or toks[n].text in ";:()."

    def _starts_item(self, k: int) -> bool:
        """Whether token ``k`` begins another item (splits `X và Y` inside an unknown name)."""
        if _starts_phrase(self.toks, k, self.lex.generic, self.has):
            return True
        hit = self.lex.trie.match(self.toks, k, None, self.has)
        return _opens_item(hit and hit[0], self.toks[k])

    def _after_item(self, i: int) -> int | None:
        """Past a parenthesis after an item; None when the next word is not a separator (the list has ended)."""
        toks, has = self.toks, self.has
        if has(i) and toks[i].text == "(":
            depth, k = 0, i
            while has(k):
                depth += {"(": 1, ")": -1}.get(toks[k].text, 0)
                if depth == 0:
                    i = k + 1
                    break
                k += 1
            else:
                return None
        if has(i) and toks[i].fold not in _SEPARATORS and toks[i].text not in ".:":
            return None
        return i


def find_agencies(text: str, catch_alls: bool = False) -> list[AgencyMention]:
    """The agencies named in a phrase such as the one after `phối hợp với` or `Cơ quan phối hợp:`.

    Known names are matched first, longest first, so `và` and commas inside them stay
    put; a body's place or definite set of units stays with it (`UBND các huyện, thị
    xã, thành phố` is one agency); lists announced by their type are expanded (`Các
    Sở: KHĐT, XD` → two `Sở …`); indefinite groups (`các sở, ban, ngành có liên quan`,
    `các cơ quan, đơn vị, địa phương`) are left out; a parenthesis after a name (a
    sub-unit, `(để b/c)`) is not part of it. Reading stops at the first words that
    are neither an agency nor a separator (the verb after the list). ``catch_alls``: keep
    indefinite groups too, as one item each (a lead may be `Các cơ quan, đơn vị, địa phương`).
    """
    text = text or ""
    return _mentions(text, _Reader(text, catch_alls).read())


def first_agency(text: str, catch_alls: bool = False) -> AgencyMention | None:
    """The agency that opens ``text`` (``find_agencies(text)[0]`` if it starts at 0), else None.

    Reads no further than that needs: the first item, and the second for the pairing below.
    """
    text = text or ""
    m = _TOKEN_RE.match(text)
    lex = _lexicon()
    if m is None or (_fold(m[0]) not in lex.trie.root and not lex.group.match(text, 0)):
        return None  # neither a known name nor a group starts with this word: nothing can open the text
    found = _mentions(text, _Reader(text, catch_alls).read(first=True))
    return found[0] if found and found[0].start == 0 else None


def leading_agencies(text: str) -> list[AgencyMention]:
    """The agencies that open ``text``, as a list (`Sở Tư pháp, Sở Tài chính chủ trì …`, `Các bộ, cơ quan
    ngang bộ: Tài chính; Tư pháp …`), catch-alls kept; empty when the text does not open with one. A last
    name cut short of the end of its line by words the reader does not know goes on to it when they read
    as the end of a name (`… Hội Cựu chiến binh tỉnh, Tỉnh đoàn Thanh niên`)."""
    text = text or ""
    found = find_agencies(text, catch_alls=True)
    if not found:
        return []
    if text[: found[0].start].strip(" \t-–+•*") and not _lexicon().list_intro.match(text):
        return []
    last = found[-1]
    stop = len(text)
    for ch in "\n:;(":
        k = text.find(ch, last.end)
        if k >= 0:
            stop = min(stop, k)
    if text[last.end : last.end + 1].isspace() and _proper_words(text[last.end : stop].strip(" \t.,")):
        end = len(text[:stop].rstrip(" \t.,"))
        found[-1] = AgencyMention(text[last.start : end], canonical_agency(text[last.start : end]), last.start, end)
    return found


def listed_agencies(text: str, cell: bool = False) -> list[AgencyMention]:
    """The agencies of a text that is nothing but a list of them: a table cell, the value of
    ``Đơn vị thực hiện:``, an agency heading (`Sở Tư pháp; UBND các xã, phường, đặc khu`).

    Items are split at `;` first; each piece is read with catch-alls kept, and a piece the reader does
    not cover to its end (`Các địa phương, các cơ quan có nguồn thu nộp ngân sách nhà nước`) is one
    body as printed: in a cell every word belongs to some name.
    """
    out: list[AgencyMention] = []
    pos = 0
    for piece in (text or "").split(";"):
        lo = len(piece) - len(piece.lstrip())
        core = piece.strip().rstrip(".,:")
        if core:
            found = find_agencies(core, catch_alls=True)
            rest = core[found[-1].end :].strip(" \t.,;:") if found else core
            if found and rest and _proper_words(rest):  # `Tỉnh đoàn Thanh niên`: the last name goes on
                last = found[-1]
                found[-1] = AgencyMention(core[last.start :], canonical_agency(core[last.start :]), last.start, len(core))
                rest = ""
            if found and found[0].start == 0 and (not rest or rest.startswith("(") or _ends_list(rest)):
                out += [AgencyMention(m.text, m.name, pos + lo + m.start, pos + lo + m.end) for m in found]
            elif (_names_someone(core) or (cell and _names_in_cell(core))) and (name := canonical_agency(core)):
                out.append(AgencyMention(core, name, pos + lo, pos + lo + len(core)))
        pos += len(piece) + 1
    return out


def opens_with_verb(text: str) -> bool:
    """Whether ``text`` opens with a word that ends an agency's name (a verb of duty, `chủ trì`, `để` …)."""
    toks = _tokens(normalize_tone(text[:60]))
    return bool(toks) and _starts_phrase([t._replace(low=t.low.lower()) for t in toks], 0, _lexicon().stops)


def _proper_words(rest: str) -> bool:
    """Whether ``rest`` reads as the end of a name: a few words opening with a capital (`Thanh niên`,
    `Khu vực 10`), none of them a stop word."""
    toks = _tokens(rest)
    if not toks or len(toks) > 4 or not toks[0].text[0].isupper():
        return False
    stops = _lexicon().stops
    return all(t.is_word and not (t.text[0].islower() and _starts_phrase(toks, k, stops)) for k, t in enumerate(toks))


def _ends_list(rest: str) -> bool:
    """Whether the words after a list of agencies are the role it is given (`… chủ trì, phối hợp với …`)."""
    toks = _tokens(rest)
    return bool(toks) and toks[0].text[0].islower() and _starts_phrase(toks, 0, _lexicon().hard_stops)


def _names_someone(text: str) -> bool:
    """Whether a piece of a list opens like a body or a group (a type, a known name, a title, `Các …`,
    `Cơ quan …`), not like a sentence (`Theo phân công tại Quyết định số …`)."""
    toks = _tokens(normalize_tone(text))
    if not toks:
        return False
    lex = _lexicon()
    if _starts_phrase(toks, 0, lex.generic):
        return True
    hit = lex.trie.match(toks, 0)
    return bool(hit) and hit[0].role in ("name", "type", "title", "word")


def _names_in_cell(text: str) -> bool:
    """Whether a piece of a lead or cooperating column names someone though no type of body opens it
    (`Viettel Nghệ An`, `Công ty Điện lực …`): it opens with a capital, not with a reference to another
    text (`Theo phân công tại Quyết định số …`, `Như trên`)."""
    return text[:1].isupper() and not _lexicon().cell_reference.match(text)


def is_catch_all(name: str) -> bool:
    """Whether a lead-like name is a catch-all that names nobody in particular (`Các cơ quan, đơn vị, địa
    phương`, `Cơ quan, địa phương có liên quan`): left out of the cooperating agencies."""
    s = " ".join((name or "").split()).strip(" .,;:")
    if not s:
        return True
    lex = _lexicon()
    probe = s if _fold(s).startswith("cac ") else f"các {s}"
    m = lex.group.match(probe)
    if not m or m.end() < len(probe.rstrip(" .,;:")):
        return False
    return bool(m["indef"]) or _Reader(probe)._group_end(m) == 0


def _mentions(text: str, found: list[_Found]) -> list[AgencyMention]:
    # `HĐND, UBND các tỉnh, thành phố`: the place after the second belongs to both.
    for a, b in zip(found, found[1:]):
        if a.name in _PAIRED and not a.tail and b.tail and b.name.startswith(_PAIRED):
            if _fold(text[a.end : b.start]).strip() in (",", "va"):
                a.name = canonical_agency(text[a.start : a.end] + b.tail)
    return [AgencyMention(text[f.start : f.end], f.name, f.start, f.end) for f in found]


# ============================================================================ successor

_DISTRICT_RE = compiled(r"(?<!\w)(?:huyện|quận|thị xã|thị trấn|xã|phường)(?!\w)", regex.IGNORECASE)


@functools.lru_cache(maxsize=8192)  # pure, and asked of every agency of every task
def successor(name: str) -> str | None:
    """Today's name of a body renamed or merged in 2025, or None if it did not change (or is unknown).

    The body (`Sở Kế hoạch và Đầu tư` → `Sở Tài chính`) and its province (`tỉnh Bắc
    Giang` → `tỉnh Bắc Ninh`) are both carried forward. Bodies of a district or
    commune have no single successor (the district level was abolished): None.
    """
    canon = canonical_agency(name)
    lex, toks = _lexicon(), _tokens(canon)
    hit = lex.trie.match(toks, 0) if toks else None
    if not hit or hit[0].role != "name":
        return None
    body = lex.successors.get(_fold(hit[0].out)) or hit[0].out
    tail = canon[toks[hit[1]].start :] if hit[1] < len(toks) else ""
    if _DISTRICT_RE.search(tail):
        return None
    tail = _place_successor(tail)
    out = f"{body} {tail}".strip()
    return out if out != canon else None


def _place_successor(tail: str) -> str:
    """The province in a name's tail replaced by the one it merged into (`tỉnh Hà Nam` → `tỉnh Ninh Bình`)."""
    lex, toks = _lexicon(), _tokens(tail)
    level_start = None
    k = 0
    while k < len(toks):
        hit = lex.trie.match(toks, k, _place_ok("level"))
        if hit and hit[0].role == "level":
            level_start, k = toks[k].start, hit[1]
            continue
        if hit and hit[0].role == "place":
            old = _fold(hit[0].out.removeprefix("Thành phố "))
            new = lex.place_new.get(old)
            if not new:
                return tail
            start = level_start if level_start is not None and not hit[0].full else toks[k].start
            place = "Thành phố Hồ Chí Minh" if new[0] == "Hồ Chí Minh" else f"{new[1]} {new[0]}"
            return tail[:start] + place + tail[toks[hit[1] - 1].end :]
        level_start = None
        k += 1
    return tail
