"""DOCX files that attack the reader's memory or its XML parser: bounded before the memory limit has to."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from conftest import FIXTURES
from pipeline.ingest import ingest_bytes
from pipeline.ingest.errors import IngestError
from pipeline.runner import process_bytes


def _members(name: str = "nd_30_2020.docx") -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / "formats" / name) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_list_starting_at_300_million_gives_short_labels():
    """Roman numerals or letters of 300,000,000 would be millions of characters per label (3.5 GB a worker)."""
    import docx

    from test_ingest_docx import _item, _list, _save

    d = docx.Document()
    roman = _list(d, 901, [("lowerRoman", "%1."), ("lowerLetter", "%2)")], start_override=300_000_000)
    for k in range(40):
        _item(d, f"Nhiệm vụ {k}", roman)
        _item(d, "Việc cụ thể", roman, ilvl=1)
    text = ingest_bytes(_save(d), "list.docx").text
    assert len(text) < 2000
    assert text.splitlines()[0] == "300000000. Nhiệm vụ 0"


def test_an_oversized_numbering_part_is_refused_before_parsing():
    members = _members()
    pad = b"<!-- " + b"x" * (9 << 20) + b" -->"
    members["word/numbering.xml"] = members["word/numbering.xml"].replace(b"?>", b"?>" + pad, 1)
    with pytest.raises(IngestError) as info:
        ingest_bytes(_zip(members), "nd30.docx")
    assert info.value.error_type == "too_large_uncompressed" and "numbering.xml" in info.value.message


def test_memory_error_is_reported_as_memory_not_corrupt(monkeypatch):
    import pipeline.ingest.docx as docx_reader

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(docx_reader._Reader, "blocks", exhausted)
    rows = process_bytes(_zip(_members()), "nd30.docx")
    assert rows["errors"][0]["error_type"] == "memory"


DTD = b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]>'


@pytest.mark.parametrize(
    "hide",
    [
        lambda xml: xml.replace(b"?>", b"?><!-- " + b"x" * 5000 + b" -->" + DTD, 1),  # after a 5 KB comment
        lambda xml: (xml.replace(b"?>", b"?>" + DTD, 1).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')).encode("utf-16"),
    ],
    ids=["after-5kb-comment", "utf-16"],
)
def test_a_dtd_anywhere_in_any_encoding_is_refused(hide):
    members = _members("cv_vp_lang_son.docx")
    members["word/document.xml"] = hide(members["word/document.xml"])
    with pytest.raises(IngestError) as info:
        ingest_bytes(_zip(members), "x.docx")
    assert info.value.error_type == "unsafe_xml"


def test_a_dtd_in_a_part_named_bin_is_refused():
    members = _members("cv_vp_lang_son.docx")
    members["word/customData.bin"] = b'<?xml version="1.0"?>' + DTD + b"<root/>"
    with pytest.raises(IngestError) as info:
        ingest_bytes(_zip(members), "x.docx")
    assert info.value.error_type == "unsafe_xml"
    # an image whose bytes happen to hold the letters is not XML
    members = _members("cv_vp_lang_son.docx")
    members["word/media/image9.png"] = b"\x89PNG\r\n\x1a\n" + DTD
    assert "Lạng Sơn" in ingest_bytes(_zip(members), "x.docx").text
