"""Load the rule data in ``rules/``: what a domain expert edits, kept out of code.

Every rule file is TOML. A file may carry ``must_match`` / ``must_not_match``
examples next to any ``pattern``; ``tests/test_rules.py`` runs them all.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import regex

from pipeline.pattern_cache import compiled, parsed


def _rules_dir() -> Path:
    """``VANBAN_RULES`` if set; the copy installed with the package (``pipeline/_rules``); else the checkout's ``rules/``."""
    if os.environ.get("VANBAN_RULES"):
        return Path(os.environ["VANBAN_RULES"])
    here = Path(__file__).resolve().parent
    installed = here / "_rules"
    return installed if installed.is_dir() else here.parent / "rules"


RULES_DIR = _rules_dir()


@functools.cache
def load(name: str) -> dict:
    """The parsed content of ``rules/<name>.toml`` (cached: rules are read once per process, and parsed
    once for every process while the file is the same: ``pipeline.pattern_cache``)."""
    raw = (RULES_DIR / f"{name}.toml").read_bytes()
    return parsed(raw, _parse_toml)


def _parse_toml(raw: bytes) -> dict:
    import tomllib  # only when a rule file changed: kept parsed otherwise

    return tomllib.loads(raw.decode("utf-8"))


@functools.cache
def compile_pattern(pattern: str, flags: int = regex.IGNORECASE | regex.VERSION1) -> regex.Pattern:
    """Compile a rule pattern once (and keep it for the next process: ``pipeline.pattern_cache``). Patterns are
    written for ``regex`` (V1, case-insensitive)."""
    return compiled(pattern, flags)
