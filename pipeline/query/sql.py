"""SQL over the tables: a DuckDB connection with one view per table, read straight from the Parquet files.

Views, not copies: DuckDB reads only the columns and row groups a query needs, so a
query over millions of rows stays within memory. A column the files lack (an output
written before the column was added) reads as null, so every view has the current
schema. ``references`` is a reserved word in SQL: write it ``"references"``, or bare —
``sql()`` quotes the bare word outside strings and comments.
"""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa

from pipeline.output.schema import TABLES
from pipeline.query.files import Output
from pipeline.query.fold import SQL_MACROS

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float32(): "FLOAT",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    pa.list_(pa.field("element", pa.string())): "VARCHAR[]",
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _create_view(con: duckdb.DuckDBPyConnection, out: Output, name: str) -> None:
    schema = TABLES[name]
    files = out.files(name)
    keys = set(out.partition_values(name, files[0])) if files else set()  # hive: the partition column is in the path
    if files:
        hive = "hive_partitioning = true, hive_types_autocast = false" if keys else "hive_partitioning = false"
        source = "read_parquet([" + ", ".join(_literal(out.url(f)) for f in files) + f"], union_by_name = true, {hive})"
        present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    else:  # a partitioned table with no rows has no file: the view still has its columns
        source, present = "(SELECT 1) AS no_rows WHERE false", set()
    columns = [
        (f"CAST({_quote(f.name)} AS {_DUCK_TYPES[f.type]}) AS {_quote(f.name)}" if f.name in keys else _quote(f.name))
        if f.name in present
        else f"CAST(NULL AS {_DUCK_TYPES[f.type]}) AS {_quote(f.name)}"
        for f in schema
    ]
    columns += [_quote(c) for c in sorted(present - set(schema.names) - keys)]  # a newer writer's columns stay visible
    con.execute(f"CREATE VIEW {_quote(name)} AS SELECT {', '.join(columns)} FROM {source}")


def connect(output: str, tables: list[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per table of ``output`` and the ``vn_fold``/``number_key`` macros."""
    out = Output.at(output)
    con = duckdb.connect(":memory:")
    if not out.local:
        con.register_filesystem(out.fs)
    con.execute(SQL_MACROS)
    for name in tables or TABLES:
        _create_view(con, out, name)
    return con


# A bare word ``references``; strings, quoted names and comments are matched first and kept as they are.
_TOKENS = re.compile(
    r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\$\$.*?\$\$)|(?<![\w.$])(references)(?![\w$])""",
    re.IGNORECASE | re.DOTALL,
)


def quote_references(query: str) -> str:
    """``SELECT * FROM references r`` → ``SELECT * FROM "references" r``; ``'references'`` and comments untouched."""
    return _TOKENS.sub(lambda m: m.group(1) or '"references"', query)


def arrow(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> pa.Table:
    """The result of one statement as an Arrow table (an empty one for a statement that returns no rows)."""
    rel = con.sql(query, params=params)
    if rel is None:
        return pa.table({})
    return rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()  # duckdb 2 / duckdb 1


def sql(output: str, query: str) -> pa.Table:
    """Run one SQL query over the tables of ``output``; the result as an Arrow table."""
    con = connect(output)
    try:
        return arrow(con, quote_references(query))
    finally:
        con.close()
