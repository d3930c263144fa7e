"""The CPU lane's native side: libflagtree_cpu.so through its C API.

The library compiles TTIR through FLIR to native code with an in-process
JIT and runs a launch grid on a thread pool. Compiled kernels are kept per
process, keyed by their TTIR text, so that a kernel compiled while Triton
builds its cache entry is not compiled again when it is loaded.

Across processes, each kernel's object code is kept in Triton's cache
directory, next to Triton's own entries, keyed by its TTIR, its options
and flagtree_cpu_code_identity (this library's build, the host CPU and its
features, the settings kernels compile with): a later process links it
instead of compiling the kernel again. An entry that does not verify or
load is compiled again and replaced. ``FLAGTREE_CPU_OBJECT_CACHE=0`` turns
this off; so do ``FLAGTREE_CPU_DUMP`` and ``FLAGTREE_CPU_TIMING``, which
ask for what a compilation produces.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
import re
import threading

from flagtree.core import native_library

_LIBRARY = "libflagtree_cpu.so"


class CPUCompileError(RuntimeError):
    """The CPU lane could not compile a kernel; the message holds the
    diagnostics, each naming the kernel's file:line."""


class DeviceAssertionError(AssertionError):
    """A ``tl.device_assert`` failed during a launch: the message names the
    kernel's file:line, the program and element, and the assertion's
    message. The failing program stopped there and programs not started
    yet were skipped; the process and later launches are unaffected."""


class CPUOutOfBoundsError(RuntimeError):
    """A kernel compiled in the bounds-checked mode (FLAGTREE_CPU_BOUNDS_CHECK=1)
    accessed memory outside a tensor it was given. The access was not made;
    the message names the kernel's file:line, the argument and the elements.
    As for a failed assertion, programs not started yet were skipped."""


#: flagtree_cpu_launch's status when a device assertion failed
ASSERTION_FAILED = 2
#: flagtree_cpu_launch's status when a bounds check failed
OUT_OF_BOUNDS = 3


def bounds_check_requested() -> bool:
    """Whether FLAGTREE_CPU_BOUNDS_CHECK asks for the bounds-checked mode."""
    return os.environ.get("FLAGTREE_CPU_BOUNDS_CHECK", "") not in ("", "0")


@functools.cache
def _lib() -> ctypes.CDLL:
    lib = ctypes.CDLL(str(native_library(_LIBRARY, "FLAGTREE_CPU_LIB")))
    lib.flagtree_cpu_compile.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_void_p),
    ]
    lib.flagtree_cpu_compile.restype = ctypes.c_int
    lib.flagtree_cpu_signature.argtypes = [ctypes.c_void_p]
    lib.flagtree_cpu_signature.restype = ctypes.c_char_p
    lib.flagtree_cpu_compile_ms.argtypes = [ctypes.c_void_p]
    lib.flagtree_cpu_compile_ms.restype = ctypes.c_double
    lib.flagtree_cpu_launch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)] + [
        ctypes.c_uint32
    ] * 4
    lib.flagtree_cpu_launch.restype = ctypes.c_int
    lib.flagtree_cpu_launch_error.argtypes = []
    lib.flagtree_cpu_launch_error.restype = ctypes.c_char_p
    lib.flagtree_cpu_streams.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)] + [
        ctypes.c_uint32
    ] * 3
    lib.flagtree_cpu_streams.restype = ctypes.c_int
    lib.flagtree_cpu_checked.argtypes = [ctypes.c_void_p]
    lib.flagtree_cpu_checked.restype = ctypes.c_int
    lib.flagtree_cpu_launch_checked.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_int64),
    ] + [ctypes.c_uint32] * 4
    lib.flagtree_cpu_launch_checked.restype = ctypes.c_int
    lib.flagtree_cpu_free.argtypes = [ctypes.c_void_p]
    lib.flagtree_cpu_free_string.argtypes = [ctypes.c_void_p]
    lib.flagtree_cpu_evict_caches.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    lib.flagtree_cpu_object.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
    lib.flagtree_cpu_object.restype = ctypes.c_void_p
    lib.flagtree_cpu_load.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_void_p),
    ]
    lib.flagtree_cpu_load.restype = ctypes.c_int
    lib.flagtree_cpu_code_identity.argtypes = []
    lib.flagtree_cpu_code_identity.restype = ctypes.c_char_p
    return lib


