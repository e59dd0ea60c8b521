"""The signature block: signing mode (TM/KT/TL/TUQ/Q), the signer's own title and name.

The block follows the end of the body (``./.``) or stands beside ``Nơi nhận``. It is
one element per line in clean text and one flattened line on websites
(``TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn Chiến``); the same
splitting serves both: the name is the trailing run of capitalised words, the title
what stands right before it once the ``on behalf of`` part is taken off.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from pipeline import rules
from pipeline.parse.patterns import fold_same_length, get, upper_ratio, within_one_edit
from pipeline.parse.zones import Zones, first_end_mark
from pipeline.pattern_cache import compiled

_COMMA = compiled(r"\s*,\s*")
_LOWER = compiled(r"\p{Ll}")
_TWO_WORD_LINE = compiled(r"(?m)^[ \t]*(\S+[ \t]+\S+)")


@dataclass
class Signature:
    mode: str | None = None
    title: str | None = None
    name: str | None = None
    start: int = -1
    name_span: tuple[int, int] | None = None


@functools.cache
def _titles() -> tuple[list[str], dict[str, str], regex.Pattern]:
    data = rules.load("titles")
    known = list(data["heads"]) + list(data["qualifiers"]) + list(data["bodies"])
    by_fold = {fold_same_length(t): t for t in known}
    heads = sorted({fold_same_length(h) for h in data["heads"]}, key=lambda h: (-len(h), h))  # one order in every process: one kept pattern
    head_re = compiled(r"(?:pho\s)?(?:" + "|".join(regex.escape(h) for h in heads) + r")(?![\p{L}])")
    return heads, by_fold, head_re


def recase_title(title: str) -> str:
    """``PHÓ CHÁNH VĂN PHÒNG`` → ``Phó Chánh Văn phòng``; ``CHỦ TỊCH QUỐC HỘI`` → ``Chủ tịch Quốc hội``."""
    _, by_fold, _ = _titles()
    parts = []
    for k, part in enumerate(_COMMA.split(" ".join(title.split()))):
        folded = fold_same_length(part)
        if k and not _titles()[2].match(folded):
            break  # `THỨ TRƯỞNG, ĐƯỜNG LỐI CỦA ĐẢNG …`: an appendix heading after the title, no second title
        out: list[str] = []
        pos = 0
        while pos < len(part):
            if folded.startswith("pho ", pos):
                out.append("Phó" if not out else "phó")
                pos += 4
                continue
            best = None
            for key in by_fold:
                if folded.startswith(key, pos) and (pos + len(key) == len(part) or part[pos + len(key)] == " "):
                    if best is None or len(key) > len(best):
                        best = key
            if best:
                out.append(by_fold[best])
                pos += len(best) + 1
                continue
            if out and _opens_body(part[pos:].lower()):
                from pipeline.parse.agencies import canonical_agency

                out.append(canonical_agency(part[pos:]))  # the body the title is of: `Bộ trưởng Bộ Công an`
                break
            if out and upper_ratio(part[pos:]) > 0.5 and _is_known_title(" ".join(out)):
                break  # what follows a whole title and names no body is no part of it (`LĐVP`, a heading)
            nxt = part.find(" ", pos)
            nxt = len(part) if nxt < 0 else nxt
            word = part[pos:nxt]
            out.append(word.lower() if upper_ratio(word) > 0.5 else word)
            pos = nxt + 1
        text = " ".join(out)
        parts.append(text[:1].upper() + text[1:])
    return ", ".join(parts)


@functools.cache
def _body_heads() -> regex.Pattern:
    heads = sorted({h.lower() for h in rules.load("titles")["body_heads"]}, key=lambda h: (-len(h), h))
    return compiled("(?:" + "|".join(regex.escape(h) for h in heads) + r")(?![\p{L}])")


def _opens_body(lowered: str) -> bool:
    """Whether a body's name opens here (diacritics kept: `trưởng` is no `Trường`)."""
    return bool(_body_heads().match(lowered))


