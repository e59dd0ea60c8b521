"""What one input may cost, with defaults an archive never meets on a real document.

Each limit is checked before the work it bounds, and a breach is one error row whose
``error_type`` and message name the limit and the flag that raises it; the batch goes on.
A worker's time and memory limits (``--timeout``, ``--max-memory``) are the last line of
defence behind these, for what no size tells in advance.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_file_size: int = 200 * MB  # bytes of one input file (scanned PDFs are the largest real ones)
    max_pages: int = 2000  # pages of one PDF
    max_uncompressed: int = 200 * MB  # bytes a DOCX's parts expand to, all together (zip bombs)
    max_chars: int = 5_000_000  # characters of text handed to the parser (about 2,000 pages)


DEFAULT = Limits()


def size(n: int) -> str:
    """A byte count as people read it: ``52 MB``, ``512 KB``."""
    if n >= MB:
        return f"{n / MB:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"
