"""Plain text and Markdown: bytes in any encoding Vietnamese offices use, to ``str``.

Order of trust: a byte-order mark; UTF-16 without a BOM (every other byte NUL);
strict UTF-8; then Windows-1258, the Vietnamese Windows code page, whose output is
decomposed (NFD) and so must pass through ``normalize_text`` (NFC) afterwards.
A file that is not UTF-8 as a whole but holds UTF-8 lines (a UTF-8 file with lines pasted
from an old Windows one) is read line by line, each line in the encoding it decodes in.
Text typed in a legacy Vietnamese font encoding (TCVN3, VNI), whether as raw bytes or already
as the Latin-1 characters those fonts reused, is recognised and converted here, before
normalization (which would drop TCVN3's ``ư``, the soft-hyphen code point).
"""

from __future__ import annotations

import codecs

import regex

from pipeline.ingest.errors import IngestError
from pipeline.ingest.legacy_fonts import bytes_as_legacy_text, detect_legacy, to_unicode
from pipeline.pattern_cache import compiled

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that text never holds; counted in C, not character by character.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\n\r\t\f\v\x1a")  # \x1a: DOS end of file
# The same in decoded text (below 32 but \t \n \v \f \r), counted as the bytes they are in UTF-8.
_CONTROL_CHAR_BYTES = bytes(b for b in range(32) if b not in b"\n\r\t\f\v")


def _control_chars(text: str) -> int:
    """Control characters in ``text``: in UTF-8 a character below 32 is that byte and no other is."""
    return _control_bytes(text.encode("utf-8", "surrogatepass"))


def _control_bytes(raw: bytes) -> int:
    return len(raw) - len(raw.translate(None, _CONTROL_CHAR_BYTES))


def _too_many_controls(text: str, utf8: bytes | None) -> bool:
    """Whether the first 20000 characters hold too many control characters for text.

    ``utf8``: the whole text's UTF-8 bytes when the file is them. Their count bounds the head's,
    so a file with few is passed without encoding the head again (the usual case)."""
    head = text[:20000]
    limit = max(8, len(head) // 50)
    if utf8 is not None and _control_bytes(utf8) <= limit:
        return False
    return _control_chars(head) > limit


def sniff_encoding(data: bytes) -> tuple[str, int]:
    """(codec name, number of BOM bytes to skip) for a text file's bytes."""
    return _sniff(data)[:2]


def _sniff(data: bytes) -> tuple[str, int, str | None]:
    """``sniff_encoding``, and the text when telling UTF-8 needed decoding it already."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom), None
    sample = data[:4000]
    if len(sample) >= 4:
        even_nul = sample[0::2].count(0) / max(1, len(sample[0::2]))
        odd_nul = sample[1::2].count(0) / max(1, len(sample[1::2]))
        if odd_nul > 0.3 and even_nul < 0.05:
            return "utf-16-le", 0, None
        if even_nul > 0.3 and odd_nul < 0.05:
            return "utf-16-be", 0, None
    try:
        return "utf-8", 0, data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1258", 0, None


_TONED = compiled("[\u1ea0-\u1ef9]")  # Vietnamese letters with a tone: three UTF-8 bytes no legacy text forms


def _line_by_line(data: bytes) -> str | None:
    """The text decoded line by line (UTF-8 where a line is UTF-8, Windows-1258 elsewhere), or None when no
    line is UTF-8 Vietnamese: Windows-1258 or TCVN3 bytes do not form toned letters in UTF-8 by chance."""
    out: list[str] = []
    utf8 = False
    for line in data.split(b"\n"):
        try:
            text = line.decode("utf-8")
            utf8 = utf8 or bool(_TONED.search(text))
        except UnicodeDecodeError:
            text = line.decode("cp1258", "replace")
        out.append(text)
    return "\n".join(out) if utf8 else None


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file. Raises IngestError for binary or empty content."""
    return read_text(data)[:2]


# A text file is refused as undecodable past this many damaged characters (one per 100 bytes, at least 8):
# a stray bad surrogate or byte is damage; more is another encoding or no text at all.
_DAMAGE_SHARE = 100
_NUL_RUN = regex.compile(rb"\x00+")


def read_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, notes) of a text file: what could be read, and what was skipped to read it
    (NUL padding, a damaged character), for the document's review. Raises IngestError for binary or
    empty content."""
    if not data or data.isspace():  # as `not data.strip()`, without copying the file
        raise IngestError("empty", "the file is empty or holds only white space")
    notes: list[str] = []
    encoding, skip, text = _sniff(data)
    if not encoding.startswith(("utf-16", "utf-32")):
        if b"\x00" in data:  # no 8-bit text holds NUL: a file padded with them (a fixed-size record, a preallocated file)
            nuls = data.count(0)
            data = _NUL_RUN.sub(b"", data)
            if not data.strip():
                raise IngestError("empty", "the file holds only NUL bytes and white space")
            notes.append(f"text: {nuls:,} NUL bytes (padding) skipped")
            encoding, skip, text = _sniff(data)
        sample = data[:20000]
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if controls > max(8, len(sample) // 50):
            raise IngestError("binary", "the file holds binary data, not text")
    if encoding == "cp1258":  # not UTF-8: UTF-8 lines among others, or legacy font bytes, or Windows-1258
        if (mixed := _line_by_line(data[skip:])) is not None:
            return mixed, "utf-8+cp1258", notes
        view = bytes_as_legacy_text(data[skip:])  # one byte per character, as the legacy fonts read them
        legacy = detect_legacy(view)
        if legacy:
            return to_unicode(view, legacy), legacy, notes
    if text is None:
        text, damaged = _decode(data[skip:], encoding)
        if damaged:
            notes.append(f"text: {len(damaged):,} damaged character(s) not {encoding} skipped (first at byte {damaged[0] + skip:,})")
    if encoding.startswith(("utf-16", "utf-32")) and "\x00" in text:
        notes.append(f"text: {text.count(chr(0)):,} NUL characters (padding) skipped")
        text = text.replace("\x00", "")
        if not text.strip():
            raise IngestError("empty", "the file holds only NUL characters and white space")
    # Strict UTF-8 decoding is one to one: the file's bytes are the text's UTF-8, not encoded again.
    utf8 = data[skip:] if encoding == "utf-8" else None
    if _too_many_controls(text, utf8):
        raise IngestError("binary", "the file holds binary data, not text")
    legacy = detect_legacy(text, utf8)  # legacy-font characters already decoded (a UTF-8 copy of old text)
    if legacy:
        return to_unicode(text, legacy), legacy, notes
    return text, encoding, notes


def _decode(raw: bytes, encoding: str) -> tuple[str, list[int]]:
    """``raw`` decoded, a damaged character (a lone UTF-16 surrogate, a byte no UTF-8 sequence holds)
    skipped, and where each was. Raises IngestError when the damage is more than a stray character."""
    try:
        return raw.decode(encoding), []
    except UnicodeDecodeError as first:
        limit = max(8, len(raw) // _DAMAGE_SHARE)
        damaged: list[int] = []

        def skip(exc: UnicodeError):
            damaged.append(exc.start)
            if len(damaged) > limit:
                raise IngestError("decode_error", f"cannot decode as {encoding}: {first}") from first
            return "", exc.end

        codecs.register_error("vanban-skip", skip)
        return raw.decode(encoding, "vanban-skip"), damaged
