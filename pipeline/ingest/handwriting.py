"""The header's number and date on a scan, where an office often writes them by hand: read with care.

Tesseract's ``vie`` model reads print; a handwritten ``113`` or ``11`` comes back as ``⁄JJ5`` or
``ngày-14``, and a wrong number is worse than none. On the first page's header (its top
``HEADER_SHARE``) the digits before the symbol on the ``Số:`` line and the day, month and year of the
date line are found among Tesseract's words, with where they stand. Where a reading is unsure (a mark
no digit is read as, a confidence under ``REVIEW_CONF``, a value no such field has):

- every unsure field is cut out of the page (half a line above and below, ink darker than ``INK``
  made black, the rest paper), the cut-outs stacked and read by one more Tesseract told they are
  digits only (a whitelist, one line each, the ``eng`` model where installed);
- the same digits from both readings are kept; a second reading of ``DIGIT_CONF`` or more, more
  confident than the first, takes its place; a month or year (print) the second pass reads nothing
  of is kept and noted;
- else the unsure digits are taken out of the text (``Số: /NQ-CP``, ``ngày tháng 10``), so the parser
  leaves the number or the day empty rather than give a wrong one, and a review note says what was
  read and why it was not trusted.

Measured on the 14 real scans and the 11 other scans of the dev corpus (see ``settle``).
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass, field

import numpy as np
import regex

from pipeline.ingest.confine import MB, run_confined
from pipeline.ingest.ocr_fixes import TO_DIGIT
from pipeline.normalize import fold

HEADER_SHARE = 0.35  # the header's number and date stand in this top share of the first page
REVIEW_CONF = 60.0  # digits of the number or the day read with less confidence are unsure
DIGIT_CONF = 75.0  # a digits-only reading of the day at this confidence or more is taken
INK = 150  # grey below this is ink in the cut-out the digits-only pass reads
PAD = 20  # pixels of paper around the cut-out
_DATE_LINE = regex.compile(r"ngay.{0,12}th?[aáoóà]ng.{0,12}nam\s*\d{4}")
_THANG = regex.compile(r"(?i)t?h[aáàoóả]ng")
_NUMBER_END = regex.compile(r"[/\-–]")


@dataclass
class _Word:
    row: int  # index of its row in the TSV
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width


@dataclass
class HeaderDigits:
    """The digits of one field as Tesseract read them, where they stand, and what to write instead."""

    field: str  # doc_number, or the date's day, month or year
    line: str  # the line they stand on, as read
    digits: str  # what was read there ('' for nothing)
    conf: float
    box: tuple[float, float, float, float]  # left, top, right, bottom in pixels: where to read them again
    rewrite: dict[int, str] = field(default_factory=dict)  # TSV row: its word with the digits taken out
    fill: int = -1  # the row whose word takes digits read again (-1: none)
    fill_text: str = ""  # that word with ``{}`` where they go

    @property
    def value(self) -> str:
        """The digits as read, with the marks OCR takes digits for (``]]`` for ``11``, ``l6``) made digits."""
        return self.digits.translate(TO_DIGIT)

    @property
    def unsure(self) -> bool:
        if not self.value.isdigit() or self.conf < (YEAR_CONF if self.field == "year" else REVIEW_CONF):
            return True
        return not valid(self.field, self.value)

    @property
    def note(self) -> str:
        if self.field == "doc_number":
            return f"doc_number: digits not read with confidence ({self.line[:40]!r})"
        return f"issue_date: {self.field} not read with confidence ({self.line[:50]!r})"


def valid(field: str, digits: str) -> bool:
    """Digits that can be ``field``: a number of one to six digits, a day of 1 to 31, a month of 1 to
    12, a year of four digits."""
    if not digits.isdigit():
        return False
    if field == "doc_number":
        return 1 <= len(digits) <= 6
    lo, hi = _VALID[field]
    return lo <= int(digits) <= hi and (field != "year" or len(digits) == 4)


def _header_lines(tsv: str, height: int) -> list[list[_Word]]:
    """Tesseract's words of the header's lines, as it grouped them, left to right."""
    groups: dict[tuple[str, ...], list[_Word]] = {}
    for i, row in enumerate(tsv.split("\n")):
        f = row.split("\t")
        if len(f) >= 12 and f[0] == "5" and f[11].strip() and int(f[7]) <= HEADER_SHARE * height:
            groups.setdefault(tuple(f[1:5]), []).append(
                _Word(i, f[11].strip(), float(f[10]), int(f[6]), int(f[7]), int(f[8]), int(f[9]))
            )
    return [sorted(ws, key=lambda w: w.left) for ws in groups.values()]


def _x_at(word: _Word, k: int) -> float:
    """Where character ``k`` of a word stands, told by its share of the word's width."""
    return word.left + word.width * k / max(1, len(word.text))


_LABEL = regex.compile(r"(?i)^[SŠ$][ốôoóồổéơờỏ]?[ \t]*[:;.,]*[ \t]*")


