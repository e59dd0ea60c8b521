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
from pipeline.ingest.handwriting import review_notes, settle  # noqa: F401 (review_notes: read here by tests and tools)
from pipeline.ingest.ocr_fixes import fix_word
from pipeline.ingest.quality import vietnamese_letter
from pipeline.ingest.stamps import DARK, Box, dark_pooled, find_boxes, stamp_areas
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
BLUE_INK = 20  # blue channel this far above red and green: a pen's blue ink
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
    return separate_ink(rgb)[0]


def separate_ink(pixels: np.ndarray, bgr: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A colour page image (RGB, or BGR as PDFium renders) as the grey image Tesseract reads: red ink
    (the seal, the ``ĐẾN`` stamp) removed, blue ink (handwritten numbers and days) kept dark as print is.

    Red ink is told by its red channel standing well above green and blue; it becomes paper. Everything
    else is read by its darker of red and green, so blue ink stays as dark as black print (the lightest
    channel, used before, washed blue handwriting out with the seal). Returns the grey image, the
    red ink's mask (where a red stamp's rectangle is looked for) and the blue channel (what tells a
    pen's blue ink from print). All in bytes: no wider copy of the page is made.
    """
    r = pixels[:, :, 2 if bgr else 0]
    g = pixels[:, :, 1]
    b = pixels[:, :, 0 if bgr else 2]
    grey = np.maximum(r, g)
    # red: r - RED_INK > max(g, b), as r > max(g, b) + RED_INK with the sum held in a byte (a max above
    # 255 - RED_INK leaves no room for red: r > 255 is false); four passes over the page instead of seven
    most = np.maximum(g, b)
    np.minimum(most, np.uint8(255 - RED_INK), out=most)
    most += np.uint8(RED_INK)
    red = r > most
    np.putmask(grey, red, 255)
    return grey, red, b


def _render(page: pdfium.PdfPage, dpi: float, colour: bool = True) -> tuple[np.ndarray, tuple | None, float, str | None]:
    """The page as a grey image for OCR (coloured ink separated), its red ink and blue channel (None
    for a grey page), the pixels per point, a pixel-cap note. A page with no colour image (a 1-bit or
    grey scan) is rendered in grey at once: there is no ink to separate."""
    width, height = page.get_size()
    scale, note = page_scale(width, height, dpi)
    bitmap = page.render(scale=scale, grayscale=not colour)
    arr = bitmap.to_numpy()
    if arr.ndim != 3:
        return np.ascontiguousarray(arr), None, scale, note
    grey, red, blue = separate_ink(arr, bgr=True)
    return grey, (red, blue), scale, note


def page_boxes(grey: np.ndarray, red: np.ndarray | None, scale: float) -> list[Box]:
    """The rectangles of stamp size on a page image, in black and in red ink."""
    boxes = find_boxes(None, scale, pooled=dark_pooled(grey))
    if red is not None and red.any():
        boxes += find_boxes(red, scale, red=True)
    return boxes


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
        out = run_confined(cmd, image, TIMEOUT_S, memory=MEMORY, cpu_seconds=int(TIMEOUT_S), env=env, memory_file=True)
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


def _lines_from_tsv(tsv: str, scale: float, boxes: list[Box] = (), pen=None) -> list[Line]:
    """Tesseract's words grouped by its lines, in points, split at wide gaps, junk runs dropped; the
    words inside a stamp's rectangle (``boxes``, in pixels) made lines of their own marked ``stamp``.

    A red stamp's own print was washed out with the red ink: what is read inside its rectangle is
    the letter's print under it, or what a pen wrote in the stamp's fields (``pen(word)``: the
    word's ink is a pen's blue), and only the latter is the stamp's."""
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
    areas = stamp_areas(list(boxes), list(groups.values()), scale) if boxes else []
    lines: list[Line] = []
    for words in groups.values():
        if areas:
            inside = [w for w in words if any(_in_stamp(a, w, pen) for a in areas)]
            if inside:
                words = [w for w in words if w not in inside]
                stamp = _line(inside)
                if stamp is not None:
                    stamp.stamp = True
                    lines.append(stamp)
                if not words:
                    continue
        line = _line(words)
        if line is not None:
            lines.append(line)
    return merge_rows(lines)


def _in_stamp(area: Box, word, pen) -> bool:
    if not area.holds((word[1] + word[2]) / 2, (word[3] + word[4]) / 2):
        return False
    return not area.red or (pen is not None and pen(word))


def _pen(grey: np.ndarray, blue: np.ndarray, scale: float):
    """Whether a word (in points) is written in a pen's blue ink: most of its ink bluer than print."""

    def pen(word) -> bool:
        x0, x1, y0, y1 = (max(0, int(v * scale)) for v in word[1:5])
        ink = grey[y0:y1, x0:x1] < DARK
        if not ink.any():
            return False
        bluer = blue[y0:y1, x0:x1].astype(np.int16) - grey[y0:y1, x0:x1] > BLUE_INK
        return bool((bluer & ink).sum() > 0.5 * ink.sum())

    return pen


def _line(words: list[tuple[str, float, float, float, float, float]]) -> Line | None:
    """One line of words, split into segments at wide gaps, its junk runs dropped (None when all are)."""
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
    if not kept:
        return None
    segments = [Segment(" ".join(w[0] for w in r), r[0][1], max(w[2] for w in r)) for r in kept]
    return Line(segments, min(w[3] for r in kept for w in r), max(w[4] for r in kept for w in r))


@dataclass
class OcrPage:
    """A page as Tesseract read it: positioned lines, and what it could not read with confidence."""

    lines: list[Line]
    notes: list[str] = field(default_factory=list)


def read_grey(grey: np.ndarray, scale: float, colour: tuple | None = None, header: bool = False) -> OcrPage:
    """A grey page image (``scale`` pixels per point; ``colour``: its red ink and blue channel, when it
    had colour) read by Tesseract, stamps set apart; on a first page (``header``) the number and day
    handwriting may have left unsure read again or left out (``handwriting``). Raises ``IngestError``
    when it cannot run."""
    if not tesseract_ready():
        raise IngestError("missing_tool", _MISSING)
    tsv = read_tsv(pgm(grey))
    notes: list[str] = []
    if header:
        tsv, notes = settle(tsv, grey)
    red, blue = colour if colour is not None else (None, None)
    pen = _pen(grey, blue, scale) if blue is not None else None
    lines = _lines_from_tsv(tsv, scale, page_boxes(grey, red, scale), pen)
    return OcrPage(lines, notes)


def ocr_page(page: pdfium.PdfPage, dpi: float = DPI, colour: bool = True, header: bool = False) -> OcrPage:
    """The page rendered (coloured ink separated, pixels capped) and read by Tesseract. ``colour``: the
    page holds a colour image (False: it is rendered in grey); ``header``: it is the first page."""
    if not tesseract_ready():
        raise IngestError("missing_tool", _MISSING)
    grey, colour, scale, note = _render(page, dpi, colour)
    result = read_grey(grey, scale, colour, header)
    if note:
        result.notes.insert(0, note)
    return result


def ocr_lines(page: pdfium.PdfPage, dpi: float = DPI) -> list[Line]:
    """The page read by Tesseract as positioned lines."""
    return ocr_page(page, dpi).lines