def _is_known_title(text: str) -> bool:
    _, by_fold, _ = _titles()
    folded = fold_same_length(text)
    return folded.removeprefix("pho ") in by_fold or folded in by_fold


_MODES = frozenset({"TM", "KT", "TL", "TUQ", "Q"})
_OCR_KT = compiled(r"[<X][Tr]")


def mode_of(m: regex.Match) -> str:
    """The signing mode a ``signing_prefix`` match names (``<T``, ``Xr``: OCR's ``KT``)."""
    mode = m.group("mode")
    return mode if mode in _MODES else "KT"


def _own_title(caps: str, mode: str | None) -> str:
    """The signer's own title from the capitalised text of the block, the ``on behalf of`` part removed."""
    _, _, head_re = _titles()
    prefix = get("header", "signing_prefix")
    segments = [s.strip(" ,.;") for s in prefix.split(caps) if s and s.strip(" ,.;")]
    segments = [s for s in segments if s not in _MODES and not _OCR_KT.fullmatch(s)]
    if not segments:
        return ""
    last = segments[-1]
    folded = fold_same_length(last)
    # Candidate starts: every word boundary where a known title begins.
    starts = [m.start() for m in head_re.finditer(folded) if m.start() == 0 or folded[m.start() - 1] == " "]
    if not starts:
        return _near_title(last) or last
    had_prefix = len(segments) >= 1 and bool(prefix.search(caps))
    if had_prefix and mode in {"KT", "TL", "TUQ", "Q"}:
        # "CHỦ TỊCH PHÓ CHỦ TỊCH": the superior's title, then the signer's own.
        for s in starts:
            if s > 0 and _is_title(folded[:s].strip()):
                return last[s:]
        if len(starts) > 1:
            return last[starts[-1] :]
        if mode == "KT" and _is_title(folded) and not folded.startswith("pho "):
            return _deputy(folded)  # only the head's title, `KT. BỘ TRƯỞNG`: the deputy's line was lost
        return last
    if mode == "TM":
        # "CHÍNH PHỦ THỦ TƯỚNG": the body signed for, then the title.
        later = [s for s in starts if s > 0]
        return last[later[0] :] if later else last
    return last[starts[0] :]


_NOT_LETTER = compiled(r"[^\p{L} ]+")


def _near_title(printed: str) -> str | None:
    """A known title that OCR misread by one letter (``TRỨ TRƯỞNG``, ``THỨ” 7RUỜNG THƯỜNG TRỰC``), with
    what follows it; None when no title of eight letters or more is that near, or two are.

    Titles come from a closed list (Nghị định 30/2020, Phụ lục II), so a line that names none
    but is one letter away from one is that title; one letter, not more, keeps apart real
    titles such as ``Kế toán trưởng`` and ``Kiểm toán trưởng``.
    """
    heads, by_fold, _ = _titles()
    words = " ".join(_NOT_LETTER.sub("", fold_same_length(printed)).split()).split(" ")
    found = set()
    for head in heads:
        for title in (head, "pho " + head):
            n = title.count(" ") + 1
            if len(title) >= 8 and n <= len(words) and within_one_edit(" ".join(words[:n]), title):
                found.add((title, n))
    if len(found) != 1:
        return None
    (title, n), = found
    name = by_fold[title.removeprefix("pho ")]
    printed_words = printed.split()
    rest = printed_words[n:] if len(printed_words) == len(words) else []
    return " ".join(["Phó " + name if title.startswith("pho ") else name, *rest])


def _deputy(folded_head: str) -> str:
    """The title of the deputy who signs ``KT.`` for a head: ``Thứ trưởng`` for ``Bộ trưởng``, else ``Phó`` + the head's."""
    data = rules.load("titles")
    head = _titles()[1][folded_head]
    return data["deputy_of"].get(head) or f"{data['deputy']} {head}"


def _is_title(folded: str) -> bool:
    heads, _, _ = _titles()
    folded = folded.removeprefix("pho ")
    return folded in heads


_TITLE_WORD = compiled(r"^\p{Lu}\p{Ll}{1,7}$|^\p{Lu}$")


