"""Load the rule data in ``rules/``: what a domain expert edits, kept out of code.

Every rule file is TOML. A file may carry ``must_match`` / ``must_not_match``
examples next to any ``pattern``; ``tests/test_rules.py`` runs them all.
"""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path

import regex

from pipeline.pattern_cache import compiled


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
    """The parsed content of ``rules/<name>.toml`` (cached: rules are read once per process)."""
    with open(RULES_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


@functools.cache
def compile_pattern(pattern: str, flags: int = regex.IGNORECASE | regex.VERSION1) -> regex.Pattern:
    """Compile a rule pattern once (and keep it for the next process: ``pipeline.pattern_cache``). Patterns are
    written for ``regex`` (V1, case-insensitive)."""
    return compiled(pattern, flags)
