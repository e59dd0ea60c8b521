"""One run: walk INPUT, skip what the manifest already has, process the rest on an engine, write parts, compact.

Rows are written in the order of the final tables: results come back from the engine
in any order and wait in a small reorder buffer (bounded by the engine's window)
until the results before them are in.

What a run never does unless asked: shrink the tables. A file no longer under INPUT
keeps its rows (``--prune`` drops them, and even then a run that would drop more than
half of what OUTPUT holds stops: ``--force-prune``); a run that finds no input at all
stops before it touches anything. A stop signal (Ctrl-C, SIGTERM) commits the files
finished so far, then stops; the next run goes on from there.

The driver never imports the parser (workers do) and starts no worker until it has found a file to
process; it imports pyarrow only to write rows or tables. A rerun with nothing to do therefore loads
neither: it walks INPUT, reads the manifest and finds the tables as the last run left them.
"""

from __future__ import annotations

import itertools
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pipeline
from pipeline.batch.errors import RunError, Stopped
from pipeline.batch.inputs import InputFile, Walk, count_inputs, display_name, prefix_key
from pipeline.batch.items import HOOK_ENV, RETRYABLE, Result, WorkItem, parse_hook
from pipeline.batch.manifest import Manifest, state_dir_for
from pipeline.batch.process import file_sha256
from pipeline.batch.progress import Progress, RunSummary
from pipeline.batch.worker_env import OCR_CACHE_ENV, worker_env
from pipeline.limits import DEFAULT, Limits

log = logging.getLogger("vanban")

MAX_RUNS = 4
"""Sorted runs kept before compaction rewrites them into one (bounds the merge and the dead rows on disk)."""

PRUNE_GUARD = 10
"""``--prune`` stops when it would drop more than half of the files OUTPUT holds and more than this many."""


@dataclass
class BatchOptions:
    """How to run. ``workers=None`` uses every core; 0 processes in this process (no isolation)."""

    workers: int | None = None
    timeout: float = 120.0
    timeout_per_page: float = 20.0
    max_memory: int = 4 << 30
    engine: str = "local"
    scheduler: str | None = None
    partition_by: str | None = None
    part_docs: int = 1000
    force: bool = False
    retry_errors: bool = False
    prune: bool = False
    force_prune: bool = False
    exclude: tuple[str, ...] = ()
    state_dir: str | None = None
    progress: bool = True
    hooks: str | None = None
    limits: Limits = DEFAULT

    def n_workers(self) -> int:
        return (os.cpu_count() or 1) if self.workers is None else max(0, self.workers)


class InProcess:
    """No pool: every file in this process, one after the other (for debugging and profiling)."""

    replaced = 0

    def __init__(self, hooks=None, env: dict[str, str] | None = None):
        self.hooks = hooks
        self.cache = (env or {}).get(OCR_CACHE_ENV)

    def map(self, items: Iterator[WorkItem]) -> Iterator[Result]:
        items = iter(items)
        first = next(items, None)
        if first is None:
            return  # nothing to process: the parser is not even loaded
        from pipeline.batch.worker import process_item

        items = itertools.chain([first], items)
        before = os.environ.get(OCR_CACHE_ENV)
        if self.cache and before is None:  # the OCR cache as workers have it; temporary files stay where they are
            os.environ[OCR_CACHE_ENV] = self.cache
        try:
            for item in items:
                yield process_item(item, self.hooks)
        finally:
            if self.cache and before is None:
                os.environ.pop(OCR_CACHE_ENV, None)


SMALL_TEXT = 1 << 20
"""A lone plain-text file up to this size is processed in the driver (see ``make_engine``)."""

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def _one_small_text(ahead: list[WorkItem] | None) -> bool:
    """The run has one file to process (``ahead`` holds all the walk found: fewer than the two asked for), a
    plain text of at most ``SMALL_TEXT`` bytes: reading it costs less than starting a worker process."""
    if ahead is None or len(ahead) != 1:
        return False
    item = ahead[0]
    return item.error is None and item.size <= SMALL_TEXT and item.rel.lower().rstrip(" .").endswith(TEXT_SUFFIXES)


