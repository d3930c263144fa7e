"""CPU lane: what a kernel costs the first process that needs it (a compile)
and each later one (its object code linked from the cache), for `tl.sort`
of one row of several sizes. Usage: .venv/bin/python scripts/bench_cpu_compile.py
[--sizes 256,1024,4096] [--processes 3]. Each process runs in a fresh
interpreter over one private Triton cache; "in the library" is what
flagtree_cpu_compile or flagtree_cpu_load took.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

_ONE_PROCESS = """
import sys, time
import torch, triton, triton.language as tl
from flagtree.lanes.cpu import jit

@triton.jit
def sort_row(x_ptr, y_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(y_ptr + offs, tl.sort(tl.load(x_ptr + offs)))

for n in map(int, sys.argv[1].split(",")):
    x, y = torch.randn(n), torch.empty(n)
    start = time.perf_counter()
    sort_row[(1,)](x, y, N=n)
    first_call = time.perf_counter() - start
    assert torch.equal(y, torch.sort(x).values)
    kernel = list(jit._compiled.values())[-1]
    how = "linked" if kernel.from_object_cache else "compiled"
    print(f"{n} {first_call:.3f} {kernel.compile_ms / 1e3:.3f} {how}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256,1024,4096")
    parser.add_argument("--processes", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flagtree-compile-bench-") as cache:
        script = os.path.join(cache, "sort_row.py")  # Triton reads a kernel's file
        with open(script, "w") as f:
            f.write(_ONE_PROCESS)
        env = dict(os.environ, TRITON_CACHE_DIR=os.path.join(cache, "triton"))
        env.pop("FLAGTREE_CPU_OBJECT_CACHE", None)
        print("| process | sort of | first call s | in the library s | how |")
        print("|---|---|---|---|---|")
        for process in range(1, args.processes + 1):
            run = subprocess.run(
                [sys.executable, script, args.sizes], env=env, capture_output=True, text=True
            )
            if run.returncode != 0:
                print(run.stderr, file=sys.stderr)
                return 1
            for line in run.stdout.split("\n"):
                if line.strip():
                    n, first, library, how = line.split()
                    print(f"| {process} | {n} | {first} | {library} | {how} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
