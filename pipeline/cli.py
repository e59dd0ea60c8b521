"""The ``vanban`` command line: ``run`` a folder into tables, ``eval`` tables against gold files."""

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
    from pipeline.runner import run

    summary = run(
        args.input,
        args.output,
        progress=not args.quiet,
        workers=args.workers,
        timeout=args.timeout,
        max_memory=args.max_memory,
        engine=args.engine,
        scheduler=args.scheduler,
        partition_by=args.partition_by,
        part_docs=args.part_size,
        force=args.force,
        state_dir=args.state_dir,
    )
    print(f"vanban: {summary.line()}", file=sys.stderr)
    for kind, n in sorted(summary.errors_by_type.items()):
        print(f"  {kind}: {n}", file=sys.stderr)
    if summary.replaced_workers:
        print(f"  workers replaced: {summary.replaced_workers}", file=sys.stderr)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate, format_report

    report = evaluate(args.gold, args.output)
    print(format_report(report, verbose=args.verbose))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vanban", description="Vietnamese administrative documents to Parquet tables")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="process every new or changed file below INPUT into tables in OUTPUT (a path or an fsspec URL)")
    r.add_argument("input")
    r.add_argument("output")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress output (the one-line summary stays)")
    r.add_argument("--workers", type=int, default=None, help="worker processes (default: every core; 0: in this process, no isolation)")
    r.add_argument("--timeout", type=float, default=120.0, help="seconds one file may take before its worker is replaced (default 120; 0: none)")
    r.add_argument("--max-memory", type=_size, default="4G", help="address space per worker, e.g. 4G (default), 512M; 0: none")
    r.add_argument("--engine", choices=["local", "dask"], default="local", help="local process pool (default) or a Dask cluster")
    r.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask; none: start a local cluster)")
    r.add_argument("--partition-by", default=None, metavar="COLUMN", help="hive-partition every table by this documents column, e.g. issue_year")
    r.add_argument("--part-size", type=int, default=1000, help="inputs per part file, the unit of resumption (default 1000)")
    r.add_argument("--force", action="store_true", help="process every file again, even those already in the tables")
    r.add_argument("--state-dir", default=None, help="where the manifest and part files live (default: inside a local OUTPUT)")
    r.set_defaults(func=_cmd_run)

    e = sub.add_parser("eval", help="score the tables in OUTPUT against the gold JSON files in GOLD_DIR")
    e.add_argument("gold")
    e.add_argument("output")
    e.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    e.set_defaults(func=_cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
