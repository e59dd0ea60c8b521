"""The ``texts`` table holds what the parser read, so every span can be read back; ``vanban parse FILE``
prints one document's records as JSON."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

import pipeline
from conftest import FIXTURES, ROOT
from pipeline.cli import main
from pipeline.models import SourceText
from pipeline.output.rows import text_rows
from pipeline.query.sql import sql
from pipeline.runner import run
from test_query import dev_out, out, raw_out  # noqa: F401 - fixtures: the outputs are made once per session


def _joined(tables) -> pd.Series:
    t = tables.texts.assign(order=tables.texts.page.fillna(0)).sort_values(["doc_id", "order"])
    return t.groupby("doc_id").text.apply("".join)


def test_spans_read_back_from_texts(out):
    tables = pipeline.load(out)
    text = _joined(tables)
    docs = tables.documents.set_index("doc_id")
    assert set(text.index) == set(docs.index)
    for doc_id, t in text.items():
        assert len(t) == docs.loc[doc_id, "n_chars"]
    for r in tables.references.itertuples():
        assert text[r.doc_id][r.char_start : r.char_end] == r.ref_text
    for r in tables.tasks.itertuples():
        assert text[r.doc_id][r.char_start : r.char_end] == r.text
    for r in tables.recipients.itertuples():  # an entry wrapped over lines is one line in recipient_text
        assert " ".join(r.recipient_text.split()) in " ".join(text[r.doc_id][r.char_start : r.char_end].split())


def test_pages_are_numbered_and_found_by_page(out):
    tables = pipeline.load(out)
    docs = tables.documents.set_index("doc_id")
    for doc_id, pages in tables.texts.groupby("doc_id"):
        n = docs.loc[doc_id, "n_pages"]
        if pd.isna(n):
            assert len(pages) == 1 and pages.page.isna().all()
        else:
            assert sorted(pages.page) == list(range(1, int(n) + 1))
    starts = {}
    for doc_id, pages in tables.texts.dropna(subset=["page"]).sort_values("page").groupby("doc_id"):
        offsets = pages.text.str.len().cumsum().shift(fill_value=0)
        starts[doc_id] = dict(zip(pages.page, offsets))
    for r in tables.references.itertuples():  # the page column agrees with the texts rows
        if r.doc_id in starts and not pd.isna(r.page):
            page_starts = starts[r.doc_id]
            assert r.page == max(p for p, s in page_starts.items() if s <= r.char_start)


def test_text_source_per_page_of_a_scan(raw_out):
    """The OCR'd PDF of data/raw says so page by page."""
    t = sql(raw_out, "SELECT x.text_source FROM texts x JOIN documents d USING (doc_id) WHERE d.text_source = 'ocr'").to_pylist()
    assert t and {r["text_source"] for r in t} == {"ocr"}


@pytest.mark.parametrize(
    "text,starts,pages",
    [
        ("abc", None, [(None, "abc")]),
        ("page one\npage two", [0, 9], [(1, "page one\n"), (2, "page two")]),
        ("one\ntwo", [0, 4, 4], [(1, "one\n"), (2, ""), (3, "two")]),  # an empty page in the middle
        ("xone", [1, 2], [(1, "xo"), (2, "ne")]),  # text before the first start still belongs to page 1
    ],
)
def test_text_rows_join_back_to_the_text(text, starts, pages):
    rows = text_rows("d", SourceText(text=text, source_format="pdf" if starts else "txt", page_starts=starts))
    assert [(r["page"], r["text"]) for r in rows] == pages
    assert "".join(r["text"] for r in rows) == text


def test_an_output_written_before_texts_reads_it_empty(raw_out, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(raw_out, old, ignore=shutil.ignore_patterns("_*", "texts.parquet"))
    assert sql(old, "select count(*) n from texts").to_pylist() == [{"n": 0}]
    assert pipeline.load(old).texts.empty
    assert sql(old, "select count(*) n from documents").to_pylist() == [{"n": pq.read_metadata(old / "documents.parquet").num_rows}]


# -- vanban parse FILE ---------------------------------------------------------------------------------


def _parse(capsys, *argv) -> dict:
    assert main(["parse", *map(str, argv)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", ["ke_hoach_binh_thuan.txt", "cong_van_VP-KT_lang_son.txt"])
def test_parse_gives_what_a_run_writes(raw_out, capsys, name):
    got = _parse(capsys, ROOT / "data" / "raw" / name)
    tables = pipeline.load(raw_out)
    doc = tables.documents[tables.documents.source_path == name].iloc[0]
    assert got["doc_id"] == doc.doc_id and got["document"]["doc_type"] == doc.doc_type
    assert got["document"]["issuer"] == doc.issuer
    tasks = tables.tasks[tables.tasks.doc_id == doc.doc_id]
    agencies = tables.task_agencies[tables.task_agencies.doc_id == doc.doc_id]
    assert [t["text"] for t in got["tasks"]] == list(tasks.text)
    flat = [(t["task_no"], a["role"], a["agency"], a["agency_successor"]) for t in got["tasks"] for a in t["agencies"]]
    want = [(r.task_no, r.role, r.agency, None if pd.isna(r.agency_successor) else r.agency_successor) for r in agencies.itertuples()]
    assert flat == want and any(s for *_, s in flat)  # successors filled as after a run
    refs = tables.references[tables.references.doc_id == doc.doc_id]
    assert [r["ref_number"] for r in got["references"]] == list(refs.ref_number)


def test_parse_text_option_gives_the_pages(capsys):
    got = _parse(capsys, FIXTURES / "formats" / "kh_binh_thuan.pdf", "--text")
    text = "".join(p["text"] for p in got["texts"])
    assert len(text) == got["document"]["n_chars"] and [p["page"] for p in got["texts"]] == list(range(1, got["document"]["n_pages"] + 1))
    assert "texts" not in _parse(capsys, FIXTURES / "formats" / "kh_binh_thuan.pdf")


def test_parse_problems_are_one_line_and_status_1(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "noise.pdf").write_bytes(b"\x00\x01garbage" * 50)
    for path, says in [
        (tmp_path / "missing.txt", "no such file"),
        (tmp_path, "a folder"),
        (tmp_path / "empty.txt", "empty"),
        (tmp_path / "noise.pdf", "noise.pdf: "),
    ]:
        assert main(["parse", str(path)]) == 1
        got = capsys.readouterr()
        assert got.out == "" and got.err.startswith("vanban parse: ") and got.err.count("\n") == 1 and says in got.err


def test_every_engine_writes_texts(tmp_path):
    """In-process and the worker pool write the same texts table."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("ke_hoach_binh_thuan.txt", "qd_1056_tuyen_quang.pdf"):
        shutil.copy((ROOT / "data" / "raw" / name) if (ROOT / "data" / "raw" / name).exists() else FIXTURES / "formats" / name, src / name)
    run(src, tmp_path / "a", progress=False, workers=0)
    run(src, tmp_path / "b", progress=False, workers=2)
    a, b = pq.read_table(tmp_path / "a" / "texts.parquet"), pq.read_table(tmp_path / "b" / "texts.parquet")
    assert a.num_rows > 2 and a.equals(b)
