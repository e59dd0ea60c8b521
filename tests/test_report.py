"""``vanban report``: one self-contained HTML page whose charts hold what the tables hold, drawn offline.

The page is checked as text (every chart present, one mark per datum, nothing fetched
from elsewhere) and, when Chromium is installed (``scripts/install-test-deps.sh``),
opened in headless Chromium: the DOM it builds has the charts, its network log shows
no request made by the page, and a screenshot (kept in ``tests/artifacts/``) shows
the bars in their colours.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from conftest import FIXTURES, ROOT
from pipeline.cli import main
from pipeline.query.fold import number_key
from pipeline.report.page import MAX_MONTHS
from pipeline.runner import run
from test_query import dev_out, out, raw_out  # noqa: F401 - fixtures: the outputs are made once per session

TODAY = dt.date(2025, 6, 1)
TOP = 15
CHARTS = ["documents-by-type", "documents-by-month", "tasks-by-lead", "deadlines", "most-cited"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BLUE, RED = (0x3B, 0x6E, 0xA8), (0xC0, 0x39, 0x2B)  # .mark and .mark.overdue in the page's CSS


def _report(out: Path, html: Path, today: dt.date = TODAY) -> str:
    assert main(["report", str(out), "--html", str(html), "--today", today.isoformat(), "--top", str(TOP)]) == 0
    return html.read_text(encoding="utf-8")


class Drawn(HTMLParser):
    """What a page draws: per chart its declared and counted marks, and every URL-like attribute."""

    def __init__(self, html: str):
        super().__init__()
        self.charts: dict[str, dict] = {}
        self.links: list[str] = []
        self.tags: set[str] = set()
        self._chart: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        self.links += [v for k, v in attrs if k in ("src", "href", "xlink:href", "srcset", "poster", "data") and v]
        if tag == "svg" and "data-chart" in a:
            self._chart = a["data-chart"]
            self.charts[self._chart] = {"declared": int(a["data-marks"]), "marks": 0, "overdue": 0, "linked": 0}
        elif tag == "rect" and self._chart and "mark" in a.get("class", "").split():
            c = self.charts[self._chart]
            c["marks"] += 1
            c["overdue"] += "overdue" in a["class"].split()
            c["linked"] += "linked" in a["class"].split()

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart = None


def _columns_with(dates, axis) -> int:
    """Columns of a time chart that hold some of ``dates``: months, or years when ``axis`` spans more than MAX_MONTHS months."""
    ends = {(d.year, d.month) for d in axis}
    (y0, m0), (y1, m1) = min(ends), max(ends)
    monthly = (y1 - y0) * 12 + m1 - m0 + 1 <= MAX_MONTHS
    return len({(d.year, d.month if monthly else 0) for d in dates})


def _due_columns(tasks: pd.DataFrame, today: dt.date, keep) -> int:
    due = list(tasks.deadline_end.dropna())
    return _columns_with([d for d in due if keep(d)], due + [today])


def _check_charts(drawn: Drawn, tables, today: dt.date) -> None:
    """Every chart is there with one mark per datum of the tables."""
    assert list(drawn.charts) == CHARTS
    for name, c in drawn.charts.items():
        assert c["marks"] == c["declared"] > 0, name
    docs = tables.documents
    assert drawn.charts["documents-by-type"]["marks"] == docs.doc_type.fillna("-").nunique()
    issued = docs.dropna(subset=["issue_year", "issue_month"])
    issued = [dt.date(int(y), int(m), 1) for y, m in zip(issued.issue_year, issued.issue_month)]
    assert drawn.charts["documents-by-month"]["marks"] == _columns_with(issued, issued)
    assert drawn.charts["tasks-by-lead"]["marks"] == min(TOP, tables.tasks.lead_agency.nunique())
    stamp = pd.Timestamp(today)
    all_due = _due_columns(tables.tasks, today, lambda d: True)
    overdue = _due_columns(tables.tasks, today, lambda d: d < stamp)
    later = _due_columns(tables.tasks, today, lambda d: d >= stamp)
    assert drawn.charts["deadlines"]["overdue"] == overdue
    assert drawn.charts["deadlines"]["marks"] == overdue + later >= all_due
    cited = tables.references.ref_number.map(number_key).nunique()
    assert drawn.charts["most-cited"]["marks"] == min(TOP, cited)


def _check_offline(html: str, drawn: Drawn) -> None:
    assert drawn.links == [] or all(not re.match(r"\s*(https?:)?//", link, re.I) for link in drawn.links)
    assert not drawn.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert not re.search(r"url\(|@import|https?://", html, re.I)
    assert "default-src 'none'" in html  # the page forbids the browser to fetch anything


def test_report_charts_hold_the_tables(out, tmp_path):
    html = _report(out, tmp_path / "report.html")
    drawn = Drawn(html)
    _check_charts(drawn, pipeline.load(out), TODAY)
    _check_offline(html, drawn)
    assert drawn.charts["deadlines"]["overdue"] > 0  # both outputs have deadlines before 2025-06-01
    assert len(html.encode()) < 200_000


def test_today_decides_what_is_overdue(raw_out, tmp_path):
    tables = pipeline.load(raw_out)
    early = Drawn(_report(raw_out, tmp_path / "early.html", dt.date(1990, 1, 1))).charts["deadlines"]
    late = Drawn(_report(raw_out, tmp_path / "late.html", dt.date(2100, 1, 1))).charts["deadlines"]
    assert early["overdue"] == 0 and early["marks"] > 0
    assert late["overdue"] == late["marks"] == _due_columns(tables.tasks, dt.date(2100, 1, 1), lambda d: True)


def test_linked_citations_are_marked(raw_out, tmp_path):
    assert main(["report", str(raw_out), "--html", str(tmp_path / "r.html"), "--top", "100"]) == 0
    chart = Drawn((tmp_path / "r.html").read_text(encoding="utf-8")).charts["most-cited"]
    refs = pipeline.load(raw_out).references
    assert chart["linked"] == refs[refs.ref_doc_id.notna()].ref_number.map(number_key).nunique() > 0


def test_error_summary(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIXTURES / "docs" / "seed_cong_van.txt", src / "a.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "noise.txt").write_bytes(bytes(range(256)) * 50)
    run(src, tmp_path / "out", progress=False, workers=0)
    html = _report(tmp_path / "out", tmp_path / "r.html")
    errors = Drawn(html).charts.get("errors")
    assert errors and errors["marks"] == 2  # ingest/empty and ingest/binary
    assert "empty.txt" in html and "noise.txt" in html


# -- in a real browser ------------------------------------------------------------------------------


def _chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND", *args, url,
    ]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page asked for (its own network isolation key is ``file://``), from Chromium's NetLog.

    The browser's own background requests (update checks, time) carry another key and
    are left out; ``--host-resolver-rules`` keeps them from leaving the machine anyway.
    """
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        e["params"]["url"]
        for e in log["events"]
        if e["type"] == start_job and "url" in e.get("params", {}) and "file://" in e["params"].get("network_isolation_key", "")
    ]


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium (scripts/install-test-deps.sh installs it)")
def test_chromium_draws_the_report_offline(raw_out, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    # the detector sees a page that does fetch
    control = tmp_path / "control.html"
    control.write_text('<p>x</p><img src="http://example.com/a.png"><link rel="stylesheet" href="https://example.org/a.css">')
    _chromium(tmp_path, control.as_uri(), f"--log-net-log={tmp_path / 'control.json'}", "--dump-dom")
    assert {u.split("/")[2] for u in _page_requests(tmp_path / "control.json")} == {"example.com", "example.org"}

    html_path = tmp_path / "report.html"
    _report(raw_out, html_path)
    dom = _chromium(tmp_path, html_path.as_uri(), f"--log-net-log={tmp_path / 'report.json'}", "--dump-dom").stdout
    assert _page_requests(tmp_path / "report.json") == []
    _check_charts(Drawn(dom), pipeline.load(raw_out), TODAY)

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-raw.png"
    shot.unlink(missing_ok=True)
    _chromium(tmp_path, html_path.as_uri(), f"--screenshot={shot}", "--window-size=1000,3600")
    print(f"report screenshot: {shot}")
    colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20)
    count = {rgb: n for n, rgb in colours}
    assert count.get(BLUE, 0) > 5000, "blue bars drawn"
    assert count.get(RED, 0) > 500, "overdue deadlines drawn in red"
