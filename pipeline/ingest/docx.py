"""DOCX to text: paragraphs and tables in body order, Word's automatic numbering rendered.

Letters put the header (issuer | motto, number | place and date) and the signature beside
``Nơi nhận`` in borderless two-column tables: each cell's lines are kept together, left
cell before right, so no line mixes two columns. ``1.``, ``a)``, ``-`` that Word draws from
its numbering definitions are not in the paragraph's text; they are rendered here from
``numbering.xml`` so the parser sees the outline the reader sees. Headers and footers are
not part of the body and are left out.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from pipeline.ingest.errors import IngestError
from pipeline.models import SourceText
from pipeline.normalize import normalize_text

MAX_XML_BYTES = 200 * 1024 * 1024  # uncompressed document.xml: a zip bomb stops here
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BULLETS = {0: "-", 1: "+"}


def _check_zip(data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        info = zf.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError("corrupt", f"not a readable DOCX: {exc}") from exc
    if info.file_size > MAX_XML_BYTES:
        raise IngestError("too_large", f"document.xml expands to {info.file_size} bytes (limit {MAX_XML_BYTES})")
    head = zf.read("word/document.xml")[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise IngestError("unsafe_xml", "DOCX declares a DTD or entities: refused")


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return "abcdefghiklmnopqrstuvxyz"[(n - 1) % 24]  # Vietnamese lists skip j, w
    if fmt == "upperLetter":
        return "ABCDEFGHIKLMNOPQRSTUVXYZ"[(n - 1) % 24]
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    return str(n)


@dataclass
class _Numbering:
    """Word's list definitions and the running counters of each list."""

    levels: dict[tuple[str, int], tuple[str, str, int]] = field(default_factory=dict)  # (numId, ilvl) → fmt, text, start
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def load(cls, doc) -> _Numbering:
        num = cls()
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return num
        abstract = {}
        for a in root.findall(f"{_W}abstractNum"):
            lv = {}
            for level in a.findall(f"{_W}lvl"):
                ilvl = int(level.get(f"{_W}ilvl", "0"))
                fmt = level.find(f"{_W}numFmt")
                text = level.find(f"{_W}lvlText")
                start = level.find(f"{_W}start")
                lv[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[a.get(f"{_W}abstractNumId")] = lv
        for n in root.findall(f"{_W}num"):
            ref = n.find(f"{_W}abstractNumId")
            for ilvl, spec in abstract.get(ref.get(f"{_W}val") if ref is not None else "", {}).items():
                num.levels[(n.get(f"{_W}numId"), ilvl)] = spec
        return num

    def label(self, num_id: str, ilvl: int) -> str:
        spec = self.levels.get((num_id, ilvl))
        if not spec:
            return ""
        fmt, text, start = spec
        if fmt == "bullet":
            return _BULLETS.get(ilvl, "-")
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]  # a higher level moving on restarts the levels below it
        out = text
        for lvl in range(ilvl + 1):
            value = self.counters.get((num_id, lvl), self.levels.get((num_id, lvl), ("", "", 1))[2])
            lvl_fmt = self.levels.get((num_id, lvl), ("decimal", "", 1))[0]
            out = out.replace(f"%{lvl + 1}", _format(value, lvl_fmt))
        return out


def _num_pr(paragraph) -> tuple[str, int] | None:
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is None and paragraph.style is not None:
        style_ppr = paragraph.style.element.pPr
        num_pr = style_ppr.numPr if style_ppr is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    num_id = str(num_pr.numId.val)
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return (num_id, int(ilvl)) if num_id != "0" else None


def _paragraph_text(paragraph, numbering: _Numbering) -> str:
    text = paragraph.text
    num = _num_pr(paragraph)
    if num and text.strip():
        label = numbering.label(*num)
        if label:
            text = f"{label} {text.lstrip()}"
    return text


def _table_lines(table, numbering: _Numbering, out: list[str]) -> None:
    """Row by row; in a row, each cell's lines together, left to right, a blank line between cells."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for row in table.rows:
        seen = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(cell)
        if len(cells) >= 3:  # a data table: one pipe row, as text files carry tables
            out.append("| " + " | ".join(" ".join(c.text.split()) for c in cells) + " |")
            continue
        for cell in cells:
            for child in cell._tc.iterchildren():
                if child.tag == f"{_W}p":
                    out.append(_paragraph_text(Paragraph(child, cell), numbering))
                elif child.tag == f"{_W}tbl":
                    _table_lines(Table(child, cell), numbering, out)
            out.append("")


def read_docx(data: bytes) -> SourceText:
    """The body text of a DOCX file, normalized."""
    _check_zip(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a damaged file
        raise IngestError("corrupt", f"DOCX could not be opened: {type(exc).__name__}: {exc}") from exc
    numbering = _Numbering.load(document)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(_paragraph_text(Paragraph(child, document), numbering))
        elif child.tag == f"{_W}tbl":
            _table_lines(Table(child, document), numbering, lines)
            lines.append("")
    text = normalize_text("\n".join(lines))
    if not text.strip():
        raise IngestError("empty", "DOCX body has no text")
    return SourceText(text=text, source_format="docx")
