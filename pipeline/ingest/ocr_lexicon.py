"""Vietnamese syllables and their neighbours, to put back the diacritics Tesseract loses.

Tesseract's ``vie`` model reads most letters right and many marks wrong: ``tô chức`` for
``tổ chức``, ``phát triên`` for ``phát triển``, ``Giáo đục`` for ``Giáo dục``. The letters
left once every mark is taken off (``to``, ``trien``, ``duc``: ``đ`` as ``d``) are nearly
always right, so a syllable's candidates are the syllables of clean text with those same
letters, and its neighbours say which one was printed.

The counts come from ``rules/ocr_lexicon.tsv``, made by ``scripts/build_ocr_lexicon.py``
from the clean documents committed in the repository, and are read once per process. A
printed syllable stays when clean text has it beside one of its neighbours. Otherwise the
best candidate replaces it only if clean text has that candidate beside a neighbour, its
bigram likelihood beats the printed word's by a wide margin and the next candidate's
clearly; a printed word that is itself a known syllable (``đông``, ``kê``) needs a wider
margin and a candidate tightly bound to its neighbour (``Hội đồng``, ``kể từ``). With no
neighbour to go by, only a syllable Vietnamese cannot have (``kêt``, ``chât``) is
replaced. Precision first: a wrong fix is worse than none. Numbers, symbols
(``QĐ-BGDĐT``), abbreviations and words the lexicon does not know at all are left as printed.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from pathlib import Path

import regex

from pipeline.rules import RULES_DIR

LEXICON = RULES_DIR / "ocr_lexicon.tsv"

_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}  # huyền sắc hỏi ngã nặng
_MARKS = regex.compile(r"\p{Mn}")
# The letters of one Vietnamese syllable once its marks are gone (``đ`` as ``d``): an onset, one to three
# vowels, a coda. Abbreviations (``GDĐT``, ``UBND``, ``VT``) and foreign words (``STEM``) do not fit.
_SYLLABLE = regex.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnptiouy])?"
)
_SPACE = regex.compile(r"(\s+)")
_OPEN = "\"'“‘«([{"
_CLOSE = "\"'”’»)]}.,;:!?…"

# A replacement needs its log-likelihood above the printed word's by this much (natural log): more
# when the printed word is itself a syllable of clean text (``đăng`` for ``đẳng``, ``Công`` for ``Cổng``),
# since then Tesseract may well have read it right and only the lexicon is too small to have seen it there.
MARGIN_UNKNOWN = math.log(100)
MARGIN_KNOWN = math.log(1000)
# The replacement must also beat the next candidate by this much.
MARGIN_RIVAL = math.log(5)
# An unknown syllable that could be Vietnamese counts as if clean text held it this often.
UNKNOWN_COUNT = 1.0
# A known word is replaced only by a candidate seen this often beside one of its neighbours.
MIN_SEEN_KNOWN = 2
# A known word's replacement must be tied this tightly to a neighbour (``Lexicon.bond``).
BOND_KNOWN = 0.15
# With no neighbour to go by, an impossible syllable takes the reading seen at least this often and this
# many times more often than the next (``kêt`` → ``kết``, not ``kệt``).
MIN_DOMINANT = 10
DOMINANCE = 5


def base(word: str) -> str:
    """The letters without any mark, ``đ`` as ``d``, lower case: ``Nguyễn`` → ``nguyen``."""
    return _MARKS.sub("", unicodedata.normalize("NFD", word.lower())).replace("đ", "d")


def key(word: str) -> str:
    """The syllable lower-cased with its tone mark moved to the end: ``Hoá`` and ``hóa`` → ``hoa1``.

    Old and modern tone placement (``hoà``/``hòa``, ``uỷ``/``ủy``) are one syllable.
    """
    tone = ""
    out = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        t = _TONES.get(ch)
        if t:
            tone = t
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)) + tone


_STOP_FINAL = regex.compile(r"(?:p|t|c|ch)$")
_OPEN_DIPHTHONG = regex.compile(r"(?:iê|yê|uô|ươ)$")


def possible(k: str) -> bool:
    """Whether a key (``key``) can be a Vietnamese syllable at all: one ending in p, t, c, ch takes only
    the sắc or nặng tone (``kêt``, ``chât`` cannot be), and iê, yê, uô, ươ need a final consonant."""
    letters, tone = (k[:-1], k[-1]) if k[-1:].isdigit() else (k, "")
    if tone not in ("1", "5") and _STOP_FINAL.search(letters):
        return False
    return not _OPEN_DIPHTHONG.search(letters)


def is_syllable(word: str) -> bool:
    """Letters that can spell one Vietnamese syllable (``y`` of ``Y tế`` too; single letters are context only)."""
    return word.isalpha() and _SYLLABLE.fullmatch(base(word)) is not None


def split_word(chunk: str) -> tuple[str, str, str]:
    """A whitespace-separated chunk as (opening punctuation, core, closing punctuation)."""
    i, j = 0, len(chunk)
    while i < j and chunk[i] in _OPEN:
        i += 1
    while j > i and chunk[j - 1] in _CLOSE:
        j -= 1
    return chunk[:i], chunk[i:j], chunk[j:]


def _parts(line: str) -> list[str]:
    """A line split on white space, the spaces kept at odd indexes so that joining gives the line back."""
    return _SPACE.split(line)


def _words(parts: list[str]) -> list[tuple[int, str, str, str] | None]:
    """The syllables of a line split on white space (``parts``, words at even indexes) as (index, opening
    punctuation, letters, closing punctuation), with ``None`` wherever anything else stands between two:
    a number, a symbol, a bracket, a comma or a full stop."""
    items: list[tuple[int, str, str, str] | None] = []
    for i in range(0, len(parts), 2):
        if not parts[i]:
            continue
        pre, core, post = split_word(parts[i])
        if pre:
            items.append(None)
        items.append((i, pre, core, post) if is_syllable(core) else None)
        if post:
            items.append(None)
    return items


def runs(text: str) -> list[list[str]]:
    """Runs of neighbouring syllables in one line of text, lower case, as the corrector reads its context.

    The lexicon's bigrams are counted on these runs.
    """
    out: list[list[str]] = [[]]
    for it in _words(_parts(text)):
        if it is None:
            if out[-1]:
                out.append([])
        else:
            out[-1].append(it[2].lower())
    return [r for r in out if r]


class Lexicon:
    """Unigram and bigram counts of syllables, by ``key``, with the candidates of each base."""

    def __init__(self, unigrams: dict[str, int], bigrams: dict[tuple[str, str], int], spelling: dict[str, str]):
        self.uni = unigrams
        self.bi = bigrams
        self.spelling = spelling  # key → the spelling clean text uses most
        self.total = sum(unigrams.values()) or 1
        self.candidates: dict[str, tuple[str, ...]] = {}
        by_base: dict[str, list[str]] = {}
        for k in unigrams:
            by_base.setdefault(base(spelling[k]), []).append(k)
        self.candidates = {b: tuple(sorted(ks, key=lambda k: -unigrams[k])) for b, ks in by_base.items()}
        self._unk = 0.5 / (self.total + len(unigrams))
        self.followers: dict[str, int] = {}  # distinct syllables seen after each (Witten-Bell)
        for a, _ in bigrams:
            self.followers[a] = self.followers.get(a, 0) + 1

    def p1(self, k: str | None) -> float:
        """P(k), with an unknown syllable that could be Vietnamese taken as a rare word of clean text."""
        if not k:
            return self._unk
        n = self.uni.get(k)
        if n is None:
            n = UNKNOWN_COUNT if possible(k) else 0
        return (n + 0.5) / (self.total + len(self.uni))

    def cond(self, left: str, right: str) -> float:
        """P(right | left), Witten-Bell: the more different words follow ``left``, the more an unseen one is
        to be expected after it."""
        t = self.followers.get(left, 0) + 1
        return (self.bi.get((left, right), 0) + t * self.p1(right)) / (self.uni.get(left, 0) + t)

    def score(self, left: str | None, k: str, right: str | None) -> float:
        """Log-likelihood of ``k`` between its neighbours (``None``: a break)."""
        s = math.log(self.cond(left, k)) if left else math.log(self.p1(k))
        if right:
            s += math.log(self.cond(k, right))
        return s

    def seen(self, left: str | None, k: str, right: str | None) -> int:
        """How often ``k`` was seen beside the more frequent of its two neighbours."""
        return max(self.bi.get((left, k), 0) if left else 0, self.bi.get((k, right), 0) if right else 0)

    def bond(self, left: str | None, k: str, right: str | None) -> float:
        """How tightly ``k`` is tied to a neighbour: the share of the rarer one's occurrences spent beside
        the other (``thương mại`` 1.0, ``kết nối`` 0.9; ``hợp với`` 0.1: ``với`` follows anything)."""
        best = 0.0
        for a, b in ((left, k), (k, right)):
            n = self.bi.get((a, b), 0) if a and b else 0
            if n:
                best = max(best, n / min(self.uni.get(a, n), self.uni.get(b, n)))
        return best


def load(path: Path = LEXICON) -> Lexicon:
    """The lexicon written by ``scripts/build_ocr_lexicon.py``: lines ``1 key spelling count`` and
    ``2 key key count``, tab-separated, ``#`` for comments."""
    uni: dict[str, int] = {}
    bi: dict[tuple[str, str], int] = {}
    spelling: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            kind, a, b, n = line.rstrip("\n").split("\t")
            if kind == "1":
                uni[a] = int(n)
                spelling[a] = b
            else:
                bi[(a, b)] = int(n)
    return Lexicon(uni, bi, spelling)


