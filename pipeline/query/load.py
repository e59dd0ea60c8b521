"""Every table as a pandas DataFrame with the schema's dtypes, for notebooks: ``pipeline.load(OUTPUT)``.

Types follow ``pipeline.output.schema``, not what a reader guesses: strings are the
``string`` dtype (missing is ``pd.NA``), integers nullable ``Int8``/``Int16``/``Int32``
(a missing page or year stays missing instead of turning the column to float), dates
``datetime64`` (so ``.dt`` and date comparisons work), floats numpy floats.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from pipeline.output.schema import ADDED_TABLES, TABLES
from pipeline.query.files import NotAnOutput, Output, partition

_PANDAS_TYPES = {
    pa.string(): pd.StringDtype(),
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
}


@dataclass
class Tables:
    """The tables of one OUTPUT; also readable as a mapping: ``tables["tasks"]``.

    ``texts`` (every page of every document) is read when first asked for, not with the others:
    it is by far the largest table and most questions do not need it.
    """

    documents: pd.DataFrame
    references: pd.DataFrame
    recipients: pd.DataFrame
    tasks: pd.DataFrame
    task_agencies: pd.DataFrame
    errors: pd.DataFrame
    output: str | os.PathLike | None = field(default=None, repr=False)
    _texts: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def texts(self) -> pd.DataFrame:
        if self._texts is None:
            self._texts = to_pandas(read_arrow(self.output, "texts"))
        return self._texts

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        return getattr(self, name)

    def keys(self) -> list[str]:
        return list(TABLES)

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        return ((name, getattr(self, name)) for name in self.keys())


def read_arrow(output: str | os.PathLike, name: str, columns: Iterable[str] | None = None) -> pa.Table:
    """One table as Arrow, with the current schema (columns an older output lacks are null; a table it lacks
    is empty)."""
    out = Output.at(output)
    try:
        files = out.files(name)
    except NotAnOutput:
        if name not in ADDED_TABLES:
            raise
        files = []
    schema = TABLES[name]
    part = partition(files[0]) if files else None
    hive = {}
    if part and part[0] in schema.names:  # a value its folder's name may hold in place of the file
        hive = {
            "partitioning": ds.partitioning(pa.schema([schema.field(part[0])]), flavor="hive"),
            "partition_base_dir": out.join(name),
        }
    dataset = ds.dataset(files, schema=schema, format="parquet", filesystem=out.fs, **hive)
    return dataset.to_table(columns=list(columns) if columns is not None else None)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow to pandas with nullable integers, the string dtype and datetime64 dates."""
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get, date_as_object=False)


def load(output: str | os.PathLike) -> Tables:
    """Read the tables of a ``vanban run`` OUTPUT (local path or fsspec URL, one file or partitions per table)."""
    return Tables(**{name: to_pandas(read_arrow(output, name)) for name in TABLES if name != "texts"}, output=output)
