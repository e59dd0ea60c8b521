"""Rows to Parquet, streamed: rows are flushed in row groups as they come, never held for the whole run.

Each table is written to ``<name>.parquet.tmp`` and renamed into place on ``close``:
readers see the old file or the new one, never a half-written one. ``TableWriter``
takes row dicts; ``FinalTables`` takes Arrow chunks (what compaction produces) and
also writes hive partitions and fsspec URLs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.output.rows import COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

NAMES = tuple(COLUMNS)
"""The tables, in schema order (pyarrow, for ``pipeline.output.schema``, is loaded only to write)."""

ROW_GROUP = 5000


class TableWriter:
    """Write the tables into ``out_dir``, one Parquet file each."""

    def __init__(self, out_dir: str | Path, row_group: int = ROW_GROUP):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.row_group = row_group
        self._buffers: dict[str, list[dict]] = {name: [] for name in NAMES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.counts: dict[str, int] = {name: 0 for name in NAMES}

    def _tmp(self, name: str) -> Path:
        return self.out_dir / f"{name}.parquet.tmp"

    def add(self, rows: dict[str, list[dict]]) -> None:
        """Queue the rows of one input; flush a table when its buffer is full."""
        for name, table_rows in rows.items():
            if not table_rows:
                continue
            buf = self._buffers[name]
            buf.extend(table_rows)
            self.counts[name] += len(table_rows)
            if len(buf) >= self.row_group:
                self._flush(name)

    def _flush(self, name: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from pipeline.output.schema import TABLES

        buf = self._buffers[name]
        schema = TABLES[name]
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self._tmp(name), schema, compression="zstd")
        if buf:
            self._writers[name].write_table(pa.Table.from_pylist(buf, schema=schema))
            buf.clear()

    def close(self) -> None:
        """Flush everything and move each table into place atomically (empty tables keep their schema)."""
        for name in NAMES:
            self._flush(name)
            self._writers[name].close()
            os.replace(self._tmp(name), self.out_dir / f"{name}.parquet")
        self._writers.clear()

    def abort(self) -> None:
        """Drop the temporary files: the previous tables stay as they were."""
        for name, writer in self._writers.items():
            writer.close()
            self._tmp(name).unlink(missing_ok=True)
        self._writers.clear()


HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"

MAX_SEGMENT = 200
"""Bytes of one partition folder's name, well under the 255 most filesystems allow."""

_ESCAPE = set('"#%\'*/:=?\\[]^{}') | {chr(c) for c in range(32)} | {chr(127)}
"""What Hive escapes in a partition value (as ``%XX``, which every reader decodes); letters with diacritics stay
as they are, so ``issuer=Sở Tư pháp`` stays readable and short."""


def partition_dir(column: str, value) -> str:
    """``issue_year=2024``: a hive folder name, the value escaped as Hive does, null as Hive's default partition.

    A value whose folder name would pass ``MAX_SEGMENT`` bytes (a long issuer's name in ``%XX`` escapes, or
    any text) is cut at a character boundary and ends with ``~`` and 12 hex digits of its sha256: still
    readable, never two values in one folder, never ``File name too long``. Readers then see that shortened
    value in the partition column.
    """
    if value is None:
        return f"{column}={HIVE_NULL}"
    text = "".join(f"%{ord(c):02X}" if c in _ESCAPE else c for c in str(value))
    head = f"{column}="
    if len((head + text).encode("utf-8")) <= MAX_SEGMENT:
        return head + text
    import hashlib

    tag = "~" + hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:12]
    budget = MAX_SEGMENT - len(head.encode("utf-8")) - len(tag)
    cut = text.encode("utf-8")[:budget].decode("utf-8", "ignore")
    cut = cut[: cut.rfind("%")] if "%" in cut[-2:] else cut  # never half an escape
    return head + cut + tag


def file_schema(name: str, partition_by: str | None) -> pa.Schema:
    """The schema of a table's files: with ``partition_by`` the partition column lives in the folder name only
    (standard hive: pandas, DuckDB, Spark read it from there), so ``documents`` files leave it out."""
    from pipeline.output.schema import TABLES

    schema = TABLES[name]
    if partition_by and partition_by in schema.names:
        return schema.remove(schema.get_field_index(partition_by))
    return schema


UNPARTITIONED = ("errors",)
"""Tables with no document value to split by: their files lie in the table's folder itself."""


def _is_local(output: str) -> bool:
    return "://" not in output or output.startswith("file://")


