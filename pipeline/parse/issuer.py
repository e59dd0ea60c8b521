"""The issuing body: from the header's name block, completed where a site dropped part of it, or inferred.

The name block is read as the bodies it names, whatever the printing: lines wrapped from one
name are joined (``ỦY BAN NHÂN DÂN`` / ``TỈNH KON TUM``), a parent and its unit run onto one
line are split (``UBND HUYỆN THÁI THỤY PHÒNG GIÁO DỤC & ĐÀO TẠO``), and the unit's name is
completed by its parent's whole name or place per ANNOTATION.md (``rules/issuers.toml``).
Units side by side under one parent (``LIÊN NGÀNH`` / ``SỞ TÀI CHÍNH -`` / ``SỞ CÔNG THƯƠNG``)
are a joint issuer, joined by `` - ``.

A block that lost its place (``ỦY BAN NHÂN DÂN`` alone) is completed from the authority
line under the subject, the place of issue or the body. A text that lost its header
(a copy pasted into a website, the two seed documents) still names its issuer:
``Văn phòng UBND tỉnh thông báo …``; failing that, a symbol that names one body does.
Nothing is returned when that is ambiguous.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

import regex

from pipeline import rules
from pipeline.parse.header import Header
from pipeline.parse.patterns import fold_same_length, get, within_one_edit
from pipeline.pattern_cache import compiled



@functools.cache
def _rules() -> dict:
    return rules.load("issuers")


def _fold(s: str) -> str:
    return " ".join(fold_same_length(s).split())


def _prefixed(name: str, prefixes) -> bool:
    f = _fold(name)
    return any(f == p or f.startswith(p + " ") for p in prefixes)


@functools.cache
def _folded_lists() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], tuple[str, ...]]:
    r = _rules()
    return (
        tuple(_fold(x) for x in r["by_body"]),
        tuple(_fold(x) for x in r["party_parents"]),
        frozenset(_fold(x).rstrip(":") for x in r["joint_markers"]),
        tuple(_fold(x) for x in r["bare_bodies"]),
    )


@functools.cache
def _unit_split() -> regex.Pattern:
    """A parent that names a place, then a unit's head word on the same line."""
    r = _rules()
    levels = "|".join(regex.escape(x) for x in sorted(r["levels"], key=len, reverse=True))
    heads = "|".join(regex.escape(x) for x in sorted(r["unit_heads"], key=len, reverse=True))
    return compiled(rf"(?<=\s(?:{levels})\s+\S+(?:\s+\S+){{0,3}}?)\s+(?=(?:{heads})\s)", regex.VERSION1)


@functools.cache
def _provinces() -> dict[str, tuple[str, str]]:
    """Folded province or city name (and variants) → (name, kind), old and new."""
    places = rules.load("places")
    out: dict[str, tuple[str, str]] = {}
    for entry in places.get("old", []) + places.get("new", []):
        for n in [entry["name"], *entry.get("variants", [])]:
            out.setdefault(_fold(n), (entry["name"], entry["kind"]))
    return out


def province(place: str | None) -> tuple[str, str] | None:
    """(name, ``tỉnh`` or ``thành phố``) when ``place`` is a province or centrally-run city."""
    if not place:
        return None
    p = _fold(place)
    for prefix in ("thanh pho ", "tp. ", "tp.", "tp ", "tinh "):
        if p.startswith(prefix):
            p = p[len(prefix) :].strip()
    return _provinces().get(p)


def ocr_place(place: str | None) -> str | None:
    """A place OCR misread, put back when it is a province or centrally-run city all but one letter of it
    (``Lâm Đẳng``, ``Lâm Đông`` → ``Lâm Đồng``): in any case and without diacritics, one letter changed,
    put in or left out, in a name of six letters or more. A prefix (``TP.``, ``Thành phố``) is kept."""
    if not place:
        return place
    words = place.split()
    for k in range(len(words), 0, -1):
        head, tail = words[: len(words) - k], " ".join(words[len(words) - k :])
        key = _fold(tail)
        exact = _provinces().get(key)
        near = exact or (
            len(key) >= 6 and next((v for f, v in _provinces().items() if within_one_edit(key, f) and f.count(" ") == key.count(" ")), None)
        )
        if near:
            return " ".join([*head, near[0]])
    return place


