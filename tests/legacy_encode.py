"""Reverse encoders: real Vietnamese to what a TCVN3 or VNI font stored, to test conversion against.

Built independently of ``pipeline.ingest.legacy_fonts``: from the letter tables in
``rules/legacy_fonts.toml`` read in the other direction (letter → legacy), with TCVN3's missing
toned capitals written as the lowercase code, as the capitals-only ``.VnTimeH`` font had them.
"""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

RULES = Path(__file__).resolve().parent.parent / "rules" / "legacy_fonts.toml"
_DATA = tomllib.loads(RULES.read_text(encoding="utf-8"))
_TCVN3 = dict(_DATA["tcvn3"]["letters"])
_VNI = dict(_DATA["vni"]["letters"])

# The 134 Vietnamese letters with diacritics: 67 lowercase, 67 capitals.
LOWER = sorted({u for u in _VNI if u.islower()})
UPPER = [u.upper() for u in LOWER]


def to_tcvn3(text: str) -> str:
    """``text`` as TCVN3 characters (one per letter; toned capitals as the lowercase code)."""
    out = []
    for c in unicodedata.normalize("NFC", text):
        if c in _TCVN3:
            out.append(_TCVN3[c])
        elif c.lower() in _TCVN3 and c != c.lower():
            out.append(_TCVN3[c.lower()])
        else:
            out.append(c)
    return "".join(out)


def to_vni(text: str) -> str:
    """``text`` as VNI characters (base letter plus mark character)."""
    return "".join(_VNI.get(c, c) for c in unicodedata.normalize("NFC", text))


def tcvn3_bytes(text: str) -> bytes:
    """A TCVN3 text file's bytes: one byte per character (Windows-1252 for punctuation beyond Latin-1)."""
    return b"".join(c.encode("latin-1") if ord(c) < 0x100 else c.encode("cp1252", "replace") for c in to_tcvn3(text))


def cp1258_bytes(text: str) -> bytes:
    """A Windows-1258 text file's bytes: base letters precomposed where cp1258 can, tone marks combining."""
    out = bytearray()
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    for c in unicodedata.normalize("NFC", text):
        try:
            out += c.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", c)
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones))
        marks = "".join(m for m in decomposed if m in tones)
        out += (base + marks).encode("cp1258", errors="replace")
    return bytes(out)
