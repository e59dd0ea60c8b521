"""Words of an agency phrase: tokens with the two forms names are compared on, made lazily.

``find_agencies`` reads a window of up to 600 characters, but its list of agencies usually
ends after a few words (most windows open with no agency at all). ``LazyTokens`` makes a
token only when the reader asks for it, so a call costs what it reads, not what it was given.
"""

from __future__ import annotations

import functools
import unicodedata
from bisect import bisect_left

import regex

TOKEN_RE = regex.compile(r"\w+|[^\w\s]")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
# Old tone placement puts the mark on the second vowel of oa, oe, uy at a syllable's end
# (`hoà`, `khoẻ`, `uỷ`); modern spelling, used by the gold, puts it on the first (`hòa`).
# Worked on NFD text, where the mark is a separate combining character. `qu` is a
# consonant, so `quý` is already modern.
_OLD_TONE_RE = regex.compile(
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


class Tok:
    """A word or punctuation mark, with its span and its two comparison forms."""

    __slots__ = ("text", "start", "end", "fold", "low")

    def __init__(self, text: str, start: int, end: int, fold: str, low: str) -> None:
        self.text, self.start, self.end, self.fold, self.low = text, start, end, fold, low

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    def __repr__(self) -> str:
        return f"Tok({self.text!r}, {self.start}, {self.end})"


def _tok(m: regex.Match) -> Tok:
    w = m[0]
    return Tok(w, m.start(), m.end(), *_forms(w))


def tokens(s: str) -> list[Tok]:
    """Every token of ``s``."""
    return [_tok(m) for m in TOKEN_RE.finditer(s)]


class LazyTokens:
    """The tokens of a text as a list that grows on demand.

    Indexing and slicing give what ``tokens(text)`` would (an index past the end raises
    ``IndexError``); ``has(k)`` is ``k < len(...)`` without making the rest; ``len`` makes all.
    """

    __slots__ = ("_matches", "_toks", "_starts", "_done")

    def __init__(self, text: str) -> None:
        self._matches = TOKEN_RE.finditer(text)
        self._toks: list[Tok] = []
        self._starts: list[int] = []
        self._done = False

    def _more(self) -> bool:
        """Make one more token; False at the end of the text."""
        if self._done:
            return False
        m = next(self._matches, None)
        if m is None:
            self._done = True
            return False
        t = _tok(m)
        self._toks.append(t)
        self._starts.append(t.start)
        return True

    def has(self, k: int) -> bool:
        """Whether there is a token ``k`` (``k >= 0``)."""
        toks = self._toks
        while len(toks) <= k:
            if not self._more():
                return False
        return True

    def _all(self) -> list[Tok]:
        while self._more():
            pass
        return self._toks

    def __getitem__(self, k):
        if isinstance(k, slice):
            if k.stop is None or k.stop < 0 or (k.start or 0) < 0:
                return self._all()[k]
            self.has(k.stop - 1)
            return self._toks[k]
        if k < 0:
            return self._all()[k]
        self.has(k)
        return self._toks[k]

    def __len__(self) -> int:
        return len(self._all())

    def __bool__(self) -> bool:
        return self.has(0)

    def index_at(self, pos: int) -> int:
        """Index of the first token at or after character ``pos`` (the count of all when none)."""
        starts = self._starts
        while (not starts or starts[-1] < pos) and self._more():
            pass
        return bisect_left(starts, pos)
