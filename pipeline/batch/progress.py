"""What a run tells the person watching: a bar on a terminal, log lines in a log, a summary at the end.

On a terminal the bar is ``rich``'s: redrawn on a timer (four times a second, so it moves
while one long scan is read), cut to the terminal's width rather than wrapped, with the
time left from the throughput of the last half minute and the file being read. Anywhere
else (a cron job, a pipe) one line every ``every`` files or ``seconds`` seconds, written
by a timer thread, so a batch stuck on one slow file still says it is alive. Every line
also goes to the ``vanban`` logger (``--log-file`` writes it as JSON lines).

The total is counted by a second walk in a thread: the bar starts at once and learns its
length when the count is done.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("vanban")
log.addHandler(logging.NullHandler())  # a library's logger: silent until the command line or a user gives it a handler


@dataclass
class RunSummary:
    """Counts of one run. ``documents`` and ``failed`` count the files processed by this run; ``skipped`` the
    files already in the tables (same bytes, same parser version), of which ``kept_errors`` are error rows kept
    as they were; ``retried`` the error rows tried again; ``ignored`` what the walk passed over, by reason;
    ``kept_elsewhere`` the files in the tables this run did not meet (not under INPUT), kept without ``--prune``,
    ``pruned`` those it dropped."""

    files: int = 0
    documents: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    replaced_workers: int = 0
    compacted: bool = False
    retried: int = 0
    pruned: int = 0
    kept_elsewhere: int = 0
    errors_by_type: dict[str, int] = field(default_factory=dict)
    kept_errors: dict[str, int] = field(default_factory=dict)
    ignored: dict[str, int] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return self.documents

    def line(self) -> str:
        processed = self.documents + self.failed
        rate = processed / self.seconds if self.seconds else 0.0
        failed = f"{self.failed} failed" + (f" ({_by_type(self.errors_by_type)})" if self.failed else "")
        skipped = f"{self.skipped} skipped (unchanged"
        if self.kept_errors:
            skipped += f"; {sum(self.kept_errors.values())} of them error rows kept: {_by_type(self.kept_errors)}"
        skipped += ")"
        out = f"{self.files} files: {self.documents} documents done, {failed}, {skipped}, {self.pages} pages in {self.seconds:.1f} s ({rate:.1f} files/s)"
        if self.ignored:
            out += f"; passed over: {_by_type(self.ignored)}"
        return out

    def notes(self) -> list[str]:
        """Further lines for the person: what was kept, dropped and retried."""
        out = []
        if self.retried:
            out.append(f"{self.retried} error rows tried again")
        if self.kept_elsewhere:
            out.append(f"{self.kept_elsewhere} files in OUTPUT not met under INPUT kept their rows (--prune drops them)")
        if self.pruned:
            out.append(f"{self.pruned} files no longer under INPUT left the tables (--prune)")
        if self.replaced_workers:
            out.append(f"workers replaced: {self.replaced_workers}")
        return out


def _by_type(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Throughput:
    """Files per second over the recent past: at least ``window`` seconds and ``files`` files back (at most
    ``longest`` seconds), so the estimate follows the batch as it is now (a folder of scans after one of text
    files) without swinging to hours while one long scan is read."""

    def __init__(self, window: float = 30.0, files: int = 50, longest: float = 600.0):
        self.window, self.files, self.longest = window, files, longest
        self.samples: deque[tuple[float, int]] = deque()

    def add(self, now: float, n: int) -> None:
        if self.samples and self.samples[-1][1] == n and len(self.samples) > 1 and self.samples[-2][1] == n:
            self.samples[-1] = (now, n)  # no progress: one sample says so
        else:
            self.samples.append((now, n))
        while len(self.samples) > 2 and now - self.samples[0][0] > self.longest:
            self.samples.popleft()

    def rate(self) -> float:
        if len(self.samples) < 2:
            return 0.0
        t1, n1 = self.samples[-1]
        t0, n0 = self.samples[0]
        for t, n in reversed(self.samples):
            if t1 - t >= self.window and n1 - n >= self.files:
                t0, n0 = t, n
                break
        return (n1 - n0) / (t1 - t0) if t1 > t0 else 0.0


class Progress:
    """A bar on a terminal, a line every ``every`` files or ``seconds`` seconds elsewhere; ``count`` gives the total."""

    def __init__(self, count: Callable[[], int] | int | None = None, stream=None, every: int = 1000, seconds: float = 10.0):
        self.every, self.seconds = every, seconds
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total: int | None = count if isinstance(count, int) else None
        self.n = self.failed = self.skipped = 0
        self.current = ""
        self.start = time.monotonic()
        self.speed = Throughput()
        self.speed.add(self.start, 0)
        self._last, self._last_n = self.start, 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._bar = self._task = None
        if callable(count):
            threading.Thread(target=self._count, args=(count,), daemon=True, name="vanban-count").start()
        if self.tty:
            self._start_bar()
        self._timer = threading.Thread(target=self._tick, daemon=True, name="vanban-progress")
        self._timer.start()

    def _count(self, count: Callable[[], int]) -> None:
        try:
            total = count()
        except Exception:  # noqa: BLE001 - a total is a nicety: the bar goes on without one
            return
        self.total = total
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.table import Column
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(file=self.stream, stderr=self.stream is sys.stderr)
        self._bar = Progress(
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TextColumn("files {task.fields[rate]}"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[extra]}[dim]{task.fields[current]}", table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1)),
            console=console,
            refresh_per_second=4,
            speed_estimate_period=30,
            transient=False,
            expand=True,  # the file name takes what the counts leave, cut with an ellipsis
        )
        self._task = self._bar.add_task("vanban", total=self.total, rate="", extra="", current="")
        self._bar.start()

    def reading(self, rel: str) -> None:
        """The file handed to a worker last (what a person wants to see when the bar stalls)."""
        self.current = rel

    def update(self, s: RunSummary, final: bool = False) -> None:
        """Counts as they are now: cheap, the drawing and the log lines happen on the timer."""
        with self._lock:
            self.n, self.failed, self.skipped = s.documents + s.failed + s.skipped, s.failed, s.skipped
        now = time.monotonic()
        if not self.tty and self.n - self._last_n >= self.every:
            self._line(now)
        if final:
            self.close()

    def _extra(self) -> str:
        parts = []
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return (", ".join(parts) + " ") if parts else ""

    def _tick(self) -> None:
        from rich.markup import escape

        while not self._stop.wait(0.25):
            now = time.monotonic()
            self.speed.add(now, self.n)
            if self._bar is not None:
                rate = self.speed.rate()
                self._bar.update(
                    self._task, completed=self.n, rate=f"{rate:.1f}/s" if rate else "", extra=self._extra(), current=escape(self.current)
                )
            if now - self._last >= self.seconds:
                self._line(now)

    def _line(self, now: float) -> None:
        """One log line: on the stream when it is not a terminal, and in the log either way."""
        with self._lock:
            self._last, self._last_n = now, self.n
            rate = self.speed.rate() or (self.n / max(now - self.start, 1e-9))
            total = self.total
            left = f"{_clock((total - self.n) / rate)} left" if total and rate > 0 else "time left unknown"
            of = f"/{total}" if total else ""
            extra = f", {self.failed} failed, {self.skipped} skipped" if self.failed or self.skipped else ""
            text = f"{self.n}{of} files, {rate:.1f} files/s, {left}{extra}"
            if self.current:
                text += f", reading {self.current}"
            if not self.tty:
                self.stream.write(f"vanban: {text}\n")
                self.stream.flush()
        log.info(text, extra={"event": "progress", "files": self.n, "total": total, "failed": self.failed, "skipped": self.skipped})

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._timer.join(1)
        if self._bar is not None:
            self._bar.update(self._task, completed=self.n, extra=self._extra(), current="")
            self._bar.stop()
