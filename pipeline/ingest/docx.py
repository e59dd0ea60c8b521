"""DOCX to text: paragraphs and tables in body order, Word's automatic numbering rendered.

Letters put the header (issuer | motto, number | place and date) and the signature beside
``Nơi nhận`` in borderless two-column tables: each cell's lines are kept together and the left
column is read before the right one (ô 2–3 before ô 1–4, the whole ``Nơi nhận`` list before the
signature), a blank line between cells, so no line mixes two columns. A bordered table of three
or more columns holds data and becomes pipe rows, as text files carry tables. ``1.``, ``a)``,
``-`` that Word draws from its numbering definitions are not in the paragraph's text; they are
rendered here (``pipeline.ingest.docx_numbering``) so the parser sees the outline the reader
sees. Headers and footers are not part of the body and are left out.

Old documents typed in legacy Vietnamese fonts carry Latin-1 look-alikes: a run whose font is
``.VnTime…`` (TCVN3) or ``VNI-…`` is converted by its font; text in other fonts is converted when
the whole body is detected as legacy (``pipeline.ingest.legacy_fonts``).

Hostile files: the zip directory is read before anything is parsed, so a zip bomb is refused by
its declared sizes and a DTD (the door to XXE and entity expansion) by a look at each XML part.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from pipeline.ingest.docx_numbering import W, Numbering, Styles
from pipeline.ingest.errors import IngestError
from pipeline.ingest.legacy_fonts import TCVN3, VNI, detect_legacy, has_unicode_vietnamese, to_unicode
from pipeline.limits import DEFAULT, size
from pipeline.models import SourceText
from pipeline.normalize import normalize_text


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # stream of a password-protected Office file
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {f"{W}del", f"{W}moveFrom", f"{W}pPr", f"{W}rPr", f"{_MC}Fallback", f"{W}txbxContent"}
_LAYOUT_ROWS = 4  # header and signature tables are short; longer borderless tables are lists


def is_encrypted_ole(data: bytes) -> bool:
    """A password-protected .docx/.doc: an OLE container with an ``EncryptionInfo`` stream."""
    return data.startswith(OLE_MAGIC) and ENCRYPTION_INFO in data


def _too_large(name: str, total: int, limit: int) -> IngestError:
    return IngestError(
        "too_large_uncompressed",
        f"the DOCX expands to more than {size(limit)} ({name} reached {size(total)}; --max-uncompressed): refused",
    )


def _check_zip(data: bytes, max_uncompressed: int) -> None:
    """Refuse before parsing: not a zip, no document.xml, parts that expand past the limit, DTDs.

    python-docx loads every part into memory, so every part is measured, by decompressing it
    in chunks (the sizes a zip declares can lie), and the total is held to ``max_uncompressed``.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
        zf.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise IngestError("corrupt", f"not a readable DOCX (zip): {exc}") from exc
    if sum(info.file_size for info in infos) > max_uncompressed:
        raise _too_large("the declared sizes", sum(info.file_size for info in infos), max_uncompressed)
    total = 0
    for info in infos:
        cap = PART_CAPS.get(info.filename)
        if cap is not None and info.file_size > cap:
            raise _part_too_large(info.filename, info.file_size, cap)
        try:
            with zf.open(info) as fh:
                part = 0
                scan = _DtdScan()
                while chunk := fh.read(1 << 20):
                    total += len(chunk)
                    part += len(chunk)
                    if total > max_uncompressed:
                        raise _too_large(info.filename, total, max_uncompressed)
                    if cap is not None and part > cap:
                        raise _part_too_large(info.filename, part, cap)
                    if scan.feed(chunk):
                        raise IngestError("unsafe_xml", f"{info.filename} declares a DTD or entities: refused")
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise IngestError("corrupt", f"damaged DOCX part {info.filename}: {exc}") from exc


class _DtdScan:
    """Looks through a whole part, chunk by chunk, for ``<!DOCTYPE`` or ``<!ENTITY``, whatever its name.

    Every part that reads as XML is checked (python-docx parses parts by their content type, so a
    ``.bin`` name proves nothing), all of it (a DTD may follow a long comment), in UTF-8 or UTF-16/32
    (their NUL bytes are dropped first). A part that does not open with ``<`` (an image) is passed.
    """

    _MARKS = (b"<!DOCTYPE", b"<!ENTITY")

    def __init__(self) -> None:
        self.xml: bool | None = None
        self.tail = b""

    def feed(self, chunk: bytes) -> bool:
        text = chunk.replace(b"\x00", b"")
        if self.xml is None:
            head = text.lstrip(b"\xef\xbb\xbf\xfe\xff \t\r\n")
            if not head:
                return False
            self.xml = head.startswith(b"<")
        if not self.xml:
            return False
        window = self.tail + text
        self.tail = window[-16:]
        return any(mark in window for mark in self._MARKS)


