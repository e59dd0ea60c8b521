"""Ordinary mistakes cost nothing: a wrong INPUT keeps OUTPUT, failed files are tried again, every mistake is
one line and an exit status a cron job can read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from batch_helpers import assert_same_tables, make_corpus, read_tables
from pipeline.batch.errors import RunError
from pipeline.batch.manifest import Manifest
from pipeline.cli import main
from pipeline.runner import run

ROOT = Path(__file__).resolve().parent.parent


def _paths(out: Path, table: str = "documents") -> list[str]:
    return pq.read_table(out / f"{table}.parquet").column("source_path").to_pylist()


def _cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(["run", *map(str, argv)])
    return code, capsys.readouterr().err


# -- nothing is lost by a wrong INPUT ----------------------------------------------------------------


def test_an_empty_input_leaves_a_finished_output_intact(tmp_path, capsys):
    src, out = make_corpus(tmp_path / "in", 12), tmp_path / "out"
    run(src, out, progress=False, workers=0)
    before = read_tables(out)
    (tmp_path / "empty").mkdir()
    code, err = _cli(capsys, tmp_path / "empty", out, "-q")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("vanban: no input files under") and "Traceback" not in err
    after = read_tables(out)
    assert all(before[name].equals(after[name]) for name in before)
    # --prune does not empty it either; only --force-prune, which says so
    code, err = _cli(capsys, tmp_path / "empty", out, "-q", "--prune")
    assert code == 2 and read_tables(out)["documents"].num_rows == 12
    assert _cli(capsys, tmp_path / "empty", out, "-q", "--force-prune")[0] == 0
    assert read_tables(out)["documents"].num_rows == 0


def test_one_years_folder_into_a_shared_output_keeps_the_other_years(tmp_path):
    archive, out = tmp_path / "archive", tmp_path / "out"
    for year in ("2023", "2024"):
        for p in make_corpus(archive / year, 8).rglob("*.*"):
            p.write_text(p.read_text(encoding="utf-8") + f"\nNăm {year}\n", encoding="utf-8")  # bytes of its own
    run(archive, out, progress=False, workers=0)
    whole = sorted(_paths(out))
    assert len(whole) == 16

    new = archive / "2024" / "d00" / "zz_new.txt"
    new.write_text("Số: 77/NEW\nCÔNG VĂN mới về việc thử\n", encoding="utf-8")
    summary = run(archive / "2024", out, progress=False, workers=0)
    assert (summary.documents, summary.skipped) == (1, 8)  # its files are known by the paths the whole run gave them
    assert sorted(_paths(out)) == sorted([*whole, "2024/d00/zz_new.txt"])

    # --prune drops only what is gone from the folder that was run, never the other years
    (archive / "2024" / "d00" / "0001_ocr_cv_4222_tct.md").unlink()
    summary = run(archive / "2024", out, progress=False, workers=0, prune=True)
    assert summary.pruned == 1
    paths = _paths(out)
    assert "2024/d00/0001_ocr_cv_4222_tct.md" not in paths
    assert sum(p.startswith("2023/") for p in paths) == 8 and len(paths) == 16


def test_prune_refuses_to_drop_most_of_the_output(tmp_path, capsys):
    src, out = make_corpus(tmp_path / "in", 30), tmp_path / "out"
    run(src, out, progress=False, workers=0)
    for p in sorted(src.rglob("*.*"))[:20]:
        p.unlink()
    code, err = _cli(capsys, src, out, "-q", "--prune")
    assert code == 2 and "--prune would remove the rows of 20 of the 30 files" in err and "--force-prune" in err
    assert len(_paths(out)) == 30
    assert _cli(capsys, src, out, "-q", "--force-prune")[0] == 0
    assert len(_paths(out)) == 10


# -- failed files are tried again ----------------------------------------------------------------------


def test_a_timed_out_file_succeeds_on_the_next_run(tmp_path, monkeypatch):
    src, out = make_corpus(tmp_path / "in", 6), tmp_path / "out"
    (src / "empty.txt").write_bytes(b"")
    slow = sorted(src.rglob("*.txt"))[1]
    monkeypatch.setenv("VANBAN_TEST_HOOK", f"hang:{slow.name}")
    first = run(src, out, progress=False, workers=1, timeout=2)
    assert first.errors_by_type == {"timeout": 1, "empty": 1}
    monkeypatch.delenv("VANBAN_TEST_HOOK")

    second = run(src, out, progress=False, workers=1, timeout=60)
    assert (second.documents, second.failed, second.retried) == (1, 0, 1)
    assert second.kept_errors == {"empty": 1}  # a permanent error is not tried again: the same bytes fail the same way
    assert "1 of them error rows kept: empty 1" in second.line()
    assert slow.relative_to(src).as_posix() in _paths(out)
    assert _paths(out, "errors") == ["empty.txt"]

    third = run(src, out, progress=False, workers=1, retry_errors=True)
    assert (third.retried, third.failed, third.skipped) == (1, 1, 6)


# -- exit status and one line per mistake --------------------------------------------------------------


def test_exit_status_0_all_done_1_some_failed(tmp_path, capsys):
    src = make_corpus(tmp_path / "in", 3)
    code, err = _cli(capsys, src, tmp_path / "ok", "-q", "--workers", "0")
    assert code == 0 and "3 documents done, 0 failed" in err
    (src / "empty.txt").write_bytes(b"")
    (src / "noise.txt").write_bytes(bytes(range(256)) * 20)
    code, err = _cli(capsys, src, tmp_path / "bad", "-q", "--workers", "0")
    assert code == 1 and "2 failed (binary 1, empty 1)" in err
    assert _cli(capsys, src, tmp_path / "bad", "-q", "--workers", "0")[0] == 0  # nothing failed this time


@pytest.mark.parametrize("mistake", ["missing_input", "output_is_a_file", "output_below_a_file", "bad_partition", "busy", "read_only"])
def test_each_mistake_is_one_line_and_status_2(tmp_path, capsys, mistake):
    src, out = make_corpus(tmp_path / "in", 2), tmp_path / "out"
    argv = [src, out, "-q", "--workers", "0"]
    expect = {
        "missing_input": "no such input",
        "output_is_a_file": "is a file, not a folder",
        "output_below_a_file": "cannot be made",
        "bad_partition": "--partition-by must be a column of documents",
        "busy": "another vanban run is using",
        "read_only": "",
    }[mistake]
    holder = None
    if mistake == "missing_input":
        argv[0] = tmp_path / "nowhere"
    elif mistake == "output_is_a_file":
        out.write_text("x")
    elif mistake == "output_below_a_file":
        out.write_text("x")
        argv[1] = out / "tables"
    elif mistake == "bad_partition":
        argv += ["--partition-by", "year_of_issue"]
    elif mistake == "busy":
        holder = Manifest(out / "_manifest")
    elif mistake == "read_only":
        if os.geteuid() == 0:  # root writes anywhere a mode allows: a filesystem that refuses everyone
            if not os.path.isdir("/sys/kernel"):
                pytest.skip("no /sys here")
            argv[1] = "/sys/kernel/vanban-out"
        else:
            out.mkdir()
            out.chmod(0o500)
    try:
        code, err = _cli(capsys, *argv)
        assert code == 2, err
        assert err.count("\n") == 1 and err.startswith("vanban: ") and expect in err, err
        assert "Traceback" not in err
        code, err = _cli(capsys, *argv, "--debug")
        assert code == 2 and "Traceback" in err
    finally:
        if holder:
            holder.close()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_keeps_what_is_finished_and_says_so_in_one_line(tmp_path, sig):
    src = make_corpus(tmp_path / "in", 160)
    out = tmp_path / "out"
    # one file hangs, so the run is still going when the signal comes; parts of 1,000 files: only the stop
    # itself can commit what was finished
    env = {**os.environ, "VANBAN_TEST_HOOK": "hang:d03/0150"}
    argv = [sys.executable, "-m", "pipeline", "run", str(src), str(out), "-q", "--workers", "2", "--part-size", "1000"]
    proc = subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(4)
    assert proc.poll() is None
    proc.send_signal(sig)
    err = proc.stderr.read()
    assert proc.wait() == 128 + sig, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and f"stopped by {sig.name}" in lines[0] and "Traceback" not in err, err
    kept = int(lines[0].split("the ")[1].split(" files")[0])
    assert kept > 0
    summary = run(src, out, progress=False, workers=2)
    assert summary.skipped == kept and summary.documents + summary.failed == 160 - kept
    run(src, tmp_path / "clean", progress=False, workers=2)
    assert_same_tables(tmp_path / "clean", out)


# -- what is not an input ------------------------------------------------------------------------------


def test_output_inside_input_and_junk_are_not_inputs(tmp_path, capsys):
    src = make_corpus(tmp_path / "in", 4)
    junk = ["Thumbs.db", "desktop.ini", ".DS_Store", "~$bao_cao.docx", ".~lock.bao_cao.docx#", ".git/HEAD", ".git/objects/ab"]
    for name in junk:
        p = src / "d00" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"\x00junk")
    (src / "drafts").mkdir()
    (src / "drafts" / "draft.txt").write_text("Số: 5/NHAP\nbản nháp\n", encoding="utf-8")
    (src / "d00" / "scratch.tmp").write_text("x", encoding="utf-8")
    out = src / "tables"
    code, err = _cli(capsys, src, out, "-q", "--workers", "0", "--exclude", "drafts/*", "--exclude", "*.tmp")
    assert code == 0, err
    assert "passed over:" in err and "junk 3" in err and "hidden 3" in err and "excluded 2" in err
    assert sorted(_paths(out)) == sorted(p.relative_to(src).as_posix() for p in src.glob("d0*/0*"))
    assert pq.read_table(out / "errors.parquet").num_rows == 0
    code, err = _cli(capsys, src, out, "-q", "--workers", "0", "--exclude", "drafts/*", "--exclude", "*.tmp")
    assert code == 0 and "4 skipped" in err and "output 1" in err  # its own tables are never read back


def test_a_folder_that_cannot_be_listed_is_an_error_row_and_keeps_its_rows(tmp_path, monkeypatch):
    src, out = make_corpus(tmp_path / "in", 80), tmp_path / "out"
    run(src, out, progress=False, workers=0)
    real = os.scandir
    blocked = str(src / "d01")

    def flaky(path="."):
        if not isinstance(path, int) and os.fspath(path) == blocked:
            raise PermissionError(13, "Permission denied", blocked)
        return real(path)

    monkeypatch.setattr(os, "scandir", flaky)
    summary = run(src, out, progress=False, workers=0, prune=True)
    assert summary.errors_by_type == {"unlistable": 1} and summary.pruned == 0
    errors = pq.read_table(out / "errors.parquet").to_pylist()
    assert [(e["source_path"], e["error_type"]) for e in errors] == [("d01", "unlistable")]
    assert "Permission denied" in errors[0]["message"]
    assert sum(p.startswith("d01/") for p in _paths(out)) == 40  # the blink drops nothing
    monkeypatch.setattr(os, "scandir", real)
    summary = run(src, out, progress=False, workers=0, prune=True)
    assert summary.failed == 0 and pq.read_table(out / "errors.parquet").num_rows == 0
    run(src, tmp_path / "clean", progress=False, workers=0)
    assert_same_tables(tmp_path / "clean", out)


@pytest.fixture
def deep_src(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    yield src
    subprocess.run(["rm", "-rf", str(src)], check=True)  # pytest's own clean-up (shutil.rmtree) recurses


def test_a_deep_tree_odd_names_and_escapes_that_cannot_collide(tmp_path, deep_src):
    src = deep_src
    deep = src
    for _ in range(1000):  # os.makedirs recurses: too deep for it
        deep = deep / "d"
        deep.mkdir()
    letter = (Path(__file__).parent / "fixtures" / "docs" / "seed_cong_van.txt").read_bytes()
    (deep / "sâu.txt").write_bytes(letter)
    raw = os.fsencode(src) + b"/ten-\xff.txt"
    with open(raw, "wb") as fh:
        fh.write(letter + b"\nmot")
    (src / "ten-\\xff.txt").write_bytes(letter + b"\nhai")  # a name typed with a backslash: not the byte 0xFF
    (src / "trailing space.txt ").write_bytes(letter + b"\nba")
    summary = run(src, tmp_path / "out", progress=False, workers=0)
    assert (summary.files, summary.failed) == (4, 0)
    paths = _paths(tmp_path / "out")
    assert "ten-\\xff.txt" in paths and "ten-\\\\xff.txt" in paths and "trailing space.txt " in paths
    assert "/".join(["d"] * 1000) + "/sâu.txt" in paths
    from pipeline.batch.inputs import name_bytes

    assert name_bytes("ten-\\xff.txt") == b"ten-\xff.txt" and name_bytes("ten-\\\\xff.txt") == b"ten-\\xff.txt"
    assert run(src, tmp_path / "out", progress=False, workers=0).skipped == 4


# -- faults: nothing hangs, nothing stale is taken for new ---------------------------------------------


def test_a_fifo_or_a_link_to_dev_zero_in_a_known_files_place_does_not_hang_the_rerun(tmp_path):
    src, out = make_corpus(tmp_path / "in", 3), tmp_path / "out"
    (src / "empty.txt").write_bytes(b"")
    (src / "nine.txt").write_bytes(b"x" * len("/dev/zero"))  # the size of a link to /dev/zero
    run(src, out, progress=False, workers=0)
    (src / "empty.txt").unlink()
    os.mkfifo(src / "empty.txt")  # same size (0), another mtime: the rerun checks its bytes
    (src / "nine.txt").unlink()
    os.symlink("/dev/zero", src / "nine.txt")
    code = (
        "import sys; from pipeline.runner import run; "
        f"s = run({str(src)!r}, {str(out)!r}, progress=False, workers=1); print(s.errors_by_type)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    assert eval(done.stdout) == {"not_regular_file": 1, "symlink": 1}


def test_stale_temporary_tables_of_a_killed_compaction_are_not_taken_for_new(tmp_path):
    src, out = make_corpus(tmp_path / "in", 10), tmp_path / "out"
    run(src, out, progress=False, workers=0, partition_by="issue_year")
    # what a kill -9 during compaction leaves: a 0-byte part in a partition the next compaction will not write
    for name in ("documents", "references"):
        stale = out / f".{name}.tmp" / "issue_year=1999" / "part-0.parquet"
        stale.parent.mkdir(parents=True)
        stale.write_bytes(b"")
    (src / "d00" / "zz_new.txt").write_text("Số: 12/NEW\nCÔNG VĂN mới\n", encoding="utf-8")
    run(src, out, progress=False, workers=0, partition_by="issue_year")
    assert not (out / "documents" / "issue_year=1999").exists()
    assert run(src, out, progress=False, workers=0, partition_by="issue_year").skipped == 11
    run(src, tmp_path / "clean", progress=False, workers=0, partition_by="issue_year")
    for name in ("documents", "references", "errors"):
        a = sorted(p.relative_to(out).as_posix() for p in (out / name).rglob("*"))
        b = sorted(p.relative_to(tmp_path / "clean").as_posix() for p in (tmp_path / "clean" / name).rglob("*"))
        assert a == b, name


def _pdf(text: str) -> bytes:
    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "pdf"))
    from pdfgen import document_pages, make_pdf

    return make_pdf(document_pages(text))


def test_the_time_limit_grows_with_the_pages(tmp_path, monkeypatch):
    """Each of these takes 3 s (the test hook): a 1 s limit stops the text file; the PDF's pages add their share."""
    src = tmp_path / "in"
    src.mkdir()
    letter = (Path(__file__).parent / "fixtures" / "docs" / "seed_cong_van.txt").read_text(encoding="utf-8")
    pdf = _pdf(letter * 4)
    from pipeline.batch.process import page_count

    assert page_count(pdf) >= 3
    (src / "slow_letter.pdf").write_bytes(pdf)
    (src / "slow_letter.txt").write_text(letter, encoding="utf-8")
    monkeypatch.setenv("VANBAN_TEST_HOOK", "slow:slow_letter")
    summary = run(src, tmp_path / "out", progress=False, workers=2, timeout=1, timeout_per_page=2)
    errors = pq.read_table(tmp_path / "out" / "errors.parquet").to_pylist()
    assert [(e["source_path"], e["error_type"]) for e in errors] == [("slow_letter.txt", "timeout")]
    assert "--timeout" in errors[0]["message"] and "tries the file again" in errors[0]["message"]
    assert summary.documents == 1


