"""The citation graph: ``references.ref_doc_id`` filled after a run, and ``vanban cites`` on real outputs."""

from __future__ import annotations

import datetime as dt
import re
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline
from conftest import ROOT
from pipeline.cli import main
from pipeline.output.citations import LINKED, link_citations
from pipeline.output.schema import TABLES
from pipeline.parse.numbers import normalize_number
from pipeline.query.fold import number_key
from pipeline.runner import run
from test_query import dev_out, out, raw_out  # noqa: F401 - fixtures: the outputs are made once per session


def _cites(capsys, out, number) -> dict:
    assert main(["cites", str(out), number, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


# -- the links a run writes -------------------------------------------------------------------------


def test_every_link_names_another_document_with_the_cited_number(out):
    tables = pipeline.load(out)
    docs = tables.documents.set_index("doc_id")
    refs = tables.references
    linked = refs[refs.ref_doc_id.notna()]
    assert len(linked) > 0
    for r in linked.itertuples():
        assert r.ref_doc_id != r.doc_id
        assert number_key(docs.loc[r.ref_doc_id, "doc_number"]) == number_key(r.ref_number)
    # and every citation whose number one other document carries is linked
    by_key: dict[str, set[str]] = {}
    for d in tables.documents.dropna(subset=["doc_number"]).itertuples():
        by_key.setdefault(number_key(d.doc_number), set()).add(d.doc_id)
    for r in refs.itertuples():
        others = by_key.get(number_key(r.ref_number), set()) - {r.doc_id}
        if len(others) == 1:
            assert r.ref_doc_id == next(iter(others)), r.ref_number


def test_links_agree_with_gold_numbers(dev_out, shared_dir):
    """A linked document's number, as the gold annotation reads it, is the number cited."""
    tables = pipeline.load(dev_out)
    path_of = dict(zip(tables.documents.doc_id, tables.documents.source_path))
    linked = tables.references[tables.references.ref_doc_id.notna()]
    checked = 0
    for r in linked.itertuples():
        gold_file = shared_dir / "gold" / "dev" / f"{path_of[r.ref_doc_id]}.json"
        if not gold_file.exists():
            continue
        gold_number = json.loads(gold_file.read_text(encoding="utf-8")).get("document", {}).get("doc_number")
        if gold_number:
            assert number_key(normalize_number(gold_number)) == number_key(r.ref_number), (r.ref_number, gold_file.name)
            checked += 1
    assert checked >= 5


def test_raw_links_the_appendix_to_its_decree(raw_out):
    """data/raw holds Nghị định 30/2020/NĐ-CP and an appendix that cites it."""
    tables = pipeline.load(raw_out)
    docs = tables.documents
    decree = docs[docs.doc_number == "30/2020/NĐ-CP"].doc_id.tolist()
    assert len(decree) == 1
    refs = tables.references
    citing = refs[refs.ref_number == "30/2020/NĐ-CP"]
    assert len(citing) and (citing.ref_doc_id == decree[0]).all()


def test_partitioned_and_fsspec_outputs_are_linked_like_the_flat_one(raw_out, tmp_path):
    import fsspec

    flat = pq.read_table(raw_out / "references.parquet").sort_by([("doc_id", "ascending"), ("char_start", "ascending")])
    parted = tmp_path / "parted"
    run(ROOT / "data" / "raw", parted, progress=False, workers=0, partition_by="issue_year")
    files = sorted((parted / "references").rglob("*.parquet"))
    assert len(files) > 1
    for f in files:
        assert LINKED in (pq.read_schema(f).metadata or {})
    table = pipeline.load(parted).references
    assert table.ref_doc_id.notna().sum() == flat.column("ref_doc_id").drop_null().length()
    url = "memory://vanban-cites-test/out"
    try:
        run(ROOT / "data" / "raw", url, progress=False, workers=0, state_dir=str(tmp_path / "state"))
        with fsspec.open(f"{url}/references.parquet", "rb") as fh:
            remote = pq.read_table(fh)
        assert remote.sort_by([("doc_id", "ascending"), ("char_start", "ascending")]).equals(flat)
    finally:
        fsspec.filesystem("memory").rm("/vanban-cites-test", recursive=True)


# -- the rules, on a small made-up output -----------------------------------------------------------


def _doc(doc_id, path, number, doc_type="Quyết định", issuer="Ủy ban nhân dân tỉnh Tây Ninh", date=dt.date(2021, 12, 30)):
    return {"doc_id": doc_id, "source_path": path, "doc_number": number, "doc_type": doc_type, "issuer": issuer, "issue_date": date}


def _ref(citing, number, ref_type=None, issuer=None, date=None):
    return {"doc_id": citing, "ref_number": number, "ref_type": ref_type, "ref_issuer": issuer, "ref_date": date, "char_start": 0}


def _write_output(root, docs, refs, row_group=2, schema=TABLES["references"]):
    root.mkdir()
    for name in TABLES:
        rows = docs if name == "documents" else refs if name == "references" else []
        s = schema if name == "references" else TABLES[name]
        pq.write_table(pa.Table.from_pylist(rows, schema=s), root / f"{name}.parquet", row_group_size=row_group)


CASES = [
    # (what the citation prints, the documents with that number, the document it names)
    ("one document carries the number", _ref("X", "06/2022/qđ-ubnd"), [_doc("A", "a.txt", "6/2022/QĐ-UBND")], "A"),
    ("no document carries it", _ref("X", "7/2022/QĐ-UBND"), [_doc("A", "a.txt", "6/2022/QĐ-UBND")], None),
    ("a document never cites itself", _ref("A", "6/2022/QĐ-UBND"), [_doc("A", "a.txt", "6/2022/QĐ-UBND")], None),
    (
        "copies of one document: the first by path",
        _ref("X", "3745/QĐ-UBND"),
        [_doc("C", "b/q.pdf", "3745/QĐ-UBND"), _doc("B", "a/q.docx", "3745/QĐ-UBND")],
        "B",
    ),
    (
        "two bodies use the number: the printed issuer decides",
        _ref("X", "543/SCT-QLCN", "Công văn", "Sở Công Thương tỉnh Lạng Sơn"),
        [
            _doc("L", "l.txt", "543/SCT-QLCN", "Công văn", "Sở Công Thương tỉnh Lạng Sơn", dt.date(2024, 4, 15)),
            _doc("K", "k.txt", "543/SCT-QLCN", "Công văn", "Sở Công Thương tỉnh Kon Tum", dt.date(2023, 1, 2)),
        ],
        "L",
    ),
    (
        "two bodies use the number: the printed date decides",
        _ref("X", "543/SCT-QLCN", date=dt.date(2023, 1, 2)),
        [
            _doc("L", "l.txt", "543/SCT-QLCN", "Công văn", "Sở Công Thương tỉnh Lạng Sơn", dt.date(2024, 4, 15)),
            _doc("K", "k.txt", "543/SCT-QLCN", "Công văn", "Sở Công Thương tỉnh Kon Tum", dt.date(2023, 1, 2)),
        ],
        "K",
    ),
    (
        "two bodies use the number and nothing tells them apart",
        _ref("X", "543/SCT-QLCN", "Công văn"),
        [
            _doc("L", "l.txt", "543/SCT-QLCN", "Công văn", "Sở Công Thương tỉnh Lạng Sơn", dt.date(2024, 4, 15)),
            _doc("K", "k.txt", "543/SCT-QLCN", "Công văn", "Sở Công Thương tỉnh Kon Tum", dt.date(2023, 1, 2)),
        ],
        None,
    ),
    (
        "a cut-short issuer still tells them apart by type",
        _ref("X", "12/UBND-KT", "Quyết định", "Ủy ban nhân dân tỉnh"),
        [
            _doc("Q", "q.txt", "12/UBND-KT", "Quyết định", "Ủy ban nhân dân tỉnh Bình Thuận", None),
            _doc("C", "c.txt", "12/UBND-KT", "Công văn", "Ủy ban nhân dân tỉnh Bình Thuận", None),
        ],
        "Q",
    ),
]


@pytest.mark.parametrize("case, ref, docs, expected", CASES, ids=[c[0] for c in CASES])
def test_resolution_rules(tmp_path, case, ref, docs, expected):
    _write_output(tmp_path / "out", docs, [ref])
    link_citations(tmp_path / "out")
    assert pq.read_table(tmp_path / "out" / "references.parquet").column("ref_doc_id").to_pylist() == [expected]


def test_rewrite_keeps_row_groups_rows_and_order_and_runs_once(tmp_path):
    docs = [_doc(f"D{i}", f"{i:03d}.txt", f"{i}/2024/QĐ-UBND") for i in range(30)]
    refs = [_ref(f"D{(i * 7) % 30}", f"{i % 40}/2024/QD-UBND") for i in range(100)]
    old_schema = pa.schema([f for f in TABLES["references"] if f.name != "ref_doc_id"])  # written before the column existed
    _write_output(tmp_path / "out", docs, refs, row_group=16, schema=old_schema)
    path = tmp_path / "out" / "references.parquet"
    before = pq.read_table(path)
    linked = link_citations(tmp_path / "out")
    after = pq.ParquetFile(path)
    assert after.num_row_groups == 7
    table = after.read()
    assert table.schema.equals(TABLES["references"]) and LINKED in table.schema.metadata
    assert table.drop_columns(["ref_doc_id"]).equals(before)
    want = [None if (i % 40) >= 30 or (i % 40) == (i * 7) % 30 else f"D{i % 40}" for i in range(100)]
    assert table.column("ref_doc_id").to_pylist() == want
    assert linked == sum(w is not None for w in want)
    mtime = path.stat().st_mtime_ns
    assert link_citations(tmp_path / "out") == 0 and path.stat().st_mtime_ns == mtime  # linked already: not rewritten
    assert not list((tmp_path / "out").glob(".*.tmp"))


# -- vanban cites -----------------------------------------------------------------------------------


def test_cites_lists_both_directions(out, capsys):
    tables = pipeline.load(out)
    refs = tables.references
    target = refs[refs.ref_doc_id.notna()].ref_doc_id.value_counts().index[0]
    number = tables.documents.set_index("doc_id").loc[target, "doc_number"]
    typed = number.replace("Đ", "D").lower()
    got = _cites(capsys, out, typed)
    assert target in [d["doc_id"] for d in got["documents"]]
    key = number_key(number)
    citing = sorted(set(refs[refs.ref_number.map(number_key) == key].doc_id))
    assert sorted({r["doc_id"] for r in got["cited_by"]}) == citing and citing
    own = refs[refs.doc_id.isin([d["doc_id"] for d in got["documents"]])]
    assert {number_key(r["ref_number"]) for r in got["cites"]} == set(own.ref_number.map(number_key))
    assert main(["cites", str(out), typed]) == 0
    text = capsys.readouterr().out
    assert f"Cited by ({len(got['cited_by'])}):" in text and f"Cites ({len(got['cites'])}):" in text


def test_cites_a_number_not_in_the_output(raw_out, capsys):
    tables = pipeline.load(raw_out)
    in_output = set(tables.documents.doc_number.dropna().map(number_key))
    cited = tables.references.ref_number.map(number_key)
    outside = tables.references[~cited.isin(in_output)].ref_number.value_counts().index[0]
    got = _cites(capsys, raw_out, outside)
    assert got["documents"] == [] and got["cites"] == []
    assert len(got["cited_by"]) == int((cited == number_key(outside)).sum()) > 0
    main(["cites", str(raw_out), outside])
    assert "not in the output" in capsys.readouterr().out


# -- how people write numbers -----------------------------------------------------------------------


def _ways_of_writing(number: str, doc_type: str | None) -> list[str]:
    """The ways a person types ``number``: with its type, without diacritics, without its symbol, symbol first."""
    ascii_ = number.replace("Đ", "D").replace("đ", "d")
    ways = [number, ascii_.lower(), f"số {number.replace('/', ' / ')}"]
    if doc_type:
        ways.append(f"{doc_type} {number}")
    m = re.match(r"(\d+)/((?:19|20)\d\d)/(.+)", number)
    if m:
        ways += [f"{m[1]}/{m[2]}", f"{m[3].lower()} {m[1]}/{m[2]}"]
    return ways


def test_cites_accepts_how_people_write_numbers(out, capsys):
    tables = pipeline.load(out)
    refs = tables.references
    docs = tables.documents.set_index("doc_id")
    target = refs[refs.ref_doc_id.notna()].ref_doc_id.value_counts().index[0]
    number, doc_type = docs.loc[target, "doc_number"], docs.loc[target, "doc_type"]
    exact = _cites(capsys, out, number)
    assert exact["documents"] and exact["cited_by"]
    for typed in _ways_of_writing(number, doc_type):
        got = _cites(capsys, out, typed)
        assert got["documents"] == exact["documents"] and got["cited_by"] == exact["cited_by"], typed


def test_raw_decree_30_2020_every_way(raw_out, capsys):
    """The README's example, as the issue typed it."""
    for typed in ("Nghị định 30/2020/NĐ-CP", "30/2020/ND-CP", "30/2020", "nđ-cp 30/2020"):
        got = _cites(capsys, raw_out, typed)
        assert [d["doc_number"] for d in got["documents"]] == ["30/2020/NĐ-CP"], typed


def test_nothing_matches_suggests_close_numbers_in_one_line(raw_out, capsys):
    tables = pipeline.load(raw_out)
    number = tables.documents.doc_number.dropna().iloc[0]
    m = re.match(r"(\d+)(.*)", number)
    typo = f"{int(m[1]) + 100000}{m[2]}"  # a numeral nobody uses
    assert main(["cites", str(raw_out), typo]) == 1
    got = capsys.readouterr()
    assert got.out == "" and got.err.count("\n") == 1
    assert got.err.startswith("vanban cites: no document or citation numbered") and number in got.err
    assert main(["cites", str(raw_out), "Thông tư 30/2020"]) == 1  # a type the number does not have
    assert "30/2020/NĐ-CP" in capsys.readouterr().err
    assert main(["cites", str(raw_out), "nghị định"]) == 2  # no number at all
    assert capsys.readouterr().err.startswith("vanban cites: no document number in")


@pytest.mark.parametrize(
    "typed,key,doc_type",
    [
        ("Nghị định 30/2020/NĐ-CP", "30/2020/ND-CP", "nghi dinh"),
        ("30/2020/ND-CP", "30/2020/ND-CP", None),
        ("30/2020", "30/2020", None),
        ("nđ-cp 30/2020", "30/2020/ND-CP", None),
        ("số 06 / 2022 / qđ-ubnd", "6/2022/QD-UBND", None),
        ("Công văn số 543/SCT-QLCN.", "543/SCT-QLCN", "cong van"),
        ("119-KH/TU", "119/KH/TU", None),
        ("Nghị quyết 66.7/2025/NQ-CP", "66.7/2025/NQ-CP", "nghi quyet"),
    ],
)
def test_read_number(typed, key, doc_type):
    from pipeline.query.cites import read_number

    asked = read_number(typed)
    assert (asked.key, asked.doc_type) == (key, doc_type)


def test_resolve_by_parts_and_type():
    from pipeline.query.cites import Known, read_number, resolve

    known = [
        Known("30/2020/ND-CP", "30/2020/NĐ-CP", frozenset({"nghi dinh"})),
        Known("30/2020/TT-BTC", "30/2020/TT-BTC", frozenset({"thong tu"})),
        Known("30/2021/ND-CP", "30/2021/NĐ-CP", frozenset()),
        Known("130/2020/ND-CP", "130/2020/NĐ-CP", frozenset({"nghi dinh"})),
    ]

    def keys(typed):
        return [k.key for k in resolve(read_number(typed), known)]

    assert keys("30/2020") == ["30/2020/ND-CP", "30/2020/TT-BTC"]
    assert keys("Nghị định 30/2020") == ["30/2020/ND-CP"]
    assert keys("nd-cp 30") == ["30/2020/ND-CP", "30/2021/ND-CP"]
    assert keys("30/2020/ND-CP") == ["30/2020/ND-CP"]
    assert keys("Thông tư 30/2021") == ["30/2021/ND-CP"]  # a number printed without a type is not ruled out
    assert keys("Thông tư 130/2020") == []
