"""The unit of work: one input file to its rows. A pure function of the bytes; it never raises.

Every engine (in-process, the local pool, Dask) calls ``process_path``; a failure
becomes an error row naming its stage, so one bad file cannot stop a batch.
Ingest and the parser are imported on the first call, not with this module: the
driver imports it (through ``pipeline.runner``) and never parses; workers import them
up front (``pipeline.batch.worker``).
"""

from __future__ import annotations

import errno
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
        # the name gives only the extension: as Windows and a person read it, without trailing spaces and dots
        source = ingest_bytes(data, source_path.rstrip(" ."), limits)
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


READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
"""How an input is opened: never through a link, never waiting for a writer (a fifo put in a file's place)."""


class NotRegular(OSError):
    """What was opened is not a regular file (a link, a fifo, a device, a socket), as ``kind`` says."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


def open_regular(path: str) -> tuple[int, os.stat_result]:
    """A file descriptor of ``path`` and its status, only if it is a regular file *when opened*: the status
    is read from the open descriptor (``fstat``), so a file swapped for a link or a fifo after the walk saw
    it is caught, never followed or waited on. Raises ``NotRegular`` or ``OSError``."""
    try:
        fd = os.open(path, READ_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # Linux says ELOOP for O_NOFOLLOW on a link, BSDs EMLINK
            raise NotRegular("symlink", "symbolic link not followed") from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise NotRegular("not_regular_file", "not a regular file (device, pipe or socket)")
    os.set_blocking(fd, True)
    return fd, st


def read_regular(path: str, max_size: int | None = None) -> bytes:
    """The bytes of a regular file (``open_regular``); ``FileTooLarge`` past ``max_size``."""
    fd, st = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        if max_size is not None and st.st_size > max_size:
            raise FileTooLarge(st.st_size)
        return fh.read()


class FileTooLarge(Exception):
    def __init__(self, size: int):
        self.size = size


def file_sha256(path: str) -> str | None:
    """The doc_id of a file read in chunks (the driver's check of a touched file, a dead worker's culprit); None
    if it cannot be read or is no longer a regular file."""
    import hashlib

    try:
        fd, _ = open_regular(path)
    except OSError:
        return None
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def process_path(
    path: str,
    source_path: str,
    on_stage: StageHook | None = None,
    parse: Callable | None = None,
    limits: Limits = DEFAULT,
    on_pages: Callable[[int], None] | None = None,
) -> Rows:
    """Read one file and process it; links, special and unreadable files become error rows. ``on_pages`` is told
    a PDF's or a scan's page count before the work starts (the pool's time limit grows with it)."""
    if on_stage:
        on_stage(0)
    try:
        data = read_regular(path, limits.max_file_size)
    except NotRegular as exc:
        return error_rows(source_path, None, "read", exc.kind, exc.message)
    except FileTooLarge as exc:
        message = f"the file is {size(exc.size)}, over the limit of {size(limits.max_file_size)} (--max-file-size)"
        return error_rows(source_path, None, "read", "too_large", message)
    except MemoryError:
        return error_rows(source_path, None, "read", "memory", "out of memory reading the file")
    except OSError as exc:
        return error_rows(source_path, None, "read", "unreadable", str(exc))
    if on_pages is not None:
        on_pages(page_count(data))
    return process_bytes(data, source_path, on_stage, parse, limits)


IMAGE_MAGIC = (b"II*\0", b"MM\0*", b"\xff\xd8\xff", b"\x89PNG")
"""TIFF (either byte order), JPEG, PNG: scans read page by page with OCR."""


def page_count(data: bytes) -> int:
    """Pages of a PDF or a scanned image (0 for anything else, or what cannot be opened): opening reads the
    cross-reference table or the image headers only, a fraction of what reading the pages costs."""
    try:
        if b"%PDF" in data[:1024]:
            import pypdfium2 as pdfium

            doc = pdfium.PdfDocument(data)
            try:
                return len(doc)
            finally:
                doc.close()
        if data.startswith(IMAGE_MAGIC):
            import io

            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                return getattr(image, "n_frames", 1)
    except Exception:  # noqa: BLE001 - damaged or encrypted: ingest says what it is
        return 0
    return 0
