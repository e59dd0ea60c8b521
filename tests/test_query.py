"""Reading the tables back: ``vanban tasks``, ``vanban query``, ``pipeline.load``, on real outputs.

Each filter is checked against the same question answered independently with pandas
over ``pipeline.load``, on the output of ``data/raw`` and of the dev corpus's text
folders (skipped without ``../shared``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from conftest import ROOT
from pipeline.cli import main
from pipeline.output.schema import TABLES
from pipeline.query.fold import fold, number_key
from pipeline.query.search import has, pattern
from pipeline.query.search import words as search_words
from pipeline.query.sql import connect, quote_references, sql
from pipeline.runner import run

DEV_TEXT_FOLDERS = ("seeds", "tvpl", "vbpl")  # the dev folders with tasks, without the OCR of scans


_MADE: dict[str, Path] = {}


def made_output(which: str, factory, shared: Path | None = None) -> Path:
    """The tables of ``data/raw`` (``raw``) or of the dev corpus's text folders (``dev``), made once per session.

    The query, cites and report tests share them and only read them.
    """
    if which not in _MADE:
        base = factory.mktemp(which)
        if which == "raw":
            src = ROOT / "data" / "raw"
        else:
            src = base / "in"
            for folder in DEV_TEXT_FOLDERS:
                shutil.copytree(shared / "corpus" / "dev" / folder, src / folder)
        run(src, base / "out", progress=False, workers=0)
        _MADE[which] = base / "out"
    return _MADE[which]


@pytest.fixture(scope="module")
def raw_out(tmp_path_factory):
    return made_output("raw", tmp_path_factory)


@pytest.fixture(scope="module")
def dev_out(shared_dir, tmp_path_factory):
    return made_output("dev", tmp_path_factory, shared_dir)


@pytest.fixture(params=["raw", "dev"])
def out(request):
    return request.getfixturevalue(f"{request.param}_out")


def _ascii(text: str) -> str:
    """What someone types without a Vietnamese keyboard: no diacritics, đ as d (independent of ``fold``)."""
    s = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c))


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", _ascii(text).lower()))


def _has_words(name, words: str) -> bool:
    """``words`` (already plain) appear in ``name`` as whole words."""
    if name is None or name is pd.NA:
        return False
    return re.search(rf"(^| ){re.escape(words)}( |$)", _words(str(name))) is not None


def _eq(value, wanted) -> bool:
    return not pd.isna(value) and value == wanted


def _cli(capsys, *argv) -> str:
    assert main(list(map(str, argv))) == 0
    return capsys.readouterr().out


def _tasks_json(capsys, out, *filters) -> list[dict]:
    return json.loads(_cli(capsys, "tasks", out, *filters, "--format", "json"))


def _keys(rows) -> set[tuple[str, int]]:
    return {(r["doc_id"], int(r["task_no"])) for r in rows}


def _expected(tables, keep) -> set[tuple[str, int]]:
    t = tables.tasks.merge(tables.documents, on="doc_id", how="left", suffixes=("", "_doc"))
    return {(r.doc_id, int(r.task_no)) for r in t.itertuples() if keep(r)}


# -- vanban tasks -----------------------------------------------------------------------------------


def _top_agency(tables) -> str:
    return tables.task_agencies.agency.value_counts().index[0]


def test_agency_typed_without_diacritics_finds_lead_and_cooperating(out, capsys):
    tables = pipeline.load(out)
    name = _top_agency(tables)
    typed = _ascii(name).lower()
    assert typed != name.lower()  # the test really drops diacritics
    words = _words(typed)
    a = tables.task_agencies
    named = {(r.doc_id, int(r.task_no)) for r in a.itertuples() if any(_has_words(n, words) for n in (r.agency, r.agency_text, r.agency_successor))}
    named |= {(r.doc_id, int(r.task_no)) for r in tables.tasks.itertuples() if _has_words(r.lead_agency, words)}
    got = _keys(_tasks_json(capsys, out, "--agency", typed))
    assert got == named and got
    assert _keys(_tasks_json(capsys, out, "--agency", name.upper())) == got  # case does not matter
    lead = _keys(_tasks_json(capsys, out, "--agency", typed, "--role", "lead"))
    support = _keys(_tasks_json(capsys, out, "--agency", typed, "--role", "support"))
    assert lead | support == got
    supports = {
        (r.doc_id, int(r.task_no))
        for r in a[a.role == "support"].itertuples()
        if any(_has_words(n, words) for n in (r.agency, r.agency_text, r.agency_successor))
    }
    assert support == supports


def test_agency_with_d_stroke_typed_as_d(raw_out, capsys):
    tables = pipeline.load(raw_out)
    with_stroke = sorted({n for n in tables.task_agencies.agency.dropna() if "Đ" in n or "đ" in n})
    assert with_stroke, "data/raw has agencies spelled with Đ"
    for name in with_stroke:
        rows = _tasks_json(capsys, raw_out, "--agency", _ascii(name).lower())
        assert rows
        for r in rows:
            a = tables.task_agencies
            mine = a[(a.doc_id == r["doc_id"]) & (a.task_no == r["task_no"])].agency.tolist() + [r["lead_agency"]]
            assert any(_has_words(m, _words(name)) for m in mine)


def test_agency_matches_whole_words_only(raw_out, capsys):
    assert _tasks_json(capsys, raw_out, "--agency", "cong thuong")
    assert _tasks_json(capsys, raw_out, "--agency", "cong thu") == []


def _overlaps(r, lo: dt.date, hi: dt.date) -> bool:
    start, end = r.deadline_start, r.deadline_end
    if pd.isna(start) and pd.isna(end):
        return False
    return (pd.isna(start) or start.date() <= hi) and (pd.isna(end) or end.date() >= lo)


def test_due_range_keeps_tasks_whose_window_overlaps(out, capsys):
    tables = pipeline.load(out)
    ends = tables.tasks.deadline_end.dropna().sort_values()
    assert len(ends), "the output has dated deadlines"
    lo = ends.iloc[len(ends) // 2].date().replace(day=1)
    hi = (pd.Timestamp(lo) + pd.offsets.MonthEnd(2)).date()
    got = _keys(_tasks_json(capsys, out, "--due-from", lo, "--due-to", hi))
    assert got == _expected(tables, lambda r: _overlaps(r, lo, hi)) and got
    # one bound only: an open window on the other side
    later = _keys(_tasks_json(capsys, out, "--due-from", hi))
    assert later == _expected(tables, lambda r: _overlaps(r, hi, dt.date.max))


def test_raw_quarter_two_of_2024(raw_out, capsys):
    rows = _tasks_json(capsys, raw_out, "--agency", "SO CONG THUONG", "--due-from", "2024-04-01", "--due-to", "2024-06-30")
    kinds = {r["deadline_kind"] for r in rows}
    assert rows and kinds <= {"date", "month", "quarter", "year", "range", "ongoing", "recurring"}
    for r in rows:
        assert (r["deadline_start"] or "0000") <= "2024-06-30" and (r["deadline_end"] or "9999") >= "2024-04-01"


def test_document_filters(out, capsys):
    tables = pipeline.load(out)
    docs = tables.documents[tables.documents.doc_id.isin(tables.tasks.doc_id)]
    doc_type = docs.doc_type.dropna().value_counts().index[0]
    issuer = docs.issuer.dropna().value_counts().index[0]
    year = int(docs.issue_year.dropna().value_counts().index[0])
    got = _keys(_tasks_json(capsys, out, "--doc-type", _ascii(doc_type).upper()))
    assert got == _expected(tables, lambda r: _eq(r.doc_type, doc_type)) and got
    got = _keys(_tasks_json(capsys, out, "--issuer", _ascii(issuer)))
    assert got == _expected(tables, lambda r: _has_words(r.issuer, _words(issuer)))
    got = _keys(_tasks_json(capsys, out, "--year", year))
    assert got == _expected(tables, lambda r: _eq(r.issue_year, year)) and got


def test_kind(out, capsys):
    tables = pipeline.load(out)
    kind = tables.tasks.deadline_kind.dropna().value_counts().index[0]
    got = _keys(_tasks_json(capsys, out, "--kind", kind.upper()))
    assert got == _expected(tables, lambda r: _eq(r.deadline_kind, kind)) and got


def _has_phrase(text, phrase: str) -> bool:
    """``phrase`` (plain words) stands in ``text`` as adjacent whole words, diacritics aside."""
    return not pd.isna(text) and f" {_words(phrase)} " in f" {_words(str(text))} "


def test_text_is_a_phrase_of_adjacent_words(out, capsys):
    tables = pipeline.load(out)
    got = _keys(_tasks_json(capsys, out, "--text", "BAO CAO"))
    assert got == _expected(tables, lambda r: _has_phrase(r.text, "bao cao")) and got
    anywhere = _expected(tables, lambda r: _has_words(r.text, "bao") and _has_words(r.text, "cao"))
    assert got <= anywhere
    if out.parent.name.startswith("raw"):  # data/raw has a task with both words apart (`nâng cao … bảo`)
        assert got < anywhere


def test_text_respects_the_diacritics_typed(out, capsys):
    tables = pipeline.load(out)
    exact = _keys(_tasks_json(capsys, out, "--text", "báo cáo"))
    assert exact == _expected(tables, lambda r: not pd.isna(r.text) and " báo cáo " in f" {search_words(r.text)} ") and exact
    loose = _keys(_tasks_json(capsys, out, "--text", "bao cao"))
    assert exact <= loose
    other = _expected(tables, lambda r: _has_phrase(r.text, "bao cao") and " báo cáo " not in f" {search_words(r.text)} ")
    assert loose == exact | other


def test_quoted_phrases_and_repeated_text_all_hold(out, capsys):
    a = _keys(_tasks_json(capsys, out, "--text", "bao cao"))
    b = _keys(_tasks_json(capsys, out, "--text", "ket qua"))
    both = _keys(_tasks_json(capsys, out, "--text", '"bao cao" "ket qua"'))
    assert both == a & b == _keys(_tasks_json(capsys, out, "--text", "bao cao", "--text", "ket qua"))
    words_apart = _keys(_tasks_json(capsys, out, "--text", '"bao cao" ket qua'))  # words outside quotes stand alone
    tables = pipeline.load(out)
    assert words_apart == _expected(tables, lambda r: _has_phrase(r.text, "bao cao") and _has_words(r.text, "ket") and _has_words(r.text, "qua"))


def test_empty_text_is_a_one_line_error(raw_out, capsys):
    assert main(["tasks", str(raw_out), "--text", '""']) == 2
    assert capsys.readouterr().err.startswith("vanban tasks: nothing to search for")


def test_agency_matches_the_printed_name(raw_out, capsys):
    tables = pipeline.load(raw_out)
    a = tables.task_agencies
    printed = a[[not _has_words(n, _words(t)) for n, t in zip(a.agency, a.agency_text)]]  # `UBND …` for `Ủy ban nhân dân …`
    assert len(printed)
    typed = printed.agency_text.value_counts().index[0]
    got = _keys(_tasks_json(capsys, raw_out, "--agency", typed))
    assert {(r.doc_id, int(r.task_no)) for r in printed[printed.agency_text == typed].itertuples()} <= got


def test_agency_matches_today_s_name(raw_out, capsys):
    tables = pipeline.load(raw_out)
    a = tables.task_agencies.dropna(subset=["agency_successor"])
    renamed = a[[not _has_words(s, _words(n)) for n, s in zip(a.agency, a.agency_successor)]]
    assert len(renamed), "data/raw has agencies renamed in 2025 (Sở Kế hoạch và Đầu tư)"
    for successor in sorted(set(renamed.agency_successor)):
        got = _keys(_tasks_json(capsys, raw_out, "--agency", _ascii(successor)))
        wanted = {(r.doc_id, int(r.task_no)) for r in a.itertuples() if _has_phrase(r.agency_successor, successor)}
        assert wanted <= got, successor


def test_cites_compares_normalized_numbers(out, capsys):
    tables = pipeline.load(out)
    refs = tables.references[tables.references.doc_id.isin(tables.tasks.doc_id)]
    number = refs.ref_number[refs.ref_number.str.contains("Đ", na=False)].value_counts().index[0]
    citing = set(refs[refs.ref_number == number].doc_id)
    typed = " " + number.replace("Đ", "d").lower().replace("/", " / ") + " "
    got = _keys(_tasks_json(capsys, out, "--cites", typed))
    assert got == _expected(tables, lambda r: r.doc_id in citing) and got


def test_filters_combine(raw_out, capsys):
    every = _keys(_tasks_json(capsys, raw_out))
    a = _keys(_tasks_json(capsys, raw_out, "--agency", "so cong thuong"))
    b = _keys(_tasks_json(capsys, raw_out, "--kind", "year"))
    assert _keys(_tasks_json(capsys, raw_out, "--agency", "so cong thuong", "--kind", "year")) == a & b
    assert len(every) == len(pipeline.load(raw_out).tasks)


def test_task_formats_hold_the_same_rows(raw_out, capsys, tmp_path):
    filters = ["--agency", "so cong thuong"]
    as_json = _tasks_json(capsys, raw_out, *filters)
    as_csv = list(csv.DictReader(io.StringIO(_cli(capsys, "tasks", raw_out, *filters, "--format", "csv"))))
    assert [(r["doc_id"], int(r["task_no"]), r["text"]) for r in as_csv] == [(r["doc_id"], r["task_no"], r["text"]) for r in as_json]
    _cli(capsys, "tasks", raw_out, *filters, "--format", "parquet", "-o", tmp_path / "t.parquet")
    table = pq.read_table(tmp_path / "t.parquet")
    assert table.schema.field("deadline_end").type == pa.date32()
    assert table.column("doc_id").to_pylist() == [r["doc_id"] for r in as_json]
    text = _cli(capsys, "tasks", raw_out, *filters)
    lines = text.splitlines()
    assert lines[0].split() == ["document", "path", "lead_agency", "support", "deadline_start", "deadline_end", "text"]
    assert lines[-1] == f"({len(as_json)} tasks)"
    assert len(lines) == len(as_json) + 3
    assert main(["tasks", str(raw_out), "--format", "parquet"]) == 2
    assert "-o FILE" in capsys.readouterr().err


# -- vanban query -----------------------------------------------------------------------------------


def test_query_references_bare_or_quoted(out, capsys):
    n = len(pipeline.load(out).references)
    for q in ("SELECT count(*) AS n FROM references", 'select count(*) as n from "references"', "select count(*) n from REFERENCES r"):
        assert json.loads(_cli(capsys, "query", out, q, "--format", "json")) == [{"n": n}]


def test_query_joins_tables(out):
    tables = pipeline.load(out)
    got = sql(
        out,
        """SELECT d.doc_type, count(*) AS n FROM tasks t JOIN documents d USING (doc_id)
           GROUP BY ALL ORDER BY n DESC, d.doc_type""",
    ).to_pylist()
    expected = tables.tasks.merge(tables.documents, on="doc_id").groupby("doc_type").size()
    assert {r["doc_type"]: r["n"] for r in got} == expected.to_dict()


def test_bad_sql_or_output_is_one_line_not_a_traceback(raw_out, tmp_path, capsys):
    assert main(["query", str(raw_out), "select nope from tasks"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vanban query: ") and "nope" in err
    assert main(["tasks", str(tmp_path), "--agency", "so tu phap"]) == 2
    assert "no table" in capsys.readouterr().err


def test_quote_references_leaves_strings_and_comments():
    q = "select 'references', \"references\".x from references -- references\n/* references */ join refs.references"
    assert quote_references(q) == (
        "select 'references', \"references\".x from \"references\" -- references\n/* references */ join refs.references"
    )


def test_sql_keys_equal_python_keys(out):
    """The DuckDB macros and the Python functions fold every real string the same way."""
    con = connect(out)
    texts = con.sql(
        """SELECT DISTINCT s FROM (SELECT agency AS s FROM task_agencies UNION ALL SELECT issuer FROM documents
           UNION ALL SELECT doc_type FROM documents UNION ALL SELECT text FROM tasks UNION ALL SELECT ref_issuer FROM "references")
           WHERE s IS NOT NULL"""
    ).fetchall()
    texts = [t[0] for t in texts] + ["Ð Đ đ hoà hòa THUỶ", "  Sở   Công-Thương ", "Ủy ban; UBND, (tỉnh)"]
    folded = dict(con.execute("SELECT s, vn_fold(s) FROM unnest(?) AS u(s)", [texts]).fetchall())
    assert len(texts) > 20 and all(folded[t] == fold(t) for t in texts)
    numbers = [n for (n,) in con.sql('SELECT ref_number FROM "references" UNION SELECT doc_number FROM documents').fetchall() if n]
    numbers += ["06/2022/QĐ-UBND", "32/2024/NÐ-CP", "119–KH/TU"]
    keyed = dict(con.execute("SELECT s, number_key(s) FROM unnest(?) AS u(s)", [numbers]).fetchall())
    assert all(keyed[n] == number_key(n) for n in numbers)
    assert number_key("06/2022/qđ - ubnd") == number_key("6/2022/QD-UBND")
    # the search key and the phrase test, in the engine and in Python, on every real text
    texts += ["Uỷ ban thuỷ lợi, QUÝ, hoà-giải", "Ð Hòa\u0301", "Khánh Hoà 2024", "uỷ"]
    worded = dict(con.execute("SELECT s, vn_words(s) FROM unnest(?) AS u(s)", [texts]).fetchall())
    assert all(worded[t] == search_words(t) for t in texts)
    for phrase in ("bao cao", "báo cáo", "ủy ban nhân dân", "so tai chinh", "Hoà", "2024"):
        pat = pattern(phrase)
        found = dict(con.execute("SELECT s, vn_has(s, ?) FROM unnest(?) AS u(s)", [pat, texts]).fetchall())
        assert all(found[t] == has(t, pat) for t in texts), phrase


def test_query_output_written_before_ref_doc_id_existed(raw_out, tmp_path):
    """An output of an older version lacks the column: it reads as null instead of failing."""
    old = tmp_path / "old"
    shutil.copytree(raw_out, old, ignore=shutil.ignore_patterns("_*"))
    refs = pq.read_table(old / "references.parquet").drop_columns(["ref_doc_id"])
    pq.write_table(refs, old / "references.parquet")
    got = sql(old, "select count(*) n, count(ref_doc_id) linked from references").to_pylist()
    assert got == [{"n": refs.num_rows, "linked": 0}]
    assert pipeline.load(old).references.ref_doc_id.isna().all()


def test_query_on_a_partitioned_output_equals_the_flat_one(raw_out, tmp_path, capsys):
    parted = tmp_path / "parted"
    run(ROOT / "data" / "raw", parted, progress=False, workers=0, partition_by="issue_year")
    assert (parted / "documents").is_dir() and not (parted / "documents.parquet").exists()
    for name in TABLES:
        q = f'select * from "{name}" order by all'
        assert sql(parted, q).equals(sql(raw_out, q)), name
    filters = ["--agency", "so cong thuong", "--due-from", "2024-01-01", "--due-to", "2024-12-31", "--format", "json"]
    assert _cli(capsys, "tasks", parted, *filters) == _cli(capsys, "tasks", raw_out, *filters)


# -- pipeline.load ----------------------------------------------------------------------------------


def test_load_gives_the_schema_dtypes(raw_out):
    tables = pipeline.load(raw_out)
    assert tables.keys() == list(TABLES)
    for name, df in tables.items():
        assert list(df.columns) == TABLES[name].names
        assert len(df) == pq.read_metadata(raw_out / f"{name}.parquet").num_rows
    docs = tables["documents"]
    assert isinstance(docs.doc_id.dtype, pd.StringDtype) and docs.doc_type.isna().any()
    assert str(docs.issue_year.dtype) == "Int16" and str(docs.n_pages.dtype) == "Int32" and docs.n_pages.isna().any()
    assert str(docs.issue_month.dtype) == "Int8"
    assert pd.api.types.is_datetime64_any_dtype(docs.issue_date)
    assert pd.api.types.is_datetime64_any_dtype(tables.tasks.deadline_end)
    assert str(tables.tasks.task_no.dtype) == "Int32"
    assert (tables.tasks.deadline_end.dropna() >= pd.Timestamp("1990-01-01")).all()


def test_load_reads_an_fsspec_url(tmp_path):
    import fsspec

    src = tmp_path / "in"
    src.mkdir()
    for name in ("cong_van_VP-KT_lang_son.txt", "ke_hoach_binh_thuan.txt"):
        shutil.copy(ROOT / "data" / "raw" / name, src / name)
    url = "memory://vanban-query-test/out"
    try:
        run(src, url, progress=False, workers=0, state_dir=str(tmp_path / "state"))
        run(src, tmp_path / "local", progress=False, workers=0)
        remote, local = pipeline.load(url), pipeline.load(tmp_path / "local")
        for name in TABLES:
            pd.testing.assert_frame_equal(remote[name], local[name])
        assert sql(url, "select count(*) n from tasks").to_pylist() == [{"n": len(local.tasks)}]
    finally:
        fsspec.filesystem("memory").rm("/vanban-query-test", recursive=True)


@pytest.mark.parametrize("column", ["issue_year", "issuer"])
def test_standard_hive_layout_reads_like_the_flat_one(raw_out, tmp_path, column):
    """Files that leave the partition column to their folder's name (as Spark and pandas write them) read the same."""
    from pipeline.output.citations import NumberIndex
    from pipeline.output.successors import _contexts
    from pipeline.query.files import Output

    parted = tmp_path / "parted"
    run(ROOT / "data" / "raw", parted, progress=False, workers=0, partition_by=column)
    for f in (parted / "documents").rglob("*.parquet"):  # vanban writes them so now; an older output held the column
        assert column not in pq.read_schema(f).names
    q = "select * from documents order by all"
    assert sql(parted, q).equals(sql(raw_out, q))
    key = ["doc_id"]
    a = pipeline.load(parted).documents.sort_values(key).reset_index(drop=True)
    b = pipeline.load(raw_out).documents.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert NumberIndex.of_output(Output.at(parted)).by_key == NumberIndex.of_output(Output.at(raw_out)).by_key
    assert _contexts(Output.at(parted)) == _contexts(Output.at(raw_out))
