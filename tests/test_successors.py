"""Today's names: rules/successors.toml's examples, variants of them, agreement with the other rule files,
and the post-run step that fills task_agencies once per distinct name."""

from __future__ import annotations

import shutil
import socket

import pyarrow.parquet as pq
import pytest

import pipeline
from conftest import ROOT
from pipeline import rules
from pipeline.output import successors as succ
from pipeline.output.admin_units import AdminUnits
from pipeline.output.successors import MARK, fill_successors, successors
from pipeline.query.fold import fold
from pipeline.runner import run
from test_query import raw_out  # noqa: F401 - fixture: the output of data/raw, made once per session

EXAMPLES = rules.load("successors")["example"]


def _successor(agency, issuer="", place="", date=""):
    year, month = (int(date[:4]), int(date[5:7])) if date else (None, None)
    return successors().successor(agency, issuer or None, place or None, year, month)


@pytest.mark.parametrize("ex", EXAMPLES, ids=[f"{e['agency']} | {e['issuer']}" for e in EXAMPLES])
def test_rule_examples(ex):
    assert (_successor(ex["agency"], ex["issuer"], ex["place"], ex["date"]) or "") == ex["successor"]


# Variants made here: other case, other tone placement, other levels and provinces, other kinds of issuer.
VARIANTS = [
    ("Sở Kế Hoạch Và Đầu Tư", "Ủy ban nhân dân tỉnh Hà Nam", "", "2024-01-01", "Sở Tài chính tỉnh Ninh Bình"),
    ("Sở Tài nguyên và Môi trường", "Uỷ ban nhân dân tỉnh Yên Bái", "", "2023-05-01", "Sở Nông nghiệp và Môi trường tỉnh Lào Cai"),
    ("Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Nông", "Bộ Nông nghiệp và Phát triển nông thôn", "Hà Nội", "2024-01-01",
     "Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng"),
    ("Sở Y tế", "Sở Tài chính", "Vĩnh Phúc", "2024-01-01", "Sở Y tế tỉnh Phú Thọ"),  # a department's document: its place
    ("Sở Y tế", "Sở Tài chính", "", "2024-01-01", ""),  # no place: no province
    ("Sở Y tế", "", "Vĩnh Phúc", "2024-01-01", ""),  # no issuer: cannot tell a local document
    ("Sở Y tế", "Văn phòng Chính phủ", "Hà Nội", "2024-01-01", ""),
    ("Bảo hiểm xã hội tỉnh", "Ủy ban nhân dân tỉnh Hưng Yên", "Hưng Yên", "2024-01-01", "Bảo hiểm xã hội tỉnh Hưng Yên"),
    ("Bảo hiểm xã hội tỉnh", "Ủy ban nhân dân tỉnh Thái Bình", "Thái Bình", "2024-01-01", "Bảo hiểm xã hội tỉnh Hưng Yên"),
    ("Ủy ban nhân dân cấp tỉnh", "Ủy ban nhân dân tỉnh Thái Bình", "", "2024-01-01", ""),
    ("Công an thành phố", "Ủy ban nhân dân thành phố Hải Phòng", "Hải Phòng", "2024-01-01", "Công an thành phố Hải Phòng"),
    ("Công an tỉnh", "Ủy ban nhân dân thành phố Hải Phòng", "Hải Phòng", "2024-01-01", ""),  # a city is no tỉnh
    ("Ủy ban nhân dân thành phố", "Ủy ban nhân dân thành phố Phan Thiết", "Phan Thiết", "2024-01-01", ""),  # the city, not a province
    ("Bộ Giao thông vận tải", "Thủ tướng Chính phủ", "Hà Nội", "2024-01-01", "Bộ Xây dựng"),
    ("Tổng cục Thuế", "Bộ Tài chính", "Hà Nội", "2024-01-01", "Cục Thuế"),
    ("Ủy ban nhân dân tỉnh Quảng Bình", "", "", "", "Ủy ban nhân dân tỉnh Quảng Trị"),
    ("Ủy ban nhân dân thành phố Cần Thơ", "", "", "", ""),  # kept its name
    ("Ủy ban nhân dân tỉnh Đắk Nông", "Ủy ban nhân dân tỉnh Lâm Đồng", "Lâm Đồng", "2025-12-01", "Ủy ban nhân dân tỉnh Lâm Đồng"),
    ("Sở Tư pháp", "Ủy ban nhân dân tỉnh Lâm Đồng", "Lâm Đồng", "2025-12-01", "Sở Tư pháp tỉnh Lâm Đồng"),
    ("Ủy ban nhân dân tỉnh Hậu Giang", "", "", "", "Ủy ban nhân dân thành phố Cần Thơ"),
    ("Ủy ban nhân dân huyện Lý Sơn", "Ủy ban nhân dân tỉnh Quảng Ngãi", "", "2024-01-01", "Ủy ban nhân dân đặc khu Lý Sơn, tỉnh Quảng Ngãi"),
    ("Ủy ban nhân dân Quận 8", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "", "2024-01-01", ""),  # districts were abolished
    ("Ủy ban nhân dân xã Tân Lập", "Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", "2024-01-01", ""),  # several Tân Lập: no guess
    ("Ủy ban nhân dân xã Khánh Hoà Nonexistent", "Ủy ban nhân dân tỉnh Lạng Sơn", "", "2024-01-01", ""),
    ("Sở Tư pháp tỉnh Lạng Sơn chuẩn bị", "", "", "", ""),  # words after the place: left alone
]


