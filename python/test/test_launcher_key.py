"""The C++ launcher's specialization key against Triton's own.

For a large randomized set of calls (tensors of many dtypes and alignments,
integers around every boundary Triton specializes on, bools, floats, None,
constexprs of many kinds, do_not_specialize, do_not_specialize_on_alignment,
annotations, defaults, launch options), the extension's view of the call
must equal what Triton's binder returns, and equal table keys must always
mean equal Triton cache keys.
"""

from __future__ import annotations

import random

import pytest
import torch
import triton
import triton.language as tl
from triton import knobs
from triton.runtime.driver import driver
from triton.runtime.jit import compute_cache_key

from flagtree import launcher
from flagtree.launcher import registry

pytestmark = pytest.mark.skipif(
    launcher.extension_error() is not None, reason="the launcher extension is not built"
)


@triton.jit
def _plain(a, b, c, d, e, f, BLOCK: tl.constexpr, MODE: tl.constexpr = 3):
    pass


@triton.jit(do_not_specialize=["b", 3], do_not_specialize_on_alignment=["a", "c"])
def _restricted(a, b, c, d, e, BLOCK: tl.constexpr):
    pass


@triton.jit
def _annotated(
    x: tl.tensor,
    n: tl.int64,
    flag: tl.int1,
    scale: tl.float32,
    half: tl.bfloat16,
    count: tl.int32,
    ptr: tl.pointer_type(tl.float16),
    K: tl.constexpr = 8,
    rest=None,
):
    pass


_DTYPES = [
    torch.float32,
    torch.float16,
    torch.bfloat16,
    torch.float64,
    torch.int8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.uint8,
    torch.bool,
]
_INTS = [
    0,
    1,
    -1,
    2,
    15,
    16,
    17,
    32,
    -16,
    -17,
    2**31 - 1,
    2**31,
    2**31 + 16,
    -(2**31),
    -(2**31) - 1,
    -(2**31) - 16,
    2**32,
    2**63 - 1,
    2**63,
    2**63 + 16,
    2**64 - 1,
    2**64,
    -(2**63),
    -(2**63) - 1,
]
_CONSTEXPRS = [
    1,
    2,
    16,
    0,
    -5,
    2**40,
    1.0,
    0.0,
    -0.0,
    2.5,
    True,
    False,
    None,
    "ieee",
    "tf32",
    tl.float16,
    tl.float32,
    tl.constexpr(4),
    tl.constexpr("x"),
    (1, 2),
    torch.float32,
]
_BASE = {dtype: torch.zeros(64, dtype=dtype) for dtype in _DTYPES}


def _tensor(rng: random.Random):
    base = _BASE[rng.choice(_DTYPES)]
    offset = rng.choice([0, 0, 1, 2, 3, 4, 8, 16])
    view = base[offset:]
    if view.is_floating_point() and rng.random() < 0.2:
        return torch.nn.Parameter(view, requires_grad=False)
    return view


def _runtime_value(rng: random.Random):
    kind = rng.randrange(8)
    if kind <= 2:
        return _tensor(rng)
    if kind <= 4:
        return rng.choice(_INTS)
    if kind == 5:
        return rng.choice([True, False])
    if kind == 6:
        return rng.choice([0.5, -1.0, 1.0, 3.0])
    return rng.choice([None, tl.constexpr(7)])


def _options(rng: random.Random) -> dict:
    options = {}
    for name, values in (
        ("num_warps", [1, 2, 4, 8]),
        ("num_stages", [1, 2, 3]),
        ("num_ctas", [1]),
        ("maxnreg", [None, 128]),
        ("debug", [True, False, None]),
        ("enable_fp_fusion", [True, False]),
    ):
        if rng.random() < 0.3:
            options[name] = rng.choice(values)
    return options


def _call(rng: random.Random, kernel) -> tuple[tuple, dict]:
    names = [p.name for p in kernel.params]
    values = {}
    for param in kernel.params:
        if param.has_default and rng.random() < 0.4:
            continue
        if param.is_constexpr:
            values[param.name] = rng.choice(_CONSTEXPRS)
        else:
            values[param.name] = _runtime_value(rng)
    cut = rng.randrange(len(names) + 1)
    args = []
    for name in names[:cut]:
        if name not in values:
            break
        args.append(values.pop(name))
    kwargs = dict(rng.sample(list(values.items()), len(values)))
    kwargs.update(_options(rng))
    return tuple(args), kwargs


def _triton_view(kernel, args: tuple, kwargs: dict):
    """What Triton's JITFunction.run binds for this call."""
    kwargs = dict(kwargs)
    kwargs["debug"] = kwargs.get("debug", kernel.debug) or knobs.runtime.debug
    kwargs["instrumentation_mode"] = knobs.compilation.instrumentation_mode
    device = driver.active.get_current_device()
    binder = kernel.device_caches[device][4]
    return binder(*args, **kwargs)


