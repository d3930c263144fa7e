"""In-process access to the flagtree core.

The core is one shared library (``libflagtree.so``) with MLIR and LLVM linked
in statically. It exports a small C API, so it is loaded with :mod:`ctypes`
and works from any CPython version without being rebuilt (the GPU machine
runs Python 3.12, development here runs 3.11).
"""

from __future__ import annotations

import ctypes
import functools
import os
from pathlib import Path

_LIBRARY_NAME = "libflagtree.so"


class CoreNotFoundError(RuntimeError):
    """The core library could not be found or loaded."""


class IRError(ValueError):
    """The core rejected a module; ``diagnostics`` holds its messages.

    Each diagnostic names the place it concerns as ``file:line:col``: a line
    of the IR text for syntax errors, the kernel's Python source line for
    errors found in a parsed op.
    """

    def __init__(self, diagnostics: str) -> None:
        self.diagnostics = diagnostics.strip()
        super().__init__(self.diagnostics or "the core rejected the module")


def native_library(name: str, override_env: str) -> Path:
    """Where one of flagtree's native libraries is: ``$<override_env>``,
    the installed package, or a development build tree next to the sources."""
    override = os.environ.get(override_env)
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    candidates = [here / "_core" / name, here.parent.parent / "build" / "lib" / name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise CoreNotFoundError(
        f"flagtree's library {name} was not found in "
        + ", ".join(str(c.parent) for c in candidates)
        + f"; build it with `make install` or set {override_env}"
    )


def library_path() -> Path:
    """Where the core library is (see :func:`native_library`)."""
    return native_library(_LIBRARY_NAME, "FLAGTREE_CORE_LIB")


@functools.cache
def _lib() -> ctypes.CDLL:
    path = library_path()
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as exc:
        raise CoreNotFoundError(f"cannot load {path}: {exc}") from exc
    lib.flagtree_version.restype = ctypes.c_char_p
    lib.flagtree_version.argtypes = []
    lib.flagtree_inventory.restype = ctypes.c_void_p
    lib.flagtree_inventory.argtypes = []
    lib.flagtree_run_pipeline.restype = ctypes.c_int
    lib.flagtree_run_pipeline.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_void_p),
    ]
    lib.flagtree_free.restype = None
    lib.flagtree_free.argtypes = [ctypes.c_void_p]
    return lib


def _take_string(pointer: int | None) -> str | None:
    """Copies a string the core allocated and frees the original."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8", errors="replace")
    finally:
        _lib().flagtree_free(pointer)


def version() -> str:
    """The core's version, with the MLIR version it was built against."""
    return _lib().flagtree_version().decode()


def inventory() -> dict[str, int]:
    """The dialects the core loads, each with its number of ops."""
    text = _take_string(_lib().flagtree_inventory()) or ""
    dialects: dict[str, int] = {}
    for line in text.splitlines():
        _, name, count = line.split()
        dialects[name] = int(count)
    return dialects


def run_pipeline(text: str, pipeline: str = "", source_name: str = "<ttir>") -> str:
    """Parses ``text``, runs the textual pass ``pipeline`` on it (none when
    empty) and returns the module printed the way Triton prints TTIR.

    Raises :class:`IRError` with the core's diagnostics on any failure.
    """
    return run_pipeline_with_diagnostics(text, pipeline, source_name)[0]


def run_pipeline_with_diagnostics(
    text: str, pipeline: str = "", source_name: str = "<ttir>"
) -> tuple[str, str]:
    """Like :func:`run_pipeline`, and also returns the warnings and remarks
    the passes emitted (``file:line:col: warning: ...`` lines)."""
    data = text.encode()
    output = ctypes.c_void_p()
    diagnostics = ctypes.c_void_p()
    status = _lib().flagtree_run_pipeline(
        data,
        len(data),
        source_name.encode(),
        pipeline.encode(),
        ctypes.byref(output),
        ctypes.byref(diagnostics),
    )
    printed = _take_string(output.value)
    messages = _take_string(diagnostics.value) or ""
    if status != 0 or printed is None:
        raise IRError(messages)
    return printed, messages


def roundtrip(text: str, source_name: str = "<ttir>") -> str:
    """Parses and prints ``text`` with no pass in between."""
    return run_pipeline(text, "", source_name)
