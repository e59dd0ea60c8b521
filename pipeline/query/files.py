"""Where a table's Parquet files are: one file per table or a hive-partitioned folder, on disk or at an fsspec URL.

Readers look at what is there rather than at how the run was configured, so an OUTPUT
written either way (or copied elsewhere) reads the same: ``documents.parquet``, or
``documents/issue_year=2024/part-0.parquet`` and its siblings. A partitioned file may hold
the partition column or leave it to its folder's name (standard hive partitions, as Spark and
pandas write them): ``partition`` reads the value from the folder (``%``-escapes decoded,
``__HIVE_DEFAULT_PARTITION__`` as null), and ``batches`` gives a file's columns either way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


def partition(path: str) -> tuple[str, str | None] | None:
    """(column, value as text) of a file in a hive folder ``…/column=value/part-0.parquet``, else None."""
    from urllib.parse import unquote

    folder = path.replace("\\", "/").rstrip("/").rsplit("/", 2)
    if len(folder) < 2 or "=" not in folder[-2]:
        return None
    column, value = folder[-2].split("=", 1)
    return column, None if value == HIVE_NULL else unquote(value)


class NotAnOutput(FileNotFoundError):
    """OUTPUT holds no vanban table of that name (neither ``name.parquet`` nor a ``name/`` folder)."""


@dataclass(frozen=True)
class Output:
    """An OUTPUT folder: ``fs`` is None for a local path, else the fsspec filesystem of the URL."""

    root: str
    fs: object | None = None
    protocol: str = ""

    @classmethod
    def at(cls, output: str | os.PathLike) -> Output:
        text = os.fspath(output)
        if "://" not in text or text.startswith("file://"):
            return cls(text.removeprefix("file://"))
        import fsspec

        fs, root = fsspec.core.url_to_fs(text)
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        return cls(root.rstrip("/"), fs, protocol)

    @property
    def local(self) -> bool:
        return self.fs is None

    def join(self, *parts: str) -> str:
        return os.path.join(self.root, *parts) if self.local else "/".join([self.root, *parts])

    def _exists(self, path: str) -> bool:
        return os.path.exists(path) if self.local else self.fs.exists(path)

    def _isdir(self, path: str) -> bool:
        return os.path.isdir(path) if self.local else self.fs.isdir(path)

    def files(self, name: str) -> list[str]:
        """The table's Parquet files, sorted (an empty partitioned table has none)."""
        single = self.join(f"{name}.parquet")
        if self._exists(single):
            return [single]
        folder = self.join(name)
        if not self._isdir(folder):
            raise NotAnOutput(f"no table {name!r} in {self.url(self.root)} (run `vanban run INPUT OUTPUT` first)")
        if self.local:
            found = [os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs if f.endswith(".parquet")]
        else:
            found = [p for p in self.fs.find(folder) if p.endswith(".parquet")]
        return sorted(found)

    def url(self, path: str) -> str:
        """The path as DuckDB and people name it: local as is, else with its protocol."""
        return path if self.local else f"{self.protocol}://{path}"

    def open(self, path: str, mode: str = "rb"):
        return open(path, mode) if self.local else self.fs.open(path, mode)

    def batches(self, name: str, columns: list[str]):
        """Record batches of some columns of a table, file by file: a column a file leaves to its hive folder is
        filled from the folder's name, one the file lacks otherwise is null (an older writer). Typed as the schema."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from pipeline.output.schema import TABLES

        schema = pa.schema([TABLES[name].field(c) for c in columns])
        for path in self.files(name):
            part = partition(path)
            with self.open(path) as fh:
                source = pq.ParquetFile(fh)
                present = [c for c in columns if c in source.schema_arrow.names]
                for batch in source.iter_batches(columns=present):
                    arrays = []
                    for f in schema:
                        if f.name in present:
                            column = batch.column(f.name)  # cast only when it must: a cast loads pyarrow.compute
                            arrays.append(column if column.type == f.type else column.cast(f.type))
                        else:
                            value = part[1] if part and part[0] == f.name else None
                            arrays.append(pa.array([value] * batch.num_rows, pa.string()).cast(f.type))
                    yield pa.RecordBatch.from_arrays(arrays, schema=schema)
