"""The driver's Arrow arrays (``pipeline.output.arrays``) are ``pyarrow.array``'s, and building them loads no pandas."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.output.arrays import array
from pipeline.output.schema import TABLES

TEXT = st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
VALUES = {
    pa.string(): TEXT,
    pa.int8(): st.one_of(st.none(), st.integers(-128, 127)),
    pa.int16(): st.one_of(st.none(), st.integers(-(2**15), 2**15 - 1)),
    pa.int32(): st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
    pa.float32(): st.one_of(st.none(), st.floats(allow_nan=False, width=64)),
    pa.date32(): st.one_of(st.none(), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))),
}
LIST = TABLES["documents"].field("duplicate_paths").type


def test_every_type_of_the_schema_is_built_here():
    types = {f.type for schema in TABLES.values() for f in schema}
    assert types <= {*VALUES, LIST}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_same_arrays_as_pyarrow(data):
    for type, values in [*VALUES.items(), (LIST, st.one_of(st.none(), st.lists(TEXT.filter(lambda s: s is not None), max_size=4)))]:
        vals = data.draw(st.lists(values, max_size=40))
        built, expected = array(vals, type), pa.array(vals, type)
        built.validate(full=True)
        assert built.type == expected.type and built.null_count == expected.null_count
        assert built.equals(expected), (type, vals)


def test_vietnamese_text_and_empty_columns():
    vals = ["Ủy ban nhân dân tỉnh Lâm Đồng", None, "", "Sở Tư pháp"]
    assert array(vals, pa.string()).to_pylist() == vals
    as_sent = [v.encode() if v and i % 2 == 0 else v for i, v in enumerate(vals)]  # the texts' text comes as UTF-8
    assert array(as_sent, pa.string()).equals(pa.array(vals, pa.string()))
    assert array([], pa.string()).equals(pa.array([], pa.string()))
    assert array([[], None, ["a.txt", "b/c.pdf"]], LIST).to_pylist() == [[], None, ["a.txt", "b/c.pdf"]]


def test_no_pandas_loaded():
    code = (
        "import sys, datetime, pyarrow as pa\n"
        "from pipeline.output.arrays import array\n"
        "array(['a', None], pa.string()); array([1, None], pa.int32()); array([datetime.date(2024, 1, 2)], pa.date32())\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