def evict_caches(address: int, size: int) -> None:
    """Writes every cache line of ``size`` bytes at ``address`` with plain
    stores on this thread, so the caches hold those lines and nothing else
    (flagtree_cpu_evict_caches)."""
    _lib().flagtree_cpu_evict_caches(address, size)


def launch_function_address() -> int:
    """Address of ``flagtree_cpu_launch`` (for callers that launch from C)."""
    return ctypes.cast(_lib().flagtree_cpu_launch, ctypes.c_void_p).value or 0


def launch_error_address() -> int:
    """Address of ``flagtree_cpu_launch_error`` (the message behind a
    launch status of ``ASSERTION_FAILED``)."""
    return ctypes.cast(_lib().flagtree_cpu_launch_error, ctypes.c_void_p).value or 0


def launch_error() -> str:
    """The message of the last launch on this thread that a device
    assertion stopped."""
    return (_lib().flagtree_cpu_launch_error() or b"").decode(errors="replace")


def available() -> tuple[bool, str]:
    """Whether the library loads here, and why not."""
    try:
        _lib()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return False, str(exc)
    return True, "the host CPU is always present"


#: ctypes type of each scalar argument, by Triton's signature spelling.
_SCALARS = {
    "i1": ctypes.c_bool,
    "i8": ctypes.c_int8,
    "i16": ctypes.c_int16,
    "i32": ctypes.c_int32,
    "i64": ctypes.c_int64,
    "u1": ctypes.c_bool,
    "u8": ctypes.c_uint8,
    "u16": ctypes.c_uint16,
    "u32": ctypes.c_uint32,
    "u64": ctypes.c_uint64,
    "fp32": ctypes.c_float,
    "f32": ctypes.c_float,
    "fp64": ctypes.c_double,
    "f64": ctypes.c_double,
}


