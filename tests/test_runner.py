"""The batch: every input ends as a document row or an error row, and a bad file never stops it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from conftest import FIXTURES
from pipeline.cli import main
from pipeline.output.schema import TABLES
from pipeline.runner import run


def _corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "docs" / "seed_cong_van.txt", src / "a.txt")
    shutil.copy(FIXTURES / "docs" / "seed_ke_hoach.txt", src / "sub" / "b.md")
    (src / "empty.txt").write_bytes(b"")
    (src / "noise.txt").write_bytes(bytes(range(256)) * 50)
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (src / "fake.docx").write_bytes(b"not a zip at all")
    return src


def test_broken_files_become_error_rows_and_the_rest_is_processed(tmp_path):
    src = _corpus(tmp_path)
    out = tmp_path / "out"
    summary = run(src, out, progress=False)
    docs = pd.read_parquet(out / "documents.parquet")
    errors = pd.read_parquet(out / "errors.parquet")
    assert sorted(docs.source_path) == ["a.txt", "sub/b.md"]
    assert sorted(errors.source_path) == ["empty.txt", "fake.docx", "image.png", "noise.txt"]
    assert set(errors.stage) == {"ingest"}
    by_path = dict(zip(errors.source_path, errors.error_type))
    assert by_path["empty.txt"] == "empty"
    assert by_path["noise.txt"] == "binary"
    assert by_path["image.png"] == "corrupt"  # a PNG by its bytes (scans are read), but a damaged one
    assert all(errors.message.str.len() > 10)
    assert (summary.documents, summary.failed, summary.files) == (2, 4, 6)
    # every input is accounted for exactly once
    assert len(docs) + len(errors) == len([p for p in src.rglob("*") if p.is_file()])


def test_all_six_tables_written_with_their_schema(tmp_path):
    src = _corpus(tmp_path)
    run(src, tmp_path / "out", progress=False)
    for name, schema in TABLES.items():
        table = pq.read_table(tmp_path / "out" / f"{name}.parquet")
        assert table.schema.equals(schema, check_metadata=False), name
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_doc_id_is_the_sha256_of_the_bytes(tmp_path):
    import hashlib

    src = _corpus(tmp_path)
    run(src, tmp_path / "out", progress=False)
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    row = docs[docs.source_path == "a.txt"].iloc[0]
    assert row.doc_id == hashlib.sha256((src / "a.txt").read_bytes()).hexdigest()
    assert row.parser_version


def test_parser_crash_is_an_error_row(tmp_path, monkeypatch):
    import pipeline.batch.process as process

    def boom(doc):
        if "Bình Thuận" in doc.text:
            raise ValueError("synthetic parser failure")
        return real(doc)

    real = process.parse_doc
    monkeypatch.setattr(process, "parse_doc", boom)
    src = _corpus(tmp_path)
    run(src, tmp_path / "out", progress=False, workers=0)  # in this process, where the patch is
    errors = pd.read_parquet(tmp_path / "out" / "errors.parquet")
    row = errors[errors.source_path == "sub/b.md"].iloc[0]
    assert (row.stage, row.error_type) == ("parse", "ValueError")
    assert "synthetic parser failure" in row.message
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert list(docs.source_path) == ["a.txt"]


def test_cli_run_on_shipped_samples(tmp_path, capsys):
    raw = Path(__file__).resolve().parent.parent / "data" / "raw"
    assert main(["run", str(raw), str(tmp_path / "out"), "-q"]) == 0
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert len(docs) == len([p for p in raw.rglob("*") if p.is_file()])
    assert "documents" in capsys.readouterr().err
    # one sample of each format an archive holds, each read as what it is
    by_name = docs.set_index("source_path")
    formats = dict(zip(docs.source_path, docs.source_format))
    assert {"txt", "docx", "doc", "pdf"} <= set(formats.values())
    scan = by_name.loc["quyet_dinh_2605_QD-BGDDT_scan.pdf"]
    assert (scan.text_source, scan.doc_number, str(scan.issue_date)[:10]) == ("ocr", "2605/QĐ-BGDĐT", "2025-09-16")
    tcvn3 = by_name.loc["quyet_dinh_12_2024_QD-TTg_tcvn3.txt"]
    assert (tcvn3.doc_number, tcvn3.issuer) == ("12/2024/QĐ-TTg", "Thủ tướng Chính phủ")
    pdf, docx = by_name.loc["quyet_dinh_3745_QD-UBND_tay_ninh.pdf"], by_name.loc["quyet_dinh_3745_QD-UBND_tay_ninh.docx"]
    for field in ("doc_number", "issuer", "place", "issue_date", "signer_name"):
        assert pdf[field] == docx[field], field
