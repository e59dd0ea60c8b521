"""Compiled patterns from ``rules/*.toml``, built once per process.

A rule entry is a table with ``pattern`` (and optionally ``case_sensitive``);
``get("header", "doc_number")`` returns it compiled with ``regex`` V1 and MULTILINE.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator

import regex

from pipeline import rules
from pipeline.pattern_cache import compiled


@functools.cache
def get(file: str, name: str) -> regex.Pattern:
    """The compiled pattern ``[name]`` of ``rules/<file>.toml``."""
    return get_entry(file, (name,))


def entry(file: str, path: tuple[str, ...]) -> dict:
    """The table of a rule, ``("marker", "dash")`` for ``[marker.dash]`` of ``rules/<file>.toml``."""
    table = rules.load(file)
    for key in path:
        table = table[key]
    return table


@functools.cache
def get_entry(file: str, path: tuple[str, ...]) -> regex.Pattern:
    """The compiled pattern of a nested table, ``("marker", "dash")`` for ``[marker.dash]``."""
    table = entry(file, path)
    flags = regex.VERSION1 | regex.MULTILINE
    if not table.get("case_sensitive") and not caseless(table["pattern"]):
        flags |= regex.IGNORECASE
    return compiled(table["pattern"], flags)


# Escapes whose meaning does not depend on case-insensitive matching (digit, space, word,
# boundary and escaped punctuation); any other (\p{Lu}, \x41, \u1ea0, \N{…}, a back
# reference) may stand for a cased letter.
_CASELESS_ESCAPE = compiled(r"\\[tnrfvdDsSwWbB.\-*+?()\[\]{}|\\^$/:,;!<>=&#%'\"@` ]")


@functools.lru_cache(maxsize=None)
def caseless(pattern: str) -> bool:
    """Whether ignoring case cannot change what ``pattern`` matches: it names no cased letter.

    ``regex`` matches such a pattern (``^[ \\t]*(?P<label>\\+)[ \\t]+``) several times faster
    without IGNORECASE, which a rule without ``case_sensitive`` would otherwise get.
    """
    rest = _CASELESS_ESCAPE.sub("", _GROUP_NAME.sub("(", pattern))
    return "\\" not in rest and all(c.lower() == c == c.upper() for c in rest)


# ---------------------------------------------------------------- what lets a text be passed by
#
# A rule may say what every match of it holds, so that a text without it is passed by before the
# regex runs (tests/test_rules.py checks each against every match of the examples and fixtures):
# `needles` (strings, as printed), `needle` (a part of the pattern, read with its flags), `opens`
# (a character class every match opens with after its spaces and tabs), `anchors` with
# `anchor_reach` (strings, and how far a match reaches before and after one).


@functools.cache
def needle_finder(file: str, path: tuple[str, ...]) -> regex.Pattern | None:
    """What every match of the rule holds, as a pattern to find it by: its ``needles`` or its ``needle``;
    None when it names neither."""
    table = entry(file, path)
    if (strings := table.get("needles")) is not None:
        return compiled("|".join(map(regex.escape, strings)))
    if (part := table.get("needle")) is not None:
        return compiled(part, get_entry(file, path).flags)
    return None


@functools.cache
def needle_test(file: str, path: tuple[str, ...]) -> Callable[[str, int, int], bool] | None:
    """A test ``(text, lo, hi)`` of whether ``text[lo:hi]`` holds what every match of the rule holds
    (``needles`` looked for with ``str.find``, in C; a ``needle`` searched); None when it names neither."""
    strings = entry(file, path).get("needles")
    if strings is not None:
        strings = tuple(strings)
        return lambda text, lo, hi: any(text.find(s, lo, hi) >= 0 for s in strings)
    if (finder := needle_finder(file, path)) is None:
        return None
    return lambda text, lo, hi: finder.search(text, lo, hi) is not None


@functools.cache
def opens(file: str, path: tuple[str, ...]) -> regex.Pattern | None:
    """The rule's ``opens`` with the pattern's flags; None when it names none (any character may open a match)."""
    char_class = entry(file, path).get("opens")
    return None if char_class is None else compiled(char_class, get_entry(file, path).flags)


@functools.cache
def _anchoring(file: str, name: str) -> tuple[tuple[str, ...], int, int] | None:
    table = entry(file, (name,))
    if not table.get("anchors"):
        return None
    before, after = table["anchor_reach"]
    return tuple(table["anchors"]), int(before), int(after)


@functools.cache
def _finders(literals: tuple[str, ...]) -> tuple[str | re.Pattern, ...]:
    """What finds ``literals``: a literal alone is looked for with ``str.find``; literals that
    share their first character (``-CP``, ``-TTg``, ``-NĐ`` …) with one ``re`` pattern, the
    character then what may follow it (``-(?=CP|TTg|NĐ…)``), which ``re`` scans for in C: one
    scan of a long text instead of one per literal."""
    groups: dict[str, list[str]] = {}
    for lit in literals:
        groups.setdefault(lit[:1], []).append(lit)
    out: list[str | re.Pattern] = []
    for ch, lits in groups.items():
        if len(lits) == 1 or not ch:
            out += lits
        else:
            out.append(re.compile(re.escape(ch) + "(?=" + "|".join(re.escape(lit[1:]) for lit in lits) + ")"))
    return tuple(out)


def _occurrences(text: str, literals: tuple[str, ...], pos: int, endpos: int) -> list[int]:
    """Where one of ``literals`` starts in ``text[pos:endpos]`` (in no order)."""
    hits = []
    for finder in _finders(literals):
        if isinstance(finder, str):
            i = text.find(finder, pos, endpos)
            while i >= 0:
                hits.append(i)
                i = text.find(finder, i + 1, endpos)
        else:
            hits += [m.start() for m in finder.finditer(text, pos, endpos)]
    return hits


def _windows(text: str, literals: tuple[str, ...], before: int, after: int, pos: int, endpos: int):
    """The spans around every occurrence of ``literals`` in ``text[pos:endpos]``, overlapping ones merged, in order."""
    hits = _occurrences(text, literals, pos, endpos)
    hits.sort()
    lo = hi = -1
    for i in hits:
        a, b = max(pos, i - before), min(endpos, i + after)
        if a <= hi:
            hi = b
            continue
        if hi > lo:
            yield lo, hi
        lo, hi = a, b
    if hi > lo:
        yield lo, hi


def search_anchored(file: str, name: str, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
    """``get(file, name).search(text, pos, endpos)``, scanning only around the rule's ``anchors``.

    A rule may declare literals every match holds (``anchors``) and how far a match reaches
    before and after one (``anchor_reach``, the latter with room for a closing lookahead); the
    regex then runs only over windows around them, found by ``str.find`` at C speed, instead
    of trying every position of a long text. Windows are searched in text order, each match
    lies whole in one, and a lookbehind still sees before a window: the result is a full search's.
    """
    pat = get(file, name)
    anchoring = _anchoring(file, name)
    endpos = len(text) if endpos is None else min(endpos, len(text))
    if anchoring is None:
        return pat.search(text, pos, endpos)
    for lo, hi in _windows(text, *anchoring, pos, endpos):
        if m := pat.search(text, lo, hi):
            return m
    return None


def finditer_anchored(file: str, name: str, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match]:
    """``get(file, name).finditer(text, pos, endpos)``, scanning only around the rule's ``anchors`` (see ``search_anchored``)."""
    pat = get(file, name)
    anchoring = _anchoring(file, name)
    endpos = len(text) if endpos is None else min(endpos, len(text))
    if anchoring is None:
        yield from pat.finditer(text, pos, endpos)
        return
    for lo, hi in _windows(text, *anchoring, pos, endpos):
        yield from pat.finditer(text, lo, hi)


