"""What a run tells a person: a bar that moves on a timer, log lines on a timer when nobody watches, a JSON log."""

from __future__ import annotations

import io
import json
import time

from batch_helpers import make_corpus
from pipeline.batch.progress import Progress, RunSummary, Throughput
from pipeline.cli import main


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_line_comes_on_the_timer_while_no_file_finishes():
    stream = io.StringIO()
    p = Progress(lambda: 5000, stream=stream, seconds=0.3)
    p.update(RunSummary(documents=10))
    p.reading("2024/scan_of_400_pages.pdf")
    time.sleep(1.2)  # one file that takes long: no update comes, lines still do
    p.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 2
    assert lines[-1].startswith("vanban: 10/5000 files") and "reading 2024/scan_of_400_pages.pdf" in lines[-1]


def test_every_thousand_files_a_line_without_waiting_for_the_timer():
    stream = io.StringIO()
    p = Progress(None, stream=stream, seconds=3600)
    for n in range(1, 2501):
        p.update(RunSummary(documents=n))
    p.close()
    assert [line.split(" files")[0] for line in stream.getvalue().splitlines()] == ["vanban: 1000", "vanban: 2000"]


def test_on_a_terminal_the_bar_redraws_by_itself():
    stream = _Terminal()
    p = Progress(100, stream=stream)
    p.update(RunSummary(documents=7, failed=1))
    p.reading("d01/cong_van.pdf")
    time.sleep(0.8)
    p.close()
    out = stream.getvalue()
    assert "8/100" in out and "1 failed" in out and "cong_van.pdf" in out


def test_the_estimate_follows_the_recent_pace():
    t = Throughput(window=30)
    for s in range(0, 100):  # a fast start, 10 files a second
        t.add(float(s), s * 10)
    for s in range(100, 200):  # then scans, one file a second
        t.add(float(s), 990 + (s - 99))
    assert 0.9 < t.rate() < 1.2


def test_log_file_as_json_lines(tmp_path, capsys):
    src = make_corpus(tmp_path / "in", 3)
    (src / "empty.txt").write_bytes(b"")
    log = tmp_path / "run.jsonl"
    assert main(["run", str(src), str(tmp_path / "out"), "-q", "--workers", "0", "--log-file", str(log)]) == 1
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    events = [r.get("event") for r in records]
    assert events[0] == "start" and events[-1] == "summary" and "error" in events
    error = next(r for r in records if r.get("event") == "error")
    assert (error["source_path"], error["error_type"], error["level"]) == ("empty.txt", "empty", "warning")
    assert records[-1]["failed"] == 1 and records[-1]["documents"] == 3
    assert all("time" in r and "message" in r for r in records)
    capsys.readouterr()


def test_one_long_scan_does_not_swing_the_estimate_to_hours():
    t = Throughput(window=30, files=50)
    for s in range(0, 120):  # two files a second for two minutes
        t.add(float(s), 2 * s)
    for s in range(120, 180):  # then one scan read for a minute: nothing finishes
        t.add(float(s), 238)
    assert 0.5 < t.rate() < 2.1
