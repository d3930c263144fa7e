"""The slow path of the launcher, and the registration of compiled kernels.

The slow path runs Triton's own ``JITFunction.run``. Afterwards the call is
described by the extension (its table key and Triton's view of the call:
specialization and options); the kernel is registered only when Triton's
cache holds it under the key built from that view, so that an entry never
serves a kernel Triton would not have chosen.
"""

from __future__ import annotations

import warnings
from typing import Any

#: Attribute of a JITFunction that holds its launcher state.
STATE_ATTRIBUTE = "_flagtree_launcher"

#: Argument kinds of a native launch (SlotKind in lib/Launcher/Launch.h).
SLOT_KINDS = {
    "i1": 1,
    "i8": 2,
    "i16": 3,
    "i32": 4,
    "i64": 5,
    "u1": 1,
    "u8": 6,
    "u16": 7,
    "u32": 8,
    "u64": 9,
    "fp16": 10,
    "bf16": 11,
    "fp32": 12,
    "f32": 12,
    "fp64": 13,
    "f64": 13,
}
POINTER_SLOT = 0

_upstream_run = None
_warned: set[str] = set()


def set_upstream_run(run) -> None:
    global _upstream_run
    _upstream_run = run


def slot_kind(signature_type: str) -> int | None:
    """The native argument kind of a Triton signature type, or None."""
    if not isinstance(signature_type, str):
        return None
    if signature_type.startswith("*"):
        return POINTER_SLOT
    return SLOT_KINDS.get(signature_type)


def describe_params(jit_fn) -> list[tuple]:
    """Each parameter as Triton's binder treats it (see
    ``create_function_from_signature``)."""
    described = []
    for param in jit_fn.params:
        annotation = None if param.is_constexpr else (param.annotation_type or None)
        annotation_only = bool(annotation) and (
            annotation == "u1" or annotation[:2] in ("fp", "bf")
        )
        described.append(
            (
                param.name,
                bool(param.is_constexpr),
                bool(param.is_const),
                not param.do_not_specialize,
                not param.do_not_specialize_on_alignment,
                annotation,
                annotation_only,
                bool(param.has_default),
                param.default if param.has_default else None,
            )
        )
    return described


def state_for(jit_fn):
    """The kernel's launcher state, created on first use."""
    from . import _launcher

    state = jit_fn.__dict__.get(STATE_ATTRIBUTE)
    if state is None:
        state = jit_fn.__dict__.setdefault(
            STATE_ATTRIBUTE, _launcher.KernelState(describe_params(jit_fn))
        )
    return state


def slow_path(jit_fn, grid, args, kwargs, raw: bool = False):
    """Triton's own path; registers what it compiled. ``raw``: ``kwargs``
    already hold ``grid`` and ``warmup`` (a call of ``run`` the fast path
    does not take)."""
    kwargs = kwargs or {}
    if raw:
        return _upstream_run(jit_fn, *args, **kwargs)
    kernel = _upstream_run(jit_fn, *args, grid=grid, warmup=False, **kwargs)
    try:
        register(jit_fn, args, kwargs, kernel)
    except Exception as exc:  # noqa: BLE001 - a launch that worked must not fail here
        name = getattr(jit_fn, "__qualname__", str(jit_fn))
        if name not in _warned:
            _warned.add(name)
            warnings.warn(
                f"flagtree: {name} launches through Triton's path only ({exc})",
                RuntimeWarning,
                stacklevel=2,
            )
    return kernel


def register(jit_fn, args: tuple, kwargs: dict, kernel) -> bool:
    """Adds the kernel Triton returned for this call to the fast table;
    returns whether it did."""
    from triton.runtime.jit import compute_cache_key

    if kernel is None or hasattr(kernel, "result"):
        return False  # warmup, a cache hook that skipped, or an async compile
    state = state_for(jit_fn)
    described = state.describe(jit_fn, tuple(args), dict(kwargs) or None)
    if described is None:
        return False
    key, device, _bound, specialization, options, identities = described
    caches = jit_fn.device_caches.get(device)
    if caches is None:
        return False
    kernel_cache = caches[0]
    triton_key = compute_cache_key({}, specialization, options)
    if kernel_cache.get(triton_key) is not kernel:
        return False
    # Triton's own key object: each fast launch checks the entry is still
    # cached, and an identical key compares without reading its text.
    triton_key = next((k for k in kernel_cache if k == triton_key), triton_key)
    state.add(key, kernel, kernel_cache, triton_key, identities, launch_recipe(kernel))
    return True


def launch_recipe(kernel) -> tuple:
    """How the extension launches ``kernel``: natively where the lane says
    how, else through the kernel's own Triton launcher."""
    run = kernel.run  # also loads the binary, as Triton's launch did
    native = getattr(run, "native_launch", None)
    recipe = None
    if native is not None:
        recipe = _cpu_recipe(native(kernel.function))
    elif type(run).__name__ == "CudaLauncher":
        recipe = _cuda_recipe(kernel, run)
    return recipe or ("triton", run, kernel.function, kernel.packed_metadata)


def _slots(typed: list[tuple[int, Any]]) -> list[tuple[int, int]] | None:
    slots = []
    for index, signature_type in typed:
        kind = slot_kind(signature_type)
        if kind is None:
            return None
        slots.append((index, kind))
    return slots


def _cpu_recipe(native) -> tuple | None:
    """A lane's ``native_launch``: (kernel handle, address of a function
    with flagtree_cpu_launch's C signature, [(argument index, type)],
    address of flagtree_cpu_launch_error, the exception class a failed
    device assertion raises)."""
    if native is None:
        return None
    handle, launch_address, typed, error_address, error_class = native
    slots = _slots(typed)
    if slots is None or not handle or not launch_address or not error_address:
        return None
    return ("cpu", int(handle), int(launch_address), slots, int(error_address), error_class)


def _cuda_recipe(kernel, run) -> tuple | None:
    """Triton's CUDA launcher, replayed with the driver API where it needs
    no host-side work: no scratch buffers and no tensor descriptors."""
    metadata = kernel.metadata
    if getattr(metadata, "global_scratch_size", 0) or getattr(metadata, "profile_scratch_size", 0):
        return None
    if getattr(metadata, "tensordesc_meta", None):
        return None
    typed = [
        (index, signature_type)
        for index, signature_type in enumerate(kernel.src.signature.values())
        if signature_type != "constexpr"
    ]
    slots = _slots(typed)
    if slots is None:
        return None
    num_warps, num_ctas, shared = kernel.packed_metadata
    return (
        "cuda",
        int(kernel.function),
        int(num_warps),
        int(num_ctas),
        int(shared),
        bool(run.launch_cooperative_grid),
        bool(run.launch_pdl),
        slots,
    )