def found(file: str, name: str, text: str) -> bool:
    """Whether rule ``name`` of ``rules/<file>.toml`` matches anywhere in ``text``: each of its top-level alternatives searched
    on its own, as ``regex`` skips ahead to an alternative's first word but tries a pattern of several at
    every position (``closing`` and ``task_heading`` read several times faster so)."""
    return any(alt.search(text) for alt in alternatives(file, name))


@functools.cache
def alternatives(file: str, name: str) -> tuple[regex.Pattern, ...]:
    """The top-level alternatives of rule ``name`` compiled one by one with its flags, or the whole
    pattern alone when cutting it could change what it matches."""
    whole = get(file, name)
    parts = None if whole.flags & regex.VERBOSE else _top_level_alternatives(whole.pattern)
    if parts is None:
        return (whole,)
    try:
        return tuple(compiled(part, whole.flags) for part in parts)
    except regex.error:  # a reference to a group of another alternative
        return (whole,)


# Pattern syntax that cutting at `|` would not keep: an inline flag or comment whose reach crosses an
# alternative (`(?i)`, `(?x)`, `(?#…)`), a group referred to by number or called (`\1`, `\g<1>`, `(?1)`,
# `(?R)`, `(?&name)`, `(?P>name)`, `(?(1)…)`).
_UNCUTTABLE = compiled(r"\\(?:[1-9]|g<)|\(\?(?:[a-zA-Z-]*\)|#|\(|[+-]?\d|R|&|P>)")


