"""Compiled rule patterns and parsed rule files kept between processes: a run's start-up does not
compile or parse them again.

``regex`` compiles a pattern in Python (parsing, case folding, optimising): the parser's rules
took a third of a second to compile in every process that parsed, more than a one-file run's
work. A compiled pattern pickles as the code ``regex`` built for it (``regex`` registers that
itself), and unpickling hands the code straight to its C engine: 25 µs instead of milliseconds.
So the patterns compiled here are kept in one file per ``regex`` and Python version, in
``$VANBAN_CACHE_DIR`` (default ``$XDG_CACHE_HOME/vanban``, else ``~/.cache/vanban``, where a run
on a remote OUTPUT keeps its state too); an empty ``VANBAN_CACHE_DIR`` turns it off.

What is loaded is what a compile would give: the key is the pattern and its flags, and the file
is per ``regex`` version. The file is read with an unpickler that builds nothing but ``regex``
patterns, written whole under a temporary name and renamed; a file that cannot be read or
written is passed over (patterns are compiled as before).

The rule files' TOML is kept the same way (``rules-*.pickle``), keyed by the sha256 of the file's
bytes: parsing the 15 files took 0.03 CPU s in every process (``tomllib`` is pure Python),
unpickling them a tenth of that. Their unpickler builds plain data only (dicts, lists, strings,
numbers).
"""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import pickle
import sys
from pathlib import Path

import regex

CACHE_ENV = "VANBAN_CACHE_DIR"
MAX_KEPT = 4000
"""Patterns a file keeps; past it only those of the process writing it are kept (rules edited many times)."""


def cache_dir() -> Path | None:
    """Where the file lives; None when ``VANBAN_CACHE_DIR`` is set empty."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vanban"


class _PatternsOnly(pickle.Unpickler):
    """Builds compiled ``regex`` patterns (and plain data), nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) == ("regex._regex", "compile"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not a compiled pattern: {module}.{name}")


def _cache_file(kind: str) -> Path | None:
    """The file of one kind of kept things, per ``regex`` and Python version; None when keeping is off."""
    folder = cache_dir()
    if folder is None:
        return None
    tag = hashlib.sha256(f"{regex.__version__}|{sys.version}|{sys.implementation.cache_tag}".encode()).hexdigest()[:16]
    return folder / f"{kind}-{tag}.pickle"


def _write(file: Path, data: dict) -> bool:
    """``data`` pickled into ``file``, whole or not at all (a temporary name, then renamed); False when it cannot be."""
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, file)
        return True
    except OSError:  # read-only or full: next time, then
        tmp.unlink(missing_ok=True)
        return False


class _PlainOnly(pickle.Unpickler):
    """Builds plain data (dicts, lists, strings, numbers), no object of any class."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"not plain data: {module}.{name}")


class _Kept:
    """Things made once and kept in one file between processes, by key: the file read when first asked
    (with ``unpickler``, each entry checked by ``valid``), a missing thing made, the file written again
    when this process made one; past ``bound`` entries only those this process used are kept (rules
    edited many times)."""

    def __init__(self, kind: str, unpickler: type[pickle.Unpickler], valid, bound: int) -> None:
        self.kind, self.unpickler, self.valid, self.bound = kind, unpickler, valid, bound
        self.kept: dict | None = None
        self.used: set = set()
        self.added = 0
        self.loaded = 0  # entries the file held when this process read it
        self.file: Path | None = None

    def _load(self) -> dict:
        self.file = _cache_file(self.kind)
        if self.file is None:
            return {}
        try:
            data = self.unpickler(io.BytesIO(self.file.read_bytes())).load()
        except Exception:  # noqa: BLE001 - absent, damaged or from elsewhere: made again
            return {}
        return data if isinstance(data, dict) and all(self.valid(k, v) for k, v in data.items()) else {}

    def get(self, key, make, *args):
        """The thing kept under ``key``, else ``make(*args)`` kept under it."""
        if self.kept is None:
            self.kept = self._load()
            self.loaded = len(self.kept)
        self.used.add(key)
        found = self.kept.get(key)
        if found is None:
            found = self.kept[key] = make(*args)
            self.added += 1
        return found

    def save(self) -> None:
        """Write the file if this process made a thing it did not hold."""
        if not self.added or self.file is None or self.kept is None:
            return
        keep = self.kept if len(self.kept) <= self.bound else {k: self.kept[k] for k in self.used}
        if _write(self.file, keep):
            self.added = 0


MAX_KEPT_FILES = 200
"""Parsed rule files kept; past it only those of the process writing it (rules edited many times)."""


def _a_pattern(key, p) -> bool:
    return type(key) is tuple and len(key) == 2 and isinstance(p, regex.Pattern) and p.pattern == key[0]


def _a_rule_file(key, data) -> bool:
    return type(key) is str and type(data) is dict


_STORE = _Kept("patterns", _PatternsOnly, _a_pattern, MAX_KEPT)
_PARSED = _Kept("rules", _PlainOnly, _a_rule_file, MAX_KEPT_FILES)


def compiled(pattern: str, flags: int = 0) -> regex.Pattern:
    """``regex.compile(pattern, flags)``, taken from the kept patterns when they hold it."""
    return _STORE.get((pattern, int(flags)), regex.compile, pattern, flags)


def parsed(raw: bytes, parse) -> dict:
    """``parse(raw)`` for a rule file's bytes, taken from the kept rule files when they hold them."""
    return _PARSED.get(hashlib.sha256(raw).hexdigest(), parse, raw)


def save() -> None:
    """Keep what this process compiled and parsed for the next ones (also done when the process exits normally)."""
    _STORE.save()
    _PARSED.save()


atexit.register(save)
