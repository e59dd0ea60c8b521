"""Write rules/syllables.tsv: the Vietnamese syllables (and capital abbreviations) of a body of text.

The list lets the parser split words a web page glued together (``BANHÀNH`` → ``BAN HÀNH``): only
pieces that are real syllables count. It is built from the text-layer documents of a finished run
(``texts`` table), keeping words seen at least three times that have the shape of a Vietnamese
syllable (onset, vowels, coda) or are abbreviations printed in capitals (``THCS``, ``UBND``).

    python scripts/make_syllables.py OUTPUT [OUTPUT …] > rules/syllables.tsv
"""

from __future__ import annotations

import sys
from collections import Counter

import pandas as pd
import regex

from pipeline.parse.glued import is_syllable

WORD = regex.compile(r"(?<![\p{L}\d])\p{L}{1,7}(?![\p{L}\d])")


def main(outputs: list[str]) -> None:
    count: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    for out in outputs:
        texts = pd.read_parquet(f"{out}/texts.parquet", columns=["text", "text_source"])
        for text in texts[texts.text_source == "text"].text:
            for w in WORD.findall(text):
                count[w.lower()] += 1
                if w.isupper() and len(w) >= 2:
                    caps[w.lower()] += 1
    words = sorted(w for w, n in count.items() if n >= 3 and (is_syllable(w) or caps[w] >= 3))
    print("# Vietnamese syllables and abbreviations seen in text-layer documents (scripts/make_syllables.py), with counts")
    for w in words:
        print(f"{w}\t{count[w]}")


if __name__ == "__main__":
    main(sys.argv[1:])
