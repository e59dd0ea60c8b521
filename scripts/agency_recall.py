"""Recall of the agency reader on the development gold: how many of the bodies the gold names as a task's
lead or cooperating agency the reader finds in the document's text (issue 16).

The reader is the parser's: the list of bodies opening a phrase (``leading_agencies``, catch-alls kept)
and a person named by office (``own_lead``), started at every word that may open a name (a capital
letter, or `các`), and every cell or line read as a list (``listed_agencies``); a gold name counts as
found when one of the names read equals it (case ignored).
Names the gold resolves from elsewhere (a short form the document defines, an anaphor) count as missed
unless printed somewhere in full.

    .venv/bin/python scripts/agency_recall.py [GOLD_DIR [CORPUS_DIR]]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import regex

from pipeline.ingest import ingest_path
from pipeline.parse.agencies import leading_agencies, listed_agencies
from pipeline.parse.tasks import own_lead

_OPENS = regex.compile(r"(?<![\p{L}\d])(?:\p{Lu}|các(?!\p{L}))")
_WINDOW = 300


def names_read(text: str) -> set[str]:
    """Every name the reader gives, started at every word that may open one, and every cell-like line read
    as a list (`Sở Tư pháp; UBND các xã …`)."""
    out: set[str] = set()
    for m in _OPENS.finditer(text):
        window = text[m.start() : m.start() + _WINDOW]
        for a in leading_agencies(window):
            out.add(a.name.lower())
        if lead := own_lead(window):  # a person named by office (`Chủ tịch Ủy ban nhân dân cấp xã`)
            out.add(lead.name.lower())
    for piece in regex.split(r"[|\n]", text):
        if 0 < len(piece.strip()) < 300:
            out.update(a.name.lower() for a in listed_agencies(piece))
    return out


def main(gold_dir: Path, corpus_dir: Path) -> None:
    per_folder: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: list[str] = []
    for gold_path in sorted(gold_dir.rglob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        tasks = gold.get("tasks") or []
        wanted = {n for t in tasks for n in [t.get("lead")] + list(t.get("support") or []) if n}
        if not wanted:
            continue
        rel = gold_path.relative_to(gold_dir).with_suffix("")
        text = ingest_path(corpus_dir / rel).text
        got = names_read(text)
        folder = rel.parts[0]
        for name in sorted(wanted):
            ok = name.lower() in got
            per_folder[folder][0] += ok
            per_folder[folder][1] += 1
            if not ok:
                missed.append(f"{rel}: {name}")
    total = [sum(v[0] for v in per_folder.values()), sum(v[1] for v in per_folder.values())]
    for folder, (hit, n) in sorted(per_folder.items()) + [("ALL", total)]:
        print(f"{folder:8s} {hit:4d}/{n:<4d} {hit / n:6.1%}")
    print("\nnot found:")
    print("\n".join(f"  {m}" for m in missed))


if __name__ == "__main__":
    here = Path(__file__).resolve().parents[1]
    gold = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "shared" / "gold" / "dev"
    corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else here.parent / "shared" / "corpus" / "dev"
    main(gold, corpus)
