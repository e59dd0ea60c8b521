"""The batch at scale: documents per second, scaling over workers, peak memory, identical results.

Generates N distinct text documents from the real ones in data/raw/ and
tests/fixtures/docs/ (each copy gets its own number, date and paragraph order, so its
own bytes and doc_id), runs ``vanban run`` on them as a user would (a subprocess) and
samples the memory of the run's whole process tree. Reports, for the first size: one
worker, every worker and the Dask engine (with a check that all three write identical
tables) and the runner's overhead against the bare pipeline in one process; for the
last size: peak memory against the first (the streaming promise: flat however many
files). Run by `make bench`; `BENCH_SIZES=1000,20000` (the default) changes the sizes.
PDF pages per second are bench_pdf.py's.

The runner's overhead: ``BENCH_OVERHEAD_N`` documents (default 5,000) through ``vanban run`` with
every worker, in CPU seconds of the whole process tree counted exactly (this process is a child
subreaper, ``bench/tree_cpu.py``: the driver, the forkserver, the workers), against the same
documents through ``process_path`` (read, ingest, parse, rows) in this process; the goal is
within 1.1×. Alternated ``BENCH_OVERHEAD_ROUNDS`` times (default 1), the least of each kept.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyarrow.parquet as pq  # noqa: E402

from pipeline.batch.process import process_path  # noqa: E402
from pipeline.output.schema import TABLES  # noqa: E402
from tree_cpu import subreaper, tree_cpu  # noqa: E402

TEXT = (".txt", ".md")


def _sources() -> list[str]:
    paths = sorted((ROOT / "data" / "raw").iterdir()) + sorted((ROOT / "tests" / "fixtures" / "docs").iterdir())
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths if p.suffix in TEXT]


_NUMBER = re.compile(r"Số:\s*[^\n]*")
_DATE = re.compile(r"ngày\s+\d{0,2}\s*tháng\s+\d{0,2}\s*năm\s+\d{4}")


def _variant(text: str, i: int) -> str:
    """A distinct, still realistic document: its own number and date, two body paragraphs swapped."""
    day, month, year = 1 + i % 28, 1 + i // 28 % 12, 2015 + i % 11
    text = _NUMBER.sub(f"Số: {i}/BENCH-{i % 97}", text, count=1)
    text = _DATE.sub(f"ngày {day} tháng {month} năm {year}", text, count=1)
    paras = text.split("\n\n")
    if len(paras) > 6:
        k = len(paras) // 3 + i % max(1, len(paras) // 3)
        if k + 1 < len(paras) - 2:
            paras[k], paras[k + 1] = paras[k + 1], paras[k]
    text = "\n\n".join(paras)
    if _NUMBER.search(text) is None:
        text = f"Số: {i}/BENCH-{i % 97}\n" + text
    return text


def make_corpus(folder: Path, n: int) -> int:
    """``n`` documents in folders of 500; returns the bytes written."""
    sources, total = _sources(), 0
    for i in range(n):
        d = folder / f"{i // 500:03d}"
        if i % 500 == 0:
            d.mkdir(parents=True, exist_ok=True)
        data = _variant(sources[i % len(sources)], i).encode("utf-8")
        (d / f"doc_{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


class TreeMemory:
    """Peak RSS of a process (the driver), of its largest descendant (a worker), and of the whole tree;
    and the CPU seconds of the whole tree (last sample of every process seen).

    Per-process peaks are the kernel's high-water mark (``VmHWM``), exact whatever the sampling; the
    whole tree's is the largest sum of samples. Sampling every ``interval`` s keeps this monitor, which
    shares the machine's cores with the run it measures, under 2% of one core.
    """

    def __init__(self, pid: int, interval: float = 0.25):
        import psutil

        self.proc = psutil.Process(pid)
        self.interval = interval
        self.parent = self.worker = self.total = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self, p) -> tuple[int, int]:
        """(RSS now, peak RSS so far) of one process; CPU seconds recorded on the way."""
        self._cpu[p.pid] = sum(p.cpu_times()[:2])
        rss = p.memory_info().rss
        return rss, max(rss, _high_water(p.pid))

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                parent, parent_peak = self._sample(self.proc)
                kids = []
                for k in self.proc.children(recursive=True):
                    try:
                        kids.append(self._sample(k))
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.parent = max(self.parent, parent_peak)
            self.worker = max([self.worker, *(peak for _, peak in kids)])
            self.total = max(self.total, parent + sum(rss for rss, _ in kids))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu(self) -> float:
        return sum(self._cpu.values())

    @property
    def driver_cpu(self) -> float:
        return self._cpu.get(self.proc.pid, 0.0)


def _high_water(pid: int) -> int:
    """The kernel's peak RSS of a process (Linux ``VmHWM``), 0 where there is none."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def vanban_run(src: Path, out: Path, *flags: str) -> tuple[float, TreeMemory, str, float]:
    """Wall time, memory, summary line and CPU seconds (driver and every worker) of one ``vanban run``."""
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), str(out), "-q", *flags]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    mem = TreeMemory(proc.pid)
    _, err = proc.communicate()
    dt = time.perf_counter() - t0
    mem.stop()
    if proc.returncode:
        raise SystemExit(f"vanban run failed:\n{err}")
    return dt, mem, err.strip().splitlines()[0] if err.strip() else "", max(mem.cpu, 1e-9)


def same_tables(a: Path, b: Path) -> bool:
    return all(pq.read_table(a / f"{t}.parquet").equals(pq.read_table(b / f"{t}.parquet")) for t in TABLES)


