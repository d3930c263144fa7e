"""CPU-lane hints benchmark: hinted kernels against their unhinted twins
(the kernels of python/test/test_cpu_hints.py), interleaved rounds of
triton.testing.do_bench in one process, median of the rounds.
Usage: .venv/bin/python scripts/bench_cpu_hints.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import torch
import triton
from triton.testing import do_bench

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python" / "test"))
from test_cpu_hints import (  # noqa: E402
    _column_sum_dma,
    _column_sum_plain,
    _row_sum_hinted,
    _row_sum_plain,
)


def _cases():
    m, n, bm, bn = 4096, 1024, 16, 32
    x = torch.randn(m, n)
    out = torch.empty(n)
    grid = (triton.cdiv(n, bn),)
    yield (
        "column sums 4096x1024, 16x32 tiles down the rows",
        "dma, num_stages=2",
        lambda: _column_sum_dma[grid](x, out, m, n, n, BLOCK_M=bm, BLOCK_N=bn),
        lambda: _column_sum_plain[grid](x, out, m, n, n, BLOCK_M=bm, BLOCK_N=bn),
    )
    rows, k = 256, 16384
    xr = torch.randn(rows, k)
    outr = torch.empty(rows)
    yield (
        "row sums 256x16384, 64-wide contiguous tiles",
        "shared_memory, num_stages=3",
        lambda: _row_sum_hinted[(rows,)](xr, outr, k, k, BLOCK=64),
        lambda: _row_sum_plain[(rows,)](xr, outr, k, k, BLOCK=64),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    os.environ["TRITON_CACHE_DIR"] = tempfile.mkdtemp(prefix="flagtree-bench-")
    print("| kernel | hints | hinted ms | unhinted ms | unhinted / hinted |")
    print("|---|---|---|---|---|")
    for name, hints, hinted, plain in _cases():
        hinted()
        plain()
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(do_bench(hinted, warmup=20, rep=150))
            theirs.append(do_bench(plain, warmup=20, rep=150))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"| {name} | {hints} | {a:.3f} | {b:.3f} | {b / a:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
