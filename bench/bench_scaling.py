"""Whether any pass of the parser grows faster than the text: CPU seconds per MB of ``parse_text`` at growing sizes.

A text of each size (100 KB to 5 MB, ``BENCH_SCALING_KB``) is built from the real texts of
``../shared/corpus/dev`` (``data/raw`` and the test fixtures where it is absent) laid end to end,
each copy with its cited numbers renumbered (so the citations stay distinct) and an editorial
``[…]`` note of the kind legal websites insert (``[Khoản này được hướng dẫn bởi … Nghị định
12/2015/NĐ-CP …]``, taken from the real texts) after every few paragraphs. Each size is parsed
whole (normalize, then ``parse_text``) and timed stage by stage; a pass whose cost grows with
the square of the text shows as seconds per MB that rise with the size. The same bytes also go
through the whole unit of work of a run (``process_bytes``: format detection, decoding, legacy
fonts, normalize, parse, rows; the less of two readings), whose seconds per MB are shown beside. Done when the largest size
costs at most 1.5× the smallest per MB, for the parse and for the whole. Run by `make bench`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import regex  # noqa: E402

import pipeline.parse as parse  # noqa: E402
from pipeline.normalize import normalize_text  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus" / "dev"
_NOTE = regex.compile(r"\[[^\[\]\n]{20,400}\]")
_CITING = regex.compile(r"^Căn cứ [^\n]{0,300}\d/\p{Lu}[^\n]{0,300}$", regex.MULTILINE)
_CITED = regex.compile(r"(?<![\d/])(\d{1,4})(?=/(?:(?:19|20)\d\d/)?\p{Lu})")
_FALLBACK_CITING = ["Căn cứ Nghị định số 32/2024/NĐ-CP ngày 15/3/2024 của Chính phủ về quản lý, phát triển cụm công nghiệp;"]
_FALLBACK_NOTES = [
    "[Khoản này được hướng dẫn bởi Điều 3 Nghị định 127/2005/NĐ-CP có hiệu lực từ ngày 01/11/2005]",
    "[Nội dung hướng dẫn Khoản này tại Nghị định 65/2013/NĐ-CP được sửa đổi bởi Khoản 15 Điều 2 Nghị định 12/2015/NĐ-CP có hiệu lực từ ngày 01/01/2015]",
    "[Điều này được hướng dẫn bởi Điều 6 Thông tư 111/2013/TT-BTC có hiệu lực kể từ ngày 01 tháng 10 năm 2013]",
]
# (name shown, function name in pipeline.parse): the stages of ``parse_doc``, timed one by one
STAGES = [
    ("header", "parse_header"),
    ("zones", "find_zones"),
    ("signature", "parse_signature"),
    ("signature zones", "with_signature"),
    ("issuer", "read_issuer"),
    ("references", "find_references"),
    ("recipients", "find_recipients"),
    ("tasks", "find_tasks"),
]


def _sources() -> list[str]:
    """The real texts (normalized): the dev corpus's text folders, or data/raw and the fixtures without it."""
    if SHARED.is_dir():
        paths = [p for d in ("vbpl", "tvpl", "web", "seeds", "ocr") for p in sorted((SHARED / d).glob("*")) if p.suffix in (".txt", ".md")]
    else:
        paths = sorted((ROOT / "data" / "raw").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "docs").glob("*.md"))
    return [normalize_text(p.read_text(encoding="utf-8", errors="replace")) for p in paths]


def _task_sources(sources: list[str]) -> list[str]:
    """The texts that assign tasks (three or more): the real plans, letters and conclusions of the dev corpus's
    ``tasks/`` folder as ingest reads them (Word, PDF), and those of ``sources`` that hold as many."""
    from pipeline.ingest import ingest_bytes

    docs = []
    folder = SHARED / "tasks"
    for p in sorted(folder.glob("*")) if folder.is_dir() else []:
        if p.suffix in (".docx", ".doc", ".pdf", ".md") and p.name != "README.md":
            try:
                docs.append(ingest_bytes(p.read_bytes(), p.name).text)
            except Exception:  # noqa: BLE001 - a file this machine cannot read (no antiword) is left out
                pass
    return [t for t in docs + sources if len(parse.parse_text(t).tasks) >= 3]


def _cut(sources: list[str]) -> tuple[str, str, str, list[str]]:
    """The frame (the head and the end of the short source with the most tasks) and every source's body,
    as the parser's own zones cut them: one long document, its body all the others' bodies."""
    from pipeline.parse.header import parse_header
    from pipeline.parse.zones import find_zones

    cut = []
    for s in sources:
        head_end = parse_header(s).end
        end = find_zones(s, head_end).end_mark or len(s)
        cut.append((s[:head_end], s[head_end:end].strip("\n"), s[end:]))
    small = [i for i in range(len(sources)) if len(sources[i]) < 20_000] or range(len(sources))
    frame = max(small, key=lambda i: len(parse.parse_text(sources[i]).tasks))
    return cut[frame][0], cut[frame][1], cut[frame][2], [body for _, body, _ in cut if body]


