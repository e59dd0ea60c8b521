"""The data dictionary: what every column means, with an example, and the values a closed column takes.

``docs/schema.md`` is generated from this and from the schema (names and types come from
``pipeline.output.schema``, never typed twice): ``python -m pipeline.output.dictionary >
docs/schema.md``. ``tests/test_schema_doc.py`` checks that the file is what this module writes,
that every column of every table is described, and that the values of the closed columns
(``VALUES``) are the ones real outputs hold. Where a closed list already lives in ``rules/``
(document types, deadline recurrences) it is read from there, so the two cannot drift apart.
"""

from __future__ import annotations

import sys

import pyarrow as pa

from pipeline.output.schema import SCHEMA_VERSION, TABLES

_TYPE_NAMES = {
    "date32[day]": "date32", "float": "float32", "double": "float64",
    "list<item: string>": "list<string>", "list<element: string>": "list<string>",
}  # fmt: skip

TABLE_TITLES = {
    "documents": "one row per input file that could be read",
    "references": "every document number cited in the text",
    "recipients": "`Kính gửi` (to) and `Nơi nhận` (cc) entries",
    "tasks": "one row per leaf task (who must do what, by when)",
    "task_agencies": "the lead and every cooperating agency of a task",
    "errors": "one row per input that gave no document",
    "texts": "the text the parser was given, one row per page",
}

SPAN = "start offset in the document's text (the `texts` rows of the document joined in page order)"

