"""The data dictionary in docs/schema.md documents every column the writer produces, with its type."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.output.schema import TABLES

_ARROW_NAMES = {"date32[day]": "date32", "float": "float32", "double": "float64", "list<element: string>": "list<string>"}
DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def _documented() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"## (\w+)", line):
            current = tables.setdefault(m.group(1), {})
        elif current is not None and (m := re.match(r"\| (\w+) \| (\w+|list<\w+>) \|", line)) and m.group(1) != "column":
            current[m.group(1)] = m.group(2)
    return tables


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_documented_with_its_type(table):
    documented = _documented()[table]
    schema: pa.Schema = TABLES[table]
    assert list(documented) == schema.names
    for field in schema:
        assert documented[field.name] == _ARROW_NAMES.get(str(field.type), str(field.type)), field.name
