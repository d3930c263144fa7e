"""Runs work items in worker processes, so that a compiler crash (Triton's
AMD back end aborts the process on some kernels) is an outcome, not the end
of the test run."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

CRASHED = "crashed"


def _init(cache_dir: str) -> None:
    os.environ["TRITON_CACHE_DIR"] = cache_dir


def run_isolated(fn: Callable[[str], str], items: list[str], jobs: int, cache_dir: str):
    """Maps ``fn`` over ``items`` in worker processes; an item whose worker
    died maps to ``CRASHED``. Items caught in a broken pool are retried one
    at a time, so only the item that crashed is marked."""
    results: dict[str, str] = {}

    def pool(names: list[str], workers: int) -> None:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("spawn"),
            initializer=_init,
            initargs=(cache_dir,),
        ) as executor:
            futures = {name: executor.submit(fn, name) for name in names}
            for name, future in futures.items():
                try:
                    results[name] = future.result()
                except BrokenProcessPool:
                    results[name] = CRASHED

    pool(items, jobs)
    for name in [n for n, r in results.items() if r == CRASHED]:
        pool([name], 1)
    return results