# table -> column -> (meaning, example)
# (A column described here that the schema does not have yet is left out of docs/schema.md: a branch may
# describe a column another adds.)
COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "documents": {
        "doc_id": ("sha256 of the input file's bytes: stable across runs and machines", "`9f2c…e1`"),
        "source_path": ("path of the file relative to INPUT, `/`-separated", "`2024/cv_543.txt`"),
        "source_format": ("format detected from the bytes: `txt`, `md`, `docx`, `pdf`, `doc`", "`txt`"),
        "text_source": ("where the text came from: `text` (a text layer or text file), `ocr`, `mixed`", "`text`"),
        "quality": ("0–1 share of the text that looks like clean Vietnamese (PDF pages; null for other formats)", "`0.98`"),
        "n_chars": ("characters of normalized text", "`10482`"),
        "n_pages": ("pages (PDF), null for formats without pages", "`3`"),
        "doc_type": ("type of document, sentence case as ANNOTATION.md writes it (the names of `rules/doc_types.toml`)", "`Công văn`"),
        "doc_number": ("the document's full number and symbol, normalized", "`543/SCT-QLCN`"),
        "doc_symbol": ("the symbol after the numeral", "`SCT-QLCN`"),
        "issuer": ("canonical full name of the issuing body", "`Ủy ban nhân dân tỉnh Lạng Sơn`"),
        "place": ("place of issue", "`Lạng Sơn`"),
        "issue_date": ("date of issue, when day, month and year are all printed", "`2024-04-15`"),
        "issue_year": ("year of issue, also when the date is partial", "`2024`"),
        "issue_month": ("month of issue, also when the day is blank", "`4`"),
        "subject": ("the subject line (trích yếu), without `V/v`", "`xem xét Công văn số …`"),
        "signer_name": ("name of the person who signed", "`Dương Văn Chiêu`"),
        "signer_title": ("the signer's own title", "`Phó Chánh Văn phòng`"),
        "signing_mode": ("`KT`, `TM`, `TL`, `TUQ`, `Q` when the signature block starts with it, else null", "`KT`"),
        "parser_version": ("version of the parser that made the row", "`0.5.0`"),
        "needs_review": ("what a person should check, when a field was left empty because the page could not be read with confidence (a handwritten number or day on a scan); null otherwise", "`doc_number: digits not read with confidence ('Số: 113/CV')`"),
        "duplicate_paths": ("other inputs with the same bytes (same `doc_id`), in `source_path` order, empty for most documents. Byte-identical files are one document: one row here (`source_path` is the first of the copies), and their references, recipients, tasks and agencies once, so a join on `doc_id` never counts a copy twice", '`["2024/copy of cv_543.txt"]`'),
    },
    "references": {
        "doc_id": ("the citing document", ""),
        "ref_number": ("cited number, normalized like `doc_number`", "`32/2024/NĐ-CP`"),
        "ref_type": ("type of the cited document when printed before it, sentence case (`Nghị định`, `Văn bản`, `Sắc lệnh`)", "`Nghị định`"),
        "ref_date": ("date printed right after the number", "`2024-03-15`"),
        "ref_issuer": ("canonical issuer printed after it (`của Bộ Công Thương`)", "`Bộ Công Thương`"),
        "ref_text": ("the citation as printed", "`Nghị định số 32/2024/NĐ-CP ngày 15/3/2024`"),
        "char_start": (SPAN, "`812`"),
        "char_end": ("end offset (exclusive)", "`855`"),
        "page": ("page the citation starts on (paged formats), else null", "`1`"),
        "ref_doc_id": (
            "`doc_id` of the cited document when it is itself in the output (same number, told apart by type, issuer "
            "and date when several documents share it; the first by `source_path` among copies of one document), "
            "else null. Filled after the run, when every document is known",
            "`5be0…9a`",
        ),
    },
    "recipients": {
        "doc_id": ("", ""),
        "role": ("`to` (Kính gửi) or `cc` (Nơi nhận)", "`cc`"),
        "recipient_text": ("the entry as printed, without its bullet and final `;`", "`Các Sở: KHĐT, XD, TNMT`"),
        "char_start": (SPAN, ""),
        "char_end": ("end offset (exclusive)", ""),
        "page": ("page of the entry, else null", ""),
    },
    "tasks": {
        "doc_id": ("", ""),
        "task_no": ("1, 2, … in document order", "`3`"),
        "path": ("numbering path of the item", "`II.3.a`"),
        "section": ("heading the task sits under", "`TỔ CHỨC THỰC HIỆN`"),
        "text": ("the task's text", "`Chủ trì, phối hợp với …`"),
        "lead_agency": ("canonical lead agency, own or inherited", "`Sở Công Thương`"),
        "deadline_text": ("the deadline as printed", "`trong tháng 5/2024`"),
        "deadline_start": ("first day of the deadline window", "`2024-05-01`"),
        "deadline_end": ("last day of the deadline window", "`2024-05-31`"),
        "deadline_kind": (
            "`date`, `month`, `quarter`, `year`, `range`, `ongoing`, `recurring` (as ANNOTATION.md); "
            "`trước ngày X` is a `date` with no start",
            "`month`",
        ),
        "deadline_recurrence": (
            "how often the deadline comes back, the values of `rules/deadlines.toml` [recurrence]: set for "
            "`recurring`, and also on a `date` that repeats (`trước ngày 15/12 hằng năm`)",
            "`yearly`",
        ),
        "char_start": ("start offset of the task text in the document's text (see `texts`)", ""),
        "char_end": ("end offset (exclusive)", ""),
        "page": ("page the task starts on, else null", ""),
    },
    "task_agencies": {
        "doc_id": ("", ""),
        "task_no": ("joins to `tasks`", "`3`"),
        "role": ("`lead` or `support`", "`support`"),
        "agency": ("canonical full name, as named in the document", "`Sở Kế hoạch và Đầu tư`"),
        "agency_text": ("the name as printed", "`Sở KHĐT`"),
        "agency_successor": (
            "today's full name of the body, when it differs from `agency`: renamed or merged in 2025 (departments "
            "and ministries by `rules/successors.toml`; provinces and communes by the administrative-unit library), "
            "or a department named without its province, completed with the province the document implies. "
            "Null when `agency` is already today's full name, or nothing is known (a district body: the level "
            "was abolished). Filled after the run",
            "`Sở Tài chính tỉnh Lâm Đồng`",
        ),
    },
    "errors": {
        "source_path": ("path relative to INPUT", "`bad/empty.txt`"),
        "doc_id": ("sha256 of the bytes, null when they could not be read", ""),
        "stage": ("`read`, `ingest`, `parse`, `output`", "`ingest`"),
        "error_type": ("short machine-readable kind (README, Bad input)", "`empty`"),
        "message": ("what went wrong, for a person", "`the file is empty`"),
        "parser_version": ("", "`0.5.0`"),
    },
    "texts": {
        "doc_id": ("", ""),
        "page": (
            "1, 2, … for a paged format (PDF); null for one row holding the whole text of an unpaged one",
            "`2`",
        ),
        "text": (
            "the page's text as the parser was given it; the rows of a document joined in page order are its whole "
            "text, into which every `char_start`/`char_end` points (page 1 starts at offset 0, each page ends where "
            "the next begins)",
            "`ỦY BAN NHÂN DÂN …`",
        ),
        "text_source": ("`text` or `ocr`: how this page was read (an empty page: null); unpaged: as `documents`", "`ocr`"),
    },
}


