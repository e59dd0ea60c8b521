"""Run the pipeline over a folder: every input ends up as a document row or an error row.

``process_file`` is the unit of work (bytes → rows); it never raises, so one bad
file cannot stop a batch. ``run`` walks the input in a stable order and streams the
rows into the table writer.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest import ingest_bytes
from pipeline.ingest.errors import IngestError
from pipeline.output.rows import Rows, doc_id_of, document_rows, error_rows
from pipeline.output.writer import TableWriter
from pipeline.parse import parse_text


@dataclass
class RunSummary:
    files: int = 0
    documents: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors_by_type: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        rate = self.files / self.seconds if self.seconds else 0.0
        return (
            f"{self.files} files: {self.documents} documents, {self.failed} failed "
            f"in {self.seconds:.1f} s ({rate:.1f} files/s)"
        )


def list_inputs(root: Path) -> list[Path]:
    """Every file below ``root`` in a stable order (symbolic links included, to be reported, not followed)."""
    if root.is_file():
        return [root]
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            found.append(Path(dirpath) / name)
        for name in dirnames:
            if (Path(dirpath) / name).is_symlink():
                found.append(Path(dirpath) / name)
    return found


def process_bytes(data: bytes, source_path: str) -> Rows:
    """One input's bytes to its rows. Never raises: a failure becomes an error row naming its stage."""
    doc_id = doc_id_of(data)
    stage = "ingest"
    try:
        source = ingest_bytes(data, source_path)
        stage = "parse"
        parsed = parse_text(source.text)
        stage = "output"
        return document_rows(doc_id, source_path, source, parsed)
    except IngestError as exc:
        return error_rows(source_path, doc_id, stage, exc.error_type, exc.message)
    except RecursionError as exc:
        return error_rows(source_path, doc_id, stage, "recursion", str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop the batch
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return error_rows(source_path, doc_id, stage, type(exc).__name__, tb)


def process_file(path: Path, root: Path) -> Rows:
    """Read one file and process it; unreadable files and links become error rows."""
    rel = path.name if root.is_file() else path.relative_to(root).as_posix()
    if path.is_symlink():
        return error_rows(rel, None, "read", "symlink", "symbolic link not followed")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return error_rows(rel, None, "read", "unreadable", str(exc))
    return process_bytes(data, rel)


class Progress:
    """A progress line on a terminal, plain log lines otherwise."""

    def __init__(self, total: int, stream=sys.stderr, every: int = 500):
        self.total, self.stream, self.every = total, stream, every
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        elapsed = now - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate else 0.0
        if self.tty:
            if now - self.last < 0.2 and done < self.total:
                return
            self.last = now
            width = 30
            fill = int(width * done / max(1, self.total))
            self.stream.write(
                f"\r[{'#' * fill}{'.' * (width - fill)}] {done}/{self.total} {rate:.1f} files/s, {left:.0f} s left "
            )
            if done >= self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif done % self.every == 0 or done == self.total:
            self.stream.write(f"vanban: {done}/{self.total} files, {rate:.1f} files/s, about {left:.0f} s left\n")
            self.stream.flush()


def run(input_path: str | Path, output_dir: str | Path, progress: bool = True) -> RunSummary:
    """Process every file below ``input_path`` into the tables in ``output_dir``."""
    root = Path(input_path)
    if not root.exists():
        raise FileNotFoundError(f"no such input: {root}")
    files = list_inputs(root)
    summary = RunSummary(files=len(files))
    writer = TableWriter(output_dir)
    bar = Progress(len(files)) if progress else None
    t0 = time.monotonic()
    try:
        for i, path in enumerate(files, 1):
            rows = process_file(path, root)
            writer.add(rows)
            if rows["errors"]:
                summary.failed += 1
                kind = rows["errors"][0]["error_type"]
                summary.errors_by_type[kind] = summary.errors_by_type.get(kind, 0) + 1
            else:
                summary.documents += 1
            if bar:
                bar.update(i)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    summary.seconds = time.monotonic() - t0
    return summary
