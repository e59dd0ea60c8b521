"""Build ``rules/ocr_lexicon.tsv``: syllable and bigram counts of clean Vietnamese administrative text.

The OCR diacritic corrector (``pipeline/ingest/ocr_lexicon.py``) picks, among syllables with
the same letters, the one its neighbours make likely; these counts are that knowledge.

Sources, all committed in the repository and all clean (typed, not OCR'd):

- ``tests/fixtures/docs/*.txt`` and ``data/raw/*.txt`` (the TCVN3 file converted on reading),
- the Word files ``data/raw/*.docx``,

each read through ``pipeline.ingest.ingest_path``, and the names in ``rules/*.toml`` (agencies,
places, document types, titles: only the name lists, not the test strings, which hold OCR damage
on purpose). The OCR'd Markdown files (``*_ocr.md``, ``ocr_*.md``) and scans are left out, and so is
everything under ``../shared``: that is evaluation material.

A line that recurs (the same document kept in two formats, boilerplate) is counted once.
Bigrams are counted only between syllables with nothing but a space between them.

Usage: ``.venv/bin/python scripts/build_ocr_lexicon.py [--out rules/ocr_lexicon.tsv]``
"""

from __future__ import annotations

import argparse
import collections
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.ingest import ingest_path  # noqa: E402
from pipeline.ingest.ocr_lexicon import LEXICON, key, runs  # noqa: E402

# Keys of rules/*.toml that hold names as normal writing has them.
_RULE_KEYS = {"name", "names", "successor", "title", "heads", "deputy", "qualifiers", "bodies", "dangling_words"}
_RULE_FILES = ("agencies", "places", "doc_types", "titles", "tasks")


def documents(root: Path = ROOT) -> list[Path]:
    """The clean documents the lexicon is counted on."""
    paths = sorted((root / "tests" / "fixtures" / "docs").glob("*.txt"))
    paths += sorted((root / "data" / "raw").glob("*.txt"))
    paths += sorted((root / "data" / "raw").glob("*.docx")) + sorted((root / "data" / "raw").glob("*.doc"))
    return paths


def rule_names(root: Path = ROOT) -> list[str]:
    """Names listed in the rule files (an agency, a place, a title), one string each."""
    out: list[str] = []

    def walk(value, name):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, name)
        elif isinstance(value, str) and name in _RULE_KEYS:
            out.append(value)

    for stem in _RULE_FILES:
        walk(tomllib.loads((root / "rules" / f"{stem}.toml").read_text(encoding="utf-8")), None)
    return out


def count(lines) -> tuple[collections.Counter, collections.Counter, dict[str, collections.Counter]]:
    """Unigram counts by key, bigram counts by key pair, and the spellings seen for each key."""
    uni: collections.Counter = collections.Counter()
    bi: collections.Counter = collections.Counter()
    spellings: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    seen: set[str] = set()
    for line in lines:
        line = " ".join(line.split())
        if not line or line in seen:
            continue
        seen.add(line)
        for run in runs(line):
            ks = [key(w) for w in run]
            for w, k in zip(run, ks):
                spellings[k][w] += 1
            uni.update(ks)
            bi.update(zip(ks, ks[1:]))
    return uni, bi, spellings


def source_lines(paths: list[Path], names: list[str]):
    for p in paths:
        yield from ingest_path(p).text.splitlines()
    yield from names


def write(out: Path, uni, bi, spellings, note: str) -> None:
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(note)
        for k, n in sorted(uni.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"1\t{k}\t{spellings[k].most_common(1)[0][0]}\t{n}\n")
        for (a, b), n in sorted(bi.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"2\t{a}\t{b}\t{n}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=LEXICON)
    args = ap.parse_args(argv)
    paths = documents()
    names = rule_names()
    uni, bi, spellings = count(source_lines(paths, names))
    note = (
        "# Syllable (1) and bigram (2) counts of clean Vietnamese administrative text, for the OCR diacritic\n"
        "# corrector (pipeline/ingest/ocr_lexicon.py). Made by scripts/build_ocr_lexicon.py: do not edit by hand.\n"
        f"# Sources: {len(paths)} clean documents committed in the repository, read with ingest_path,\n"
        + "".join(f"#   {p.relative_to(ROOT).as_posix()}\n" for p in paths)
        + f"# and {len(names)} names from rules/{{{','.join(_RULE_FILES)}}}.toml (name lists only). OCR'd texts,\n"
        "# scans and all evaluation material are left out. A line that recurs is counted once.\n"
        "# Lines: 1 <key> <spelling> <count> | 2 <key> <key> <count>. A key is the syllable in lower case with\n"
        "# its tone mark moved to the end (hòa/hoà -> hoa2); the spelling is the one clean text uses most.\n"
        f"# {len(uni)} syllables, {sum(uni.values())} tokens, {len(bi)} bigrams.\n"
    )
    write(args.out, uni, bi, spellings, note)
    print(f"{args.out}: {len(uni)} syllables, {sum(uni.values())} tokens, {len(bi)} bigrams", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