def bare_rate(src: Path, n: int = 200) -> float:
    """Documents per CPU second of the pipeline alone (read + ingest + parse + rows) in this process."""
    files = sorted(src.rglob("*.txt"))[:n]
    process_path(str(files[0]), files[0].name)  # rules compiled once, as in a worker
    t0 = time.process_time()
    for p in files:
        process_path(str(p), p.name)
    return len(files) / (time.process_time() - t0)


def in_process_cpu(src: Path) -> float:
    """CPU seconds of every document below ``src`` through ``process_path`` in this process (rules already
    compiled, as in a worker)."""
    files = sorted(src.rglob("*.txt"))
    process_path(str(files[0]), files[0].name)
    t0 = time.process_time()
    for p in files:
        process_path(str(p), str(p.relative_to(src)))
    return time.process_time() - t0


def overhead(tmp: Path, n: int, cores: int, rounds: int) -> None:
    """The whole tree of ``vanban run`` against the same work in one process, on ``n`` documents."""
    reaper = subreaper()
    src = tmp / f"over{n}"
    make_corpus(src, n)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs, alone = [], []
    for i in range(rounds):  # alternated: other load on the machine falls on both alike
        cpu, wall, rc = tree_cpu([sys.executable, "-m", "pipeline", "run", "-q", str(src), str(tmp / f"over-out{i}")], ROOT, env)
        if rc:
            raise SystemExit(f"vanban run failed (exit status {rc})")
        runs.append(cpu)
        alone.append(in_process_cpu(src))
    run, one = min(runs), min(alone)
    print(f"\n  runner overhead, {n} documents: whole tree of vanban run ({cores} workers) {run:.1f} CPU s, "
          f"{n / run:.0f} per CPU second{'' if reaper else ' (direct children only: no subreaper here)'}; "
          f"the same documents through process_path in one process {one:.1f} CPU s ({n / one:.0f} per CPU second); "
          f"ratio {run / one:.2f} (goal: at most 1.1)")


def mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,20000").split(",") if s.strip()]
    cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    print(f"bench_batch: vanban run as a subprocess, {cores} cores, sizes {sizes}")
    try:
        corpora = {}
        for n in sizes:
            t0 = time.perf_counter()
            size = make_corpus(tmp / f"in{n}", n)
            corpora[n] = tmp / f"in{n}"
            print(f"  corpus {n:>6} documents: {size / 1e6:.0f} MB of text, made in {time.perf_counter() - t0:.1f} s")

        n0 = sizes[0]
        src = corpora[n0]
        bare = bare_rate(src)
        print(f"\n  bare pipeline in one process, no runner: {bare:.0f} documents per CPU second")
        results = {}
        runs = [("1 worker", ["--workers", "1"]), (f"{cores} workers", ["--workers", str(cores)])]
        if _has_dask():
            runs.append((f"dask, {cores} workers", ["--engine", "dask", "--workers", str(cores)]))
        print(f"\n  {n0} documents (CPU s: the whole process tree, of which driver: the main process; "
              "docs/CPU-s: documents per CPU second, the rate other load on the machine does not change)")
        head = f"  {'engine':<18} {'time':>7} {'docs/s':>7} {'/worker':>8} {'CPU s':>7} {'driver':>7} {'docs/CPU-s':>10}"
        print(head + f" {'driver peak':>12} {'worker peak':>12} {'all peak':>9}")
        for name, flags in runs:
            out = tmp / f"out{n0}-{len(results)}"
            dt, mem, line, cpu = vanban_run(src, out, *flags)
            workers = 1 if name == "1 worker" else cores
            results[name] = (out, dt, mem)
            print(
                f"  {name:<18} {dt:>6.1f}s {n0 / dt:>7.0f} {n0 / dt / workers:>8.0f} {cpu:>7.1f} {mem.driver_cpu:>7.1f} {n0 / cpu:>10.0f}"
                f" {mb(mem.parent):>12} {mb(mem.worker):>12} {mb(mem.total):>9}"
            )
        (one_out, one_dt, _), *others = results.values()
        print(f"  scaling 1 → {cores} workers: {one_dt / results[f'{cores} workers'][1]:.2f}× (wall time; other load on the machine shows here)")
        same = all(same_tables(one_out, out) for out, _, _ in others)
        print(f"  identical tables across {', '.join(results)}: {'yes' if same else 'NO'}")

        if len(sizes) > 1:
            n1 = sizes[-1]
            dt, mem, line, cpu = vanban_run(corpora[n1], tmp / f"out{n1}", "--workers", str(cores))
            base = results[f"{cores} workers"][2]
            print(f"\n  {n1} documents, {cores} workers: {dt:.1f} s, {n1 / dt:.0f} documents/s, "
                  f"{n1 / dt / cores:.0f} per worker, {n1 / cpu:.0f} per CPU second")
            print(f"  peak memory {n1} vs {n0}: driver {mb(mem.parent)} vs {mb(base.parent)} ({mem.parent / base.parent:.2f}×), "
                  f"largest worker {mb(mem.worker)} vs {mb(base.worker)}, "
                  f"whole tree {mb(mem.total)} vs {mb(base.total)} ({mem.total / base.total:.2f}×; target ≤ 1.2×)")
            dt2, _, line2, _ = vanban_run(corpora[n1], tmp / f"out{n1}", "--workers", str(cores))
            print(f"  rerun over the same {n1} files: {dt2:.1f} s ({line2.removeprefix('vanban: ')})")
        over = int(os.environ.get("BENCH_OVERHEAD_N", "5000"))
        if over:
            overhead(tmp, over, cores, int(os.environ.get("BENCH_OVERHEAD_ROUNDS", "1")))
        print("\n  target: at least 200 text documents per second per worker through the whole pipeline")
        if not same:
            raise SystemExit("results differ between engines")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _has_dask() -> bool:
    try:
        import distributed  # noqa: F401

        return True
    except ImportError:
        return False


if __name__ == "__main__":
    main()
