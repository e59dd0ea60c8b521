"""One place that turns any decoded text into the canonical text the parser reads.

NFC first (decomposed input hides ``Số`` from every regex), then the repairs real
documents need: look-alike letters (``Ð`` U+00D0, Cyrillic ``С``), exotic spaces,
zero-width and control characters (C0 and C1, but the line break), PDFium's U+FFFE hyphen, and Markdown decoration that
websites and OCR engines add (``**``, ``###``, table rule rows, front matter).
Normalization is idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from pipeline.pattern_cache import compiled

# Letters that look Latin but are not, as seen in real documents. No replacement is itself
# a key, so replacing them one after the other is the same as ``str.translate``.
_LOOKALIKES = {
    "\u00d0": "\u0110",  # Ð (Icelandic eth) → Đ
    "\u00f0": "\u0111",  # ð → đ
    "\u0189": "\u0110",  # Ɖ (African D) → Đ
    "\ufffe": "-",  # PDFium: hyphen broken at a line end
    "\u2010": "-",
    "\u2011": "-",
    "\u00ad": "",  # soft hyphen
}
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O",
        "Р": "P", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
        "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "і": "i",
        "ј": "j", "ѕ": "s",
    }
)
_CYRILLIC = compiled(r"\p{Script=Cyrillic}")
_LETTER = compiled(r"\p{L}")
_SPACES = compiled(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = compiled(r"[\u200b\u200c\u200d\u2060\ufeff]")
# C0 and C1 control characters but the line break and the tab (and CR, VT, FF, repaired above):
# a scanner's OCR layer or a damaged file carries them, and none may reach a table or a terminal.
_CONTROL_CHARS = tuple(chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)])
_CONTROLS = compiled("[" + "".join(regex.escape(c) for c in _CONTROL_CHARS) + "]")
_FRONT_MATTER = compiled(r"\A\s*---[ \t]*\n(?:[^\n]*\n){0,60}?---[ \t]*\n")
_HTML_COMMENT = compiled(r"<!--.{0,2000}?-->", regex.DOTALL)
_MD_HEADING = compiled(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+")
_MD_STRONG = compiled(r"\*{2,3}|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_BULLET_STAR = compiled(r"(?m)^([ \t]*)\*[ \t]+")
_MD_ESCAPE = compiled(r"\\([\\`*_{}\[\]()#+\-.!|])")
_MD_TABLE_RULE = compiled(r"(?m)^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-{0,}:?[ \t]*$")
_TRAILING_SPACE = compiled(r"(?m)[ ]+$")

# Most documents hold none of what a pattern repairs: a substring every match must contain,
# looked for with ``in`` (a fast scan in C), lets the regex skip the whole text.
_ZERO_WIDTH_CHARS = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_SPACE_CHARS = ("\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000", "\t", "\f", "\v")


def _replace_chars(text: str, table: dict[str, str]) -> str:
    """``text.translate(table)`` for a table of a few characters none of whose values is a key."""
    for old, new in table.items():
        if old in text:
            text = text.replace(old, new)
    return text


def _sub_lines(pattern: regex.Pattern, repl: str, text: str, needle: str) -> str:
    """``pattern.sub(repl, text)`` for a pattern that matches within one line (``^…$`` over
    spaces, tabs and marks): applied to the lines holding ``needle`` only, which a substring
    search finds far faster than the pattern scans a whole text."""
    pos = text.find(needle)
    if pos < 0:
        return text
    out, last = [], 0
    while pos >= 0:
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos) % (len(text) + 1)
        out += [text[last:start], pattern.sub(repl, text[start:end])]
        last = end
        pos = text.find(needle, end)
    out.append(text[last:])
    return "".join(out)


def _strip_line_ends(text: str) -> str:
    """``_TRAILING_SPACE.sub("", text)``: the spaces that end each line removed."""
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


def _sub(pattern: regex.Pattern, repl, text: str, needles: tuple[str, ...], **kw) -> str:
    """``pattern.sub(repl, text)``, skipped when ``text`` holds none of the ``needles`` every match contains."""
    if any(n in text for n in needles):
        return pattern.sub(repl, text, **kw)
    return text


_MIXED_TOKEN = compiled(r"[\p{L}\d/\-]*\p{Script=Cyrillic}[\p{L}\d/\-]*")
_ASCII_LETTER = compiled(r"[A-Za-z]")


def _repair_cyrillic(text: str) -> str:
    """Map Cyrillic look-alikes to Latin in tokens that mix the scripts (``TT-BTС``), or everywhere
    when Cyrillic is a stray minority (a typo, not a language)."""
    n_cyr = len(_CYRILLIC.findall(text))
    if not n_cyr:
        return text
    if n_cyr * 20 <= max(1, len(_LETTER.findall(text))):
        return text.translate(_CYRILLIC_TO_LATIN)

    def fix(m: regex.Match) -> str:
        tok = m.group(0)
        return tok.translate(_CYRILLIC_TO_LATIN) if _ASCII_LETTER.search(tok) else tok

    return _MIXED_TOKEN.sub(fix, text)


def strip_markdown(text: str) -> str:
    """Remove Markdown decoration without losing any word of the text."""
    text = _sub(_FRONT_MATTER, "", text, ("---",), count=1)
    text = _sub(_HTML_COMMENT, "", text, ("<!--",))
    if "|" in text:  # a table rule row has both
        text = _sub_lines(_MD_TABLE_RULE, "", text, "---")
    text = _sub_lines(_MD_BULLET_STAR, r"\1- ", text, "*")
    text = _sub(_MD_HEADING, "", text, ("#",))
    text = _sub(_MD_STRONG, "", text, ("*",))
    text = _sub(_MD_ESCAPE, r"\1", text, ("\\",))
    return text


# The characters of ordinary Vietnamese text that no repair above changes (no look-alike,
# exotic space, control, CR, Cyrillic) and that are NFC in any sequence: precomposed or
# ASCII, canonical combining class 0, never the second character of a composition. A text
# of nothing else is NFC as it is and stays NFC when Markdown marks (ASCII) are removed.
_PLAIN = (
    "\n\x20-\x7e"  # printable ASCII
    "\xa1-\xac\xae-\xcf\xd1-\xef\xf1-\xff"  # Latin-1 but the no-break space, soft hyphen, Ð and ð
    "ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9"  # the other Vietnamese letters
    "\u2012-\u2027\u2030-\u205e\ufffd"  # punctuation (dashes, quotes, …) but the repaired hyphens and spaces
)
_NOT_PLAIN = re.compile(f"[^{_PLAIN}]")  # a plain set of characters: ``re`` scans it fastest
_PLAIN_RUN = re.compile(f"[{_PLAIN}]*")  # its complement's run, matched: twice as fast as a search for _NOT_PLAIN


def _first_odd(text: str, pos: int = 0) -> int:
    """Where the first character that is not plain stands at or after ``pos``, or -1: ``_NOT_PLAIN.search``."""
    end = _PLAIN_RUN.match(text, pos).end()
    return end if end < len(text) else -1


def _plain_repairs(text: str, markdown: bool) -> str:
    """``normalize_text`` of a text of ``_PLAIN`` characters: only Markdown and trailing spaces can change."""
    if markdown:
        text = strip_markdown(text)
    if " \n" in text or text.endswith(" "):
        text = _strip_line_ends(text)
    return text


def normalize_text(text: str, markdown: bool = True) -> str:
    """The canonical form of a document's text: NFC, repaired letters, plain spaces, ``\\n`` lines."""
    if (first := _first_odd(text)) >= 0:  # most documents are plain: one scan instead of repairs that find nothing
        # The lines before the first character that is not plain are plain, and NFC leaves them as
        # they are: it does not read them again.
        start = text.rfind("\n", 0, first) + 1
        text, spans = _nfc_lines(text, start)
        if odd := _odd_chars(text, spans, start):
            return _repairs(text, markdown, odd)
    return _plain_repairs(text, markdown)


