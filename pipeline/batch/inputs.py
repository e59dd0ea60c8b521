"""The inputs of a run, found lazily in one deterministic order: never a list of the whole tree.

Order: paths compared folder by folder, names by their UTF-8 bytes (``sort_key``).
The final tables are sorted by that same key, so a run that walks in this order writes
its part files already sorted and compaction merges them instead of sorting.
Sorting costs the names of one folder at a time (a folder of a million files holds
about 100 MB of names while it is walked); a tree of many folders costs almost nothing.
The alternative, an unsorted stream, would move the sort into compaction, where it
needs memory in proportion to the whole output.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class InputFile:
    """One entry below INPUT. ``rel`` is the ``source_path`` of its rows."""

    rel: str
    path: str
    size: int
    mtime_ns: int

    @property
    def key(self) -> bytes:
        return sort_key(self.rel)


def _display(name: str) -> str:
    """A file name as valid UTF-8 text: bytes that are not UTF-8 (an old Windows or TCVN3 name) are written
    as ``\\xff`` escapes, so the name can be stored, stays unique and still says which file it was."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _name_key(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape")


def sort_key(rel: str) -> bytes:
    """The order of the final tables: folder by folder (``/`` as the smallest byte), then by name."""
    return _name_key(rel).replace(b"/", b"\0")


def _entry(rel: str, path: str, st: os.stat_result) -> InputFile:
    return InputFile(rel, path, st.st_size, st.st_mtime_ns)


def walk_inputs(root: str | Path) -> Iterator[InputFile]:
    """Every file below ``root`` (symbolic links and special files included, to be reported, not followed)."""
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        yield _entry(_display(os.path.basename(root)), root, os.lstat(root))
        return
    yield from _walk(root, "")


def _walk(folder: str, prefix: str) -> Iterator[InputFile]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: _name_key(e.name))
    except OSError:
        return
    for e in entries:
        rel = prefix + _display(e.name)
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(e.path, rel + "/")
        else:
            yield _entry(rel, e.path, st)


def count_inputs(root: str | Path) -> int:
    """How many entries ``walk_inputs`` will yield, without sorting or keeping them (for the progress bar)."""
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        return 1
    n, stack = 0, [root]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    else:
                        n += 1
        except OSError:
            continue
    return n
