"""Text-layer PDFs through a whole ``vanban run``, in CPU seconds of the whole process tree.

Two measures, alternated pairs in one run (``BENCH_PDF_RUN_ROUNDS``, default 3; the smallest of each
reported, the steady figure on a shared machine):

- **a long document**: one ~300-page PDF (``BENCH_PDF_RUN_PAGES``, default 300) made of the real
  born-digital pages of ``../shared/corpus/dev/real/`` (``tests/fixtures/formats/`` without it),
  imported one document after the other with PDFium until the count is reached, run alone:
  pages per CPU second of the whole run (target: at least 300);
- **the real born-digital files** of ``../shared/corpus/dev/real/`` whose text layer is read
  (small files: start-up counts) through one ``vanban run``, against ``pdftotext -layout`` run file
  by file on the same files: the ratio of CPU seconds (target: within 2×). Skipped when
  ``../shared`` or ``pdftotext`` is absent.

CPU is counted for every process of the tree (driver, forkserver, workers, what they start) with
``tree_cpu`` (a child subreaper). OCR cache off (a fresh OUTPUT each time). Run by `make bench`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import pypdfium2 as pdfium  # noqa: E402

from tree_cpu import subreaper, tree_cpu  # noqa: E402

from pipeline.ingest import ingest_path  # noqa: E402
from pipeline.ingest.errors import IngestError  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "dev" / "real"
PDFTOTEXT = shutil.which("pdftotext")


def text_layer_files(folder: Path) -> list[Path]:
    """The PDFs of ``folder`` whose text is read from their text layer on every page: read once with OCR
    replaced by a probe that refuses (a scan costs nothing here), kept when no page asked for it."""
    from pipeline.ingest import pdf as pdf_reader

    asked: list[int] = []

    def refuse(page, **kwargs):
        asked.append(1)
        raise IngestError("ocr_unavailable", "bench probe: no OCR while choosing text-layer files")

    found = []
    real_ocr, pdf_reader.ocr_page = pdf_reader.ocr_page, refuse
    try:
        for path in sorted(folder.glob("*.pdf")):
            asked.clear()
            try:
                source = ingest_path(path)
            except IngestError:
                continue
            if source.text_source == "text" and not asked:
                found.append(path)
    finally:
        pdf_reader.ocr_page = real_ocr
    return found


def long_document(sources: list[Path], pages: int, out: Path) -> int:
    """One PDF of ``pages`` pages or a little more: the sources' pages one document after another, repeated."""
    doc = pdfium.PdfDocument.new()
    try:
        while len(doc) < pages:
            for path in sources:
                src = pdfium.PdfDocument(path)
                try:
                    doc.import_pages(src)
                finally:
                    src.close()
                if len(doc) >= pages:
                    break
        doc.save(out)
        return len(doc)
    finally:
        doc.close()


def n_pages(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        doc = pdfium.PdfDocument(p)
        total += len(doc)
        doc.close()
    return total


def run_cpu(folder: Path, out: Path, env: dict) -> float:
    """CPU seconds of the whole tree of ``vanban run`` on ``folder`` into a new ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    cpu, _, rc = tree_cpu([sys.executable, "-m", "pipeline", "run", "-q", str(folder), str(out)], ROOT, env)
    if rc != 0:
        raise SystemExit(f"bench_pdf_run: vanban run on {folder} exited with {rc}")
    return cpu


def pdftotext_cpu(paths: list[Path]) -> float:
    """CPU seconds of ``pdftotext -layout`` run once per file, as a shell loop would."""
    total = 0.0
    for p in paths:
        cpu, _, rc = tree_cpu([PDFTOTEXT, "-layout", str(p), "-"], ROOT)
        if rc != 0:
            raise SystemExit(f"bench_pdf_run: pdftotext failed on {p.name}")
        total += cpu
    return total


def pdfium_floor(path: Path) -> float:
    """CPU seconds PDFium itself takes to load every page and its text page and hand the text over:
    what any reader built on it pays before its own work."""
    t0 = time.process_time()
    doc = pdfium.PdfDocument(path)
    for i in range(len(doc)):
        page = doc[i]
        textpage = page.get_textpage()
        textpage.get_text_range(0, textpage.count_chars())
        textpage.close()
        page.close()
    doc.close()
    return time.process_time() - t0


def main() -> None:
    reaper = subreaper()
    rounds = int(os.environ.get("BENCH_PDF_RUN_ROUNDS", "3"))
    want = int(os.environ.get("BENCH_PDF_RUN_PAGES", "300"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "VANBAN_OCR_CACHE")}
    real = text_layer_files(REAL) if REAL.is_dir() else []
    sources = real or text_layer_files(ROOT / "tests" / "fixtures" / "formats")
    tmp = Path(tempfile.mkdtemp(prefix="bench_pdf_run_"))
    try:
        long_in = tmp / "long"
        long_in.mkdir()
        pages = long_document(sources, want, long_in / "long.pdf")
        small_in = tmp / "small"
        small_in.mkdir()
        for p in real:
            shutil.copy(p, small_in / p.name)
        small_pages = n_pages(real)
        compare = bool(real) and PDFTOTEXT is not None
        long_runs, long_poppler, floor, small_runs, poppler = [], [], [], [], []
        run_cpu(long_in, tmp / "warm", env)  # bytecode and the pattern cache written once, as installed
        for _ in range(rounds):
            long_runs.append(run_cpu(long_in, tmp / "out_long", env))
            floor.append(pdfium_floor(long_in / "long.pdf"))
            if PDFTOTEXT:
                long_poppler.append(pdftotext_cpu([long_in / "long.pdf"]))
            if compare:
                small_runs.append(run_cpu(small_in, tmp / "out_small", env))
                poppler.append(pdftotext_cpu(real))
        origin = "../shared/corpus/dev/real" if real else "tests/fixtures/formats"
        print(f"bench_pdf_run: whole `vanban run`, CPU seconds of the process tree{'' if reaper else ' (no subreaper: direct children only)'}, "
              f"best of {rounds} alternated")
        best = min(long_runs)
        print(f"  one {pages}-page document ({len(sources)} born-digital PDFs of {origin} one after another): "
              f"{best:.2f} s, {pages / best:.0f} pages per CPU s  (runs {', '.join(f'{c:.2f}' for c in long_runs)}; target ≥ 300)")
        print(f"    for reference on the same document: PDFium loading every page and its text alone {pages / min(floor):.0f} pages per CPU s"
              + (f", pdftotext -layout {pages / min(long_poppler):.0f}" if long_poppler else ""))
        if not compare:
            why = "no ../shared/corpus/dev/real" if not real else "no pdftotext"
            print(f"  real born-digital files against pdftotext -layout: skipped ({why})")
            return
        ours, theirs = min(small_runs), min(poppler)
        print(f"  {len(real)} real born-digital files, {small_pages} pages: vanban run {ours:.2f} s ({small_pages / ours:.0f} pages per CPU s), "
              f"pdftotext -layout file by file {theirs:.2f} s ({small_pages / theirs:.0f} pages per CPU s): {ours / theirs:.2f}× (target ≤ 2×)")
        print(f"    runs {', '.join(f'{c:.2f}' for c in small_runs)}; pdftotext {', '.join(f'{c:.2f}' for c in poppler)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
