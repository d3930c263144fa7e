"""`flagtree bench`: the operator suite on one lane, with a report."""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import signal
import sys
from pathlib import Path


def _device_name(lane: str) -> str:
    if lane == "cpu":
        return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    import torch

    return torch.cuda.get_device_name()


#: settings that change what the bench measures, recorded with the command
_RECORDED_ENV = ("OMP_WAIT_POLICY", "OMP_NUM_THREADS")


def _command_line() -> str:
    env = [
        f"{k}={shlex.quote(v)}"
        for k, v in sorted(os.environ.items())
        if k in _RECORDED_ENV or k.startswith("FLAGTREE_")
    ]
    return " ".join([*env, "flagtree bench", *(shlex.quote(a) for a in sys.argv[2:])])


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _run(args: argparse.Namespace) -> int:
    from .bench import LANES, BenchError, run_bench
    from .report import ReportError, check_out_dir, read_csv, summary, write_csv, write_report

    if args.lane not in LANES:
        print(f"flagtree bench: unknown lane {args.lane!r}", file=sys.stderr)
        return 2
    try:
        check_out_dir(Path(args.out))
    except ReportError as exc:
        print(f"flagtree bench: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    rows: list = []
    if args.resume and (out / "report.csv").exists():
        rows = read_csv(out / "report.csv")
        print(f"flagtree bench: resuming after {len(rows)} variants", file=sys.stderr)
    interrupted = False
    # A time limit (`timeout`) stops the bench with SIGTERM: the operators
    # done by then are still reported.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        # report.csv is rewritten after every variant: even a killed run
        # leaves what it measured, and --resume goes on from there
        run_bench(args.lane, args.k, args.quick, args.family, rows,
                  on_row=lambda done: write_csv(done, out / "report.csv"))  # fmt: skip
    except BenchError as exc:
        print(f"flagtree bench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        interrupted = True
        print(f"\nflagtree bench: interrupted after {len(rows)} variants", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not rows:
        return 130 if interrupted else 2
    command = _command_line()
    note = f"Interrupted after {len(rows)} variants: a partial report." if interrupted else ""
    written = write_report(rows, out, args.lane, command, _device_name(args.lane), note)
    counts = summary(rows)
    print(
        f"{counts['operators']} operators: {counts['pass']} passed, {counts['known']} listed "
        f"as unsupported on this lane, {counts['fail']} wrong, {counts['error']} errors"
    )
    for path in written:
        print(f"wrote {path}")
    if interrupted:
        return 130
    return 1 if counts["fail"] or counts["error"] else 0


def add_command(subparsers: argparse._SubParsersAction) -> None:
    bench = subparsers.add_parser(
        "bench", help="run the operator suite on a lane: check against torch, time, report"
    )
    bench.add_argument("--lane", default="cpu", help="cpu, nvidia or amd (default cpu)")
    bench.add_argument(
        "--quick",
        action="store_true",
        help="mid-sized shapes and short timing (seconds per operator)",
    )
    bench.add_argument("-k", metavar="PATTERN", help="operators whose name matches (glob)")
    bench.add_argument("--family", help="one family only (unary, matmul, ...)")
    bench.add_argument(
        "--resume",
        action="store_true",
        help="keep the variants of OUT/report.csv (an interrupted run) and run the others",
    )
    bench.add_argument("--out", default="bench-report", help="folder for report.md/csv and plots")
    bench.set_defaults(run=_run)
