"""Memory access: masked loads/stores, cache and eviction hints, block pointers,
tensor descriptors, and compiler hints (multiple_of, max_contiguous, assume, ...)."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("memory")


@triton.jit
def masked_copy_other(src, dst, n, BLOCK: tl.constexpr):
    """Masked load with an ``other`` fill value, masked store."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(src + offs, mask=mask, other=-1.5)
    tl.store(dst + offs, x + 1.0, mask=mask)


@triton.jit
def load_cache_modifiers(a, b, c, out, n, BLOCK: tl.constexpr):
    """Loads with each cache modifier ``.ca``, ``.cg`` and ``.cv``."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(a + offs, mask=mask, cache_modifier=".ca")
    y = tl.load(b + offs, mask=mask, cache_modifier=".cg")
    z = tl.load(c + offs, mask=mask, cache_modifier=".cv")
    tl.store(out + offs, x * y + z, mask=mask)


@triton.jit
def store_cache_modifiers(src, o1, o2, o3, o4, n, BLOCK: tl.constexpr):
    """Stores with each cache modifier ``.wb``, ``.cg``, ``.cs`` and ``.wt``."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(src + offs, mask=mask)
    tl.store(o1 + offs, x, mask=mask, cache_modifier=".wb")
    tl.store(o2 + offs, x + 1, mask=mask, cache_modifier=".cg")
    tl.store(o3 + offs, x + 2, mask=mask, cache_modifier=".cs")
    tl.store(o4 + offs, x + 3, mask=mask, cache_modifier=".wt")


@triton.jit
def eviction_policies(a, b, out, n, BLOCK: tl.constexpr):
    """``evict_first`` / ``evict_last`` on loads and a store."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    streamed = tl.load(a + offs, mask=mask, other=0.0, eviction_policy="evict_first")
    reused = tl.load(b + offs, mask=mask, other=0.0, eviction_policy="evict_last")
    tl.store(out + offs, streamed - reused, mask=mask, eviction_policy="evict_first")


@triton.jit
def volatile_load(flag, data, out, BLOCK: tl.constexpr):
    """A volatile scalar load followed by a volatile tensor load."""
    ready = tl.load(flag, volatile=True)
    offs = tl.arange(0, BLOCK)
    vals = tl.load(data + offs, volatile=True)
    tl.store(out + offs, vals * ready)


@triton.jit
def scalar_load_store(src, dst, index):
    """Scalar (rank-0) pointer arithmetic, load and store."""
    v = tl.load(src + index)
    tl.store(dst + index, v * 3)


@triton.jit
def strided_2d_copy(src, dst, M, N, stride_sm, stride_dm, BM: tl.constexpr, BN: tl.constexpr):
    """2-D tile copy with row strides and a 2-D mask built by broadcasting."""
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    tile = tl.load(src + rm[:, None] * stride_sm + rn[None, :], mask=mask, other=0)
    tl.store(dst + rm[:, None] * stride_dm + rn[None, :], tile, mask=mask)


@triton.jit
def indirect_gather_load(table, idx, out, n, BLOCK: tl.constexpr):
    """Load indices, then load through them (data-dependent addresses)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    rows = tl.load(idx + offs, mask=mask, other=0)
    vals = tl.load(table + rows, mask=mask)
    tl.store(out + offs, vals, mask=mask)


@triton.jit
def block_ptr_copy_zero_pad(src, dst, M, N, stride_m, BM: tl.constexpr, BN: tl.constexpr):
    """``make_block_ptr`` with boundary_check on both dims and zero padding."""
    pm = tl.program_id(0) * BM
    pn = tl.program_id(1) * BN
    src_blk = tl.make_block_ptr(src, (M, N), (stride_m, 1), (pm, pn), (BM, BN), (1, 0))
    dst_blk = tl.make_block_ptr(dst, (M, N), (stride_m, 1), (pm, pn), (BM, BN), (1, 0))
    tile = tl.load(src_blk, boundary_check=(0, 1), padding_option="zero")
    tl.store(dst_blk, tile * 2, boundary_check=(0, 1))


