"""Control flow and program structure: program ids, loops (range, tl.range options,
static_range, while), if/else, early return, nested and noinline helpers, static/device
asserts, device_print, map_elementwise and inline_asm_elementwise."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("control")


@triton.jit
def _square(x):
    return x * x


@triton.jit
def _poly(x, c0, c1):
    return c0 + c1 * _square(x)


@triton.jit
def _normalize(x, eps):
    norm = tl.sqrt(tl.sum(_poly(x, 0.0, 1.0), axis=0) + eps)
    return x / norm, norm


@triton.jit(noinline=True)
def _noinline_scale(x, factor):
    return x * factor + 1.0


@triton.jit(noinline=True)
def _noinline_fill(ptr, value, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(ptr + offs, tl.full((BLOCK,), value, tl.float32) + offs)


@triton.jit
def _leaky_scalar(x, slope):
    if x > 0:
        return x
    else:
        return x * slope


@triton.jit
def _sincos_scalar(x):
    return tl.sin(x), tl.cos(x)


@triton.jit
def program_ids_3d(out, SIZE: tl.constexpr):
    """``tl.program_id`` and ``tl.num_programs`` on all three axes."""
    x = tl.program_id(0)
    y = tl.program_id(axis=1)
    z = tl.program_id(2)
    nx = tl.num_programs(0)
    ny = tl.num_programs(1)
    nz = tl.num_programs(2)
    linear = (z * ny + y) * nx + x
    offs = tl.arange(0, SIZE)
    tl.store(out + linear * SIZE + offs, offs + linear * (nx + ny + nz))


@triton.jit
def for_range_accumulate(src, out, n_iters, stride, BLOCK: tl.constexpr):
    """``for i in range(...)`` with runtime bounds and a step, carrying two values."""
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    count = 0
    for i in range(0, n_iters, 2):
        acc += tl.load(src + i * stride + offs)
        count += 1
    tl.store(out + offs, acc / count)


@triton.jit
def for_range_reverse(src, out, n, BLOCK: tl.constexpr):
    """A counting-down ``range`` with a negative step."""
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for i in range(n - 1, -1, -1):
        acc = acc * 0.5 + tl.load(src + i * BLOCK + offs)
    tl.store(out + offs, acc)


@triton.jit
def tl_range_pipelined(
    src, out, n, BLOCK: tl.constexpr, STAGES: tl.constexpr, UNROLL: tl.constexpr
):
    """``tl.range`` with ``num_stages`` and ``loop_unroll_factor``."""
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for i in tl.range(0, n, num_stages=STAGES, loop_unroll_factor=UNROLL):
        acc += tl.load(src + i * BLOCK + offs)
    tl.store(out + offs, acc)


@triton.jit
def tl_range_flatten(src, out, outer, inner, BLOCK: tl.constexpr):
    """Nested ``tl.range`` loops: ``flatten=True`` outside, ``disable_licm=True`` inside."""
    offs = tl.arange(0, BLOCK)
    for i in tl.range(0, outer, flatten=True):
        acc = tl.zeros((BLOCK,), dtype=tl.float32)
        for j in tl.range(0, inner, disable_licm=True):
            acc += tl.load(src + (i * inner + j) * BLOCK + offs)
        tl.store(out + i * BLOCK + offs, acc)


@triton.jit
def tl_range_no_acc_multi_buffer(a, b, c, K, BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr):
    """A dot loop using ``tl.range(..., disallow_acc_multi_buffer=True)``."""
    rm = tl.arange(0, BM)
    rn = tl.arange(0, BN)
    rk = tl.arange(0, BK)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in tl.range(0, K, BK, num_stages=2, disallow_acc_multi_buffer=True):
        x = tl.load(a + rm[:, None] * K + (k + rk)[None, :])
        y = tl.load(b + (k + rk)[:, None] * BN + rn[None, :])
        acc = tl.dot(x, y, acc)
    tl.store(c + rm[:, None] * BN + rn[None, :], acc)


@triton.jit
def tl_range_warp_specialize(
    a, b, c, M, N, K, BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr
):
    """A TMA-fed dot loop using ``tl.range(..., warp_specialize=True)``."""
    # On sm90, Triton 3.6 only warp-specializes loops fed by tensor descriptors: the same
    # loop over plain pointer loads asserts in WSLowerToken (processProducerCommitOp).
    a_desc = tl.make_tensor_descriptor(a, shape=[M, K], strides=[K, 1], block_shape=[BM, BK])
    b_desc = tl.make_tensor_descriptor(b, shape=[K, N], strides=[N, 1], block_shape=[BK, BN])
    om = tl.program_id(0) * BM
    on = tl.program_id(1) * BN
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in tl.range(0, K, BK, warp_specialize=True):
        acc = tl.dot(a_desc.load([om, k]), b_desc.load([k, on]), acc)
    rm = om + tl.arange(0, BM)
    rn = on + tl.arange(0, BN)
    tl.store(
        c + rm[:, None] * N + rn[None, :],
        acc,
        mask=(rm[:, None] < M) & (rn[None, :] < N),
    )


@triton.jit
def static_range_unrolled(src, out, BLOCK: tl.constexpr, TAPS: tl.constexpr):
    """``tl.static_range`` unrolled at compile time (a small FIR filter)."""
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for t in tl.static_range(TAPS):
        acc += tl.load(src + offs + t) * (1.0 / (t + 1))
    for t in tl.static_range(1, TAPS, 2):
        acc -= tl.load(src + offs + t) * 0.125
    tl.store(out + offs, acc)


@triton.jit
def while_data_dependent(src, out, limit, BLOCK: tl.constexpr):
    """A ``while`` loop whose trip count depends on loaded data."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    steps = 0
    total = tl.sum(x, axis=0)
    while total < limit:
        x = x * 2.0 + 1.0
        total = tl.sum(x, axis=0)
        steps += 1
    tl.store(out + offs, x)
    tl.store(out + BLOCK, steps.to(tl.float32))


