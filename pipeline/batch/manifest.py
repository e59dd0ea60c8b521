"""Which input is already in the tables: one SQLite row per source path.

An entry says: this path had these bytes (``doc_id``, the sha256) when parser version
``parser_version`` processed it, and its rows live in sorted run ``run`` (a folder of
part files). An entry is only written after its part files are durable, in the same
transaction as the other entries of that part, so after a crash the manifest never
names rows that do not exist; rows that exist but are not named are ignored and
deleted. ``seen`` is the last run whose walk met the path: compaction drops entries
not seen by the current run (files removed from INPUT).

SQLite keeps memory flat for millions of entries (lookups go through the index, not a
dict) and its transactions are atomic on power loss (WAL, synchronous=FULL).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.batch.errors import RunError
from pipeline.batch.inputs import FOLDER_ERROR  # noqa: F401 - the status of a folder's entry: it names no file, so it
# leaves the tables as soon as a run no longer meets it (the folder listed again, or gone)

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key BLOB PRIMARY KEY,
    rel TEXT NOT NULL,
    doc_id TEXT,
    parser_version TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    status TEXT NOT NULL,
    run INTEGER NOT NULL,
    seen INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class ManifestBusy(RunError):
    """Another run holds this output's manifest."""


@dataclass(frozen=True, slots=True)
class Entry:
    doc_id: str | None
    parser_version: str
    size: int
    mtime_ns: int
    status: str
    run: int


@dataclass(frozen=True, slots=True)
class NewEntry:
    """What a processed file adds to the manifest."""

    key: bytes
    rel: str
    doc_id: str | None
    size: int
    mtime_ns: int
    status: str