def make_engine(options: BatchOptions, env: dict[str, str] | None = None, ahead: list[WorkItem] | None = None):
    """The engine of a run. ``ahead``: the first items to process, when the walk has been looked into.

    The rule for the local engine when ``--workers`` is not given: a run whose only file to process is
    a small plain text (``_one_small_text``) runs it in this process, since a worker process would cost
    more than the file (a text has no library that can crash and no program that can hang; the
    parser's patterns are linear in the text). Everything else, and whatever ``--workers`` says,
    goes to worker processes."""
    hooks = parse_hook(options.hooks if options.hooks is not None else os.environ.get(HOOK_ENV))
    n = options.n_workers()
    if options.engine == "dask":
        try:
            import dask  # noqa: F401
            import distributed  # noqa: F401
        except ImportError:
            raise RunError("--engine dask needs Dask: pip install 'vanban[dask]'") from None
        from pipeline.batch.dask_engine import DaskEngine

        return DaskEngine(options.scheduler, max(1, n), options.max_memory, hooks)
    if options.engine != "local":
        raise RunError(f"unknown engine {options.engine!r} (local or dask)")
    if n == 0 or (options.workers is None and not hooks and _one_small_text(ahead)):
        return InProcess(hooks, env)
    from pipeline.batch.pool import LocalPool  # multiprocessing and its sockets: loaded when a worker is started

    return LocalPool(n, options.timeout, options.max_memory, hooks, per_page=options.timeout_per_page, env=env)


def _tally(summary: RunSummary, item: InputFile, result: Result) -> None:
    if result.is_document:
        summary.documents += 1
        summary.pages += result.pages
    else:
        summary.failed += 1
        kind = result.error_type or "unknown"
        summary.errors_by_type[kind] = summary.errors_by_type.get(kind, 0) + 1
        extra = {"event": "error", "source_path": item.rel, "error_type": kind, "detail": result.error_message}
        log.warning("%s: %s: %s", item.rel, kind, result.error_message, extra=extra)


def _recover(manifest: Manifest, store) -> None:
    """After a crash or by hand: forget entries whose run folder is gone, delete run folders nobody names."""
    named, on_disk = manifest.runs(), store.runs_on_disk()
    if named - on_disk:
        manifest.forget_runs(named - on_disk)
    store.drop_runs(on_disk - named)
    store.clean_tmp()


def _check_paths(root: Path, output: str, options: BatchOptions) -> None:
    """The mistakes a person makes on the command line, told before anything is written."""
    if not root.exists() and not root.is_symlink():
        raise RunError(f"no such input: {root}")
    if root.is_dir() and not os.access(root, os.R_OK | os.X_OK):
        raise RunError(f"cannot read the input folder {root}: permission denied")
    local = "://" not in output or output.startswith("file://")
    for what, path in (("OUTPUT", output.removeprefix("file://") if local else None), ("--state-dir", options.state_dir)):
        if path is None:
            continue
        p = Path(path)
        if p.exists() and not p.is_dir():
            raise RunError(f"{what} {p} is a file, not a folder")
        existing = next((q for q in (p, *p.parents) if q.exists()), None)
        if existing is not None and not existing.is_dir():
            raise RunError(f"{what} {p} cannot be made: {existing} is a file")
        if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
            raise RunError(f"cannot write to {what} {p}: {existing} is read-only (permission denied)")


def _scope(manifest: Manifest, root: Path) -> str:
    """The ``source_path`` prefix of this run's inputs: ``""``, or ``"2024/"`` when INPUT is a folder inside
    the INPUT an earlier run recorded, so a run of one year's folder names its files as the whole run did."""
    here = os.path.abspath(root if root.is_dir() else root.parent)
    recorded = manifest.get("input_root")
    if recorded and here != recorded and here.startswith(recorded.rstrip(os.sep) + os.sep):
        parts = Path(os.path.relpath(here, recorded)).parts
        return "".join(display_name(p) + "/" for p in parts)
    if recorded != here:
        manifest.set_meta("input_root", here)
    return ""


class _StopSignals:
    """SIGINT and SIGTERM noted while rows are being written, raised as ``Stopped`` while the driver waits for results."""

    def __init__(self):
        self.signum: int | None = None
        self.waiting = False
        self._old: dict[int, object] = {}
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                self._old[s] = signal.signal(s, self._handler)

    def _handler(self, signum, frame) -> None:
        self.signum = signum
        if self.waiting:
            self.waiting = False
            raise Stopped(signum)

    def check(self) -> None:
        if self.signum is not None:
            raise Stopped(self.signum)

    def restore(self) -> None:
        for s, h in self._old.items():
            signal.signal(s, h)


def _results(engine, items: Iterator[WorkItem], stop: _StopSignals) -> Iterator[Result]:
    """The engine's results; a stop signal interrupts the wait for the next one, never the handling of one."""
    it = engine.map(items)
    while True:
        stop.check()
        stop.waiting = True
        try:
            result = next(it)
        except StopIteration:
            return
        finally:
            stop.waiting = False
        yield result


