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
from dataclasses import dataclass, field

import numpy as np
import pypdfium2 as pdfium
import regex

from pipeline.ingest import ocr_cache
from pipeline.ingest.confine import MB, run_confined
from pipeline.ingest.errors import IngestError
from pipeline.ingest.geometry import Line, Segment, merge_rows, segment_gap
from pipeline.ingest.ocr_fixes import fix_word
from pipeline.ingest.quality import vietnamese_letter
from pipeline.normalize import fold

DPI = 300
PSM = "3"  # fully automatic page segmentation; lines are regrouped by position afterwards
TIMEOUT_S = 120.0  # per page
LANG = "vie"
MIN_CONF = 10.0  # words Tesseract is less sure of are seal and signature strokes
JUNK_CONF = 45.0  # a run of words with a lower mean confidence and no digit is dropped
MEMORY = 2048 * MB  # Tesseract's address space: a 40-million-pixel page needs well under a GB
MAX_PIXELS = 40_000_000  # a page is rendered for OCR with at most this many pixels (A4 at 300 dpi: 8.7 million)
RED_INK = 60  # red channel this far above green and blue: the seal's or a stamp's red ink, not print
HEADER_SHARE = 0.35  # the header's number and date stand in this top share of the first page
REVIEW_CONF = 60.0  # digits of the number or the day read with less confidence are reported for review
_DATE_LINE = regex.compile(r"ngay.{0,12}thang.{0,12}nam\s*\d{4}")
_MISSING = "tesseract with the Vietnamese model is not installed: run scripts/install-system-deps.sh"


PREPROCESS = "2"  # the version of the image preparation below: part of the OCR cache key


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


def page_scale(width: float, height: float, dpi: float = DPI) -> tuple[float, str | None]:
    """Pixels per point to render a page of this size at, and a note when the pixel cap lowered it.

    A page of thousands of points (a poster, a hostile 4,000-point page) at 300 dpi would need
    gigabytes; the scale is lowered so the page holds at most ``MAX_PIXELS``, and the note says so.
    """
    scale = dpi / 72
    pixels = width * height * scale * scale
    if pixels <= MAX_PIXELS:
        return scale, None
    scale = (MAX_PIXELS / max(1.0, width * height)) ** 0.5
    return scale, f"page rendered at {scale * 72:.0f} dpi, not {dpi:.0f}: it is {width:.0f} × {height:.0f} points (pixel cap)"


def grey_for_ocr(rgb: np.ndarray) -> np.ndarray:
    """An RGB page image as the grey image Tesseract reads: red ink (the seal, the ``ĐẾN`` stamp) removed,
    blue ink (handwritten numbers and days) kept dark as print is.

    Red ink is told by its red channel standing well above green and blue; it becomes paper. Everything
    else is read by its darker of red and green, so blue ink stays as dark as black print (the lightest
    channel, used before, washed blue handwriting out with the seal).
    """
    r = rgb[:, :, 0]
    g = rgb[:, :, 1]
    b = rgb[:, :, 2]
    grey = np.maximum(r, g)
    red = (r.astype(np.int16) - np.maximum(g, b)) > RED_INK
    grey[red] = 255
    return grey


def _render(page: pdfium.PdfPage, dpi: float) -> tuple[np.ndarray, float, str | None]:
    """The page as a grey image for OCR (coloured ink separated), the pixels per point, a pixel-cap note."""
    width, height = page.get_size()
    scale, note = page_scale(width, height, dpi)
    bitmap = page.render(scale=scale, rev_byteorder=True)
    arr = bitmap.to_numpy()
    grey = grey_for_ocr(arr[:, :, :3]) if arr.ndim == 3 else arr
    return np.ascontiguousarray(grey), scale, note


def pgm(grey: np.ndarray) -> bytes:
    """An 8-bit grey image as PGM bytes, the format handed to Tesseract on stdin."""
    h, w = grey.shape[:2]
    return b"P5\n%d %d\n255\n" % (w, h) + grey.tobytes()


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
        out = run_confined(cmd, image, TIMEOUT_S, memory=MEMORY, cpu_seconds=int(TIMEOUT_S), env=env)
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