@triton.jit
def block_ptr_advance_nan_pad(src, out, M, K, stride_m, BM: tl.constexpr, BK: tl.constexpr):
    """Walk a row block along K with ``tl.advance``; NaN padding on the K edge."""
    pm = tl.program_id(0) * BM
    blk = tl.make_block_ptr(src, (M, K), (stride_m, 1), (pm, 0), (BM, BK), (1, 0))
    acc = tl.zeros((BM, BK), dtype=tl.float32)
    for _ in range(tl.cdiv(K, BK)):
        tile = tl.load(blk, boundary_check=(1,), padding_option="nan")
        acc = tl.maximum(acc, tile, propagate_nan=tl.PropagateNan.ALL)
        blk = tl.advance(blk, (0, BK))
    rows = pm + tl.arange(0, BM)
    tl.store(out + rows, tl.max(acc, axis=1), mask=rows < M)


@triton.jit
def block_ptr_column_major(src, dst, M, N, stride_n, BM: tl.constexpr, BN: tl.constexpr):
    """Block pointer over a column-major matrix (order=(0, 1)), stored transposed."""
    pm = tl.program_id(0) * BM
    pn = tl.program_id(1) * BN
    a = tl.make_block_ptr(src, (M, N), (1, stride_n), (pm, pn), (BM, BN), (0, 1))
    b = tl.make_block_ptr(dst, (N, M), (M, 1), (pn, pm), (BN, BM), (1, 0))
    tile = tl.load(a, boundary_check=(0,))
    tl.store(b, tl.trans(tile), boundary_check=(1,))


@triton.jit
def block_ptr_1d_advance(src, dst, n, BLOCK: tl.constexpr, STEPS: tl.constexpr):
    """A 1-D block pointer advanced in a static loop, with a store block pointer."""
    inp = tl.make_block_ptr(src, (n,), (1,), (0,), (BLOCK,), (0,))
    outp = tl.make_block_ptr(dst, (n,), (1,), (0,), (BLOCK,), (0,))
    for _ in tl.static_range(STEPS):
        x = tl.load(inp, boundary_check=(0,))
        tl.store(outp, x + 1, boundary_check=(0,))
        inp = tl.advance(inp, (BLOCK,))
        outp = tl.advance(outp, (BLOCK,))


@triton.jit
def tensor_descriptor_device(src, dst, M, N, BM: tl.constexpr, BN: tl.constexpr):
    """Device-side ``tl.make_tensor_descriptor`` with descriptor load/store."""
    src_desc = tl.make_tensor_descriptor(src, shape=[M, N], strides=[N, 1], block_shape=[BM, BN])
    dst_desc = tl.make_tensor_descriptor(dst, shape=[M, N], strides=[N, 1], block_shape=[BM, BN])
    om = tl.program_id(0) * BM
    on = tl.program_id(1) * BN
    tile = src_desc.load([om, on])
    dst_desc.store([om, on], tile * 2)


@triton.jit
def tensor_descriptor_nan_pad(src, out, M, K, BM: tl.constexpr, BK: tl.constexpr):
    """A descriptor with ``padding_option="nan"`` read in a K loop."""
    desc = tl.make_tensor_descriptor(
        src, shape=[M, K], strides=[K, 1], block_shape=[BM, BK], padding_option="nan"
    )
    om = tl.program_id(0) * BM
    acc = tl.zeros((BM,), dtype=tl.float32)
    for k in range(0, K, BK):
        acc += tl.sum(desc.load([om, k]), axis=1)
    rows = om + tl.arange(0, BM)
    tl.store(out + rows, acc, mask=rows < M)


