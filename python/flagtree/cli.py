"""The ``flagtree`` command line."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from . import __version__, core


def _cmd_info(args: argparse.Namespace) -> int:
    print(f"flagtree {__version__}")
    print(f"core     {core.version()}  ({core.library_path()})")
    for name, count in sorted(core.inventory().items()):
        print(f"dialect  {name:<8} {count:>4} ops")
    return 0


def _cmd_roundtrip(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text = path.read_text()
    except OSError as exc:
        print(f"flagtree roundtrip: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    printed = core.run_pipeline(text, args.pipeline, str(path))
    if args.check:
        if printed == text:
            print(f"{path}: identical after the round trip")
            return 0
        diff = difflib.unified_diff(
            text.splitlines(keepends=True),
            printed.splitlines(keepends=True),
            fromfile=str(path),
            tofile="flagtree",
        )
        sys.stdout.writelines(diff)
        return 1
    if args.output:
        Path(args.output).write_text(printed)
    else:
        sys.stdout.write(printed)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flagtree", description="flagtree: one compiler for Triton kernels"
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    info = sub.add_parser("info", help="show the version and what the core contains")
    info.set_defaults(run=_cmd_info)

    roundtrip = sub.add_parser(
        "roundtrip", help="parse a TTIR file with flagtree and print it back"
    )
    roundtrip.add_argument("file", help="TTIR text as Triton prints it")
    roundtrip.add_argument("-o", "--output", help="write here instead of stdout")
    roundtrip.add_argument("--pipeline", default="", help="MLIR pass pipeline to run in between")
    roundtrip.add_argument(
        "--check", action="store_true", help="exit 1 and show a diff if the text changes"
    )
    roundtrip.set_defaults(run=_cmd_roundtrip)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except core.IRError as exc:
        print(exc.diagnostics, file=sys.stderr)
        return 1
    except core.CoreNotFoundError as exc:
        print(f"flagtree: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