class CPUKernel:
    """One compiled kernel: owns the native handle."""

    def __init__(self, handle: int) -> None:
        self.handle = handle
        lib = _lib()
        signature = lib.flagtree_cpu_signature(handle).decode()
        self.signature = [s for s in signature.split(",") if s]
        self.compile_ms = lib.flagtree_cpu_compile_ms(handle)
        #: Compiled with the run-time bounds checks (FLAGTREE_CPU_BOUNDS_CHECK).
        self.checked = bool(lib.flagtree_cpu_checked(handle))
        #: Linked from object code another process compiled (the object cache).
        self.from_object_cache = False
        self._converters = [self._converter(kind) for kind in self.signature]

    @staticmethod
    def _converter(kind: str):
        if kind.startswith("*"):
            return lambda arg: ctypes.c_void_p(arg.data_ptr() if hasattr(arg, "data_ptr") else arg)
        ctype = _SCALARS.get(kind)
        if ctype is None:
            raise CPUCompileError(f"the CPU lane cannot pass arguments of type {kind} yet")
        return ctype

    def launch(
        self,
        grid: tuple[int, int, int],
        args: list,
        num_threads: int = 0,
        names: list[str] | None = None,
    ) -> None:
        """Runs the grid; ``num_threads`` 0 uses every core. ``names`` (the
        arguments' names) only serve error messages."""
        values, pointers = self._pack(args)
        if self.checked:
            self._launch_checked(grid, args, pointers, num_threads, names)
            return
        self._raise_for(_lib().flagtree_cpu_launch(self.handle, pointers, *grid, num_threads))

    def _pack(self, args: list):
        """The arguments' values and the array of pointers to them that the
        C API takes (the values must outlive the array's use)."""
        if len(args) != len(self.signature):
            raise TypeError(f"kernel takes {len(self.signature)} arguments, got {len(args)}")
        values = [convert(arg) for convert, arg in zip(self._converters, args, strict=True)]
        pointers = (ctypes.c_void_p * len(values))(
            *[ctypes.cast(ctypes.byref(v), ctypes.c_void_p) for v in values]
        )
        return values, pointers

    def streams(self, grid: tuple[int, int, int], args: list) -> bool:
        """Whether launching ``grid`` with ``args`` would run the kernel's
        copy with streaming (non-temporal) stores: see
        FLAGTREE_CPU_STREAM_STORES in docs/cpu-lane.md."""
        values, pointers = self._pack(args)
        return bool(_lib().flagtree_cpu_streams(self.handle, pointers, *grid))

    @staticmethod
    def _extent(arg) -> tuple[int, int]:
        """Bytes addressable before and after a tensor argument's pointer:
        the span of the tensor's own elements (not the rest of a storage it
        is a view of). (-1, -1), unchecked, when the argument is no tensor.
        A tensor reinterpreted with another dtype (``triton.reinterpret``)
        spans the bytes of the tensor it wraps."""
        from triton.runtime.jit import TensorWrapper

        if isinstance(arg, TensorWrapper):
            arg = arg.base
        if not all(hasattr(arg, a) for a in ("data_ptr", "stride", "shape", "element_size")):
            return -1, -1
        if arg.numel() == 0:
            return 0, 0
        low = sum(min(0, (n - 1) * s) for n, s in zip(arg.shape, arg.stride(), strict=True))
        high = sum(max(0, (n - 1) * s) for n, s in zip(arg.shape, arg.stride(), strict=True))
        size = arg.element_size()
        return -low * size, (high + 1) * size

    def _launch_checked(self, grid, args, pointers, num_threads, names) -> None:
        extents = (ctypes.c_int64 * (2 * len(args)))()
        for i, arg in enumerate(args):
            extents[2 * i], extents[2 * i + 1] = self._extent(arg)
        status = _lib().flagtree_cpu_launch_checked(
            self.handle, pointers, extents, *grid, num_threads
        )
        if status == OUT_OF_BOUNDS:

            def name(match: re.Match) -> str:
                index = int(match.group(1))
                if names and index < len(names):
                    return f"`{names[index]}`"
                return f"#{index}"

            raise CPUOutOfBoundsError(re.sub(r"#(\d+)", name, launch_error(), count=1))
        self._raise_for(status)

    @staticmethod
    def _raise_for(status: int) -> None:
        if status == ASSERTION_FAILED:
            raise DeviceAssertionError(launch_error())
        if status != 0:
            raise RuntimeError(f"the CPU lane failed to launch the kernel (status {status})")

    def __del__(self) -> None:
        try:
            _lib().flagtree_cpu_free(self.handle)
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


_compiled: dict[str, CPUKernel] = {}
_compiled_lock = threading.Lock()


#: Names of a kernel's files in its object-cache entry.
_OBJECT_FILE = "kernel.o"
_OBJECT_META = "kernel.json"


def _object_cache(text: str, options: str):
    """The Triton cache manager of the object-cache entry for this kernel,
    or None when object code is not to be reused here."""
    if os.environ.get("FLAGTREE_CPU_OBJECT_CACHE", "1") == "0":
        return None
    if os.environ.get("FLAGTREE_CPU_DUMP") or os.environ.get("FLAGTREE_CPU_TIMING"):
        return None
    identity = (_lib().flagtree_cpu_code_identity() or b"").decode()
    if not identity:
        return None
    try:
        from triton.runtime.cache import get_cache_manager

        key = hashlib.sha256(f"cpu-object\0{identity}\0{options}\0{text}".encode())
        return get_cache_manager(key.hexdigest())
    except Exception:  # noqa: BLE001 - no cache is never an error
        return None


