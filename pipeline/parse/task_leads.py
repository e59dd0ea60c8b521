"""Who a task is addressed to: the body (or person) an item, a heading or an introducing sentence
names as its lead, the bodies named with it, and the cooperating agencies a text names.

``own_lead`` reads the opening of an item (`Giao Sở Tư pháp chủ trì …`, `Sở Tài chính: …`, `Chủ tịch
Ủy ban nhân dân cấp xã chỉ đạo …`, `Đối với Nhà đầu tư …: …`); ``intro_lead`` the end of a sentence
that introduces a list (`… giao Sở Công Thương chủ trì … nhiệm vụ sau:`); ``support_in`` the
cooperating agencies (`phối hợp với …`, a body given its own part in a later clause);
``defined_forms`` the short forms a document defines for bodies (`(sau đây gọi tắt là bộ)`).
The words are rules in ``rules/tasks.toml``; the names are read by ``agencies.py``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from pipeline.parse import patterns
from pipeline.parse.agencies import (
    AgencyMention,
    canonical_agency,
    find_agencies,
    first_agency,
    is_catch_all,
    leading_agencies,
)
from pipeline.pattern_cache import compiled

_AFTER_HEADING = compiled(r"[ \t]*(?:\([^()\n]{0,120}\))?[ \t]*(?:(?:có|chịu)[ \t]+trách[ \t]+nhiệm)?[ \t]*[:.]?[ \t]*", regex.IGNORECASE)
_CLAUSE_START = compiled(r"(?:^|[,;][ \t]+)(?=\p{L})")
_INTRO_PREFIX = compiled(r"(?<![\p{L}])(?:giao|phân[ \t]+công|đề[ \t]+nghị|yêu[ \t]+cầu)[ \t]+(?=(?-i:\p{Lu}))", regex.IGNORECASE)


def _p(name: str) -> regex.Pattern:
    return patterns.get("tasks", name)


@dataclass
class Lead:
    """An agency (or a person) an item is addressed to, as printed and canonical.

    ``co``: the bodies named with it as leads (`Sở Tư pháp; UBND các xã …`), cooperating agencies.
    """

    name: str
    printed: str
    text_from: int = 0  # where the task's own text begins (after `Sở X:`), relative to the item
    heading_only: bool = False  # the item is nothing but the agency: a heading for the items below
    co: tuple[AgencyMention, ...] = ()


# An agency's name, or a list of them after `phối hợp với`, fits in this many characters;
# reading no further keeps the work per item constant however long the item is.
_WINDOW = 600
_NAME_WINDOW = 300


def _agencies(text: str, pos: int = 0) -> list[AgencyMention]:
    """The agencies of the phrase starting at ``pos`` (offsets relative to ``pos``)."""
    return find_agencies(text[pos : pos + _WINDOW])


def _first_agency(text: str) -> AgencyMention | None:
    return first_agency(text[:_WINDOW], catch_alls=True)


def lead_of(found: list[AgencyMention], text_from: int = 0, heading_only: bool = False) -> Lead:
    """The first of bodies named together is the lead, the others cooperate (ANNOTATION.md, co-leads)."""
    return Lead(found[0].name, found[0].text, text_from, heading_only, tuple(found[1:]))


def own_lead(text: str, *, need_duty: bool = False) -> Lead | None:
    """The agency an item's text is addressed to, when it opens the item.

    ``need_duty``: accept an opening agency only when a verb of duty follows or a
    ``Giao``/``Phân công`` precedes (for unnumbered paragraphs, which may just report).
    """
    pos, prefixed = 0, False
    if m := _p("lead_prefix").match(text):
        pos, prefixed = m.end(), True
    if (m := _p("person_lead").match(text[pos:])) and not (m.group("title") and _first_agency(text[pos + m.end("title") :].lstrip())):
        end = pos + m.end()
        if prefixed or _p("duty_verb").match(text[end:]) or heading_rest(text, end):
            person = " ".join(m.group("person").split())
            return Lead(canonical_agency(person) or person, m.group("person"), _label_end(text, end), heading_rest(text, end))
    if not prefixed and (m := _p("regarding").match(text)):
        found = leading_agencies(text[m.end() : m.end() + _NAME_WINDOW])
        if found and text[m.end() + found[-1].end : m.end() + found[-1].end + 160].lstrip().startswith(":"):
            return lead_of(found)  # `Đối với Nhà đầu tư Dự án …: Khẩn trương …`: the text keeps `Đối với`
    if (m := _p("head_title").match(text[pos:])) and _first_agency(text[pos + m.end() : pos + m.end() + _WINDOW]):
        pos += m.end()
    lead = _lead_at(text, pos, need_duty and not prefixed, prefixed)
    if lead:
        return lead
    # `Định kỳ trước ngày 15 tháng 12 hằng năm, Ủy ban nhân dân … có trách nhiệm …`
    comma = text.find(", ", pos, pos + 120)
    if comma > 0 and not prefixed and not any(map(str.isupper, text[pos + 1 : comma])):
        return _lead_at(text, comma + 2, True)
    return None


def heading_rest(text: str, end: int) -> bool:
    """Whether nothing but a parenthesis, `có trách nhiệm` or a colon follows a name: a heading."""
    return _AFTER_HEADING.fullmatch(text, end) is not None


def _label_end(text: str, end: int) -> int:
    """Where the task's own text begins after an agency label (`Sở Tài chính: Hàng năm …`, `Bộ Chỉ huy
    quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng: Phối hợp …`), 0 when the agency is no label."""
    if (m := _p("label_colon").match(text, end)) and not _p("names_list").match(text[m.end() : m.end() + 200]):
        return m.end()  # the colon opens the task's sentence (`…: Phối hợp …`), not a list (`UBND các xã: Đức Trọng, …`)
    return 0


def _lead_at(text: str, pos: int, need_duty: bool, prefixed: bool = False) -> Lead | None:
    if not text[pos : pos + 1].isupper() and not (prefixed and text[pos : pos + 4].lower() == "các "):
        return None  # every agency's name opens with a capital (a group after `Trách nhiệm của` may not)
    if _p("not_agency").match(text[pos : pos + 80]):
        return None
    head = text[pos : pos + _NAME_WINDOW]
    if _first_agency(head) is None and not head[:4].lower() == "các ":
        return None  # the quick test: most items open with no body (a list `Các bộ: …` opens with `Các`)
    found = leading_agencies(head)
    if not found or (head[:1].islower() and is_catch_all(found[0].name)):
        return None  # `Đề nghị các đơn vị quan tâm …` addresses nobody in particular
    end = pos + found[-1].end
    if need_duty and not _p("duty_verb").match(text[end : end + 400]):
        return None
    heading = heading_rest(text, end)
    return lead_of(found, 0 if heading else _label_end(text, end), heading)


@functools.lru_cache(maxsize=512)
def intro_lead(text: str) -> Lead | None:
    """The agency a sentence introducing a list hands the work to.

    ``giao Sở Công Thương chủ trì … nhiệm vụ sau:``; ``các bộ, ngành cần tập trung … sau
    đây:``; ``Sở Y tế có trách nhiệm … sau:``. Several agencies named as subjects (``Sở A,
    UBND huyện B, Văn phòng C có trách nhiệm …``) give none: each item names its own.
    Only the end of a long paragraph is read: the sentence that introduces the list.
    """
    text = text[-800:]
    for m in _INTRO_PREFIX.finditer(text):
        if found := leading_agencies(text[m.end() : m.end() + _NAME_WINDOW]):
            return lead_of(found)
    if m := _p("group_lead").search(text):
        group = m.group("group")
        return Lead(group[0].upper() + group[1:], group)
    for m in _CLAUSE_START.finditer(text):
        found = _agencies(text, m.end())
        if not found or found[0].start != 0:
            continue
        if not _p("duty_verb").match(text[m.end() + found[-1].end :]):
            continue
        names = {f.name for f in found}
        return Lead(found[0].name, found[0].text) if len(names) == 1 else None
    return None


def support_in(text: str) -> list[AgencyMention]:
    """The cooperating agencies a text names: after `phối hợp (với)`, `cùng với`, and bodies given their
    own part of the work in a later clause (`…; Sở Tài chính chịu trách nhiệm thẩm định dự toán`)."""
    found: list[AgencyMention] = []
    for m in _p("support_cue").finditer(text):
        found += _agencies(text, m.end())
    for m in _p("own_part").finditer(text):
        if found_here := leading_agencies(text[m.end() : m.end() + _NAME_WINDOW]):
            if _p("duty_verb").match(text[m.end() + found_here[-1].end :][:400]):
                found += found_here
    return found


# ---------------------------------------------------------------- short forms the document defines

_DEFINITION_REACH = 200  # how far before `(sau đây gọi tắt là …)` the long form is looked for
_NAME_OPENS = compiled(r"(?<![\p{L}\d])(?=\p{Lu}|[cC]ác(?!\p{L}))")  # where a body's name may open


def defined_forms(text: str) -> dict[str, str]:
    """The short forms a document defines for bodies: `các bộ, cơ quan ngang bộ (sau đây gọi tắt là bộ)`
    gives `bộ` → `Các bộ, cơ quan ngang bộ` (ANNOTATION.md: short forms the document defines are expanded).

    The long form is the body named right before the parenthesis."""
    out: dict[str, str] = {}
    holds = patterns.needle_test("tasks", ("defines",))
    if holds is not None and not holds(text, 0, len(text)):
        return out
    for m in _p("defines").finditer(text):
        short = " ".join(m.group("short").split()).lower()
        window = text[max(0, m.start() - _DEFINITION_REACH) : m.start()].rstrip()
        for w in _NAME_OPENS.finditer(window):
            found = find_agencies(window[w.start() :], catch_alls=True)
            if found and found[0].start == 0 and w.start() + found[-1].end == len(window):
                out.setdefault(short, found[-1].name)  # the body the parenthesis follows
                break
    return out


def plural(long: str, short: str) -> str:
    """`các tỉnh` for a short form `tỉnh` of `Ủy ban nhân dân tỉnh, thành phố …`: `Ủy ban nhân dân các tỉnh, …`."""
    if long.lower().startswith("các "):
        return long
    at = regex.search(rf"(?<!\p{{L}}){regex.escape(short)}(?!\p{{L}})", long, regex.IGNORECASE)
    return long if at is None else long[: at.start()] + "các " + long[at.start() :]
