"""Scans: pages per CPU second through a whole ``vanban run`` against Tesseract alone on the same page images.

The scans are the dev corpus's (``../shared/corpus/dev/real/sc_*`` and ``scans/``) when it is
there, else those of ``data/raw`` (a PDF, a TIFF, a JPEG and a PNG), taken until ``BENCH_OCR_PAGES``
pages (default 16). Both sides are counted in CPU seconds of the whole process tree (the run's
driver, its workers and their Tesseracts; ``RUSAGE_CHILDREN``), so the machine's other load does
not count:

- the run: ``vanban run`` on a folder of those files, as a user runs it, OCR cache off;
- Tesseract alone: ``tesseract stdin stdout -l vie --psm 3 tsv`` (the command ingest runs, one
  thread) on each page image ingest hands it, captured beforehand, so both read the same pixels,
  as many at a time as the run has workers (one per core).

The ratio is the run's CPU over Tesseract's (the goal: within 1.15). ``BENCH_OCR_ROUNDS`` pairs
(default 1) are run alternated. Run by `make bench`.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ingest import ingest_bytes, ocr  # noqa: E402
from pipeline.ingest.errors import IngestError  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus" / "dev"
SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png"}


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


def page_images(path: Path) -> list[bytes]:
    """The page images ingest hands Tesseract for one file, in order (Tesseract itself not run)."""
    images: list[bytes] = []
    real = ocr._run_tesseract

    def capture(image: bytes) -> str:
        images.append(image)
        return ""

    ocr._run_tesseract = capture
    cache = os.environ.pop(ocr.ocr_cache.ENV, None)
    try:
        ingest_bytes(path.read_bytes(), path.name)
    except IngestError:
        pass  # no text came back: what matters here is what was sent
    finally:
        ocr._run_tesseract = real
        if cache is not None:
            os.environ[ocr.ocr_cache.ENV] = cache
    return images


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


class TreeCpu:
    """CPU seconds of a run's descendants the run itself does not wait for (the forkserver and the workers
    it starts) and of what they wait for (the workers' Tesseracts), from samples every ``interval`` s
    while the run lives. The run's own CPU and what it waited for come from ``RUSAGE_CHILDREN``.

    Each Python process counts its own CPU and, of the children it waited for, the larger of what the
    kernel says they took (``children_*``) and what their own samples add up to: a forkserver that
    reaped its workers has them in its ``children_*``, and they are not counted again."""

    def __init__(self, pid: int, interval: float = 0.1):
        import psutil

        self.proc = psutil.Process(pid)
        self.interval = interval
        self.seen: dict[int, tuple[int, float, float]] = {}  # pid: (parent, own, children waited for)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                kids = self.proc.children(recursive=True)
            except psutil.Error:
                break
            for k in kids:
                try:
                    if "python" not in k.name():  # a Tesseract: counted in its worker's children
                        continue
                    t = k.cpu_times()
                    self.seen[k.pid] = (k.ppid(), t.user + t.system, t.children_user + t.children_system)
                except psutil.Error:
                    pass
            self._stop.wait(self.interval)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()

        def value(pid: int) -> float:
            _, own, waited = self.seen[pid]
            kids = sum(value(k) for k, (parent, _, _) in self.seen.items() if parent == pid)
            return own + max(waited, kids)

        return sum(value(pid) for pid, (parent, _, _) in self.seen.items() if parent not in self.seen)


def whole_run(folder: Path) -> float:
    """CPU seconds of ``vanban run`` on ``folder``: driver, forkserver, workers and their Tesseracts."""
    env = {k: v for k, v in os.environ.items() if k != ocr.ocr_cache.ENV}
    out = folder.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    before = _children_cpu()
    cmd = [sys.executable, "-m", "pipeline", "run", "-q", "--timeout", "0", str(folder), str(out)]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree = TreeCpu(proc.pid)
    if proc.wait():
        raise SystemExit("bench_ocr: vanban run failed")
    return _children_cpu() - before + tree.stop()


def main() -> None:
    if not ocr.tesseract_ready():
        print("bench_ocr: tesseract with the vie model is not installed: skipped")
        return
    want = int(os.environ.get("BENCH_OCR_PAGES", "16"))
    rounds = int(os.environ.get("BENCH_OCR_ROUNDS", "1"))
    workers = os.cpu_count() or 1  # the run's default: a worker per core
    chosen: list[tuple[Path, list[bytes]]] = []
    for path in scans():
        if sum(len(images) for _, images in chosen) >= want:
            break
        images = page_images(path)
        if images:
            chosen.append((path, images))
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
        for _ in range(rounds):
            runs.append(whole_run(folder))
            alone.append(tesseract_alone(images, workers))
    run_cpu, tess_cpu = min(runs), min(alone)
    print(f"scans: {len(chosen)} files, {pages} pages OCR'd ({', '.join(p.name for p, _ in chosen)})")
    print(f"  vanban run         {run_cpu:7.1f} CPU s   {pages / run_cpu:5.3f} pages per CPU s")
    print(f"  tesseract alone    {tess_cpu:7.1f} CPU s   {pages / tess_cpu:5.3f} pages per CPU s  ({workers} at a time)")
    print(f"  ratio (run / tesseract alone): {run_cpu / tess_cpu:.3f}  (goal: at most 1.15)")


if __name__ == "__main__":
    main()
