"""The scorer and its layout variants: the scorer's own normalizers, shares of all gold tasks,
variants that keep every value a person reads."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import FIXTURES
from pipeline.evaluate import format_report, number_key, score
from pipeline.layout_variants import cells, variants, wrap

NUMBER = re.compile(r"\d+/[\w/.&-]+")


def test_number_key_is_the_scorers_own():
    assert number_key("Số 32/2024/NÐ-CP") != number_key("32/2024/NĐ-CP")  # the label is not folded away
    assert number_key(" 32 /2024/NÐ-CP ") == number_key("32/2024/NĐ-CP")  # U+00D0 and spaces
    assert number_key("09/2024/TT-BTС") == number_key("09/2024/TT-BTC")  # Cyrillic С
    assert number_key("101/QĐ-TTG") != number_key("101/QĐ-TTg")  # case is the document's
    assert number_key(None) is None


def _tables(docs, tasks=(), agencies=()):
    empty = {"references": pd.DataFrame({"doc_id": [], "ref_number": []}),
             "recipients": pd.DataFrame({"doc_id": [], "role": [], "recipient_text": []})}
    tasks = pd.DataFrame(list(tasks), columns=["doc_id", "task_no", "text", "lead_agency", "deadline_kind",
                                               "deadline_start", "deadline_end"])
    agencies = pd.DataFrame(list(agencies), columns=["doc_id", "task_no", "role", "agency"])
    return {"documents": pd.DataFrame(docs), "tasks": tasks, "task_agencies": agencies, **empty}


def test_task_shares_count_missed_tasks_as_wrong():
    gold = {"document": {}, "tasks": [
        {"lead": "Sở Tư pháp", "support": [], "deadline_kind": None, "deadline_start": None, "deadline_end": None,
         "text_start": "Rà soát"},
        {"lead": "Sở Nội vụ", "support": [], "deadline_kind": None, "deadline_start": None, "deadline_end": None,
         "text_start": "Tổng hợp"},
    ]}
    tables = _tables(
        [{"doc_id": "d", "source_path": "f/a.txt", "source_format": "txt"}],
        [("d", 1, "Rà soát các văn bản", "Sở Tư pháp", None, None, None)],
    )
    rep = score([("f/a.txt", gold)], tables)
    assert rep.total.task_whole == 1 and rep.total.gold_tasks == 2 and rep.total.tasks.tp == 1
    text = format_report(rep)
    assert "of found  100.0%  (1/1)   of all gold   50.0%  (1/2)" in text


def test_a_mixed_folder_is_scored_per_format():
    docs = [{"doc_id": "a", "source_path": "real/a.pdf", "source_format": "pdf", "text_source": "ocr", "doc_type": "Công văn"},
            {"doc_id": "b", "source_path": "real/b.docx", "source_format": "docx", "doc_type": "Công văn"}]
    golds = [("real/a.pdf", {"document": {"doc_type": "Công văn"}}), ("real/b.docx", {"document": {"doc_type": "Tờ trình"}})]
    rep = score(golds, _tables(docs))
    assert rep.by_format["real/pdf-ocr"].fields["doc_type"] == [1, 1]
    assert rep.by_format["real/docx"].fields["doc_type"] == [0, 1]


SAMPLE = (FIXTURES / "docs" / "tvpl_qd_1056.txt").read_text(encoding="utf-8")


def test_variants_are_deterministic_and_keep_every_number_whole():
    first = variants(SAMPLE, 6, "x")
    assert [v.text for v in first] == [v.text for v in variants(SAMPLE, 6, "x")]
    assert len({v.text for v in first}) == 6
    numbers = sorted(NUMBER.findall(SAMPLE))
    for v in first:
        assert sorted(NUMBER.findall(v.text.replace("**", ""))) == numbers, v.name


@pytest.mark.parametrize("width", [20, 33, 90])
def test_wrap_cuts_only_at_spaces(width):
    line = "Hà Nội, ngày 24 tháng 8 năm 2018 Số: 1213/2010/HDLN/STC-SCT về việc thực hiện"
    pieces = wrap([line], width)
    assert " ".join(pieces) == line
    assert all(len(p) <= width or " " not in p for p in pieces)


def test_cells_end_with_the_place_and_date_line():
    header = ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "Số: 258/KH-UBND",
              "", "Lào Cai, ngày 07 tháng 06 năm 2021", "", "KẾ HOẠCH", "TRỒNG CÂY XANH"]
    import random

    for seed in range(5):
        out = cells(header, random.Random(seed))
        assert out[-3:] == ["", "KẾ HOẠCH", "TRỒNG CÂY XANH"]  # title and subject are text after the table
        assert [x.strip(" |") for x in out if x.strip(" |")] == [x for x in header if x]  # every line kept, in order
        assert out[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"]  # a block's lines stay together
