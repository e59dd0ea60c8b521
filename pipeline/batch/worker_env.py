"""What a worker finds in its environment: a private temporary folder and the OCR cache, both in the state folder.

Nothing a worker or a program it starts writes goes outside OUTPUT and its state folder:
``TMPDIR`` (and Python's ``tempfile``) point at ``<state>/_tmp/w<pid>``, a folder of its own
that the driver deletes when the worker ends or is killed (a copy of a ``.doc`` made for
antiword does not outlive a killed worker) and that a new run clears. ``VANBAN_OCR_CACHE``
names a folder where OCR results may be kept between runs, keyed by the page image.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SCRATCH_ENV = "VANBAN_SCRATCH"
"""The folder under which each worker makes its own temporary folder."""

OCR_CACHE_ENV = "VANBAN_OCR_CACHE"
"""A folder for OCR results kept between runs (read by ingest's OCR; unset: no cache)."""


def worker_env(state: Path) -> dict[str, str]:
    """The environment workers of a run get: an empty scratch folder (what a killed run left is cleared) and the cache."""
    scratch = state / "_tmp"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True, exist_ok=True)
    cache = state / "_manifest" / "ocr-cache"
    cache.mkdir(parents=True, exist_ok=True)
    return {SCRATCH_ENV: str(scratch), OCR_CACHE_ENV: str(cache)}


def enter_env(env: dict[str, str] | None) -> None:
    """In a worker: take ``env``, with a temporary folder of this process's own as ``TMPDIR``."""
    if not env:
        return
    os.environ.update(env)
    if SCRATCH_ENV in env:
        import tempfile

        mine = os.path.join(env[SCRATCH_ENV], f"w{os.getpid()}")
        os.makedirs(mine, exist_ok=True)
        os.environ["TMPDIR"] = mine
        tempfile.tempdir = mine
