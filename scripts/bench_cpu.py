"""CPU-lane benchmark: flagtree's CPU lane vs torch on this machine, side by
side in one process (interleaved rounds, median), plus each kernel's compile
time. Usage: .venv/bin/python scripts/bench_cpu.py [--rounds N] [--threads N]
[--only TEXT] [--out FILE.md]; --threads gives both sides that many threads
(default: torch's default and the CPU lane's, one per core); --only runs the
kernels whose name contains TEXT. Within a round the side that goes first
alternates.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time

import torch
import triton
from triton.testing import do_bench

from flagtree.examples import kernels


def _vector_add(n):
    x, y = torch.randn(n), torch.randn(n)
    out = torch.empty(n)
    grid = (triton.cdiv(n, 4096),)
    return (
        lambda: kernels.vector_add[grid](x, y, out, n, BLOCK=4096),
        lambda: torch.add(x, y, out=out),
        lambda: torch.equal(out, x + y),
    )


def _softmax(rows, cols):
    x = torch.randn(rows, cols)
    out = torch.empty_like(x)
    block = triton.next_power_of_2(cols)
    return (
        lambda: kernels.row_softmax[(rows,)](x, out, x.stride(0), cols, BLOCK=block),
        lambda: torch.softmax(x, dim=1),
        lambda: torch.allclose(out, torch.softmax(x, dim=1), atol=1e-6, rtol=1e-5),
    )


def _layer_norm(rows, cols):
    x, w, b = torch.randn(rows, cols), torch.randn(cols), torch.randn(cols)
    out = torch.empty_like(x)
    block = triton.next_power_of_2(cols)

    def ref():
        return torch.nn.functional.layer_norm(x, (cols,), w, b, 1e-5)

    return (
        lambda: kernels.layer_norm[(rows,)](x, w, b, out, x.stride(0), cols, 1e-5, BLOCK=block),
        ref,
        lambda: torch.allclose(out, ref(), atol=1e-4, rtol=1e-4),
    )


# 256x64 tiles with a K step of 64 (64 programs, 32 per core): each K step
# copies a 64 KB block of A and a 16 KB block of B, which the micro-kernel
# then reuses from the caches, and loads and stores the accumulator tile
# once. Measured against the other shapes on this machine (fp32, 2 threads /
# 1 thread, fraction of torch's speed): 256x64x64 0.89-0.91 / 0.87,
# 128x64x64 0.87-0.88 / 0.87, 128x128x64 0.79-0.80 / 0.77, 128x128x128 0.75,
# 256x64x32 0.83 / 0.81 (docs/performance.md).
MATMUL_TILE = {"BM": 256, "BN": 64, "BK": 64}


def _matmul(m, n, k, dtype=torch.float32):
    a, b = torch.randn(m, k).to(dtype), torch.randn(k, n).to(dtype)
    c = torch.empty(m, n)
    grid = (triton.cdiv(m, MATMUL_TILE["BM"]), triton.cdiv(n, MATMUL_TILE["BN"]))
    launch = functools.partial(
        kernels.matmul[grid], a, b, c, m, n, k, a.stride(0), a.stride(1), b.stride(0),
        b.stride(1), c.stride(0), c.stride(1), **MATMUL_TILE,
    )  # fmt: skip
    # Half inputs: torch's side widens them and multiplies in fp32, the same
    # arithmetic as the kernel's (torch's own bf16/fp16 CPU matmul takes seconds
    # on this AVX2 machine, docs/performance.md).
    exact = a.float() @ b.float()

    def ref():
        return a @ b if dtype == torch.float32 else a.float() @ b.float()

    return launch, ref, lambda: torch.allclose(c, exact, atol=1e-3, rtol=1e-3)


def _cross_entropy(rows, classes):
    logits = torch.randn(rows, classes)
    target = torch.randint(0, classes, (rows,))
    loss = torch.empty(rows)

    def ref():
        return torch.nn.functional.cross_entropy(logits, target, reduction="none")

    return (
        lambda: kernels.cross_entropy[(rows,)](
            logits, target, loss, logits.stride(0), classes, BLOCK=4096
        ),
        ref,
        lambda: torch.allclose(loss, ref(), atol=1e-4, rtol=1e-4),
    )


BENCHES = {
    "vector add 1M fp32": lambda: _vector_add(1 << 20),
    "vector add 16M fp32": lambda: _vector_add(16 << 20),
    "softmax 4096x1024": lambda: _softmax(4096, 1024),
    "layer norm 4096x1024": lambda: _layer_norm(4096, 1024),
    "matmul fp32 1024^3": lambda: _matmul(1024, 1024, 1024),
    "matmul bf16 in, fp32 acc 1024^3": lambda: _matmul(1024, 1024, 1024, torch.bfloat16),
    "matmul fp16 in, fp32 acc 1024^3": lambda: _matmul(1024, 1024, 1024, torch.float16),
    "cross entropy 1024x32000": lambda: _cross_entropy(1024, 32000),
}
# Floating-point operations per call, for the GFLOP/s columns.
FLOPS = {name: 2 * 1024**3 for name in BENCHES if name.startswith("matmul")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--only", default="")
    parser.add_argument("--out")
    args = parser.parse_args()
    chosen = {name: make for name, make in BENCHES.items() if args.only in name}
    if not chosen:
        parser.error(f"--only {args.only!r} names none of: {', '.join(BENCHES)}")
    if args.threads > 0:
        torch.set_num_threads(args.threads)
        os.environ["FLAGTREE_CPU_THREADS"] = str(args.threads)
    os.environ["TRITON_CACHE_DIR"] = tempfile.mkdtemp(prefix="flagtree-bench-")
    rows = [
        f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
        f"{os.cpu_count()} cores; median of {args.rounds} interleaved rounds",
        "",
        "| kernel | compile s | flagtree ms | torch ms | flagtree speed / torch "
        "| per-round range | GFLOP/s flagtree / torch | correct |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, make in chosen.items():
        ours, theirs, check = make()
        start = time.perf_counter()
        ours()  # compiles (a fresh cache: the whole pipeline, JIT included)
        compile_s = time.perf_counter() - start
        correct = bool(check())
        ours_ms, theirs_ms = [], []
        for round_ in range(args.rounds):
            # Alternating which side goes first keeps any effect of the
            # order (a core still awake from the last call, say) off the ratio.
            if round_ % 2:
                theirs_ms.append(do_bench(theirs, warmup=3, rep=30))
                ours_ms.append(do_bench(ours, warmup=3, rep=30))
            else:
                ours_ms.append(do_bench(ours, warmup=3, rep=30))
                theirs_ms.append(do_bench(theirs, warmup=3, rep=30))
        o, t = statistics.median(ours_ms), statistics.median(theirs_ms)
        # Each round's ratio (its two timings were taken back to back): the
        # spread says how far the median ratio can be trusted.
        ratios = [theirs / ours for ours, theirs in zip(ours_ms, theirs_ms, strict=True)]
        flops = FLOPS.get(name)
        rate = f"{flops / o / 1e6:.1f} / {flops / t / 1e6:.1f}" if flops else "-"
        rows.append(
            f"| {name} | {compile_s:.2f} | {o:.3f} | {t:.3f} | {t / o:.2f} "
            f"| {min(ratios):.2f}–{max(ratios):.2f} | {rate} | {correct} |"
        )
        print(rows[-1], flush=True)
    text = "\n".join(rows) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
