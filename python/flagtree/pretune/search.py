"""Offline search: tune an autotuned kernel over a set of shapes into a table.

A :class:`Workload` names the kernel and a function that builds one launch
(inputs on a device, grid, arguments) for a shape. For each shape the search
computes the autotune key, skips it when the table already holds that
bucket (so an interrupted search resumes where it stopped), and otherwise
lets the kernel's own Autotuner benchmark every config on the lane
(``do_bench`` through the driver's benchmarker, with the kernel's pruning and
hooks) and stores the best config with every config's time, one transaction
per bucket.

Workers: on a GPU lane, one process per visible device, each tuning a share
of the shapes. On the CPU lane a kernel already runs on every core (the
lane's launcher spreads the grid over a thread per core), so two workers
would compete for the cores and distort each other's timings: the CPU lane
uses one worker, in the calling process, unless told otherwise.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import multiprocessing
import queue
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .database import Entry, open_for_writing, stored_buckets, table_id, write_entry
from .identity import (
    PretuneError,
    active_lane,
    autotune_key,
    autotuner_of,
    config_text,
    identify,
    key_to_text,
)
from .progress import Progress
from .runtime import median_ms


@dataclass(frozen=True)
class Launch:
    """One call of the kernel: ``kernel[grid](*args, **kwargs)``."""

    grid: Any
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass
class Workload:
    """What a search tunes: an autotuned kernel, and how to call it for a shape.

    ``make_launch(shape, device)`` allocates inputs of ``shape`` (a dict of
    integers, e.g. ``{"M": 512, "N": 256}``) on ``device`` (``"cpu"``,
    ``"cuda:0"``...) and returns the :class:`Launch`.
    """

    kernel: Any
    make_launch: Callable[[dict, str], Launch]
    #: Shapes searched when the caller gives none.
    shapes: list[dict] = field(default_factory=list)


@dataclass
class SearchReport:
    tuned: int = 0
    skipped: int = 0
    seconds: float = 0.0
    workers: int = 1
    #: bucket -> (best config text, its median time in ms)
    best: dict[tuple, tuple[str, float]] = field(default_factory=dict)


def load_workload(ref: str) -> Workload:
    """Loads ``path/to/file.py:NAME`` or ``package.module:NAME`` (a Workload)."""
    where, sep, name = ref.rpartition(":")
    if not sep or not where or not name:
        raise PretuneError(f"'{ref}': expected path/to/file.py:NAME or package.module:NAME")
    try:
        if where.endswith(".py") or Path(where).is_file():
            path = Path(where).resolve()
            if not path.is_file():
                raise PretuneError(f"{where}: no such file")
            module_name = f"_flagtree_pretune_{abs(hash(str(path)))}"
            module = sys.modules.get(module_name)
            if module is None:
                spec = importlib.util.spec_from_file_location(module_name, path)
                module = importlib.util.module_from_spec(spec)
                sys.modules[module_name] = module
                spec.loader.exec_module(module)
        else:
            module = importlib.import_module(where)
    except PretuneError:
        raise
    except SyntaxError as exc:
        raise PretuneError(f"{exc.filename}:{exc.lineno}: {exc.msg}") from exc
    except Exception as exc:
        raise PretuneError(f"{where}: importing it failed: {exc}") from exc
    workload = getattr(module, name, None)
    if not isinstance(workload, Workload):
        raise PretuneError(f"{where}: '{name}' is not a flagtree.pretune.Workload")
    return workload


def _device_count(lane: str) -> int:
    if lane == "cpu":
        return 1
    import torch

    return max(torch.cuda.device_count(), 1)


def _device(lane: str, index: int) -> str:
    return "cpu" if lane == "cpu" else f"cuda:{index}"


def tune_launch(tuner, launch: Launch, key: tuple, rounds: int = 1) -> Entry:
    """Benchmarks every config of ``tuner`` for one launch with the Autotuner
    itself, ``rounds`` times, and returns the bucket's entry: each config's
    time is the lowest of its per-round medians (a round disturbed by other
    work on the machine does not decide), the best config the fastest."""
    disk_cache = tuner.cache_results
    tuner.cache_results = False  # measure now, never reuse an old result
    timings: dict[str, float] = {}
    by_text = {}
    try:
        for _ in range(rounds):
            tuner.cache.pop(key, None)
            tuner.run(*launch.args, grid=launch.grid, warmup=False, **launch.kwargs)
            for config, timing in tuner.configs_timings.items():
                text = config_text(config)
                by_text[text] = config
                timings[text] = min(timings.get(text, math.inf), median_ms(timing))
    finally:
        tuner.cache_results = disk_cache
    best = min(timings, key=timings.get)
    if not math.isfinite(timings[best]):
        raise PretuneError(f"bucket {key}: no config could run (every config failed)")
    tuner.cache[key] = by_text[best]
    return Entry(key, best, timings[best], timings, "search")


def _tune_shape(tuner, workload: Workload, shape: dict, device: str, done: set[str], rounds=1):
    """(bucket text, entry or None when the bucket is already stored)."""
    try:
        launch = workload.make_launch(dict(shape), device)
    except Exception as exc:
        raise PretuneError(f"shape {shape}: building its launch failed: {exc}") from exc
    key = autotune_key(tuner, launch.args, launch.kwargs)
    text = key_to_text(key)
    if text in done:
        return text, None
    try:
        return text, tune_launch(tuner, launch, key, rounds)
    except PretuneError:
        raise
    except Exception as exc:
        raise PretuneError(f"shape {shape}: tuning failed: {exc}") from exc


def search(
    workload: Workload | str,
    path: str | Path,
    shapes: list[dict] | None = None,
    *,
    lane: str | None = None,
    workers: int | None = None,
    resume: bool = True,
    progress: bool = True,
    rounds: int = 1,
) -> SearchReport:
    """Tunes ``workload`` over ``shapes`` into the table at ``path``.

    ``workload`` is a :class:`Workload` or a reference to one
    (``file.py:NAME``); several workers need the reference, so that each
    worker process can load it. ``lane`` checks that the active lane is the
    one meant. ``resume=False`` re-measures buckets already stored.
    ``rounds`` > 1 repeats the Autotuner's measurement of each bucket and
    keeps each config's best round (see :func:`tune_launch`).
    """
    import time

    start = time.monotonic()
    loaded = load_workload(workload) if isinstance(workload, str) else workload
    shapes = list(shapes if shapes is not None else loaded.shapes)
    if not shapes:
        raise PretuneError("no shapes to search (give --shape/--shapes or Workload.shapes)")
    here, _ = active_lane()
    if lane is not None and lane != here:
        raise PretuneError(
            f"the active lane is '{here}', not '{lane}' (FLAGTREE_BACKEND chooses the lane)"
        )
    count = workers if workers is not None else _device_count(here)
    if count < 1 or rounds < 1:
        raise PretuneError(f"workers and rounds must be >= 1, got {count} and {rounds}")
    if here != "cpu" and count > _device_count(here):
        raise PretuneError(f"{count} workers but {_device_count(here)} device(s): one per device")
    tuner = autotuner_of(loaded.kernel)
    if len(tuner.configs) < 2:
        raise PretuneError(
            f"kernel '{tuner.base_fn.__name__}' has a single config: nothing to tune"
        )
    identity = identify(tuner)
    report = SearchReport(workers=count)
    bar = Progress(len(shapes), f"pretune {identity.kernel}", enabled=progress)
    with open_for_writing(path) as conn:
        table = table_id(conn, identity)
        done = stored_buckets(conn, table) if resume else set()

        def store(text: str, entry: Entry | None) -> None:
            if entry is None:
                report.skipped += 1
                bar.advance("(stored before)")
                return
            write_entry(conn, table, text, entry)
            done.add(text)
            report.tuned += 1
            report.best[entry.bucket] = (entry.config, entry.time_ms)
            bar.advance(f"{entry.time_ms:.3f} ms")

        try:
            if count == 1:
                device = _device(here, 0)
                for shape in shapes:
                    store(*_tune_shape(tuner, loaded, shape, device, done, rounds))
            else:
                if not isinstance(workload, str):
                    raise PretuneError(
                        "several workers need the workload as 'file.py:NAME' so that each "
                        "worker process can load it"
                    )
                _search_in_workers(workload, here, count, shapes, done, store, rounds)
        finally:
            bar.close()
    report.seconds = time.monotonic() - start
    return report


def _search_in_workers(ref, lane, count, shapes, done, store, rounds) -> None:
    context = multiprocessing.get_context("spawn")
    tasks, results = context.Queue(), context.Queue()
    for shape in shapes:
        tasks.put(shape)
    for _ in range(count):
        tasks.put(None)
    procs = [
        context.Process(target=_worker, args=(ref, lane, i, tasks, results, set(done), rounds))
        for i in range(count)
    ]
    for proc in procs:
        proc.start()
    try:
        finished = 0
        while finished < count:
            try:
                message = results.get(timeout=1.0)
            except queue.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise PretuneError(
                        f"a search worker died (exit code {dead[0].exitcode})"
                    ) from None
                continue
            kind, payload = message
            if kind == "done":
                finished += 1
            elif kind == "error":
                raise PretuneError(payload)
            else:
                store(*payload)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()


def _worker(ref, lane, index, tasks, results, done, rounds) -> None:
    """One search worker process, bound to device ``index``."""
    try:
        if lane != "cpu":
            import torch

            torch.cuda.set_device(index)  # before anything touches a device
        workload = load_workload(ref)
        tuner = autotuner_of(workload.kernel)
        device = _device(lane, index)
        while (shape := tasks.get()) is not None:
            results.put(("entry", _tune_shape(tuner, workload, shape, device, done, rounds)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
        results.put(("error", str(exc)))
        return
    results.put(("done", None))
