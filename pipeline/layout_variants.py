"""Print a text document the ways real sources print it, to test that the parser reads layout, not files.

A legal-text site flattens the two header columns into cells with ``|`` between them, a
crawler hard-wraps lines at some width (inside the place and date line, inside names),
another puts the whole header on one line, under ``-------`` rules, with doubled or lost
spaces, headings in other case, Markdown marks. The values a person reads stay the same,
so the gold of the original scores every variant. Lines are wrapped only at spaces: a
number is never cut.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_BODY_START = re.compile(
    r"^\s*(?:Căn cứ|Kính gửi|Thực hiện|Điều 1\b|Chương I\b|I\.|1\.|Theo đề nghị|Xét đề nghị|Ngày \d|Trong thời gian|Để\s)",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^\s*(?:[IVX]+\.|\d+\.)\s+\S[^;]*[^;,.\s]\s*$")
"""A numbered heading: a short line that is no sentence (an item ``a) …`` or a clause ending ``;`` is text, which
no source prints in capitals)."""
_RULE = "-" * 7


@dataclass(frozen=True)
class Variant:
    name: str  # what was done, e.g. "cells+wrap40"
    text: str
    markdown: bool = False  # the variant carries Markdown marks: read it as a .md file


def _split(text: str) -> tuple[list[str], list[str]]:
    """Header lines (before the first body line, at most 40 non-empty lines) and the rest."""
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if line.strip():
            seen += 1
        if _BODY_START.match(line) or seen > 40:
            return lines[:i], lines[i:]
    return lines, []


def _wrap(line: str, width: int) -> list[str]:
    """Hard-wrap one line at spaces, as a crawler does; a word longer than the width stays whole."""
    words = line.split(" ")
    out, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    out.append(cur)
    return out


def wrap(lines: list[str], width: int) -> list[str]:
    return [piece for line in lines for piece in (_wrap(line, width) if len(line) > width else [line])]


_DATE_LINE = re.compile(r"ngày\s.{0,12}tháng\s.{0,12}năm\s*\d{4}")


def cells(header: list[str], rng: random.Random) -> list[str]:
    """The header's two-column table as a site prints it: each block of lines a cell, ``|`` between
    cells (a cell mark where the page had a blank line); the table ends with the place and date line,
    the title and subject follow as text."""
    end = next((i + 1 for i, line in enumerate(header) if _DATE_LINE.search(line)), len(header))
    table, rest = header[:end], header[end:]
    blocks: list[list[str]] = [[]]
    for line in table:
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line.strip())
    blocks = [b for b in blocks if b]
    out: list[str] = []
    for i, b in enumerate(blocks):
        if i:
            out.append("|" if rng.random() < 0.6 else "")
        if rng.random() < 0.3 and len(b) == 1:
            out.append(b[0] + " |")
        else:
            out.extend(b)
    return out + rest


def one_line(header: list[str]) -> list[str]:
    """The header run together on one line, as some crawls print it."""
    return [" ".join(line.strip() for line in header if line.strip())]


def with_rules(header: list[str], rng: random.Random) -> list[str]:
    """``-------`` under the issuer's block and the motto."""
    out = []
    for line in header:
        out.append(line)
        s = line.strip()
        if s.isupper() and len(s) > 4 and rng.random() < 0.5:
            out.append(_RULE if rng.random() < 0.5 else "-" * rng.randint(3, 15))
        elif "Hạnh phúc" in s:
            out.append("-" * rng.randint(5, 20))
    return out


def spaces(lines: list[str], rng: random.Random) -> list[str]:
    """Doubled spaces here and there; the space after ``Số:`` and ``V/v`` lost."""
    out = []
    for line in lines:
        line = re.sub(r"\b(Số|V/v):\s+", lambda m: m.group(1) + ":", line) if rng.random() < 0.5 else line
        line = re.sub(r" ", lambda _: "  " if rng.random() < 0.08 else " ", line)
        out.append(line)
    return out


def recase(lines: list[str], rng: random.Random) -> list[str]:
    """Outline headings in capitals or in sentence case."""
    out = []
    upper = rng.random() < 0.5
    for line in lines:
        if _HEADING.match(line) and len(line) < 90:
            line = line.upper() if upper else line[:1] + line[1:].lower() if line.isupper() else line
        out.append(line)
    return out


def markdown(lines: list[str], header_len: int) -> list[str]:
    """Bold capitals in the header and ``#`` before outline headings, as Markdown exports do."""
    out = []
    for i, line in enumerate(lines):
        s = line.strip()
        if i < header_len and s.isupper() and len(s) > 3 and "|" not in s:
            line = f"**{s}**"
        elif i >= header_len and re.match(r"^[IVX]+\.\s", s):
            line = f"## {s}"
        out.append(line)
    return out


def markers(lines: list[str], rng: random.Random) -> list[str]:
    """The list markers another office types: ``a/`` or ``a.`` for ``a)``, ``•`` or ``+`` for ``-``, ``1)`` for
    ``1.``; one choice for the whole document, as a document keeps one style."""
    alpha = rng.choice(["/", ".", ")"])
    dash = rng.choice(["•", "+", "-"])
    number = rng.choice([")", "."])
    out = []
    for line in lines:
        line = re.sub(r"^(\s*)([a-zđ])\)\s", lambda m: f"{m.group(1)}{m.group(2)}{alpha} ", line)
        line = re.sub(r"^(\s*)-\s", lambda m: f"{m.group(1)}{dash} ", line)
        line = re.sub(r"^(\s*)(\d{1,2})\.\s(?=\S)", lambda m: f"{m.group(1)}{m.group(2)}{number} ", line)
        out.append(line)
    return out


_ORDER = ["cells", "oneline", "rules", "recase", "markdown", "markers", "wrap", "spaces"]
_RECIPES = (
    "cells+wrap",
    "oneline+spaces+markers",
    "wrap+rules",
    "cells+recase+markdown",
    "wrap+spaces+markers",
    "rules+cells+markers",
)


def variants(text: str, n: int, seed: str) -> list[Variant]:
    """``n`` prints of ``text``, the same for the same ``seed`` (a file's name)."""
    out = []
    lines = text.split("\n")
    keep = 0  # a provenance comment a crawler put first is no part of the printed page
    while keep < len(lines) and lines[keep].lstrip().startswith("<!--"):
        keep += 1
    prefix, text = lines[:keep], "\n".join(lines[keep:])
    for k in range(n):
        rng = random.Random(f"{seed}#{k}")
        recipe = _RECIPES[k % len(_RECIPES)]
        header, body = _split(text)
        name = recipe
        md = False
        # what the page prints first (cells, rules, case, marks), then what a crawler does to lines
        for step in sorted(recipe.split("+"), key=_ORDER.index):
            if step == "cells":
                header = cells(header, rng)
            elif step == "oneline":
                header = one_line(header)
            elif step == "rules":
                header = with_rules(header, rng)
            elif step == "wrap":
                width = rng.randint(20, 90)
                header, body = wrap(header, width), wrap(body, max(width, 40))
                name = name.replace("wrap", f"wrap{width}")
            elif step == "spaces":
                header, body = spaces(header, rng), spaces(body, rng)
            elif step == "recase":
                body = recase(body, rng)
            elif step == "markers":
                body = markers(body, rng)
            elif step == "markdown":
                md = True
                joined = markdown(header + body, len(header))
                header, body = joined[: len(header)], joined[len(header) :]
        out.append(Variant(name, "\n".join(prefix + header + body), md))
    return out
