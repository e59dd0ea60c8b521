"""Chaos: the driver and its workers killed at random moments (kill -9), with and without --partition-by; a run to
the end afterwards gives exactly the tables of a clean run. Bounded: a few kills per layout, under a minute."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from batch_helpers import make_corpus
from pipeline.output.schema import TABLES
from pipeline.runner import run

ROOT = Path(__file__).resolve().parent.parent
KILLS = 4


def _tables(out: Path) -> dict[str, object]:
    """Every Parquet file of every table by its path below OUTPUT (one per table, or the partitions)."""
    found = {}
    for name in TABLES:
        files = [out / f"{name}.parquet"] if (out / f"{name}.parquet").exists() else sorted((out / name).rglob("*.parquet"))
        for f in files:
            found[f.relative_to(out).as_posix()] = pq.read_table(f)
    return found


def _workers(driver: psutil.Process) -> list[psutil.Process]:
    """The driver's worker processes (children of its forkserver), not the forkserver itself."""
    try:
        return [p for c in driver.children() for p in c.children()]
    except psutil.Error:
        return []


def _walked(look, nothing):
    """``look()`` over OUTPUT while the run writes it; a folder the run removes during the walk (a worker's
    temporary folder, a finished run's parts) is no sign either way: ``nothing``, and the caller asks again."""
    try:
        return look()
    except FileNotFoundError:
        return nothing


def _parts(out: Path) -> int:
    return _walked(lambda: len(list(out.glob("_parts/run-*/documents/part-*.parquet"))), 0)


def _compacting(out: Path) -> bool:
    """Final tables being written (their temporary names) or references being linked."""
    return _walked(lambda: any(out.glob("*.tmp")) or any(out.glob(".*.tmp")) or any(out.rglob(".*.linking.tmp")), False)


def _wait(proc, until, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while proc.poll() is None and not until() and time.monotonic() < deadline:
        time.sleep(0.005)


def _chaos(src: Path, out: Path, extra: list[str], rnd: random.Random) -> list[str]:
    """KILLS runs, each killed: after a random number of parts, during compaction, or at a random time; half of
    the time a worker first (as the OOM killer would), then the driver."""
    argv = [sys.executable, "-m", "pipeline", "run", str(src), str(out), "-q", "--workers", "2", "--part-size", "5", *extra]
    what = []
    for i in range(KILLS):
        # after the first, --force: every run has all the work to do again, so a kill lands in the middle of it
        proc = subprocess.Popen(argv + (["--force"] if i else []), cwd=ROOT, stderr=subprocess.DEVNULL)
        driver = psutil.Process(proc.pid)
        moment = rnd.choice(["parts", "compaction", "time"])
        if rnd.random() < 0.5:
            _wait(proc, lambda: _workers(driver))
            time.sleep(rnd.uniform(0.0, 0.5))
            workers = _workers(driver)
            if workers:
                try:
                    rnd.choice(workers).kill()
                    what.append("worker")
                except psutil.Error:
                    pass
        if moment == "parts":
            target = _parts(out) + rnd.randint(1, 8)
            _wait(proc, lambda: _parts(out) >= target)
        elif moment == "compaction":
            _wait(proc, lambda: _compacting(out))
        else:
            time.sleep(rnd.uniform(0.5, 5.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            what.append(f"driver at {moment}")
        else:
            what.append(f"finished before {moment}")
        proc.wait()
    return what


@pytest.mark.slow
@pytest.mark.parametrize("partition", [None, "issue_year"])
def test_killed_at_random_moments_then_run_to_the_end_equals_a_clean_run(tmp_path, partition):
    seed = int(os.environ.get("VANBAN_CHAOS_SEED", "0")) or random.randrange(1 << 30)
    rnd = random.Random(seed)
    src = make_corpus(tmp_path / "in", 90)
    (src / "empty.txt").write_bytes(b"")
    extra = ["--partition-by", partition] if partition else []
    options = {"partition_by": partition} if partition else {}
    run(src, tmp_path / "clean", progress=False, workers=2, **options)

    out = tmp_path / "out"
    kills = _chaos(src, out, extra, rnd)
    summary = run(src, out, progress=False, workers=2, **options)
    assert summary.files == 91
    clean, resumed = _tables(tmp_path / "clean"), _tables(out)
    assert sorted(clean) == sorted(resumed), (seed, kills)
    for path, table in clean.items():
        assert table.equals(resumed[path]), (seed, kills, path)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") and p.name != "_tmp"], (seed, kills)


@pytest.mark.slow
def test_ctrl_c_during_compaction_stops_at_once_and_the_rerun_finishes_it(tmp_path):
    src = make_corpus(tmp_path / "in", 120)
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "pipeline", "run", str(src), str(out), "-q", "--workers", "2", "--part-size", "3"]
    proc = subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    _wait(proc, lambda: _compacting(out), limit=120)
    if proc.poll() is not None:
        pytest.skip("the run ended before its compaction could be caught")
    proc.send_signal(signal.SIGINT)
    err = proc.stderr.read()
    assert proc.wait() == 130, err
    assert err.count("\n") == 1 and "stopped by SIGINT: the 120 files finished by this run are kept" in err, err
    summary = run(src, out, progress=False, workers=2)
    assert (summary.skipped, summary.documents) == (120, 0)
    run(src, tmp_path / "clean", progress=False, workers=2)
    clean, resumed = _tables(tmp_path / "clean"), _tables(out)
    assert sorted(clean) == sorted(resumed) and all(t.equals(resumed[p]) for p, t in clean.items())
