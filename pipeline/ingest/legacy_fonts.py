"""Vietnamese typed in the pre-Unicode font encodings TCVN3 (ABC, ``.VnTime``) and VNI (``VNI-Times``).

Old documents reach us two ways: as bytes of a text file, or as "mis-mapped" characters in a DOCX or
PDF, where the legacy font drew Vietnamese letters over the code points of Latin-1 characters
(``Céng hoµ x· héi`` is TCVN3, ``Coäng hoøa xaõ hoäi`` is VNI for ``Cộng hoà xã hội``). Both arrive
here as a ``str`` of those Latin-1 characters. The tables are data in ``rules/legacy_fonts.toml``.

Detection counts characters that only a legacy encoding puts inside words: TCVN3 writes the most
common letters (à á ạ ă â ê ô ơ ư đ) as symbols (``µ ¸ ¹ ¨ © ª « ¬ ­ ®``); VNI writes a vowel followed
by a mark character (``oä``, ``aø``, ``uû``). Real Unicode Vietnamese, Windows-1258 text and English
have almost none of these, and Unicode Vietnamese is full of letters (ơ ư đ ạ ộ …) no legacy text
has, which vetoes the guess.

TCVN3 capitals: VN3 has only seven capitals (Ă Â Ê Ô Ơ Ư Đ). A toned capital is the lowercase code
drawn by the capitals-only twin font (``.VnTimeH``), so ``CéNG`` means ``CỘNG``. Without the font name
the case is guessed per word: a word whose other letters are capitals (at least two, none lowercase)
is written in capitals (``CéNG`` → ``CỘNG``); a word of one capital and legacy letters (``X·``) is
written in capitals between two such words, or beside one on a line with no lowercase ASCII letter
(``CéNG HOµ X· HéI`` → ``CỘNG HOÀ XÃ HỘI``, but ``Sè: 12/2024/Q§-TTg`` → ``Số``); anything else stays
lowercase. A word that began with a toned capital in a lowercase font (``Ủy``) cannot be told from
``ủy``: ABC-era typists wrote ``Uû ban`` for that reason. A DOCX run in an ``…H`` font is
upper-cased whole (``pipeline.ingest.docx``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import regex

from pipeline.pattern_cache import compiled
from pipeline.rules import load

TCVN3 = "tcvn3"
VNI = "vni"
SAMPLE_CHARS = 100_000  # detection reads this much of a text: legacy documents are uniform

# Latin-1 letters that ordinary Unicode Vietnamese uses; never evidence of a legacy encoding.
_VIET_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Letters only Unicode Vietnamese has (and the combining tone marks of decomposed/cp1258 text).
_VIET_UNICODE = compiled(r"[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
_VIET_UNICODE_RE = re.compile(_VIET_UNICODE.pattern)  # the same set of characters, for ``re``
# Letters of other Latin languages that a legacy table also uses: too common elsewhere to count.
_FOREIGN = set("ßçÇ")
_WORD = compiled(r"[A-Za-z\u00a1-\u00ff]+")
_VOWELS = set("aeiouyAEIOUY")


def _cp1252_c1() -> dict[int, str]:
    out = {}
    for b in range(0x80, 0xA0):
        try:
            out[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            pass
    return out


_C1_AS_CP1252 = _cp1252_c1()


def bytes_as_legacy_text(data: bytes) -> str:
    """A legacy-font file's bytes one character per byte, as the Windows fonts drew them: Latin-1,
    with 0x80–0x9F as Windows-1252 punctuation (``–``, ``“``) where that code page defines them."""
    return data.decode("latin-1").translate(_C1_AS_CP1252)


@functools.cache
def tables() -> dict[str, dict[str, str]]:
    """``{encoding: {legacy string: Unicode}}`` from ``rules/legacy_fonts.toml``."""
    data = load("legacy_fonts")
    tcvn3 = {legacy: uni for uni, legacy in data["tcvn3"]["letters"].items()}
    vni = {legacy: uni for uni, legacy in data["vni"]["letters"].items()}
    for legacy, uni in list(vni.items()):
        if len(legacy) == 2:  # a capital base with a lowercase mark, and the reverse, still mean one letter
            vni.setdefault(legacy[0] + legacy[1].swapcase(), uni)
    return {TCVN3: tcvn3, VNI: vni}


@functools.cache
def _markers() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(characters only TCVN3 puts in words, TCVN3 characters that follow a consonant in TCVN3 text
    but never in VNI text, every legacy character that Unicode Vietnamese does not use)."""
    t = tables()
    tcvn3_chars = {c for k in t[TCVN3] for c in k if ord(c) > 0x7F}
    vni_chars = {c for k in t[VNI] for c in k if ord(c) > 0x7F}
    tcvn3_only = frozenset(tcvn3_chars - vni_chars - _VIET_LATIN1 - _FOREIGN - set("ÐÞ"))
    # VNI letters that stand alone after a consonant: ơ ư ỉ ỵ (ô ö æ î).
    after_consonant = frozenset(tcvn3_chars - tcvn3_only - _VIET_LATIN1 - _FOREIGN - set("ÐÞöÖæÆîÎ"))
    shared = frozenset((tcvn3_chars | vni_chars) - _VIET_LATIN1 - _FOREIGN)
    return tcvn3_only, after_consonant, shared


