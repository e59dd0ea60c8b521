"""Bytes to text: detect the format from the bytes (not only the name) and hand on a SourceText.

Every reader returns text in the canonical form (``pipeline.normalize``); failures raise
``IngestError`` with a stable ``error_type``.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.errors import IngestError
from pipeline.ingest.text import decode_text
from pipeline.models import SourceText
from pipeline.normalize import normalize_text

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}


def detect_format(data: bytes, name: str) -> str:
    """The format of a file from its first bytes, falling back on its extension for text."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or name.lower().endswith(".docx") else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith((b"{\\rtf",)):
        return "rtf"
    ext = Path(name).suffix.lower()
    if ext in TEXT_EXTENSIONS:
        return "md" if ext in {".md", ".markdown"} else "txt"
    return "unknown"


def ingest_bytes(data: bytes, name: str) -> SourceText:
    """Turn one file's bytes into normalized text. ``name`` is used for the extension only."""
    fmt = detect_format(data, name)
    if fmt in {"txt", "md"}:
        text, _ = decode_text(data)
        return SourceText(text=normalize_text(text), source_format=fmt)
    if fmt == "docx":
        from pipeline.ingest.docx import read_docx

        return read_docx(data)
    if fmt == "doc":
        from pipeline.ingest.doc import read_doc

        return read_doc(data)
    if fmt == "pdf":
        from pipeline.ingest.pdf import read_pdf

        return read_pdf(data)
    if fmt == "unknown":
        raise IngestError("unsupported_format", f"not a supported document format ({Path(name).suffix or 'no extension'})")
    raise IngestError("unsupported_format", f"{fmt} files are not supported yet")


def ingest_path(path: str | Path) -> SourceText:
    """Read and ingest one file."""
    p = Path(path)
    return ingest_bytes(p.read_bytes(), p.name)
