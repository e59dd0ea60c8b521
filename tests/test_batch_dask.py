"""The Dask engine on a small local cluster writes the same tables as one local worker."""

from __future__ import annotations

import pytest

from batch_helpers import assert_same_tables, make_corpus
from pipeline.runner import run

pytest.importorskip("distributed")


def test_dask_local_cluster_gives_the_tables_of_one_worker(tmp_path):
    src = make_corpus(tmp_path / "in", 40)
    (src / "empty.txt").write_bytes(b"")
    one = run(src, tmp_path / "one", progress=False, workers=1)
    dask = run(src, tmp_path / "dask", progress=False, workers=2, engine="dask")
    assert (dask.documents, dask.failed) == (one.documents, one.failed) == (40, 1)
    assert_same_tables(tmp_path / "one", tmp_path / "dask")
