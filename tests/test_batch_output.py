"""Where the tables go: hive partitions for dashboards, fsspec URLs, atomic replacement."""

from __future__ import annotations

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from batch_helpers import make_corpus, read_tables
from pipeline.output.schema import TABLES
from pipeline.runner import run


def _sorted(table, keys):
    return table.sort_by([(k, "ascending") for k in keys])


def test_partition_by_issue_year_same_rows_same_schema(tmp_path):
    src = make_corpus(tmp_path / "in", 16)
    (src / "empty.txt").write_bytes(b"")
    run(src, tmp_path / "flat", progress=False, workers=0)
    run(src, tmp_path / "parts", progress=False, workers=0, partition_by="issue_year")
    flat = read_tables(tmp_path / "flat")
    for name, schema in TABLES.items():
        folder = tmp_path / "parts" / name
        assert folder.is_dir() and not (tmp_path / "parts" / f"{name}.parquet").exists()
        for f in folder.rglob("*.parquet"):
            assert pq.read_schema(f).equals(schema, check_metadata=False), f
        table = ds.dataset(folder, schema=schema, partitioning="hive").to_table()
        assert table.schema.equals(schema, check_metadata=False)
        keys = ["doc_id", "source_path"] if name in ("documents", "errors") else table.column_names[:3]
        assert _sorted(table, keys).equals(_sorted(flat[name], keys)), name
    years = {p.name for p in (tmp_path / "parts" / "documents").iterdir()}
    assert years and all(y.startswith("issue_year=") for y in years)
    assert {p.name for p in (tmp_path / "parts" / "tasks").iterdir()} <= years
    assert [p.name for p in (tmp_path / "parts" / "errors").iterdir()] == ["issue_year=__HIVE_DEFAULT_PARTITION__"]
    one_year = ds.dataset(tmp_path / "parts" / "documents", schema=TABLES["documents"], partitioning="hive")
    year = int(sorted(years)[0].split("=")[1])
    assert set(one_year.to_table(filter=ds.field("issue_year") == year).column("issue_year").to_pylist()) == {year}

    # switching back to one file per table removes the partitioned folders
    run(src, tmp_path / "parts", progress=False, workers=0)
    assert (tmp_path / "parts" / "documents.parquet").is_file() and not (tmp_path / "parts" / "documents").exists()


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
