"""Shared test helpers: where the fixtures and the optional ../shared material live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def fixture_text(name: str) -> str:
    """A fixture document, normalized as the pipeline would read it."""
    from pipeline.ingest import ingest_path

    return ingest_path(FIXTURES / "docs" / name).text


@pytest.fixture(scope="session", autouse=True)
def _ocr_cache(tmp_path_factory):
    """One OCR cache for the session: the sample scans are read by Tesseract once, not by every test
    that runs data/raw (a test of the cache itself sets its own)."""
    import os

    if "VANBAN_OCR_CACHE" not in os.environ:
        os.environ["VANBAN_OCR_CACHE"] = str(tmp_path_factory.mktemp("ocr-cache"))
    yield


@pytest.fixture(scope="session", autouse=True)
def _pattern_cache(tmp_path_factory):
    """Compiled patterns kept for the session's processes in a folder of its own, not the user's cache."""
    import os

    if "VANBAN_CACHE_DIR" not in os.environ:
        os.environ["VANBAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("vanban-cache"))
    yield


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout (CI has it, a user's machine does not): skip cleanly without it."""
    if not (SHARED / "corpus" / "dev").is_dir() or not (SHARED / "gold" / "dev").is_dir():
        pytest.skip("../shared/corpus/dev and ../shared/gold/dev are not here")
    return SHARED
