"""Hinted kernels against their unhinted twins, timed side by side on a GPU.

For every case of flagtree.examples.hinted: both kernels run on the same
inputs, their outputs must agree with each other and with torch, and each
is timed with CUDA-graph replay (triton.testing.do_bench_cudagraph) in
interleaved rounds; the report gives the median time of each and the ratio
unhinted / hinted (above 1: the hint made the kernel faster) with the spread
of the per-round ratios.

    python scripts/bench_hints.py [--rounds 7] [--json FILE] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import warnings
from pathlib import Path

import torch
from gpu_check import compiled_kernels  # scripts/, beside this file
from triton.testing import do_bench_cudagraph

from flagtree.examples import hinted


def measure(case: hinted.HintCase, rounds: int) -> dict:
    device = torch.device("cuda")
    inputs = case.make_inputs(device, False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = case.launch(case.hinted, inputs)
    twin = case.launch(case.plain, inputs)
    torch.cuda.synchronize()
    ref = case.reference(inputs)
    row = {
        "case": case.name,
        "hints": case.hints,
        "hint_warnings": sorted({str(w.message) for w in caught if "hint" in str(w.message)}),
        "matches_twin": bool(
            torch.allclose(got.double(), twin.double(), atol=case.atol, rtol=case.rtol)
        ),
        "matches_torch": bool(
            torch.allclose(got.double(), ref.double(), atol=case.atol, rtol=case.rtol)
        ),
    }
    hinted_ir = compiled_kernels(case.hinted)[-1].asm["ttgir"]
    plain_ir = compiled_kernels(case.plain)[-1].asm["ttgir"]
    row["ir_marker"] = case.ttgir_marker
    row["marker_count"] = [hinted_ir.count(case.ttgir_marker), plain_ir.count(case.ttgir_marker)]
    times = {"hinted": [], "plain": []}
    for _ in range(rounds):
        for name, kernel in (("hinted", case.hinted), ("plain", case.plain)):
            times[name].append(do_bench_cudagraph(lambda k=kernel: case.launch(k, inputs), rep=100))
    ratios = [p / h for p, h in zip(times["plain"], times["hinted"], strict=True)]
    row["hinted_ms"] = statistics.median(times["hinted"])
    row["plain_ms"] = statistics.median(times["plain"])
    row["speedup"] = row["plain_ms"] / row["hinted_ms"]
    row["round_ratios_min_max"] = [min(ratios), max(ratios)]
    return row


def markdown(rows: list[dict], device: str, rounds: int) -> str:
    lines = [
        f"Hinted vs unhinted kernels on {device}: median of {rounds} interleaved rounds of "
        "CUDA-graph timing (`triton.testing.do_bench_cudagraph`, 100 ms each).",
        "",
        "| kernel | hints | unhinted ms | hinted ms | speed-up | per-round range | "
        "same result | effect in TTGIR |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lo, hi = r["round_ratios_min_max"]
        same = "yes" if r["matches_twin"] and r["matches_torch"] else "**no**"
        ours, theirs = r["marker_count"]
        lines.append(
            f"| {r['case']} | {r['hints']} | {r['plain_ms']:.4f} | {r['hinted_ms']:.4f} | "
            f"**{r['speedup']:.2f}x** | {lo:.2f}-{hi:.2f} | {same} | "
            f"`{r['ir_marker']}` {ours} vs {theirs} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("-k", help="only the cases whose name contains this")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("bench_hints: needs a CUDA GPU", file=sys.stderr)
        return 2
    rows = []
    for case in hinted.CASES:
        if args.k and args.k not in case.name:
            continue
        row = measure(case, args.rounds)
        rows.append(row)
        print(
            f"{row['case']:<44} plain {row['plain_ms']:.4f} ms  hinted {row['hinted_ms']:.4f} ms"
            f"  x{row['speedup']:.2f}  same={row['matches_twin'] and row['matches_torch']}"
            f"  marker {row['marker_count']}",
            flush=True,
        )
        for message in row["hint_warnings"]:
            print(f"    {message}", flush=True)
    device = torch.cuda.get_device_name()
    text = markdown(rows, device, args.rounds)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"device": device, "rows": rows}, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(text)
    return 0 if all(r["matches_twin"] and r["matches_torch"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
