"""Score output tables against gold files in the ANNOTATION.md format.

A gold file ``GOLD/<folder>/<name>.json`` scores the document whose ``source_path``
is ``<folder>/<name>`` (the run's INPUT being the corpus root). A key absent from a
gold file is not scored; ``null`` means the document has none.

The scorer judges with its own small normalizers (``number_key``, ``text_key``), never
the parser's: a bug in the parser's normalization must not score itself as right.

- document fields: accuracy (text compared after NFC and white-space folding; the
  subject case-insensitively, and also counted when 90% similar);
- references: precision, recall, F1 on numbers compared by ``number_key``;
- recipients: precision, recall, F1 on (role, text), a text matching at 90% similarity
  (OCR damage to diacritics is corrected in the gold, not in the text);
- tasks: detection F1 (a predicted task matches a gold one when its text starts with
  the gold ``text_start``), then lead, cooperating-agency F1, deadline (kind, start and
  end) and the whole task right, each as a share of the tasks found and of all gold
  tasks (a task not found counts as wrong).

Figures are given overall, per corpus folder and, where a folder mixes formats, per
folder and format (``real/pdf-text``, ``real/pdf-ocr``, ``real/docx``, …).
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

DOC_FIELDS = [
    "doc_type",
    "doc_number",
    "doc_symbol",
    "issuer",
    "place",
    "issue_date",
    "subject",
    "signer_name",
    "signer_title",
    "signing_mode",
]
FIELD_ROWS = DOC_FIELDS[:6] + ["subject~90%"] + DOC_FIELDS[6:]

# Look-alike letters a document may print in a number (ANNOTATION.md, doc_number).
_LOOK_ALIKES = str.maketrans(
    {"\u00d0": "Đ", "\u0110": "Đ", "–": "-", "—": "-", "‐": "-", "‑": "-",
     "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P", "Т": "T", "Х": "X"}
)


def number_key(v) -> str | None:
    """A document number as the scorer compares it: NFC, no white space, look-alikes repaired."""
    s = text_key(v)
    return "".join(s.translate(_LOOK_ALIKES).split()) if s else None


def text_key(v) -> str | None:
    """A text as the scorer compares it: NFC, runs of white space as one space."""
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    s = " ".join(unicodedata.normalize("NFC", str(v)).split())
    return s or None


def similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower(), autojunk=False).ratio()


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn


@dataclass
class Stats:
    """Every figure of one scope: the whole gold set, one folder, or one folder and format."""

    docs: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # right, total
    references: Counts = field(default_factory=Counts)
    recipients: Counts = field(default_factory=Counts)
    tasks: Counts = field(default_factory=Counts)
    task_lead: int = 0
    task_support: Counts = field(default_factory=Counts)
    task_deadline: int = 0
    task_whole: int = 0

    @property
    def gold_tasks(self) -> int:
        return self.tasks.tp + self.tasks.fn


@dataclass
class Report:
    gold_docs: int = 0
    covered: int = 0
    total: Stats = field(default_factory=Stats)
    by_folder: dict[str, Stats] = field(default_factory=lambda: defaultdict(Stats))
    by_format: dict[str, Stats] = field(default_factory=lambda: defaultdict(Stats))
    mismatches: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, list[int]]:
        return self.total.fields


def format_of(row: dict) -> str:
    """``pdf-text``, ``pdf-ocr`` (OCR on some or all pages), ``docx``, ``doc``, ``txt``, …"""
    fmt = str(row.get("source_format") or "unknown")
    if fmt == "pdf":
        return "pdf-text" if row.get("text_source") in (None, "text") else "pdf-ocr"
    return fmt


def _issue_date(row) -> str | None:
    if row.get("issue_date") is not None and not pd.isna(row.get("issue_date")):
        return str(row["issue_date"])[:10]
    y, m = row.get("issue_year"), row.get("issue_month")
    if y is None or pd.isna(y):
        return None
    return f"{int(y):04d}-{int(m):02d}" if m is not None and not pd.isna(m) else f"{int(y):04d}"


def _field_ok(key: str, g: str | None, p: str | None) -> bool:
    if key in ("doc_number", "doc_symbol"):
        return number_key(g) == number_key(p)
    if key in ("subject", "issuer"):
        return (g or "").lower() == (p or "").lower()
    return g == p


def _score_fields(scopes: list[Stats], rep: Report, name: str, gold: dict, row: dict) -> None:
    for key in DOC_FIELDS:
        if key not in gold:
            continue
        g = text_key(gold[key])
        p = text_key(_issue_date(row) if key == "issue_date" else row.get(key))
        ok = _field_ok(key, g, p)
        if key == "subject":
            near = ok or (g is not None and p is not None and similar(g, p) >= 0.9)
            _tally(scopes, "subject~90%", near)
        _tally(scopes, key, ok)
        if not ok:
            rep.mismatches.append(f"{name}: {key}: gold={g!r} got={p!r}")


def _tally(scopes: list[Stats], key: str, ok: bool) -> None:
    for s in scopes:
        s.fields[key][0] += int(ok)
        s.fields[key][1] += 1


def _match_greedy(gold: list, pred: list, same) -> list[tuple[int, int]]:
    """Pairs (gold index, pred index), each used once, in gold order."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and same(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