def _odd_chars(text: str, spans: list[tuple[int, int]] | None, start: int) -> set[str]:
    """The characters of ``text`` that are not plain, read in ``spans`` only when known (else from ``start``)."""
    if spans is None:
        return set(_NOT_PLAIN.findall(text, start))
    return {c for lo, hi in spans for c in _NOT_PLAIN.findall(text, lo, hi)}


# What the repairs make plain, whatever else they leave (Cyrillic in a word of its own script stays).
_REPAIRED = frozenset([*_LOOKALIKES, "\r", *_ZERO_WIDTH_CHARS, *_SPACE_CHARS, *_CONTROL_CHARS])


def _repairs(text: str, markdown: bool, odd: set[str]) -> str:
    """``normalize_text`` of an NFC text holding the characters ``odd`` that are not plain.

    Each repair but Markdown's changes some of those into plain ones: the few the text holds say which
    repairs can change anything (a test for each character they look for, made in the whole text, cost
    more than the repairs of most texts), and whether the result can hold any that NFC must read.
    """
    nfc = text
    if "\r" in odd:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_chars(text, {old: new for old, new in _LOOKALIKES.items() if old in odd})
    if odd.difference(_LOOKALIKES, "\r"):  # a look-alike (the Ð of a website's copy) is often all there was
        text = _sub(_ZERO_WIDTH, "", text, tuple(odd.intersection(_ZERO_WIDTH_CHARS)))
        text = _sub(_CONTROLS, "", text, tuple(odd.intersection(_CONTROL_CHARS)))
        text = _sub(_SPACES, " ", text, tuple(odd.intersection(_SPACE_CHARS)))
        if _CYRILLIC.search("".join(odd)):
            text = _repair_cyrillic(text)
    if markdown:
        text = strip_markdown(text)
    if " \n" in text or text.endswith(" "):  # what a trailing space before a line end needs
        text = _strip_line_ends(text)
    if text == nfc or odd <= _REPAIRED:
        return text  # NFC already unless a repair changed it and left a character that is not plain
    return _nfc(text)