@triton.jit
def if_else_scalars(src, out, mode, threshold, BLOCK: tl.constexpr):
    """``if``/``elif``/``else`` on runtime scalars, yielding tensors, plus a ternary."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    if mode == 0:
        y = x + threshold
    elif mode == 1:
        y = x * threshold
    else:
        y = tl.where(x > threshold, x, threshold)
    scale = 2.0 if mode > 1 else 0.5
    tl.store(out + offs, y * scale)


@triton.jit
def if_inside_loop(src, out, n, BLOCK: tl.constexpr):
    """An ``if`` on a loop-carried scalar inside a ``for`` loop."""
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for i in range(n):
        v = tl.load(src + i * BLOCK + offs)
        if i % 3 == 0:
            acc += v
        else:
            acc = tl.maximum(acc, v)
    tl.store(out + offs, acc)


@triton.jit
def early_return(src, out, n, BLOCK: tl.constexpr):
    """Programs past the end return early."""
    pid = tl.program_id(0)
    if pid * BLOCK >= n:
        return
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    tl.store(out + offs, tl.load(src + offs, mask=offs < n), mask=offs < n)


@triton.jit
def nested_helpers(src, out, norms, eps, BLOCK: tl.constexpr):
    """Three levels of inlined ``@triton.jit`` helpers returning a tuple."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + tl.program_id(0) * BLOCK + offs)
    y, norm = _normalize(x, eps)
    tl.store(out + tl.program_id(0) * BLOCK + offs, y)
    tl.store(norms + tl.program_id(0), norm)


@triton.jit
def noinline_helpers(src, out, factor, BLOCK: tl.constexpr):
    """Calls to ``noinline=True`` helpers (noinline calls only take scalar arguments)."""
    y = _noinline_scale(tl.load(src + tl.program_id(0)), factor)
    _noinline_fill(out + tl.program_id(0) * BLOCK, y, BLOCK)


