"""Host time of one `kernel[grid](...)` launch, side by side in one run.

For kernels of 1, 4 and 16 arguments and a one-program grid, each measured
in the same process, interleaved, median of several rounds:

* ``triton``   Triton's own Python launch path (on the CPU lane: the same
                CPU back end with flagtree's launcher switched off, as
                ``FLAGTREE_LAUNCHER=python``; on CUDA: upstream Triton, with
                flagtree suspended and its own copy of the kernel);
* ``flagtree`` ``kernel[grid](...)`` through flagtree's C++ launcher;
* ``C loop``   the floor: a C loop launching the same compiled kernel with
                arguments prepared once (``flagtree_cpu_launch`` on the CPU
                lane, ``cuLaunchKernel`` on CUDA), from
                lib/Launcher/bench/launch_loop.c built here with ``cc``.

The CPU run also launches one kernel 10^6 times through the fast path and
reports how much the process grew.

    python scripts/bench_launch.py                  # CPU lane
    python scripts/bench_launch.py --device cuda    # an NVIDIA GPU
"""

from __future__ import annotations

import argparse
import ctypes
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import triton
import triton.language as tl

from flagtree import activation, launcher

ROOT = Path(__file__).resolve().parent.parent
LOOP_SOURCE = ROOT / "lib" / "Launcher" / "bench" / "launch_loop.c"


@triton.jit
def _args1(out):
    tl.store(out, 1)


@triton.jit
def _args4(out, a, b, c):
    tl.store(out, a + b + c)


@triton.jit
def _args16(out, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p):
    tl.store(out, a + b + c + d + e + f + g + h + i + j + k + m + n + o + p)


KERNELS = {1: _args1, 4: _args4, 16: _args16}


def _scalars(count: int) -> list[int]:
    # Neither 1 nor multiples of 16: one specialization for every value.
    return [3 + 2 * i for i in range(count)]


def _build_loop_library(directory: Path) -> ctypes.CDLL:
    library = directory / "launch_loop.so"
    subprocess.run(
        ["cc", "-O2", "-shared", "-fPIC", str(LOOP_SOURCE), "-o", str(library), "-ldl"],
        check=True,
    )
    lib = ctypes.CDLL(str(library))
    lib.cpu_launch_loop.restype = ctypes.c_double
    lib.cpu_launch_loop.argtypes = [ctypes.c_void_p] * 3 + [ctypes.c_uint64]
    lib.cu_launch_loop.restype = ctypes.c_double
    lib.cu_launch_loop.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_uint64,
    ]
    return lib


def _python_loop(kernel, args: list, launches: int, synchronize) -> float:
    start = time.perf_counter()
    for _ in range(launches):
        kernel[(1,)](*args)
    synchronize()
    return (time.perf_counter() - start) / launches


def _argument_array(values: list[ctypes._SimpleCData]) -> ctypes.Array:
    return (ctypes.c_void_p * len(values))(
        *[ctypes.cast(ctypes.byref(v), ctypes.c_void_p) for v in values]
    )


class _CpuFloor:
    """flagtree_cpu_launch in a C loop, the kernel's arguments prepared once."""

    def __init__(self, loop: ctypes.CDLL, compiled, out: torch.Tensor, scalars: list[int]):
        from flagtree.lanes.cpu import jit

        self.loop = loop
        self.values = [ctypes.c_void_p(out.data_ptr())] + [ctypes.c_int32(v) for v in scalars]
        self.array = _argument_array(self.values)
        self.kernel = compiled.function.handle
        self.launch = jit.launch_function_address()

    def __call__(self, launches: int) -> float:
        seconds = self.loop.cpu_launch_loop(self.launch, self.kernel, self.array, launches)
        if seconds < 0:
            raise RuntimeError("flagtree_cpu_launch failed in the C loop")
        return seconds / launches