@functools.cache
def _known_pairs() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Pairs of words of the names the rules know (bodies, sectors, types, places, proper names), by their
    folded spelling: (``"chinh phu"`` → ``("Chính", "phủ")``, ``"chinhphu"`` → the same). A folded pair
    spelled two ways is left out: only what one spelling fits is put back."""
    ag, pl = rules.load("agencies"), rules.load("places")
    names = [a["name"] for a in ag["agency"]] + [s["name"] for s in ag["sector"]] + list(ag["types"]["names"])
    names += list(ag["proper"]["names"]) + [e["name"] for e in pl.get("old", []) + pl.get("new", [])]
    spaced: dict[str, set[tuple[str, str]]] = {}
    for name in names:
        words = name.split()
        for a, b in zip(words, words[1:]):
            spaced.setdefault(f"{_fold(a)} {_fold(b)}", set()).add((a, b))
    pairs = {k: next(iter(v)) for k, v in spaced.items() if len(v) == 1}
    return pairs, {k.replace(" ", ""): v for k, v in pairs.items()}


def ocr_name(name: str | None) -> str | None:
    """A body's name as OCR misread it, put back where the words the rules know fit it
    (``Thủ tướng chínhphủ`` → ``Thủ tướng Chính phủ``, ``Viên thông`` → ``Viễn thông``, ``Liên đoàn Luật sư
    việtnam`` → ``… Việt Nam``, ``tỉnh Lâm Lâm Đồng`` → ``tỉnh Lâm Đồng``): two words whose letters without
    diacritics are a known pair take its spelling, one word that is a known pair glued is split, a word
    read twice is kept once."""
    if not name:
        return name
    pairs, glued = _known_pairs()
    words, out, i = name.split(), [], 0
    while i < len(words):
        w = words[i]
        if out and _fold(w) == _fold(out[-1]) and len(w) > 1:
            i += 1  # `Lâm Lâm Đồng`: a word read twice
            continue
        if i + 1 < len(words) and (pair := pairs.get(f"{_fold(w)} {_fold(words[i + 1])}")):
            out += [_cased(pair[0], w), _cased(pair[1], words[i + 1])]
            i += 2
            continue
        if len(w) > 4 and (pair := glued.get(_fold(w))):
            out += [_cased(pair[0], w), pair[1]]
        else:
            out.append(w)
        i += 1
    return " ".join(out)


def _cased(known: str, read: str) -> str:
    """``known`` with the first letter's case as the rules write it, unless OCR read a capital there."""
    return known if known[:1].isupper() or not read[:1].isupper() else known[:1].upper() + known[1:]


def _has_place(name: str) -> bool:
    if get("issuers", "level_place").search(name):
        return True
    words = _fold(name).split()
    return any(" ".join(words[-k:]) in _provinces() for k in (1, 2, 3, 4) if len(words) > k)


def _place_of(name: str) -> str | None:
    m = get("issuers", "level_place").search(name)
    return m.group(1) if m else None


def _complete(unit: str, parent: str | None) -> str:
    """ANNOTATION.md: a unit's name completed by its parent's place or body only when many bodies share it."""
    by_body, party, _, _ = _folded_lists()
    if not parent or _has_place(unit):
        return unit
    if _prefixed(unit, by_body) or _prefixed(parent, party):
        return f"{unit} {parent}"
    place = _place_of(parent)
    return f"{unit} {place}" if place else unit