@pytest.mark.parametrize("agency,issuer,place,date,expected", VARIANTS, ids=[v[0] + " | " + v[1] for v in VARIANTS])
def test_variants(agency, issuer, place, date, expected):
    assert (_successor(agency, issuer, place, date) or "") == expected


def test_a_document_of_today_names_today_s_communes():
    """After 1 July 2025 `xã Bảo Lâm 1` is a commune of today; before, the name means nothing the library knows."""
    assert _successor("Ủy ban nhân dân xã Bảo Lâm 1", "Ủy ban nhân dân tỉnh Lâm Đồng", "", "2025-08-01") == (
        "Ủy ban nhân dân xã Bảo Lâm 1, tỉnh Lâm Đồng"
    )
    assert _successor("Ủy ban nhân dân xã Bảo Lâm 1", "Ủy ban nhân dân tỉnh Lâm Đồng", "", "2024-08-01") is None


def test_provinces_agree_with_rules_places():
    """The library's province mergers are those rules/places.toml lists (Nghị quyết 202/2025/QH15)."""
    units = AdminUnits()
    checked = 0
    for new in rules.load("places")["new"]:
        for old in new["from"]:
            province = successors()._province(old, False)
            assert province is not None, old
            today = units.today(province)
            assert fold(today.province.name) == fold(new["name"]), (old, new["name"], today)
            checked += 1
    assert checked == 63


def test_sectors_agree_with_rules_agencies():
    """The parser's own sector list names the same successors (until it stops carrying them)."""
    ours = {fold(s["old"]): s["new"] for s in rules.load("successors")["sector"]}
    for s in rules.load("agencies")["sector"]:
        if s.get("successor"):
            assert ours[fold(s["name"])] == s["successor"], s["name"]


def test_no_network_is_ever_asked(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    s = succ.Successors()
    s._units = AdminUnits()
    for agency, issuer, place, date, _ in VARIANTS:
        year = int(date[:4]) if date else None
        s.successor(agency, issuer or None, place or None, year, int(date[5:7]) if date else None)
    for ex in EXAMPLES:
        s.successor(ex["agency"], ex["issuer"] or None, ex["place"] or None)


# -- after a run -----------------------------------------------------------------------------------


def test_fill_once_then_only_footers(raw_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(raw_out, out, ignore=shutil.ignore_patterns("_*"))
    path = out / "task_agencies.parquet"
    before = pq.read_table(path)
    assert MARK in before.schema.metadata and before.column("agency_successor").null_count < before.num_rows
    assert fill_successors(out) == 0  # filled by the run already
    mtime = path.stat().st_mtime_ns
    blank = before.set_column(before.schema.get_field_index("agency_successor"), "agency_successor", before.column("agency_successor").cast("string").fill_null("x").cast("string"))
    pq.write_table(blank.replace_schema_metadata(None), path)  # as compaction writes it: no mark, stale values
    filled = fill_successors(out)
    after = pq.read_table(path)
    assert after.equals(before) and filled == before.num_rows - before.column("agency_successor").null_count
    assert path.stat().st_mtime_ns != mtime and not list(out.glob(".*.tmp"))


def test_a_change_of_rules_or_library_fills_again(raw_out, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(raw_out, out, ignore=shutil.ignore_patterns("_*"))
    monkeypatch.setattr(succ, "fingerprint", lambda: b"another")
    assert fill_successors(out) > 0
    assert pq.read_table(out / "task_agencies.parquet").schema.metadata[MARK] == b"another"


def test_partitioned_output_gets_the_same_successors(raw_out, tmp_path):
    parted = tmp_path / "parted"
    run(ROOT / "data" / "raw", parted, progress=False, workers=0, partition_by="issue_year")
    flat, part = pipeline.load(raw_out).task_agencies, pipeline.load(parted).task_agencies
    key = ["doc_id", "task_no", "role", "agency"]
    flat, part = flat.sort_values(key).reset_index(drop=True), part.sort_values(key).reset_index(drop=True)
    assert flat.agency_successor.equals(part.agency_successor) and flat.agency_successor.notna().any()
