"""Text documents through the whole pipeline in one process: documents per second and peak memory.

Generates N distinct documents from the real ones in data/raw/ and tests/fixtures/docs/
(each copy gets its own number and date, so every input has its own bytes and doc_id),
runs ingest + parse + rows on each, and reports throughput and the process's peak RSS.
Run by `make bench`; `BENCH_TEXT_N=5000` changes the size.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.runner import process_bytes  # noqa: E402


def _sources() -> list[bytes]:
    paths = sorted((ROOT / "data" / "raw").glob("*.txt")) + sorted((ROOT / "data" / "raw").glob("*.md"))
    paths += sorted((ROOT / "tests" / "fixtures" / "docs").glob("*"))
    return [p.read_bytes() for p in paths if p.suffix in (".txt", ".md")]


def _variant(data: bytes, i: int) -> bytes:
    text = data.decode("utf-8", errors="replace")
    return (f"Số: {i}/BENCH-{i % 97}\n" + text.replace("năm 2024", f"năm {2000 + i % 26}", 1)).encode("utf-8")


def main() -> None:
    n = int(os.environ.get("BENCH_TEXT_N", "2000"))
    sources = _sources()
    total_bytes = tasks = 0
    t0 = time.perf_counter()
    for i in range(n):
        data = _variant(sources[i % len(sources)], i)
        total_bytes += len(data)
        rows = process_bytes(data, f"bench/{i}.txt")
        tasks += len(rows["tasks"])
    dt = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("bench_text: whole pipeline (ingest + parse + rows), one process")
    print(f"  documents       {n}  ({total_bytes / 1e6:.1f} MB of text, {tasks} tasks)")
    print(f"  time            {dt:.2f} s")
    print(f"  documents/s     {n / dt:.0f}")
    print(f"  MB/s            {total_bytes / 1e6 / dt:.2f}")
    print(f"  peak RSS        {peak_mb:.0f} MB")
    _ocr_lines()


def _ocr_lines() -> None:
    """The OCR diacritic corrector, which runs on every line of a scan: lines per second on the OCR'd fixtures."""
    from pipeline.ingest.ocr_lexicon import correct

    docs = ROOT / "tests" / "fixtures" / "docs"
    lines = [ln for p in sorted(docs.glob("ocr_*.md")) for ln in p.read_text(encoding="utf-8").splitlines()]
    correct(lines[0])  # the lexicon is read once, before timing
    t0 = time.process_time()
    for _ in range(5):
        for line in lines:
            correct(line)
    dt = (time.process_time() - t0) / 5
    print(f"  OCR corrector   {len(lines) / dt:.0f} lines per CPU second ({1e6 * dt / len(lines):.0f} µs a line)")


if __name__ == "__main__":
    main()