def _children_running(marker: str) -> list:
    """Processes of this test with ``marker`` in their command line (another suite running on the same
    machine has its own: told apart by this test's folder, ``_tagged``, in their environment or cwd)."""
    import psutil

    tag = os.environ.get("VANBAN_TEST_TAG")
    found = []
    for p in psutil.process_iter(["cmdline"]):
        if marker in " ".join(p.info["cmdline"] or []):
            try:  # a worker's programs run in its folder below this test's OUTPUT (TMPDIR)
                if tag is None or any(tag in v for v in p.environ().values()) or tag in p.cwd():
                    found.append(p)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
    return found


@pytest.fixture(autouse=True)
def _tagged(monkeypatch, tmp_path):
    monkeypatch.setenv("VANBAN_TEST_TAG", str(tmp_path))


def test_programs_a_worker_started_die_with_it(tmp_path, monkeypatch):
    src = make_corpus(tmp_path / "in", 4)
    (src / "d00" / "0001_ocr_cv_4222_tct.md").rename(src / "d00" / "stuck.md")
    monkeypatch.setenv("VANBAN_TEST_HOOK", "hang:stuck")
    summary = run(src, tmp_path / "out", progress=False, workers=1, timeout=2)
    assert summary.errors_by_type == {"timeout": 1}
    time.sleep(0.5)
    assert not _children_running("sleep 3599.5")  # the hook's stand-in for a Tesseract stuck on a page
    # its temporary copy was made in the worker's own folder below OUTPUT, and went with the worker
    import tempfile

    assert not list(Path(tempfile.gettempdir()).glob("vanban-hook-*"))
    assert not list((tmp_path / "out").rglob("vanban-hook-*"))


