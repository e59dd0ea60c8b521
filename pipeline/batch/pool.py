"""The local engine: worker processes fed through their own pipes, replaced when one dies or hangs.

Why not ``concurrent.futures.ProcessPoolExecutor``: one worker that segfaults breaks the
whole executor (BrokenProcessPool) and it cannot say which file did it. Here each worker
takes a task of a few files and answers after each file, so the driver always knows the
file a worker is on: when the worker dies, that file is the culprit (an error row) and
the rest of its task goes back to the queue for a fresh worker.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import time
import types
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import wait

from pipeline.batch.items import STAGES, Result, WorkItem
from pipeline.batch.process import file_sha256
from pipeline.batch.worker_env import SCRATCH_ENV
from pipeline.output.rows import error_rows

TASK_FILES = 8
TASK_BYTES = 4 << 20
PAGE_CHECK_S = 0.5


class WorkerStartError(RuntimeError):
    """A worker died before it was ready: the environment is broken, not a file."""


def file_doc_id(path: str) -> str | None:
    """The doc_id of a file whose worker died on it (read here, by the driver: never through a link, never blocking)."""
    return file_sha256(path)


def _worker_entry(conn, stage, max_bytes: int, hooks, done, pages=None, env=None) -> None:
    """A worker's first call, named here so the driver can start workers without importing the parser:
    ``pipeline.batch.worker`` is imported in the worker (already loaded by the forkserver)."""
    from pipeline.batch.worker import worker_main

    worker_main(conn, stage, max_bytes, hooks, done, pages, env)


@contextmanager
def _without_main():
    """Start workers without re-running ``__main__`` in them: they need nothing from it, and a
    script without an ``if __name__ == "__main__"`` guard would otherwise run again in each."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _context():
    """forkserver where there is one: workers fork from a small clean process, fast and safe with threads."""
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["pipeline.batch.worker"])
    return ctx


class _Worker:
    def __init__(self, ctx, max_bytes: int, hooks, env=None):
        self.stage = ctx.RawValue("b", 0)
        self.done = ctx.RawValue("q", 0)  # files the worker finished; `received`: those whose results came
        self.pages = ctx.RawValue("i", 0)  # pages of the file it is on, once known (its time limit grows with them)
        self.received = 0
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_entry, args=(child, self.stage, max_bytes, hooks, self.done, self.pages, env), daemon=True)
        with _without_main():
            self.proc.start()
        child.close()
        self.pending: deque[WorkItem] = deque()
        self.since = 0.0
        self.retiring = False
        self.started = False

    def send(self, task: list[WorkItem]) -> None:
        if not self.pending:  # a file in progress keeps its clock: a task queued behind it must not reset it
            self.since = time.monotonic()
        self.pending.extend(task)
        self.conn.send(task)

    def receive(self) -> Iterator[Result]:
        """The results waiting in the pipe, in order, each taken off ``pending`` (a worker sends them in lists)."""
        while self.conn.poll():
            message = self.conn.recv()
            if message == "ready":
                self.started = True
                continue
            self.since = time.monotonic()
            for result in message:
                item = self.pending.popleft()
                assert item.seq == result.seq, (item.seq, result.seq)
                self.received += 1
                self.retiring = self.retiring or result.retire
                yield result

    def deadline(self, timeout: float, per_page: float) -> float:
        """When the file it is on has had its time: ``timeout`` plus ``per_page`` for each of its pages."""
        return self.since + timeout + per_page * max(0, self.pages.value)

    def stop(self) -> None:
        """Kill the worker and every process it started (tesseract, antiword): they share its process group."""
        kill_group(self.proc)
        self.proc.join(5)

    def kill(self) -> None:
        self.stop()
        self.conn.close()


def kill_group(proc) -> None:
    """SIGKILL to the process group a worker leads (it calls ``setsid`` first thing), which also holds the
    programs it started; the worker alone if it has no group of its own yet. A group outlives its leader,
    so this also reaches the children of a worker that died already."""
    pid = proc.pid
    if pid is None:
        return
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
            return
    except (ProcessLookupError, PermissionError):
        try:
            os.killpg(pid, signal.SIGKILL)  # the leader is gone (reaped): its group may live on
        except (ProcessLookupError, PermissionError):
            pass
        return
    if proc.is_alive():
        proc.kill()


