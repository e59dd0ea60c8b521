"""Bytes to text: detect the format from the bytes (not only the name) and hand on a SourceText.

Every reader returns text in the canonical form (``pipeline.normalize``); failures raise
``IngestError`` with a stable ``error_type``.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.errors import IngestError
from pipeline.ingest.text import decode_text
from pipeline.limits import DEFAULT, Limits
from pipeline.models import SourceText
from pipeline.normalize import normalize_text

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}
IMAGE_MAGIC = {b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png", b"II*\x00": "tiff", b"MM\x00*": "tiff"}
PDF_HEADER_REACH = 1024  # viewers find ``%PDF-`` after stray leading bytes within the first KB
KNOWN_EXTENSIONS = {".pdf", ".docx", ".doc"}


def detect_format(data: bytes, name: str) -> str:
    """The format of a file from its first bytes, falling back on its extension for text."""
    head = data[:8]
    if head.startswith(b"%PDF") or pdf_start(data) >= 0:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or name.lower().endswith(".docx") else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith((b"{\\rtf",)):
        return "rtf"
    if head.startswith(tuple(IMAGE_MAGIC)):
        return "image"  # a scan kept as TIFF, JPEG or PNG
    ext = Path(name).suffix.lower()
    if ext in TEXT_EXTENSIONS:
        return "md" if ext in {".md", ".markdown"} else "txt"
    return "unknown"


def pdf_start(data: bytes) -> int:
    """Where ``%PDF-`` opens within the first KB (a mail gateway or a signing tool may put bytes
    before it, and viewers open such a file), or -1."""
    start = data.find(b"%PDF-", 0, PDF_HEADER_REACH)
    if start > 0 and b"%%EOF" not in data[-PDF_HEADER_REACH:]:
        return -1  # ``%PDF-`` quoted in a text file is not a PDF that ends as one
    return start


def ingest_bytes(data: bytes, name: str, limits: Limits = DEFAULT) -> SourceText:
    """Turn one file's bytes into normalized text. ``name`` is used for the extension only."""
    source = _read(data, name, limits)
    if len(source.text) > limits.max_chars:
        raise IngestError(
            "too_long",
            f"the text has {len(source.text):,} characters, over the limit of {limits.max_chars:,} (--max-chars)",
        )
    return source


def _read(data: bytes, name: str, limits: Limits) -> SourceText:
    if not data.strip():
        raise IngestError("empty", "the file is empty" if not data else "the file holds only white space")
    fmt = detect_format(data, name)
    if fmt in {"txt", "md"}:
        if len(data) > 4 * limits.max_chars:  # more bytes than the most characters could take
            raise IngestError(
                "too_long", f"the text file has {len(data):,} bytes, over what --max-chars {limits.max_chars:,} allows"
            )
        text, _ = decode_text(data)
        return SourceText(text=normalize_text(text), source_format=fmt)
    if fmt == "docx":
        from pipeline.ingest.docx import read_docx

        return read_docx(data, limits.max_uncompressed)
    if fmt == "doc":
        from pipeline.ingest.doc import read_doc

        return read_doc(data)
    if fmt == "pdf":
        from pipeline.ingest.pdf import read_pdf

        return read_pdf(data[max(0, pdf_start(data)):], limits.max_pages)
    if fmt == "image":
        from pipeline.ingest.image import read_image

        return read_image(data, limits.max_pages)
    if fmt == "unknown":
        ext = Path(name).suffix.lower()
        if ext in KNOWN_EXTENSIONS:
            raise IngestError("unsupported_format", f"named {ext} but its bytes are not a {ext[1:].upper()} file, nor any format read here")
        raise IngestError("unsupported_format", f"not a supported document format ({ext or 'no extension'})")
    raise IngestError("unsupported_format", f"{fmt} files are not supported yet")


def ingest_path(path: str | Path) -> SourceText:
    """Read and ingest one file."""
    p = Path(path)
    return ingest_bytes(p.read_bytes(), p.name)