class Manifest:
    """The SQLite manifest in ``folder``, locked for the lifetime of this object."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.folder / "lock", "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise ManifestBusy(f"another vanban run is using {self.folder.parent}") from None
        self.db = sqlite3.connect(self.folder / "manifest.sqlite", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        self._seen: list[tuple[int, bytes]] = []

    def close(self) -> None:
        self.db.close()
        self._lock.close()

    # -- meta ---------------------------------------------------------------------------
    def get(self, name: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else default

    def _set(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def set_meta(self, name: str, value: str) -> None:
        with self._tx():
            self._set(name, value)

    def new_run(self) -> int:
        """A run id never used before, also when earlier runs were killed."""
        run = int(self.get("last_run", "0")) + 1
        with self._tx():
            self._set("last_run", str(run))
        return run

    def _tx(self):
        return _Transaction(self.db)

    # -- lookups ------------------------------------------------------------------------
    def lookup(self, key: bytes) -> Entry | None:
        row = self.db.execute(
            "SELECT doc_id, parser_version, size, mtime_ns, status, run FROM entries WHERE key = ?", (key,)
        ).fetchone()
        return Entry(*row) if row else None

    def runs(self) -> set[int]:
        """The runs that entries point to."""
        return {r for (r,) in self.db.execute("SELECT DISTINCT run FROM entries")}

    _DROPPED = "seen != :run AND key >= :lo AND key < :hi AND (:prune OR status = :folder)"
    """Entries a run drops: not met by its walk, inside the folder it walked, and either ``--prune``
    was given or the entry is a folder's listing error."""

    def _drop_args(self, run: int, scope: bytes, prune: bool) -> dict:
        return {"run": run, "lo": scope, "hi": scope + b"\xff", "prune": int(prune), "folder": FOLDER_ERROR}

    def live(self, run: int, scope: bytes = b"", prune: bool = True) -> Iterator[tuple[bytes, str, int]]:
        """(key, rel, run) of every entry the tables keep after ``run``, in the order of the final tables.

        Without ``prune`` that is every entry: files not met by this walk (outside INPUT, or
        gone from it) keep their rows. With it, entries below ``scope`` (the key of the folder
        walked) that the walk did not meet are left out."""
        sql = f"SELECT key, rel, run FROM entries WHERE NOT ({self._DROPPED}) ORDER BY key"
        return self.db.execute(sql, self._drop_args(run, scope, prune))

    def duplicates(self, run: int, scope: bytes = b"", prune: bool = True) -> dict[str, list[str]]:
        """The documents several kept inputs share (same bytes): doc_id → their paths, in key order. Only these are
        held in memory: as many as there are copies, not inputs."""
        live = f"status = 'ok' AND NOT ({self._DROPPED})"
        sql = (
            f"SELECT doc_id, rel FROM entries WHERE {live} AND doc_id IN "
            f"(SELECT doc_id FROM entries WHERE {live} GROUP BY doc_id HAVING count(*) > 1) ORDER BY key"
        )
        out: dict[str, list[str]] = {}
        for doc_id, rel in self.db.execute(sql, self._drop_args(run, scope, prune)):
            out.setdefault(doc_id, []).append(rel)
        return out

    def count_dropped(self, run: int, scope: bytes = b"", prune: bool = True) -> int:
        sql = f"SELECT count(*) FROM entries WHERE {self._DROPPED}"
        return self.db.execute(sql, self._drop_args(run, scope, prune)).fetchone()[0]

    def count(self, scope: bytes = b"") -> int:
        """Entries below the folder whose key is ``scope`` (all of them for ``b""``)."""
        return self.db.execute("SELECT count(*) FROM entries WHERE key >= ? AND key < ?", (scope, scope + b"\xff")).fetchone()[0]

    # -- updates ------------------------------------------------------------------------
    def mark_seen(self, key: bytes, run: int) -> None:
        """Buffered: written with the next ``commit_part`` or ``flush_seen``."""
        self._seen.append((run, key))
        if len(self._seen) >= 5000:
            self.flush_seen()

    def flush_seen(self) -> None:
        if self._seen:
            with self._tx():
                self.db.executemany("UPDATE entries SET seen = ? WHERE key = ?", self._seen)
            self._seen.clear()

    def mark_folder_seen(self, scope: bytes, run: int) -> int:
        """Every entry below a folder that could not be listed counts as met: a listing that failed
        (a network share that blinked) must not drop the rows of the files it hides."""
        self.flush_seen()
        with self._tx():
            return self.db.execute(
                "UPDATE entries SET seen = ? WHERE key > ? AND key < ?", (run, scope + b"\0", scope + b"\0\xff")
            ).rowcount

    def touch(self, key: bytes, size: int, mtime_ns: int, run: int) -> None:
        """Same bytes, new stat (a copy, a ``touch``): remember the stat so the next run need not hash again."""
        with self._tx():
            self.db.execute("UPDATE entries SET size = ?, mtime_ns = ?, seen = ? WHERE key = ?", (size, mtime_ns, run, key))

    def commit_part(self, entries: Iterable[NewEntry], parser_version: str, run: int) -> None:
        """Name the rows of a durable part: one transaction for all its entries."""
        with self._tx():
            self.db.executemany(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.key, e.rel, e.doc_id, parser_version, e.size, e.mtime_ns, e.status, run, run) for e in entries],
            )
            if self._seen:
                self.db.executemany("UPDATE entries SET seen = ? WHERE key = ?", self._seen)
                self._seen.clear()
            self._set("dirty", "1")

    def forget_runs(self, runs: Iterable[int]) -> int:
        """Drop entries whose part files are gone: their files will be processed again."""
        n = 0
        with self._tx():
            for r in runs:
                n += self.db.execute("DELETE FROM entries WHERE run = ?", (r,)).rowcount
            self._set("dirty", "1")
        return n

    def compacted(self, run: int, signature: str, moved_to: int | None, scope: bytes = b"", prune: bool = True) -> None:
        """After the final tables are in place: drop the entries they left out (``live``), remember what was written."""
        with self._tx():
            self.db.execute(f"DELETE FROM entries WHERE {self._DROPPED}", self._drop_args(run, scope, prune))
            if moved_to is not None:
                self.db.execute("UPDATE entries SET run = ?", (moved_to,))
            self._set("dirty", "0")
            self._set("compacted", signature)

    def needs_compaction(self, run: int, signature: str, scope: bytes = b"", prune: bool = True) -> bool:
        return self.get("dirty", "1") != "0" or self.get("compacted") != signature or self.count_dropped(run, scope, prune) > 0


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def state_dir_for(output: str, state_dir: str | None) -> Path:
    """Where parts and the manifest live: inside a local OUTPUT, else ``--state-dir`` or a cache folder."""
    if state_dir:
        return Path(state_dir)
    if "://" not in output or output.startswith("file://"):
        return Path(output.removeprefix("file://"))
    import hashlib

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "vanban" / hashlib.sha256(output.encode()).hexdigest()[:16]
