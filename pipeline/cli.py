"""The ``vanban`` command line: ``run`` a folder into tables, ``eval`` tables against gold files,
read them back: ``tasks``, ``query`` (SQL), ``cites``, ``report`` (one HTML page), and ``parse``
one file into JSON."""

from __future__ import annotations

import argparse
import sys


def _size(text: str) -> int:
    """``4G``, ``512M``, ``0`` (no limit) → bytes."""
    text = text.strip().upper().removesuffix("B")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}.get(text[-1:], 1)
    try:
        return int(float(text.rstrip("KMGT") or 0) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 4G, 512M, 0)") from None


def _cmd_run(args: argparse.Namespace) -> int:
    """Exit status: 0 every file done, 1 some files failed (the summary says how many, by type), 2 a
    mistake or an environment to fix (one line; the traceback with --debug), 128 + signal when stopped."""
    import logging

    from pipeline.batch.errors import RunError, Stopped
    from pipeline.limits import Limits
    from pipeline.runner import run

    log = logging.getLogger("vanban")
    handler = None
    try:
        if args.log_file:
            from pipeline.batch.log import log_to_file

            handler = log_to_file(args.log_file)
        limits = Limits(
            max_file_size=args.max_file_size or 1 << 62,
            max_pages=args.max_pages or 1 << 62,
            max_uncompressed=args.max_uncompressed or 1 << 62,
            max_chars=args.max_chars or 1 << 62,
        )
        log.info("run %s into %s", args.input, args.output, extra={"event": "start", "input": args.input, "output": args.output})
        summary = run(
            args.input,
            args.output,
            progress=not args.quiet,
            workers=args.workers,
            timeout=args.timeout,
            timeout_per_page=args.timeout_per_page,
            max_memory=args.max_memory,
            engine=args.engine,
            scheduler=args.scheduler,
            partition_by=args.partition_by,
            part_docs=args.part_size,
            force=args.force,
            retry_errors=args.retry_errors,
            prune=args.prune,
            force_prune=args.force_prune,
            exclude=tuple(args.exclude),
            state_dir=args.state_dir,
            limits=limits,
        )
    except (RunError, Stopped) as e:
        return _fail(args, log, str(e), e.exit_code)
    except KeyboardInterrupt:
        return _fail(args, log, "stopped by SIGINT", 130)
    except OSError as e:
        where = f" ({e.filename})" if e.filename else ""
        return _fail(args, log, f"{e.strerror or e}{where}", 2)
    except Exception as e:  # noqa: BLE001 - a bug: one line, and the traceback for the report with --debug
        return _fail(args, log, f"{type(e).__name__}: {e} (a bug: run again with --debug and report the traceback)", 2)
    else:
        print(f"vanban: {summary.line()}", file=sys.stderr)
        for note in summary.notes():
            print(f"  {note}", file=sys.stderr)
        extra = {"event": "summary", "files": summary.files, "documents": summary.documents, "failed": summary.failed,
                 "skipped": summary.skipped, "errors": summary.errors_by_type, "ignored": summary.ignored}  # fmt: skip
        log.info(summary.line(), extra=extra)
        return 1 if summary.failed else 0
    finally:
        if handler is not None:
            log.removeHandler(handler)
            handler.close()


def _fail(args: argparse.Namespace, log, message: str, code: int) -> int:
    """One line for the person (the traceback too with --debug), the same in the log file."""
    if args.debug:
        import traceback

        traceback.print_exc()
    print(f"vanban: {message}", file=sys.stderr)
    log.error(message, exc_info=args.debug, extra={"event": "stopped", "exit_code": code})
    return code


def _cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate, format_report

    report = evaluate(args.gold, args.output)
    print(format_report(report, verbose=args.verbose))
    if args.variants:
        from pathlib import Path

        from pipeline.eval_variants import format_comparison, score_variants

        corpus = args.corpus or str(Path(args.gold).resolve().parent.parent / "corpus" / Path(args.gold).resolve().name)
        orig, var = score_variants(args.gold, corpus, args.variants)
        print(format_comparison(orig, var, args.variants))
        if args.verbose:
            print("\nvariant mismatches:\n" + "\n".join(f"  {m}" for m in var.mismatches))
    return 0