def test_a_worker_killed_from_outside_is_tried_again(tmp_path, monkeypatch):
    src = make_corpus(tmp_path / "in", 4)
    (src / "d00" / "0001_ocr_cv_4222_tct.md").rename(src / "d00" / "victim.md")
    monkeypatch.setenv("VANBAN_TEST_HOOK", "hang:victim")

    def kill_the_worker():  # as the OOM killer or an operator would, while it works on the file
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for p in _children_running("sleep 3599.5"):
                os.kill(p.ppid(), signal.SIGKILL)
                return
            time.sleep(0.05)

    import threading

    killer = threading.Thread(target=kill_the_worker)
    killer.start()
    first = run(src, tmp_path / "out", progress=False, workers=1, timeout=120)
    killer.join()
    assert first.errors_by_type == {"worker_crashed": 1}
    assert not _children_running("sleep 3599.5")
    monkeypatch.delenv("VANBAN_TEST_HOOK")
    second = run(src, tmp_path / "out", progress=False, workers=1)
    assert (second.retried, second.documents, second.failed) == (1, 1, 0)
    assert pq.read_table(tmp_path / "out" / "errors.parquet").num_rows == 0


# -- byte-identical files ------------------------------------------------------------------------------


def test_byte_identical_files_are_one_document_with_all_their_paths(tmp_path):
    from pipeline.query.sql import sql

    src = tmp_path / "in"
    (src / "b").mkdir(parents=True)
    plan = (Path(__file__).parent / "fixtures" / "docs" / "seed_ke_hoach.txt").read_bytes()
    (src / "a_plan.txt").write_bytes(plan)
    (src / "b" / "plan copy.txt").write_bytes(plan)
    (src / "c_plan.txt").write_bytes(plan)
    (src / "letter.txt").write_bytes((Path(__file__).parent / "fixtures" / "docs" / "seed_cong_van.txt").read_bytes())
    run(src, tmp_path / "one", progress=False, workers=0)
    run(src / "b", tmp_path / "alone", progress=False, workers=0)

    docs = pq.read_table(tmp_path / "one" / "documents.parquet").to_pylist()
    assert [(d["source_path"], d["duplicate_paths"]) for d in docs] == [
        ("a_plan.txt", ["b/plan copy.txt", "c_plan.txt"]),
        ("letter.txt", []),
    ]
    tasks = pq.read_table(tmp_path / "alone" / "tasks.parquet").num_rows
    assert tasks > 0
    joined = sql(str(tmp_path / "one"), "SELECT count(*) AS n FROM tasks JOIN documents USING (doc_id) WHERE source_path = 'a_plan.txt'")
    assert joined.column("n").to_pylist() == [tasks]
    query = "SELECT count(*) AS n FROM task_agencies JOIN documents USING (doc_id) WHERE source_path = 'a_plan.txt'"
    agencies = sql(str(tmp_path / "one"), query).column("n").to_pylist()
    assert agencies == [pq.read_table(tmp_path / "alone" / "task_agencies.parquet").num_rows]

    # the first copy gone (and pruned): the next one carries the document
    (src / "a_plan.txt").unlink()
    run(src, tmp_path / "one", progress=False, workers=0, prune=True)
    docs = pq.read_table(tmp_path / "one" / "documents.parquet").to_pylist()
    assert [(d["source_path"], d["duplicate_paths"]) for d in docs][0] == ("b/plan copy.txt", ["c_plan.txt"])
    run(src, tmp_path / "clean", progress=False, workers=0)
    assert_same_tables(tmp_path / "clean", tmp_path / "one")


