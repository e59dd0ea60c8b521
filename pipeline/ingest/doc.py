"""Legacy Word 97–2003 ``.doc`` to text with antiword (installed by scripts/install-system-deps.sh).

antiword reads the OLE container itself, needs no office suite and starts in milliseconds;
its UTF-8 output keeps Vietnamese letters. It prints a table row as ``|cell |cell |``, which would
put the issuer and the motto, or ``Nơi nhận`` and the signature, on one line: two-column tables
are laid out again column by column (left column first), wider tables become pipe rows as text
files carry them. A password-protected file (Word stores an ``EncryptionInfo`` stream, also for an
encrypted .docx) is reported as such. antiword (unmaintained, it crashes on some damaged files) gets
the bytes on stdin and runs confined (``confine``): nothing is written to a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess

from pipeline.ingest.confine import MB, run_confined
from pipeline.ingest.errors import IngestError
from pipeline.models import SourceText
from pipeline.normalize import normalize_text

TIMEOUT_S = 60
MEMORY = 512 * MB  # antiword's address space: a Word 97 file it can read needs a few MB
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip()[1:-1].split("|")]


def _layout_table(rows: list[str]) -> list[str]:
    """antiword's ``|a |b |`` lines of one table, as lines that never mix two columns."""
    cells = [_cells(r) for r in rows]
    width = max(len(c) for c in cells)
    if width >= 3:
        return ["| " + " | ".join(c) + " |" for c in cells]
    out: list[str] = []
    for col in range(width):
        column = [c[col] for c in cells if col < len(c) and c[col]]
        if column:
            out += [*column, ""]
    return out


def untable(text: str) -> str:
    """Replace antiword's table rows by column-wise lines (see the module docstring)."""
    out: list[str] = []
    table: list[str] = []
    for line in [*text.split("\n"), ""]:
        stripped = line.strip()
        if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
            table.append(stripped)
            continue
        if table:
            out += _layout_table(table)
            table = []
        out.append(line)
    return "\n".join(out[:-1])


def read_doc(data: bytes) -> SourceText:
    """The text of a .doc file, normalized."""
    if ENCRYPTION_INFO in data:
        raise IngestError("encrypted", "the Word file is password-protected")
    exe = shutil.which("antiword")
    if not exe:
        raise IngestError("missing_tool", "antiword is not installed: run scripts/install-system-deps.sh")
    try:  # the bytes on stdin: no copy of the input is written anywhere (``confine``)
        proc = run_confined(
            [exe, "-m", "UTF-8.txt", "-w", "0", "-"],
            data,
            TIMEOUT_S,
            memory=MEMORY,
            cpu_seconds=TIMEOUT_S,
            file_size=2 * len(data) + MB,  # its unlinked copy of stdin
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError("timeout", f"antiword took more than {TIMEOUT_S} s") from exc
    err = proc.stderr.decode("utf-8", "replace").strip()
    if "encrypted" in err.lower():
        raise IngestError("encrypted", "the Word file is password-protected")
    if proc.returncode != 0:
        msg = err.splitlines()
        said = msg[-1] if msg else f"exit status {proc.returncode}"
        if proc.returncode < 0:
            said = f"it was stopped by signal {-proc.returncode} (a limit of memory or time, or a crash)"
        raise IngestError("corrupt", f"not a readable Word 97–2003 file: antiword says {said}")
    text = normalize_text(untable(proc.stdout.decode("utf-8", "replace")))
    if not text.strip():
        raise IngestError("empty", ".doc file has no text")
    return SourceText(text=text, source_format="doc")
