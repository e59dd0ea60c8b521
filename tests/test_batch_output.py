"""Where the tables go: hive partitions for dashboards, fsspec URLs, atomic replacement."""

from __future__ import annotations

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from batch_helpers import make_corpus, read_tables
from pipeline.output.schema import TABLES
from pipeline.runner import run


def _sorted(table, keys):
    return table.sort_by([(k, "ascending") for k in keys])


def test_partition_by_issue_year_same_rows_standard_hive(tmp_path):
    import pandas as pd

    from pipeline.output.writer import file_schema

    src = make_corpus(tmp_path / "in", 16)
    (src / "empty.txt").write_bytes(b"")
    run(src, tmp_path / "flat", progress=False, workers=0)
    run(src, tmp_path / "parts", progress=False, workers=0, partition_by="issue_year")
    flat = read_tables(tmp_path / "flat")
    for name, schema in TABLES.items():
        folder = tmp_path / "parts" / name
        assert folder.is_dir() and not (tmp_path / "parts" / f"{name}.parquet").exists()
        for f in folder.rglob("*.parquet"):  # the partition column is in the path only
            assert pq.read_schema(f).equals(file_schema(name, "issue_year"), check_metadata=False), f
        table = ds.dataset(folder, schema=schema, partitioning="hive").to_table()
        assert table.schema.equals(schema, check_metadata=False)
        keys = ["doc_id", "source_path"] if name in ("documents", "errors") else table.column_names[:3]
        assert _sorted(table, keys).equals(_sorted(flat[name], keys)), name
    assert "issue_year" not in file_schema("documents", "issue_year").names
    years = {p.name for p in (tmp_path / "parts" / "documents").iterdir()}
    assert years and all(y.startswith("issue_year=") for y in years)
    assert {p.name for p in (tmp_path / "parts" / "tasks").iterdir()} <= years
    assert [p.name for p in (tmp_path / "parts" / "errors").iterdir()] == ["part-0.parquet"]  # no document: no partition
    one_year = ds.dataset(tmp_path / "parts" / "documents", schema=TABLES["documents"], partitioning="hive")
    year = int(sorted(years)[0].split("=")[1])
    assert set(one_year.to_table(filter=ds.field("issue_year") == year).column("issue_year").to_pylist()) == {year}

    # pandas and DuckDB read the folders as they are, the partition column from the paths
    docs = pd.read_parquet(tmp_path / "parts" / "documents")
    assert sorted(zip(docs.source_path, docs.issue_year.astype(int))) == sorted(
        zip(flat["documents"].column("source_path").to_pylist(), flat["documents"].column("issue_year").to_pylist())
    )
    assert len(pd.read_parquet(tmp_path / "parts" / "tasks")) == flat["tasks"].num_rows
    assert len(pd.read_parquet(tmp_path / "parts" / "errors")) == 1
    import duckdb

    glob = str(tmp_path / "parts" / "documents" / "*" / "*.parquet")
    rows = duckdb.sql(f"SELECT source_path, issue_year FROM read_parquet('{glob}', hive_partitioning = true)").fetchall()
    assert sorted(rows) == sorted(zip(*[flat["documents"].column(c).to_pylist() for c in ("source_path", "issue_year")]))

    # switching back to one file per table removes the partitioned folders
    run(src, tmp_path / "parts", progress=False, workers=0)
    assert (tmp_path / "parts" / "documents.parquet").is_file() and not (tmp_path / "parts" / "documents").exists()


def test_documents_without_a_value_and_long_values(tmp_path):
    """A null value is Hive's default partition (pandas needs pyarrow's partitioning then: its dictionary inference
    cannot hold a null); a long value (a subject, a long name) is cut and tagged, never File name too long."""
    import pandas as pd

    from pipeline.query.load import read_arrow

    src = make_corpus(tmp_path / "in", 6)
    (src / "d00" / "undated.txt").write_text("Ghi chú\n\nNội dung không có ngày tháng.\n", encoding="utf-8")
    letter = (src / "d00" / "0000_seed_cong_van.txt").read_text(encoding="utf-8")
    longer = "quan đến " + "các quy định về quản lý, phát triển cụm công nghiệp trên địa bàn tỉnh, " * 3 + "Nghị định số  \n"
    (src / "d00" / "long.txt").write_text(letter.replace("quan đến Nghị định số  \n", longer, 1), encoding="utf-8")
    for column in ("issue_year", "subject"):
        out = tmp_path / column
        run(src, out, progress=False, workers=0, partition_by=column)
        flat = read_arrow(str(out), "documents")  # vanban's own reader: every value back from its folder
        assert flat.num_rows == 8 and None in flat.column(column).to_pylist()
        names = [p.name for p in (out / "documents").iterdir()]
        assert all(len(n.encode("utf-8")) <= 200 for n in names)
        import pyarrow.dataset as pads

        docs = pd.read_parquet(out / "documents", partitioning=pads.HivePartitioning.discover())
        assert len(docs) == 8
    tagged = [n for n in names if "~" in n]
    assert len(tagged) == 2 and all(t.startswith("subject=xem xét Công văn số 543%2FSCT-QLCN") for t in tagged)


def test_fsspec_url_output(tmp_path):
    import fsspec

    src = make_corpus(tmp_path / "in", 6)
    url = "memory://vanban-test/out"
    run(src, url, progress=False, workers=0, state_dir=str(tmp_path / "state"))
    run(src, tmp_path / "local", progress=False, workers=0)
    fs = fsspec.filesystem("memory")
    for name in TABLES:
        with fs.open(f"/vanban-test/out/{name}.parquet", "rb") as fh:
            assert pq.read_table(fh).equals(pq.read_table(tmp_path / "local" / f"{name}.parquet")), name
    assert run(src, url, progress=False, workers=0, state_dir=str(tmp_path / "state")).skipped == 6
    fs.rm("/vanban-test", recursive=True)


def test_file_url_is_a_local_path(tmp_path):
    src = make_corpus(tmp_path / "in", 3)
    run(src, f"file://{tmp_path / 'out'}", progress=False, workers=0)
    assert pq.read_table(tmp_path / "out" / "documents.parquet").num_rows == 3
