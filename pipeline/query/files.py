"""Where a table's Parquet files are: one file per table or a hive-partitioned folder, on disk or at an fsspec URL.

Readers look at what is there rather than at how the run was configured, so an OUTPUT
written either way (or copied elsewhere) reads the same: ``documents.parquet``, or
``documents/issue_year=2024/part-0.parquet`` and its siblings. Partitions are standard
hive: the partition column is in the folder names only (``partition_values``), not in
the files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


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

    def partition_values(self, name: str, path: str) -> dict[str, str | None]:
        """The ``key=value`` folders between table ``name``'s folder and one of its files, values decoded as
        every hive reader decodes them (``%XX``), None for Hive's default partition (a null value)."""
        from urllib.parse import unquote

        folder = self.join(name).rstrip("/") + "/"
        rel = path.replace(os.sep, "/")[len(folder.replace(os.sep, "/")) :] if path.startswith(self.join(name)) else ""
        out: dict[str, str | None] = {}
        for segment in rel.split("/")[:-1]:
            key, eq, value = segment.partition("=")
            if eq:
                out[key] = None if value == "__HIVE_DEFAULT_PARTITION__" else unquote(value)
        return out

    def url(self, path: str) -> str:
        """The path as DuckDB and people name it: local as is, else with its protocol."""
        return path if self.local else f"{self.protocol}://{path}"
