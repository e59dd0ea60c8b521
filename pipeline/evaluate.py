"""Score output tables against gold files in the ANNOTATION.md format.

A gold file ``GOLD/<folder>/<name>.json`` scores the document whose ``source_path``
is ``<folder>/<name>`` (the run's INPUT being the corpus root). A key absent from a
gold file is not scored; ``null`` means the document has none.

- document fields: accuracy (text compared after NFC and white-space folding; the
  subject case-insensitively, and also counted when 90% similar);
- references: precision, recall, F1 on normalized numbers;
- recipients: precision, recall, F1 on (role, text), a text matching at 90% similarity
  (OCR damage to diacritics is corrected in the gold, not in the text);
- tasks: detection F1 (a predicted task matches a gold one when its text starts with
  the gold ``text_start``), then on matched tasks lead accuracy, cooperating-agency
  F1, deadline accuracy (kind, start and end) and the whole task right.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.parse.numbers import normalize_number

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


def _norm(v) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    s = unicodedata.normalize("NFC", str(v))
    s = " ".join(s.split())
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


@dataclass
class Report:
    gold_docs: int = 0
    covered: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # right, total
    fields_by_folder: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0, 0]))
    )
    references: Counts = field(default_factory=Counts)
    recipients: Counts = field(default_factory=Counts)
    tasks: Counts = field(default_factory=Counts)
    task_lead: list[int] = field(default_factory=lambda: [0, 0])
    task_support: Counts = field(default_factory=Counts)
    task_deadline: list[int] = field(default_factory=lambda: [0, 0])
    task_whole: list[int] = field(default_factory=lambda: [0, 0])
    mismatches: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _issue_date(row) -> str | None:
    if row.get("issue_date") is not None and not pd.isna(row.get("issue_date")):
        return str(row["issue_date"])[:10]
    y, m = row.get("issue_year"), row.get("issue_month")
    if y is None or pd.isna(y):
        return None
    return f"{int(y):04d}-{int(m):02d}" if m is not None and not pd.isna(m) else f"{int(y):04d}"


def _score_fields(rep: Report, folder: str, name: str, gold: dict, row: dict) -> None:
    for key in DOC_FIELDS:
        if key not in gold:
            continue
        g = _norm(gold[key])
        p = _norm(_issue_date(row) if key == "issue_date" else row.get(key))
        if key == "subject":
            ok = (g or "").lower() == (p or "").lower()
            near = ok or (g is not None and p is not None and similar(g, p) >= 0.9)
            _tally(rep, folder, "subject~90%", near)
        elif key == "issuer":
            ok = (g or "").lower() == (p or "").lower()
        else:
            ok = g == p
        _tally(rep, folder, key, ok)
        if not ok:
            rep.mismatches.append(f"{name}: {key}: gold={g!r} got={p!r}")


def _tally(rep: Report, folder: str, key: str, ok: bool) -> None:
    for bucket in (rep.fields[key], rep.fields_by_folder[folder][key]):
        bucket[0] += int(ok)
        bucket[1] += 1


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


def _score_set(counts: Counts, gold: list, pred: list, same, name: str, what: str, rep: Report) -> list:
    pairs = _match_greedy(gold, pred, same)
    counts.add(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))
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


def _score_tasks(rep: Report, name: str, gold: list[dict], pred: pd.DataFrame, agencies: pd.DataFrame) -> None:
    pred_list = pred.sort_values("task_no").to_dict("records") if len(pred) else []
    pairs = _score_set(
        rep.tasks,
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
        lead_ok = (_norm(g.get("lead")) or "").lower() == (_norm(p["lead_agency"]) or "").lower()
        gs = {(_norm(x) or "").lower() for x in g.get("support", [])}
        ps = {(_norm(x) or "").lower() for x in sup}
        rep.task_support.add(len(gs & ps), len(ps - gs), len(gs - ps))
        dl_ok = (
            g.get("deadline_kind") == _norm(p["deadline_kind"])
            and g.get("deadline_start") == _iso(p["deadline_start"])
            and g.get("deadline_end") == _iso(p["deadline_end"])
        )
        rep.task_lead[0] += int(lead_ok)
        rep.task_lead[1] += 1
        rep.task_deadline[0] += int(dl_ok)
        rep.task_deadline[1] += 1
        whole = lead_ok and gs == ps and dl_ok
        rep.task_whole[0] += int(whole)
        rep.task_whole[1] += 1
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


def evaluate(gold_dir: str | Path, output_dir: str | Path) -> Report:
    """Score every gold file under ``gold_dir`` against the tables in ``output_dir``."""
    gold_dir, out = Path(gold_dir), Path(output_dir)
    docs = pd.read_parquet(out / "documents.parquet")
    refs = pd.read_parquet(out / "references.parquet")
    recs = pd.read_parquet(out / "recipients.parquet")
    tasks = pd.read_parquet(out / "tasks.parquet")
    agencies = pd.read_parquet(out / "task_agencies.parquet")
    by_path = {r["source_path"]: r for r in docs.to_dict("records")}
    rep = Report()
    for gf in sorted(gold_dir.rglob("*.json")):
        rel = gf.relative_to(gold_dir).as_posix()[: -len(".json")]
        gold = json.loads(gf.read_text(encoding="utf-8"))
        rep.gold_docs += 1
        row = by_path.get(rel)
        if row is None:
            rep.missing.append(rel)
            continue
        rep.covered += 1
        folder = rel.split("/", 1)[0] if "/" in rel else "."
        doc_id = row["doc_id"]
        _score_fields(rep, folder, rel, gold.get("document", {}), row)
        if "references" in gold:
            pred = refs[refs.doc_id == doc_id]["ref_number"].tolist()
            g = [normalize_number(x) for x in gold["references"]]
            _score_set(rep.references, g, pred, lambda a, b: a == normalize_number(b), rel, "reference", rep)
        if "recipients" in gold:
            pred = recs[recs.doc_id == doc_id][["role", "recipient_text"]].itertuples(index=False)
            pred = [(r.role, r.recipient_text) for r in pred]
            g = [(r["role"], r["text"]) for r in gold["recipients"]]
            _score_set(
                rep.recipients, g, pred, lambda a, b: a[0] == b[0] and similar(a[1], b[1]) >= 0.9, rel, "recipient", rep
            )
        if gold.get("tasks") is not None:
            _score_tasks(rep, rel, gold["tasks"], tasks[tasks.doc_id == doc_id], agencies[agencies.doc_id == doc_id])
    return rep


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:6.1f}%  ({right}/{total})" if total else "     -"


def format_report(rep: Report, verbose: bool = False) -> str:
    """The report as a plain-text table."""
    lines = [f"coverage            {_pct(rep.covered, rep.gold_docs)}", "", "document fields (accuracy)"]
    for key in DOC_FIELDS[:6] + ["subject~90%"] + DOC_FIELDS[6:]:
        r, t = rep.fields.get(key, [0, 0])
        lines.append(f"  {key:<18}{_pct(r, t)}")
    lines.append("")
    for label, c in (("references", rep.references), ("recipients", rep.recipients)):
        lines.append(f"{label:<20}P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  (tp {c.tp}, fp {c.fp}, fn {c.fn})")
    c = rep.tasks
    lines += [
        "",
        "tasks (documents whose gold has tasks)",
        f"  detection         P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  (tp {c.tp}, fp {c.fp}, fn {c.fn})",
        f"  lead              {_pct(*rep.task_lead)}",
        f"  support           P {rep.task_support.precision:.3f}  R {rep.task_support.recall:.3f}  F1 {rep.task_support.f1:.3f}",
        f"  deadline          {_pct(*rep.task_deadline)}",
        f"  whole task        {_pct(*rep.task_whole)}",
    ]
    folders = sorted(rep.fields_by_folder)
    if len(folders) > 1:
        lines += ["", "by folder: " + "  ".join(folders)]
        for key in DOC_FIELDS:
            cells = []
            for f in folders:
                r, t = rep.fields_by_folder[f].get(key, [0, 0])
                cells.append(f"{100 * r / t:5.0f}%" if t else "    -")
            lines.append(f"  {key:<16}" + "  ".join(cells))
    if rep.missing:
        lines += ["", f"not in the output ({len(rep.missing)}):"] + [f"  {m}" for m in rep.missing]
    if verbose and rep.mismatches:
        lines += ["", "mismatches:"] + [f"  {m}" for m in rep.mismatches]
    return "\n".join(lines)
