"""A cheap score of how much a page's text looks like real Vietnamese, to decide on OCR.

A scan has no text layer (or a few stray characters); a broken font gives letters that
are not Vietnamese (``Céng hoµ x· héi chñ nghÜa``), replacement characters or private-use
glyphs; bad OCR gives fragments that are not syllables. The score multiplies the share
of word tokens that are valid Vietnamese syllables, the share of letters that belong to
the Vietnamese alphabet, and a penalty for garbage characters, so any one failure
pulls it down. Two more failures of a scanner's own OCR layer, which reads as syllables once
folded: Vietnamese written without its marks (``Cdn c* LuQt``, ``TINH trY LAM DONG``: in real text
nearly nine words in ten carry one) and words with digits or capitals inside (``C6ng``, ``cgNG``).
A word in capitals is a syllable when it reads as one (``QUY ĐỊNH``) and an abbreviation (neutral)
when it does not (``UBND``), so a page of a few capital words is not taken for garbage. It runs in
microseconds per page, not milliseconds.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter

import regex

from pipeline.normalize import is_syllable

MIN_LETTERS = 20  # fewer letters than this: no usable text on the page
OCR_BELOW = 0.5  # pages scoring below this are sent to OCR

_WORD = regex.compile(r"\p{L}+")
_TOKEN = regex.compile(r"[\p{L}\d]+")
_GARBAGE = regex.compile(r"[\ufffd\ufffe\uffff\p{Co}\p{Cs}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MANGLED = regex.compile(r"\p{L}\d+\p{L}|\p{Ll}\p{Lu}")  # C6ng, cgNG: no word is written so
MARKED_SHARE = 0.5  # words with a Vietnamese mark below this share (real text: 0.85-0.95) pull the score down
MARKED_MIN_WORDS = 8  # … once there are this many small-letter words to count
_MARKS = {"\u0306": "a", "\u0302": "aeo", "\u031b": "ou"}
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


@functools.lru_cache(maxsize=4096)
def vietnamese_letter(ch: str) -> bool:
    """A letter of the Vietnamese alphabet (with its marks), or a plain Latin letter."""
    if ch in "đĐ":
        return True
    base, *marks = unicodedata.normalize("NFD", ch.lower())
    if not ("a" <= base <= "z"):
        return False
    if not marks:
        return True
    if base not in "aeiouy" or len(marks) > 2:
        return False
    tones = [m for m in marks if m in _TONES]
    shapes = [m for m in marks if m not in _TONES]
    return len(tones) <= 1 and len(shapes) <= 1 and all(base in _MARKS.get(m, "") for m in shapes)


@functools.lru_cache(maxsize=65536)
def _word(w: str) -> tuple[int, int]:
    """(letters of the Vietnamese alphabet, 1 syllable / 0 not / -1 neutral: an abbreviation or a lone capital) of one word."""
    vn = sum(1 for ch in w if vietnamese_letter(ch))
    syllable = is_syllable(w)
    if w.isupper() and (len(w) == 1 or not syllable):
        return vn, -1  # abbreviations (UBND, QĐ, BGDĐT) and a capital cut off (KHAI T) say nothing either way
    return vn, 1 if syllable else 0


def page_quality(text: str, marks: bool = True) -> float:
    """0 (no usable text) to 1 (clean Vietnamese): syllables × alphabet × no garbage × marks × whole words.

    ``marks=False`` leaves out the test of Vietnamese marks (a born-digital page in English has none).
    """
    words = _WORD.findall(text)
    n_letters = sum(map(len, words))
    if n_letters < MIN_LETTERS:
        return 0.0
    vn_letters = checked = valid = lower = marked = 0
    for w, k in Counter(words).items():  # each distinct word once: a page repeats most of its syllables
        vn, syl = _word(w)
        vn_letters += vn * k
        if syl >= 0:
            checked += k
            valid += syl * k
        if len(w) > 1 and not w.isupper():
            lower += k
            marked += k * (not w.isascii())
    syllables = valid / checked if checked else 0.5
    foreign = 1.0 - vn_letters / n_letters
    garbage = len(_GARBAGE.findall(text)) / max(1, len(text))
    score = syllables * max(0.0, 1.0 - 5 * foreign) * max(0.0, 1.0 - 10 * garbage)
    if marks and lower >= MARKED_MIN_WORDS:
        score *= min(1.0, marked / lower / MARKED_SHARE)
    tokens = _TOKEN.findall(text) if _MANGLED.search(text) else None  # a match lies inside one token
    if tokens:
        mangled = sum(1 for t in tokens if _MANGLED.search(t)) / len(tokens)
        score *= max(0.0, 1.0 - 5 * mangled)
    return round(min(1.0, max(0.0, score)), 3)
