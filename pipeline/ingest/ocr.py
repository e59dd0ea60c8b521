"""OCR of one PDF page with the Tesseract command line and its Vietnamese model.

The page is rendered with PDFium and handed to ``tesseract`` on stdin as a PGM image
(no Pillow, no temporary file); words come back as TSV with their boxes and become the
same positioned lines as a text layer, so the column layout is decided in one place
(``layout``), not by Tesseract's page segmentation, which puts the header's two columns
on one line. Coloured ink (the red seal, a blue signature) is washed out before OCR by
taking the lightest channel of each pixel: black print stays black, the seal no longer
hides the signer's title and name. One thread per page (``OMP_THREAD_LIMIT=1``): the
batch runner parallelizes over files, and Tesseract's own threads made it 9× slower here.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

import pypdfium2 as pdfium

from pipeline.ingest import ocr_cache
from pipeline.ingest.errors import IngestError
from pipeline.ingest.geometry import Line, Segment, merge_rows, segment_gap
from pipeline.ingest.ocr_fixes import fix_word
from pipeline.ingest.quality import vietnamese_letter

DPI = 300
PSM = "3"  # fully automatic page segmentation; lines are regrouped by position afterwards
TIMEOUT_S = 120.0  # per page
LANG = "vie"
MIN_CONF = 10.0  # words Tesseract is less sure of are seal and signature strokes
JUNK_CONF = 45.0  # a run of words with a lower mean confidence and no digit is dropped
_MISSING = "tesseract with the Vietnamese model is not installed: run scripts/install-system-deps.sh"


PREPROCESS = "1"  # the version of the image preparation below: part of the OCR cache key


@functools.lru_cache(maxsize=1)
def engine() -> str | None:
    """What decides Tesseract's output besides the image (version, model file, language, segmentation,
    preparation), as one string for the OCR cache key; None when ``tesseract`` with ``vie`` is missing."""
    exe = shutil.which("tesseract")
    if not exe:
        return None
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if LANG not in langs.stdout.split():
        return None
    model = ""
    head = langs.stdout.split("\n", 1)[0]
    if '"' in head:  # List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):
        try:
            st = os.stat(os.path.join(head.split('"')[1], f"{LANG}.traineddata"))
            model = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            pass
    first = (version.stdout or version.stderr).strip().split("\n", 1)[0]
    return f"{first}|{LANG}:{model}|psm{PSM}|prep{PREPROCESS}"


def tesseract_ready() -> bool:
    """True when ``tesseract`` runs and lists the ``vie`` model."""
    return engine() is not None


def _pgm(page: pdfium.PdfPage, dpi: int) -> tuple[bytes, float]:
    """The page as an 8-bit grey PGM, coloured ink washed out; and the pixels per point."""
    scale = dpi / 72
    bitmap = page.render(scale=scale, rev_byteorder=False)
    arr = bitmap.to_numpy()
    grey = arr[:, :, :3].max(axis=2) if arr.ndim == 3 else arr
    h, w = grey.shape[:2]
    return b"P5\n%d %d\n255\n" % (w, h) + grey.tobytes(), scale


def read_tsv(image: bytes) -> str:
    """Tesseract's TSV for a PGM image, from the OCR cache when this image was read before."""
    name = ocr_cache.key(image, engine() or "") if ocr_cache.cache_dir() else None
    if name is not None and (cached := ocr_cache.get(name)) is not None:
        return cached
    tsv = _run_tesseract(image)
    if name is not None:
        ocr_cache.put(name, tsv)
    return tsv


def _run_tesseract(image: bytes) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = ["tesseract", "stdin", "stdout", "-l", LANG, "--psm", PSM, "tsv"]
    try:
        out = subprocess.run(cmd, input=image, capture_output=True, env=env, timeout=TIMEOUT_S)
    except FileNotFoundError as exc:
        raise IngestError("missing_tool", _MISSING) from exc
    except subprocess.TimeoutExpired as exc:
        raise IngestError("ocr_timeout", f"Tesseract took more than {TIMEOUT_S:.0f} s on one page") from exc
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError("ocr_failed", f"tesseract exited {out.returncode}: {msg[-1] if msg else ''}")
    return out.stdout.decode("utf-8", "replace")


def _letter_or_digit(ch: str) -> bool:
    return ch.isdigit() or (ch.isalpha() and vietnamese_letter(ch))


def _junk(words: list[tuple[str, float, float, float, float, float]]) -> bool:
    """A run Tesseract read with little confidence and no number in it: seal or signature strokes."""
    mean_conf = sum(w[5] for w in words) / len(words)
    return mean_conf < JUNK_CONF and not any(ch.isdigit() or ch == "/" for w in words for ch in w[0])


def _lines_from_tsv(tsv: str, scale: float) -> list[Line]:
    """Tesseract's words grouped by its lines, in points, split at wide gaps, junk runs dropped."""
    groups: dict[tuple[str, str, str, str], list[tuple[str, float, float, float, float, float]]] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5":
            continue
        word, conf = fix_word(f[11].strip()), float(f[10])
        if not word or conf < MIN_CONF or (conf < JUNK_CONF and not any(map(_letter_or_digit, word))):
            continue
        left, top, w, h = (int(v) / scale for v in f[6:10])
        groups.setdefault((f[1], f[2], f[3], f[4]), []).append((word, left, left + w, top, top + h, conf))
    lines: list[Line] = []
    for words in groups.values():
        words.sort(key=lambda x: x[1])
        heights = sorted(x[4] - x[3] for x in words)
        gap = segment_gap(heights[len(heights) // 2], [b[1] - a[2] for a, b in zip(words, words[1:])])
        runs: list[list[tuple[str, float, float, float, float, float]]] = []
        for wd in words:
            if runs and wd[1] - runs[-1][-1][2] <= gap:
                runs[-1].append(wd)
            else:
                runs.append([wd])
        kept = [r for r in runs if not _junk(r)]
        if kept:
            segments = [Segment(" ".join(w[0] for w in r), r[0][1], max(w[2] for w in r)) for r in kept]
            lines.append(Line(segments, min(w[3] for r in kept for w in r), max(w[4] for r in kept for w in r)))
    return merge_rows(lines)


def ocr_lines(page: pdfium.PdfPage, dpi: int = DPI) -> list[Line]:
    """The page read by Tesseract as positioned lines. Raises ``IngestError`` when it cannot run."""
    if not tesseract_ready():
        raise IngestError("missing_tool", _MISSING)
    image, scale = _pgm(page, dpi)
    return _lines_from_tsv(read_tsv(image), scale)
