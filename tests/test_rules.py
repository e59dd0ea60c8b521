"""Every pattern in rules/ matches the strings it must match and none of those it must not."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import regex

from pipeline.parse import doctype

RULES = Path(__file__).resolve().parent.parent / "rules"


def _patterns():
    for path in sorted(RULES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        yield from _walk(data, path.stem)


def _walk(node, where):
    if isinstance(node, dict):
        if "pattern" in node and ("must_match" in node or "must_not_match" in node):
            yield pytest.param(node, id=where)
        for key, value in node.items():
            yield from _walk(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{where}[{i}]")


def _compile(entry: dict) -> regex.Pattern:
    flags = regex.VERSION1 | regex.MULTILINE
    if not entry.get("case_sensitive"):
        flags |= regex.IGNORECASE
    return regex.compile(entry["pattern"], flags)


ALL = list(_patterns())


def test_rule_files_carry_examples():
    assert len(ALL) >= 10, "each pattern file should carry its examples"


@pytest.mark.parametrize("entry", ALL)
def test_pattern_examples(entry):
    pat = _compile(entry)
    assert entry.get("must_match"), "a pattern needs strings it must match"
    assert entry.get("must_not_match"), "a pattern needs strings it must not match"
    for s in entry["must_match"]:
        assert pat.search(s), f"{entry['pattern'][:60]}… should match {s!r}"
    for s in entry["must_not_match"]:
        assert not pat.search(s), f"{entry['pattern'][:60]}… should not match {s!r}"


def test_symbol_examples_classify():
    data = tomllib.loads((RULES / "doc_types.toml").read_text(encoding="utf-8"))
    for ex in data["symbol_example"]:
        assert doctype.type_from_symbol(ex["symbol"]) == ex["type"], ex


def test_type_codes_are_case_sensitive():
    assert doctype.type_from_symbol("QyĐ-UBND") == "Quy định"
    assert doctype.type_from_symbol("QĐ-UBND") == "Quyết định"
    assert doctype.type_from_symbol("CTr-UBND") == "Chương trình"
    assert doctype.type_from_symbol("CT-UBND") == "Chỉ thị"
    assert doctype.type_from_symbol("TTr-SCT") == "Tờ trình"
