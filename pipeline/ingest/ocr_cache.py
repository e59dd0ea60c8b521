"""Tesseract's reading of a page image, kept by the image's content hash, so OCR is paid once per page.

A new parser version re-parses an archive without OCRing it again: the key is a hash of the exact
image handed to Tesseract together with what else decides its output (Tesseract's version, the
model file, the language, the page segmentation and ``PREPROCESS``, the version of the image
preparation in ``ocr``). The folder is given by ``VANBAN_OCR_CACHE`` (the batch puts it in its
state folder); unset, nothing is kept. Entries are written to a temporary name and renamed, so a
worker killed mid-write never leaves a half entry that a later run would trust; an entry that
cannot be read or written is simply not used (the page is read again).
"""

from __future__ import annotations

import hashlib
import os
import tempfile

ENV = "VANBAN_OCR_CACHE"


def cache_dir() -> str | None:
    """The cache folder, or None when OCR results are not kept."""
    return os.environ.get(ENV) or None


def key(image: bytes, engine: str) -> str:
    """The entry's name: the image's hash and the engine that reads it."""
    h = hashlib.blake2b(engine.encode("utf-8"), digest_size=20)
    h.update(b"\0")
    h.update(image)
    return h.hexdigest()


def _path(folder: str, name: str) -> str:
    return os.path.join(folder, name[:2], name + ".tsv")


def get(name: str) -> str | None:
    """The stored output for ``name``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(_path(folder, name), encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def put(name: str, text: str) -> None:
    """Store ``text`` under ``name`` atomically (temporary file, then rename); failures are ignored."""
    folder = cache_dir()
    if folder is None:
        return
    path = _path(folder, name)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return