def _as(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table.cast(schema)``, which loads ``pyarrow.compute`` even when there is nothing to cast."""
    return table if table.schema.equals(schema, check_metadata=True) else table.cast(schema)


class FinalTables:
    """The final tables in OUTPUT, written from Arrow chunks and put in place together at ``commit``.

    One file per table (``documents.parquet``), or with ``partition_by`` a hive-partitioned
    folder per table (``documents/issue_year=2024/part-0.parquet``; every table is
    split by its document's value, each file keeps the table's exact schema). OUTPUT is
    a local path or any fsspec URL. Locally each table is written beside its final
    name and renamed into place; on other filesystems it is written under a temporary
    name and moved, which object stores do per object.
    """

    def __init__(self, output: str, partition_by: str | None = None, row_group: int = ROW_GROUP):
        self.output = output.removeprefix("file://") if _is_local(output) else output
        self.local = _is_local(output)
        self.partition_by = partition_by
        self.row_group = row_group
        if self.local:
            self.fs, self.root = None, self.output
            os.makedirs(self.root, exist_ok=True)
        else:
            import fsspec

            self.fs, self.root = fsspec.core.url_to_fs(output)
            self.fs.makedirs(self.root, exist_ok=True)
        self._writers: dict[tuple[str, str | None], tuple[pq.ParquetWriter, object]] = {}
        self._buffers: dict[tuple[str, str | None], list[pa.Table]] = {}
        self._buffered: dict[tuple[str, str | None], int] = {}

    # -- paths --------------------------------------------------------------------------
    def _join(self, *parts: str) -> str:
        return os.path.join(self.root, *parts) if self.local else "/".join([self.root.rstrip("/"), *parts])

    def _final(self, name: str) -> str:
        return self._join(name if self.partition_by else f"{name}.parquet")

    def _tmp(self, name: str) -> str:
        return self._join(f".{name}.tmp" if self.partition_by else f"{name}.parquet.tmp")

    # -- writing ------------------------------------------------------------------------
    def write(self, name: str, table: pa.Table, value=None) -> None:
        """Queue rows of table ``name`` (exact schema) for the partition of ``value``."""
        if not table.num_rows:
            return
        where = partition_dir(self.partition_by, value) if self.partition_by and name not in UNPARTITIONED else None
        k = (name, where)
        self._buffers.setdefault(k, []).append(table)
        self._buffered[k] = self._buffered.get(k, 0) + table.num_rows
        if self._buffered[k] >= self.row_group:
            self._flush(k)

    def _open(self, k: tuple[str, str | None]) -> pq.ParquetWriter:
        import pyarrow.parquet as pq

        if k not in self._writers:
            name, where = k
            if self.partition_by:
                path = self._join(f".{name}.tmp", *([where] if where else []), "part-0.parquet")
            else:
                path = self._tmp(name)
            if self.local:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                sink = open(path, "wb")
            else:
                self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
                sink = self.fs.open(path, "wb")
            self._writers[k] = (pq.ParquetWriter(sink, file_schema(name, self.partition_by), compression="zstd"), sink)
        return self._writers[k][0]

    def _flush(self, k: tuple[str, str | None]) -> None:
        chunks = self._buffers.pop(k, [])
        self._buffered.pop(k, None)
        if chunks:
            import pyarrow as pa

            from pipeline.output.schema import TABLES

            table = _as(pa.concat_tables(chunks), TABLES[k[0]])
            schema = file_schema(k[0], self.partition_by)
            self._open(k).write_table(_as(table.select(schema.names), schema))

    def commit(self) -> None:
        """Flush and close everything, then put each table in place (empty tables keep their schema)."""
        for k in list(self._buffers):
            self._flush(k)
        if not self.partition_by:
            for name in NAMES:
                self._open((name, None))
        for writer, sink in self._writers.values():
            writer.close()
            if self.local:
                sink.flush()
                os.fsync(sink.fileno())
            sink.close()
        self._writers.clear()
        for name in NAMES:
            self._put_in_place(name)

    def _put_in_place(self, name: str) -> None:
        final, tmp = self._final(name), self._tmp(name)
        other = self._join(f"{name}.parquet" if self.partition_by else name)  # the other layout, from an earlier run
        if self.local:
            if self.partition_by:
                os.makedirs(tmp, exist_ok=True)
                old = self._join(f".{name}.old")
                shutil.rmtree(old, ignore_errors=True)
                if os.path.isdir(final):
                    os.rename(final, old)
                os.rename(tmp, final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, final)
            if os.path.isdir(other):
                shutil.rmtree(other, ignore_errors=True)
            elif os.path.exists(other):
                os.unlink(other)
            return
        if self.partition_by:
            self.fs.makedirs(tmp, exist_ok=True)
            if self.fs.exists(final):
                self.fs.rm(final, recursive=True)
            self.fs.mv(tmp, final, recursive=True)
        else:
            self.fs.mv(tmp, final)
        if self.fs.exists(other):
            self.fs.rm(other, recursive=True)

    def abort(self) -> None:
        """Drop what was written: the previous tables stay as they were."""
        for writer, sink in self._writers.values():
            try:
                writer.close()
                sink.close()
            except Exception:  # noqa: BLE001 - cleaning up after a failure
                pass
        self._writers.clear()
        for name in NAMES:
            tmp = self._tmp(name)
            if self.local:
                shutil.rmtree(tmp, ignore_errors=True) if os.path.isdir(tmp) else Path(tmp).unlink(missing_ok=True)
            elif self.fs.exists(tmp):
                self.fs.rm(tmp, recursive=True)

    def exist(self) -> bool:
        """Whether every table is in place in the layout asked for."""
        for name in NAMES:
            final = self._final(name)
            if not (os.path.exists(final) if self.local else self.fs.exists(final)):
                return False
        return True
