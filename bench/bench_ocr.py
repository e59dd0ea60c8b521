"""Scans: pages per CPU second through a whole ``vanban run`` against Tesseract alone on the same page images.

The scans are the dev corpus's (``../shared/corpus/dev/real/sc_*`` and ``scans/``) when it is
there, else those of ``data/raw`` (a PDF, a TIFF, a JPEG and a PNG), taken until ``BENCH_OCR_PAGES``
pages (default 16). Both sides are counted in CPU seconds of the whole process tree (the run's
driver, forkserver, workers and every Tesseract they start, the digits-only second pass of
``handwriting`` included), exactly: this process is a child subreaper (``bench/tree_cpu.py``), so
``RUSAGE_CHILDREN`` holds every descendant once reaped, OCR cache off:

- the run: ``vanban run`` on a folder of those files, as a user runs it;
- Tesseract alone: ``tesseract stdin stdout -l vie --psm 3 tsv`` (the command ingest runs, one
  thread) on each page image ingest hands it, captured beforehand, so both read the same pixels,
  as many at a time as the run has workers (one per core).

The ratio is the run's CPU over Tesseract's (the goal: within 1.15). ``BENCH_OCR_ROUNDS`` pairs
(default 1) are run alternated. Where the rest goes is shown from the capture pass, which reads
the files in this process with each step timed (rendering and ink separation, the stamp search,
the main Tesseract, the digits-only pass, everything else). Run by `make bench`.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tree_cpu import subreaper, tree_cpu  # noqa: E402

from pipeline.ingest import handwriting, ingest_bytes, ocr  # noqa: E402
from pipeline.ingest.errors import IngestError  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus" / "dev"
SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png"}
# (name shown, module, function): the steps of reading a scan, timed in the capture pass
STEPS = [
    ("render, ink separation", ocr, "_render"),
    ("stamp search", ocr, "page_boxes"),
    ("Tesseract, the page", ocr, "_run_tesseract"),
    ("Tesseract, digits-only pass", handwriting, "read_digits"),
]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def scans() -> list[Path]:
    """The scan files to read: the dev corpus's when present, else data/raw's."""
    if SHARED.is_dir():
        found = sorted((SHARED / "real").glob("sc_*.pdf")) + sorted(p for p in (SHARED / "scans").glob("*") if p.suffix.lower() in SCAN_SUFFIXES)
        if found:
            return found
    return sorted(p for p in (ROOT / "data" / "raw").glob("*scan*") if p.suffix.lower() in SCAN_SUFFIXES)


class Steps:
    """CPU seconds (this process's and its children's) of each step of ``STEPS`` while installed, and
    the page images handed to the main Tesseract."""

    def __init__(self):
        self.seconds = {name: 0.0 for name, _, _ in STEPS}
        self.images: list[bytes] = []
        self._saved = [(mod, attr, getattr(mod, attr)) for _, mod, attr in STEPS]
        for (name, mod, attr), (_, _, fn) in zip(STEPS, self._saved):
            setattr(mod, attr, self._wrap(name, fn, capture=attr == "_run_tesseract"))

    def _wrap(self, name, fn, capture=False):
        def timed(*args, **kwargs):
            if capture:
                self.images.append(args[0])
            t0, c0 = time.process_time(), _children_cpu()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.process_time() - t0 + _children_cpu() - c0

        return timed

    def close(self):
        for mod, attr, fn in self._saved:
            setattr(mod, attr, fn)


def read_in_process(path: Path, steps: Steps) -> tuple[list[bytes], float]:
    """The page images ingest hands Tesseract for one file, in order, and the CPU seconds (this process
    and its Tesseracts) of reading it."""
    first = len(steps.images)
    t0, c0 = time.process_time(), _children_cpu()
    try:
        ingest_bytes(path.read_bytes(), path.name)
    except IngestError:
        pass  # no text came back: what matters here is what was sent
    return steps.images[first:], time.process_time() - t0 + _children_cpu() - c0


def tesseract_alone(images: list[bytes], workers: int) -> float:
    """CPU seconds of Tesseract reading each image as ingest runs it, ``workers`` at a time as the run's
    workers do (two Tesseracts side by side each take more CPU than one alone: shared caches)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = ["tesseract", "stdin", "stdout", "-l", ocr.LANG, "--psm", ocr.PSM, "tsv"]

    def one(image: bytes) -> None:
        subprocess.run(cmd, input=image, capture_output=True, check=True, env=env)

    before = _children_cpu()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, images))
    return _children_cpu() - before


def whole_run(folder: Path, env: dict) -> float:
    """CPU seconds of ``vanban run`` on ``folder``: driver, forkserver, workers and their Tesseracts."""
    out = folder.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "pipeline", "run", "-q", "--timeout", "0", str(folder), str(out)]
    cpu, _, rc = tree_cpu(cmd, ROOT, env)
    if rc:
        raise SystemExit(f"bench_ocr: vanban run failed (exit status {rc})")
    return cpu


def main() -> None:
    reaper = subreaper()
    if not ocr.tesseract_ready():
        print("bench_ocr: tesseract with the vie model is not installed: skipped")
        return
    want = int(os.environ.get("BENCH_OCR_PAGES", "16"))
    rounds = int(os.environ.get("BENCH_OCR_ROUNDS", "1"))
    workers = os.cpu_count() or 1  # the run's default: a worker per core
    env = {k: v for k, v in os.environ.items() if k != ocr.ocr_cache.ENV}
    cache = os.environ.pop(ocr.ocr_cache.ENV, None)
    chosen: list[tuple[Path, list[bytes]]] = []
    steps, in_process = Steps(), 0.0
    try:
        for path in scans():
            if sum(len(images) for _, images in chosen) >= want:
                break
            images, cpu = read_in_process(path, steps)
            if images:
                chosen.append((path, images))
                in_process += cpu
    finally:
        steps.close()
        if cache is not None:
            os.environ[ocr.ocr_cache.ENV] = cache
    pages = sum(len(images) for _, images in chosen)
    if not pages:
        print("bench_ocr: no scan to read")
        return
    with tempfile.TemporaryDirectory(prefix="bench_ocr_") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for path, _ in chosen:
            shutil.copy(path, folder / path.name)
        images = [image for _, page in chosen for image in page]
        runs, alone = [], []
        for _ in range(rounds):  # alternated: other load on the machine falls on both alike
            runs.append(whole_run(folder, env))
            alone.append(tesseract_alone(images, workers))
    run_cpu, tess_cpu = min(runs), min(alone)
    print(f"bench_ocr: scans, CPU seconds of the whole process tree{'' if reaper else ' (direct children only: no subreaper here)'}")
    print(f"  {len(chosen)} files, {pages} pages OCR'd ({', '.join(p.name for p, _ in chosen)})")
    print(f"  vanban run         {run_cpu:7.1f} CPU s   {pages / run_cpu:5.3f} pages per CPU s")
    print(f"  tesseract alone    {tess_cpu:7.1f} CPU s   {pages / tess_cpu:5.3f} pages per CPU s  ({workers} at a time)")
    print(f"  ratio (run / tesseract alone): {run_cpu / tess_cpu:.3f}  (goal: at most 1.15)")
    print(f"  read in this process, one file at a time: {in_process:.1f} CPU s, of which")
    for name, seconds in steps.seconds.items():
        print(f"    {name:<30} {seconds:6.2f} s  {100 * seconds / in_process:5.1f}%")
    rest = in_process - sum(steps.seconds.values())
    print(f"    {'everything else of ingest':<30} {rest:6.2f} s  {100 * rest / in_process:5.1f}%")


if __name__ == "__main__":
    main()
