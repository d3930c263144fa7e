"""The checks `scripts/gpu-check run` performs on a machine with an NVIDIA GPU.

1. Activation: `import triton` activates flagtree and the NVIDIA lane is
   available.
2. Correctness: every kernel of flagtree.examples runs through
   `kernel[grid](...)` with flagtree active and matches torch; the same
   kernel compiled by upstream Triton (flagtree suspended) gives bitwise the
   same output and the same cubin.
3. Binaries: every kernel of the corpus, compiled for this GPU with and
   without flagtree, gives byte-identical cubins.
4. Speed, in one process: flagtree vs upstream kernel time (interleaved
   rounds of CUDA-graph timing, which keeps launch jitter out of
   microsecond kernels), and the time of flagtree's stage as a share of
   the whole compile time.

Writes gpu-check.json and gpu-check.md to --out.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python" / "test"))

#: Kernels timed against upstream, with their benchmark-sized inputs.
BENCH_SIZES = {
    "vector_add": 16 * 1024 * 1024,
    "softmax": (16384, 1000),
    "layer_norm": (16384, 768),
    "matmul_fp16": (2048, 2048, 2048),
}
NON_DETERMINISTIC_UPSTREAM = {"tl_range_warp_specialize"}  # see docs/roundtrip.md


def compiled_kernels(jit_fn):
    """The CompiledKernel objects a JITFunction holds in its caches."""
    found = []
    for entry in jit_fn.device_caches.values():
        cache = entry[0] if isinstance(entry, tuple) else entry
        found.extend(cache.values())
    return found


def check_runnable(report: dict) -> None:
    import torch
    import triton

    from flagtree import activation, stage
    from flagtree import examples as runnable

    device = torch.device("cuda")
    rows = []
    for case in runnable.CASES:
        inputs = case.make_inputs(device)
        calls = stage.STATS.calls
        out = case.launch(case.kernel, inputs)
        torch.cuda.synchronize()
        staged = stage.STATS.calls > calls
        ref = case.reference(inputs)
        if case.atol == 0 and case.rtol == 0:
            correct = bool(torch.equal(out, ref))
        else:
            correct = bool(torch.allclose(out.float(), ref.float(), case.atol, case.rtol))
        upstream_kernel = triton.jit(case.kernel.fn)
        with activation.suspended():
            upstream_out = case.launch(upstream_kernel, inputs)
            torch.cuda.synchronize()
        if case.deterministic:
            same_output = bool(torch.equal(out, upstream_out))
        else:  # atomics accumulate in a different order on every run
            same_output = bool(torch.allclose(out, upstream_out, case.atol, case.rtol))
        ours = compiled_kernels(case.kernel)
        theirs = compiled_kernels(upstream_kernel)
        same_cubin = bool(ours and theirs and ours[-1].asm["cubin"] == theirs[-1].asm["cubin"])
        has_stage = bool(ours and "flagtree" in ours[-1].asm)
        rows.append(
            {
                "kernel": case.name,
                "matches_torch": correct,
                "flagtree_stage_ran": staged and has_stage,
                "bitwise_equal_to_upstream": same_output,
                "cubin_identical": same_cubin,
            }
        )
        print(f"  run {case.name:<20} {rows[-1]}", flush=True)
    report["runnable"] = rows


def check_hints(report: dict) -> None:
    """A loop hint (num_stages=2) and access hints (cache=cg, evict_first) on
    a reduction over K tiles: correct results, the hints in the IR, and the
    kernel time with and without them."""
    import torch
    from triton.testing import do_bench_cudagraph

    from hinted import kernels

    k_tiles, block = 4096, 1024
    a = torch.randn(k_tiles * block, device="cuda")
    ref = a.view(k_tiles, block).sum(0)
    rows = {}
    for name, fn in (("hinted", kernels.hinted_sum), ("plain", kernels.plain_sum)):
        out = torch.empty(block, device="cuda")
        fn[(1,)](a, out, k_tiles, BLOCK=block)
        torch.cuda.synchronize()
        compiled = compiled_kernels(fn)[-1]
        rows[name] = {
            "matches_torch": bool(torch.allclose(out, ref, atol=1e-2, rtol=1e-4)),
            "num_stages_in_ir": "tt.num_stages = 2" in compiled.asm["flagtree"],
            "async_copies_in_ttgir": "async_copy_global_to_local" in compiled.asm["ttgir"],
            "ms": do_bench_cudagraph(
                functools.partial(fn[(1,)], a, out, k_tiles, BLOCK=block), rep=100
            ),
        }
    report["hints"] = rows
    print(f"  hints {rows}", flush=True)


def check_corpus(report: dict, quick: bool) -> None:
    import triton

    from corpus import CASES
    from flagtree import activation, stage

    target = triton.runtime.driver.active.get_current_target()
    cases = CASES[::5] if quick else CASES
    identical, differs, compile_total, stage_total = 0, [], 0.0, 0.0
    for case in cases:
        src = triton.compiler.ASTSource(
            fn=case.fn, signature=dict(case.signature), constexprs=dict(case.constexprs)
        )
        with activation.suspended():
            upstream = triton.compile(src, target=target, options=dict(case.options))
        before = stage.STATS.seconds
        start = time.perf_counter()
        ours = triton.compile(src, target=target, options=dict(case.options))
        compile_total += time.perf_counter() - start
        stage_total += stage.STATS.seconds - before
        if case.name in NON_DETERMINISTIC_UPSTREAM:
            continue
        if ours.asm["cubin"] == upstream.asm["cubin"]:
            identical += 1
        else:
            differs.append(case.name)
    compared = len(cases) - len([c for c in cases if c.name in NON_DETERMINISTIC_UPSTREAM])
    report["corpus"] = {
        "target": f"{target.backend}:{target.arch}",
        "identical": identical,
        "compared": compared,
        "differs": differs,
        "compile_seconds": round(compile_total, 3),
        "flagtree_stage_seconds": round(stage_total, 4),
        "stage_share_percent": round(100 * stage_total / compile_total, 2),
    }
    print(f"  corpus {report['corpus']}", flush=True)


def _bench_inputs(name: str, device):
    import torch

    g = torch.Generator(device="cpu").manual_seed(0)
    size = BENCH_SIZES[name]
    if name == "vector_add":
        return {"x": torch.randn(size, generator=g).to(device),
                "y": torch.randn(size, generator=g).to(device)}  # fmt: skip
    if name == "softmax":
        return {"x": torch.randn(size, generator=g).to(device)}
    if name == "layer_norm":
        rows, cols = size
        return {"x": torch.randn(size, generator=g).to(device),
                "w": torch.randn(cols, generator=g).to(device),
                "b": torch.randn(cols, generator=g).to(device)}  # fmt: skip
    m, k, n = size
    return {"a": torch.randn((m, k), generator=g).to(device, torch.float16),
            "b": torch.randn((k, n), generator=g).to(device, torch.float16)}  # fmt: skip


def check_speed(report: dict, rounds: int) -> None:
    import torch
    import triton
    from triton.testing import do_bench_cudagraph

    from flagtree import activation
    from flagtree import examples as runnable

    device = torch.device("cuda")
    rows = []
    for case in runnable.CASES:
        if case.name not in BENCH_SIZES:
            continue
        inputs = _bench_inputs(case.name, device)
        upstream_kernel = triton.jit(case.kernel.fn)
        with activation.suspended():
            case.launch(upstream_kernel, inputs)
        case.launch(case.kernel, inputs)
        torch.cuda.synchronize()
        ours_ms, theirs_ms = [], []
        run_ours = functools.partial(case.launch, case.kernel, inputs)
        run_theirs = functools.partial(case.launch, upstream_kernel, inputs)
        for _ in range(rounds):
            ours_ms.append(do_bench_cudagraph(run_ours, rep=100))
            theirs_ms.append(do_bench_cudagraph(run_theirs, rep=100))
        ours, theirs = statistics.median(ours_ms), statistics.median(theirs_ms)
        rows.append(
            {
                "kernel": case.name,
                "size": BENCH_SIZES[case.name],
                "flagtree_ms": round(ours, 5),
                "upstream_ms": round(theirs, 5),
                "ratio_flagtree_over_upstream": round(ours / theirs, 4),
                "spread_percent": round(
                    100 * (max(ours_ms + theirs_ms) - min(ours_ms + theirs_ms)) / theirs, 2
                ),
            }
        )
        print(f"  bench {rows[-1]}", flush=True)
    report["speed"] = rows


def _markdown(report: dict) -> str:
    lines = [f"# GPU check on {report['device']}", ""]
    lines.append(
        f"torch {report['torch']}, triton {report['triton']}, flagtree {report['flagtree']} "
        f"(core {report['core']})"
    )
    lines += [
        "",
        "| kernel | matches torch | stage ran | = upstream output | = upstream cubin |",
        "|---|---|---|---|---|",
    ]
    for row in report["runnable"]:
        lines.append(
            f"| {row['kernel']} | {row['matches_torch']} | {row['flagtree_stage_ran']} | "
            f"{row['bitwise_equal_to_upstream']} | {row['cubin_identical']} |"
        )
    corpus = report["corpus"]
    lines += [
        "",
        f"Corpus ({corpus['target']}): {corpus['identical']}/{corpus['compared']} cubins "
        f"byte-identical; flagtree stage {corpus['flagtree_stage_seconds']} s of "
        f"{corpus['compile_seconds']} s compile time = {corpus['stage_share_percent']} %.",
        "",
        "| kernel | size | flagtree ms | upstream ms | ratio | spread % |",
        "|---|---|---|---|---|---|",
    ]
    for row in report.get("speed", []):
        lines.append(
            f"| {row['kernel']} | {row['size']} | {row['flagtree_ms']} | {row['upstream_ms']} "
            f"| {row['ratio_flagtree_over_upstream']} | {row['spread_percent']} |"
        )
    hints = report.get("hints", {})
    if hints:
        lines += [
            "",
            "| K-loop sum (4096 x 1024) | matches torch | tt.num_stages | async copies | ms |",
            "|---|---|---|---|---|",
        ]
        for name, row in hints.items():
            lines.append(
                f"| {name} | {row['matches_torch']} | {row['num_stages_in_ir']} | "
                f"{row['async_copies_in_ttgir']} | {row['ms']:.5f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true", help="a fifth of the corpus, 3 rounds")
    args = parser.parse_args()
    os.environ.setdefault("TRITON_CACHE_DIR", tempfile.mkdtemp(prefix="flagtree-gpu-check-"))

    import torch
    import triton

    from flagtree import __version__, activation, core
    from flagtree.lanes import lane_named

    lane = lane_named("nvidia").availability()
    report = {
        "device": torch.cuda.get_device_name(),
        "torch": torch.__version__,
        "triton": triton.__version__,
        "flagtree": __version__,
        "core": core.version(),
        "flagtree_active": activation.is_active(),
        "nvidia_lane": lane.reason,
    }
    print(f"{report}", flush=True)
    if not (report["flagtree_active"] and lane.active):
        print("flagtree is not active or the NVIDIA lane is unavailable", file=sys.stderr)
        return 1
    check_runnable(report)
    check_hints(report)
    check_corpus(report, args.quick)
    check_speed(report, rounds=3 if args.quick else 7)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "gpu-check.json").write_text(json.dumps(report, indent=2))
    (out / "gpu-check.md").write_text(_markdown(report))
    print(_markdown(report))
    ok = (
        all(
            r["matches_torch"] and r["flagtree_stage_ran"] and r["cubin_identical"]
            for r in report["runnable"]
        )
        and not report["corpus"]["differs"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