def _death_note(proc) -> str:
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class LocalPool:
    """``workers`` processes; ``map`` streams results (any order) while pulling items lazily.

    ``window`` bounds memory: an item is only sent while its ``seq`` is less than
    ``window`` past the oldest unfinished one, so the driver's reorder buffer stays small
    even while one file hangs until its time limit.
    """

    def __init__(
        self,
        workers: int,
        timeout: float = 120.0,
        max_bytes: int = 0,
        hooks=None,
        window: int | None = None,
        per_page: float = 0.0,
        env: dict[str, str] | None = None,
    ):
        self.n = max(1, workers)
        self.timeout = timeout if timeout and timeout > 0 else None
        self.per_page = per_page
        self.env = env or {}
        self.max_bytes = max_bytes
        self.hooks = hooks or []
        self.window = window or max(256, 8 * self.n * TASK_FILES)
        self.replaced = 0

    def map(self, items: Iterator[WorkItem]) -> Iterator[Result]:
        source = iter(items)
        first = next(source, None)
        if first is None:
            return  # nothing to process: no worker is started (nor the forkserver, which loads the parser)
        ctx = _context()
        workers = [_Worker(ctx, self.max_bytes, self.hooks, self.env) for _ in range(self.n)]
        retry: deque[WorkItem] = deque()
        peeked: list[WorkItem] = [first]
        exhausted = False

        def oldest() -> int | None:
            seqs = [w.pending[0].seq for w in workers if w.pending]
            if retry:
                seqs.append(retry[0].seq)
            return min(seqs) if seqs else None

        def next_task() -> list[WorkItem]:
            nonlocal exhausted
            if retry:
                return [retry.popleft()]  # after a crash: one at a time, so a culprit is found alone
            task: list[WorkItem] = []
            size = 0
            low = oldest()
            while len(task) < TASK_FILES and size < TASK_BYTES:
                if not peeked:
                    if exhausted:
                        break
                    try:
                        peeked.append(next(source))
                    except StopIteration:
                        exhausted = True
                        break
                item = peeked[0]
                first = low if low is not None else (task[0].seq if task else item.seq)
                if item.seq - first >= self.window:
                    break
                task.append(peeked.pop(0))
                size += item.size
            return task

        try:
            while True:
                for i, w in enumerate(workers):
                    # A second task waits in the pipe while the first runs: a worker never idles
                    # for the driver's round trip (which, on a busy machine, waits for a core).
                    if len(w.pending) <= TASK_FILES // 2 and not w.retiring and (w.started or not w.pending):
                        task = next_task()
                        if task:
                            try:
                                w.send(task)
                            except OSError:  # died while idle: nobody to blame, the task goes back
                                w.retiring = True
                                yield from self._replace(ctx, workers, i, retry, "worker_crashed")
                busy = [w for w in workers if w.pending or w.retiring]
                if not busy:
                    if exhausted and not peeked and not retry:
                        break
                    continue
                wait_for = None
                working = [w.deadline(self.timeout, self.per_page) for w in busy if w.pending] if self.timeout else []
                if working:
                    # a deadline moves when a worker learns the pages of its file: look again at least every PAGE_CHECK_S
                    wait_for = min(max(0.0, min(working) - time.monotonic()), PAGE_CHECK_S)
                ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for)
                for i, w in enumerate(workers):
                    if w not in busy:
                        continue
                    dead = False
                    if w.conn in ready or w.proc.sentinel in ready:
                        try:
                            yield from w.receive()
                        except (EOFError, OSError):
                            dead = True
                        if w.proc.sentinel in ready or not w.proc.is_alive():
                            dead = True
                    if dead:
                        yield from self._replace(ctx, workers, i, retry, "worker_crashed")
                    elif self.timeout and w.pending and time.monotonic() > w.deadline(self.timeout, self.per_page):
                        yield from self._replace(ctx, workers, i, retry, "timeout")
        finally:
            for w in workers:
                try:
                    w.conn.send(None)
                except (OSError, ValueError):
                    pass
            deadline = time.monotonic() + 2
            for w in workers:
                w.proc.join(max(0.0, deadline - time.monotonic()))
                w.kill()
                self._clear_scratch(w)

    def _clear_scratch(self, w: _Worker) -> None:
        """What a killed worker's programs left in its private temporary folder (a .doc copy for antiword)."""
        base = self.env.get(SCRATCH_ENV)
        if base and w.proc.pid:
            import shutil

            shutil.rmtree(os.path.join(base, f"w{w.proc.pid}"), ignore_errors=True)

    def _replace(self, ctx, workers: list[_Worker], i: int, retry: deque, why: str) -> Iterator[Result]:
        """Stop worker ``i``, turn the file it was on into an error row, requeue the rest, start a new one."""
        w = workers[i]
        stage = STAGES[w.stage.value] if 0 <= w.stage.value < len(STAGES) else "parse"
        pages = w.pages.value
        w.stop()
        try:  # results sent just before the end are still in the pipe: they are not the culprit's
            yield from w.receive()
        except (EOFError, OSError):
            pass
        w.kill()
        if not w.started:
            raise WorkerStartError(f"a worker process could not start ({_death_note(w.proc)}); see the messages above")
        # Files it finished but whose results died with it go back to the queue, ahead of the rest; the
        # file after them is the one it was on.
        lost = [w.pending.popleft() for _ in range(min(len(w.pending), max(0, w.done.value - w.received)))]
        if w.pending and not w.retiring:
            culprit = w.pending.popleft()
            if why == "timeout":
                limit = self.timeout + self.per_page * pages
                budget = f"{self.timeout:g} s + {self.per_page:g} s for each of its {pages} pages" if pages else f"{self.timeout:g} s"
                message = (
                    f"no result after {limit:g} s ({budget}: --timeout, --timeout-per-page): the worker was stopped "
                    "and replaced; the next run tries the file again"
                )
            else:
                message = (
                    f"the worker process died ({_death_note(w.proc)}) on this file and was replaced; it may have been "
                    "killed from outside (the kernel's OOM killer, an operator): the next run tries the file again"
                )
            rows = error_rows(culprit.rel, file_doc_id(culprit.path), stage, why, message)
            yield Result.of_rows(culprit.seq, rows)
        retry.extendleft(reversed(lost + list(w.pending)))
        self._clear_scratch(w)
        self.replaced += 1
        workers[i] = _Worker(ctx, self.max_bytes, self.hooks, self.env)
