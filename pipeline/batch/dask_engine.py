"""The distributed engine: the same unit of work (``worker.process_task``) as tasks on a Dask cluster.

The driver stays where it is: it walks INPUT, keeps the manifest and writes the parts
and the final tables; the cluster only turns files into rows. Workers read the files
by path, so INPUT must be visible to them at the same path (a shared filesystem; a
local cluster always is). Without a scheduler address a ``LocalCluster`` of worker
processes (one thread each) is started for the run.

Fault isolation: a task whose worker dies is retried by Dask and ends as
``KilledWorker``; its files are then submitted one by one, so the file that kills its
worker is found alone and becomes a ``worker_crashed`` error row. Dask has no per-task
time limit: ``--timeout`` applies to the local engine only, and ``--max-memory`` to a
local cluster (the nanny restarts a worker past it).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator

from pipeline.batch.pool import TASK_BYTES, TASK_FILES, file_doc_id
from pipeline.batch.worker import Result, WorkItem, process_task
from pipeline.output.rows import error_rows


class DaskEngine:
    """Results of ``process_task`` from a cluster, streamed with a bounded number of tasks in flight."""

    def __init__(self, scheduler: str | None, workers: int, max_bytes: int = 0, hooks=None, window: int | None = None):
        import dask
        from distributed import Client, LocalCluster

        self.hooks = hooks or []
        self.replaced = 0
        self._cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            dask.config.set({"distributed.scheduler.allowed-failures": 1})
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                memory_limit=max_bytes or None,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self._cluster)
        n = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)
        self.window = window or max(256, 8 * n * TASK_FILES)
        self.max_tasks = 2 * n

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def map(self, items: Iterator[WorkItem]) -> Iterator[Result]:
        from distributed import as_completed

        source = iter(items)
        peeked: deque[WorkItem] = deque()
        singles: deque[WorkItem] = deque()
        inflight: dict = {}
        done = as_completed()
        exhausted = False

        def oldest() -> int | None:
            seqs = [task[0].seq for task in inflight.values()]
            seqs.extend(item.seq for item in singles)
            return min(seqs) if seqs else None

        def next_task() -> list[WorkItem]:
            nonlocal exhausted
            if singles:
                return [singles.popleft()]
            task, size, low = [], 0, oldest()
            while len(task) < TASK_FILES and size < TASK_BYTES:
                if not peeked:
                    if exhausted:
                        break
                    try:
                        peeked.append(next(source))
                    except StopIteration:
                        exhausted = True
                        break
                first = low if low is not None else (task[0].seq if task else peeked[0].seq)
                if peeked[0].seq - first >= self.window:
                    break
                item = peeked.popleft()
                task.append(item)
                size += item.size
            return task

        try:
            while True:
                while len(inflight) < self.max_tasks:
                    task = next_task()
                    if not task:
                        break
                    fut = self.client.submit(process_task, task, self.hooks, pure=False)
                    inflight[fut] = task
                    done.add(fut)
                if not inflight:
                    break
                fut = next(done)
                task = inflight.pop(fut)
                try:
                    results = fut.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker and the like: find the culprit
                    self.replaced += 1
                    if len(task) > 1:
                        singles.extend(task)
                        continue
                    item = task[0]
                    message = f"the Dask worker died on this file ({type(exc).__name__}: {exc})"
                    # the stage is not known from outside the worker; parsing is where a file spends its time
                    rows = error_rows(item.rel, file_doc_id(item.path), "parse", "worker_crashed", message[:500])
                    results = [Result.of_rows(item.seq, rows)]
                finally:
                    fut.release()
                yield from results
        finally:
            for fut in inflight:
                fut.cancel()
            self.close()