def _diagnostics(lib, pointer: ctypes.c_void_p) -> str:
    if not pointer.value:
        return ""
    message = ctypes.string_at(pointer.value).decode(errors="replace").strip()
    lib.flagtree_cpu_free_string(pointer.value)
    return message


def _load_cached(cache, data: bytes, source_name: str, options: str):
    """(handle, diagnostics) of the kernel linked from its cached object
    code, or None when the entry is missing, does not verify or does not
    load."""
    try:
        meta_path = cache.get_file(_OBJECT_META)
        object_path = cache.get_file(_OBJECT_FILE)
        if meta_path is None or object_path is None:
            return None
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        with open(object_path, "rb") as f:
            code = f.read()
        if hashlib.sha256(code).hexdigest() != meta["sha256"]:
            return None
        message = str(meta.get("diagnostics", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    lib = _lib()
    handle = ctypes.c_void_p()
    diagnostics = ctypes.c_void_p()
    status = lib.flagtree_cpu_load(
        data,
        len(data),
        source_name.encode(),
        options.encode(),
        code,
        len(code),
        ctypes.byref(handle),
        ctypes.byref(diagnostics),
    )
    _diagnostics(lib, diagnostics)
    if status != 0 or not handle.value:
        return None
    return handle.value, message


def _store_cached(cache, handle: int, message: str) -> None:
    """Keeps the compiled kernel's object code (each file written whole,
    then renamed into place by the cache manager)."""
    size = ctypes.c_size_t()
    address = _lib().flagtree_cpu_object(handle, ctypes.byref(size))
    if not address or not size.value:
        return
    code = ctypes.string_at(address, size.value)
    meta = {"sha256": hashlib.sha256(code).hexdigest(), "diagnostics": message}
    try:
        cache.put(code, _OBJECT_FILE, binary=True)
        cache.put(json.dumps(meta), _OBJECT_META, binary=False)
    except OSError:
        pass  # a read-only or full cache directory: the kernel still runs


def _report_hints(message: str) -> None:
    # Hints the FLIR passes could not apply are reported as the stage
    # reports the ones the lane ignores.
    for line in message.splitlines():
        if "hint '" in line and (": warning: " in line or ": remark: " in line):
            from flagtree.hints.middle_end import warn_once

            warn_once(line)


def compile_ttir(text: str, source_name: str, options: str = "") -> CPUKernel:
    """Compiles TTIR text (or returns the kernel compiled from it before, in
    this process or, through the object cache, in another).
    ``options``: ``target=host`` (default) or ``target={...JSON...}``."""
    # The bounds-checked mode is read when a kernel compiles: part of the key.
    checked = "bounds_check" if bounds_check_requested() else ""
    # So is the streaming-store setting (what copies the kernel gets).
    stream = os.environ.get("FLAGTREE_CPU_STREAM_STORES", "")
    key = hashlib.sha256(f"{options}\0{checked}\0{stream}\0{text}".encode()).hexdigest()
    with _compiled_lock:
        kernel = _compiled.get(key)
    if kernel is not None:
        return kernel
    lib = _lib()
    data = text.encode()
    cache = _object_cache(text, options)
    loaded = _load_cached(cache, data, source_name, options) if cache is not None else None
    if loaded is not None:
        handle_value, message = loaded
    else:
        handle = ctypes.c_void_p()
        diagnostics = ctypes.c_void_p()
        status = lib.flagtree_cpu_compile(
            data,
            len(data),
            source_name.encode(),
            options.encode(),
            ctypes.byref(handle),
            ctypes.byref(diagnostics),
        )
        message = _diagnostics(lib, diagnostics)
        if status != 0 or not handle.value:
            raise CPUCompileError(message or "the CPU lane failed to compile the kernel")
        handle_value = handle.value
        if cache is not None:
            _store_cached(cache, handle_value, message)
    _report_hints(message)
    kernel = CPUKernel(handle_value)
    kernel.from_object_cache = loaded is not None
    with _compiled_lock:
        return _compiled.setdefault(key, kernel)