class _CudaFloor:
    """cuLaunchKernel in a C loop on the current stream."""

    def __init__(self, loop: ctypes.CDLL, compiled, out: torch.Tensor, scalars: list[int]):
        self.loop = loop
        # Triton's kernels take two scratch pointers after their arguments.
        self.values = (
            [ctypes.c_uint64(out.data_ptr())]
            + [ctypes.c_int32(v) for v in scalars]
            + [ctypes.c_uint64(0), ctypes.c_uint64(0)]
        )
        self.array = _argument_array(self.values)
        self.function = compiled.function
        self.threads = 32 * compiled.metadata.num_warps
        self.shared = compiled.metadata.shared

    def __call__(self, launches: int) -> float:
        stream = torch.cuda.current_stream().cuda_stream
        seconds = self.loop.cu_launch_loop(
            self.function, stream, self.threads, self.shared, self.array, launches
        )
        if seconds < 0:
            raise RuntimeError(f"the CUDA C loop failed ({seconds})")
        return seconds / launches


def measure(device: str, launches: int, rounds: int, loop: ctypes.CDLL) -> list[dict]:
    torch_device = torch.device(device)
    synchronize = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    rows = []
    for count, kernel in KERNELS.items():
        out = torch.zeros(1, dtype=torch.int32, device=torch_device)
        args = [out, *_scalars(count - 1)]
        ours = kernel
        if device == "cuda":
            upstream = triton.jit(kernel.fn)
            with activation.suspended():
                upstream[(1,)](*args)
        else:
            upstream = kernel
        compiled = ours[(1,)](*args)
        ours[(1,)](*args)
        floor_cls = _CudaFloor if device == "cuda" else _CpuFloor
        floor = floor_cls(loop, compiled, out, _scalars(count - 1))
        times: dict[str, list[float]] = {"triton": [], "flagtree": [], "C loop": []}
        for _ in range(rounds):
            if device == "cuda":
                with activation.suspended():
                    times["triton"].append(_python_loop(upstream, args, launches, synchronize))
            else:
                launcher.disable()
                try:
                    times["triton"].append(_python_loop(upstream, args, launches, synchronize))
                finally:
                    launcher.enable()
            times["flagtree"].append(_python_loop(ours, args, launches, synchronize))
            times["C loop"].append(floor(launches))
        synchronize()
        expected = sum(_scalars(count - 1)) if count > 1 else 1
        if int(out.item()) != expected:
            raise RuntimeError(f"{count} arguments: the kernel wrote {int(out.item())}")
        fast = launcher.stats(ours)["fast_launches"]
        if fast < rounds * launches:
            raise RuntimeError(f"{count} arguments: only {fast} launches took the fast path")
        median = {name: statistics.median(values) * 1e6 for name, values in times.items()}
        rows.append(
            {
                "arguments": count,
                "triton_us": round(median["triton"], 3),
                "flagtree_us": round(median["flagtree"], 3),
                "c_loop_us": round(median["C loop"], 3),
                "flagtree_over_c_loop": round(median["flagtree"] / median["C loop"], 2),
                "triton_over_flagtree": round(median["triton"] / median["flagtree"], 2),
            }
        )
    return rows


