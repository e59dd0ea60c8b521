"""The ``vanban`` command line: ``run`` a folder into tables, ``eval`` tables against gold files."""

from __future__ import annotations

import argparse
import sys


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline.runner import run

    summary = run(args.input, args.output, progress=not args.quiet)
    print(summary.line(), file=sys.stderr)
    for kind, n in sorted(summary.errors_by_type.items()):
        print(f"  {kind}: {n}", file=sys.stderr)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate, format_report

    report = evaluate(args.gold, args.output)
    print(format_report(report, verbose=args.verbose))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vanban", description="Vietnamese administrative documents to Parquet tables")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="process every file below INPUT into tables in OUTPUT")
    r.add_argument("input")
    r.add_argument("output")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress output")
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