@pytest.mark.parametrize("kernel", [_plain, _restricted, _annotated], ids=lambda k: k.__name__)
def test_key_matches_triton_on_random_calls(kernel) -> None:
    rng = random.Random(1234)
    state = registry.state_for(kernel)
    keys: dict[bytes, str] = {}
    described = refused = 0
    for _ in range(3000):
        args, kwargs = _call(rng, kernel)
        try:
            bound, specialization, options = _triton_view(kernel, args, kwargs)
            triton_key = compute_cache_key({}, specialization, options)
        except (TypeError, OverflowError):
            assert state.describe(kernel, args, kwargs or None) is None
            refused += 1
            continue
        ours = state.describe(kernel, args, kwargs or None)
        if ours is None:
            refused += 1
            continue
        key, _device, our_bound, our_specialization, our_options, _pins = ours
        described += 1
        assert str(our_specialization) == str(specialization), (args, kwargs)
        assert str(our_options) == str(options)
        assert list(our_bound) == list(bound)
        assert all(our_bound[name] is bound[name] for name in bound)
        assert compute_cache_key({}, our_specialization, our_options) == triton_key
        assert keys.setdefault(key, triton_key) == triton_key, "one table key, two Triton keys"
    # Most calls are for the fast path; the rest are those Triton refuses or
    # that name a type the fast path leaves to Triton.
    assert described > 2000, (described, refused)
    assert len(keys) > 100


def test_every_boundary_integer_classifies_as_triton_does() -> None:
    state = registry.state_for(_plain)
    tensor = _BASE[torch.float32]
    for value in _INTS:
        for position in range(6):
            args = [tensor] * 6
            args[position] = value
            try:
                _, specialization, _ = _triton_view(_plain, tuple(args), {"BLOCK": 4})
            except OverflowError:
                assert state.describe(_plain, tuple(args), {"BLOCK": 4}) is None
                continue
            ours = state.describe(_plain, tuple(args), {"BLOCK": 4})
            assert ours is not None
            assert ours[3][position] == specialization[position], value


def test_alignment_of_offset_views() -> None:
    state = registry.state_for(_plain)
    for dtype in _DTYPES:
        base = _BASE[dtype]
        for offset in range(0, 17):
            view = base[offset:]
            args = (view, view, 1, 2, 3, 4)
            _, specialization, _ = _triton_view(_plain, args, {"BLOCK": 2})
            ours = state.describe(_plain, args, {"BLOCK": 2})
            assert ours[3][0] == specialization[0]
            aligned = view.data_ptr() % 16 == 0
            assert ours[3][0][1] == ("D" if aligned else "")


def test_options_order_and_knobs_are_part_of_the_key() -> None:
    state = registry.state_for(_plain)
    tensor = _BASE[torch.float32]
    args = (tensor, tensor, 3, 4, 5, 6)
    first = state.describe(_plain, args, {"BLOCK": 4, "num_warps": 2, "num_stages": 3})
    swapped = state.describe(_plain, args, {"BLOCK": 4, "num_stages": 3, "num_warps": 2})
    other = state.describe(_plain, args, {"BLOCK": 4, "num_warps": 4, "num_stages": 3})
    # Triton's key spells the options in call order: so does the table's.
    assert first[0] != swapped[0] and first[0] != other[0]
    saved = knobs.runtime.debug
    try:
        knobs.runtime.debug = not saved
        debugged = state.describe(_plain, args, {"BLOCK": 4, "num_warps": 2, "num_stages": 3})
    finally:
        knobs.runtime.debug = saved
    assert debugged[0] != first[0]
    assert debugged[4]["debug"] == (not saved)


def test_unusual_arguments_are_left_to_triton() -> None:
    class Pointerish:
        def __init__(self, ptr: int) -> None:
            self.ptr = ptr
            self.dtype = torch.float32

        def data_ptr(self) -> int:
            return self.ptr

    state = registry.state_for(_plain)
    tensor = _BASE[torch.float32]
    for odd in (Pointerish(4096), [1, 2], (tensor, tensor), torch.tensor(3).numpy()):
        assert state.describe(_plain, (odd, tensor, 1, 2, 3, 4), {"BLOCK": 4}) is None
    # Missing and doubly given arguments: Triton raises, the fast path declines.
    assert state.describe(_plain, (tensor,), {"BLOCK": 4}) is None
    assert state.describe(_plain, (tensor,) * 6, {"a": tensor, "BLOCK": 4}) is None
