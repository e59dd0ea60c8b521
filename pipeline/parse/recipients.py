"""Addressees: each entry after ``Kính gửi:`` (role ``to``) and each line of ``Nơi nhận:`` (role ``cc``).

Entries are kept as printed, without the leading dash and the trailing ``;``. The
``Lưu: VT, …`` line closes the list and is no recipient. OCR and PDF text interleave
the signature column with the list (``- Như trên; — PHO TONG CUC TRUONG``): the
capitalised signature fragment is cut off.
"""

from __future__ import annotations

import re

import regex

from pipeline.models import Recipient
from pipeline.parse.patterns import get, upper_ratio
from pipeline.parse.zones import Zones, first_noi_nhan
from pipeline.pattern_cache import compiled

_JUNK_TAIL = compiled(r"[\s;,.:=~_\-–—|]+$")
_AFTER_LAST_SEMICOLON = compiled(r";[\s\-–—]*([^;]*)$")
_TWO_ENTRIES = compiled(r"(?<=;)[ \t]*(?=[-–][ \t]+\p{Lu})")


def _clean(entry: str) -> str:
    entry = get("recipients", "bullet").sub("", entry.strip())
    entry = " ".join(entry.split())
    # A signature fragment interleaved after the entry: "Như trên; — PHO TONG CUC TRUONG".
    m = _AFTER_LAST_SEMICOLON.search(entry)
    if m and m.group(1) and upper_ratio(m.group(1)) > 0.8:
        entry = entry[: m.start()]
    return _JUNK_TAIL.sub("", entry).strip()


def _is_signature(line: str) -> bool:
    return bool(get("header", "signing_prefix").match(line.strip())) or (upper_ratio(line) > 0.85 and len(line) > 3)


def _entries(text: str, pos: int, first_line: str, role: str, single_line_ok: bool) -> list[Recipient]:
    """The list that starts at ``pos``: bullets, their continuation lines, up to ``Lưu`` or the list's end."""
    out: list[Recipient] = []
    current: list[tuple[str, int, int]] = []

    def flush():
        if current:
            start, end = current[0][1], current[-1][2]
            joined = " ".join(c[0] for c in current)
            for part in _TWO_ENTRIES.split(joined):  # two entries on one line
                value = _clean(part)
                if value:
                    out.append(Recipient(role, value, start, end))
            current.clear()

    rest = first_line.strip()
    if rest and (single_line_ok or get("recipients", "bullet").match(rest)) and not _is_signature(rest):
        current.append((rest, pos, pos + len(first_line)))
        if single_line_ok and not get("recipients", "bullet").match(rest):
            flush()
            return out
    line_start = text.find("\n", pos)
    blank_run = 0
    while 0 <= line_start < len(text):
        line_start += 1
        nl = text.find("\n", line_start)
        end = len(text) if nl < 0 else nl
        raw = text[line_start:end]
        line = raw.strip(" |\t")
        if not line:
            blank_run += 1
            if blank_run > 2 and (out or current):
                break
            line_start = end
            continue
        blank_run = 0
        if get("recipients", "luu").match(line):
            break
        if get("recipients", "bullet").match(line):
            flush()
            current.append((line, line_start, end))
        elif current and (not current[-1][0].rstrip().endswith((";", ".")) or line[:1].islower()) and not _is_signature(line):
            current.append((line, line_start, end))  # a wrapped entry (a lower-case line opens none: `các Vụ: …`)
        elif (out or current) or _is_signature(line):
            if _is_signature(line) and not (out or current):
                line_start = end
                continue
            break
        else:
            break
        line_start = end
        if len(out) > 200:
            break
    flush()
    return out


# What every `_NOI_NHAN` match holds, `Nơi` or `Noi`: ``re`` finds the first of either in one scan
# of the text, where ``str.find`` would take one scan for each.
_LUU_WORD = re.compile("L[ưu]u")  # what every `_LUU_VT` match holds, on its one line


def _first_luu_vt(text: str, pos: int) -> regex.Match | None:
    """``get("recipients", "luu_vt").search(text, pos)``, tried only on the lines holding ``Lưu``/``Luu`` (found by ``re`` in
    C): the pattern, anchored at line starts, would be tried at every position of the text."""
    while m := _LUU_WORD.search(text, pos):
        line_end = text.find("\n", m.end()) % (len(text) + 1)
        if found := get("recipients", "luu_vt").search(text, max(pos, text.rfind("\n", 0, m.start()) + 1), line_end):
            return found
        pos = line_end + 1
    return None


def _unlabelled_list(text: str) -> int | None:
    """The start of the line above a list of two to 200 bullets that the first ``Lưu: VT`` line in the
    last two thirds of the text closes: a Nơi nhận list whose label a scan's OCR lost (``ư Ieu``).
    One archive line and a bounded walk back: linear on any text."""
    m = _first_luu_vt(text, len(text) // 3)
    if m is None:
        return None
    line = text.rfind("\n", 0, m.start())
    bullets = 0
    while line > 0 and bullets <= 200:
        above = text.rfind("\n", 0, line) + 1
        if not get("recipients", "bullet").match(text[above:line].strip(" |\t")):
            break
        bullets += 1
        line = above - 1
    return text.rfind("\n", 0, line) + 1 if 2 <= bullets <= 200 and line > 0 else None


def find_recipients(text: str, zones: Zones | None = None) -> list[Recipient]:
    """``to`` entries of the first ``Kính gửi`` and ``cc`` entries of the first ``Nơi nhận`` (the one
    ``zones`` found, when given)."""
    out: list[Recipient] = []
    # Kính gửi belongs to the letter, before its end; one in an appendix form is no addressee.
    end_mark = text.find("./.")
    noi = first_noi_nhan(text) if zones is None or zones.noi_nhan is None else get("recipients", "noi_nhan").match(text, zones.noi_nhan[0])
    limit = min([x for x in (end_mark if end_mark >= 0 else None, noi.start() if noi else None) if x is not None], default=len(text))
    m = get("header", "kinh_gui").search(text, 0, limit)
    if m:
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        out += _entries(text, m.end(), text[m.end() : line_end], "to", single_line_ok=True)
    m = noi
    if m:
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        out += _entries(text, m.end(), text[m.end() : line_end], "cc", single_line_ok=False)
    elif (start := _unlabelled_list(text)) is not None:
        out += _entries(text, start, "", "cc", single_line_ok=False)
    return out