def _split_units(line: str) -> list[str]:
    parts = [p for p in _unit_split().split(line) if p.strip()]
    parts = [q.strip() for p in parts for q in _joint_split().split(p) if q.strip()]
    return [r.strip(" -–—") for p in parts for q in _after_known_parent(p) if (r := q.strip(" -–—"))]


@functools.cache
def _joint_split() -> regex.Pattern:
    """A joint marker inside a line run together (``UBND TỈNH NGHỆ AN LIÊN NGÀNH SỞ TÀI CHÍNH - …``): a line
    of its own."""
    markers = sorted({m.rstrip(":") for m in _rules()["joint_markers"]}, key=len, reverse=True)
    alts = "|".join(regex.escape(m).replace(r"\ ", r"\s+") for m in markers)
    return regex.compile(rf"(?<=\S)\s+((?:{alts}):?)(?:\s+(?=\S)|\s*$)", regex.VERSION1)


def _after_known_parent(line: str) -> list[str]:
    """A known body (a ministry) then a unit's head word on one line: two lines (``BỘ TÀI CHÍNH TỔNG CỤC HẢI
    QUAN``, as a site runs the header together)."""
    from pipeline.parse.agencies import canonical_agency, is_known_agency

    words = line.split()
    heads = _unit_heads()
    for k in range(2, len(words) - 1):
        rest = " ".join(words[k:])
        if any(rest.startswith(h + " ") for h in heads) and words[k][:1].isupper():
            parent = " ".join(words[:k])
            if is_known_agency(canonical_agency(parent) or ""):
                return [parent, rest]
    return [line]


@functools.cache
def _unit_heads() -> tuple[str, ...]:
    return tuple(sorted(_rules()["unit_heads"], key=len, reverse=True))


def header_issuer(lines: list[str]) -> str | None:
    """The issuer named by the header's capitalised lines (parent above, unit below)."""
    from pipeline.parse.agencies import _continues, _starts_agency, canonical_agency, is_known_agency

    _, _, joint_markers, _ = _folded_lists()
    joint = False
    groups: list[str] = []
    for raw in lines:
        for line in _split_units(" ".join(raw.replace(" & ", " VÀ ").split()).strip(" -–—")):
            if _fold(line).rstrip(":") in joint_markers:
                joint = True
                continue
            parts = regex.split(r"\s[-–]\s", line)
            if len(parts) > 1 and all(_starts_agency(p) for p in parts):
                joint = True  # `BỘ TƯ PHÁP - BỘ CÔNG AN - …`: bodies side by side
                groups.extend(parts)
                continue
            if groups and _continues(groups[-1], line) and not _new_body(groups[-1], line):
                groups[-1] = f"{groups[-1]} {line}"
            else:
                groups.append(line)
    names = [n for n in (canonical_agency(g) for g in groups) if n]
    if not names:
        return None
    if len(names) > 1 and (joint and len(groups) == len(names) or all(_kind(n) in ("ministry", "judicial") for n in names)):
        if all(_kind(n) is not None for n in names) or not _place_of(names[0]):
            return " - ".join(names)
    parent, units = names[0], names[1:]
    if len(units) >= 2 and (joint or len({_fold(u).split()[0] for u in units}) == 1 and all(_kind(u) is None or is_known_agency(u) for u in units)):
        if joint or all(_fold(u).split()[0] in ("so", "bo") for u in units):
            return " - ".join(_complete(u, parent) for u in units)
    done: str | None = None
    for n in names:
        done = _complete(n, done)
    return done


