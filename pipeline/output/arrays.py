"""Python values to Arrow arrays without loading pandas: what the driver writes rows with.

``pyarrow.array`` imports pandas the first time it is called, whatever it is given, to ask whether
the values are a pandas object: half a second of CPU, more than the rest of a one-file run together.
The few types the tables use are built here from their buffers instead (``Array.from_buffers``,
with numpy, which pyarrow loads anyway): the same arrays, value for value and null for null
(``tests/test_arrays.py`` compares them with ``pyarrow.array`` on every type of the schema). A type
not handled here goes to ``pyarrow.array``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

_EPOCH = dt.date(1970, 1, 1).toordinal()
_INTS = {pa.int8(): np.int8, pa.int16(): np.int16, pa.int32(): np.int32, pa.int64(): np.int64}
_FLOATS = {pa.float32(): np.float32, pa.float64(): np.float64}
_MAX_OFFSET = (1 << 31) - 1


def array(values: list, type: pa.DataType) -> pa.Array:
    """``pyarrow.array(values, type)`` for a list of Python values (None for null); a string may also be given
    as its UTF-8 bytes."""
    n = len(values)
    if type in _INTS or type in _FLOATS:
        dtype = _INTS.get(type) or _FLOATS[type]
        with np.errstate(over="ignore"):  # a double past float32's range is inf, as pyarrow makes it
            data = np.fromiter((0 if v is None else v for v in values), dtype, n)
        return _fixed(type, n, values, data)
    if type == pa.date32():
        data = np.fromiter((0 if v is None else v.toordinal() - _EPOCH for v in values), np.int32, n)
        return _fixed(type, n, values, data)
    built = None
    if type == pa.string():
        built = _strings(values)
    elif pa.types.is_list(type) and type.value_type == pa.string():
        built = _string_lists(values, type)
    return pa.array(values, type) if built is None else built


def _validity(values: list) -> tuple[pa.Buffer | None, int]:
    """The validity bitmap of ``values`` (None where every value is there) and the number of nulls."""
    nulls = values.count(None)
    if not nulls:
        return None, 0
    valid = np.fromiter((v is not None for v in values), np.bool_, len(values))
    return pa.py_buffer(np.packbits(valid, bitorder="little")), nulls


def _fixed(type: pa.DataType, n: int, values: list, data: np.ndarray) -> pa.Array:
    validity, nulls = _validity(values)
    return pa.Array.from_buffers(type, n, [validity, pa.py_buffer(data)], null_count=nulls)


def _offsets(lengths, n: int) -> np.ndarray | None:
    """Arrow's int32 offsets of ``n`` values of these lengths; None past what int32 offsets hold."""
    ends = np.cumsum(np.fromiter(lengths, np.int64, n))
    if n and ends[-1] > _MAX_OFFSET:
        return None
    offsets = np.zeros(n + 1, np.int32)
    offsets[1:] = ends
    return offsets


def _strings(values: list) -> pa.Array | None:
    encoded = [b"" if v is None else v if v.__class__ is bytes else v.encode() for v in values]
    offsets = _offsets(map(len, encoded), len(values))
    if offsets is None:
        return None
    validity, nulls = _validity(values)
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)), validity, nulls)


def _string_lists(values: list, type: pa.ListType) -> pa.Array | None:
    flat = [s for v in values if v is not None for s in v]
    child = _strings(flat)
    offsets = _offsets((0 if v is None else len(v) for v in values), len(values))
    if child is None or offsets is None:
        return None
    validity, nulls = _validity(values)
    return pa.Array.from_buffers(type, len(values), [validity, pa.py_buffer(offsets)], null_count=nulls, children=[child])