def _is_name(line: str) -> bool:
    if fold_same_length(line).rstrip(":;. ") in _not_names():
        return False
    return bool(get("titles", "name_line").match(line)) and upper_ratio(line) < 0.8


@functools.cache
def _not_names() -> frozenset[str]:
    return frozenset(fold_same_length(w) for w in rules.load("titles")["not_names"])


@functools.lru_cache(maxsize=8192)  # pure, and asked of the same words on every line of every block
def _is_caps_token(tok: str) -> bool:
    letters = "".join(filter(str.isalpha, tok))
    return bool(letters) and not any(map(str.islower, letters))


def _caps_runs(line: str) -> list[tuple[str, int]]:
    """Runs of capitalised words in a line, with the token index where each run ends."""
    runs: list[tuple[str, int]] = []
    cur: list[str] = []
    toks = line.split()
    for i, tok in enumerate(toks):
        if _is_caps_token(tok):
            cur.append(tok)
        elif cur and not any(map(str.isalpha, tok)):
            continue  # a dash or stray mark inside a run
        else:
            if cur:
                runs.append((" ".join(cur), i))
            cur = []
    if cur:
        runs.append((" ".join(cur), len(toks)))
    return runs


def _name_after(toks: list[str], i: int) -> str | None:
    """The capitalised words that follow a title in a flattened line, before the next sentence."""
    j = i
    while j < len(toks) and _TITLE_WORD.match(toks[j].strip(",.;")) and j - i < 7:
        j += 1
    if j < len(toks) and _LOWER.match(toks[j]) and j > i:
        j -= 1  # "… Trần Hồng Hà Phụ lục": the last word opens the next sentence
    if 2 <= j - i <= 6:
        return " ".join(t.strip(",.;") for t in toks[i:j])
    return None


def _is_block_part(run: str) -> bool:
    _, _, head_re = _titles()
    folded = fold_same_length(run)
    if get("header", "signing_prefix").search(run):
        return True
    return any(m.start() == 0 or folded[m.start() - 1] == " " for m in head_re.finditer(folded))


def _scan(lines: list[str]) -> tuple[list[str], str | None]:
    """Capitalised parts of the signature block and the signer's name, from the block's lines."""
    segments: list[str] = []
    for raw in lines:
        line = raw.strip(" |*_")
        if not line or get("titles", "signed_mark").match(line):
            continue
        if (m := get("header", "signing_prefix").match(line)) and m.group("mode") not in _MODES:
            line = f"KT. {line[m.end():]}"  # OCR's `Xr, BỘ TRƯỞNG`: the prefix as printed
        if segments and _is_name(get("titles", "rank").sub("", line)):
            return segments, line
        if _is_title_line(line):
            segments.append(line)  # a title printed in normal case (`Phó Chủ tịch`)
            continue
        toks = line.split()
        if segments and (lead := _name_after(get("titles", "rank").sub("", line).split(), 0)):
            return segments, lead  # a name that opens the line, the next heading run onto it
        for run, end in _caps_runs(line):
            if not (_is_block_part(run) or (segments and upper_ratio(line) > 0.9)):
                continue
            segments.append(run.strip(" -–—~=:;,"))
            name = _name_after(toks, end)
            if name:
                return segments, name
    return segments, None


def _own_from_segments(segments: list[str]) -> str:
    prefix = get("header", "signing_prefix")
    last_prefixed = max((i for i, s in enumerate(segments) if prefix.search(s)), default=-1)
    after = segments[last_prefixed + 1 :]
    modes = [mode_of(m) for m in prefix.finditer(segments[last_prefixed])] if last_prefixed >= 0 else []
    if not after:
        return _own_title(segments[last_prefixed], modes[-1] if modes else None)
    own = _own_title(" ".join(after), None)
    if modes and modes[-1] == "KT":
        return _deputy_for(segments[last_prefixed], own) or own
    return own