def _new_body(prev: str, line: str) -> bool:
    """A line that opens another body although the lexicon would join it: one that opens with a unit's
    head word (``TỔ GIÚP VIỆC``, ``BAN THƯỜNG VỤ``) under a name that is whole (it does not end on ``VÀ``,
    ``VỀ``, a comma or a dash, which say the name goes on)."""
    heads = tuple(_fold(h) for h in _rules()["unit_heads"])
    f = _fold(line)
    if not any(f == h or f.startswith(h + " ") for h in heads):
        return False
    last = _fold(prev).split()[-1:]
    if last and any(h.startswith(last[0] + " " + f.split()[0]) for h in heads + ("uy ban", "hoi dong")):
        return False  # `ỦY` / `BAN NHÂN DÂN`: a head word cut in two
    if len(f.split()) < 2:
        return False  # `HỘI` alone under `ỦY BAN THƯỜNG VỤ QUỐC`: the end of a name, no unit
    from pipeline.parse.agencies import canonical_agency, is_known_agency

    if is_known_agency(canonical_agency(f"{prev} {line}")):
        return False
    return not get("header", "hanging_end").search(prev.lower()) and not prev.rstrip().endswith((",", "-", "–"))


def _kind(name: str) -> str | None:
    from pipeline.parse.agencies import _lexicon

    return _lexicon().kinds.get(_fold(name))


def _mention_name(printed: str) -> str:
    """The province a mention names: the longest run of its words that is a known province (a wrap may cut
    the name, `Bình` / `Thuận`), else its words on the first line."""
    words = printed.split()
    for k in range(len(words), 0, -1):
        if province(" ".join(words[:k])):
            return " ".join(words[:k])
    return " ".join(printed.split("\n")[0].split())


def _dominant_place(text: str) -> str | None:
    counts = Counter(_mention_name(m.group(1)) for m in get("issuers", "province_mention").finditer(text))
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2) + [(None, 0)]
    return best if n > (rest[0][1] if rest else 0) else None


@functools.cache
def _body_starts() -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in _rules()["self_reference"]["opens_with"]))


def _self_references(text: str) -> Iterator[regex.Match]:
    """The rule ``self_reference``'s matches, the pattern tried only where a body's name starts (no two of
    the words above overlap, so their matches, one after another, miss no start)."""
    end = 0
    for start in _body_starts().finditer(text):
        if start.start() >= end and (m := get("issuers", "self_reference").match(text, start.start())):
            end = m.end()
            yield m


def _opens_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].rstrip(" \t*")
    return not before or before[-1] in "\n.:"


def infer_issuer(text: str, place: str | None) -> str | None:
    """The issuer a headerless text names itself by, completed with its place; None when unsure."""
    return _inferred(text, place)[0]


def _inferred(text: str, place: str | None) -> tuple[str | None, tuple[int, int] | None]:
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
        return None, None
    body = " ".join(m.group("body").split())
    if m.group("level") and not (m.group("name") or "").strip():
        where = place or _dominant_place(text)
        if not where:
            return None, None
        body = f"{body} {where}"
    return canonical_agency(body), m.span("body")


def _with_place_of_issue(name: str, place: str | None) -> str:
    """A unit that names no place and stands under no national body is the province's where the document
    was issued there (``TỔ GIÚP VIỆC VỀ CẢI CÁCH HÀNH CHÍNH``, issued at Lâm Đồng → ``… tỉnh Lâm Đồng``):
    the name is one that many provinces share."""
    prov = province(place)
    if not prov or _has_place(name) or _kind(name) is not None or _national(name):
        return name
    if not _prefixed(name, tuple(_fold(u) for u in _rules()["provincial_units"])):
        return name
    return f"{name} {prov[1]} {prov[0]}"


def _national(name: str) -> bool:
    f = _fold(name)
    glued = f.replace(" ", "")  # OCR's `VIỆTNAM`
    return any(w.replace(" ", "") in glued for w in ("trung uong", "quoc gia", "viet nam", "chinh phu", "quoc hoi", "nha nuoc")) or f.startswith(
        ("bo ", "tong cuc", "cuc ", "vu ", "toa an nhan dan toi cao", "vien kiem sat nhan dan toi cao", "kiem toan nha nuoc")
    )


def find_issuer(text: str, header: Header) -> str | None:
    """The issuer per ANNOTATION.md: the header's name block, else what the body says, else the symbol."""
    return read_issuer(text, header)[0]


