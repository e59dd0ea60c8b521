"""What a run tells the person watching: a bar on a terminal, log lines in a log, a summary at the end."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field


@dataclass
class RunSummary:
    """Counts of one run. ``documents`` and ``failed`` count the files processed by this run;
    ``skipped`` the files already in the tables (same bytes, same parser version)."""

    files: int = 0
    documents: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    replaced_workers: int = 0
    compacted: bool = False
    errors_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return self.documents

    def line(self) -> str:
        processed = self.documents + self.failed
        rate = processed / self.seconds if self.seconds else 0.0
        return (
            f"{self.files} files: {self.documents} documents done, {self.failed} failed, "
            f"{self.skipped} skipped (unchanged), {self.pages} pages in {self.seconds:.1f} s "
            f"({rate:.1f} files/s)"
        )


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """A bar with files/s and time left on a terminal; a log line every ``every`` files or ``seconds`` otherwise."""

    def __init__(self, total: int | None, stream=None, every: int = 1000, seconds: float = 10.0):
        self.total, self.every, self.seconds = total, every, seconds
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = self.last = time.monotonic()
        self.last_n = 0

    def update(self, s: RunSummary, final: bool = False) -> None:
        n = s.documents + s.failed + s.skipped
        now = time.monotonic()
        if not final and (now - self.last < (0.2 if self.tty else self.seconds)) and (self.tty or n - self.last_n < self.every):
            return
        self.last, self.last_n = now, n
        elapsed = max(now - self.start, 1e-9)
        rate = n / elapsed
        left = f"{_clock((self.total - n) / rate)} left" if self.total and rate > 0 else "time left unknown"
        of = f"/{self.total}" if self.total else ""
        extra = f", {s.failed} failed, {s.skipped} skipped" if s.failed or s.skipped else ""
        if self.tty:
            width = 28
            fill = int(width * n / self.total) if self.total else 0
            self.stream.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {n}{of} files {rate:.1f} files/s {left}{extra}  ")
            if final:
                self.stream.write("\n")
        else:
            self.stream.write(f"vanban: {n}{of} files, {rate:.1f} files/s, {left}{extra}\n")
        self.stream.flush()