@triton.jit
def tensor_descriptor_host(in_desc, out_desc, BM: tl.constexpr, BN: tl.constexpr):
    """Host-built descriptors passed as ``tensordesc`` arguments."""
    om = tl.program_id(0) * BM
    on = tl.program_id(1) * BN
    tile = tl.load_tensor_descriptor(in_desc, [om, on])
    tl.store_tensor_descriptor(out_desc, [om, on], tile + 1.0)


@triton.jit
def tensor_descriptor_atomics(acc, flags, vals, bits, M, N, BM: tl.constexpr, BN: tl.constexpr):
    """Descriptor atomics (TMA reductions): add/min/max on fp32/i32, and/or/xor on i32."""
    acc_desc = tl.make_tensor_descriptor(acc, shape=[M, N], strides=[N, 1], block_shape=[BM, BN])
    flag_desc = tl.make_tensor_descriptor(flags, shape=[M, N], strides=[N, 1], block_shape=[BM, BN])
    om = tl.program_id(0) * BM
    on = tl.program_id(1) * BN
    tile = (om + tl.arange(0, BM))[:, None] * N + (on + tl.arange(0, BN))[None, :]
    v = tl.load(vals + tile)
    b = tl.load(bits + tile)
    acc_desc.atomic_add([om, on], v)
    flag_desc.atomic_min([om, on], b)
    flag_desc.atomic_max([om, on], b + 1)
    flag_desc.atomic_and([om, on], b)
    flag_desc.atomic_or([om, on], b)
    flag_desc.atomic_xor([om, on], b)


@triton.jit
def contiguity_hints(src, dst, n, BLOCK: tl.constexpr):
    """``tl.multiple_of`` and ``tl.max_contiguous`` on offsets."""
    start = tl.multiple_of(tl.program_id(0) * BLOCK, BLOCK)
    offs = tl.max_contiguous(tl.multiple_of(start + tl.arange(0, BLOCK), 16), 16)
    mask = offs < n
    tl.store(dst + offs, tl.load(src + offs, mask=mask) * 0.5, mask=mask)