def _per_call_us(fn, calls: int = 20000, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return round(statistics.median(times) * 1e6, 3)


def breakdown(device: str, loop: ctypes.CDLL) -> dict:
    """Where a fast launch's host time goes, piece by piece: building
    ``kernel[grid]``, a launch of an empty grid (all host work but the
    driver call), the current-stream query, and the C loop over a short burst that the
    driver's queue absorbs (against the long one, which may wait for the
    GPU)."""
    result: dict = {}
    for count, kernel in KERNELS.items():
        out = torch.zeros(1, dtype=torch.int32, device=torch.device(device))
        args = [out, *_scalars(count - 1)]
        compiled = kernel[(1,)](*args)
        row = {"getitem_us": _per_call_us(lambda k=kernel: k[(1,)])}
        # An empty grid does all of a launch's host work but the driver call.
        kernel[(0,)](*args)
        row["flagtree_empty_grid_us"] = _per_call_us(lambda k=kernel, a=args: k[(0,)](*a))
        if device == "cuda":
            upstream = triton.jit(kernel.fn)
            with activation.suspended():
                upstream[(0,)](*args)
                row["triton_empty_grid_us"] = _per_call_us(lambda k=upstream, a=args: k[(0,)](*a))
        if device == "cuda":
            floor = _CudaFloor(loop, compiled, out, _scalars(count - 1))
            torch.cuda.synchronize()
            bursts = []
            for _ in range(5):
                bursts.append(floor(256))
                torch.cuda.synchronize()
            row["c_loop_burst_256_us"] = round(statistics.median(bursts) * 1e6, 3)
        result[count] = row
    if device == "cuda":
        stream = torch._C._cuda_getCurrentRawStream
        result["stream_query_us"] = _per_call_us(lambda: stream(0))
    return result


def check_results(device: str) -> list[str]:
    """Each example kernel's output through the fast path against Triton's
    own path; returns the kernels that differ or never took the fast path."""
    from flagtree import examples

    problems = []
    for case in examples.CASES:
        inputs = case.make_inputs(torch.device(device))
        case.launch(case.kernel, inputs)
        fast = case.launch(case.kernel, inputs).clone()
        if device == "cuda":
            with activation.suspended():
                upstream = case.launch(triton.jit(case.kernel.fn), inputs).clone()
        else:
            launcher.disable()
            try:
                upstream = case.launch(case.kernel, inputs).clone()
            finally:
                launcher.enable()
        if case.deterministic:
            same = torch.equal(fast, upstream)
        else:
            same = torch.allclose(fast, upstream, case.atol, case.rtol)
        if not same:
            problems.append(f"{case.name}: output differs from Triton's path")
        elif launcher.stats(case.kernel)["fast_launches"] < 1:
            problems.append(f"{case.name}: never took the fast path")
    return problems


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def growth_over(launches: int, device: str) -> dict:
    """RSS before and after `launches` fast launches of one kernel."""
    counter = torch.zeros(1, dtype=torch.int32, device=torch.device(device))
    for _ in range(1000):
        _args1[(1,)](counter)
    before = _rss_kib()
    start = time.perf_counter()
    for _ in range(launches):
        _args1[(1,)](counter)
    seconds = time.perf_counter() - start
    return {
        "launches": launches,
        "rss_before_kib": before,
        "rss_growth_kib": _rss_kib() - before,
        "seconds": round(seconds, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--launches", type=int, default=20000, help="launches per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--leak-launches", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not launcher.is_enabled():
        print(f"flagtree's launcher is off: {launcher.extension_error()}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as directory:
        loop = _build_loop_library(Path(directory))
        rows = measure(args.device, args.launches, args.rounds, loop)
    device = torch.cuda.get_device_name() if args.device == "cuda" else "CPU lane"
    print(f"host time per launch, one-program grid, {device}, median of {args.rounds} rounds")
    print(f"{'args':>4} {'triton us':>10} {'flagtree us':>12} {'C loop us':>10} "
          f"{'flagtree/C':>11} {'triton/flagtree':>16}")  # fmt: skip
    for row in rows:
        print(
            f"{row['arguments']:>4} {row['triton_us']:>10.2f} {row['flagtree_us']:>12.2f} "
            f"{row['c_loop_us']:>10.2f} {row['flagtree_over_c_loop']:>11.2f} "
            f"{row['triton_over_flagtree']:>16.2f}"
        )
    with tempfile.TemporaryDirectory() as directory:
        parts = breakdown(args.device, _build_loop_library(Path(directory)))
    print("breakdown (us per call):", json.dumps(parts))
    problems = check_results(args.device)
    print(f"example kernels, fast path vs Triton's path: {problems or 'identical'}")
    result = {"device": device, "rows": rows, "breakdown": parts, "result_problems": problems}
    if args.leak_launches:
        result["memory"] = growth_over(args.leak_launches, args.device)
        memory = result["memory"]
        print(
            f"{memory['launches']} fast launches: RSS grew {memory['rss_growth_kib']} KiB "
            f"(from {memory['rss_before_kib']} KiB) in {memory['seconds']} s"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
