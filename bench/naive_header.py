"""The floor: what a 40-line regex script reads of the header (issue 14). vanban must beat it.

Usage: python bench/naive_header.py [CORPUS_DIR GOLD_DIR]  (default ../shared/corpus/dev/web and its gold)
Prints the share of documents whose number, place and issue date equal the gold, for this
script and for vanban's parser on the same files.
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

NUMBER = re.compile(r"Số\s*:?\s*(\d+[^\s,;]*)", re.IGNORECASE)
PLACE_DATE = re.compile(
    r"([A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^\n,|]{1,30}?),\s*ngày\s+(\d{1,2})\s*tháng\s+(\d{1,2})\s*năm\s+(\d{4})"
)


def naive(text: str) -> dict:
    text = " ".join(unicodedata.normalize("NFC", text).split())
    out = {"doc_number": None, "place": None, "issue_date": None}
    if m := NUMBER.search(text):
        out["doc_number"] = m.group(1)
    if m := PLACE_DATE.search(text):
        out["place"] = m.group(1).strip()
        out["issue_date"] = f"{int(m.group(4)):04d}-{int(m.group(3)):02d}-{int(m.group(2)):02d}"
    return out


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/dev/web")
    gold_dir = Path(sys.argv[2] if len(sys.argv) > 2 else str(corpus).replace("corpus", "gold"))
    from pipeline.ingest import ingest_path
    from pipeline.parse import parse_text

    right = {who: {k: 0 for k in ("doc_number", "place", "issue_date")} for who in ("naive", "vanban")}
    n = 0
    for gf in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))["document"]
        text = ingest_path(corpus / gf.name[: -len(".json")]).text
        f = parse_text(text).fields
        got = {"naive": naive(text), "vanban": {k: getattr(f, k) for k in right["naive"]}}
        n += 1
        for who in right:
            for k in right[who]:
                right[who][k] += (got[who][k] or None) == gold.get(k)
    for who, r in right.items():
        print(f"{who:<7}" + "  ".join(f"{k} {100 * v / n:5.1f}%" for k, v in r.items()) + f"  ({n} documents)")


if __name__ == "__main__":
    main()
