"""The final tables from the part files: the live rows of every input, merged in one order.

The manifest, read in key order, drives the merge: for each live input it names the
sorted run that holds its rows, and each run is read forward one part file at a time
(its rows are already in key order). Rows nobody names (a changed or removed file, a
part committed by a run killed before its manifest entries) are passed over. Memory is
one part file per (run, table), whatever the number of inputs.

Order of the final tables: by source path (folder by folder, names by their bytes:
``inputs.sort_key``), then the rows of one input in the order the parser gave them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.batch.errors import RunError
from pipeline.batch.inputs import sort_key
from pipeline.batch.manifest import Manifest
from pipeline.batch.parts import SRC, PartStore, part_schemas, write_durable
from pipeline.output.arrays import array
from pipeline.output.schema import TABLES
from pipeline.output.writer import FinalTables

Block = tuple[pa.Table, int, int]
DUPLICATES = "duplicate_paths"


class StateDamaged(RunError):
    """The manifest names rows that no part file holds."""


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A part written before a column was added: the column added (lists empty, the rest null)."""
    if table.schema.names == schema.names:
        return table
    n = table.num_rows
    arrays = []
    for f in schema:
        if f.name in table.column_names:
            arrays.append(table.column(f.name))
        elif pa.types.is_list(f.type):
            arrays.append(array([[]] * n, f.type))
        else:
            arrays.append(pa.nulls(n, f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


class _RunStream:
    """The rows of one table in one sorted run, as blocks per input, one part file in memory at a time."""

    def __init__(self, files, schema: pa.Schema):
        self._files = iter(files)
        self.schema = schema
        self._table: pa.Table | None = None
        self._blocks: list[tuple[bytes, int, int]] = []
        self._i = 0

    def _load(self) -> bool:
        for f in self._files:
            with pq.ParquetFile(f) as part:  # not read_table: its dataset layer loads pandas, for one file
                table = _conform(part.read(), self.schema)
            srcs = table.column(SRC).to_pylist()
            blocks, start = [], 0
            for i in range(1, len(srcs) + 1):
                if i == len(srcs) or srcs[i] != srcs[start]:
                    blocks.append((sort_key(srcs[start]), start, i))
                    start = i
            if blocks:
                self._table, self._blocks, self._i = table, blocks, 0
                return True
        return False

    def seek(self, key: bytes) -> Block | None:
        """The rows of ``key``, passing over rows of smaller keys (dead rows)."""
        while True:
            if self._i >= len(self._blocks):
                if not self._load():
                    return None
                continue
            k, a, b = self._blocks[self._i]
            if k < key:
                self._i += 1
                continue
            if k == key:
                self._i += 1
                return self._table, a, b
            return None


class _Chunks:
    """Slices of part tables, contiguous ones joined, until there are enough for a row group."""

    def __init__(self):
        self.slices: list[pa.Table] = []
        self.rows = 0
        self._cur: Block | None = None

    def add(self, table: pa.Table, a: int, b: int) -> None:
        cur = self._cur
        if cur is not None and cur[0] is table and cur[2] == a:
            self._cur = (table, cur[1], b)
        else:
            self._close()
            self._cur = (table, a, b)
        self.rows += b - a

    def _close(self) -> None:
        if self._cur is not None:
            t, a, b = self._cur
            self.slices.append(t.slice(a, b - a))
            self._cur = None

    def take(self) -> pa.Table | None:
        self._close()
        out = pa.concat_tables(self.slices) if self.slices else None
        self.slices, self.rows = [], 0
        return out


def live_blocks(
    manifest: Manifest, store: PartStore, run: int, partition_by: str | None, scope: bytes = b"", prune: bool = True
) -> Iterator[tuple[object, dict[str, Block], list[str] | None]]:
    """(partition value, {table: rows}, copies) for every live input, in the order of the final tables.

    ``copies`` is None for an input whose bytes no other input holds; for byte-identical inputs (one
    ``doc_id``) it is the list of the others' paths on the first of them, and ``[]`` on the others, whose
    rows the final tables leave out (they are the first one's rows)."""
    streams: dict[tuple[int, str], _RunStream] = {}
    dups = manifest.duplicates(run, scope, prune)
    first = {paths[0]: paths[1:] for paths in dups.values()}
    later = {p for paths in dups.values() for p in paths[1:]}
    for key, rel, r in manifest.live(run, scope, prune):
        blocks: dict[str, Block] = {}
        for name in TABLES:
            s = streams.get((r, name))
            if s is None:
                s = streams[(r, name)] = _RunStream(store.files(r, name), part_schemas()[name])
            b = s.seek(key)
            if b is not None:
                blocks[name] = b
        if not blocks:
            raise StateDamaged(f"no rows for {rel!r} in run {r}: delete {store.root.parent / '_manifest'} to start afresh")
        value = None
        if partition_by and "documents" in blocks:
            t, a, _ = blocks["documents"]
            value = t.column(partition_by)[a].as_py()
        yield value, blocks, first.get(rel, [] if rel in later else None)


def _with_copies(block: Block, copies: list[str]) -> Block:
    """The documents row of a block with ``duplicate_paths`` set."""
    t, a, b = block
    row = t.slice(a, b - a)
    i = row.schema.get_field_index(DUPLICATES)
    return row.set_column(i, row.schema.field(i), array([copies] * row.num_rows, row.schema.field(i).type)), 0, row.num_rows


class _FinalSink:
    def __init__(self, tables: FinalTables, row_group: int):
        self.tables, self.row_group = tables, row_group
        self.chunks: dict[tuple[str, object], _Chunks] = {}

    def add(self, value, blocks: dict[str, Block]) -> None:
        for name, (t, a, b) in blocks.items():
            c = self.chunks.get((name, value))
            if c is None:
                c = self.chunks[(name, value)] = _Chunks()
            c.add(t, a, b)
            if c.rows >= self.row_group:
                self.tables.write(name, c.take().drop_columns([SRC]), value)

    def finish(self) -> None:
        for (name, value), c in self.chunks.items():
            t = c.take()
            if t is not None:
                self.tables.write(name, t.drop_columns([SRC]), value)
        self.tables.commit()


class _ConsolidatedSink:
    """All live rows again as one new sorted run (with ``_src``), in parts of ``part_docs`` inputs."""

    def __init__(self, store: PartStore, run: int, part_docs: int):
        self.dir, self.part_docs = store.run_dir(run), part_docs
        self.chunks = {name: _Chunks() for name in TABLES}
        self.docs = self.n = 0

    def add(self, value, blocks: dict[str, Block]) -> None:
        for name, (t, a, b) in blocks.items():
            self.chunks[name].add(t, a, b)
        self.docs += 1
        if self.docs >= self.part_docs:
            self._flush()

    def _flush(self) -> None:
        if not self.docs:
            return
        self.n += 1
        for name, c in self.chunks.items():
            (self.dir / name).mkdir(parents=True, exist_ok=True)
            t = c.take()
            write_durable(t if t is not None else part_schemas()[name].empty_table(), self.dir / name / f"part-{self.n:06d}.parquet")
        self.docs = 0

    def finish(self) -> None:
        self._flush()


def compact(
    manifest: Manifest,
    store: PartStore,
    run: int,
    tables: FinalTables,
    partition_by: str | None = None,
    consolidate_to: int | None = None,
    part_docs: int = 1000,
    row_group: int = 5000,
    scope: bytes = b"",
    prune: bool = True,
) -> int:
    """Write the final tables (and, with ``consolidate_to``, one new run holding every live row). Returns the inputs written."""
    final = _FinalSink(tables, row_group)
    consolidated = _ConsolidatedSink(store, consolidate_to, part_docs) if consolidate_to is not None else None
    n = 0
    try:
        for value, blocks, copies in live_blocks(manifest, store, run, partition_by, scope, prune):
            if copies:
                final.add(value, {**blocks, "documents": _with_copies(blocks["documents"], copies)})
            elif copies is None:
                final.add(value, blocks)
            if consolidated:  # keeps every input's rows, copies too: the manifest names them all
                consolidated.add(value, blocks)
            n += 1
        if consolidated:
            consolidated.finish()
        final.finish()
    except BaseException:
        tables.abort()
        raise
    return n
