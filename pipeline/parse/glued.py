"""Words a web page glued together, split back into syllables (``BANHÀNH`` → ``BAN HÀNH``).

Some legal-text sites print each syllable in its own element and lose the spaces between them
(``PHÁTTRIỂN``, ``XÂY DỰNGTRƯỜNGTHCSĐẠTCHUẨNQUỐCGIA``). A Vietnamese word is one syllable, so a
run of letters longer than a syllable can be, or not itself a known syllable, is split into the
fewest known syllables (``rules/syllables.tsv``), the more common reading first. A run that no
such split covers is left as printed. Only runs in capitals are split: the glue of styled titles,
which sites print with a space a reader sees; a lower-case run (``bồi dưỡngvà``) is a line join of
the site's text and is kept as the text gives it.
"""

from __future__ import annotations

import functools
import math

import regex

from pipeline import rules
from pipeline.normalize import is_syllable
from pipeline.pattern_cache import compiled

_RUN = compiled(r"\p{L}{4,}")
_MAX_PIECE = 7  # the longest syllable, `nghiêng`


def is_word(word: str) -> bool:
    """Whether ``word`` is a known Vietnamese syllable as printed, its marks in place (``TRƯỞNG`` is,
    OCR's ``TRUƠNG`` is not)."""
    return word.lower() in _known() and is_syllable(word)


@functools.cache
def _known() -> dict[str, float]:
    """Syllable → the log of how often it was seen."""
    out: dict[str, float] = {}
    with open(rules.RULES_DIR / "syllables.tsv", encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                word, n = line.split("\t")
                out[word] = math.log(int(n))
    return out


def _split(run: str) -> list[str] | None:
    """The fewest known syllables ``run`` is made of (the more common ones on a tie), or None."""
    known, low = _known(), run.lower()
    n = len(low)
    best: list[tuple[int, float, int] | None] = [None] * (n + 1)  # (pieces, -score, previous cut)
    best[0] = (0, 0.0, 0)
    for i in range(n):
        if best[i] is None:
            continue
        pieces, score, _ = best[i]
        for j in range(i + 1, min(n, i + _MAX_PIECE) + 1):
            f = known.get(low[i:j])
            if f is None:
                continue
            cand = (pieces + 1, score - f, i)
            if best[j] is None or cand[:2] < best[j][:2]:
                best[j] = cand
    if best[n] is None or best[n][0] < 2:
        return None
    cuts, j = [], n
    while j > 0:
        i = best[j][2]
        cuts.append(run[i:j])
        j = i
    return cuts[::-1]


def unglue(text: str | None) -> str | None:
    """``text`` with each run of capitals that is no syllable split into syllables where they cover it."""
    if not text or not _RUN.search(text):
        return text
    known = _known()

    def fix(m: regex.Match) -> str:
        run = m.group()
        if not run.isupper() or run.lower() in known or is_syllable(run):
            return run  # a known word, or one syllable's shape: never glued
        pieces = _split(run)
        return " ".join(pieces) if pieces else run

    return _RUN.sub(fix, text)


def glued_title(subject: str | None) -> tuple[str, str] | None:
    """(type, rest) when a subject opens with a type's name glued to its words (``BÁOCÁOKIỂMTRA …``): the
    title line the header missed."""
    from pipeline.parse.doctype import title_pattern, type_from_title

    if not subject:
        return None
    m = title_pattern().match(subject)
    if m is None or not (rest := subject[m.end() :].strip(" .:-")):
        return None
    return type_from_title(m.group()), rest
