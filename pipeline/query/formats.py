"""A result (an Arrow table) for a person or a program: an aligned table, CSV, JSON or Parquet.

The aligned table is for reading on a terminal: cells on one line, the widest columns
cut with ``…`` so a row fits the terminal's width, and no character of a document or a file
name can drive the terminal: control characters (ESC, BEL, the C1 range, DEL) and the
bidirectional overrides are shown as escapes (``\x1b``, ``\u202e``). CSV and JSON carry every
value whole (dates as ISO text) for other tools; Parquet keeps the types. In CSV a text cell
that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is prefixed with ``'`` (OWASP's advice on CSV injection); JSON and Parquet keep
the values as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import sys
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("table", "csv", "json", "parquet")
_MIN_WIDTH = 8
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates (a line shown backwards)
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every character that could act on a terminal shown as its escape (``\x1b``, ``\x07``)."""
    return _UNSEEN.sub(_escape, text)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return visible(" ".join(str(value).split()))


def csv_cell(value):
    """A value as a CSV cell: missing as empty, a text a spreadsheet would run as a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _fit(widths: list[int], floors: list[int], room: int) -> list[int]:
    """Narrow the widest columns, one character at a time, until the row fits ``room`` (or nothing can give)."""
    widths = list(widths)
    while sum(widths) > room:
        i = max(range(len(widths)), key=lambda j: widths[j] - floors[j])
        if widths[i] <= floors[i]:
            break
        widths[i] -= 1
    return widths


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def aligned(table: pa.Table, width: int | None = None) -> str:
    """The rows as text columns under a header, fitted to ``width`` (default: the terminal's)."""
    names = [visible(n) for n in table.column_names]
    rows = [[_cell(v) for v in row.values()] for row in table.to_pylist()]
    natural = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    floors = [min(natural[i], max(len(n), _MIN_WIDTH)) for i, n in enumerate(names)]
    width = width or shutil.get_terminal_size((160, 24)).columns
    widths = _fit(natural, floors, width - 2 * (len(names) - 1))
    numeric = [pa.types.is_integer(t) or pa.types.is_floating(t) for t in table.schema.types]

    def line(cells: list[str]) -> str:
        parts = [_cut(c, w).rjust(w) if num else _cut(c, w).ljust(w) for c, w, num in zip(cells, widths, numeric)]
        return "  ".join(parts).rstrip()

    out = [line(names), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def write(table: pa.Table, fmt: str = "table", path: str | None = None, stream: TextIO | None = None, noun: str = "rows") -> None:
    """Write ``table`` as ``fmt`` to ``path`` (required for parquet) or to ``stream`` (default stdout)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "parquet":
        if not path:
            raise ValueError("--format parquet needs -o FILE")
        pq.write_table(table, path, compression="zstd")
        return
    fh = open(path, "w", encoding="utf-8", newline="") if path else (stream or sys.stdout)
    try:
        if fmt == "table":
            fh.write(aligned(table) + f"\n({table.num_rows} {noun})\n")
        elif fmt == "csv":
            w = csv.writer(fh, lineterminator="\n")
            w.writerow([csv_cell(n) for n in table.column_names])
            for batch in table.to_batches():
                w.writerows([csv_cell(v) for v in row.values()] for row in batch.to_pylist())
        else:
            fh.write("[")
            sep = "\n"
            for batch in table.to_batches():
                for row in batch.to_pylist():
                    fh.write(sep + json.dumps(row, ensure_ascii=False, default=_json_value))
                    sep = ",\n"
            fh.write("\n]\n")
    finally:
        if path:
            fh.close()
