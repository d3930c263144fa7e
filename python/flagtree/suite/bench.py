"""`flagtree bench`: every operator on one lane, checked against torch and
timed side by side with torch and, on GPU lanes, with upstream Triton
(flagtree suspended, kernels jitted afresh) in the same process."""

from __future__ import annotations

import contextlib
import fnmatch
import functools
from collections.abc import Callable
from dataclasses import dataclass

import torch

from . import runner
from .known import full_message, known_failure
from .progress import Progress
from .registry import FAMILIES, Case, Operator, all_operators

LANES = ("cpu", "nvidia", "amd")
_TARGET_BACKEND = {"cpu": "cpu", "nvidia": "cuda", "amd": "hip"}


class BenchError(Exception):
    """The bench cannot run as asked (wrong lane, nothing selected)."""


@dataclass
class Row:
    op: str
    family: str
    case: str
    #: pass, fail (wrong result), error (did not run), known (listed in known.py)
    status: str
    message: str = ""
    flagtree_ms: float | None = None
    torch_ms: float | None = None
    upstream_ms: float | None = None

    @property
    def vs_torch(self) -> float | None:
        return _ratio(self.flagtree_ms, self.torch_ms)

    @property
    def vs_upstream(self) -> float | None:
        return _ratio(self.flagtree_ms, self.upstream_ms)


def _ratio(a, b):
    return a / b if a is not None and b else None


def check_lane(lane: str) -> torch.device:
    """The torch device of `lane`, after checking that Triton's active driver
    is that lane's."""
    import triton

    if lane not in LANES:
        raise BenchError(f"unknown lane {lane!r} (choose from {', '.join(LANES)})")
    try:
        target = triton.runtime.driver.active.get_current_target()
    except Exception as exc:  # noqa: BLE001 - reported to the user as is
        raise BenchError(f"no active Triton driver: {exc}") from None
    if target.backend != _TARGET_BACKEND[lane]:
        raise BenchError(
            f"--lane {lane}: Triton's active driver targets {target.backend!r}, not "
            f"{_TARGET_BACKEND[lane]!r} (see `flagtree backends`)"
        )
    return torch.device("cpu" if lane == "cpu" else "cuda")


def select(pattern: str | None, family: str | None = None) -> list[Operator]:
    ops = all_operators()
    if family:
        if family not in FAMILIES:
            raise BenchError(f"unknown family {family!r} (choose from {', '.join(FAMILIES)})")
        ops = [op for op in ops if op.family == family]
    if pattern:
        glob = pattern if any(ch in pattern for ch in "*?[") else f"*{pattern}*"
        ops = [op for op in ops if fnmatch.fnmatchcase(op.name, glob)]
    if not ops:
        raise BenchError(f"no operator matches -k {pattern!r}")
    return ops


def _timer(device: torch.device, quick: bool) -> Callable[[Callable[[], object]], float]:
    """do_bench_cudagraph on GPUs (steadier for microsecond kernels), falling
    back to do_bench for code that cannot be captured in a graph."""
    from triton.testing import do_bench, do_bench_cudagraph

    rep = 10 if quick else 50
    plain = functools.partial(do_bench, warmup=5 if quick else 25, rep=rep)
    if device.type != "cuda":
        return plain

    def timed(fn):
        try:
            return do_bench_cudagraph(fn, rep=rep)
        except Exception:  # noqa: BLE001 - not capturable: time it without a graph
            torch.cuda.synchronize()
            return plain(fn)

    return timed


def _rejit(kernel):
    import triton

    return triton.jit(kernel.fn)


def bench_case(op: Operator, c: Case, lane: str, device, time_fn, upstream: bool) -> Row:
    row = Row(op.name, op.family, c.label, "pass")
    try:
        _bench_case(op, c, lane, device, time_fn, upstream, row)
    except Exception as exc:  # noqa: BLE001 - one operator must not stop the bench
        row.status = "error" if row.status == "pass" else row.status
        row.message += f" {runner.describe_error(exc)}"
    return row