# Parts read whole into memory as a tree whose real size is never near these: a 160 MB numbering.xml
# took a worker to 2.9 GB. The body (document.xml) is bounded by --max-uncompressed alone.
PART_CAPS = {
    "word/numbering.xml": 8 << 20,
    "word/styles.xml": 16 << 20,
    "word/settings.xml": 4 << 20,
    "word/fontTable.xml": 4 << 20,
    "[Content_Types].xml": 1 << 20,
    "word/_rels/document.xml.rels": 4 << 20,
}


def _part_too_large(name: str, size_: int, cap: int) -> IngestError:
    return IngestError("too_large_uncompressed", f"{name} expands to {size(size_)}, over the {size(cap)} a real one never reaches: refused")


@dataclass
class _Line:
    """One output line and whether its legacy-font characters are already converted."""

    text: str
    settled: bool = False  # converted by font, or nothing to convert


def _font_encoding(font: str | None) -> str | None:
    """'tcvn3', 'tcvn3h' (capitals font) or 'vni' for a legacy Vietnamese font name."""
    if not font:
        return None
    name = font.strip().lower()
    if name.startswith(".vn"):
        return "tcvn3h" if name.endswith("h") else TCVN3
    if name.startswith(("vni-", "vni ")):
        return VNI
    return None


_LEGACY_KEYS = (TCVN3, "tcvn3h", VNI)


def _group_runs(runs) -> list[tuple[str, str]]:
    """Join neighbouring runs that convert alike: (key, text) with key a legacy encoding, 'plain'
    (non-ASCII text in an ordinary font) or 'ascii' (the same in any encoding, so it joins any group
    but a capitals-font one, whose ASCII letters are drawn as capitals too)."""
    groups: list[list] = []
    for text, enc in runs:
        key = enc if enc == "tcvn3h" or any(ord(c) > 0x7F for c in text) else "ascii"
        key = key or "plain"
        last = groups[-1] if groups else None
        if last and (last[0] == key or (key == "ascii" and last[0] != "tcvn3h")):
            last[1] += text
        elif last and last[0] == "ascii" and key != "tcvn3h":
            last[0], last[1] = key, last[1] + text
        else:
            groups.append([key, text])
    return [(key, text) for key, text in groups]


def _convert_run(text: str, enc: str) -> str:
    if has_unicode_vietnamese(text):
        return text  # a legacy font name left on text already in Unicode
    if enc == "tcvn3h":
        return to_unicode(text, TCVN3).upper()
    return to_unicode(text, enc)