def read_issuer(text: str, header: Header) -> tuple[str | None, tuple[int, int] | None]:
    """The issuer and where it was read: the header's name block, the body's words or the number."""
    name = header_issuer(header.issuer_lines) if header.issuer_lines else None
    if name:
        span = (header.issuer_spans[0][0], header.issuer_spans[-1][1]) if header.issuer_spans else None
        name = _misread_symbol_body(name, header.doc_symbol) or name
        if _is_bare(name):
            name = _complete_bare(name, header, text) or name
        elif not any(_national(x) or _kind(x) in ("ministry", "judicial") for x in header.issuer_lines):
            name = _with_place_of_issue(name, header.place)
        return name, span
    inferred, span = _inferred(text, header.place)
    if inferred:
        return inferred, span
    from_symbol = issuer_from_symbol(header.doc_symbol, header.place)
    return from_symbol, header.number_span if from_symbol else None


def _is_bare(name: str) -> bool:
    return _fold(name) in _folded_lists()[3]


def _complete_bare(name: str, header: Header, text: str) -> str | None:
    """A body printed without its place: the authority line under the subject names it whole
    (``ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ``), else the place of issue when it is a province, else the
    body's own words (``UBND tỉnh Phú Thọ ban hành …``)."""
    from pipeline.parse.agencies import canonical_agency

    key = _fold(name)
    if header.authority:
        full = canonical_agency(header.authority)
        if _fold(full).startswith(key + " ") and _has_place(full):
            return full
    prov = province(header.place)
    if prov:
        return f"{name} {prov[1]} {prov[0]}"
    inferred = infer_issuer(text, None)
    if inferred and _fold(inferred).startswith(key + " "):
        return inferred
    where = _dominant_place(text)
    prov = province(where)
    return f"{name} {prov[1]} {prov[0]}" if prov else None


def _misread_symbol_body(name: str, symbol: str | None) -> str | None:
    """The body the symbol names, when the header's name is no known body but that one misread by OCR:
    ``BỘ GIÁO mg. VÀ ĐÀO TẠO`` beside ``QĐ-BGDĐT`` is Bộ Giáo dục và Đào tạo. All but one of the
    body's words (three or more) must stand in the printed name, in any case and without diacritics."""
    from pipeline.parse.agencies import is_known_agency

    if is_known_agency(name) or not (body := _national_body(symbol)):
        return None
    want = fold_same_length(body).split()
    have = set(fold_same_length(name).split())
    return body if len(want) >= 3 and sum(w in have for w in want) >= len(want) - 1 and len(have) <= len(want) + 1 else None


def _national_body(symbol: str | None) -> str | None:
    """The body a symbol's last code names on its own: a ministry, the Government, its Office."""
    from pipeline.parse.agencies import canonical_agency

    if not symbol:
        return None
    code = symbol.replace("/", "-").split("-")[-1]
    if not code or code.upper() == code.lower():
        return None
    name = canonical_agency(code)
    return name if name != code and name.startswith(("Bộ ", "Chính phủ", "Thủ tướng", "Văn phòng Chính phủ")) else None


def issuer_from_symbol(symbol: str | None, place: str | None = None) -> str | None:
    """The issuer a symbol names when the header lost its name block: ``QĐ-BYT`` → Bộ Y tế; a department's
    code with a province as the place of issue (``SGDĐT-KTKĐ``, ``Ninh Thuận``) → Sở Giáo dục và Đào tạo
    tỉnh Ninh Thuận. ``UBND`` says which kind of body but not where, so it gives nothing alone."""
    national = _national_body(symbol)
    if national or not symbol:
        return national
    prov = province(place)
    if not prov:
        return None
    departments = _rules()["department_codes"]
    for code in regex.split(r"[-/]", symbol):
        if code in departments:
            return f"{departments[code]} {prov[1]} {prov[0]}"
    return None
