"""flagtree's C++ launcher: the fast path of ``kernel[grid](...)``.

Triton 3.6 spends most of a launch in Python: binding the arguments,
specializing them, building the cache key, preparing launch metadata. The
extension ``flagtree.launcher._launcher`` does the same in C++ and launches
the compiled kernel itself (the CPU lane's C entry point, the CUDA driver
API, or the kernel's own Triton launcher for any other lane).

Whatever the fast path does not handle goes through Triton's own
``JITFunction.run``: the first call of a specialization, launch hooks,
pre-run hooks, warmup, arguments of unusual types. What Triton compiles there
is registered in the kernel's fast table, keyed by the same specialization,
after checking that Triton's cache holds it under the key the fast path
computed. Results are the same either way.

:func:`enable` is called by flagtree's activation (``import triton``) unless
``FLAGTREE_LAUNCHER=python`` (through :func:`enable_when_ready`: flagtree
activates while ``import triton`` runs, before Triton has defined
``JITFunction``); it replaces ``JITFunction.__getitem__`` and
``JITFunction.run`` (the second is what the autotuner and heuristics wrappers
call). When the extension is missing or was built for another Python,
flagtree says so once and Triton's path is used.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import os
import sys
import warnings
from dataclasses import dataclass

from . import registry

__all__ = ["enable", "enable_when_ready", "disable", "is_enabled", "extension_error", "stats"]


@dataclass
class _Saved:
    """What :func:`enable` replaced on JITFunction."""

    getitem: object  # JITFunction's own __getitem__, or None (inherited)
    run: object


_saved: _Saved | None = None
_noted = False


def requested() -> bool:
    """Whether the environment leaves the fast path on."""
    return os.environ.get("FLAGTREE_LAUNCHER", "").strip().lower() != "python"


def extension_error() -> str | None:
    """Why the extension cannot be imported, or None when it can."""
    try:
        from . import _launcher  # noqa: F401
    except ImportError as exc:
        return str(exc)
    return None


def _note_missing(reason: str) -> None:
    global _noted
    if _noted:
        return
    _noted = True
    warnings.warn(
        f"flagtree: the C++ launcher is not available ({reason}); kernels launch through "
        "Triton's Python path. Build it for this Python with "
        "`cmake -S lib/Launcher -B build/launcher && cmake --build build/launcher` "
        "(see docs/launcher.md), or set FLAGTREE_LAUNCHER=python to silence this note.",
        RuntimeWarning,
        stacklevel=3,
    )


def is_enabled() -> bool:
    return _saved is not None


def enable() -> bool:
    """Installs the fast path; returns whether it is on."""
    global _saved
    if _saved is not None:
        return True
    if not requested():
        return False
    reason = extension_error()
    if reason is not None:
        _note_missing(reason)
        return False
    from triton import knobs
    from triton.runtime.driver import driver
    from triton.runtime.jit import JITFunction

    from . import _launcher

    saved = _Saved(JITFunction.__dict__.get("__getitem__"), JITFunction.run)
    registry.set_upstream_run(saved.run)
    _launcher.configure(
        knobs.runtime, knobs.compilation, driver, knobs.HookChain, registry.slow_path
    )
    JITFunction.__getitem__ = _launcher.getitem
    JITFunction.run = _launcher.run
    _saved = saved
    return True


def _triton_ready() -> bool:
    """Whether the Triton objects :func:`enable` replaces exist yet (flagtree
    activates while ``import triton`` runs, before ``JITFunction`` is
    defined)."""
    jit = sys.modules.get("triton.runtime.jit")
    driver = sys.modules.get("triton.runtime.driver")
    knobs = sys.modules.get("triton.knobs")
    return (
        hasattr(jit, "JITFunction")
        and hasattr(driver, "driver")
        and hasattr(knobs, "HookChain")
        and hasattr(knobs, "runtime")
    )


class _EnableWhenReady(importlib.abc.MetaPathFinder):
    """Finds no module: watches the imports that follow flagtree's
    activation and enables the launcher at the first one after Triton
    defined ``JITFunction``, then removes itself."""

    def __init__(self) -> None:
        self.busy = False

    def find_spec(self, fullname, path=None, target=None):
        if self.busy or not _triton_ready():
            return None
        self.busy = True
        try:
            with contextlib.suppress(ValueError):
                sys.meta_path.remove(self)
            try:
                enable()
            except Exception as exc:  # noqa: BLE001 - the launcher is an optimization
                warnings.warn(
                    f"flagtree: C++ launcher not enabled ({exc}); launches go through Triton",
                    RuntimeWarning,
                    stacklevel=2,
                )
        finally:
            self.busy = False
        return None


def enable_when_ready() -> None:
    """:func:`enable` now, or as soon as ``import triton`` has defined what
    it replaces."""
    if not requested() or _saved is not None:
        return
    if _triton_ready():
        enable()
        return
    if not any(isinstance(finder, _EnableWhenReady) for finder in sys.meta_path):
        sys.meta_path.insert(0, _EnableWhenReady())


def disable() -> None:
    """Puts back Triton's own ``__getitem__`` and ``run``."""
    global _saved
    if _saved is None:
        return
    from triton.runtime.jit import JITFunction

    if _saved.getitem is None:
        del JITFunction.__getitem__
    else:
        JITFunction.__getitem__ = _saved.getitem
    JITFunction.run = _saved.run
    _saved = None


def stats(kernel) -> dict[str, int]:
    """Fast launches, slow-path calls and table entries of one kernel (for
    tests and benchmarks)."""
    state = kernel.__dict__.get(registry.STATE_ATTRIBUTE)
    if state is None:
        return {"fast_launches": 0, "slow_calls": 0, "entries": 0}
    return {
        "fast_launches": state.fast_launches,
        "slow_calls": state.slow_calls,
        "entries": len(state),
    }
