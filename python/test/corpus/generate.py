"""Compile every corpus case to TTIR and cubin for ``cuda:90``.

Usage (from ``python/test``)::

    python -m corpus.generate --out DIR [--jobs N] [-k SUBSTRING]

Writes ``DIR/<name>.ttir`` (``asm["ttir"]``: the module after Triton's own TTIR passes,
i.e. inlined and canonicalized, block pointers rewritten) and ``DIR/<name>.cubin`` for
every case. Workers use ``DIR/.triton-cache`` as Triton's cache directory; Triton reads
``TRITON_CACHE_DIR`` lazily at compile time, so setting it in each worker suffices.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

TARGET_BACKEND = "cuda"
TARGET_ARCH = 90
TARGET_WARP_SIZE = 32


def _init_worker(cache_dir: str) -> None:
    os.environ["TRITON_CACHE_DIR"] = cache_dir
    # shape.reshape_and_view exercises tl.view on purpose
    warnings.filterwarnings("ignore", message="view is deprecated", category=UserWarning)


def _summarize(exc: BaseException) -> str:
    """One line describing ``exc``; a front-end error names its source position and cause."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    summary = type(exc).__name__
    if exc.__cause__ is not None:
        where = f" {lines[0].rstrip(':')}" if lines and lines[0].startswith("at ") else ""
        return f"{summary}{where}: {_summarize(exc.__cause__)}"
    return f"{summary}: {lines[-1]}" if lines else summary


def _compile_case(name: str, out_dir: str) -> str | None:
    """Compile one case in a worker; return an error summary, or ``None`` on success."""
    import triton
    from triton.backends.compiler import GPUTarget

    from . import CASES

    case = next(c for c in CASES if c.name == name)
    out = Path(out_dir)
    for suffix in (".ttir", ".cubin"):
        (out / f"{name}{suffix}").unlink(missing_ok=True)
    try:
        src = triton.compiler.ASTSource(
            fn=case.fn, signature=dict(case.signature), constexprs=dict(case.constexprs)
        )
        target = GPUTarget(TARGET_BACKEND, TARGET_ARCH, TARGET_WARP_SIZE)
        kernel = triton.compile(src, target=target, options=dict(case.options))
        (out / f"{name}.ttir").write_text(kernel.asm["ttir"])
        (out / f"{name}.cubin").write_bytes(kernel.asm["cubin"])
    except Exception as exc:  # noqa: BLE001 - any compile failure is reported, not raised
        return _summarize(exc)
    return None


def _run_pool(names: list[str], out_dir: Path, jobs: int) -> dict[str, str | None]:
    """Compile ``names``; a name whose worker died maps to ``"crashed"``."""
    results: dict[str, str | None] = {}
    ctx = get_context("spawn")
    cache_dir = str(out_dir / ".triton-cache")
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(cache_dir,),
    ) as pool:
        futures: dict[str, Future[str | None]] = {
            name: pool.submit(_compile_case, name, str(out_dir)) for name in names
        }
        for name, future in futures.items():
            try:
                results[name] = future.result()
            except BrokenProcessPool:
                results[name] = "crashed"
    return results


def generate(
    out_dir: str | os.PathLike[str], jobs: int | None = None, pattern: str | None = None
) -> list[str]:
    """Compile the cases whose name contains ``pattern`` into ``out_dir``.

    Prints one line per failure and a final ``generated N/M`` summary.
    Returns the failure lines (an empty list when every case compiled).
    """
    from . import CASES

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = [c.name for c in CASES if pattern is None or pattern in c.name]
    jobs = max(1, jobs or os.cpu_count() or 1)
    results = _run_pool(names, out, jobs)
    # A crashed worker takes its pool down with it: retry those cases one by one.
    for name in [n for n, r in results.items() if r == "crashed"]:
        results.update(_run_pool([name], out, 1))
        if results[name] == "crashed":
            results[name] = "compiler process crashed"
    failures = [f"FAILED {name}: {err}" for name, err in results.items() if err is not None]
    for line in failures:
        print(line)
    print(f"generated {len(names) - len(failures)}/{len(names)}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: cpu count)"
    )
    parser.add_argument(
        "-k", dest="pattern", default=None, help="only cases whose name contains this"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    failures = generate(args.out, jobs=args.jobs, pattern=args.pattern)
    print(f"elapsed {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
