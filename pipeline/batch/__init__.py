"""Batch processing at archive scale: parallel, resumable, fault-isolated.

The pieces, in the order data flows through them:

- ``inputs``   walk INPUT lazily, one sorted directory at a time
- ``process``  the pure unit of work: one file to its rows (never raises)
- ``worker``   what runs in a worker process: limits, the test hook, the task loop
- ``pool``     the local engine: worker processes fed through pipes, replaced when they die
- ``dask_engine`` the same unit of work on a Dask cluster
- ``manifest`` which file (content hash, parser version) is already in which part
- ``parts``    results written in part files, committed atomically with the manifest
- ``compact``  live rows of every part merged into the final tables
- ``progress`` the bar, the log lines and the summary
- ``driver``   the run itself, tying them together

This package's ``__init__`` imports nothing: worker processes import
``pipeline.batch.worker`` and must stay free of pyarrow.
"""