# VNI: a vowel followed by a mark character, in pairs that Unicode Vietnamese never writes
# (``aù`` á, ``oâ`` ô, ``aê`` ă, ``eä`` ệ, ``uû`` ủ …). ``oà``/``oá`` (hoà, hoá) and ``uâ`` (quân) are not here.
_VNI_PAIR = compiled(
    r"[aeiouyAEIOUYôöÔÖ][øûïåäüëØÛÏÅÄÜË]|[aeiouyAEIOUYôöÔÖ][ùÙ]|[aeoAEO][âÂ]|[aA][êÊéèúÉÈÚ]|[aeAE][áàåãÁÀÅÃ]"
)
# Whether a text holds any VNI pair, for ``re``: the pair's second character first (rare in
# Unicode Vietnamese), then the pair looked at behind it. Several times faster than a scan for
# the first character (a vowel).
_VNI_PAIR_END = re.compile(f"[øûïåäüëØÛÏÅÄÜËùÙâÂêÊéèúÉÈÚáàåãÁÀÅÃ](?<={_VNI_PAIR.pattern})")
_CONSONANTS = set("bcdghklmnpqrstvxBCDGHKLMNPQRSTVX")


def _char_class(chars, escape=regex.escape) -> str:
    return "[" + "".join(escape(c) for c in sorted(chars)) + "]"


@functools.cache
def _evidence() -> tuple[regex.Pattern, re.Pattern]:
    """(one match per TCVN3 evidence character, any legacy character), compiled once.

    TCVN3 evidence is a TCVN3-only character in a word of two letters or more (a letter on
    either side), or a character that follows a consonant in TCVN3 text but never in VNI.
    Every marker is itself a ``_WORD`` letter, so its neighbours are those of its word.
    The second is a plain set of characters, which ``re`` scans several times faster.
    """
    tcvn3_only, after_consonant, shared = _markers()
    word, only = r"[A-Za-z\u00a1-\u00ff]", _char_class(tcvn3_only)
    tcvn3 = rf"(?<={word}){only}|{only}(?={word})|(?<={_char_class(_CONSONANTS)}){_char_class(after_consonant)}"
    return regex.compile(tcvn3), re.compile(_char_class(shared, re.escape))


# The commonest Unicode-only letters (one character in twelve of Vietnamese prose): counted
# with str.count, which is many times faster than a regex over the whole set; most frequent first.
_COMMON_VIET = "đưệịảộốềạếăấ"


def _has_viet(sample: str, k: int) -> bool:
    """Whether ``sample`` holds ``k`` Unicode-only Vietnamese letters, reading no more of it than that takes."""
    head, seen = sample[: 16 * k], 0
    for letter in _COMMON_VIET:
        seen += head.count(letter)
        if seen >= k:
            return True  # a lower bound of the count is enough: the rest need not be counted
    size = max(256, 8 * k)  # enough for k at the density of Vietnamese (one letter in six or seven)
    while len(_VIET_UNICODE_RE.findall(sample, 0, size)) < k:
        if size >= len(sample):
            return False
        size *= 4
    return True


def _evidence_counts(sample: str) -> tuple[int, int]:
    """(TCVN3 evidence, VNI evidence): counted over the whole sample by regexes. A VNI pair is
    two letters of one word, so the pairs found in the sample are those found word by word."""
    return len(_evidence()[0].findall(sample)), len(_VNI_PAIR.findall(sample))


def legacy_scores(text: str) -> tuple[int, int, int, int]:
    """(TCVN3 evidence, VNI evidence, Unicode-Vietnamese letters, words) in a sample of ``text``."""
    sample = text[:SAMPLE_CHARS]
    t, v = _evidence_counts(sample)
    return t, v, len(_VIET_UNICODE.findall(sample)), len(_WORD.findall(sample))


def _latin1_high(sample: str, utf8: bytes | None) -> int:
    """The characters of ``sample`` above ASCII that Latin-1 has (U+0080–U+00FF). In UTF-8 each is
    a lead byte C2 or C3 and no other character holds one: counted in the bytes when at hand."""
    if utf8 is not None:
        return utf8.count(b"\xc2") + utf8.count(b"\xc3")
    return len(sample.encode("latin-1", "ignore")) - len(sample.encode("ascii", "ignore"))