def _bench_case(op, c, lane, device, time_fn, upstream, row) -> None:
    known = known_failure(op.name, lane)
    inputs = runner.make_inputs(op, c, device)
    try:
        out = runner.launch(op, c, inputs)
        if device.type == "cuda":
            torch.cuda.synchronize()
    except Exception as exc:  # noqa: BLE001 - recorded in the report
        row.status = "known" if known and known.match in full_message(exc) else "error"
        row.message = known.reason if row.status == "known" else runner.describe_error(exc)
        return
    try:
        runner.verify(op, c, out, inputs)
    except AssertionError as exc:
        row.status, row.message = "fail", str(exc).splitlines()[0]
    if known:
        row.message = f"listed as failing ({known.reason}) but ran; " + row.message
    ours = op.kernel_namespace()
    sides = {"flagtree": (lambda: op.launch(ours, c, *inputs), contextlib.nullcontext)}
    if upstream:
        theirs = _upstream_kernels(op, c, inputs, row)
        if theirs is not None:
            sides["upstream"] = (lambda: op.launch(theirs, c, *inputs), _suspended)
    baseline = op.baseline or op.reference
    if baseline is not None:
        sides["torch"] = (lambda: baseline(c, *inputs), contextlib.nullcontext)
    times = _interleaved(sides, time_fn, row)
    row.flagtree_ms = times["flagtree"]
    row.upstream_ms = times.get("upstream")
    row.torch_ms = times.get("torch")


#: timing rounds per side, interleaved: the least of them is kept, which
#: keeps out most of the noise of other work on the machine
ROUNDS = 3


def _interleaved(sides: dict, time_fn, row: Row) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(ROUNDS):
        for name, (fn, context) in sides.items():
            if name not in times:
                continue
            try:
                with context():
                    times[name].append(time_fn(fn))
            except Exception as exc:  # noqa: BLE001 - the other sides are still timed
                if name == "flagtree":
                    raise
                del times[name]
                row.message += f" {name} not timed: {runner.describe_error(exc)}"
    return {name: min(values) for name, values in times.items()}


def _suspended():
    from flagtree import activation

    return activation.suspended()


def _upstream_kernels(op, c, inputs, row):
    """Fresh copies of the kernels, compiled as upstream Triton and checked;
    None (with a note in the row) when they fail."""
    kernels = op.kernel_namespace(_rejit)
    try:
        with _suspended():
            out = op.launch(kernels, c, *inputs)
            runner.verify(op, c, out, inputs, rejit=_rejit)
        return kernels
    except Exception as exc:  # noqa: BLE001 - recorded in the report
        row.message += f" upstream: {runner.describe_error(exc)}"
        return None


def run_bench(
    lane: str,
    pattern: str | None = None,
    quick: bool = False,
    family: str | None = None,
    rows: list[Row] | None = None,
    on_row: Callable[[list[Row]], None] | None = None,
) -> list[Row]:
    """Benchmarks the selected operators, appending to `rows` as it goes
    (so that a caller still has the rows done when it is interrupted) and
    calling on_row(rows) after each. Variants already in `rows` (an earlier,
    interrupted run) are not run again."""
    device = check_lane(lane)
    ops = select(pattern, family)
    rows = [] if rows is None else rows
    done = {(r.op, r.case) for r in rows}
    work = [
        (op, c)
        for op in ops
        for c in (_quick_cases(op) if quick else op.bench_cases)
        if (op.name, c.label) not in done
    ]
    time_fn = _timer(device, quick)
    progress = Progress(len(work))
    for op, c in work:
        rows.append(bench_case(op, c, lane, device, time_fn, upstream=lane != "cpu"))
        progress.step(f"{op.name} {c.label} {rows[-1].status}")
        if on_row is not None:
            on_row(rows)
    return rows


def _quick_cases(op: Operator) -> tuple[Case, ...]:
    """Mid-sized cases (or the largest test case): seconds per operator."""
    return op.quick_cases or (max(op.cases, key=lambda c: _numel(c.shape)),)


def _numel(shape) -> int:
    n = 1
    for d in shape:
        n *= d
    return n