@functools.cache
def lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    return load()


def _recase(template: str, word: str) -> str:
    if template.isupper():
        return word.upper()
    if template[0].isupper():
        return word[0].upper() + word[1:]
    return word


def _choose(lex: Lexicon, left: str | None, k: str, right: str | None, cands: tuple[str, ...]) -> str:
    """The key to print between ``left`` and ``right`` (keys, ``None`` at a break): ``k`` unless beaten."""
    known = k in lex.uni
    if known and lex.seen(left, k, right):
        return k  # clean text has it there
    scored = sorted(((lex.score(left, c, right), c) for c in cands if c != k), reverse=True)
    if not scored:
        return k
    best_score, best = scored[0]
    seen = lex.seen(left, best, right)
    if not seen:
        # No evidence either way: only a syllable that cannot be Vietnamese (``kêt``) is replaced, by the
        # reading clean text nearly always uses.
        return k if known or possible(k) else _dominant(lex, cands) or k
    if known and (seen < MIN_SEEN_KNOWN or lex.bond(left, best, right) < BOND_KNOWN):
        return k  # ``cuộc họp với``: ``hợp với`` is common, but ``với`` follows anything
    if best_score - lex.score(left, k, right) < (MARGIN_KNOWN if known else MARGIN_UNKNOWN):
        return k
    if len(scored) > 1 and best_score - scored[1][0] < MARGIN_RIVAL:
        return k  # two readings fit about as well (``do Bộ`` / ``do bổ``): no telling which was printed
    return best


