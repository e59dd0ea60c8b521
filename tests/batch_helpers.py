"""Helpers for the batch tests: a corpus of distinct real documents, and table comparison."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from conftest import FIXTURES
from pipeline.output.schema import TABLES

SMALL = ["seed_cong_van.txt", "ocr_cv_4222_tct.md"]


def make_corpus(root: Path, n: int, per_folder: int = 40) -> Path:
    """``n`` distinct documents (own number line, own bytes) from small real fixtures, in sub-folders."""
    sources = [(FIXTURES / "docs" / name).read_text(encoding="utf-8") for name in SMALL]
    for i in range(n):
        folder = root / f"d{i // per_folder:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        src = SMALL[i % len(SMALL)]
        text = sources[i % len(sources)]
        (folder / f"{i:04d}_{Path(src).stem}{Path(src).suffix}").write_text(f"Số: {i}/TEST\n{text}", encoding="utf-8")
    return root


def read_tables(out: Path) -> dict[str, pa.Table]:
    return {name: pq.read_table(out / f"{name}.parquet") for name in TABLES}


def assert_same_tables(a: Path, b: Path) -> None:
    ta, tb = read_tables(a), read_tables(b)
    for name in TABLES:
        assert ta[name].schema.equals(TABLES[name], check_metadata=False), name
        assert ta[name].num_rows == tb[name].num_rows, (name, ta[name].num_rows, tb[name].num_rows)
        assert ta[name].equals(tb[name]), name