def detect_legacy(text: str, utf8: bytes | None = None) -> str | None:
    """``'tcvn3'``, ``'vni'`` or None for a text that may have been typed in a legacy font.

    Bounds first, cheapest first. Every TCVN3 marker and every VNI pair end is a Latin-1
    character above ASCII, so their count bounds both evidences, and so do the counts of
    legacy characters and of pair ends; a text with more Unicode-only letters than a quarter
    of a bound is Unicode whatever the exact counts (the usual case, decided in C).
    ``utf8``: the text's UTF-8 bytes, when the caller has them (a UTF-8 file).
    """
    sample = text[:SAMPLE_CHARS]
    high = _latin1_high(sample, utf8 if len(text) <= SAMPLE_CHARS else None)
    if high < 3 or _has_viet(sample, high // 4 + 1):
        return None
    most = max(len(_evidence()[1].findall(sample)), len(_VNI_PAIR_END.findall(sample)))
    if most < 3 or _has_viet(sample, most // 4 + 1):
        return None
    t, v = _evidence_counts(sample)
    maybe_tcvn3, maybe_vni = t >= 3 and t > 3 * v, v >= 3 and t * 5 < v
    if not (maybe_tcvn3 or maybe_vni):
        return None  # too little evidence whatever the letters: no need to count them
    viet, words = len(_VIET_UNICODE.findall(sample)), len(_WORD.findall(sample))
    if maybe_tcvn3 and t >= 0.05 * words and viet * 4 < t:
        return TCVN3
    if maybe_vni and v >= 0.05 * words and viet * 4 < v:
        return VNI
    return None


@functools.cache
def _pattern(encoding: str) -> regex.Pattern:
    keys = sorted(tables()[encoding], key=len, reverse=True)
    return regex.compile("|".join(regex.escape(k) for k in keys))


_CAPS_TCVN3 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ¡¢£¤¥¦§")
_NOT_CAPS = {c: None for c in map(ord, _CAPS_TCVN3)}  # str.translate deletes them: capitals are counted in C
_ASCII_LOWER = re.compile("[a-z]")
_NO_LOWER_WORD = re.compile("(?<![A-Za-z\u00a1-\u00ff])[A-Z\u00a1-\u00ff]+(?![A-Za-z\u00a1-\u00ff])")  # the _WORD that lack [a-z]


@functools.cache
def _tcvn3_table() -> dict[int, str]:
    """The TCVN3 letters for ``str.translate`` (each is one character)."""
    return {ord(k): v for k, v in tables()[TCVN3].items() if len(k) == 1}


def _tcvn3_case(word: str) -> str:
    """'upper' (at least two capitals, no lowercase ASCII), 'maybe' (one capital first, then only
    legacy letters: ``X·``, ``Sè``), or '' (leave the case as converted)."""
    if _ASCII_LOWER.search(word):
        return ""
    caps = len(word) - len(word.translate(_NOT_CAPS))
    if not caps:
        return ""
    if caps >= 2:
        return "upper"
    return "maybe" if word[0] in _CAPS_TCVN3 else ""


def _tcvn3_line(line: str) -> str:
    """Convert one line; a 'maybe' word is written in capitals when a neighbouring converted word is."""
    table = _tcvn3_table()
    capital = {m.start(): m.group(0) for m in _NO_LOWER_WORD.finditer(line)}
    if not capital:
        # Every word keeps the case it converts to (a word with a lowercase letter has no case
        # of its own): one translate for the line, since every TCVN3 letter is a _WORD letter.
        return line.translate(table)
    words = list(_WORD.finditer(line))
    cases = [_tcvn3_case(capital[m.start()]) if m.start() in capital else "" for m in words]
    mixed_case = bool(_ASCII_LOWER.search(line))
    legacy = [not m.group(0).isascii() for m in words]
    out, last = [], 0
    for i, m in enumerate(words):
        word = m.group(0).translate(table)
        upper = cases[i] == "upper"
        if cases[i] == "maybe":
            sides = [cases[j] == "upper" and legacy[j] for j in (i - 1, i + 1) if 0 <= j < len(words)]
            upper = (any(sides) and not mixed_case) or (len(sides) == 2 and all(sides))
        out += [line[last : m.start()], word.upper() if upper else word]
        last = m.end()
    out.append(line[last:])
    return "".join(out)


def to_unicode(text: str, encoding: str) -> str:
    """``text`` typed in ``encoding`` ('tcvn3' or 'vni') as Unicode (NFC). ASCII is left as it is."""
    if encoding == TCVN3:
        out = "\n".join(_tcvn3_line(line) for line in text.split("\n"))
    elif encoding == VNI:
        table = tables()[VNI]
        out = _pattern(VNI).sub(lambda m: table[m.group(0)], text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return unicodedata.normalize("NFC", out)


def has_unicode_vietnamese(text: str) -> bool:
    """True when ``text`` holds letters only Unicode Vietnamese has: it is not legacy text."""
    return bool(_VIET_UNICODE.search(text))


def fix_legacy(text: str) -> tuple[str, str | None]:
    """(text in Unicode, the legacy encoding found or None): detection and conversion in one call."""
    encoding = detect_legacy(text)
    return (to_unicode(text, encoding), encoding) if encoding else (text, None)