def _score_set(counts: list[Counts], gold: list, pred: list, same, name: str, what: str, rep: Report) -> list:
    pairs = _match_greedy(gold, pred, same)
    for c in counts:
        c.add(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))
    got_g = {g for g, _ in pairs}
    got_p = {p for _, p in pairs}
    for i, g in enumerate(gold):
        if i not in got_g:
            rep.mismatches.append(f"{name}: {what} missed: {g}")
    for i, p in enumerate(pred):
        if i not in got_p:
            rep.mismatches.append(f"{name}: {what} extra: {p}")
    return pairs


def _starts_with(text: str, start: str) -> bool:
    t = " ".join(text.split()).lower()
    s = " ".join(start.split()).lower()
    return t.startswith(s) or similar(t[: len(s)], s) >= 0.9


def _agency_key(v) -> str:
    return (text_key(v) or "").lower()


def _score_tasks(scopes: list[Stats], rep: Report, name: str, gold: list[dict], pred: pd.DataFrame, agencies: pd.DataFrame) -> None:
    pred_list = pred.sort_values("task_no").to_dict("records") if len(pred) else []
    pairs = _score_set(
        [s.tasks for s in scopes],
        gold,
        pred_list,
        lambda g, p: _starts_with(p["text"] or "", g.get("text_start", "")),
        name,
        "task",
        rep,
    )
    for gi, pi in pairs:
        g, p = gold[gi], pred_list[pi]
        sup = agencies[(agencies.task_no == p["task_no"]) & (agencies.role == "support")]["agency"].tolist()
        lead_ok = _agency_key(g.get("lead")) == _agency_key(p["lead_agency"])
        gs = {_agency_key(x) for x in g.get("support", [])}
        ps = {_agency_key(x) for x in sup}
        dl_ok = (
            g.get("deadline_kind") == text_key(p["deadline_kind"])
            and g.get("deadline_start") == _iso(p["deadline_start"])
            and g.get("deadline_end") == _iso(p["deadline_end"])
        )
        whole = lead_ok and gs == ps and dl_ok
        for s in scopes:
            s.task_support.add(len(gs & ps), len(ps - gs), len(gs - ps))
            s.task_lead += int(lead_ok)
            s.task_deadline += int(dl_ok)
            s.task_whole += int(whole)
        if not whole:
            rep.mismatches.append(
                f"{name}: task {g.get('text_start', '')[:40]!r}: "
                f"lead gold={g.get('lead')!r} got={p['lead_agency']!r}; support gold={sorted(gs)} got={sorted(ps)}; "
                f"deadline gold=({g.get('deadline_kind')}, {g.get('deadline_start')}, {g.get('deadline_end')}) "
                f"got=({p['deadline_kind']}, {_iso(p['deadline_start'])}, {_iso(p['deadline_end'])})"
            )


def _iso(v) -> str | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return str(v)[:10]


def read_tables(output_dir: str | Path) -> dict[str, pd.DataFrame]:
    out = Path(output_dir)
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in ("documents", "references", "recipients", "tasks", "task_agencies")}


def evaluate(gold_dir: str | Path, output_dir: str | Path) -> Report:
    """Score every gold file under ``gold_dir`` against the tables in ``output_dir``."""
    return score(gold_files(gold_dir), read_tables(output_dir))


def gold_files(gold_dir: str | Path) -> list[tuple[str, dict]]:
    """(source path relative to the corpus root, gold) for every gold file, in path order."""
    gold_dir = Path(gold_dir)
    out = []
    for gf in sorted(gold_dir.rglob("*.json")):
        rel = gf.relative_to(gold_dir).as_posix()[: -len(".json")]
        out.append((rel, json.loads(gf.read_text(encoding="utf-8"))))
    return out


def score(golds: list[tuple[str, dict]], tables: dict[str, pd.DataFrame]) -> Report:
    """Score gold annotations against tables (as ``read_tables`` gives them)."""
    docs, refs, recs = tables["documents"], tables["references"], tables["recipients"]
    tasks, agencies = tables["tasks"], tables["task_agencies"]
    by_path = {r["source_path"]: r for r in docs.to_dict("records")}
    rep = Report()
    formats: dict[str, set[str]] = defaultdict(set)
    for rel, gold in golds:
        if rel in by_path:
            formats[_folder(rel)].add(format_of(by_path[rel]))
    for rel, gold in golds:
        rep.gold_docs += 1
        row = by_path.get(rel)
        if row is None:
            rep.missing.append(rel)
            continue
        rep.covered += 1
        folder = _folder(rel)
        scopes = [rep.total, rep.by_folder[folder]]
        if len(formats[folder]) > 1:
            scopes.append(rep.by_format[f"{folder}/{format_of(row)}"])
        for s in scopes:
            s.docs += 1
        doc_id = row["doc_id"]
        _score_fields(scopes, rep, rel, gold.get("document", {}), row)
        if "references" in gold:
            pred = refs[refs.doc_id == doc_id]["ref_number"].tolist()
            g = [number_key(x) for x in gold["references"]]
            _score_set([s.references for s in scopes], g, pred, lambda a, b: a == number_key(b), rel, "reference", rep)
        if "recipients" in gold:
            pred = recs[recs.doc_id == doc_id][["role", "recipient_text"]].itertuples(index=False)
            pred = [(r.role, r.recipient_text) for r in pred]
            g = [(r["role"], r["text"]) for r in gold["recipients"]]
            _score_set(
                [s.recipients for s in scopes], g, pred,
                lambda a, b: a[0] == b[0] and similar(a[1], b[1]) >= 0.9, rel, "recipient", rep,
            )
        if gold.get("tasks") is not None:
            _score_tasks(scopes, rep, rel, gold["tasks"], tasks[tasks.doc_id == doc_id], agencies[agencies.doc_id == doc_id])
    return rep