def test_the_forkservers_death_blames_no_file_for_good(tmp_path):
    """Its workers die with it; the files they were on are error rows the next run tries again."""
    script = f"""
import os, sys, threading, time
sys.path.insert(0, {str(Path(__file__).parent)!r})
import psutil
from pathlib import Path
from batch_helpers import make_corpus
from pipeline.runner import run
base = Path({str(tmp_path)!r})
src = make_corpus(base / "in", 40)
os.environ["VANBAN_TEST_HOOK"] = "slow:d00/0002|slow:d00/0003|slow:d00/0010|slow:d00/0011"  # both workers busy
def kill_the_forkserver():
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for c in psutil.Process().children():
            if "forkserver" in " ".join(c.cmdline()) and c.children():
                time.sleep(1)
                c.kill()
                return
        time.sleep(0.05)
threading.Thread(target=kill_the_forkserver, daemon=True).start()
s = run(src, base / "out", progress=False, workers=2, timeout=60)
print(sorted(s.errors_by_type.items()), s.documents + s.failed)
del os.environ["VANBAN_TEST_HOOK"]
s = run(src, base / "out", progress=False, workers=2)
print(s.retried, s.documents, s.failed, s.skipped)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()[-2:]
    kinds, processed = eval(first.rsplit(" ", 1)[0]), int(first.rsplit(" ", 1)[1])
    assert processed == 40 and [k for k, _ in kinds] == ["worker_crashed"]
    retried, documents, failed, skipped = map(int, second.split())
    assert retried == documents == kinds[0][1] and failed == 0 and skipped == 40 - retried
