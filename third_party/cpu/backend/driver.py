"""Triton driver of the CPU lane, and whether the lane can run kernels.

The driver is active when the lane's library loads and no GPU driver is
active, or when ``FLAGTREE_BACKEND=cpu`` asks for it. Triton 3.6 allows one
active driver: on a machine with a GPU, ``FLAGTREE_BACKEND=cpu`` alone cannot
outvote the GPU driver, so flagtree warns and explains how to switch
(``triton.runtime.driver.set_active(CPUDriver())``).
"""

from __future__ import annotations

import os
import time
import warnings

from triton.backends.driver import DriverBase

from flagtree.lanes import Availability

from . import jit

_warned_gpu_present = False
_UNSIGNED = ("u8", "u16", "u32", "u64")


def availability() -> Availability:
    loads, reason = jit.available()
    return Availability(loads, reason if loads else f"libflagtree_cpu.so does not load: {reason}")


def _gpu_driver_active() -> bool:
    from triton.backends import backends

    for name, backend in backends.items():
        if name == "flagtree":
            continue
        try:
            if backend.driver.is_active():
                return True
        except Exception:  # noqa: BLE001 - a broken driver is not an active one
            continue
    return False


class _Event:
    """A host-clock event with the interface do_bench expects of a device
    event."""

    def __init__(self, enable_timing: bool = True) -> None:
        self.time = 0.0

    def record(self) -> None:
        self.time = time.perf_counter()

    def elapsed_time(self, end: _Event) -> float:
        return (end.time - self.time) * 1000.0


class _DeviceInterface:
    """What Triton's benchmarking asks of a device: events and a barrier.
    Kernels on the CPU lane return when they are done, so there is nothing
    to wait for."""

    Event = _Event

    @staticmethod
    def synchronize(device=None) -> None:
        pass

    @staticmethod
    def current_device() -> int:
        return 0


class _Utils:
    """Device queries and binary loading, as Triton's compiled kernels use
    them."""

    @staticmethod
    def get_device_properties(device) -> dict:
        return {"max_shared_mem": 1 << 31, "multiprocessor_count": os.cpu_count() or 1}

    @staticmethod
    def load_binary(name, kernel, shared, device):
        text = kernel.decode() if isinstance(kernel, bytes) else kernel
        compiled = jit.compile_ttir(text, f"{name}.ttir")
        return compiled, compiled, 0, 0, 1 << 30


class CPULauncher:
    """Runs a compiled kernel's grid: Triton calls it with the grid, a
    stream, the loaded function, metadata and hooks, then every argument."""

    def __init__(self, src, metadata) -> None:
        # The kernel takes the leaves of the arguments: a tuple argument
        # (nested or not) passes each of its elements in order. Constexprs,
        # at any depth, are folded into the kernel; only run-time values pass.
        #: (path of indices into the arguments, signature type) of each leaf
        self.kept: list[tuple[tuple[int, ...], str]] = []
        self.kept_names: list[str] = []

        def visit(kind, path, name):
            if isinstance(kind, tuple):
                for i, inner in enumerate(kind):
                    visit(inner, (*path, i), f"{name}[{i}]")
            elif kind != "constexpr":
                self.kept.append((path, kind))
                self.kept_names.append(name)

        for index, (name, kind) in enumerate(src.signature.items()):
            visit(kind, (index,), name)
        self.kept_types = [kind for _, kind in self.kept]

    def _leaves(self, args) -> list:
        leaves = []
        for path, _ in self.kept:
            value = args[path[0]]
            for i in path[1:]:
                value = value[i]
            leaves.append(value)
        return leaves

    def __call__(self, grid_x, grid_y, grid_z, stream, function, packed_metadata,
                 launch_metadata, enter_hook, exit_hook, *args):  # fmt: skip
        if enter_hook is not None:
            enter_hook(launch_metadata)
        function.launch((grid_x, grid_y, grid_z), self._leaves(args), names=self.kept_names)
        if exit_hook is not None:
            exit_hook(launch_metadata)

    def native_launch(self, function):
        """What flagtree's C++ launcher needs to run ``function`` without
        this launcher: (kernel handle, address of ``flagtree_cpu_launch``,
        [(argument index, signature type)], address of
        ``flagtree_cpu_launch_error``, the exception a failed device
        assertion raises); None when the kernel's arguments do not match
        this launcher's."""
        # A bounds-checked kernel needs its tensors' extents at every launch;
        # the C++ launcher passes top-level arguments only, not tuples.
        if (
            len(self.kept) != len(function.signature)
            or function.checked
            or any(len(path) != 1 for path, _ in self.kept)
        ):
            return None
        # The JIT's signature spells unsigned integers as signless ones;
        # Triton's type keeps the range a value is checked against.
        types = [
            ours if ours in _UNSIGNED else theirs
            for ours, theirs in zip(self.kept_types, function.signature, strict=True)
        ]
        address = jit.launch_function_address()
        return (
            function.handle,
            address,
            [(path[0], kind) for (path, _), kind in zip(self.kept, types, strict=True)],
            jit.launch_error_address(),
            jit.DeviceAssertionError,
        )


class CPUDriver(DriverBase):
    """Runs kernels on the host CPU (see the module documentation)."""

    @classmethod
    def is_active(cls) -> bool:
        global _warned_gpu_present
        if not availability().active:
            return False
        forced = os.environ.get("FLAGTREE_BACKEND", "") == "cpu"
        if not _gpu_driver_active():
            return True
        if forced and not _warned_gpu_present:
            _warned_gpu_present = True
            warnings.warn(
                "FLAGTREE_BACKEND=cpu: a GPU driver is active and Triton allows only one; "
                "call triton.runtime.driver.set_active(flagtree.lanes.cpu.driver.CPUDriver()) "
                "to run kernels on the CPU lane",
                RuntimeWarning,
                stacklevel=2,
            )
        return False

    def __init__(self) -> None:
        super().__init__()
        self.utils = _Utils()
        self.launcher_cls = CPULauncher

    def map_python_to_cpp_type(self, ty: str) -> str:
        return ty

    def get_current_target(self):
        from .compiler import host_target

        return host_target()

    def get_current_device(self) -> int:
        return 0

    def set_current_device(self, device) -> None:
        pass

    def get_current_stream(self, device=None) -> int:
        return 0

    def get_active_torch_device(self):
        import torch

        return torch.device("cpu")

    def get_device_interface(self):
        return _DeviceInterface

    def get_benchmarker(self):
        from triton.testing import do_bench

        return do_bench

    def get_empty_cache_for_benchmark(self):
        import torch

        # Larger than the last-level cache, so that each timed run starts cold.
        cache = torch.empty(64 * 1024 * 1024, dtype=torch.int8)
        # Touched once here: the first clear would otherwise also fault in
        # its 16K pages (tens of ms), inflate do_bench's estimate of one
        # run, and leave it only two or three runs to time.
        self.clear_cache(cache)
        return cache

    def clear_cache(self, cache) -> None:
        # On the calling thread alone: a multi-threaded `zero_` leaves
        # torch's OpenMP threads spinning for milliseconds afterwards, on
        # the cores the timed kernel then runs on. Not the C library's
        # memset: for a block this large it writes around the caches
        # (rep stosb, non-temporal), which keep what they held, and the
        # timed kernel's data stayed in the last-level cache.
        jit.evict_caches(cache.data_ptr(), cache.numel() * cache.element_size())
