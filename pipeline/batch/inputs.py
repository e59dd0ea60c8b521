"""The inputs of a run, found lazily in one deterministic order: never a list of the whole tree.

Order: paths compared folder by folder, names by the UTF-8 bytes of their ``source_path``
form (``sort_key``). The final tables are sorted by that same key, so a run that walks in
this order writes its part files already sorted and compaction merges them instead of
sorting. Sorting costs the names of one folder at a time (a folder of a million files
holds about 100 MB of names while it is walked); a tree of many folders costs almost
nothing. The walk keeps a stack of open folders, not a recursion: a tree thousands of
levels deep is walked like a flat one.

What is not an input: OUTPUT and the state folder (when they lie below INPUT), hidden
files and folders (a name starting with ``.``: ``.git/``, ``.DS_Store``, LibreOffice's
``.~lock.x#``), the junk that operating systems and editors leave (``Thumbs.db``,
``desktop.ini``, Word's ``~$x.docx`` owner files) and what ``--exclude`` names. They
are counted by reason (``Walk.ignored``), never read.

A folder that cannot be listed is an input of its own: one entry with ``error`` set,
which becomes an error row, so a listing that failed is seen, not mistaken for an
empty folder.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

FOLDER_ERROR = "unlistable"
"""``error_type`` of a folder that could not be listed (the manifest drops its entry once the folder lists again)."""

JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r", "$recycle.bin", "system volume information"})
"""File and folder names (compared in lower case) that operating systems leave in shared folders."""

JUNK_PREFIXES = ("~$",)
"""Word's owner files (``~$bao_cao.docx``), left beside a document while it is open."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One entry below INPUT. ``rel`` is the ``source_path`` of its rows; ``error`` says why a folder could not be listed."""

    rel: str
    path: str
    size: int
    mtime_ns: int
    error: str | None = None
    error_type: str | None = None

    @property
    def key(self) -> bytes:
        return sort_key(self.rel)


def display_name(name: str) -> str:
    """A file name as valid UTF-8 text that names exactly one file.

    A backslash is written twice (``\\\\``) and a byte that is not UTF-8 (an old Windows or
    TCVN3 name) as ``\\xff``: so the name ``a\\xff.txt`` typed with a backslash and the
    name holding the byte 0xFF stay two different ``source_path`` values, and each reads
    back to its bytes (``name_bytes``).
    """
    name = name.replace("\\", "\\\\")
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def name_bytes(display: str) -> bytes:
    """The bytes of the name ``display_name`` wrote (its inverse)."""
    out, i = bytearray(), 0
    while i < len(display):
        c = display[i]
        if c == "\\" and display[i + 1 : i + 2] == "\\":
            out += b"\\"
            i += 2
        elif c == "\\" and display[i + 1 : i + 2] == "x":
            out.append(int(display[i + 2 : i + 4], 16))
            i += 4
        else:
            out += c.encode("utf-8")
            i += 1
    return bytes(out)


def sort_key(rel: str) -> bytes:
    """The order of the final tables: folder by folder (``/`` as the smallest byte), then by name."""
    return rel.encode("utf-8", "surrogateescape").replace(b"/", b"\0")


def prefix_key(prefix: str) -> bytes:
    """The key every entry below the folder ``prefix`` (``"2024/"``) starts with; ``b""`` for the whole tree."""
    return sort_key(prefix) if prefix else b""


def _entry(rel: str, path: str, st: os.stat_result) -> InputFile:
    return InputFile(rel, path, st.st_size, st.st_mtime_ns)


def _reason(name: str, rel: str, excludes: tuple[str, ...]) -> str | None:
    """Why an entry is not an input (``hidden``, ``junk``, ``excluded``), or None."""
    if name.startswith("."):
        return "hidden"
    if name.lower() in JUNK_NAMES or name.startswith(JUNK_PREFIXES):
        return "junk"
    for pattern in excludes:
        if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(name, pattern):
            return "excluded"
    return None


@dataclass
class Walk:
    """Every input below ``root`` in the order of the final tables, each ``rel`` prefixed by ``prefix``.

    ``skip`` holds folders that are never inputs (OUTPUT, the state folder), compared by
    device and inode so any spelling of them is caught. ``ignored`` counts what was passed
    over, by reason. INPUT itself must be listable (an ``OSError`` if not); a folder below it
    that cannot be listed is yielded as an entry with ``error`` set.
    """

    root: str | Path
    prefix: str = ""
    excludes: tuple[str, ...] = ()
    skip: Iterable[str | Path] = ()
    ignored: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.root = os.path.abspath(self.root)
        self._skip = set()
        for p in self.skip:
            try:
                st = os.stat(p)
                self._skip.add((st.st_dev, st.st_ino))
            except OSError:
                pass

    def _ignore(self, reason: str) -> None:
        self.ignored[reason] = self.ignored.get(reason, 0) + 1

    def __iter__(self) -> Iterator[InputFile]:
        root = self.root
        if not os.path.isdir(root):
            yield _entry(self.prefix + display_name(os.path.basename(root)), root, os.lstat(root))
            return
        stack: list[tuple[Iterator, str]] = []
        listing = self._list(root, self.prefix, raise_errors=True)
        stack.append((listing, self.prefix))
        while stack:
            entries, prefix = stack[-1]
            for rel, e in entries:
                try:
                    st = e.stat(follow_symlinks=False)
                except OSError as exc:
                    yield InputFile(rel, e.path, 0, 0, f"cannot read the file's status: {exc.strerror or exc}", "unreadable")
                    continue
                if stat.S_ISDIR(st.st_mode):
                    if (st.st_dev, st.st_ino) in self._skip:
                        self._ignore("output")
                        continue
                    sub = self._list(e.path, rel + "/")
                    if isinstance(sub, InputFile):
                        yield sub
                        continue
                    stack.append((sub, rel + "/"))
                    break
                yield _entry(rel, e.path, st)
            else:
                stack.pop()

    def _list(self, folder: str, prefix: str, raise_errors: bool = False) -> Iterator | InputFile:
        """The entries of one folder worth walking, sorted by key; an ``InputFile`` with ``error`` if it cannot be listed."""
        try:
            with os.scandir(folder) as it:
                entries = []
                for e in it:
                    rel = prefix + display_name(e.name)
                    reason = _reason(e.name, rel, self.excludes)
                    if reason:
                        self._ignore(reason)
                    else:
                        entries.append((rel, e))
        except OSError as exc:
            if raise_errors:
                raise
            rel = prefix.rstrip("/")
            return InputFile(rel, folder, 0, 0, f"the folder could not be listed: {exc.strerror or exc}", FOLDER_ERROR)
        entries.sort(key=lambda pair: sort_key(pair[0]))
        return iter(entries)


def walk_inputs(root: str | Path, prefix: str = "", excludes: tuple[str, ...] = (), skip: Iterable = ()) -> Iterator[InputFile]:
    """Every input below ``root`` (symbolic links and special files included, to be reported, not followed)."""
    return iter(Walk(root, prefix, tuple(excludes), skip))


def count_inputs(root: str | Path, excludes: tuple[str, ...] = (), skip: Iterable = ()) -> int:
    """How many entries ``walk_inputs`` will yield (for the progress bar's total; cheap: nothing is sorted per se)."""
    return sum(1 for _ in Walk(root, "", tuple(excludes), skip))