@triton.jit
def static_asserts(src, out, BLOCK: tl.constexpr, VEC: tl.constexpr):
    """``tl.static_assert`` on constexpr relationships, with and without a message."""
    tl.static_assert(BLOCK % VEC == 0, "BLOCK must be a multiple of VEC")
    tl.static_assert(BLOCK <= 1024)
    offs = tl.arange(0, BLOCK)
    x = tl.reshape(tl.load(src + offs), (BLOCK // VEC, VEC))
    tl.store(out + tl.arange(0, BLOCK // VEC), tl.sum(x, axis=1))


@triton.jit
def device_assert_and_print(src, out, n, BLOCK: tl.constexpr):
    """``tl.device_assert`` (with a mask) and ``tl.device_print`` (scalar and tensor)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(src + offs, mask=mask, other=0)
    tl.device_assert(x >= 0, "negative input", mask=mask)
    tl.device_assert(n > 0)
    tl.device_print("pid", tl.program_id(0))
    tl.device_print("vals ", x, hex=True)
    tl.store(out + offs, x + 1, mask=mask)


@triton.jit
def map_elementwise_branchy(src, o1, o2, o3, slope, BLOCK: tl.constexpr):
    """``tl.map_elementwise`` with a branching scalar function and a two-result function."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    tl.store(o1 + offs, tl.map_elementwise(_leaky_scalar, x, slope))
    s, c = tl.map_elementwise(_sincos_scalar, x)
    tl.store(o2 + offs, s)
    tl.store(o3 + offs, c)


@triton.jit
def inline_asm_ops(a, b, o_add, o_bytes, BLOCK: tl.constexpr):
    """``tl.inline_asm_elementwise``: a 2-input op and a packed (pack=4) byte op."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    s = tl.inline_asm_elementwise(
        "add.s32 $0, $1, $2;", "=r,r,r", [x, y], dtype=tl.int32, is_pure=True, pack=1
    )
    tl.store(o_add + offs, s)
    raw = x.to(tl.uint8)
    widened = tl.inline_asm_elementwise(
        """
        bfe.u32 $0, $4, 0, 8;
        bfe.u32 $1, $4, 8, 8;
        bfe.u32 $2, $4, 16, 8;
        bfe.u32 $3, $4, 24, 8;
        """,
        "=r,=r,=r,=r,r",
        [raw],
        dtype=tl.int32,
        is_pure=True,
        pack=4,
    )
    tl.store(o_bytes + offs, widened)


@triton.jit
def inline_asm_multi_output(src, o_lo, o_hi, BLOCK: tl.constexpr):
    """``tl.inline_asm_elementwise`` returning two tensors of different dtypes."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    lo, hi = tl.inline_asm_elementwise(
        "mov.b64 {$0, $1}, $2;",
        "=r,=r,l",
        [x],
        dtype=(tl.int32, tl.float32),
        is_pure=True,
        pack=1,
    )
    tl.store(o_lo + offs, lo)
    tl.store(o_hi + offs, hi)


@triton.jit
def debug_barrier_phases(buf, out, BLOCK: tl.constexpr):
    """Two phases separated by ``tl.debug_barrier``."""
    offs = tl.arange(0, BLOCK)
    tl.store(buf + offs, offs * 2)
    tl.debug_barrier()
    tl.store(out + offs, tl.load(buf + BLOCK - 1 - offs))


@triton.jit
def constexpr_branching(src, out, BLOCK: tl.constexpr, ACT: tl.constexpr, HAS_BIAS: tl.constexpr):
    """Compile-time ``if`` on constexpr flags and strings (dead branches vanish)."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    if ACT == "relu":
        x = tl.maximum(x, 0.0)
    elif ACT == "silu":
        x = x * tl.sigmoid(x)
    if HAS_BIAS:
        x += 1.0
    tl.store(out + offs, x)


CASES.add(program_ids_3d, {"out": "*i32"}, {"SIZE": 32}, num_warps=1)
CASES.add(
    for_range_accumulate,
    {"src": "*fp32", "out": "*fp32", "n_iters": "i32", "stride": "i32"},
    {"BLOCK": 128},
)
CASES.add(for_range_reverse, {"src": "*fp32", "out": "*fp32", "n": "i32"}, {"BLOCK": 64})
CASES.add(
    tl_range_pipelined,
    {"src": "*fp32", "out": "*fp32", "n": "i32"},
    {"BLOCK": 128, "STAGES": 3, "UNROLL": 2},
)
CASES.add(
    tl_range_flatten,
    {"src": "*fp16", "out": "*fp16", "outer": "i32", "inner": "i32"},
    {"BLOCK": 64},
)
CASES.add(
    tl_range_no_acc_multi_buffer,
    {"a": "*fp16", "b": "*fp16", "c": "*fp32", "K": "i32"},
    {"BM": 64, "BN": 64, "BK": 32},
    num_warps=4,
)
CASES.add(
    tl_range_warp_specialize,
    {"a": "*fp16", "b": "*fp16", "c": "*fp32", "M": "i32", "N": "i32", "K": "i32"},
    {"BM": 128, "BN": 128, "BK": 64},
    num_warps=4,
    num_stages=3,
)
CASES.add(static_range_unrolled, {"src": "*fp32", "out": "*fp32"}, {"BLOCK": 128, "TAPS": 4})
CASES.add(
    while_data_dependent,
    {"src": "*fp32", "out": "*fp32", "limit": "fp32"},
    {"BLOCK": 64},
)
CASES.add(
    if_else_scalars,
    {"src": "*fp32", "out": "*fp32", "mode": "i32", "threshold": "fp32"},
    {"BLOCK": 128},
)
CASES.add(if_inside_loop, {"src": "*fp32", "out": "*fp32", "n": "i32"}, {"BLOCK": 64})
CASES.add(early_return, {"src": "*i32", "out": "*i32", "n": "i32"}, {"BLOCK": 128})
CASES.add(
    nested_helpers,
    {"src": "*fp32", "out": "*fp32", "norms": "*fp32", "eps": "fp32"},
    {"BLOCK": 128},
)
CASES.add(noinline_helpers, {"src": "*fp32", "out": "*fp32", "factor": "fp32"}, {"BLOCK": 64})
CASES.add(static_asserts, {"src": "*fp32", "out": "*fp32"}, {"BLOCK": 128, "VEC": 4})
CASES.add(
    device_assert_and_print,
    {"src": "*i32", "out": "*i32", "n": "i32"},
    {"BLOCK": 32},
    debug=True,
    num_warps=1,
)
CASES.add(
    map_elementwise_branchy,
    {"src": "*fp32", "o1": "*fp32", "o2": "*fp32", "o3": "*fp32", "slope": "fp32"},
    {"BLOCK": 128},
)
CASES.add(
    inline_asm_ops,
    {"a": "*i32", "b": "*i32", "o_add": "*i32", "o_bytes": "*i32"},
    {"BLOCK": 128},
)
CASES.add(
    inline_asm_multi_output,
    {"src": "*i64", "o_lo": "*i32", "o_hi": "*fp32"},
    {"BLOCK": 64},
)
CASES.add(debug_barrier_phases, {"buf": "*i32", "out": "*i32"}, {"BLOCK": 128})
CASES.add(
    constexpr_branching,
    {"src": "*fp32", "out": "*fp32"},
    {"BLOCK": 64, "ACT": "silu", "HAS_BIAS": True},
)
