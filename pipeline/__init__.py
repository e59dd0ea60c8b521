"""vanban: Vietnamese administrative documents to clean, queryable tables.

Data flows one way: ``ingest`` (bytes to text) → ``normalize`` (one canonical
text) → ``parse`` (a pure function from text to records) → ``output`` (records to
Parquet tables).
"""

import os

# Arrow's default allocator (mimalloc) holds on to what compaction frees, so a run's peak memory grew
# with the number of part files it merged; jemalloc gives memory back (measured: driver peak 1,000 vs
# 6,000 documents 209 → 240 MB with mimalloc, 165 → 180 MB with jemalloc). Set before pyarrow is
# imported; a choice already made in the environment is kept.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

__version__ = "0.1.0"
PARSER_VERSION = "0.8.0"  # 0.8.0: a lower-case recipient line goes on; 0.7.9: OCR KT prefix; 0.7.8: KT deputy when OCR lost the title; 0.7.7: archive line with any code; 0.7.6: symbols with dots, year-dash, broken separators; 0.7.5: a/ and + a) item markers; 0.7.4: headers run together: units, joint markers; 0.7.3: glued capitals split; 0.7.2: OCR issuers put back from known words; 0.7.1: tasks read alike at any line wrapping; 0.7.0: ingest blocks, stamps and handwriting pass; 0.6.0: header on a flat view, zones found once, tasks on every shape of assignment, texts table


def load(output):
    """Every table of a ``vanban run`` OUTPUT as pandas DataFrames with the schema's dtypes (see ``pipeline.query.load``)."""
    from pipeline.query.load import load as _load

    return _load(output)
