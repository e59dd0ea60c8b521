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

from pipeline.output.schema import ADDED_TABLES, TABLES
from pipeline.query.files import NotAnOutput, Output, partition
from pipeline.query import fold, search

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


def _create_view(con: duckdb.DuckDBPyConnection, out: Output, name: str) -> list[str]:
    """The view of one table; returns the files it reads (the only files a locked connection may open)."""
    schema = TABLES[name]
    try:
        files = out.files(name)
    except NotAnOutput:
        if name not in ADDED_TABLES:
            raise
        files = []  # an output written before the table existed: the view is empty, with its columns
    if files:
        paths = "[" + ", ".join(_literal(out.url(f)) for f in files) + "]"
        source = f"read_parquet({paths}, union_by_name = true, hive_partitioning = false)"
        present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        part = partition(files[0])
        if part and part[0] in schema.names and part[0] not in present:  # the value is in the folder's name only
            hive = f"{{{_literal(part[0])}: {_DUCK_TYPES[schema.field(part[0]).type]}}}"
            source = f"read_parquet({paths}, union_by_name = true, hive_partitioning = true, hive_types = {hive})"
            present.add(part[0])
    else:  # a partitioned table with no rows has no file: the view still has its columns
        source, present = "(SELECT 1) AS no_rows WHERE false", set()
    columns = [
        _quote(f.name) if f.name in present else f"CAST(NULL AS {_DUCK_TYPES[f.type]}) AS {_quote(f.name)}" for f in schema
    ]
    columns += [_quote(c) for c in sorted(present - set(schema.names))]  # a newer writer's columns stay visible
    con.execute(f"CREATE VIEW {_quote(name)} AS SELECT {', '.join(columns)} FROM {source}")
    return [out.url(f) for f in files]


def _read_only(con: duckdb.DuckDBPyConnection, files: list[str]) -> None:
    """From here on the connection reads the tables' files and nothing else, and cannot be set back.

    DuckDB's own switches (its "Securing DuckDB" page): no external access (no file, URL, extension
    or Python object other than the views' files, which ``allowed_paths`` names one by one), no
    extension installed or loaded behind a query's back, and the configuration locked so that no
    ``SET`` or ``RESET`` gives any of it back.
    """
    con.execute("SET allowed_paths = ?", [files])
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def connect(output: str, tables: list[str] | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per table of ``output`` and the ``vn_*``/``number_key`` macros.

    ``read_only`` (the default, and what every reading command uses) locks the connection once the
    views exist: see ``_read_only``. Only the post-run steps, which read through DuckDB and write
    with pyarrow, ask for an unlocked one.
    """
    out = Output.at(output)
    con = duckdb.connect(":memory:")
    if not out.local:
        con.register_filesystem(out.fs)
    con.execute(fold.SQL_MACROS + search.SQL_MACROS)
    files: list[str] = []
    for name in tables or TABLES:
        files += _create_view(con, out, name)
    if read_only:
        _read_only(con, files)
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


READING_STATEMENTS = frozenset({"SELECT", "MULTI"})
"""What ``vanban query`` runs: queries (``SELECT``, ``WITH``, ``FROM``, ``VALUES``, ``DESCRIBE``, ``SUMMARIZE``,
``SHOW``) and ``PIVOT`` (which DuckDB parses as several statements). ``COPY``, ``EXPORT``, ``ATTACH``,
``INSTALL``, ``SET``, ``CREATE`` and the rest are refused before anything runs: writing over a table's
own file is the one thing ``allowed_paths`` would not stop."""


class NotAQuery(ValueError):
    """A statement other than a query was given to ``vanban query``."""


def check_reading(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raise ``NotAQuery`` unless every statement of ``query`` only reads."""
    for statement in con.extract_statements(query):
        kind = statement.type.name
        if kind not in READING_STATEMENTS:
            raise NotAQuery(f"only queries (SELECT …) run here, not {kind}: vanban query reads the tables and writes nothing")


def arrow_batches(con: duckdb.DuckDBPyConnection, query: str, rows: int = 65536):
    """The result of one query as Arrow record batches of about ``rows`` rows, streamed (duckdb 2 / duckdb 1)."""
    rel = con.sql(query)
    reader = rel.to_arrow_reader(rows) if hasattr(rel, "to_arrow_reader") else rel.fetch_arrow_reader(rows)
    yield from reader


def sql(output: str, query: str) -> pa.Table:
    """Run one SQL query over the tables of ``output`` on a read-only connection; the result as an Arrow table."""
    con = connect(output)
    try:
        query = quote_references(query)
        check_reading(con, query)
        return arrow(con, query)
    finally:
        con.close()
