"""What runs in a worker process: the memory limit, the test hook and the task loop.

Kept free of pyarrow and of the driver, so a worker's address space stays small and
``--max-memory`` limits the parser rather than libraries the worker never uses.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.batch.process import process_path
from pipeline.limits import DEFAULT, Limits
from pipeline.output.rows import Rows

HOOK_ENV = "VANBAN_TEST_HOOK"
"""Test hook, e.g. ``hang:bad.txt|crash:boom|oom:huge``: the parser hangs, kills its
process (SIGSEGV) or exhausts its memory on files whose path contains the text. Read
by the driver and handed to workers; unset in production, where it does nothing."""


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One file to process: ``seq`` orders results, ``path`` is what the worker reads."""

    seq: int
    rel: str
    path: str
    size: int
    limits: Limits = DEFAULT


@dataclass(slots=True)
class Result:
    """The rows of one item; ``retire`` asks for the worker to be replaced (after a MemoryError)."""

    seq: int
    rows: Rows
    retire: bool = False


def parse_hook(spec: str | None) -> list[tuple[str, str]]:
    """``hang:a|crash:b`` → ``[("hang", "a"), ("crash", "b")]``; unknown actions are ignored."""
    out = []
    for part in (spec or "").split("|"):
        action, _, needle = part.partition(":")
        if action in {"hang", "crash", "oom"} and needle:
            out.append((action, needle))
    return out


def _hooked_parse(action: str) -> Callable:
    from pipeline.parse import parse_text

    def parse(text: str):
        if action == "hang":
            while True:
                time.sleep(3600)
        if action == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
            time.sleep(60)
        if action == "oom":
            import mmap
            import resource

            if resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY:
                raise MemoryError("test hook: simulated, no memory limit is set")
            hog = []  # address space, not touched: fills the limit at once without eating the machine
            try:
                while True:
                    hog.append(mmap.mmap(-1, 64 << 20))
            except OSError:
                hog.clear()
                raise MemoryError("test hook: address space exhausted") from None
        return parse_text(text)

    return parse


def process_item(item: WorkItem, hooks: list[tuple[str, str]] | None = None, on_stage=None) -> Result:
    """One item to its result, in whatever process this runs."""
    parse = None
    for action, needle in hooks or ():
        if needle in item.rel:
            parse = _hooked_parse(action)
            break
    rows = process_path(item.path, item.rel, on_stage, parse, item.limits)
    err = rows["errors"]
    return Result(item.seq, rows, retire=bool(err) and err[0]["error_type"] == "memory")


def process_task(items: list[WorkItem], hooks: list[tuple[str, str]] | None = None) -> list[Result]:
    """A few items at once: the task a Dask worker runs (a pure function of the files)."""
    return [process_item(item, hooks) for item in items]


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space: an allocation past it raises MemoryError instead of swapping the machine."""
    if max_bytes > 0:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _die_with_parent() -> None:
    """Linux: take this worker down if the process that started it dies (a run killed with -9)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort, other systems
        pass


def worker_main(conn, stage, max_bytes: int, hooks: list[tuple[str, str]]) -> None:
    """Receive tasks (lists of items) until ``None``; send one result per item as soon as it is done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    limit_memory(max_bytes)

    def on_stage(i: int) -> None:
        stage.value = i

    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        for item in task:
            result = process_item(item, hooks, on_stage)
            try:
                conn.send(result)
            except (BrokenPipeError, OSError):
                return
            if result.retire:
                return
