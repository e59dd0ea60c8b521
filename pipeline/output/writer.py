"""Rows to Parquet, streamed: rows are flushed in row groups as they come, never held for the whole run.

Each table is written to ``<name>.parquet.tmp`` and renamed into place on ``close``:
readers see the old file or the new one, never a half-written one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.output.schema import TABLES

ROW_GROUP = 5000


class TableWriter:
    """Write the six tables into ``out_dir``, one Parquet file each."""

    def __init__(self, out_dir: str | Path, row_group: int = ROW_GROUP):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.row_group = row_group
        self._buffers: dict[str, list[dict]] = {name: [] for name in TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.counts: dict[str, int] = {name: 0 for name in TABLES}

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
        buf = self._buffers[name]
        schema = TABLES[name]
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self._tmp(name), schema, compression="zstd")
        if buf:
            self._writers[name].write_table(pa.Table.from_pylist(buf, schema=schema))
            buf.clear()

    def close(self) -> None:
        """Flush everything and move each table into place atomically (empty tables keep their schema)."""
        for name in TABLES:
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
