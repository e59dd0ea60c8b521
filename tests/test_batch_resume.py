"""Incremental and resumable runs: a killed run resumes to the clean tables; a rerun does only what changed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from batch_helpers import assert_same_tables, make_corpus, read_tables
from pipeline.runner import run

ROOT = Path(__file__).resolve().parent.parent


def test_killed_run_resumes_to_the_tables_of_a_clean_run(tmp_path):
    src = make_corpus(tmp_path / "in", 200)
    clean, resumed = tmp_path / "clean", tmp_path / "resumed"
    run(src, clean, progress=False, workers=2)

    cmd = [sys.executable, "-m", "pipeline", "run", str(src), str(resumed), "-q", "--workers", "2", "--part-size", "10"]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    deadline = time.monotonic() + 60
    while len(list(resumed.glob("_parts/run-*/documents/part-*.parquet"))) < 3:
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert not (resumed / "documents.parquet").exists()

    summary = run(src, resumed, progress=False, workers=2)
    assert summary.skipped >= 20  # the parts committed with their manifest entries were not done again
    assert summary.skipped + summary.documents + summary.failed == 200
    assert_same_tables(clean, resumed)
    assert not list(resumed.glob("**/*.tmp"))


def test_second_run_processes_nothing(tmp_path):
    src = make_corpus(tmp_path / "in", 30)
    out = tmp_path / "out"
    first = run(src, out, progress=False, workers=2)
    assert (first.documents, first.skipped) == (30, 0)
    before = read_tables(out)
    again = run(src, out, progress=False, workers=2)
    assert (again.documents, again.failed, again.skipped, again.files) == (0, 0, 30, 30)
    assert "0 documents done" in again.line() and "30 skipped" in again.line()
    after = read_tables(out)
    assert all(before[name].equals(after[name]) for name in before)


def test_changed_added_and_removed_files(tmp_path):
    src = make_corpus(tmp_path / "in", 30)
    out = tmp_path / "out"
    run(src, out, progress=False, workers=0)
    changed = sorted(src.glob("d00/*"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nNơi nhận:\n- Sở Tài chính;\n", encoding="utf-8")
    removed = sorted(src.glob("d00/*"))[5]
    removed.unlink()
    (src / "d00" / "zz_new.txt").write_text("Số: 999/NEW\nCÔNG VĂN mới\n", encoding="utf-8")
    os.utime(sorted(src.glob("d00/*"))[7], ns=(1, 1))  # touched: same bytes, new mtime

    summary = run(src, out, progress=False, workers=0)
    assert (summary.documents + summary.failed, summary.skipped, summary.kept_elsewhere) == (2, 28, 1)
    paths = pq.read_table(out / "documents.parquet").column("source_path").to_pylist()
    assert removed.relative_to(src).as_posix() in paths  # without --prune a file gone from INPUT keeps its rows

    pruned = run(src, out, progress=False, workers=0, prune=True)
    assert (pruned.documents, pruned.skipped, pruned.pruned) == (0, 30, 1)
    run(src, tmp_path / "clean", progress=False, workers=0)
    assert_same_tables(tmp_path / "clean", out)
    paths = pq.read_table(out / "documents.parquet").column("source_path").to_pylist()
    assert removed.relative_to(src).as_posix() not in paths


def test_new_parser_version_processes_everything_again(tmp_path, monkeypatch):
    import pipeline
    import pipeline.output.rows as rows

    src = make_corpus(tmp_path / "in", 12)
    out = tmp_path / "out"
    run(src, out, progress=False, workers=0)
    monkeypatch.setattr(pipeline, "PARSER_VERSION", "9.9.9")
    monkeypatch.setattr(rows, "PARSER_VERSION", "9.9.9")
    summary = run(src, out, progress=False, workers=0)
    assert (summary.documents, summary.skipped) == (12, 0)
    assert set(pq.read_table(out / "documents.parquet").column("parser_version").to_pylist()) == {"9.9.9"}
    assert run(src, out, progress=False, workers=0).skipped == 12