def _nfc(text: str) -> str:
    """``unicodedata.normalize("NFC", text)``, worked out only on the lines that need it (``_nfc_lines``)."""
    return _nfc_lines(text)[0]


def _nfc_lines(text: str, pos: int = 0) -> tuple[str, list[tuple[int, int]] | None]:
    """``unicodedata.normalize("NFC", text)``, and in it the lines that held characters that are not
    plain (None when it was normalized whole): no other line holds one. ``pos``: a line start before
    which every character is plain.

    A line break is never part of a composition nor reordered, so NFC works line by line,
    and a line of ``_PLAIN`` characters is NFC already: a long text with one decomposed
    letter is not read whole the slow way. Many such lines: the whole text at once.
    (``unicodedata.is_normalized`` first would cost a whole normalization on the many texts
    that are not NFC: four times the time of this on the corpus.)
    """
    spans: list[tuple[int, int]] = []
    while (found := _first_odd(text, pos)) >= 0:
        if len(spans) == 64:
            return unicodedata.normalize("NFC", text), None
        start = text.rfind("\n", 0, found) + 1
        pos = text.find("\n", found) % (len(text) + 1)  # the line's end, or the text's
        spans.append((start, pos))
    out, last, lines, at = [], 0, [], 0
    for start, end in spans:
        line = unicodedata.normalize("NFC", text[start:end])
        out += [text[last:start], line]
        at += start - last  # where the line starts in the result
        lines.append((at, at + len(line)))
        at += len(line)
        last = end
    out.append(text[last:])
    return "".join(out), lines


_TONE_FIX = {
    # old tone placement → new (Quyết định 240/1984 style vs. the common modern one)
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ủy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
    "Oà": "Òa", "Oá": "Óa", "Oả": "Ỏa", "Oã": "Õa", "Oạ": "Ọa",
    "Uỳ": "Ùy", "Uý": "Úy", "Uỷ": "Ủy", "Uỹ": "Ũy", "Uỵ": "Ụy",
    "OÀ": "ÒA", "OÁ": "ÓA", "OẢ": "ỎA", "OÃ": "ÕA", "OẠ": "ỌA",
    "UỲ": "ÙY", "UÝ": "ÚY", "UỶ": "ỦY", "UỸ": "ŨY", "UỴ": "ỤY",
}
# Only at the end of a syllable: ``hoàn``, ``hoạch`` already have the mark where it belongs.
_TONE_RE = compiled("(?:" + "|".join(map(regex.escape, _TONE_FIX)) + r")(?!\p{L})")
_QU_GUARD = compiled(r"(?i)q$")


def modern_tones(text: str) -> str:
    """``hoà`` → ``hòa``, ``Uỷ ban`` → ``Ủy ban``: the tone placement most documents use.

    ``uý`` after ``q`` (``quý``) is a different vowel cluster and is left alone.
    """

    def repl(m: regex.Match) -> str:
        s = m.group(0)
        if s[0] in "uUỦ" and m.start() > 0 and _QU_GUARD.search(text[m.start() - 1]):
            return s
        return _TONE_FIX[s]

    return _TONE_RE.sub(repl, text)


_SYLLABLE = compiled(r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


def is_syllable(word: str) -> bool:
    """Whether ``word`` has the shape of one Vietnamese syllable (onset, one to three vowels, coda), read
    on its letters without marks."""
    return bool(_SYLLABLE.fullmatch(fold(word)))


def fold(text: str) -> str:
    """A comparison key: no diacritics, ``đ`` → ``d``, lower case, single spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.lower().split())
