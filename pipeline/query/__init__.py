"""Reading the tables back: for notebooks, the command line and the report.

- ``files``   where each table's Parquet files are (one file or hive partitions, local or fsspec)
- ``fold``    comparison keys: diacritic-free text, document numbers (in Python and as DuckDB macros)
- ``load``    every table as a pandas DataFrame with the schema's dtypes (``pipeline.load``)
- ``sql``     a DuckDB connection with a view per table (``vanban query``)
- ``tasks``   the task finder behind ``vanban tasks``
- ``cites``   what cites a document and what it cites (``vanban cites``)
- ``formats`` a result as an aligned table, CSV, JSON or Parquet
"""
