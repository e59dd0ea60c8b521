"""What users read back cannot be turned against them: ``vanban query`` reads and never writes, CSV cells
cannot run as spreadsheet formulas, and no character of a document or a file name drives the terminal."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from conftest import ROOT
from pipeline.cli import main
from pipeline.output.schema import TABLES
from pipeline.query.formats import csv_cell, visible
from pipeline.query.sql import sql
from pipeline.runner import run
from test_query import raw_out  # noqa: F401 - fixture: the output of data/raw, made once per session


def _query(capsys, out, q, *more) -> tuple[int, str, str]:
    code = main(["query", str(out), q, *more])
    got = capsys.readouterr()
    return code, got.out, got.err


# -- read-only ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT 1) TO '{target}'",
        "COPY (SELECT * FROM documents) TO '{target}' (FORMAT parquet)",
        "EXPORT DATABASE '{folder}'",
        "ATTACH '{target}' AS other",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT count(*) FROM read_parquet('{elsewhere}')",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "CREATE TABLE t AS SELECT 1",
        "SELECT 1; COPY (SELECT 1) TO '{target}'",
    ],
)
def test_query_cannot_write_or_read_outside_the_tables(raw_out, tmp_path, capsys, statement):
    elsewhere = tmp_path / "elsewhere.parquet"
    shutil.copy(raw_out / "documents.parquet", elsewhere)  # a Parquet file that is not one of the tables
    target, folder = tmp_path / "out.csv", tmp_path / "exported"
    q = statement.format(target=target, folder=folder, elsewhere=elsewhere)
    code, out, err = _query(capsys, raw_out, q)
    assert code == 2 and out == ""
    assert err.startswith("vanban query: ") and err.count("\n") == 1, err
    assert not target.exists() and not folder.exists()


def test_query_cannot_overwrite_a_table_it_reads(raw_out, tmp_path, capsys):
    out = tmp_path / "copy"
    shutil.copytree(raw_out, out)
    before = (out / "documents.parquet").read_bytes()
    code, _, err = _query(capsys, out, f"COPY (SELECT 1 AS a) TO '{out / 'documents.parquet'}' (FORMAT parquet, USE_TMP_FILE false)")
    assert code == 2 and "only queries" in err
    assert (out / "documents.parquet").read_bytes() == before


def test_reading_still_works_everywhere_the_tables_are(raw_out, tmp_path):
    """Local files, hive partitions and fsspec URLs are all read through the locked connection."""
    import fsspec

    n = sql(raw_out, "select count(*) n from documents").to_pylist()
    parted = tmp_path / "parted"
    run(ROOT / "data" / "raw", parted, progress=False, workers=0, partition_by="issue_year")
    assert sql(parted, "select count(*) n from documents").to_pylist() == n
    url = "memory://vanban-safety/out"
    try:
        run(ROOT / "data" / "raw", url, progress=False, workers=0, state_dir=str(tmp_path / "state"))
        assert sql(url, "select count(*) n from documents").to_pylist() == n
        for q in ("SELECT * FROM read_csv('/etc/passwd')", "COPY (SELECT 1) TO 'memory://vanban-safety/x.csv'"):
            with pytest.raises(Exception, match="Permission|only queries"):
                sql(url, q)
    finally:
        fsspec.filesystem("memory").rm("/vanban-safety", recursive=True)
    # queries of every kind a researcher writes still run
    for q in ("DESCRIBE tasks", "SUMMARIZE documents", "SHOW TABLES", "PIVOT tasks ON deadline_kind USING count(*)",
              "WITH t AS (SELECT 1 AS a) SELECT * FROM t", "FROM texts LIMIT 1", "VALUES (1)"):  # fmt: skip
        sql(raw_out, q)


# -- CSV cells ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", ["Sở Tài chính", "1 = 1", "a-b", 5, -5, 2.5, None])
def test_other_cells_are_kept(value):
    assert csv_cell(value) == ("" if value is None else value)


def _hostile_output(tmp_path):
    """data/raw's plan, under a name that is a formula and one that holds terminal controls."""
    src = tmp_path / "in"
    src.mkdir()
    plan = (ROOT / "data" / "raw" / "ke_hoach_binh_thuan.txt").read_bytes()
    (src / "=cmd.txt").write_bytes(plan)
    (src / "x\x1b[2J\x07y.txt").write_bytes(plan + b"\n")
    run(src, tmp_path / "out", progress=False, workers=0)
    return tmp_path / "out"


def test_csv_of_tasks_and_query_runs_no_formula(tmp_path, capsys):
    out = _hostile_output(tmp_path)
    assert main(["tasks", str(out), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["source_path"] for r in rows} >= {"'=cmd.txt"}
    code, text, _ = _query(capsys, out, "SELECT '=1+2' AS a, '-3' AS b, 7 AS c, -7 AS d, source_path FROM documents", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert code == 0 and all((r["a"], r["b"], r["c"], r["d"]) == ("'=1+2", "'-3", "7", "-7") for r in rows)
    # JSON keeps values as they are: it is read by programs, not spreadsheets
    code, text, _ = _query(capsys, out, "SELECT source_path FROM documents ORDER BY 1", "--format", "json")
    assert '"=cmd.txt"' in text


def test_terminal_controls_are_shown_not_sent(tmp_path, capsys):
    out = _hostile_output(tmp_path)
    for argv in (["tasks", str(out)], ["query", str(out), "SELECT source_path, chr(7) || 'bell' AS b, chr(155) AS csi FROM documents"]):
        assert main(argv) == 0
        text = capsys.readouterr().out
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "\\x1b[2J\\x07y" in text and "\\x07bell" in text and "\\x9b" in text


def test_visible_keeps_vietnamese_and_shows_controls():
    assert visible("Sở Tài chính – Đ") == "Sở Tài chính – Đ"
    assert visible("a\x1b]0;title\x07b\u202ec\x7f") == "a\\x1b]0;title\\x07b\\u202ec\\x7f"


def test_every_table_is_a_view(raw_out):
    for name in TABLES:
        sql(raw_out, f'SELECT * FROM "{name}" LIMIT 1')