POST_RUN: list[Callable[[str], object]] = []
"""Steps run on OUTPUT once the final tables are in place, in order (each needs every document: citation
links, and whatever joins across documents). Each takes OUTPUT and must be cheap when nothing changed."""


POST_RUN_DONE = "post_run_done"
"""Manifest key: the tables as the post-run steps last left them (``_tables_token``). A run that finds them so
(nothing processed, nothing compacted, nothing touched from outside) does not run the steps: it does not even
load pyarrow to read the footers that would tell each step so."""


def _tables_token(output: str, filled_from: bytes) -> str | None:
    """The final tables' files as they are on disk (each one's path, size and modification time) and what the
    steps fill from (``filled_from``: the successors' rules and library; the steps themselves); None for a
    remote OUTPUT."""
    if "://" in output and not output.startswith("file://"):
        return None
    import hashlib

    from pipeline.output.rows import COLUMNS

    root = output.removeprefix("file://")
    h = hashlib.sha256(filled_from)
    h.update(repr([f"{s.__module__}.{s.__qualname__}" for s in POST_RUN]).encode())  # and the two built-in steps
    for name in COLUMNS:
        single = os.path.join(root, f"{name}.parquet")
        paths = [single] if os.path.exists(single) else sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, name)) for f in fs)
        for path in paths:
            try:
                st = os.stat(path)
            except OSError:
                continue
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _post_run_steps() -> list[Callable[[str], object]]:
    from pipeline.output.citations import link_citations
    from pipeline.output.successors import fill_successors

    # citation links; today's names of merged bodies, once per distinct name (pipeline.output.successors)
    return [link_citations, fill_successors, *POST_RUN]


def run_batch(input_path: str | Path, output: str | Path, options: BatchOptions | None = None) -> RunSummary:
    """Process every new or changed file below ``input_path`` and bring the tables in ``output`` up to date."""
    options = options or BatchOptions()
    root = Path(input_path)
    output = str(output)
    _check_paths(root, output, options)
    from pipeline.output.rows import COLUMNS

    if options.partition_by and options.partition_by not in COLUMNS["documents"]:
        raise RunError(f"--partition-by must be a column of documents ({', '.join(COLUMNS['documents'])}), not {options.partition_by!r}")
    state = state_dir_for(output, options.state_dir)
    try:
        manifest = Manifest(state / "_manifest")
    except PermissionError as exc:
        raise RunError(f"cannot write the manifest in {state}: {exc.strerror}") from None
    stop = _StopSignals()
    try:
        return _run(root, output, state, manifest, options, stop)
    finally:
        stop.restore()
        manifest.close()


