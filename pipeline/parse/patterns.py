"""Compiled patterns from ``rules/*.toml``, built once per process.

A rule entry is a table with ``pattern`` (and optionally ``case_sensitive``);
``get("header", "doc_number")`` returns it compiled with ``regex`` V1 and MULTILINE.
"""

from __future__ import annotations

import functools
import unicodedata

import regex

from pipeline import rules


@functools.cache
def get(file: str, name: str) -> regex.Pattern:
    """The compiled pattern ``[name]`` of ``rules/<file>.toml``."""
    return get_entry(file, (name,))


@functools.cache
def get_entry(file: str, path: tuple[str, ...]) -> regex.Pattern:
    """The compiled pattern of a nested table, ``("marker", "dash")`` for ``[marker.dash]``."""
    entry = rules.load(file)
    for key in path:
        entry = entry[key]
    flags = regex.VERSION1 | regex.MULTILINE
    if not entry.get("case_sensitive"):
        flags |= regex.IGNORECASE
    return regex.compile(entry["pattern"], flags)


def any_of(pats: list[regex.Pattern]) -> regex.Pattern:
    """One pattern that matches (with ``match``) where one of ``pats`` does: a quick test before trying each.

    Each keeps its own case sensitivity in a scoped flag; group names are dropped (several
    patterns name the same group). All must be compiled with ``get_entry``'s other flags.
    """
    alts = []
    for p in pats:
        body = _GROUP_NAME.sub("(?:", p.pattern)
        alts.append(f"(?{'i' if p.flags & regex.IGNORECASE else '-i'}:{body})")
    return regex.compile("|".join(alts), regex.VERSION1 | regex.MULTILINE)


_GROUP_NAME = regex.compile(r"(?<!\\)\(\?P<\w+>")


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one: offsets stay valid in the original."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch
        out.append(base.lower() if len(base.lower()) == 1 else base)
    return "".join(out)


def upper_ratio(text: str) -> float:
    """Share of letters that are capitals: header names and type names are printed in capitals."""
    letters = "".join(filter(str.isalpha, text))
    if not letters:
        return 0.0
    return sum(map(str.isupper, letters)) / len(letters)