def _deputy_for(prefixed: str, own: str) -> str | None:
    """Under ``KT. BỘ TRƯỞNG`` the signer is the head's deputy (Nghị định 30/2020, Phụ lục I): when the
    signer's own title line names no title (OCR under a seal: ``TRƯỜNG``, ``THÍ” 7 KUỜNG THƯỜNG TRỰC``),
    the deputy's title, with ``Thường trực`` where the line keeps it."""
    _, _, head_re = _titles()
    if head_re.match(fold_same_length(own)) or _near_title(own):
        return None
    from pipeline.parse.glued import is_word

    words = own.split()
    if len(words) >= 2 and all(is_word(w) for w in words):
        return None  # whole words that name no known title (`KẾ TOÁN TRƯỞNG`): a title of its own, kept
    head = fold_same_length(get("header", "signing_prefix").sub(" ", prefixed)).strip(" ,.;")
    head = " ".join(head.split())
    if not _is_title(head) or head.startswith("pho "):
        return None
    deputy = _deputy(head)
    return f"{deputy} Thường trực" if "thuong truc" in fold_same_length(own) else deputy




def _candidate_starts(text: str, end_mark: int | None = None):
    """Line starts where a signature block may begin, in the order to try them."""
    prefix = get("header", "signing_prefix")
    mark = first_end_mark(text) if end_mark is None else end_mark
    if mark is not None:
        yield mark
    first = prefix.search(text, mark if mark is not None else 0)
    if first:
        yield text.rfind("\n", 0, first.start()) + 1
    pos = text.rfind("\n", 0, int(len(text) * 0.5)) + 1
    for m in _TWO_WORD_LINE.finditer(text, pos=pos):
        runs = _caps_runs(m.group(0))
        if runs and _is_block_part(runs[0][0]) and m.group(0).split()[0] == runs[0][0].split()[0]:
            yield m.start()
        elif _is_title_line(text[m.start() : text.find("\n", m.start()) % (len(text) + 1)]):
            yield m.start()


def _is_title_line(line: str) -> bool:
    """A whole line that is a known title in normal case: ``Phó Chủ tịch`` over the name."""
    line = line.strip(" |*_")
    return 0 < len(line) <= 40 and not upper_ratio(line) > 0.9 and _is_known_title(" ".join(line.split()))


def _block_lines(text: str, start: int) -> Iterator[str]:
    """The lines of the block that may start at ``start``, a line a crawler wrapped joined back:
    a title or body cut in two (``PHÓ CHỦ`` / ``TỊCH``, ``TM. ỦY BAN`` / ``NHÂN DÂN``) and a name whose
    last word went to the next line (``Đỗ Hoàng Anh`` / ``Tuấn``). Lines a blank line parts stay apart.
    Made as the block is read: the scan mostly stops within a few lines."""
    prev: str | None = None
    for line in _columns_apart(_raw_lines(text, start)):
        line = " ".join(_GLUED.sub(" ", line).split())
        if prev is not None:
            if get("titles", "bare_prefix").match(prev):
                if line:
                    prev = f"{prev} {line}"
                continue  # `TM.` alone, its body on the next line (a blank line between or not): one line
            if prev and line and (_cut_phrase(prev, line) or _cut_name(prev, line) or _LOWER.match(line)):
                prev = f"{prev} {line}"
                continue
            yield prev
        prev = line
    if prev is not None:
        yield prev


def _raw_lines(text: str, start: int) -> Iterator[str]:
    pos, stop, n = start, min(len(text), start + 3000), 0
    while pos <= stop and n < 60:
        nl = text.find("\n", pos, stop)
        end = stop if nl < 0 else nl
        yield text[pos:end]
        pos, n = end + 1, n + 1
        if nl < 0:
            return


def _columns_apart(lines: Iterator[str]) -> Iterator[str]:
    """Lines as read, but rows of a table (``| Nơi nhận: | | KT. CHỦ TỊCH |``, as a site or a converter
    prints the signature table) read column by column: the ``Nơi nhận`` list, then the signing block."""
    rows: list[list[str]] = []
    for line in lines:
        if line.count("|") >= 2:
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if rows:
            yield from _by_column(rows)
            rows = []
        yield line
    if rows:
        yield from _by_column(rows)