def _number(words: list[_Word]) -> HeaderDigits | None:
    """The digits before the symbol on a ``Số:`` line: after the label (or glued to it, ``Số:525``), up
    to the symbol's ``/`` or ``-`` (``4†#/MTTQ-BTT``: the digits are that word's head)."""
    if fold(words[0].text)[:2] != "so":
        return None
    line = _LineText(words)
    a = _LABEL.match(line.text).end()
    end = _NUMBER_END.search(line.text, a)
    if end is None or end.start() - a > 12:
        return None
    return line.part("doc_number", a, end.start())


# The date line's words, as printed and as OCR leaves them: the day, month and year stand between them.
_DATE_PARTS = regex.compile(
    r"(?i)(?P<ngay>ng[àaá]y)(?P<d>.{0,12}?)(?P<thang>t?h[áàaoóả]ng)(?P<m>.{0,12}?)(?P<nam>n[ăaâ]m)(?P<y>[ \t]*[^ \t]{1,6})"
)
_VALID = {"day": (1, 31), "month": (1, 12), "year": (1900, 2100)}
# The parts of the date an office prints (the number and the day are what it leaves blank to fill by
# hand): a reading of them that is valid is kept when the digits-only pass reads nothing there.
PRINTED = {"month", "year"}
YEAR_CONF = 90.0  # a printed year is read at 95 or more; less is a misread (``2025`` read ``2023`` at 79)


class _LineText:
    """A line's words joined by spaces, each character knowing its word: parts of the line found by a
    pattern are cut out of, or written into, the words they fall in."""

    def __init__(self, words: list[_Word]):
        self.words = words
        self.text = " ".join(w.text for w in words)
        self.owner: list[tuple[int, int]] = []  # (word, character in it); (-1, -1) for a joining space
        for i, w in enumerate(words):
            if i:
                self.owner.append((-1, -1))
            self.owner.extend((i, k) for k in range(len(w.text)))

    def x(self, pos: int) -> float:
        """Where character ``pos`` of the line starts on the page (its word's share of the width)."""
        for p in range(pos, len(self.owner)):
            i, k = self.owner[p]
            if i >= 0:
                return _x_at(self.words[i], k)
        return self.words[-1].right

    def part(self, name: str, a: int, b: int, replace_at: int | None = None) -> HeaderDigits:
        """The line's characters [a, b) as one field: their text, lowest confidence, box, and the words
        rewritten without them (``fill_text`` puts ``{}`` where they were)."""
        idx = sorted({self.owner[p][0] for p in range(a, b) if self.owner[p][0] >= 0})
        confs = [self.words[i].conf for i in idx]
        rewrite: dict[int, str] = {}
        fill_row, fill_text = -1, ""
        for i in idx:
            w = self.words[i]
            inside = [a <= self._pos(i, k) < b for k in range(len(w.text))]
            keep = "".join(ch for ch, cut in zip(w.text, inside) if not cut)
            if any(inside) and not inside[0] and not inside[-1]:  # ``ngày44tháng``: the words kept apart
                first = inside.index(True)
                keep = keep[:first] + " " + keep[first:]
            rewrite[w.row] = keep
            if fill_row < 0:
                first = next(k for k in range(len(w.text)) if a <= self._pos(i, k) < b)
                fill_row, fill_text = w.row, (w.text[:first] + " {} " + keep[first:]).strip()
        if fill_row < 0:  # nothing read there: the digits go after the word before
            i = self.owner[a - 1][0] if a else 0
            i = i if i >= 0 else max(0, self.owner[a - 2][0]) if a >= 2 else 0
            fill_row, fill_text = self.words[i].row, self.words[i].text + " {}"
        top = min(w.top for w in self.words)
        bottom = max(w.top + w.height for w in self.words)
        return HeaderDigits(name, self.text, self.text[a:b].strip(" .,"), min(confs) if confs else 0.0, (self.x(a), top, self.x(b) if b < len(self.text) else self.words[-1].right, bottom), rewrite, fill_row, fill_text)

    def _pos(self, i: int, k: int) -> int:
        return sum(len(w.text) + 1 for w in self.words[:i]) + k


def _date(words: list[_Word]) -> list[HeaderDigits]:
    """The day, month and year of the date line (``…, ngày 04 tháng 10 năm 2025``), each a field."""
    line = _LineText(words)
    m = _DATE_PARTS.search(line.text)
    if m is None:
        return []
    parts = []
    for group, name in (("d", "day"), ("m", "month"), ("y", "year")):
        a, b = m.span(group)
        while a < b and line.text[a] in " \t":
            a += 1
        parts.append(line.part(name, a, b))
    return parts


def header_digits(tsv: str, height: int) -> list[HeaderDigits]:
    """The first ``Số:`` line's number and the first date line's day in the header of a page ``height``
    pixels high."""
    found: dict[str, HeaderDigits] = {}
    for words in _header_lines(tsv, height):
        if "doc_number" not in found and (n := _number(words)) is not None:
            found["doc_number"] = n
        if "day" not in found and (parts := _date(words)):
            found.update((p.field, p) for p in parts)
    return list(found.values())


