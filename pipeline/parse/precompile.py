"""Compile the parser's patterns and build its tables when it is imported, not on the first documents.

``regex`` compiles a rule pattern in milliseconds (the agency lexicon and its patterns take
as long again): done lazily, a quarter of a second fell on the first documents every
process read. Everything stays cached where it was; a rule that fails to compile fails
where it is used, as before. What ``patterns`` compiles is also kept for the next process
(``pipeline.pattern_cache``): then this costs a file read, not the compiling.
"""

from __future__ import annotations

from pipeline import rules
from pipeline import pattern_cache

# Rule files whose entries the parser reads with ``patterns.get`` / ``patterns.get_entry``.
_PATTERN_FILES = ("header", "tasks", "deadlines", "references", "titles")


def _pattern_paths(table: dict, path: tuple[str, ...] = ()):
    """The key paths of every entry that holds a ``pattern``."""
    for key, value in table.items():
        if isinstance(value, dict):
            if isinstance(value.get("pattern"), str):
                yield (*path, key)
            yield from _pattern_paths(value, (*path, key))


def precompile() -> None:
    from pipeline.parse import agencies, doctype, header, outline, patterns, signature, task_tables, tasks

    try:
        for file in _PATTERN_FILES:
            for path in _pattern_paths(rules.load(file)):
                patterns.get_entry(file, path)
                patterns.needle_test(file, path)  # and the prefilters rules declare beside them
                patterns.needle_finder(file, path)
                patterns.opens(file, path)
                if len(path) == 1 and (anchoring := patterns._anchoring(file, path[0])):
                    patterns._finders(anchoring[0])  # what finds the anchors (``search_anchored``)
        agencies._lexicon()
        doctype.title_pattern()
        header._number_re()
        outline._marker_matches()
        outline._openers()
        outline._page_break_opens()
        signature._titles()
        task_tables._any_column()
        tasks._any_attribute()
        tasks._attribute_needles()
        for name in ("closing", "task_heading"):  # the rules tasks asks `patterns.found` about
            patterns.alternatives("tasks", name)
    except Exception:  # noqa: BLE001 - reported where the rule is used, per document
        pass
    pattern_cache.save()  # the patterns compiled here, for the next process (``pipeline.pattern_cache``)
