"""vanban: Vietnamese administrative documents to clean, queryable tables.

Data flows one way: ``ingest`` (bytes to text) → ``normalize`` (one canonical
text) → ``parse`` (a pure function from text to records) → ``output`` (records to
Parquet tables).
"""

__version__ = "0.1.0"
PARSER_VERSION = "0.1.0"
