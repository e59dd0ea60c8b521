"""The unit of work: one input file to its rows. A pure function of the bytes; it never raises.

Every engine (in-process, the local pool, Dask) calls ``process_path``; a failure
becomes an error row naming its stage, so one bad file cannot stop a batch.
Ingest and the parser are imported on the first call, not with this module: the
driver imports it (through ``pipeline.runner``) and never parses; workers import them
up front (``pipeline.batch.worker``).
"""

from __future__ import annotations

import os
import stat
import traceback
from collections.abc import Callable

from pipeline.batch.items import STAGES  # noqa: F401 - named here too, as before
from pipeline.limits import DEFAULT, Limits, size
from pipeline.output.rows import Rows, doc_id_of, document_rows, error_rows

_loaded = False


def _load() -> None:
    """Import ingest and the parser (once), as module globals: tests replace ``parse_doc`` here."""
    global _loaded, ingest_bytes, IngestError, parse_doc
    from pipeline.ingest import ingest_bytes
    from pipeline.ingest.errors import IngestError
    from pipeline.parse import parse_doc

    _loaded = True


def __getattr__(name: str):
    if name in ("ingest_bytes", "IngestError", "parse_doc") and not _loaded:
        _load()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


StageHook = Callable[[int], None]
"""Told the index in ``STAGES`` of the stage being entered (the pool records it for crash reports)."""


def process_bytes(
    data: bytes,
    source_path: str,
    on_stage: StageHook | None = None,
    parse: Callable | None = None,
    limits: Limits = DEFAULT,
) -> Rows:
    """One input's bytes to its rows. Never raises: a failure becomes an error row naming its stage."""
    if not _loaded:
        _load()
    doc_id = doc_id_of(data)
    stage = "ingest"
    try:
        if on_stage:
            on_stage(1)
        source = ingest_bytes(data, source_path, limits)
        stage = "parse"
        if on_stage:
            on_stage(2)
        parsed = (parse or parse_doc)(source)
        stage = "output"
        if on_stage:
            on_stage(3)
        return document_rows(doc_id, source_path, source, parsed)
    except IngestError as exc:
        return error_rows(source_path, doc_id, stage, exc.error_type, exc.message)
    except RecursionError as exc:
        return error_rows(source_path, doc_id, stage, "recursion", str(exc))
    except MemoryError as exc:
        return error_rows(source_path, doc_id, stage, "memory", f"out of memory ({exc})" if str(exc) else "out of memory")
    except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop the batch
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return error_rows(source_path, doc_id, stage, type(exc).__name__, tb)


def process_path(
    path: str,
    source_path: str,
    on_stage: StageHook | None = None,
    parse: Callable | None = None,
    limits: Limits = DEFAULT,
) -> Rows:
    """Read one file and process it; links, special and unreadable files become error rows."""
    if on_stage:
        on_stage(0)
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            return error_rows(source_path, None, "read", "symlink", "symbolic link not followed")
        if not stat.S_ISREG(st.st_mode):
            return error_rows(source_path, None, "read", "not_regular_file", "not a regular file (device, pipe or socket)")
        if st.st_size > limits.max_file_size:
            message = f"the file is {size(st.st_size)}, over the limit of {size(limits.max_file_size)} (--max-file-size)"
            return error_rows(source_path, None, "read", "too_large", message)
        with open(path, "rb") as fh:
            data = fh.read()
    except MemoryError as exc:
        return error_rows(source_path, None, "read", "memory", "out of memory reading the file")
    except OSError as exc:
        return error_rows(source_path, None, "read", "unreadable", str(exc))
    return process_bytes(data, source_path, on_stage, parse, limits)
