"""Rewrite one final table file in place, atomically, under a mark: the post-run steps' shared plumbing.

Citation linking and successor filling each add values that need the whole output, after the
final tables are in place. Each writes the new file beside the old one under a dot name (dataset
readers pass over it), syncs it, then puts it in place; its schema metadata carries a mark, so a
file already done costs one footer read, and compaction (which writes files without the mark)
makes the next run do it again. A run killed in between leaves either file whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.query.files import Output


def open_file(out: Output, path: str, mode: str):
    return open(path, mode) if out.local else out.fs.open(path, mode)


def marked(out: Output, path: str, key: bytes, value: bytes | None = None) -> bool:
    """The file carries ``key`` (with ``value``, when given) in its schema metadata, or has no rows to do."""
    with open_file(out, path, "rb") as fh:
        source = pq.ParquetFile(fh)
        meta = source.schema_arrow.metadata or {}
        if source.metadata.num_rows == 0:
            return True
        return key in meta and (value is None or meta[key] == value)


def rewrite(out: Output, path: str, tables: Iterable[pa.Table], schema: pa.Schema, tag: str = "rewrite") -> None:
    """Write ``tables`` (each already of ``schema``) as the new content of ``path``, then put it in place."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{tag}.tmp")
    with open_file(out, tmp, "wb") as sink:
        with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
            for table in tables:
                writer.write_table(table.replace_schema_metadata(schema.metadata))
        if out.local:
            sink.flush()
            os.fsync(sink.fileno())
    if out.local:
        os.replace(tmp, path)
    else:
        out.fs.mv(tmp, path)
