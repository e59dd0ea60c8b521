"""Task tables: rows of `Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian` as tasks.

Plans often list their work as a table. Text and Markdown carry a table as pipe rows
(``| 1 | Rà soát … | Sở Tư pháp | Các sở | Quý II/2024 |``); the header row says which
column holds the task, the lead, the cooperating agencies and the deadline. A row whose
lead cell is empty and whose first cells are a Roman numeral or a group title is a
section heading for the rows below it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from pipeline.parse import patterns
from pipeline.pattern_cache import compiled

_ROW = compiled(r"^[ \t]*\|.*\|[ \t]*$", regex.MULTILINE)
_ROLES = ("task", "lead", "support", "deadline")


@dataclass
class Cell:
    start: int
    end: int
    text: str


@dataclass
class TableRow:
    """One data row of a task table: the cells that hold each role (None when absent)."""

    cells: dict[str, Cell]
    section: str | None
    start: int
    end: int


def _parts(text: str, start: int, end: int) -> tuple[int, list[str]]:
    """(offset of the first cell, the cells as printed) of a pipe row."""
    line = text[start:end]
    first = line.index("|")
    return start + first + 1, line[first + 1 :].split("|")[:-1]


def _cell(base: int, parts: list[str], i: int) -> Cell:
    """Cell ``i`` of a row, made only when read: a row has up to tens of cells, a table uses four."""
    part = parts[i]
    value = part.strip()
    s = base + sum(len(p) + 1 for p in parts[:i]) + len(part) - len(part.lstrip())
    return Cell(s, s + len(value), value)


@functools.cache
def _column(role: str) -> regex.Pattern:
    return patterns.get_entry("tasks", ("table_column", role))


@functools.cache
def _any_column() -> regex.Pattern | None:
    return patterns.any_of([_column(role) for role in _ROLES])


def _may_head(text: str, start: int, end: int) -> bool:
    """Whether the row ``text[start:end]`` may head a task table: it names a lead column somewhere.

    One search of the row, where ``_roles`` tries each of its cells (tens in a wide table, whose
    every data row is tried as a header until one is found).
    """
    holds = patterns.needle_test("tasks", ("table_column", "lead"))
    return holds is None or holds(text, start, end)


def _roles(header: list[str]) -> dict[str, int]:
    """Which cell of a header row holds each role, from the cells' texts."""
    roles: dict[str, int] = {}
    for i, value in enumerate(header):
        if (any_column := _any_column()) is not None and not any_column.search(value):
            continue  # a cell that names no column (most rows are data): one test instead of four
        for role in _ROLES:
            if role not in roles and _column(role).search(value):
                roles[role] = i
                break
    return roles if "task" in roles and "lead" in roles else {}


def _aligned(roles: dict[str, int], n: int, width: int) -> dict[str, int]:
    """Which cell of a row of ``n`` cells holds each role, in a table ``width`` cells wide.

    A row with fewer cells than the header has merged some (`Theo phân công tại …` over the lead and
    cooperating columns): its first cells stand under the first columns and its last cell under the
    last column; a column between them falls inside the merged cell and gets nothing of its own."""
    if n >= width or n < 2:
        return roles
    out = {}
    for role, i in roles.items():
        if i < n - 1:
            out[role] = i
        elif i == width - 1:
            out[role] = n - 1
    return out


def table_rows(text: str, start: int = 0, end: int | None = None) -> list[TableRow]:
    """The data rows of every task table in ``text[start:end]``.

    A row whose task cell is empty under a row that had one (a task cell merged down over rows
    with different leads) is that task again, with its own lead, cooperating agencies and time."""
    end = len(text) if end is None else end
    if "|" not in text[start:end]:
        return []  # no pipe row (most documents): no need to scan for one
    rows: list[TableRow] = []
    roles: dict[str, int] = {}
    width = 0
    section: str | None = None
    last_task: Cell | None = None
    last_end = -2
    for m in _ROW.finditer(text, start, end):
        if m.start() > last_end + 2:  # a new table
            roles, section, last_task = {}, None, None
        last_end = m.end()
        if not roles:
            if _may_head(text, m.start(), m.end()):
                header = [p.strip() for p in _parts(text, m.start(), m.end())[1]]
                roles, width = _roles(header), len(header)
            continue
        base, parts = _parts(text, m.start(), m.end())
        got = {role: _cell(base, parts, i) for role, i in _aligned(roles, len(parts), width).items() if i < len(parts)}
        task = got.get("task")
        others = any(c.text for role, c in got.items() if role != "task")
        if not task or not task.text:
            if last_task is None or not others or any(p.strip() for p in parts[: roles["task"]]):
                continue
            got["task"] = task = last_task  # the task cell merged over this row
        elif not others:
            section, last_task = task.text, None  # a group heading row
            continue
        last_task = task
        rows.append(TableRow(got, section, m.start(), m.end()))
    return rows
