"""How flagtree switches itself on inside Triton.

This is flagtree's one activation point. Triton imports every package
registered in the ``triton.backends`` entry-point group while ``import
triton`` runs; flagtree registers ``flagtree.triton_plugin``, whose import
calls :func:`activate`. Activation sets two documented Triton knobs:

* ``knobs.runtime.add_stages_inspection_hook``: inserts flagtree's stage
  after ``ttir`` in the pipeline of every Triton backend that has a lane;
* ``knobs.cache.manager_class``: a cache manager that mixes flagtree's
  version and settings into every compilation cache key (Triton 3.6 leaves
  the stage hook out of its key), so turning flagtree on or off, changing a
  ``FLAGTREE_*`` setting or upgrading flagtree never serves a stale binary.

It also turns on the C++ launcher (:mod:`flagtree.launcher`: the fast path of
``kernel[grid](...)``, which replaces ``JITFunction.__getitem__`` and
``JITFunction.run``) unless ``FLAGTREE_LAUNCHER=python``.

``FLAGTREE_DISABLE=1`` skips activation: Triton then runs exactly as
upstream. Activation never raises: on an internal error it warns once and
leaves Triton as it was.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from . import __version__

#: Settings that change what flagtree generates, and so belong in the key.
#: ``FLAGTREE_DISABLE`` is absent: when it is set nothing is activated.
_KEY_ENV_PREFIX = "FLAGTREE_"
_KEY_ENV_IGNORED = {"FLAGTREE_DISABLE", "FLAGTREE_LAUNCHER"}


@dataclass
class _Installed:
    """What activation replaced, so that it can be put back."""

    previous_hook: object
    #: The manager class the user had set in code, or None when it came
    #: from the environment (then deactivation resets the knob to it).
    previous_manager: object


_installed: _Installed | None = None


def disabled_by_user() -> bool:
    return os.environ.get("FLAGTREE_DISABLE", "") not in ("", "0")


def is_active() -> bool:
    """Whether flagtree's stage hook is installed in this process."""
    return _installed is not None


def cache_namespace() -> str:
    """A short digest of everything that changes flagtree's output: its
    version, the core library build and the ``FLAGTREE_*`` settings."""
    from . import core

    parts = [__version__]
    try:
        stat = core.library_path().stat()
        parts.append(f"core:{stat.st_size}:{stat.st_mtime_ns}")
    except (OSError, core.CoreNotFoundError):
        parts.append("core:missing")
    for name in sorted(os.environ):
        if name.startswith(_KEY_ENV_PREFIX) and name not in _KEY_ENV_IGNORED:
            parts.append(f"{name}={os.environ[name]}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def namespaced_key(key: str, namespace: str) -> str:
    """Triton's cache key (base32 of a SHA-256) combined with flagtree's
    namespace, in the same alphabet and length."""
    digest = hashlib.sha256(f"{key}|flagtree|{namespace}".encode()).digest()
    return base64.b32encode(digest).decode().rstrip("=")


def _namespaced_manager(base: type, namespace: str) -> type:
    class FlagtreeCacheManager(base):
        """Triton's cache manager with flagtree's namespace in every key.
        Kernel dumps and overrides keep Triton's own keys, so that
        TRITON_KERNEL_DUMP / TRITON_KERNEL_OVERRIDE paths do not move."""

        def __init__(self, key, override=False, dump=False):
            if not override and not dump:
                key = namespaced_key(key, namespace)
            super().__init__(key, override=override, dump=dump)

    FlagtreeCacheManager.__qualname__ = f"FlagtreeCacheManager[{base.__name__}]"
    return FlagtreeCacheManager


def _stages_hook(previous):
    def hook(backend, stages, options, language, capability):
        if previous is not None:
            previous(backend, stages, options, language, capability)
        try:
            from . import stage
            from .lanes import lane_for_target

            lane = lane_for_target(backend.target.backend)
            if lane is not None:
                stage.insert_after_ttir(stages, lane)
        except Exception as exc:  # noqa: BLE001 - never fail the user's compile
            _warn(f"flagtree: stage not inserted ({exc}); compiling as upstream Triton")

    hook.flagtree = True
    return hook


def _warn(message: str) -> None:
    warnings.warn(message, RuntimeWarning, stacklevel=3)


def activate() -> None:
    """Installs flagtree in Triton (see the module documentation)."""
    global _installed
    if _installed is not None or disabled_by_user():
        return
    try:
        from triton import knobs
        from triton.runtime.cache import FileCacheManager

        previous_hook = knobs.runtime.add_stages_inspection_hook
        previous_manager = knobs.cache.__dict__.get("manager_class")
        base = knobs.cache.manager_class or FileCacheManager
        knobs.runtime.add_stages_inspection_hook = _stages_hook(previous_hook)
        knobs.cache.manager_class = _namespaced_manager(base, cache_namespace())
        _installed = _Installed(previous_hook, previous_manager)
    except Exception as exc:  # noqa: BLE001 - a broken flagtree must not break triton
        _warn(f"flagtree: not activated ({exc}); Triton runs as upstream")
        return
    try:
        from . import launcher

        launcher.enable_when_ready()
    except Exception as exc:  # noqa: BLE001 - the launcher is an optimization
        _warn(f"flagtree: C++ launcher not enabled ({exc}); launches go through Triton")


def deactivate() -> None:
    """Puts back what :func:`activate` replaced."""
    global _installed
    if _installed is None:
        return
    from triton import knobs

    from . import launcher

    launcher.disable()

    knobs.runtime.add_stages_inspection_hook = _installed.previous_hook
    if _installed.previous_manager is None:
        del knobs.cache.manager_class
    else:
        knobs.cache.manager_class = _installed.previous_manager
    _installed = None


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """Runs a block as if flagtree were not installed (used to compare
    flagtree with upstream Triton side by side in one process)."""
    was_active = is_active()
    deactivate()
    try:
        yield
    finally:
        if was_active:
            activate()