def _dominant(lex: Lexicon, cands: tuple[str, ...]) -> str | None:
    """The candidate clean text uses far more than any other with the same letters, if there is one."""
    first = lex.uni[cands[0]]
    second = lex.uni[cands[1]] if len(cands) > 1 else 0
    return cands[0] if first >= MIN_DOMINANT and first >= DOMINANCE * second else None


def correct(line: str, lex: Lexicon | None = None) -> str:
    """One OCR line with syllables whose diacritics the context contradicts put right.

    Whitespace is kept as it was; only the letters of a replaced syllable change, in the
    printed word's case (``tô`` → ``tổ``, ``Chuân`` → ``Chuẩn``, ``TÔ`` → ``TỔ``).
    """
    lex = lex or lexicon()
    if not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
    parts = _parts(line)
    items = _words(parts)
    keys = [key(it[2]) if it else None for it in items]
    changed = False
    for n, it in enumerate(items):
        if it is None or len(it[2]) < 2:
            continue  # a single letter (``Y tế``, a list label) is context, never corrected
        i, pre, core, post = it
        if core.isupper() and not _capitals_around(items, n):
            continue  # an abbreviation, or a name in capitals alone
        cands = lex.candidates.get(base(core))
        if not cands:
            continue  # a word the lexicon does not know at all
        k = keys[n]
        if k in lex.uni and len(cands) == 1:
            continue
        left = keys[n - 1] if n else None
        right = keys[n + 1] if n + 1 < len(keys) else None
        if right and right not in lex.uni:
            right = None  # an unknown neighbour is no evidence
        new = _choose(lex, left, k, right, cands)
        if new != k:
            keys[n] = new
            parts[i] = pre + _recase(core, lex.spelling[new]) + post
            changed = True
    return "".join(parts) if changed else line


def _capitals_around(items: list, n: int) -> bool:
    """A word in capitals stands among other words in capitals (a heading), not alone (an abbreviation)."""
    for m in (n - 1, n + 1):
        if 0 <= m < len(items) and items[m] and items[m][2].isupper():
            return True
    return False