def _day(text: str):
    """``2024-06-30`` → a date."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (YYYY-MM-DD)") from None


def _reader(command):
    """A reading command: a missing table, bad SQL or a bad option is one line on stderr and exit status 2, not a traceback."""
    import functools
    import os

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        import duckdb

        try:
            return command(args)
        except (FileNotFoundError, ValueError, duckdb.Error) as e:
            print(f"vanban {args.command}: {str(e).strip().splitlines()[0]}", file=sys.stderr)
            return 2
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as the Python docs advise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1

    return run


@_reader
def _cmd_tasks(args: argparse.Namespace) -> int:
    from pipeline.query.formats import write
    from pipeline.query.sql import connect
    from pipeline.query.tasks import TaskFilter, find_tasks, for_reading

    keep = TaskFilter(
        agency=args.agency, role=args.role, due_from=args.due_from, due_to=args.due_to, kind=args.kind,
        doc_type=args.doc_type, issuer=args.issuer, year=args.year, cites=args.cites, text=args.text,
    )  # fmt: skip
    table = find_tasks(connect(args.output), keep, args.limit)
    write(for_reading(table) if args.format == "table" else table, args.format, args.o, noun="tasks")
    return 0


@_reader
def _cmd_query(args: argparse.Namespace) -> int:
    from pipeline.query.formats import write
    from pipeline.query.sql import sql

    write(sql(args.output, args.sql), args.format, args.o)
    return 0


@_reader
def _cmd_cites(args: argparse.Namespace) -> int:
    import json

    from pipeline.query.cites import NothingMatches, find
    from pipeline.query.formats import aligned, visible
    from pipeline.query.sql import connect

    try:
        c = find(connect(args.output), args.number)
    except NothingMatches as e:
        print(f"vanban cites: {e}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(c.as_dict(), ensure_ascii=False, indent=1, default=str))
        return 0
    if c.numbers and len(c.numbers) > 1:
        print(f"{args.number.strip()}: {len(c.numbers)} numbers: {', '.join(c.numbers)}\n")
    if c.documents.num_rows:
        for d in c.documents.to_pylist():
            what = ", ".join(str(v) for v in (d["doc_type"], d["issuer"], d["issue_date"]) if v)
            print(visible(f"{d['doc_number']}: {what}: {d['source_path']}"))
    else:
        print(f"{', '.join(c.numbers or [args.number])}: not in the output")
    print(f"\nCited by ({c.cited_by.num_rows}):")
    if c.cited_by.num_rows:
        print(aligned(c.cited_by.drop_columns(["doc_id"])))
    print(f"\nCites ({c.cites.num_rows}):")
    if c.cites.num_rows:
        print(aligned(c.cites.drop_columns(["ref_doc_id"])))
    return 0


@_reader
def _cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    size = write_report(args.output, args.html, today=args.today, top=args.top)
    print(f"vanban: report written to {args.html} ({size / 1024:.0f} KB)", file=sys.stderr)
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    """One file's records as JSON, for a person with one file: a problem is one line and exit status 1."""
    import json
    import os

    from pipeline.batch.process import process_path
    from pipeline.output.as_json import document_json
    from pipeline.output.successors import fill_rows

    path = args.file
    if not os.path.lexists(path):
        print(f"vanban parse: {path}: no such file", file=sys.stderr)
        return 1
    if os.path.isdir(path) and not os.path.islink(path):
        print(f"vanban parse: {path}: a folder (vanban run INPUT OUTPUT reads a folder)", file=sys.stderr)
        return 1
    rows = process_path(path, os.path.basename(path))
    if rows["errors"]:
        e = rows["errors"][0]
        print(f"vanban parse: {path}: {e['error_type']}: {' '.join(str(e['message']).split())}", file=sys.stderr)
        return 1
    fill_rows(rows)
    text = json.dumps(document_json(rows, with_text=args.text), ensure_ascii=False, indent=1)
    try:
        print(text)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def build_parser() -> argparse.ArgumentParser:
    from pipeline.limits import Limits

    import pipeline

    p = argparse.ArgumentParser(prog="vanban", description="Vietnamese administrative documents to Parquet tables")
    p.add_argument("--version", action="version", version=f"vanban {pipeline.__version__} (parser {pipeline.PARSER_VERSION})")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="process every new or changed file below INPUT into tables in OUTPUT (a path or an fsspec URL)")
    r.add_argument("input")
    r.add_argument("output")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress output (the one-line summary stays)")
    r.add_argument("--workers", type=int, default=None, help="worker processes (default: every core; 0: in this process, no isolation)")
    r.add_argument("--timeout", type=float, default=120.0, help="seconds one file may take before its worker is replaced, plus --timeout-per-page for each page (default 120; 0: none)")
    r.add_argument("--timeout-per-page", type=float, default=20.0, help="seconds added to --timeout for each page of a PDF (default 20: OCR of a scanned page)")
    r.add_argument("--max-memory", type=_size, default="4G", help="address space per worker, e.g. 4G (default), 512M; 0: none")
    r.add_argument("--engine", choices=["local", "dask"], default="local", help="local process pool (default) or a Dask cluster")
    r.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask; none: start a local cluster)")
    r.add_argument("--partition-by", default=None, metavar="COLUMN", help="hive-partition every table by this documents column, e.g. issue_year")
    r.add_argument("--part-size", type=int, default=1000, help="inputs per part file, the unit of resumption (default 1000)")
    r.add_argument("--force", action="store_true", help="process every file again, even those already in the tables")
    r.add_argument("--retry-errors", action="store_true", help="try every error row again (timeouts, memory and crashes are tried again anyway)")
    r.add_argument("--prune", action="store_true", help="drop the rows of files no longer under INPUT (refused when that is more than half of OUTPUT)")
    r.add_argument("--force-prune", action="store_true", help="--prune, whatever it drops (also with an empty INPUT)")
    r.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="pass over paths or names matching GLOB, e.g. '*.tmp' or 'old/*' (repeatable)")
    r.add_argument("--log-file", metavar="FILE", help="append the run's log to FILE as JSON lines (progress, every failed file, the summary)")
    r.add_argument("--debug", action="store_true", help="print the traceback of an error, not only its one line")
    r.add_argument("--state-dir", default=None, help="where the manifest and part files live (default: inside a local OUTPUT)")
    d = Limits()
    r.add_argument("--max-file-size", type=_size, default=d.max_file_size, help="largest input file read, e.g. 200M (default); 0: none")
    r.add_argument("--max-pages", type=int, default=d.max_pages, help=f"most pages of one PDF (default {d.max_pages}); 0: none")
    r.add_argument("--max-uncompressed", type=_size, default=d.max_uncompressed, help="most bytes a DOCX may expand to, e.g. 200M (default); 0: none")
    r.add_argument("--max-chars", type=int, default=d.max_chars, help=f"most characters of text parsed from one file (default {d.max_chars:,}); 0: none")
    r.set_defaults(func=_cmd_run)

    e = sub.add_parser("eval", help="score the tables in OUTPUT against the gold JSON files in GOLD_DIR")
    e.add_argument("gold")
    e.add_argument("output")
    e.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    e.add_argument("--variants", type=int, default=0, metavar="N",
                   help="also print every text document with gold N other ways (header cells, wrapped lines, …) and score them")
    e.add_argument("--corpus", help="the corpus the gold describes, for --variants (default: GOLD's ../../corpus/<name>)")
    e.set_defaults(func=_cmd_eval)

    t = sub.add_parser("tasks", help="find tasks by agency, deadline, document; text filters ignore case and diacritics")
    t.add_argument("output")
    t.add_argument("--agency", help="lead or cooperating agency, by its printed, canonical or today's name: 'so cong thuong' finds Sở Công Thương")
    t.add_argument("--role", choices=["lead", "support"], help="only where --agency (or any agency) has this role")
    t.add_argument("--due-from", type=_day, metavar="YYYY-MM-DD", help="deadline window ends on or after this day")
    t.add_argument("--due-to", type=_day, metavar="YYYY-MM-DD", help="deadline window starts on or before this day")
    t.add_argument("--kind", help="deadline kind: date, month, quarter, year, range, ongoing, recurring")
    t.add_argument("--doc-type", help="type of the document: 'ke hoach', 'Quyết định'")
    t.add_argument("--issuer", help="issuer of the document, whole words")
    t.add_argument("--year", type=int, help="year the document was issued")
    t.add_argument("--cites", metavar="NUMBER", help="documents that cite this number: 32/2024/ND-CP")
    t.add_argument(
        "--text", metavar="PHRASE", action="append",
        help='words adjacent and in order in the task\'s text ("bao cao"); "quoted" parts are phrases of their own, '
        "words outside quotes stand alone; repeat for more; diacritics typed are respected",
    )  # fmt: skip
    t.add_argument("--limit", type=int, default=None, help="at most this many tasks")
    t.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table", help="table (default), csv, json, parquet")
    t.add_argument("-o", metavar="FILE", help="write to FILE (required for parquet; csv and json go to stdout without it)")
    t.set_defaults(func=_cmd_tasks)

    q = sub.add_parser("query", help='SQL (DuckDB) over the tables, each a view by its name: vanban query OUT "SELECT …"')
    q.add_argument("output")
    q.add_argument("sql")
    q.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    q.add_argument("-o", metavar="FILE", help="write to FILE (required for parquet)")
    q.set_defaults(func=_cmd_query)

    c = sub.add_parser("cites", help="what cites the document with NUMBER, and what it cites")
    c.add_argument("output")
    c.add_argument("number", help="as people write it: 'Nghị định 30/2020/NĐ-CP', 30/2020/ND-CP, 30/2020, 'nđ-cp 30/2020'")
    c.add_argument("--format", choices=["table", "json"], default="table")
    c.set_defaults(func=_cmd_cites)

    f = sub.add_parser("parse", help="one file's records as JSON: fields, references, recipients, tasks with their agencies")
    f.add_argument("file")
    f.add_argument("--text", action="store_true", help="include the text the parser was given, page by page")
    f.set_defaults(func=_cmd_parse)

    h = sub.add_parser("report", help="one self-contained HTML page of charts: documents, tasks, deadlines, citations, errors")
    h.add_argument("output")
    h.add_argument("--html", required=True, metavar="FILE")
    h.add_argument("--today", type=_day, default=None, metavar="YYYY-MM-DD", help="what counts as overdue (default: today)")
    h.add_argument("--top", type=int, default=15, help="bars in the ranked charts (default 15)")
    h.set_defaults(func=_cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    # numpy (loaded by pyarrow, and for scans) starts OpenBLAS with a thread per core and their buffers:
    # 0.06 CPU s of a 0.6 s one-file run, for matrix products vanban never makes (its numpy work is
    # per pixel). One thread, in the command only (a notebook importing ``pipeline`` keeps its own),
    # handed on to the workers; a choice made in the environment is kept.
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
