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


# Hostile texts every pattern must get through in linear time: long runs of what the patterns key on.
ADVERSARIAL = {
    "digits": "1" * 100_000,
    "slashes": "/" * 100_000,
    "so": "Số: " * 25_000,
    "number-runs": "12/" * 33_000,
    "spaces": " " * 100_000,
    "letters": "a" * 100_000,
    "capitals": "Đ" * 100_000,
    "newlines": "\n" * 100_000,
    "dashes": "- " * 50_000,
    "dates": "ngày 1 tháng " * 8_000,
}


@pytest.mark.parametrize("entry", ALL)
def test_pattern_is_linear_on_hostile_text(entry):
    """No catastrophic backtracking in any rule: every search over 100,000 hostile characters (and over its
    own examples repeated) finishes within the regex engine's time limit."""
    pat = _compile(entry)
    texts = dict(ADVERSARIAL)
    for k, s in enumerate(entry.get("must_match", [])[:3]):
        texts[f"example-{k}"] = (s + " ") * (20_000 // (len(s) + 1) + 1)
    for name, text in texts.items():
        try:
            for _ in pat.finditer(text, timeout=5.0):
                pass
        except TimeoutError:
            pytest.fail(f"{entry['pattern'][:60]}… takes more than 5 s on {name}")


def _anchored():
    for path in sorted(RULES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for name, entry in data.items():
            if isinstance(entry, dict) and entry.get("anchors"):
                yield pytest.param(path.stem, name, entry, id=f"{path.stem}.{name}")


ANCHORED = list(_anchored())
DOC_TEXTS = sorted((Path(__file__).parent / "fixtures" / "docs").glob("*.*"))


def test_some_rules_are_anchored():
    assert ANCHORED, "the costliest whole-text patterns declare their anchors"


@pytest.mark.parametrize("file,name,entry", ANCHORED)
def test_anchors_are_in_every_match_within_reach(file, name, entry):
    """Each example's match holds an anchor, and starts and ends within ``anchor_reach`` of one."""
    pat = _compile(entry)
    before, after = entry["anchor_reach"]
    for s in entry["must_match"]:
        m = pat.search(s)
        hits = [i for lit in entry["anchors"] for i in range(len(s)) if s.startswith(lit, i) and m.start() <= i < m.end()]
        assert hits, f"{s!r}: its match {m.group(0)!r} holds no anchor"
        assert any(m.start() >= i - before and m.end() < i + after for i in hits), s


@pytest.mark.parametrize("file,name,entry", ANCHORED)
def test_anchored_search_equals_a_full_search(file, name, entry):
    """On real documents, on the examples padded with text, and on hostile runs, scanning around the
    anchors finds exactly what scanning every position finds."""
    from pipeline.parse import patterns
    from pipeline.normalize import normalize_text

    pat = patterns.get(file, name)
    texts = [normalize_text(p.read_text(encoding="utf-8", errors="replace")) for p in DOC_TEXTS]
    texts += [f"Lorem {s} ipsum {s}\n{s}" for s in entry["must_match"] + entry["must_not_match"]]
    texts += [t[:5000] for t in ADVERSARIAL.values()]
    for text in texts:
        full = [m.span() for m in pat.finditer(text)]
        assert [m.span() for m in patterns.finditer_anchored(file, name, text)] == full
        first = pat.search(text)
        got = patterns.search_anchored(file, name, text)
        assert (got and got.span()) == (first and first.span())
        if len(text) > 40:  # a search bounded on both sides, as the header's is
            lo, hi = len(text) // 3, 2 * len(text) // 3
            first = pat.search(text, lo, hi)
            got = patterns.search_anchored(file, name, text, lo, hi)
            assert (got and got.span()) == (first and first.span())


def _prefiltered():
    """Entries that carry a test letting the code pass a text by: ``needles``, ``needle`` or ``opens``."""
    for param in ALL:
        entry = param.values[0]
        if any(k in entry for k in ("needles", "needle", "opens")):
            yield pytest.param(entry, id=param.id)


PREFILTERED = list(_prefiltered())


def test_some_rules_carry_prefilters():
    assert PREFILTERED


@pytest.mark.parametrize("entry", PREFILTERED)
def test_prefilters_hold_for_every_match(entry):
    """Every match of the pattern, in its examples and in real documents, holds one of its ``needles``,
    holds its ``needle`` and opens (after spaces and tabs) with a character of ``opens``: a text the
    prefilter passes by has no match to lose."""
    from pipeline.normalize import normalize_text

    pat = _compile(entry)
    needle = regex.compile(entry["needle"], pat.flags) if "needle" in entry else None
    opens = regex.compile(entry["opens"], pat.flags) if "opens" in entry else None
    texts = list(entry["must_match"]) + [normalize_text(p.read_text(encoding="utf-8", errors="replace")) for p in DOC_TEXTS]
    seen = 0
    for text in texts:
        for m in pat.finditer(text):
            seen += 1
            found = m.group(0)
            if "needles" in entry:
                assert any(n in found for n in entry["needles"]), found
            if needle is not None:
                assert needle.search(text, m.start(), m.end()), found
            if opens is not None and found.strip(" \t"):
                assert opens.fullmatch(found.lstrip(" \t")[0]), found
    assert seen >= len(entry["must_match"])
