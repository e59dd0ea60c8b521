"""Legacy Word 97–2003 ``.doc`` to text with antiword (installed by scripts/install-system-deps.sh).

antiword reads the OLE container itself, needs no office suite and starts in milliseconds;
its UTF-8 output keeps Vietnamese letters. A password-protected file (Word stores an
``EncryptionInfo`` stream, also for an encrypted .docx) is reported as such.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from pipeline.ingest.errors import IngestError
from pipeline.models import SourceText
from pipeline.normalize import normalize_text

TIMEOUT_S = 60


def read_doc(data: bytes) -> SourceText:
    """The text of a .doc file, normalized."""
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data[:65536 * 8]:
        raise IngestError("encrypted", "the Word file is password-protected")
    exe = shutil.which("antiword")
    if not exe:
        raise IngestError("missing_tool", "antiword is not installed: run scripts/install-system-deps.sh")
    with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            proc = subprocess.run(
                [exe, "-m", "UTF-8.txt", "-w", "0", tmp.name], capture_output=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise IngestError("timeout", f"antiword took more than {TIMEOUT_S} s") from exc
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError("corrupt", f"antiword could not read the file: {msg[-1] if msg else proc.returncode}")
    text = normalize_text(proc.stdout.decode("utf-8", "replace"))
    if not text.strip():
        raise IngestError("empty", ".doc file has no text")
    return SourceText(text=text, source_format="doc")
