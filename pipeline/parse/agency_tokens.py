"""Words of an agency phrase: tokens with the two forms names are compared on, made lazily.

``find_agencies`` reads a window of up to 600 characters, but its list of agencies usually
ends after a few words (most windows open with no agency at all). ``LazyTokens`` makes a
token only when the reader asks for it, so a call costs what it reads, not what it was given.
"""

from __future__ import annotations

import functools
import operator
import unicodedata
from bisect import bisect_left
from typing import NamedTuple

import regex

from pipeline.pattern_cache import compiled

TOKEN_RE = compiled(r"\w+|[^\w\s]")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
# Old tone placement puts the mark on the second vowel of oa, oe, uy at a syllable's end
# (`hoà`, `khoẻ`, `uỷ`); modern spelling, used by the gold, puts it on the first (`hòa`).
# Worked on NFD text, where the mark is a separate combining character. `qu` is a
# consonant, so `quý` is already modern.
_OLD_TONE_RE = compiled(
    r"(?<![qQ])(?:([oO])([aAeE])|([uU])([yY]))([\u0300\u0301\u0303\u0309\u0323])(?![\p{L}\p{M}])"
)


def _fix_tone(m: regex.Match) -> str:
    first, second = (m[1], m[2]) if m[1] else (m[3], m[4])
    return first + m[5] + second


def normalize_tone(s: str) -> str:
    """Modern tone placement (`Hoà` → `Hòa`, `Uỷ` → `Ủy`), NFC out."""
    nfd = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", _OLD_TONE_RE.sub(_fix_tone, nfd))


@functools.lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Case- and diacritic-free form, so `TỎNG CỤC THUÊ`, `Tổng cục Thuế` and `tong cuc thue` compare equal."""
    nfd = unicodedata.normalize("NFD", s.translate(_DASHES))
    base = "".join(c for c in nfd if not unicodedata.combining(c))
    return base.replace("đ", "d").replace("Đ", "D").lower()


@functools.lru_cache(maxsize=65536)
def low(s: str) -> str:
    """Lower case with diacritics kept, for one-word entries where folding would confuse `Sở` with `số`."""
    return normalize_tone(unicodedata.normalize("NFC", s.translate(_DASHES))).lower()


@functools.lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, str]:
    return fold(word), low(word)


class Tok(NamedTuple):
    """A word or punctuation mark, with its span and its two comparison forms."""

    text: str
    start: int
    end: int
    fold: str
    low: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


_new = tuple.__new__  # makes a Tok without the Python-level constructor: tokens are made by the thousand


def _tok(m: regex.Match) -> Tok:
    w = m[0]
    return _new(Tok, (w, *m.span(), *_forms(w)))


def tokens(s: str) -> list[Tok]:
    """Every token of ``s``."""
    return [_tok(m) for m in TOKEN_RE.finditer(s)]


class LazyTokens:
    """The tokens of a text, made as a reader asks for them.

    ``items`` is the list made so far (it only grows); ``has(k)`` makes tokens up to ``k``
    and says whether there is one, the lazy form of ``k < len(tokens(text))``.
    """

    __slots__ = ("items", "_next")

    def __init__(self, text: str) -> None:
        self.items: list[Tok] = []
        self._next = TOKEN_RE.finditer(text).__next__

    def has(self, k: int) -> bool:
        items = self.items
        if k < len(items):
            return True
        return self._make(k)

    def _make(self, k: int) -> bool:
        """Make tokens up to ``k``: ``_tok`` inline, as readers make hundreds a document."""
        items, next_match = self.items, self._next
        if next_match is None:
            return False
        try:
            while len(items) <= k:
                w = (m := next_match())[0]
                items.append(_new(Tok, (w, *m.span(), *_forms(w))))
        except StopIteration:
            self._next = None
            return False
        return True

    def index_at(self, pos: int) -> int:
        """Index of the first token at or after character ``pos`` (the count of all when none)."""
        items = self.items
        while (not items or items[-1].start < pos) and self._make(len(items)):
            pass
        return bisect_left(items, pos, key=_START)


_START = operator.attrgetter("start")