def _by_column(rows: list[list[str]]) -> Iterator[str]:
    width = max(len(r) for r in rows)
    for c in range(width):
        for r in rows:
            if c < len(r) and r[c]:
                yield r[c]
        yield ""  # a column ends: a break, as a blank line would be


def _cut_phrase(a: str, b: str) -> bool:
    """A line that ends in capitals and one that opens in capitals, their junction inside a known title or body."""
    tail = _caps_edge(a.split()[::-1])[::-1]
    head = _caps_edge(b.split())
    if not tail or not head:
        return False
    tail_f, head_f = fold_same_length(" ".join(tail)), fold_same_length(" ".join(head))
    joined = f"{tail_f} {head_f}"
    cut = len(tail_f)
    for m in _phrases().finditer(joined):
        if m.start() < cut < m.end() and (m.start() == 0 or joined[m.start() - 1] == " "):
            return True
    return False


def _caps_edge(words: list[str]) -> list[str]:
    """The capitalised words at the start of ``words`` (at most three)."""
    out = []
    for w in words[:3]:
        if not _is_caps_token(w):
            break
        out.append(w)
    return out


@functools.cache
def _phrases() -> regex.Pattern:
    data = rules.load("titles")
    words = [fold_same_length(w) for w in list(data["heads"]) + list(data["bodies"]) + ["uy ban nhan dan", "hoi dong nhan dan"]]
    return compiled("(?:pho )?(?:" + "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + r")(?![\p{L}])")


_GLUED = compiled(r"(?<=\p{Lu}\p{Lu})(?=\p{Lu}\p{Ll})")  # `THỦ TƯỚNGVũ Tuân`: a name glued to the title
_NAME_WORD = compiled(r"\p{Lu}\p{Ll}{0,7}")


def _cut_name(a: str, b: str) -> bool:
    """A line that ends in a name (after a title or alone) and one or two capitalised words under it that
    finish it: at most five words in all."""
    words = a.split()
    k = len(words)
    while k > 0 and _NAME_WORD.fullmatch(words[k - 1]) and fold_same_length(words[k - 1]) not in _not_names():
        k -= 1
    run = len(words) - k
    nxt = b.split()
    return (
        1 <= run <= 4
        and 1 <= len(nxt) <= 2
        and run + len(nxt) <= 5
        and all(_NAME_WORD.fullmatch(w) for w in nxt)
        and fold_same_length(b).rstrip(":") not in _not_names()
        and (k == 0 or _is_caps_token(words[k - 1]) or words[k - 1].endswith(")"))
    )


def parse_signature(text: str, zones: Zones | None = None) -> Signature:
    """Signing mode, the signer's title (as normal writing cases it) and name, with where the block starts
    and where the name stands (offsets into ``text``). ``zones`` says where the body ends, if known."""
    sig = Signature()
    prefix = get("header", "signing_prefix")
    found = None
    for n, start in enumerate(_candidate_starts(text, zones.end_mark if zones else None)):
        segments, name = _scan(_block_lines(text, start))
        if segments and (name or found is None):
            found = (start, segments, name)
        if name or n > 200:
            break
    if not found:
        # A name with only the signed mark beside it: "Võ Văn Kiệt (Đã ký)".
        m = get("titles", "name_signed").search(text)
        if m:
            sig.name, sig.start, sig.name_span = " ".join(m.group(1).split()), m.start(), m.span(1)
        return sig
    start, segments, name = found
    sig.start = start
    m = prefix.search(segments[0])
    sig.mode = mode_of(m) if m else None
    own = _own_from_segments(segments)
    sig.title = recase_title(own) if own else None
    if name:
        sig.name = " ".join(get("titles", "rank").sub("", name).split())
        sig.name_span = _span_of(text, sig.name, start)
    return sig


def _span_of(text: str, words: str, start: int) -> tuple[int, int] | None:
    """Where ``words`` stand in ``text`` after ``start``, whatever the spaces and line breaks between them."""
    pattern = r"\s+".join(regex.escape(w) for w in words.split())
    m = regex.compile(pattern).search(text, start, min(len(text), start + 4000))
    return m.span() if m else None