def _run(root: Path, output: str, state: Path, manifest: Manifest, options: BatchOptions, stop: _StopSignals) -> RunSummary:
    import time

    from pipeline.batch.parts import PartStore, PartWriter
    from pipeline.output.writer import FinalTables

    t0 = time.monotonic()
    store = PartStore(state)
    _recover(manifest, store)
    prefix = _scope(manifest, root)
    scope = prefix_key(prefix)
    run = manifest.new_run()
    parser_version = pipeline.PARSER_VERSION
    summary = RunSummary()
    skip = [state, output] if "://" not in output or output.startswith("file://") else [state]
    skip = [str(p).removeprefix("file://") for p in skip]
    walk = Walk(root, prefix, tuple(options.exclude), skip)
    bar = Progress(lambda: count_inputs(root, options.exclude, skip)) if options.progress else None
    writer = PartWriter(store, manifest, run, parser_version, options.part_docs)
    waiting: dict[int, InputFile] = {}

    def todo() -> Iterator[WorkItem]:
        seq = 0
        for item in walk:
            summary.files += 1
            if item.error_type == "unlistable":
                manifest.mark_folder_seen(item.key, run)
            elif not options.force and _unchanged(manifest, item, parser_version, run, options.retry_errors, summary):
                manifest.mark_seen(item.key, run)
                summary.skipped += 1
                if bar:
                    bar.update(summary)
                continue
            waiting[seq] = item
            if bar and seq == next_seq:  # nothing else unfinished: this is the file being read
                bar.reading(item.rel)
            yield WorkItem(seq, item.rel, item.path, item.size, options.limits, item.error, item.error_type)
            seq += 1

    ready: dict[int, Result] = {}
    next_seq = 0
    try:
        items = todo()
        ahead = list(itertools.islice(items, 2))  # whether there is anything to do, and whether it is one small text
        engine = make_engine(options, worker_env(state), ahead)
        for result in _results(engine, itertools.chain(ahead, items), stop):
            ready[result.seq] = result
            while next_seq in ready:
                r = ready.pop(next_seq)
                item = waiting.pop(next_seq)
                writer.add(item, r)
                _tally(summary, item, r)
                next_seq += 1
                if bar:
                    bar.update(summary)
            if bar and next_seq in waiting:  # the oldest unfinished file: the one the batch waits for
                bar.reading(waiting[next_seq].rel)
    except Stopped as exc:
        writer.commit()  # what is finished is kept: the next run skips it
        manifest.flush_seen()
        if bar:
            bar.close()
        raise Stopped(exc.signum, summary.documents + summary.failed) from None
    except BaseException:
        if bar:
            bar.close()
        raise
    writer.commit()
    manifest.flush_seen()
    summary.ignored = dict(walk.ignored)
    summary.replaced_workers = engine.replaced
    if bar:
        bar.close()
    if summary.files == 0 and not options.force_prune:
        raise RunError(
            f"no input files under {root} (an empty, wrong or unmounted folder?): "
            f"{output} was left as it was{_ignored_note(summary)}"
        )
    stop.check()
    prune = options.prune or options.force_prune
    refused = None
    if prune and not options.force_prune:
        dropped, held = manifest.count_dropped(run, scope, True), manifest.count(scope)
        if dropped > PRUNE_GUARD and 2 * dropped > held:
            refused = (
                f"--prune would remove the rows of {dropped} of the {held} files in {output} that are no longer under "
                f"{root}; nothing was removed (a wrong or half-mounted INPUT?). Use --force-prune if that is meant"
            )
            prune = False
    stop.waiting = True  # compaction and linking may stop at any moment: a rerun does them again
    try:
        summary.kept_elsewhere = manifest.count_dropped(run, scope, True) if not prune else 0
        tables = FinalTables(output, options.partition_by)
        signature = f"{output}|{options.partition_by or ''}"
        if manifest.needs_compaction(run, signature, scope, prune) or not tables.exist():
            summary.pruned = manifest.count_dropped(run, scope, prune) if prune else 0
            consolidate_to = manifest.new_run() if len(manifest.runs()) > MAX_RUNS else None
            from pipeline.batch.compact import compact

            tables.abort()  # temporary tables a killed run left behind must not be taken for this run's
            compact(manifest, store, run, tables, options.partition_by, consolidate_to, options.part_docs, scope=scope, prune=prune)
            manifest.compacted(run, signature, consolidate_to, scope, prune)
            store.drop_runs(store.runs_on_disk() - manifest.runs())
            summary.compacted = True
        from pipeline.output.successors import fingerprint

        filled_from = fingerprint()
        before = _tables_token(output, filled_from)
        if before is None or before != manifest.get(POST_RUN_DONE):
            for step in _post_run_steps():  # each needs every document: only once the final tables are in place
                step(output)
            manifest.set_meta(POST_RUN_DONE, _tables_token(output, filled_from) or "")
    except Stopped as exc:
        raise Stopped(exc.signum, summary.documents + summary.failed) from None
    finally:
        stop.waiting = False
    summary.seconds = time.monotonic() - t0
    if refused:
        raise RunError(refused)
    return summary


def _ignored_note(summary: RunSummary) -> str:
    if not summary.ignored:
        return ""
    return " (passed over: " + ", ".join(f"{n} {why}" for why, n in sorted(summary.ignored.items())) + ")"


def _unchanged(manifest: Manifest, item: InputFile, parser_version: str, run: int, retry_errors: bool, summary: RunSummary) -> bool:
    """Already in the tables: same parser version and same bytes (same size and mtime, or else the same sha256),
    and not an error that a rerun should try again (``RETRYABLE``, or any error with ``retry_errors``)."""
    e = manifest.lookup(item.key)
    if e is None or e.parser_version != parser_version or item.error:
        return False
    if e.status != "ok" and (retry_errors or e.status in RETRYABLE):
        summary.retried += 1
        return False
    same = e.size == item.size and e.mtime_ns == item.mtime_ns
    if not same and e.doc_id is not None and e.size == item.size and file_sha256(item.path) == e.doc_id:
        manifest.touch(item.key, item.size, item.mtime_ns, run)
        same = True
    if same and e.status != "ok":
        summary.kept_errors[e.status] = summary.kept_errors.get(e.status, 0) + 1
    return same