def _rule_values(name: str, pick) -> tuple[str, ...]:
    from pipeline import rules

    return tuple(sorted(set(pick(rules.load(name)))))


def closed_values() -> dict[tuple[str, str], tuple[str, ...]]:
    """(table, column) → every value the column may hold (null aside). Read from rules/ where they live."""
    doc_types = _rule_values("doc_types", lambda d: [t["name"] for t in d["type"]])
    return {
        ("documents", "text_source"): ("mixed", "ocr", "text"),
        ("documents", "doc_type"): doc_types,
        ("documents", "signing_mode"): ("KT", "Q", "TL", "TM", "TUQ"),
        ("recipients", "role"): ("cc", "to"),
        ("tasks", "deadline_kind"): ("date", "month", "ongoing", "quarter", "range", "recurring", "year"),
        ("tasks", "deadline_recurrence"): _rule_values("deadlines", lambda d: d["recurrence"].values()),
        ("task_agencies", "role"): ("lead", "support"),
        ("errors", "stage"): ("ingest", "output", "parse", "read"),
        ("texts", "text_source"): ("ocr", "text"),
    }


def type_name(t: pa.DataType) -> str:
    return _TYPE_NAMES.get(str(t), str(t))


def render() -> str:
    """docs/schema.md."""
    values = closed_values()
    out = [
        "# vanban tables: the data dictionary",
        "",
        "<!-- Generated by `python -m pipeline.output.dictionary > docs/schema.md`; edit pipeline/output/dictionary.py. -->",
        "",
        "`vanban run INPUT OUTPUT` writes one Parquet file per table into OUTPUT (or one hive-partitioned",
        "folder per table with `--partition-by`). The tables are the contract dashboards read. **Promise",
        "between versions:** within a major schema version (`pipeline.output.schema.SCHEMA_VERSION`, now",
        f"`{SCHEMA_VERSION}`) columns and tables are only ever *added*; none is renamed, retyped or removed, and",
        "the meaning of a value does not change. A value may become more often filled (a parser improvement),",
        "which is recorded in `parser_version`. Every table is written even when it has no rows; a table added",
        "after an output was written (`texts`) reads as empty from that output.",
        "",
        "Field meanings follow `ANNOTATION.md` (the annotation guide the evaluation uses). `doc_id` joins every",
        "table to `documents`. A column with a closed list of values says so under its table; the test suite",
        "checks those lists against real outputs.",
    ]
    for name, schema in TABLES.items():
        out += ["", f"## {name} — {TABLE_TITLES[name]}", "", "| column | type | meaning | example |", "|---|---|---|---|"]
        for field in schema:
            meaning, example = COLUMNS[name][field.name]
            out.append(f"| {field.name} | {type_name(field.type)} | {meaning} | {example} |")
        closed = [(c, v) for (t, c), v in values.items() if t == name]
        if closed:
            out.append("")
            out += [f"- `{c}` is one of: {', '.join(f'`{x}`' for x in v)} (or null)." for c, v in closed]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
