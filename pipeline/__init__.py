"""vanban: Vietnamese administrative documents to clean, queryable tables.

Data flows one way: ``ingest`` (bytes to text) → ``normalize`` (one canonical
text) → ``parse`` (a pure function from text to records) → ``output`` (records to
Parquet tables).
"""

__version__ = "0.1.0"
PARSER_VERSION = "0.2.0"


def load(output):
    """Every table of a ``vanban run`` OUTPUT as pandas DataFrames with the schema's dtypes (see ``pipeline.query.load``)."""
    from pipeline.query.load import load as _load

    return _load(output)
