"""PreTune benchmark: a workload of many distinct shapes through an autotuned
matmul, with plain `@triton.autotune` and with a PreTune table, in one run.

Usage: .venv/bin/python scripts/bench_pretune.py --lane cpu|nvidia [--shapes N] [--out FILE.md]

1. Every config is compiled for both specializations of M first, so that
   neither mode pays compiles and the totals differ by tuning alone.
2. The table is tuned offline on a grid of M buckets (`pretune.search`); its
   time is reported on its own line.
3. The workload (N distinct M values, a serving-style sequence length; N and
   K fixed) runs once through a fresh Autotuner (each new M is benchmarked
   over every config) and once through a fresh Autotuner with the table
   attached (exact buckets and the nearest-bucket rule, no benchmarking).
4. Per shape, how far the table's config is from the best config, two ways:
   from autotune's own single measurement of that shape (the gap to
   autotune's choice), and re-measured: every config timed side by side in
   interleaved rounds (each config's best round), giving the gap of the
   table's config and of autotune's choice to the fastest config.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
import triton
from triton.testing import do_bench

from flagtree import pretune
from flagtree.examples import kernels
from flagtree.pretune.buckets import RULES
from flagtree.pretune.identity import autotune_key

LANES = {
    # M buckets tuned offline, M range of the workload, N, K, dtype, configs
    # (BM, BN, BK, num_warps, num_stages).
    "cpu": dict(
        device="cpu",
        buckets=[16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024],
        m_range=(16, 1024),
        n=256,
        k=256,
        dtype=torch.float32,
        configs=[
            (16, 64, 32, 1, 1),
            (32, 64, 64, 1, 1),
            (64, 64, 32, 1, 1),
            (64, 128, 32, 1, 1),
        ],
    ),
    "nvidia": dict(
        device="cuda",
        buckets=[
            16,
            32,
            64,
            128,
            192,
            256,
            384,
            512,
            768,
            1024,
            1536,
            2048,
            3072,
            4096,
            6144,
            8192,
        ],
        # With --layout tiles: M at the tile-count boundaries of the
        # configs (multiples of 32 up to 256, then of 128, the largest BM).
        tile_buckets=[16, *range(32, 256, 32), *range(256, 8192 + 1, 128)],
        m_range=(16, 8192),
        n=4096,
        k=4096,
        dtype=torch.float16,
        configs=[
            (32, 64, 64, 4, 4),
            (64, 64, 32, 4, 3),
            (64, 128, 64, 4, 4),
            (128, 64, 64, 4, 4),
            (128, 128, 32, 4, 3),
            (128, 128, 64, 8, 3),
            (128, 256, 64, 8, 3),
        ],
    ),
}


LAYOUTS = {"geometric": "about x1.5 apart", "tiles": "at tile-count boundaries"}


def _autotuned(spec: dict):
    configs = [
        triton.Config({"BM": bm, "BN": bn, "BK": bk}, num_warps=w, num_stages=s)
        for bm, bn, bk, w, s in spec["configs"]
    ]
    return triton.autotune(configs=configs, key=["M", "N", "K"])(kernels.matmul)


def _launch_maker(spec: dict):
    def make_launch(shape: dict, device: str) -> pretune.Launch:
        m, n, k = shape["M"], spec["n"], spec["k"]
        a = torch.randn(m, k, device=device, dtype=spec["dtype"])
        b = torch.randn(k, n, device=device, dtype=spec["dtype"])
        c = torch.empty(m, n, device=device, dtype=spec["dtype"])
        args = (a, b, c, m, n, k, a.stride(0), a.stride(1), b.stride(0), b.stride(1))
        args += (c.stride(0), c.stride(1))

        def grid(meta):
            return (triton.cdiv(m, meta["BM"]), triton.cdiv(n, meta["BN"]))

        return pretune.Launch(grid, args)

    return make_launch


def _workload_ms(count: int, low: int, high: int) -> list[int]:
    """``count`` distinct M values spread log-uniformly over [low, high]."""
    values: set[int] = set()
    step = 0
    while len(values) < count:
        t = (step * 0.618034) % 1.0  # low-discrepancy walk over the range
        values.add(round(low * (high / low) ** t))
        step += 1
    return sorted(values)


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _call(kernel, launch: pretune.Launch) -> None:
    kernel[launch.grid](*launch.args, **launch.kwargs)


def _plain_autotune(spec: dict, launches: list, device: str):
    """A fresh Autotuner through the workload: (tuner, seconds, timings per key)."""
    plain = _autotuned(spec)
    timings: dict[tuple, dict] = {}
    _sync(device)
    total = 0.0
    for launch in launches:
        start = time.perf_counter()
        _call(plain, launch)
        _sync(device)
        total += time.perf_counter() - start
        key = autotune_key(plain, launch.args, launch.kwargs)
        timings[key] = {c: pretune.runtime.median_ms(t) for c, t in plain.configs_timings.items()}
    return plain, total, timings


def _side_by_side(launch, configs: list, rounds: int) -> dict:
    """config -> time (ms), every config timed in interleaved rounds; each
    config's time is its best round (median within the round), so that a round
    disturbed by other work on the machine does not decide."""
    best: dict = {}
    for _ in range(rounds):
        for config in configs:
            kwargs = config.all_kwargs()
            ms = do_bench(
                lambda kw=kwargs: kernels.matmul[launch.grid](*launch.args, **kw),
                warmup=5,
                rep=20,
            )
            best[config] = min(best.get(config, float("inf")), ms)
    return best


def _launch_us(kernel, launch: pretune.Launch, device: str, calls: int = 200) -> float:
    _sync(device)
    start = time.perf_counter()
    for _ in range(calls):
        _call(kernel, launch)
    _sync(device)
    return (time.perf_counter() - start) / calls * 1e6


def _name(config) -> str:
    kw = config.kwargs
    return f"{kw['BM']}x{kw['BN']}x{kw['BK']}/w{config.num_warps}s{config.num_stages}"


def kernel_bucket(kernel, key: tuple, rule: str) -> tuple:
    """The table bucket that answered ``key``."""
    return RULES[rule](key, kernel.buckets)


def _gap_rows(what: str, gaps: list[float]) -> list[str]:
    ordered = sorted(gaps)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    within = sum(g <= 0.03 for g in gaps)
    return [
        f"| {what}: median / 90th percentile / worst gap | {100 * statistics.median(gaps):+.1f} %"
        f" / {100 * p90:+.1f} % / {100 * ordered[-1]:+.1f} % |",
        f"| {what}: shapes within 3 % | {within} / {len(gaps)} |",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lane", choices=sorted(LANES), default="cpu")
    parser.add_argument("--shapes", type=int, default=50, help="distinct shapes in the workload")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the re-measurement")
    parser.add_argument("--tune-rounds", type=int, default=3, help="rounds of the offline search")
    parser.add_argument(
        "--layout",
        choices=sorted(LAYOUTS),
        default="geometric",
        help="where the buckets sit (tiles: at the configs' tile-count boundaries; nvidia)",
    )
    parser.add_argument(
        "--rule", choices=sorted(RULES), default="nearest", help="on_miss rule of the table"
    )
    parser.add_argument("--out", help="also write the result table (markdown) here")
    parser.add_argument("--detail", help="write per-shape times of every config here (CSV)")
    args = parser.parse_args()
    os.environ["TRITON_CACHE_DIR"] = tempfile.mkdtemp(prefix="flagtree-bench-pretune-")
    spec = LANES[args.lane]
    if args.layout == "tiles" and "tile_buckets" not in spec:
        parser.error(f"--layout tiles: no tile-boundary buckets for lane {args.lane}")
    here, target = pretune.identity.active_lane()
    if here != args.lane:
        print(f"bench_pretune: the active lane is {here}, not {args.lane}", file=sys.stderr)
        return 2
    device = spec["device"]
    make_launch = _launch_maker(spec)
    ms = _workload_ms(args.shapes, *spec["m_range"])
    table = Path(tempfile.mkdtemp(prefix="flagtree-pretune-")) / "matmul.db"

    # 1. Compile every config for M % 16 == 0 and M % 16 != 0.
    start = time.perf_counter()
    warm = _autotuned(spec)
    for m in (spec["buckets"][0], spec["buckets"][0] + 1):
        launch = make_launch({"M": m}, device)
        for config in warm.configs:
            kernels.matmul[launch.grid](*launch.args, **config.all_kwargs())
    _sync(device)
    compile_s = time.perf_counter() - start

    # 2. Offline tuning on the bucket grid.
    tuner = _autotuned(spec)
    workload = pretune.Workload(tuner, make_launch)
    grid = spec["tile_buckets"] if args.layout == "tiles" else spec["buckets"]
    buckets = [{"M": m} for m in grid]
    report = pretune.search(workload, table, buckets, progress=False, rounds=args.tune_rounds)

    # 3a. Plain autotune: every new key is benchmarked over every config.
    launches = [make_launch({"M": m}, device) for m in ms]
    plain, plain_s, timings = _plain_autotune(spec, launches, device)

    # 3b. The same workload served from the table.
    served = _autotuned(spec)
    kernel = pretune.attach(served, table, on_miss=args.rule)
    kernel.load()
    table_s = 0.0
    for launch in launches:
        start = time.perf_counter()
        _call(kernel, launch)
        _sync(device)
        table_s += time.perf_counter() - start

    # 3c. Cost of one launch of a tuned key: the Autotuner's cache alone vs
    # through the table's wrapper (the smallest shape, so launch cost shows).
    small = launches[0]
    plain_us, table_us = [], []
    for _ in range(5):
        plain_us.append(_launch_us(plain, small, device))
        table_us.append(_launch_us(kernel, small, device))
    lookups = 10000
    start = time.perf_counter()
    for _ in range(lookups):
        _ = autotune_key(served, small.args, small.kwargs) in served.cache
    lookup_us = (time.perf_counter() - start) / lookups * 1e6

    # 4. Gap of the table's choice to autotune's best.
    gaps, table_gaps, tuner_gaps, same, exact = [], [], [], 0, 0
    detail = [["M", "bucket", "table config", "autotune config", *map(_name, served.configs)]]
    for launch in launches:
        key = autotune_key(served, launch.args, launch.kwargs)
        measured = timings[key]
        chosen, picked = served.cache[key], plain.cache[key]
        gaps.append(measured[chosen] / measured[picked] - 1.0)
        same += chosen == picked
        exact += key in kernel.buckets
        again = _side_by_side(launch, served.configs, args.rounds)
        fastest = min(again.values())
        table_gaps.append(again[chosen] / fastest - 1.0)
        detail.append(
            [key[0], kernel_bucket(kernel, key, args.rule)[0], _name(chosen), _name(picked)]
            + [f"{again[c]:.4f}" for c in served.configs]
        )
        tuner_gaps.append(again[picked] / fastest - 1.0)

    lines = [
        f"lane {args.lane} ({target}), torch {torch.__version__}, {os.cpu_count()} cores; "
        f"matmul M x {spec['n']} x {spec['k']} {str(spec['dtype']).replace('torch.', '')}, "
        f"{len(spec['configs'])} configs, {len(ms)} distinct M in [{ms[0]}, {ms[-1]}]",
        "",
        "| what | value |",
        "|---|---|",
        f"| compile every config (both M specializations), not counted below | {compile_s:.1f} s |",
        f"| offline tuning, {report.tuned} buckets (M = {grid[0]}..."
        f"{grid[-1]}, {LAYOUTS[args.layout]}), rule {args.rule}, search rounds "
        f"{args.tune_rounds} | "
        f"{report.seconds:.1f} s |",
        f"| workload with plain autotune | {plain_s:.2f} s |",
        f"| workload with the PreTune table | {table_s:.3f} s |",
        f"| speed-up of the workload | {plain_s / table_s:.0f}x |",
        f"| one launch of a tuned key (M = {ms[0]}): Autotuner cache / through the table's "
        f"wrapper, median of 5 x 200 | {statistics.median(plain_us):.1f} us / "
        f"{statistics.median(table_us):.1f} us |",
        f"| the wrapper's own work per launch (key + lookup) | {lookup_us:.1f} us |",
        f"| shapes answered by an exact bucket / the nearest bucket | {exact} / "
        f"{len(ms) - exact} |",
        f"| shapes where the table's config is autotune's choice | {same} / {len(ms)} |",
        *_gap_rows("table's config vs autotune's choice, by autotune's timings", gaps),
        *_gap_rows(
            f"table's config vs the fastest, re-measured ({args.rounds} rounds)", table_gaps
        ),
        *_gap_rows("autotune's choice vs the fastest, re-measured", tuner_gaps),
    ]
    text = "\n".join(lines) + "\n"
    if args.detail:
        Path(args.detail).write_text("\n".join(",".join(map(str, row)) for row in detail) + "\n")
    if args.out:
        Path(args.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
