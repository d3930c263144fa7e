"""``flagtree pretune``: search a table offline, or show what a table holds."""

from __future__ import annotations

import argparse
import json
import sys


def _cmd_search(args: argparse.Namespace) -> int:
    from .database import TableRejected
    from .identity import PretuneError
    from .search import search
    from .shapes import load_shapes, shape_product

    try:
        shapes = shape_product(args.shape) if args.shape else None
        if args.shapes:
            shapes = (shapes or []) + load_shapes(args.shapes)
        report = search(
            args.workload,
            args.db,
            shapes,
            lane=args.lane,
            workers=args.workers,
            resume=not args.restart,
            progress=not args.quiet,
            rounds=args.rounds,
        )
    except (PretuneError, TableRejected) as exc:
        print(f"flagtree pretune: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            f"flagtree pretune: interrupted; the buckets finished are in {args.db}, "
            "the same command resumes",
            file=sys.stderr,
        )
        return 130
    print(
        f"{args.db}: {report.tuned} bucket(s) tuned, {report.skipped} already stored, "
        f"{report.seconds:.1f} s, {report.workers} worker(s)"
    )
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from .database import TableRejected, describe

    try:
        tables = describe(args.db)
    except TableRejected as exc:
        print(f"flagtree pretune: {exc}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(tables, sys.stdout, indent=1)
        print()
        return 0
    for table in tables:
        print(
            f"{table['kernel']}  lane {table['lane']} ({table['target']})  flagtree "
            f"{table['flagtree_version']}  source {table['source_hash']}  key {table['key']}"
        )
        for entry in table["entries"]:
            config = entry["config"]
            params = ", ".join(f"{k}={v}" for k, v in config["kwargs"].items())
            params += f", num_warps={config['num_warps']}, num_stages={config['num_stages']}"
            print(f"  {entry['bucket']}  {entry['ms']:.4f} ms  {params}  ({entry['origin']})")
    return 0


def add_command(sub: argparse._SubParsersAction) -> None:
    """Registers ``flagtree pretune`` on the main parser's subcommands."""
    pretune = sub.add_parser(
        "pretune", help="tune an autotuned kernel offline into a table; show a table"
    )
    actions = pretune.add_subparsers(dest="pretune_command", required=True)

    run = actions.add_parser("search", help="search the best config per shape into a table")
    run.add_argument("workload", help="file.py:NAME or package.module:NAME of a pretune.Workload")
    run.add_argument("--db", required=True, help="the table file (SQLite; created if missing)")
    run.add_argument(
        "--shape",
        action="append",
        default=[],
        metavar="NAME=VALUES",
        help="a dimension, repeatable; VALUES: integers and ranges START:STOP:xF or "
        "START:STOP:+S, comma-separated (all combinations are searched)",
    )
    run.add_argument("--shapes", metavar="FILE.json", help="a JSON list of shapes")
    run.add_argument("--lane", help="fail unless this lane (cpu, nvidia, amd) is active")
    run.add_argument(
        "--workers",
        type=int,
        help="worker processes (default: one per GPU; one on the CPU lane)",
    )
    run.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each bucket this many times, keep each config's best (default 1)",
    )
    run.add_argument(
        "--restart", action="store_true", help="re-measure buckets the table already holds"
    )
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run.set_defaults(run=_cmd_search)

    show = actions.add_parser("show", help="list the tables and buckets of a table file")
    show.add_argument("db")
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=_cmd_show)
