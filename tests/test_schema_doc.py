"""docs/schema.md is generated from the schema, documents every column with its type, and its closed
lists of values are the values real outputs hold (data/raw, and the dev corpus when ../shared is here)."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.output.dictionary import COLUMNS, closed_values, render
from pipeline.output.schema import TABLES
from pipeline.query.sql import connect
from test_query import made_output

_ARROW_NAMES = {"date32[day]": "date32", "float": "float32", "double": "float64", "list<item: string>": "list<string>", "list<element: string>": "list<string>"}
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


def test_schema_md_is_generated_from_the_schema():
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m pipeline.output.dictionary > docs/schema.md"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_documented_with_its_type(table):
    documented = _documented()[table]
    schema: pa.Schema = TABLES[table]
    assert list(documented) == schema.names
    assert set(schema.names) <= set(COLUMNS[table]), "describe the new column in pipeline/output/dictionary.py"
    for field in schema:
        assert documented[field.name] == _ARROW_NAMES.get(str(field.type), str(field.type)), field.name


def test_closed_lists_read_from_rules():
    values = closed_values()
    assert "Công văn" in values[("documents", "doc_type")] and "công văn" not in values[("documents", "doc_type")]
    assert {"yearly", "quarterly", "monthly", "weekly"} <= set(values[("tasks", "deadline_recurrence")])


def _check_values(out: Path) -> int:
    con = connect(str(out))
    checked = 0
    for (table, column), allowed in closed_values().items():
        seen = {v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall()}
        assert seen <= set(allowed), f"{table}.{column}: {sorted(seen - set(allowed))} not in docs/schema.md"
        checked += len(seen)
    return checked


def test_real_values_are_the_documented_ones(tmp_path_factory):
    assert _check_values(made_output("raw", tmp_path_factory)) > 10


def test_dev_values_are_the_documented_ones(shared_dir, tmp_path_factory):
    assert _check_values(made_output("dev", tmp_path_factory, shared_dir)) > 10