def _top_level_alternatives(pattern: str) -> list[str] | None:
    """``pattern`` cut at each ``|`` outside groups and character sets; None when it has none or holds
    syntax (``_UNCUTTABLE``) whose meaning may span them."""
    if _UNCUTTABLE.search(pattern):
        return None
    parts, depth, in_set, start, i = [], 0, 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2  # an escaped character, whatever it is
            continue
        if in_set:
            in_set += 1 if c == "[" else -1 if c == "]" else 0  # VERSION1 nests sets (`[[a-z]--[aeiou]]`)
        elif c == "[":
            in_set = 1
            i += pattern.startswith("^", i + 1)
            i += pattern.startswith("]", i + 1)  # a `]` opening a set is one of its characters
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts if len(parts) > 1 and depth == 0 and not in_set else None


def any_of(pats: list[regex.Pattern], tag: bool = False) -> regex.Pattern | None:
    """One pattern that matches where one of ``pats`` does, trying them in order: one call instead of one each.

    Each keeps its own case sensitivity in a scoped flag, and its groups under new names
    (several name the same group): group ``name`` of pattern ``i`` is ``name{i}``, back
    references included. With ``tag``, pattern ``i`` is also group ``p{i}``, so the match
    says which pattern matched and with what. All must be compiled with ``get_entry``'s
    other flags. None when a pattern refers to a group by number or in a way not renamed
    here (the combination would change its meaning): the caller tries them one by one.
    """
    if any(_GROUP_UNRENAMED.search(p.pattern) for p in pats):
        return None
    alts = []
    for i, p in enumerate(pats):
        body = _GROUP_REF.sub(lambda m, i=i: f"{m[1]}{m[2]}{i}{m[3]}", p.pattern)
        if tag:
            body = f"(?P<p{i}>{body})"
        alts.append(f"(?{'i' if p.flags & regex.IGNORECASE else '-i'}:{body})")
    return compiled("|".join(alts), regex.VERSION1 | regex.MULTILINE)


_GROUP_REF = compiled(r"(?<!\\)(\(\?P[<=])(\w+)([>)])")  # `(?P<name>` and `(?P=name)`
# Group references any_of does not rename: by number (\1, \g<1>, (?1), (?R)), `(?<name>`,
# `\g<name>`, `(?&name)`, `(?P>name)`, conditionals.
_GROUP_UNRENAMED = compiled(r"(?<!\\)(?:\\[1-9]|\\g<|\(\?(?:<\w|&|P>|\(|R|[+-]?\d))")
_GROUP_NAME = compiled(r"(?<!\\)\(\?P<(\w+)>")


class _FoldTable(dict):
    """The fold of each character, worked out the first time it is seen; ``str.translate`` reads it in C."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            out = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[0] if code > 127 else ch
            out = base.lower() if len(base.lower()) == 1 else base
        if len(self) < 65536:  # bounded, whatever characters a hostile file holds
            self[code] = out
        return out


_FOLD = _FoldTable()


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one: offsets stay valid in the original."""
    return text.translate(_FOLD)


class _LetterCaseTable(dict):
    """Each character as ``U`` (a capital letter), ``l`` (another letter) or nothing, for ``str.translate``."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = ("U" if ch.isupper() else "l") if ch.isalpha() else ""
        if len(self) < 65536:  # bounded, whatever characters a hostile file holds
            self[code] = out
        return out


_LETTER_CASE = _LetterCaseTable()


def upper_ratio(text: str) -> float:
    """Share of letters that are capitals: header names and type names are printed in capitals."""
    letters = text.translate(_LETTER_CASE)  # counted in C, not letter by letter in Python
    if not letters:
        return 0.0
    return letters.count("U") / len(letters)


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most one letter put in, left out or changed (an OCR misreading)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
