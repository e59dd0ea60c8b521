"""What a run does before and around the work: nothing loaded or started that the run does not need."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from conftest import FIXTURES, ROOT
from pipeline.batch.driver import BatchOptions, make_engine, InProcess
from pipeline.batch.items import WorkItem
from pipeline.batch.pool import LocalPool
from pipeline.output.citations import LINKED
from pipeline.runner import run

# A run in a fresh interpreter, then what it loaded and whether it started a process of its own.
PROBE = """
import json, sys, multiprocessing, multiprocessing.forkserver
from pipeline.runner import run
summary = run(sys.argv[1], sys.argv[2], progress=False)
print(json.dumps({
    "documents": summary.documents, "skipped": summary.skipped,
    "loaded": sorted(m for m in ("pipeline.parse", "pipeline.ingest", "pyarrow", "pandas") if m in sys.modules),
    "children": len(multiprocessing.active_children()) + len(multiprocessing.process._children),
    "forkserver": multiprocessing.forkserver._forkserver._forkserver_pid is not None,
}))
"""


def _probe(src: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, str(src), str(out)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _letters(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i, name in enumerate(["seed_cong_van.txt", "seed_ke_hoach.txt"][:n]):
        (folder / f"{i}_{name}").write_bytes((FIXTURES / "docs" / name).read_bytes())
    return folder


def test_rerun_with_nothing_to_do_loads_no_parser_no_pyarrow_and_starts_no_worker(tmp_path):
    src, out = _letters(tmp_path / "in", 2), tmp_path / "out"
    first = _probe(src, out)
    assert first["documents"] == 2 and first["forkserver"]  # two files: worker processes
    again = _probe(src, out)
    assert again == {"documents": 0, "skipped": 2, "loaded": [], "children": 0, "forkserver": False}


def test_one_small_text_is_read_in_the_driver_and_loads_no_pandas(tmp_path):
    src, out = _letters(tmp_path / "in", 1), tmp_path / "out"
    first = _probe(src, out)
    assert first["documents"] == 1 and not first["forkserver"] and first["children"] == 0
    assert "pandas" not in first["loaded"]  # pyarrow writes the rows without it


def test_the_rule_for_a_run_in_the_driver():
    text = WorkItem(0, "a/letter.txt", "/x/a/letter.txt", 20_000)
    default = BatchOptions()
    assert isinstance(make_engine(default, None, [text]), InProcess)
    assert isinstance(make_engine(default, None, []), LocalPool)  # nothing found yet: the pool, started on a first file
    assert isinstance(make_engine(default, None, [text, text]), LocalPool)  # two files
    assert isinstance(make_engine(default, None, [WorkItem(0, "a.pdf", "/x/a.pdf", 20_000)]), LocalPool)
    assert isinstance(make_engine(default, None, [WorkItem(0, "big.txt", "/x/big.txt", 5 << 20)]), LocalPool)
    assert isinstance(make_engine(BatchOptions(workers=2), None, [text]), LocalPool)  # --workers is obeyed
    assert isinstance(make_engine(BatchOptions(hooks="hang:letter"), None, [text]), LocalPool)


def test_post_run_steps_run_again_when_a_table_changed_under_them(tmp_path):
    src, out = ROOT / "data" / "raw", tmp_path / "out"
    texts = tmp_path / "in"
    texts.mkdir()
    for p in src.glob("*.txt"):
        (texts / p.name).write_bytes(p.read_bytes())
    run(texts, out, progress=False, workers=0)
    path = out / "references.parquet"
    table = pq.read_table(path)
    assert LINKED in table.schema.metadata
    pq.write_table(table.replace_schema_metadata(None), path)  # as a copy from elsewhere would be: not linked
    run(texts, out, progress=False, workers=0)
    assert LINKED in pq.read_schema(path).metadata
    mtime = os.stat(path).st_mtime_ns
    run(texts, out, progress=False, workers=0)  # nothing changed: not rewritten
    assert os.stat(path).st_mtime_ns == mtime