def review_notes(tsv: str, height: int) -> list[str]:
    """What a person should check: the header's number or day read with little confidence."""
    return [f.note for f in header_digits(tsv, height) if f.unsure]


@functools.lru_cache(maxsize=1)
def _digit_lang() -> str:
    """The model the digits-only pass uses: ``eng`` where installed (it read the dev scans' handwritten
    days best), else ``vie``."""
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return "vie"
    return "eng" if "eng" in langs else "vie"


def _cut(grey: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray | None:
    """The box of the page, half a line higher and lower (handwriting rises and falls around the line),
    ink made black and the rest paper; None when it is too small to hold a digit."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    h = max(1, y1 - y0)
    y0, y1 = max(0, y0 - h // 2), min(grey.shape[0], y1 + h // 2)
    x0, x1 = max(0, x0), min(grey.shape[1], x1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    return np.where(grey[y0:y1, x0:x1] < INK, 0, 255).astype(np.uint8)


def read_digits(grey: np.ndarray, boxes: list[tuple[float, float, float, float]]) -> list[tuple[str, float]]:
    """The digits in each box of a grey page image, read on their own: (digits, confidence) for each,
    ('', 0) where none. The boxes are cut out and stacked one under the other, a line each, so one
    Tesseract (its model loaded once) reads them all."""
    cuts = [_cut(grey, box) for box in boxes]
    width = max((c.shape[1] for c in cuts if c is not None), default=0)
    if not width:
        return [("", 0.0)] * len(boxes)
    height = sum(c.shape[0] + PAD for c in cuts if c is not None) + PAD
    image = np.full((height, width + 2 * PAD), 255, np.uint8)
    spans: list[tuple[int, int] | None] = []
    y = PAD
    for c in cuts:
        if c is None:
            spans.append(None)
            continue
        image[y : y + c.shape[0], PAD : PAD + c.shape[1]] = c
        spans.append((y, y + c.shape[0]))
        y += c.shape[0] + PAD
    header = b"P5\n%d %d\n255\n" % (image.shape[1], image.shape[0])
    psm = "7" if len(boxes) == 1 else "6"  # one line, or a block of lines
    cmd = ["tesseract", "stdin", "stdout", "-l", _digit_lang(), "--psm", psm, "-c", "tessedit_char_whitelist=0123456789", "tsv"]
    try:
        out = run_confined(cmd, header + image.tobytes(), 30.0, memory=512 * MB, cpu_seconds=30, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    except (OSError, subprocess.SubprocessError):
        return [("", 0.0)] * len(boxes)
    found: list[list[tuple[str, float]]] = [[] for _ in boxes]
    for row in out.stdout.decode("utf-8", "replace").splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        middle = int(f[7]) + int(f[9]) / 2
        k = next((k for k, span in enumerate(spans) if span and span[0] - PAD / 2 <= middle <= span[1] + PAD / 2), None)
        if k is not None:
            found[k].append((f[11].strip(), float(f[10])))
    return [("".join(t for t, _ in ws), min(c for _, c in ws)) if ws else ("", 0.0) for ws in found]


def settle(tsv: str, grey: np.ndarray) -> tuple[str, list[str]]:
    """The first page's TSV with its header's unsure number, day, month or year read again on its own
    and settled; the review notes of what was not trusted.

    Tesseract's confidence does not tell print from handwriting (a printed ``19`` at 35, a handwritten
    ``323`` read ``525`` at 50), so an unsure reading is checked by a second, digits-only one: the same
    digits from both are kept; a second reading of ``DIGIT_CONF`` or more, more confident than the
    first, takes its place (a printed ``2025`` first read ``2023``; a handwritten day); a valid month or
    year the second pass reads nothing of is kept and noted (they are print); anything else is taken
    out of the text and noted, so no wrong number or day is handed on.
    """
    fields = [f for f in header_digits(tsv, grey.shape[0]) if f.unsure]
    if not fields:
        return tsv, []
    rows = tsv.split("\n")
    notes = []
    for f, (digits, conf) in zip(fields, read_digits(grey, [f.box for f in fields])):
        if valid(f.field, f.value) and digits == f.value:
            continue  # both readings agree: the first is right as it stands
        if valid(f.field, f.value) and not digits and f.field in PRINTED:
            # no second opinion on what is mostly print: kept, for a person to check (not an ``issue_date:``
            # note, which tells the parser the day is unsure)
            notes.append(f"date {f.field} {f.value} kept as read, not confirmed ({f.line[:50]!r})")
            continue
        for row, text in f.rewrite.items():
            _set_word(rows, row, text)
        if valid(f.field, digits) and conf >= DIGIT_CONF and (conf > f.conf or not valid(f.field, f.value)):
            _set_word(rows, f.fill, f.fill_text.format(digits), conf)
            continue
        notes.append(f.note)
    return "\n".join(rows), notes


def _set_word(rows: list[str], i: int, text: str, conf: float | None = None) -> None:
    f = rows[i].split("\t")
    f[11] = text
    if conf is not None:
        f[10] = f"{conf:.6f}"
    rows[i] = "\t".join(f)
