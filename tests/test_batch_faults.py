"""Fault isolation: a file that hangs, kills its worker or exhausts memory is one error row; the batch goes on."""

from __future__ import annotations

import pyarrow.parquet as pq

from batch_helpers import make_corpus
from pipeline.runner import run


def test_hang_crash_and_oom_each_give_one_error_row(tmp_path, monkeypatch):
    src = make_corpus(tmp_path / "in", 24)
    files = sorted(p for p in src.rglob("*") if p.is_file())
    for p, name in zip(files[3:9:2], ["hang_me.txt", "crash_me.md", "oom_me.txt"]):
        p.rename(p.with_name(name))
    monkeypatch.setenv("VANBAN_TEST_HOOK", "hang:hang_me|crash:crash_me|oom:oom_me")

    summary = run(src, tmp_path / "out", progress=False, workers=2, timeout=3, max_memory=1 << 30)

    errors = pq.read_table(tmp_path / "out" / "errors.parquet").to_pylist()
    by_path = {e["source_path"].rsplit("/", 1)[1]: e for e in errors}
    assert sorted(by_path) == ["crash_me.md", "hang_me.txt", "oom_me.txt"]
    assert by_path["hang_me.txt"]["error_type"] == "timeout"
    assert by_path["crash_me.md"]["error_type"] == "worker_crashed"
    assert "SIGSEGV" in by_path["crash_me.md"]["message"]
    assert by_path["oom_me.txt"]["error_type"] == "memory"
    assert {e["stage"] for e in errors} == {"parse"}
    assert all(e["doc_id"] for e in errors)
    docs = pq.read_table(tmp_path / "out" / "documents.parquet")
    assert docs.num_rows == 21
    assert (summary.documents, summary.failed) == (21, 3)
    assert summary.replaced_workers == 3


def test_hook_is_inert_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("VANBAN_TEST_HOOK", raising=False)
    src = make_corpus(tmp_path / "in", 4)
    (src / "d00" / "0000_seed_cong_van.txt").rename(src / "d00" / "crash_me.txt")
    summary = run(src, tmp_path / "out", progress=False, workers=1)
    assert (summary.documents, summary.failed) == (4, 0)
