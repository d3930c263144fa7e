"""Run-time side of PreTune: an autotuned kernel answered from a table.

``attach(kernel, "table.db")`` returns a wrapper that launches exactly like
the kernel (``wrapped[grid](...)``). On its first call it reads the kernel's
table (rejecting, with a warning, one that is corrupt or was tuned for
another lane, source, config list or flagtree version) and puts every bucket
into the Autotuner's own cache, so a tuned key is served by Triton's
Autotuner with no benchmarking. A key with no bucket takes the nearest
bucket (:mod:`.buckets`) or, with ``on_miss="autotune"`` or when no bucket is
near, is autotuned as usual and, with ``record=True``, stored in the table.

Every call ends in the Autotuner's normal ``run``, so whatever launches the
chosen config underneath (Triton's launcher or flagtree's) sees an ordinary
tuned call.
"""

from __future__ import annotations

import sqlite3
import sys
import warnings
from pathlib import Path
from typing import Any

from triton.runtime.autotuner import Autotuner, Config
from triton.runtime.jit import KernelInterface

from .buckets import RULES
from .database import Entry, TableRejected, open_for_writing, read_entries, table_id, write_entry
from .identity import (
    PretuneError,
    autotune_key,
    autotuner_of,
    config_text,
    identify,
    kernel_location,
    key_to_text,
)

ON_MISS = (*RULES, "autotune")


class PretuneWarning(UserWarning):
    """A table that is not used, or a result that could not be recorded."""


def median_ms(timing: Any) -> float:
    """The median of what the Autotuner measured for one config (a number, or
    the (median, p20, p80) list of ``do_bench`` with quantiles)."""
    if isinstance(timing, (list, tuple)):
        return float(timing[0])
    return float(timing)


class PretunedKernel(KernelInterface):
    """An autotuned kernel whose choices come from a PreTune table."""

    def __init__(self, tuner: Autotuner, path: str | Path, on_miss: str, record: bool):
        if on_miss not in ON_MISS:
            raise PretuneError(f"on_miss must be one of {ON_MISS}, got {on_miss!r}")
        self.autotuner = tuner
        self.path = Path(path)
        self.on_miss = on_miss
        self.record = record
        #: How calls were answered beyond the table's own buckets.
        self.stats = {"nearest": 0, "autotuned": 0, "recorded": 0}
        #: Why the table is not used (None while it is, or before the first call).
        self.rejected: str | None = None
        self._buckets: dict[tuple, Config] | None = None
        self._identity = None

    def __getattr__(self, name: str) -> Any:
        # Everything else (configs, cache, best_config, fn...) is the Autotuner's.
        if name == "autotuner":
            raise AttributeError(name)
        return getattr(self.autotuner, name)

    @property
    def buckets(self) -> dict[tuple, Config]:
        """The table's buckets (read on first use)."""
        if self._buckets is None:
            self.load()
        return self._buckets

    def load(self) -> int:
        """Reads the table for the active lane now; returns the number of buckets."""
        tuner = self.autotuner
        self._identity = identify(tuner)
        try:
            entries = read_entries(self.path, self._identity)
        except TableRejected as exc:
            entries = []
            self.rejected = str(exc)
            if not (self.record and not self.path.exists()):
                self._warn(f"table not used: {exc}; autotuning at run time instead")
        by_text = {config_text(c): c for c in tuner.configs}
        self._buckets = {e.bucket: by_text[e.config] for e in entries}
        for bucket, config in self._buckets.items():
            tuner.cache.setdefault(bucket, config)
        return len(self._buckets)

    def run(self, *args, **kwargs):
        tuner = self.autotuner
        if self._buckets is None:
            self.load()
        if len(tuner.configs) > 1:
            key = autotune_key(tuner, args, kwargs)
            if key not in tuner.cache:
                return self._run_unseen(key, args, kwargs)
        return tuner.run(*args, **kwargs)

    def warmup(self, *args, **kwargs):
        """Compiles every config ahead of time, as ``Autotuner.warmup`` does."""
        return self.autotuner.warmup(*args, **kwargs)

    def _run_unseen(self, key: tuple, args: tuple, kwargs: dict):
        tuner = self.autotuner
        if self.on_miss in RULES:
            bucket = RULES[self.on_miss](key, self._buckets)
            if bucket is not None:
                tuner.cache[key] = self._buckets[bucket]
                self.stats["nearest"] += 1
                return tuner.run(*args, **kwargs)
        self.stats["autotuned"] += 1
        result = tuner.run(*args, **kwargs)
        if self.record:
            self._record(key)
        return result

    def _record(self, key: tuple) -> None:
        tuner = self.autotuner
        best = tuner.cache.get(key)
        timings = getattr(tuner, "configs_timings", None) or {}
        if best is None or best not in timings:
            return
        entry = Entry(
            bucket=key,
            config=config_text(best),
            time_ms=median_ms(timings[best]),
            timings={config_text(c): median_ms(t) for c, t in timings.items()},
            origin="runtime",
        )
        try:
            text = key_to_text(key)
        except PretuneError as exc:
            self._warn(f"key not recorded: {exc}")
            return
        try:
            with open_for_writing(self.path) as conn:
                write_entry(conn, table_id(conn, self._identity), text, entry)
        except (TableRejected, sqlite3.Error) as exc:
            self.record = False
            self._warn(f"not recording into the table any more: {exc}")
            return
        self._buckets[key] = best
        self.stats["recorded"] += 1

    def _warn(self, message: str) -> None:
        where = kernel_location(self.autotuner)
        name = self.autotuner.base_fn.__name__
        warnings.warn(
            f"flagtree pretune: {where}: kernel '{name}': {message}",
            PretuneWarning,
            stacklevel=_user_stacklevel(),
        )


def _user_stacklevel() -> int:
    """The stack level of the first frame outside PreTune and Triton's runtime,
    so that a warning points at the user's launch."""
    import triton.runtime

    inside = (str(Path(__file__).parent), str(Path(triton.runtime.__file__).parent))
    level, frame = 2, sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith(inside):
        level += 1
        frame = frame.f_back
    return level


def attach(
    kernel: Any, path: str | Path, *, on_miss: str = "nearest", record: bool = False
) -> PretunedKernel:
    """Serves ``kernel`` (a ``@triton.autotune`` kernel) from the table at ``path``.

    ``on_miss``: ``"nearest"`` (default) gives a key with no bucket the
    nearest bucket's config; ``"above"`` the nearest bucket at or above the
    key (for kernels that tile the key's sizes, with buckets at tile
    boundaries); ``"autotune"`` benchmarks it as Triton would.
    ``record=True`` stores each autotuned key's result in the table (the file
    is created when missing; a file that is not a sound PreTune table is never
    written). The table is read on the first call.
    """
    return PretunedKernel(autotuner_of(kernel), path, on_miss, record)


def pretuned(path: str | Path, *, on_miss: str = "nearest", record: bool = False):
    """Decorator form of :func:`attach`, placed above ``@triton.autotune``."""

    def decorate(kernel: Any) -> PretunedKernel:
        return attach(kernel, path, on_miss=on_miss, record=record)

    return decorate
