"""The ``flagtree`` command line."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from . import __version__, core
from .pretune.cli import add_command as add_pretune_command
from .suite.cli import add_command as add_bench_command


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


def _cmd_backends(args: argparse.Namespace) -> int:
    from . import activation
    from .lanes import all_lanes

    if activation.disabled_by_user():
        state = "off (FLAGTREE_DISABLE is set: Triton runs as upstream)"
    else:
        import triton  # noqa: F401 - importing Triton is what activates flagtree

        state = "on" if activation.is_active() else "off (activation failed, see warnings)"
    print(f"flagtree {__version__}: {state}")
    print(f"{'lane':<8} {'kind':<4} {'target':<7} {'active':<7} why")
    for lane in all_lanes():
        availability = lane.availability()
        active = "yes" if availability.active else "no"
        print(
            f"{lane.name:<8} {lane.kind:<4} {lane.target_backend:<7} {active:<7} "
            f"{availability.reason}"
        )
    return 0


def _cmd_compile(args: argparse.Namespace) -> int:
    from .offline_compile import (
        CompileRequest,
        CompileRequestError,
        compile_request,
        is_binary_stage,
        stage_output,
    )

    options = {}
    if args.num_warps is not None:
        options["num_warps"] = args.num_warps
    if args.num_stages is not None:
        options["num_stages"] = args.num_stages
    request = CompileRequest(args.kernel, args.target, args.signature, args.constexpr, options)
    try:
        compiled = compile_request(request)
        name, output = stage_output(compiled, args.stage)
        if is_binary_stage(name) and not args.output:
            raise CompileRequestError(f"--stage {name} is binary: give -o FILE")
    except CompileRequestError as exc:
        print(f"flagtree compile: {exc}", file=sys.stderr)
        return 1
    if args.output:
        path = Path(args.output)
        if isinstance(output, bytes):
            path.write_bytes(output)
        else:
            path.write_text(output)
        print(f"wrote {name} of {compiled.name} to {path}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def _cmd_hints(args: argparse.Namespace) -> int:
    from .hints.cli import run

    request = None
    if args.signature is not None:
        from .offline_compile import CompileRequest

        request = CompileRequest(args.source, args.target, args.signature, args.constexpr)
    return run(args.source, as_json=args.json, compile_request=request)


def _add_hints_command(sub: argparse._SubParsersAction) -> None:
    hints = sub.add_parser(
        "hints", help="list the hints of a file or kernel, the lanes honouring them, and errors"
    )
    hints.add_argument("source", metavar="FILE.py[:kernel]", help="a file, or one kernel in it")
    hints.add_argument(
        "--json", action="store_true", help="print the hint table handed to the middle-end"
    )
    hints.add_argument(
        "--signature",
        help="compile FILE.py:kernel (types as for `flagtree compile`) and list the ops "
        "each hint attached to",
    )
    hints.add_argument("--constexpr", action="append", default=[], metavar="NAME=VALUE")
    hints.add_argument(
        "--target", default="cuda:90", help="target to compile for (default cuda:90)"
    )
    hints.set_defaults(run=_cmd_hints)


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

    backends = sub.add_parser("backends", help="list the lanes and whether each runs here")
    backends.set_defaults(run=_cmd_backends)

    compile_ = sub.add_parser(
        "compile", help="compile a kernel for a target, offline, and print one stage"
    )
    compile_.add_argument("kernel", help="path/to/file.py:kernel_name")
    compile_.add_argument(
        "--target",
        required=True,
        help="cuda:<sm> (e.g. cuda:90), hip:<arch> (e.g. hip:gfx942), cpu",
    )
    compile_.add_argument(
        "--signature",
        required=True,
        help="types of the non-constexpr arguments in order, e.g. '*fp32,*fp32,i32'",
    )
    compile_.add_argument(
        "--constexpr", action="append", default=[], metavar="NAME=VALUE", help="repeatable"
    )
    compile_.add_argument("--stage", help="stage to output (default: the last one)")
    compile_.add_argument("--num-warps", type=int)
    compile_.add_argument("--num-stages", type=int)
    compile_.add_argument("-o", "--output", help="write here instead of stdout")
    compile_.set_defaults(run=_cmd_compile)

    _add_hints_command(sub)
    add_pretune_command(sub)
    add_bench_command(sub)
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
