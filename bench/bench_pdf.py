"""Text-layer PDFs: pages per second through the whole pipeline, against pdfplumber's extract_text alone.

Three kinds of real documents, reported apart and together:
- real letters laid out in Word (two-column header and signature tables, ruled data tables) and
  printed by LibreOffice with a font that has every Vietnamese letter, as an office prints them
  (tests/fixtures/formats/full_fonts/);
- the same letters printed with a font that lacks some, drawn from a fallback font
  (tests/fixtures/formats/ and data/raw/): the reader's slowest path, character by character;
- letters generated from the real texts of data/raw/ and tests/fixtures/docs/ (each copy with
  its own number and date) as text-layer PDFs: wrapped lines, page numbers
  (tests/fixtures/pdf/pdfgen.py), until BENCH_PDF_PAGES pages in all (default 1000).

The pipeline is ingest + parse + rows (``process_bytes``) in one process, the unit a worker
runs; pdfplumber is ``page.extract_text()`` on every page of the same files, no parsing.
Run by `make bench`.
"""

from __future__ import annotations

import io
import os
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "fixtures" / "pdf")]

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from pdfgen import document_pages, make_pdf  # noqa: E402

from pipeline.ingest import ingest_path  # noqa: E402
from pipeline.runner import process_bytes  # noqa: E402

_NUMBER = re.compile(r"Số:\s*[^\n]*")
_DATE = re.compile(r"ngày\s+\d{0,2}\s*tháng\s+\d{0,2}\s*năm\s+\d{4}")


def _has_text_layer(data: bytes) -> bool:
    doc = pdfium.PdfDocument(data)
    try:
        return all(doc[i].get_textpage().count_chars() > 0 for i in range(len(doc)))
    finally:
        doc.close()


def real_pdfs(*folders: Path) -> list[tuple[str, bytes]]:
    """The committed PDFs that have a text layer on every page (the scan in data/raw is OCR's, not this bench's)."""
    paths = [p for folder in folders for p in sorted(folder.glob("*.pdf"))]
    return [(p.name, data) for p in paths if _has_text_layer(data := p.read_bytes())]


def generated_pdfs(pages: int) -> list[tuple[str, bytes]]:
    """Letters made from the real texts until ``pages`` pages: each its own number, date and bytes."""
    paths = sorted((ROOT / "data" / "raw").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "docs").glob("*"))
    texts = [ingest_path(p).text for p in paths if p.suffix in (".txt", ".md")]  # TCVN3 files too, as Unicode
    out: list[tuple[str, bytes]] = []
    total = i = 0
    while total < pages:
        text = _NUMBER.sub(f"Số: {i + 1}/BENCH-{i % 97}", texts[i % len(texts)], count=1)
        text = _DATE.sub(f"ngày {1 + i % 28} tháng {1 + i % 12} năm {2015 + i % 11}", text, count=1)
        laid = document_pages(text.replace("|", " "))
        out.append((f"generated_{i:04d}.pdf", make_pdf(laid)))
        total += len(laid)
        i += 1
    return out


def n_pages(data: bytes) -> int:
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def pipeline_seconds(files: list[tuple[str, bytes]]) -> tuple[float, int]:
    """CPU seconds of ingest + parse + rows over the files, and the documents that failed."""
    failed = 0
    t0 = time.process_time()
    for name, data in files:
        rows = process_bytes(data, name)
        failed += bool(rows["errors"])
    return time.process_time() - t0, failed


def pdfplumber_seconds(files: list[tuple[str, bytes]]) -> float:
    t0 = time.process_time()
    for _, data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
    return time.process_time() - t0


def main() -> None:
    want = int(os.environ.get("BENCH_PDF_PAGES", "1000"))
    formats = ROOT / "tests" / "fixtures" / "formats"
    full = real_pdfs(formats / "full_fonts")
    fallback = real_pdfs(ROOT / "data" / "raw", formats)
    real = full + fallback
    made = generated_pdfs(max(0, want - sum(n_pages(d) for _, d in real)))
    process_bytes(real[0][1], real[0][0])  # rules compiled once, as in a worker
    print("bench_pdf: text-layer PDFs, whole pipeline (ingest + parse + rows) vs pdfplumber extract_text alone")
    print("  (CPU seconds of this process: other load on the machine does not change them)")
    print(f"  {'corpus':<34} {'files':>5} {'pages':>6} {'vanban p/s':>11} {'pdfplumber p/s':>15} {'faster':>7}")
    totals = [0, 0, 0.0, 0.0]
    groups = (
        ("real letters, full fonts", full),
        ("real letters, fallback fonts", fallback),
        ("generated from real texts", made),
    )
    for label, files in groups:
        if not files:
            continue
        pages = sum(n_pages(d) for _, d in files)
        ours, failed = pipeline_seconds(files)
        theirs = pdfplumber_seconds(files)
        totals = [totals[0] + len(files), totals[1] + pages, totals[2] + ours, totals[3] + theirs]
        note = f"  ({failed} failed)" if failed else ""
        print(f"  {label:<34} {len(files):>5} {pages:>6} {pages / ours:>11.0f} {pages / theirs:>15.1f} {theirs / ours:>6.1f}×{note}")
    files, pages, ours, theirs = totals
    print(f"  {'all':<34} {files:>5} {pages:>6} {pages / ours:>11.0f} {pages / theirs:>15.1f} {theirs / ours:>6.1f}×")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print("  target: the pipeline at least 10× faster per page than pdfplumber's extract_text alone")


if __name__ == "__main__":
    main()