def _folder(rel: str) -> str:
    return rel.split("/", 1)[0] if "/" in rel else "."


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:6.1f}%  ({right}/{total})" if total else "     -"


def _cell(right: int, total: int) -> str:
    return f"{100 * right / total:5.0f}%" if total else "    -"


def _task_lines(s: Stats) -> list[str]:
    c, found, gold = s.tasks, s.tasks.tp, s.gold_tasks
    share = lambda n: f"{_pct(n, found)}   of all gold {_pct(n, gold)}"  # noqa: E731
    return [
        f"  detection         P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  (tp {c.tp}, fp {c.fp}, fn {c.fn})",
        f"  lead              of found {share(s.task_lead)}",
        f"  support           P {s.task_support.precision:.3f}  R {s.task_support.recall:.3f}  F1 {s.task_support.f1:.3f}",
        f"  deadline          of found {share(s.task_deadline)}",
        f"  whole task        of found {share(s.task_whole)}",
    ]


def _scope_table(title: str, scopes: dict[str, Stats]) -> list[str]:
    names = sorted(scopes)
    width = max(7, *(len(n) for n in names)) + 1
    lines = ["", title, " " * 18 + "".join(f"{n:>{width}}" for n in names)]
    lines.append(f"  {'documents':<16}" + "".join(f"{scopes[n].docs:>{width}}" for n in names))
    for key in FIELD_ROWS:
        lines.append(f"  {key:<16}" + "".join(f"{_cell(*scopes[n].fields.get(key, [0, 0])):>{width}}" for n in names))
    for label, get in (("references F1", lambda s: s.references), ("recipients F1", lambda s: s.recipients)):
        lines.append(
            f"  {label:<16}" + "".join(f"{(f'{100 * get(scopes[n]).f1:5.0f}%' if get(scopes[n]).total else '    -'):>{width}}" for n in names)
        )
    task_rows = (
        ("tasks (gold)", lambda s: f"{s.gold_tasks}" if s.gold_tasks else "-"),
        ("task det. F1", lambda s: f"{100 * s.tasks.f1:.0f}%" if s.gold_tasks else "-"),
        ("task lead*", lambda s: f"{100 * s.task_lead / s.gold_tasks:.0f}%" if s.gold_tasks else "-"),
        ("task support F1", lambda s: f"{100 * s.task_support.f1:.0f}%" if s.gold_tasks else "-"),
        ("task deadline*", lambda s: f"{100 * s.task_deadline / s.gold_tasks:.0f}%" if s.gold_tasks else "-"),
        ("task whole*", lambda s: f"{100 * s.task_whole / s.gold_tasks:.0f}%" if s.gold_tasks else "-"),
    )
    for label, get in task_rows:
        lines.append(f"  {label:<16}" + "".join(f"{get(scopes[n]):>{width}}" for n in names))
    lines.append("  (* share of all gold tasks)")
    return lines


def format_report(rep: Report, verbose: bool = False) -> str:
    """The report as a plain-text table."""
    t = rep.total
    lines = [f"coverage            {_pct(rep.covered, rep.gold_docs)}", "", "document fields (accuracy)"]
    for key in FIELD_ROWS:
        lines.append(f"  {key:<18}{_pct(*t.fields.get(key, [0, 0]))}")
    lines.append("")
    for label, c in (("references", t.references), ("recipients", t.recipients)):
        lines.append(f"{label:<20}P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  (tp {c.tp}, fp {c.fp}, fn {c.fn})")
    lines += ["", "tasks (documents whose gold has tasks)"] + _task_lines(t)
    if len(rep.by_folder) > 1:
        lines += _scope_table("by folder", rep.by_folder)
    if rep.by_format:
        lines += _scope_table("by folder and format", rep.by_format)
    if rep.missing:
        lines += ["", f"not in the output ({len(rep.missing)}):"] + [f"  {m}" for m in rep.missing]
    if verbose and rep.mismatches:
        lines += ["", "mismatches:"] + [f"  {m}" for m in rep.mismatches]
    return "\n".join(lines)