class _Reader:
    """Walks the body once, keeping the numbering counters and style lookups."""

    def __init__(self, numbering: Numbering, styles: Styles):
        self.numbering = numbering
        self.styles = styles
        self.lines: list[_Line] = []

    # --- blocks -----------------------------------------------------------------------------------
    def blocks(self, parent, out: list[_Line]) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == f"{W}p":
                out.append(self.paragraph(child))
            elif tag == f"{W}tbl":
                self.table(child, out)
                out.append(_Line("", True))
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.blocks(content, out)
            elif tag in (f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}moveTo"):
                self.blocks(child, out)

    def table(self, tbl, out: list[_Line]) -> None:
        """Data tables as pipe rows; a short layout table column by column (all of the left column, then
        the right one); a long one (a two-column list) row by row, each cell's lines together."""
        rows = [self._row_cells(tr) for tr in tbl.iterchildren(f"{W}tr")]
        data = max((len(r) for r in rows), default=0) >= 3 and (self.styles.bordered(tbl) or len(rows) > _LAYOUT_ROWS)
        if data:
            for cells in rows:
                if len(cells) < 3:  # a merged row (a note under the table): its lines as they are
                    for _, tc, continued in cells:
                        if not continued:
                            self.blocks(tc, out)
                    continue
                parts = []
                settled = True
                for _, tc, continued in cells:
                    sub: list[_Line] = []
                    if not continued:
                        self.blocks(tc, sub)
                    parts.append(" ".join(" ".join(line.text.split()) for line in sub if line.text.strip()))
                    settled = settled and all(line.settled for line in sub)
                out.append(_Line("| " + " | ".join(parts) + " |", settled))
            return
        placed = [(col, r, tc) for r, cells in enumerate(rows) for col, tc, continued in cells if not continued]
        if len(rows) <= _LAYOUT_ROWS:  # a header or signature block: column by column
            placed.sort(key=lambda item: (item[0], item[1]))
        for _, _, tc in placed:
            sub: list[_Line] = []
            self.blocks(tc, sub)
            if any(line.text.strip() for line in sub):
                out.extend(sub)
                out.append(_Line("", True))

    @staticmethod
    def _row_cells(tr) -> list[tuple[int, object, bool]]:
        """(grid column, cell, is a vertical-merge continuation) for each cell of a row."""
        cells = []
        col = 0
        for child in tr.iterchildren():
            tcs = [child] if child.tag == f"{W}tc" else child.iter(f"{W}tc") if child.tag == f"{W}sdt" else []
            for tc in tcs:
                vmerge = tc.find(f"{W}tcPr/{W}vMerge")
                continued = vmerge is not None and vmerge.get(f"{W}val") != "restart"
                cells.append((col, tc, continued))
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                value = span.get(f"{W}val") if span is not None else "1"
                col += int(value) if value and value.isdigit() else 1
        return cells

    # --- paragraphs -------------------------------------------------------------------------------
    def paragraph(self, p) -> _Line:
        """A paragraph's text with its list label, legacy-font runs converted."""
        style_id = self.styles.paragraph_style(p)
        para_font = self.styles.font(style_id)
        groups = _group_runs(
            (text, _font_encoding(self.styles.run_font(r, para_font)))
            for r in self._runs(p)
            if (text := self._run_text(r))
        )
        text = "".join(_convert_run(t, key) if key in _LEGACY_KEYS else t for key, t in groups)
        # settled: a font spoke for this line, or it is ASCII and nothing could change it
        settled = any(key in _LEGACY_KEYS for key, _ in groups) or all(key == "ascii" for key, _ in groups)
        num = self.styles.num_pr(p, style_id)
        if num:
            label = self.numbering.label(*num)  # counted even for an empty paragraph, as Word does
            if label and text.strip():
                text = f"{label} {text.lstrip()}"
        return _Line(text, settled)

    def _runs(self, el):
        for child in el.iterchildren():
            tag = child.tag
            if tag == f"{W}r":
                yield child
            elif tag in _SKIP or not isinstance(tag, str):
                continue
            else:  # hyperlink, ins, smartTag, sdt, fldSimple, customXml, mc:AlternateContent/Choice …
                yield from self._runs(child)

    @staticmethod
    def _run_text(r) -> str:
        out = []
        for child in r.iterchildren():
            tag = child.tag
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag == f"{W}tab":
                out.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                out.append("\n")
            elif tag == f"{W}noBreakHyphen":
                out.append("-")
        return "".join(out)


def _settle_legacy(lines: list[_Line]) -> list[str]:
    """Convert the lines no font spoke for, when the body as a whole reads as a legacy encoding."""
    pending = [line.text for line in lines if not line.settled]
    encoding = detect_legacy("\n".join(pending)) if pending else None
    if not encoding:
        return [line.text for line in lines]
    return [
        line.text if line.settled or has_unicode_vietnamese(line.text) else to_unicode(line.text, encoding)
        for line in lines
    ]


def read_docx(data: bytes, max_uncompressed: int = DEFAULT.max_uncompressed) -> SourceText:
    """The body text of a DOCX file, normalized. Raises IngestError for damaged or hostile files."""
    if data.startswith(OLE_MAGIC):
        if is_encrypted_ole(data):
            raise IngestError("encrypted", "the Word file is password-protected")
        raise IngestError("corrupt", "an OLE (Word 97–2003) container, not a DOCX")
    _check_zip(data, max_uncompressed)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        reader = _Reader(Numbering.load(document), Styles.load(document))
        lines: list[_Line] = []
        reader.blocks(document.element.body, lines)
    except IngestError:
        raise
    except MemoryError as exc:
        raise IngestError("memory", "the DOCX needs more memory than the worker has (--max-memory)") from exc
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many kinds on a damaged file
        raise IngestError("corrupt", f"DOCX could not be read: {type(exc).__name__}: {exc}") from exc
    text = normalize_text("\n".join(_settle_legacy(lines)))
    if not text.strip():
        raise IngestError("empty", "the DOCX body has no text")
    return SourceText(text=text, source_format="docx")
