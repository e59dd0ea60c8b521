"""Run the pipeline over a folder: every input ends up as a document row or an error row.

``process_bytes`` / ``process_file`` are the unit of work (bytes → rows); they never
raise, so one bad file cannot stop a batch. ``run`` is the batch: parallel, resumable
and fault-isolated, built in ``pipeline.batch`` (see its ``__init__`` for the map).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.batch.process import process_bytes, process_path
from pipeline.batch.progress import RunSummary
from pipeline.output.rows import Rows

__all__ = ["RunSummary", "process_bytes", "process_file", "run"]


def process_file(path: Path, root: Path) -> Rows:
    """Read one file and process it; unreadable files and links become error rows."""
    rel = path.name if root.is_file() else path.relative_to(root).as_posix()
    return process_path(str(path), rel)


def run(input_path: str | Path, output_dir: str | Path, progress: bool = True, **options) -> RunSummary:
    """Process every new or changed file below ``input_path`` into the tables in ``output_dir``.

    ``options`` are those of ``pipeline.batch.driver.BatchOptions`` (``workers``,
    ``timeout``, ``max_memory``, ``engine``, ``scheduler``, ``partition_by``, ``force``, …).
    """
    from pipeline.batch.driver import BatchOptions, run_batch

    return run_batch(input_path, output_dir, BatchOptions(progress=progress, **options))
