"""Where a document's tasks may stand: its body, and plans or tables attached after the signature.

The header (issuer, number, Quốc hiệu, place and date, ``Kính gửi`` list) and the signature
(``Nơi nhận``, ``TM. ỦY BAN NHÂN DÂN`` …) hand out no work, and the lines between them are read
as numbered items by the outline: a Quốc hiệu line after a ``Kính gửi`` list, a signer's name
after a ``Điều 3. … chịu trách nhiệm thi hành``. What follows the signature is read only when it
is an attached document: a plan, programme, đề án or Phụ lục (its tasks count, its year frames a
bare ``trong năm``), or a regulation (Quy chế, Điều lệ: its articles regulate, like a Thông tư's).
The patterns are in ``rules/task_zones.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.parse import patterns

_RULES = "task_zones"
_HEADER_REACH = 6000  # the header's date line and Kính gửi list stand in the first characters
_ADDRESS_LINES = 40  # the longest Kính gửi list read


@dataclass(frozen=True)
class Attachment:
    """A document attached after the signature: its span, ``plan`` or ``rules``, the year its title names."""

    start: int
    end: int
    kind: str
    year: int | None = None


@dataclass(frozen=True)
class Zones:
    """The body (``start``, ``end``) and the attachments after it, in order."""

    start: int
    end: int
    attachments: tuple[Attachment, ...] = field(default=())


def _first(name: str, text: str, lo: int, hi: int):
    """The first match in ``text[lo:hi]`` of a rule anchored at line starts: only lines holding one of
    its needles are tried (a search would try the pattern at every position)."""
    needles = patterns.needle_finder(_RULES, (name,))
    pat = patterns.get(_RULES, name)
    pos = lo
    while (n := needles.search(text, pos, hi)) is not None:
        line = text.rfind("\n", 0, n.start()) + 1
        end = _line_end(text, n.end())
        if line >= lo and (m := pat.match(text, line, min(end, hi))) is not None:
            return m  # (a line without the rule's needle was skipped in C)
        pos = end + 1
    return None


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def body_start(text: str) -> int:
    """Where the body begins: after the place and date line and after the ``Kính gửi`` list, whichever
    ends later (a DOCX header table may give the list before the Quốc hiệu and date); 0 when neither
    stands in the first characters."""
    hi = min(len(text), _HEADER_REACH)
    start = 0
    if m := _first("header_date", text, 0, hi):
        start = _line_end(text, m.end())
    if m := _first("addressees", text, 0, hi):
        start = max(start, _addressees_end(text, m))
    return start


def _addressees_end(text: str, m) -> int:
    """The end of a ``Kính gửi`` block: its own line when it names the addressee, then every line
    that opens with a dash (blank lines between them skipped)."""
    pos = _line_end(text, m.end())
    named = bool(text[m.end() : pos].strip(" \t:|"))
    for _ in range(_ADDRESS_LINES):
        nxt = pos + 1
        if nxt >= len(text):
            break
        end = _line_end(text, nxt)
        line = text[nxt:end].strip(" \t|")
        if not line:
            pos = end
            continue
        if line[0] in "-–+•" or (not named and pos == _line_end(text, m.end())):
            pos, named = end, True
            continue
        break
    return pos


def body_end(text: str, floor: int) -> int:
    """Where the body ends: the first ``Nơi nhận`` or signing line at or after ``floor``."""
    needles = patterns.needle_finder(_RULES, ("body_end",))
    pat = patterns.get(_RULES, "body_end")
    pos = floor
    while (m := needles.search(text, pos)) is not None:
        line = text.rfind("\n", 0, m.start()) + 1
        if line >= floor and pat.match(text, line):
            return line
        pos = _line_end(text, m.end()) + 1
        if pos >= len(text):
            break
    return len(text)


def attachments(text: str, start: int) -> tuple[Attachment, ...]:
    """The documents attached after ``start`` (the end of the body), each up to the next one."""
    needles = patterns.needle_finder(_RULES, ("attachment",))
    pat = patterns.get(_RULES, "attachment")
    heads = []
    pos = start
    while (m := needles.search(text, pos)) is not None:
        line = text.rfind("\n", 0, m.start()) + 1
        if line >= start and (a := pat.match(text, line)):
            heads.append((line, "rules" if a.group("rules") else "plan"))
        pos = _line_end(text, m.end()) + 1
        if pos >= len(text):
            break
    out = []
    for k, (s, kind) in enumerate(heads):
        e = heads[k + 1][0] if k + 1 < len(heads) else len(text)
        e = min(e, body_end(text, _line_end(text, s) + 1))  # an attached form's own recipients and signature
        out.append(Attachment(s, e, kind, _title_year(text, s, e)))
    return tuple(out)


def _title_year(text: str, start: int, end: int) -> int | None:
    """The year named in an attachment's first lines (its title), if any."""
    hi = start
    for _ in range(4):
        hi = _line_end(text, hi + 1)
        if hi >= end:
            hi = end
            break
    m = patterns.get(_RULES, "attachment_year").search(text, start, hi)
    return int(m.group("y")) if m else None


def find(text: str) -> Zones:
    """The zones of a normalized document text."""
    start = body_start(text)
    # Never the header: after its date line, or past the first fifth of a text with none found.
    floor = start if start else min(len(text) // 5, 1500)
    end = body_end(text, floor)
    return Zones(start, end, attachments(text, end) if end < len(text) else ())