def build_text(sources: list[str], size: int, notes_from: list[str] | None = None) -> str:
    """About ``size`` bytes: one document whose body is the sources' bodies end to end, renumbered per copy,
    with a citing line (``Căn cứ Nghị định số …``) after every second paragraph and an editorial note after
    every third, both taken from the sources (or ``notes_from``) and renumbered."""
    notes = [n for s in notes_from or sources for n in _NOTE.findall(s)] or _FALLBACK_NOTES
    citing = [c for s in notes_from or sources for c in _CITING.findall(s)] or _FALLBACK_CITING
    head, first, end, bodies = _cut(sources)
    parts: list[str] = [head.rstrip("\n"), first]
    total = len(head.encode()) + len(first.encode()) + len(end.encode())
    k = 0
    while total < size:
        copy = k // len(bodies)
        src = bodies[k % len(bodies)]
        # each copy's numbers get the copy's digit appended (65/2013/NĐ-CP → 657/2013/NĐ-CP): distinct citations
        src = _CITED.sub(lambda m: m.group(1) + str(copy % 10), src) if copy else src
        paras = src.split("\n\n")
        for j, para in enumerate(paras):
            added = [para]
            if j % 2 == 1:
                added.append(citing[(k * 5 + j) % len(citing)])
            if j % 3 == 2:
                added.append(notes[(k * 7 + j) % len(notes)])
            for i, part in enumerate(added):
                if i:  # a citation or note taken from elsewhere: numbers of its own
                    part = _CITED.sub(lambda m: str((int(m.group(1)) + len(parts)) % 100000), part)
                parts.append(part)
                total += len(part.encode()) + 2
            if total >= size:
                break
        k += 1
    return "\n\n".join(parts) + "\n\n" + end.lstrip("\n")


class StageClock:
    """CPU seconds spent in each stage of ``parse_doc`` (its functions wrapped where ``pipeline.parse`` calls them)."""

    def __init__(self):
        self.seconds = {name: 0.0 for name, _ in STAGES}
        self._saved = {}
        for name, attr in STAGES:
            fn = getattr(parse, attr)
            self._saved[attr] = fn
            setattr(parse, attr, self._wrap(name, fn))

    def _wrap(self, name, fn):
        def timed(*args, **kwargs):
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.process_time() - t0

        return timed

    def close(self):
        for attr, fn in self._saved.items():
            setattr(parse, attr, fn)


def series(name: str, make, sizes_kb: list[int]) -> float:
    """Print one row per size; the growth of seconds per MB, largest size against smallest (the parse's or
    the whole unit of work's, the larger)."""
    from pipeline.batch.process import process_bytes

    print(f"\n  {name}")
    head = f"  {'size':>8} {'refs':>6} {'tasks':>6} {'whole s/MB':>10} {'normalize':>10} {'parse':>8} {'s/MB':>6}"
    print(head + "".join(f" {label[:10]:>10}" for label, _ in STAGES) + "   (normalize and stages: s/MB)")
    per_mb, whole_per_mb = [], []
    for kb in sizes_kb:
        text = make(kb * 1000)
        data = text.encode("utf-8")
        mb = len(data) / 1e6
        whole = []
        for _ in range(2):  # the less of two: one reading on a shared machine is noisy
            t0 = time.process_time()
            process_bytes(data, "bench.txt")
            whole.append(time.process_time() - t0)
        whole_per_mb.append(min(whole) / mb)
        t0 = time.process_time()
        text = normalize_text(text)
        t_norm = time.process_time() - t0
        clock = StageClock()
        try:
            t0 = time.process_time()
            parsed = parse.parse_text(text)
            t_parse = time.process_time() - t0
        finally:
            clock.close()
        per_mb.append(t_parse / mb)
        print(
            f"  {mb:>6.2f}MB {len(parsed.references):>6} {len(parsed.tasks):>6} {whole_per_mb[-1]:>10.2f} {t_norm / mb:>10.3f} {t_parse:>7.2f}s {t_parse / mb:>6.2f}"
            + "".join(f" {clock.seconds[label] / mb:>10.3f}" for label, _ in STAGES)
        )
    growth, whole = per_mb[-1] / per_mb[0], whole_per_mb[-1] / whole_per_mb[0]
    print(f"  seconds per MB, {sizes_kb[-1]} KB vs {sizes_kb[0]} KB: parse {growth:.2f}×, whole unit of work {whole:.2f}× "
          f"(target ≤ 1.5×: {'met' if max(growth, whole) <= 1.5 else 'NOT met'})")
    return max(growth, whole)


def main() -> None:
    sizes_kb = [int(s) for s in os.environ.get("BENCH_SCALING_KB", "100,300,1000,2000,5000").split(",") if s.strip()]
    sources = _sources()
    planning = _task_sources(sources)
    print(f"bench_scaling: parse_text on one text of growing size, CPU seconds per MB ({len(sources)} real texts, {len(planning)} of them or of tasks/ assigning tasks)")
    from pipeline.batch.process import process_bytes

    process_bytes(build_text(sources, 50_000).encode("utf-8"), "bench.txt")  # first-use costs (imports, caches, tables) before timing
    growths = [
        series("laws and letters end to end, a citation every second paragraph, an editorial note every third", lambda n: build_text(sources, n), sizes_kb),
        series("plans and conclusions end to end (tasks), citations and notes as above", lambda n: build_text(planning, n, sources), sizes_kb),
    ]
    if max(growths) > 1.5:
        print("  a pass grows faster than the text: see the stage whose s/MB rises")


if __name__ == "__main__":
    main()