@triton.jit
def constancy_hint(src, dst, BLOCK: tl.constexpr, GROUP: tl.constexpr):
    """``tl.max_constancy`` on a tensor of repeated row indices."""
    offs = tl.arange(0, BLOCK)
    rows = tl.max_constancy(offs // GROUP, GROUP)
    scale = tl.load(src + rows)
    tl.store(dst + offs, scale)


@triton.jit
def assume_hints(src, dst, n, stride, BLOCK: tl.constexpr):
    """``tl.assume`` on scalar arguments used in address arithmetic."""
    tl.assume(n > 0)
    tl.assume(stride > 0)
    tl.assume(stride % 8 == 0)
    pid = tl.program_id(0)
    tl.assume(pid >= 0)
    offs = tl.arange(0, BLOCK)
    row = tl.load(src + pid * stride + offs, mask=offs < n)
    tl.store(dst + pid * stride + offs, row, mask=offs < n)


@triton.jit
def masked_2d_int8_other(src, dst, M, N, BM: tl.constexpr, BN: tl.constexpr):
    """int8 tile load with a 2-D mask and an integer ``other``."""
    rm = tl.arange(0, BM)[:, None]
    rn = tl.arange(0, BN)[None, :]
    mask = (rm < M) & (rn < N)
    x = tl.load(src + rm * N + rn, mask=mask, other=7)
    tl.store(dst + rm * N + rn, x, mask=mask)


CASES.add(masked_copy_other, {"src": "*fp32", "dst": "*fp32", "n": "i32"}, {"BLOCK": 128})
CASES.add(
    masked_copy_other,
    {"src": "*fp16", "dst": "*fp16", "n": "i32"},
    {"BLOCK": 256},
    name="masked_copy_other_fp16",
)
CASES.add(
    load_cache_modifiers,
    {"a": "*fp32", "b": "*fp32", "c": "*fp32", "out": "*fp32", "n": "i32"},
    {"BLOCK": 128},
)
CASES.add(
    store_cache_modifiers,
    {"src": "*i32", "o1": "*i32", "o2": "*i32", "o3": "*i32", "o4": "*i32", "n": "i32"},
    {"BLOCK": 64},
)
CASES.add(
    eviction_policies,
    {"a": "*bf16", "b": "*bf16", "out": "*bf16", "n": "i32"},
    {"BLOCK": 128},
)
CASES.add(
    volatile_load,
    {"flag": "*i32", "data": "*i32", "out": "*i32"},
    {"BLOCK": 32},
    num_warps=1,
)
CASES.add(scalar_load_store, {"src": "*i64", "dst": "*i64", "index": "i32"})
CASES.add(
    strided_2d_copy,
    {
        "src": "*fp16",
        "dst": "*fp16",
        "M": "i32",
        "N": "i32",
        "stride_sm": "i64",
        "stride_dm": "i32",
    },
    {"BM": 32, "BN": 64},
)
CASES.add(
    indirect_gather_load,
    {"table": "*fp32", "idx": "*i64", "out": "*fp32", "n": "i32"},
    {"BLOCK": 128},
)
# A ``**fp32`` (pointer-to-pointer) argument cannot be loaded through on sm90 in Triton 3.6:
# TritonGPUCoalesce asserts computing the bit width of a pointer element type. casts.py
# covers pointer tables by loading ``i64`` addresses and converting them with ``.to(pointer)``.
CASES.add(
    block_ptr_copy_zero_pad,
    {"src": "*fp16", "dst": "*fp16", "M": "i32", "N": "i32", "stride_m": "i32"},
    {"BM": 64, "BN": 64},
)
CASES.add(
    block_ptr_advance_nan_pad,
    {"src": "*fp32", "out": "*fp32", "M": "i32", "K": "i32", "stride_m": "i64"},
    {"BM": 32, "BK": 32},
)
CASES.add(
    block_ptr_column_major,
    {"src": "*fp32", "dst": "*fp32", "M": "i32", "N": "i32", "stride_n": "i32"},
    {"BM": 32, "BN": 16},
)
CASES.add(
    block_ptr_1d_advance,
    {"src": "*i16", "dst": "*i16", "n": "i32"},
    {"BLOCK": 128, "STEPS": 3},
)
CASES.add(
    tensor_descriptor_device,
    {"src": "*fp16", "dst": "*fp16", "M": "i32", "N": "i32"},
    {"BM": 64, "BN": 64},
)
CASES.add(
    tensor_descriptor_nan_pad,
    {"src": "*fp32", "out": "*fp32", "M": "i32", "K": "i32"},
    {"BM": 32, "BK": 32},
)
CASES.add(
    tensor_descriptor_host,
    {"in_desc": "tensordesc<fp32[32, 32]>", "out_desc": "tensordesc<fp32[32, 32]>"},
    {"BM": 32, "BN": 32},
)
CASES.add(
    tensor_descriptor_atomics,
    "*fp32 *i32 *fp32 *i32 i32 i32",
    {"BM": 32, "BN": 32},
)
# Descriptor row gather/scatter (``desc.gather`` / ``desc.scatter``, tt.descriptor_gather and
# tt.descriptor_scatter) reach TTIR, but ptxas rejects the TMA ``.tile::gather4`` /
# ``.tile::scatter4`` forms for sm_90a (they need sm_100), so they are not in the corpus.
CASES.add(contiguity_hints, {"src": "*fp32", "dst": "*fp32", "n": "i32"}, {"BLOCK": 256})
CASES.add(constancy_hint, {"src": "*fp32", "dst": "*fp32"}, {"BLOCK": 128, "GROUP": 8})
CASES.add(
    assume_hints,
    {"src": "*fp32", "dst": "*fp32", "n": "i32", "stride": "i32"},
    {"BLOCK": 64},
)
CASES.add(
    masked_2d_int8_other,
    {"src": "*i8", "dst": "*i8", "M": "i32", "N": "i32"},
    {"BM": 16, "BN": 32},
)
