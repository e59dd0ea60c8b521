"""Every table as a pandas DataFrame with the schema's dtypes, for notebooks: ``pipeline.load(OUTPUT)``.

Types follow ``pipeline.output.schema``, not what a reader guesses: strings are the
``string`` dtype (missing is ``pd.NA``), integers nullable ``Int8``/``Int16``/``Int32``
(a missing page or year stays missing instead of turning the column to float), dates
``datetime64`` (so ``.dt`` and date comparisons work), floats numpy floats.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from pipeline.output.schema import TABLES
from pipeline.query.files import Output

_PANDAS_TYPES = {
    pa.string(): pd.StringDtype(),
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
}


@dataclass
class Tables:
    """The six tables of one OUTPUT; also readable as a mapping: ``tables["tasks"]``."""

    documents: pd.DataFrame
    references: pd.DataFrame
    recipients: pd.DataFrame
    tasks: pd.DataFrame
    task_agencies: pd.DataFrame
    errors: pd.DataFrame

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        return getattr(self, name)

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)]

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        return ((name, getattr(self, name)) for name in self.keys())


def read_arrow(output: str | os.PathLike, name: str, columns: Iterable[str] | None = None) -> pa.Table:
    """One table as Arrow, with the current schema (columns an older output lacks are null)."""
    out = Output.at(output)
    files = out.files(name)
    keys = out.partition_values(name, files[0]) if files else {}
    hive = {}
    if keys:  # the partition column is in the folder names (typed as the documents column it splits by)
        fields = [TABLES["documents"].field(k) if k in TABLES["documents"].names else pa.field(k, pa.string()) for k in keys]
        hive = {"partitioning": ds.HivePartitioning(pa.schema(fields)), "partition_base_dir": out.join(name)}
    dataset = ds.dataset(files, schema=TABLES[name], format="parquet", filesystem=out.fs, **hive)
    return dataset.to_table(columns=list(columns) if columns is not None else None)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow to pandas with nullable integers, the string dtype and datetime64 dates."""
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get, date_as_object=False)


def load(output: str | os.PathLike) -> Tables:
    """Read the tables of a ``vanban run`` OUTPUT (local path or fsspec URL, one file or partitions per table)."""
    return Tables(**{name: to_pandas(read_arrow(output, name)) for name in TABLES})