@dataclass
class OcrPage:
    """A page as Tesseract read it: positioned lines, and what it could not read with confidence."""

    lines: list[Line]
    notes: list[str] = field(default_factory=list)


def read_grey(grey: np.ndarray, scale: float) -> OcrPage:
    """A grey page image (``scale`` pixels per point) read by Tesseract. Raises ``IngestError`` when it cannot run."""
    if not tesseract_ready():
        raise IngestError("missing_tool", _MISSING)
    tsv = read_tsv(pgm(grey))
    return OcrPage(_lines_from_tsv(tsv, scale), review_notes(tsv, grey.shape[0]))


def ocr_page(page: pdfium.PdfPage, dpi: float = DPI) -> OcrPage:
    """The page rendered (coloured ink separated, pixels capped) and read by Tesseract."""
    if not tesseract_ready():
        raise IngestError("missing_tool", _MISSING)
    grey, scale, note = _render(page, dpi)
    result = read_grey(grey, scale)
    if note:
        result.notes.insert(0, note)
    return result


def ocr_lines(page: pdfium.PdfPage, dpi: float = DPI) -> list[Line]:
    """The page read by Tesseract as positioned lines."""
    return ocr_page(page, dpi).lines


def _tsv_lines(tsv: str) -> list[list[tuple[str, float, int]]]:
    """Tesseract's words (text, confidence, top pixel) line by line, as it grouped them."""
    groups: dict[tuple[str, str, str, str], list[tuple[str, float, int]]] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) >= 12 and f[0] == "5" and f[11].strip():
            groups.setdefault((f[1], f[2], f[3], f[4]), []).append((f[11].strip(), float(f[10]), int(f[7])))
    return list(groups.values())


def _unsure(word: str, conf: float) -> bool:
    """A number or a day read with little confidence, or with marks no digit is read as."""
    return conf < REVIEW_CONF or not word.isdigit()


def review_notes(tsv: str, height: int) -> list[str]:
    """What a person should check: the header's number or day read with little confidence.

    Handwritten digits (``Số: 113/CV``, ``ngày 11``) are what Tesseract reads worst, and a wrong number
    is worse than none. In the header (the top ``HEADER_SHARE`` of a page ``height`` pixels high), the
    digits before the symbol on the ``Số:`` line, and the day after ``ngày`` on the date line, are
    reported when a word there holds marks other than digits or was read below ``REVIEW_CONF``, or when
    no digit was read there at all, so the parser can leave the field empty and say why.
    """
    notes: dict[str, str] = {}
    for words in _tsv_lines(tsv):
        if words[0][2] > HEADER_SHARE * height:
            continue
        text = " ".join(w for w, _, _ in words)
        head = fold(words[0][0])
        if "doc_number" not in notes and head[:2] == "so" and words[0][0][:1] in "SsŠ$" and ("/" in text or "-" in text):
            rest = text[len(words[0][0]) :] if head in ("so", "so:") else text[2:].lstrip(":;., ")
            number = regex.match(r"\s*([^/\s-]*(?:\s[^/\s-]+)?)", rest).group(1).replace(" ", "")
            confs = [c for w, c, _ in words[:3]]
            if not number or _unsure(number, min(confs[:2])):
                notes["doc_number"] = f"doc_number: digits not read with confidence ({text[:40]!r})"
        if "issue_date" not in notes and _DATE_LINE.search(fold(text)):
            k = next((i for i, (w, _, _) in enumerate(words) if fold(w).startswith("ngay")), None)
            if k is None:
                continue
            glued = words[k][0][4:]  # ``ngày44tháng``: the day read into the word
            day, conf = (glued, words[k][1]) if glued else (words[k + 1][:2] if k + 1 < len(words) else ("", 0.0))
            day = regex.split(r"(?i)th", day)[0].strip(".,")
            if not day or _unsure(day, conf):
                notes["issue_date"] = f"issue_date: day not read with confidence ({text[:50]!r})"
    return list(notes.values())
