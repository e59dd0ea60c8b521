"""What travels between the driver and its workers: the items sent, the results sent back, the test hook.

Kept apart from ``worker`` (which imports the parser) so the driver, which only
sends and receives these, never loads or compiles the parser's rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.limits import DEFAULT, Limits
from pipeline.output.rows import COLUMNS, Columns, Rows, to_columns

STAGES = ("read", "ingest", "parse", "output")
"""The stages of one input, in order; a worker records the index of the one it is in."""

RETRYABLE = frozenset({"timeout", "memory", "worker_crashed", "ocr_timeout", "unreadable", "unlistable"})
"""Error types that say more about the moment than about the file (a limit met on a busy machine, a worker
killed from outside, a share that blinked): a rerun tries these files again (``--retry-errors``: every error)."""

HOOK_ENV = "VANBAN_TEST_HOOK"
"""Test hook, e.g. ``hang:bad.txt|crash:boom|oom:huge|slow:scan``: the parser hangs (in a
child process, as in Tesseract), kills its process (SIGSEGV), exhausts its memory or takes
3 s on files whose path contains the text. Read
by the driver and handed to workers; unset in production, where it does nothing."""

_DOC_ID = COLUMNS["documents"].index("doc_id")
_N_PAGES = COLUMNS["documents"].index("n_pages")
_ERR_DOC_ID = COLUMNS["errors"].index("doc_id")
_ERR_TYPE = COLUMNS["errors"].index("error_type")
_ERR_MESSAGE = COLUMNS["errors"].index("message")
_TEXT = COLUMNS["texts"].index("text")


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One file to process: ``seq`` orders results, ``path`` is what the worker reads."""

    seq: int
    rel: str
    path: str
    size: int
    limits: Limits = DEFAULT
    error: str | None = None
    error_type: str | None = None


@dataclass(slots=True)
class Result:
    """The rows of one item, as columns per table; ``retire`` asks for the worker to be replaced (after a MemoryError).

    The ``texts`` table's text travels as UTF-8 bytes (``bytes`` where the other columns hold ``str``): it is most
    of what a worker sends, a Python string is rebuilt from its UTF-8 at several times the cost of bytes, and
    the driver writes it as UTF-8 anyway (``pipeline.output.arrays`` takes either)."""

    seq: int
    columns: Columns
    retire: bool = False

    @classmethod
    def of_rows(cls, seq: int, rows: Rows) -> Result:
        result = cls(seq, to_columns(rows))
        result.retire = result.error_type == "memory"
        if "texts" in result.columns:
            texts = result.columns["texts"][_TEXT]
            try:
                texts[:] = [t.encode() if t is not None else None for t in texts]
            except UnicodeEncodeError:  # a lone surrogate: left as the string it is (the driver reports it)
                pass
        return result

    @property
    def is_document(self) -> bool:
        return "documents" in self.columns

    @property
    def doc_id(self) -> str | None:
        if "documents" in self.columns:
            return self.columns["documents"][_DOC_ID][0]
        if "errors" in self.columns:
            return self.columns["errors"][_ERR_DOC_ID][0]
        return None

    @property
    def error_type(self) -> str | None:
        return self.columns["errors"][_ERR_TYPE][0] if "errors" in self.columns else None

    @property
    def error_message(self) -> str | None:
        return self.columns["errors"][_ERR_MESSAGE][0] if "errors" in self.columns else None

    @property
    def pages(self) -> int:
        return sum(n or 0 for n in self.columns["documents"][_N_PAGES]) if "documents" in self.columns else 0


def parse_hook(spec: str | None) -> list[tuple[str, str]]:
    """``hang:a|crash:b`` → ``[("hang", "a"), ("crash", "b")]``; unknown actions are ignored."""
    out = []
    for part in (spec or "").split("|"):
        action, _, needle = part.partition(":")
        if action in {"hang", "slow", "crash", "oom"} and needle:
            out.append((action, needle))
    return out
