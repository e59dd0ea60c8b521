"""One run: walk INPUT, skip what the manifest already has, process the rest on an engine, write parts, compact.

Rows are written in the order of the final tables: results come back from the engine
in any order and wait in a small reorder buffer (bounded by the engine's window)
until the results before them are in.

The driver never imports the parser (workers do), and it starts the local pool's
forkserver before it imports pyarrow, so the two load side by side.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pipeline
from pipeline.batch.inputs import InputFile, count_inputs, walk_inputs
from pipeline.batch.items import HOOK_ENV, Result, WorkItem, parse_hook
from pipeline.batch.manifest import Manifest, state_dir_for
from pipeline.batch.pool import LocalPool, file_doc_id, start_forkserver
from pipeline.batch.progress import Progress, RunSummary
from pipeline.limits import DEFAULT, Limits

MAX_RUNS = 4
"""Sorted runs kept before compaction rewrites them into one (bounds the merge and the dead rows on disk)."""


@dataclass
class BatchOptions:
    """How to run. ``workers=None`` uses every core; 0 processes in this process (no isolation)."""

    workers: int | None = None
    timeout: float = 120.0
    max_memory: int = 4 << 30
    engine: str = "local"
    scheduler: str | None = None
    partition_by: str | None = None
    part_docs: int = 1000
    force: bool = False
    state_dir: str | None = None
    progress: bool = True
    hooks: str | None = None
    limits: Limits = DEFAULT

    def n_workers(self) -> int:
        return (os.cpu_count() or 1) if self.workers is None else max(0, self.workers)


class InProcess:
    """No pool: every file in this process, one after the other (for debugging and profiling)."""

    replaced = 0

    def __init__(self, hooks=None):
        self.hooks = hooks

    def map(self, items: Iterator[WorkItem]) -> Iterator[Result]:
        from pipeline.batch.worker import process_item

        for item in items:
            yield process_item(item, self.hooks)


def make_engine(options: BatchOptions):
    hooks = parse_hook(options.hooks if options.hooks is not None else os.environ.get(HOOK_ENV))
    n = options.n_workers()
    if options.engine == "dask":
        from pipeline.batch.dask_engine import DaskEngine

        return DaskEngine(options.scheduler, max(1, n), options.max_memory, hooks)
    if options.engine != "local":
        raise ValueError(f"unknown engine {options.engine!r} (local or dask)")
    if n == 0:
        return InProcess(hooks)
    return LocalPool(n, options.timeout, options.max_memory, hooks)


def _tally(summary: RunSummary, result: Result) -> None:
    if result.is_document:
        summary.documents += 1
        summary.pages += result.pages
    else:
        summary.failed += 1
        kind = result.error_type or "unknown"
        summary.errors_by_type[kind] = summary.errors_by_type.get(kind, 0) + 1


def _recover(manifest: Manifest, store) -> None:
    """After a crash or by hand: forget entries whose run folder is gone, delete run folders nobody names."""
    named, on_disk = manifest.runs(), store.runs_on_disk()
    if named - on_disk:
        manifest.forget_runs(named - on_disk)
    store.drop_runs(on_disk - named)
    store.clean_tmp()


def run_batch(input_path: str | Path, output: str | Path, options: BatchOptions | None = None) -> RunSummary:
    """Process every new or changed file below ``input_path`` and bring the tables in ``output`` up to date."""
    import time

    options = options or BatchOptions()
    root = Path(input_path)
    if not root.exists() and not root.is_symlink():
        raise FileNotFoundError(f"no such input: {root}")
    if options.engine == "local" and options.n_workers() > 0:
        start_forkserver()
    from pipeline.batch.compact import compact
    from pipeline.batch.parts import PartStore, PartWriter
    from pipeline.output.citations import link_citations
    from pipeline.output.schema import DOCUMENTS
    from pipeline.output.successors import fill_successors
    from pipeline.output.writer import FinalTables

    if options.partition_by and options.partition_by not in DOCUMENTS.names:
        raise ValueError(f"--partition-by must be a column of documents, not {options.partition_by!r}")
    output = str(output)
    t0 = time.monotonic()
    state = state_dir_for(output, options.state_dir)
    manifest = Manifest(state / "_manifest")
    try:
        store = PartStore(state)
        _recover(manifest, store)
        run = manifest.new_run()
        parser_version = pipeline.PARSER_VERSION
        summary = RunSummary()
        bar = Progress(count_inputs(root)) if options.progress else None
        writer = PartWriter(store, manifest, run, parser_version, options.part_docs)
        waiting: dict[int, InputFile] = {}

        def todo() -> Iterator[WorkItem]:
            seq = 0
            for item in walk_inputs(root):
                summary.files += 1
                if not options.force and _unchanged(manifest, item, parser_version, run):
                    manifest.mark_seen(item.key, run)
                    summary.skipped += 1
                    if bar:
                        bar.update(summary)
                    continue
                waiting[seq] = item
                yield WorkItem(seq, item.rel, item.path, item.size, options.limits)
                seq += 1

        engine = make_engine(options)
        ready: dict[int, Result] = {}
        next_seq = 0
        for result in engine.map(todo()):
            ready[result.seq] = result
            while next_seq in ready:
                r = ready.pop(next_seq)
                writer.add(waiting.pop(next_seq), r)
                _tally(summary, r)
                next_seq += 1
                if bar:
                    bar.update(summary)
        writer.commit()
        manifest.flush_seen()
        summary.replaced_workers = engine.replaced
        tables = FinalTables(output, options.partition_by)
        signature = f"{output}|{options.partition_by or ''}"
        if manifest.needs_compaction(run, signature) or not tables.exist():
            consolidate_to = manifest.new_run() if len(manifest.runs()) > MAX_RUNS else None
            compact(manifest, store, run, tables, options.partition_by, consolidate_to, options.part_docs)
            manifest.compacted(run, signature, consolidate_to)
            store.drop_runs(store.runs_on_disk() - manifest.runs())
            summary.compacted = True
        link_citations(output)  # needs every document: only once the final tables are in place
        fill_successors(output)  # today's names of merged bodies, once per distinct name (pipeline.output.successors)
        summary.seconds = time.monotonic() - t0
        if bar:
            bar.update(summary, final=True)
        return summary
    finally:
        manifest.close()


def _unchanged(manifest: Manifest, item: InputFile, parser_version: str, run: int) -> bool:
    """Already in the tables: same parser version and same bytes (same size and mtime, or else the same sha256)."""
    e = manifest.lookup(item.key)
    if e is None or e.parser_version != parser_version:
        return False
    if e.size == item.size and e.mtime_ns == item.mtime_ns:
        return True
    if e.doc_id is not None and e.size == item.size and file_doc_id(item.path) == e.doc_id:
        manifest.touch(item.key, item.size, item.mtime_ns, run)
        return True
    return False
