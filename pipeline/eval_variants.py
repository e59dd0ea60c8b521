"""Score layout variants of the development text documents beside the originals.

Every text document with gold is printed ``n`` other ways (``pipeline.layout_variants``),
parsed in this process and scored against the same gold. A parser that reads layout
rather than files scores the same on both; a gap names the field that depends on one
printing.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from pipeline.evaluate import FIELD_ROWS, Report, Stats, gold_files, score
from pipeline.layout_variants import variants

TEXT_SUFFIXES = (".txt", ".md")
_TABLES = ("documents", "references", "recipients", "tasks", "task_agencies")


def _tables(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    import pyarrow as pa

    from pipeline.output.schema import TABLES

    return {t: pa.Table.from_pylist(rows[t], schema=TABLES[t]).to_pandas() for t in _TABLES}


def _parse(data: bytes, name: str, key: str, rows: dict[str, list[dict]]) -> None:
    from pipeline.batch.process import process_bytes

    got = process_bytes(data, name)
    for t in _TABLES:
        for r in got[t]:
            if t == "documents":
                r = {**r, "source_path": key}
            rows[t].append({**r, "doc_id": key})


def score_variants(gold_dir: str | Path, corpus_dir: str | Path, n: int) -> tuple[Report, Report]:
    """(originals, variants): reports over the text documents of ``corpus_dir`` that have gold."""
    corpus = Path(corpus_dir)
    golds = [(rel, g) for rel, g in gold_files(gold_dir) if rel.endswith(TEXT_SUFFIXES) and (corpus / rel).is_file()]
    orig_rows: dict[str, list[dict]] = defaultdict(list)
    var_rows: dict[str, list[dict]] = defaultdict(list)
    var_golds = []
    for rel, gold in golds:
        text = (corpus / rel).read_bytes()
        _parse(text, rel, rel, orig_rows)
        decoded = _decode(text)
        for k, v in enumerate(variants(decoded, n, rel)):
            key = f"{rel}#{k}"
            name = Path(rel).with_suffix(".md" if v.markdown else Path(rel).suffix).name
            _parse(v.text.encode("utf-8"), name, key, var_rows)
            var_golds.append((key, gold))
    return score(golds, _tables(orig_rows)), score(var_golds, _tables(var_rows))


def _decode(data: bytes) -> str:
    from pipeline.ingest.text import decode_text
    from pipeline.normalize import normalize_text

    return normalize_text(decode_text(data)[0])


def _cell(s: Stats, key: str) -> str:
    r, t = s.fields.get(key, [0, 0])
    return f"{100 * r / t:5.1f}" if t else "    -"


def format_comparison(orig: Report, var: Report, n: int) -> str:
    """Field accuracy on the originals and on their variants, overall and per folder."""
    scopes = [("all", orig.total, var.total)] + [
        (f, orig.by_folder[f], var.by_folder[f]) for f in sorted(orig.by_folder) if f in var.by_folder
    ]
    lines = ["", f"layout variants ({n} per text document; originals | variants | difference, in %)"]
    lines.append(" " * 18 + "".join(f"{name:>22}" for name, _, _ in scopes))
    rows = list(FIELD_ROWS) + ["references F1", "recipients F1", "task det. F1"]
    for key in rows:
        cells = []
        for _, o, v in scopes:
            if key.endswith("F1"):
                c = {"references F1": "references", "recipients F1": "recipients", "task det. F1": "tasks"}[key]
                oc, vc = getattr(o, c), getattr(v, c)
                a, b = (f"{100 * oc.f1:5.1f}" if oc.total else "    -"), (f"{100 * vc.f1:5.1f}" if vc.total else "    -")
            else:
                a, b = _cell(o, key), _cell(v, key)
            diff = f"{float(b) - float(a):+5.1f}" if "-" not in (a.strip(), b.strip()) else "    "
            cells.append(f"{a} {b} {diff}")
        lines.append(f"  {key:<16}" + "".join(f"{c:>22}" for c in cells))
    return "\n".join(lines)
