"""Results written as they come, in part files committed atomically, then named in the manifest.

Layout under the state folder: ``_parts/run-<run>/<table>/part-<n>.parquet``. A part
holds the rows of consecutive inputs (in the order of the final tables) with one more
column, ``_src`` (the source path), so compaction can tell whose rows they are. Each
file is written to ``.tmp``, fsynced and renamed; only then are its entries written to
the manifest. A run killed in between leaves a part nobody names: it is ignored and
deleted later, and its files are processed again.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.batch.inputs import InputFile, sort_key
from pipeline.batch.items import Result
from pipeline.batch.manifest import Manifest, NewEntry
from pipeline.output.rows import COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa

SRC = "_src"


@functools.cache
def part_schemas() -> dict[str, pa.Schema]:
    """Each table's schema with ``_src`` after its columns. Built on first use: pyarrow is loaded only by a run
    that writes something."""
    import pyarrow as pa

    from pipeline.output.schema import TABLES

    if {name: tuple(schema.names) for name, schema in TABLES.items()} != COLUMNS:
        raise RuntimeError("pipeline.output.rows.COLUMNS is out of step with pipeline.output.schema.TABLES")
    return {name: schema.append(pa.field(SRC, pa.string())) for name, schema in TABLES.items()}


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PART_FORMAT = {"compression": "lz4", "use_dictionary": False, "write_statistics": False}
"""How part files are written: read once by compaction and deleted, they are written for speed (lz4, no
dictionary, no statistics: a third of zstd's cost to write, a quarter to read, files 1.6 times as large)."""


def write_durable(table: pa.Table, path: Path) -> None:
    """Write ``path`` so that it is either absent or complete, even on power loss."""
    import pyarrow.parquet as pq

    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        pq.write_table(table, fh, **PART_FORMAT)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class PartStore:
    """The ``_parts`` folder: one sub-folder per sorted run."""

    def __init__(self, state: Path):
        self.root = state / "_parts"
        self.root.mkdir(parents=True, exist_ok=True)

    def run_dir(self, run: int) -> Path:
        return self.root / f"run-{run:06d}"

    def runs_on_disk(self) -> set[int]:
        out = set()
        for p in self.root.glob("run-*"):
            try:
                out.add(int(p.name[4:]))
            except ValueError:
                pass
        return out

    def files(self, run: int, table: str) -> list[Path]:
        return sorted((self.run_dir(run) / table).glob("part-*.parquet"))

    def drop_runs(self, runs: set[int]) -> None:
        for r in runs:
            shutil.rmtree(self.run_dir(r), ignore_errors=True)

    def clean_tmp(self) -> None:
        for p in self.root.glob("run-*/*/*.tmp"):
            p.unlink(missing_ok=True)


class PartWriter:
    """Collect the rows of one run in order and commit them every ``part_docs`` inputs or ``part_seconds``."""

    def __init__(
        self, store: PartStore, manifest: Manifest, run: int, parser_version: str, part_docs: int = 1000, part_seconds: float = 30.0
    ):
        self.store, self.manifest, self.run = store, manifest, run
        self.parser_version = parser_version
        self.part_docs, self.part_seconds = max(1, part_docs), part_seconds
        self.n = 0
        # each table column by column (``COLUMNS`` order, ``_src`` last): one list append per column and input
        self._columns: dict[str, list[list]] = {name: [[] for _ in range(len(names) + 1)] for name, names in COLUMNS.items()}
        self._entries: list[NewEntry] = []
        self._started = time.monotonic()

    def add(self, item: InputFile, result: Result) -> None:
        for name, columns in result.columns.items():
            mine = self._columns[name]
            for have, new in zip(mine, columns):
                have.extend(new)
            mine[-1].extend([item.rel] * len(columns[0]))
        if result.is_document:
            status = "ok"
        else:
            status = result.error_type or "empty"
        self._entries.append(NewEntry(sort_key(item.rel), item.rel, result.doc_id, item.size, item.mtime_ns, status))
        if len(self._entries) >= self.part_docs or time.monotonic() - self._started >= self.part_seconds:
            self.commit()

    def commit(self) -> None:
        """Write the part's six files durably, then name them in the manifest."""
        if not self._entries:
            return
        import pyarrow as pa

        from pipeline.output.arrays import array

        self.n += 1
        run_dir = self.store.run_dir(self.run)
        for name, schema in part_schemas().items():
            folder = run_dir / name
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                fsync_dir(run_dir)
            columns = self._columns[name]
            table = pa.Table.from_arrays([array(c, f.type) for c, f in zip(columns, schema)], schema=schema)
            write_durable(table, folder / f"part-{self.n:06d}.parquet")
            fsync_dir(folder)
            for c in columns:
                c.clear()
        self.manifest.commit_part(self._entries, self.parser_version, self.run)
        self._entries.clear()
        self._started = time.monotonic()
