"""What runs in a worker process: the memory limit, the test hook and the task loop.

Kept free of pyarrow and of the driver, so a worker's address space stays small and
``--max-memory`` limits the parser rather than libraries the worker never uses.
"""

from __future__ import annotations

import gc
import os
import signal
import time
from collections.abc import Callable

import pipeline.ingest  # noqa: F401 - loaded here, so the forkserver holds them compiled for every worker
import pipeline.parse  # noqa: F401
from pipeline.batch.items import HOOK_ENV, Result, WorkItem, parse_hook  # noqa: F401 - this module's API too
from pipeline.batch.process import process_path
from pipeline.batch.worker_env import enter_env
from pipeline.output.rows import error_rows


def _hooked_parse(action: str) -> Callable:
    from pipeline.parse import parse_doc

    def parse(doc):
        if action == "hang":  # stuck in a program it started on a temporary copy, as antiword or Tesseract
            import subprocess
            import tempfile

            tempfile.NamedTemporaryFile(prefix="vanban-hook-", delete=False).close()

            subprocess.run(["sleep", "3599.5"], check=False)
            while True:
                time.sleep(3600)
        if action == "slow":
            time.sleep(3)
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
        return parse_doc(doc)

    return parse


def process_item(item: WorkItem, hooks: list[tuple[str, str]] | None = None, on_stage=None, on_pages=None) -> Result:
    """One item to its result, in whatever process this runs."""
    if item.error:  # the walk could not read it: nothing to open
        return Result.of_rows(item.seq, error_rows(item.rel, None, "read", item.error_type or "unreadable", item.error))
    parse = None
    for action, needle in hooks or ():
        if needle in item.rel:
            parse = _hooked_parse(action)
            break
    return Result.of_rows(item.seq, process_path(item.path, item.rel, on_stage, parse, item.limits, on_pages))


def process_task(items: list[WorkItem], hooks: list[tuple[str, str]] | None = None) -> list[Result]:
    """A few items at once: the task a Dask worker runs (a pure function of the files)."""
    return [process_item(item, hooks) for item in items]


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space: an allocation past it raises MemoryError instead of swapping the machine."""
    if max_bytes > 0:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


GC_THRESHOLD = (50_000, 20, 100)
"""The parser allocates many short-lived containers and few cycles: collecting every 700 allocations
(Python's default) spent about 1% of a worker's instructions (callgrind, 150 documents) re-scanning them."""


def quiet_gc() -> None:
    """Move what is loaded (compiled rules, lexicons) out of the collector's sight and collect less often."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def _die_with_parent() -> None:
    """Linux: take this worker down if the process that started it dies (a run killed with -9)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort, other systems
        pass


FLUSH_S = 0.05
"""Results are sent together when they come faster than this: one message, and one wake-up of the driver,
for several files instead of each (the driver shares the machine's cores with the workers)."""


def _own_group() -> None:
    """Lead a process group of its own: what it starts (tesseract, antiword) joins it, so the driver kills them
    all together, and Ctrl-C at the terminal reaches the driver alone (which then stops the workers)."""
    try:
        os.setsid()
    except OSError:  # already a group leader
        pass


def worker_main(conn, stage, max_bytes: int, hooks: list[tuple[str, str]], done=None, pages=None, env=None) -> None:
    """Receive tasks (lists of items) until ``None``; send their results in lists, at the latest when a
    task ends or ``FLUSH_S`` after the last sending. ``done`` counts the files finished, sent or not, so
    the driver knows the file a worker died on and which finished ones it never heard of."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    enter_env(env)
    _own_group()
    _die_with_parent()
    limit_memory(max_bytes)
    quiet_gc()

    def on_stage(i: int) -> None:
        stage.value = i
        if i == 0 and pages is not None:
            pages.value = 0

    def on_pages(n: int) -> None:
        if pages is not None:
            pages.value = n

    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        ready: list[Result] = []
        last = time.monotonic()
        for k, item in enumerate(task):
            result = process_item(item, hooks, on_stage, on_pages)
            on_pages(0)
            ready.append(result)
            if done is not None:
                done.value += 1
            if result.retire or k == len(task) - 1 or time.monotonic() - last >= FLUSH_S:
                try:
                    conn.send(ready)
                except (BrokenPipeError, OSError):
                    return
                ready, last = [], time.monotonic()
            if result.retire:
                return
