"""The run's log: ``--log-file`` writes every record of the ``vanban`` logger as one JSON object a line.

A long unattended run leaves a file a person or a log shipper can read afterwards: when it
started, its progress every few seconds, each file that failed (path, error type, message),
the summary, or why it stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    """``{"time": …, "level": …, "message": …}`` plus whatever the record was given in ``extra``."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def log_to_file(path: str) -> logging.Handler:
    """Append the ``vanban`` logger's records to ``path`` as JSON lines; returns the handler (to remove it)."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("vanban")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler
