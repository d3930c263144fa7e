"""Matrix multiplication: tl.dot on fp32 (each input_precision), fp16, bf16, int8 and fp8
operands, batched 3-D dots, acc=/out_dtype, blocked K loops, and tl.dot_scaled."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("matrix")


@triton.jit
def _tile_offsets(R: tl.constexpr, C: tl.constexpr, stride):
    return tl.arange(0, R)[:, None] * stride + tl.arange(0, C)[None, :]


@triton.jit
def dot_single_tile(
    a, b, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr, PRECISION: tl.constexpr
):
    """One ``tl.dot`` of a full tile with a chosen ``input_precision``."""
    x = tl.load(a + _tile_offsets(M, K, K))
    y = tl.load(b + _tile_offsets(K, N, N))
    tl.store(c + _tile_offsets(M, N, N), tl.dot(x, y, input_precision=PRECISION))


@triton.jit
def dot_plain(a, b, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """``tl.dot`` with default precision; output cast to the pointer's element type."""
    x = tl.load(a + _tile_offsets(M, K, K))
    y = tl.load(b + _tile_offsets(K, N, N))
    acc = tl.dot(x, y)
    tl.store(c + _tile_offsets(M, N, N), acc.to(c.dtype.element_ty))


@triton.jit
def dot_out_dtype_fp16(a, b, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """fp16 ``tl.dot`` accumulating in fp16 via ``out_dtype``."""
    x = tl.load(a + _tile_offsets(M, K, K))
    y = tl.load(b + _tile_offsets(K, N, N))
    tl.store(c + _tile_offsets(M, N, N), tl.dot(x, y, out_dtype=tl.float16))


@triton.jit
def dot_with_acc(a, b, bias, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """``tl.dot(..., acc=)`` seeded with a loaded bias tile."""
    x = tl.load(a + _tile_offsets(M, K, K))
    y = tl.load(b + _tile_offsets(K, N, N))
    init = tl.load(bias + _tile_offsets(M, N, N))
    tl.store(c + _tile_offsets(M, N, N), tl.dot(x, y, acc=init))


@triton.jit
def dot_int8(a, b, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """int8 x int8 -> int32 ``tl.dot`` with an int32 accumulator."""
    x = tl.load(a + _tile_offsets(M, K, K))
    y = tl.load(b + _tile_offsets(K, N, N))
    acc = tl.zeros((M, N), dtype=tl.int32)
    acc = tl.dot(x, y, acc, out_dtype=tl.int32)
    tl.store(c + _tile_offsets(M, N, N), acc)


@triton.jit
def dot_fp8(a, b, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr, IMPRECISE: tl.constexpr):
    """fp8 ``tl.dot`` with ``max_num_imprecise_acc``; B is loaded K-major and transposed."""
    x = tl.load(a + _tile_offsets(M, K, K))
    yt = tl.load(b + _tile_offsets(N, K, K))
    acc = tl.dot(x, tl.trans(yt), max_num_imprecise_acc=IMPRECISE)
    tl.store(c + _tile_offsets(M, N, N), acc.to(tl.bfloat16))


@triton.jit
def dot_batched_3d(a, b, c, B: tl.constexpr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """Batched 3-D ``tl.dot`` of (B, M, K) x (B, K, N)."""
    bi = tl.arange(0, B)[:, None, None]
    a_offs = bi * M * K + tl.arange(0, M)[None, :, None] * K + tl.arange(0, K)[None, None, :]
    b_offs = bi * K * N + tl.arange(0, K)[None, :, None] * N + tl.arange(0, N)[None, None, :]
    c_offs = bi * M * N + tl.arange(0, M)[None, :, None] * N + tl.arange(0, N)[None, None, :]
    x = tl.load(a + a_offs)
    y = tl.load(b + b_offs)
    tl.store(c + c_offs, tl.dot(x, y).to(tl.float16))


@triton.jit
def matmul_k_loop(
    a,
    b,
    c,
    M,
    N,
    K,
    stride_am,
    stride_bk,
    stride_cm,
    BM: tl.constexpr,
    BN: tl.constexpr,
    BK: tl.constexpr,
):
    """Blocked matmul over a masked K loop with 2-D program ids and strides."""
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    a_ptrs = a + rm[:, None] * stride_am + rk[None, :]
    b_ptrs = b + rk[:, None] * stride_bk + rn[None, :]
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in range(tl.cdiv(K, BK)):
        k_left = K - k * BK
        x = tl.load(a_ptrs, mask=(rm[:, None] < M) & (rk[None, :] < k_left), other=0.0)
        y = tl.load(b_ptrs, mask=(rk[:, None] < k_left) & (rn[None, :] < N), other=0.0)
        acc += tl.dot(x, y)
        a_ptrs += BK
        b_ptrs += BK * stride_bk
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    tl.store(c + rm[:, None] * stride_cm + rn[None, :], acc.to(c.dtype.element_ty), mask=mask)


@triton.jit
def matmul_block_ptr(a, b, c, M, N, K, BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr):
    """Blocked bf16 matmul written with block pointers and ``tl.advance``."""
    pm = tl.program_id(0) * BM
    pn = tl.program_id(1) * BN
    a_blk = tl.make_block_ptr(a, (M, K), (K, 1), (pm, 0), (BM, BK), (1, 0))
    b_blk = tl.make_block_ptr(b, (K, N), (N, 1), (0, pn), (BK, BN), (1, 0))
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for _ in range(0, K, BK):
        acc = tl.dot(
            tl.load(a_blk, boundary_check=(0, 1)),
            tl.load(b_blk, boundary_check=(0, 1)),
            acc,
        )
        a_blk = tl.advance(a_blk, (0, BK))
        b_blk = tl.advance(b_blk, (BK, 0))
    c_blk = tl.make_block_ptr(c, (M, N), (N, 1), (pm, pn), (BM, BN), (1, 0))
    tl.store(c_blk, acc.to(tl.bfloat16), boundary_check=(0, 1))


@triton.jit
def matmul_tma_descriptors(a, b, c, M, N, K, BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr):
    """fp16 matmul through device-side tensor descriptors (TMA on sm90)."""
    a_desc = tl.make_tensor_descriptor(a, shape=[M, K], strides=[K, 1], block_shape=[BM, BK])
    b_desc = tl.make_tensor_descriptor(b, shape=[K, N], strides=[N, 1], block_shape=[BK, BN])
    c_desc = tl.make_tensor_descriptor(c, shape=[M, N], strides=[N, 1], block_shape=[BM, BN])
    om = tl.program_id(0) * BM
    on = tl.program_id(1) * BN
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in range(0, K, BK):
        acc = tl.dot(a_desc.load([om, k]), b_desc.load([k, on]), acc)
    c_desc.store([om, on], acc.to(tl.float16))


@triton.jit
def chained_dots(q, k, v, out, M: tl.constexpr, N: tl.constexpr, D: tl.constexpr):
    """Two dependent dots (``(Q K^T) V``), the second on an fp16-cast intermediate."""
    qt = tl.load(q + _tile_offsets(M, D, D))
    kt = tl.load(k + _tile_offsets(N, D, D))
    vt = tl.load(v + _tile_offsets(N, D, D))
    s = tl.dot(qt, tl.trans(kt))
    o = tl.dot(s.to(tl.float16), vt)
    tl.store(out + _tile_offsets(M, D, D), o)


@triton.jit
def dot_fp64(a, b, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """fp64 ``tl.dot`` (lowered without tensor cores to FMAs / DMMA)."""
    x = tl.load(a + _tile_offsets(M, K, K))
    y = tl.load(b + _tile_offsets(K, N, N))
    tl.store(c + _tile_offsets(M, N, N), tl.dot(x, y, out_dtype=tl.float64))


@triton.jit
def dot_scaled_mx(
    a,
    a_scale,
    b,
    b_scale,
    c,
    M: tl.constexpr,
    N: tl.constexpr,
    K: tl.constexpr,
    FMT: tl.constexpr,
):
    """``tl.dot_scaled`` with e8m0 block scales (one per 32 elements of K)."""
    x = tl.load(a + _tile_offsets(M, K, K))
    y = tl.load(b + _tile_offsets(K, N, N))
    xs = tl.load(a_scale + _tile_offsets(M, K // 32, K // 32))
    ys = tl.load(b_scale + _tile_offsets(N, K // 32, K // 32))
    acc = tl.dot_scaled(x, xs, FMT, y, ys, FMT)
    tl.store(c + _tile_offsets(M, N, N), acc)


@triton.jit
def dot_scaled_bf16_lhs_only(a, b, b_scale, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """``tl.dot_scaled`` with an unscaled bf16 lhs and a scaled fp8 rhs."""
    x = tl.load(a + _tile_offsets(M, K, K))
    y = tl.load(b + _tile_offsets(K, N, N))
    ys = tl.load(b_scale + _tile_offsets(N, K // 32, K // 32))
    tl.store(c + _tile_offsets(M, N, N), tl.dot_scaled(x, None, "bf16", y, ys, "e4m3"))


@triton.jit
def dot_scaled_mxfp4(a, a_scale, b, b_scale, c, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """``tl.dot_scaled`` on packed e2m1 (two fp4 values per byte along K) operands."""
    x = tl.load(a + _tile_offsets(M, K // 2, K // 2))
    y = tl.load(b + _tile_offsets(K // 2, N, N))
    xs = tl.load(a_scale + _tile_offsets(M, K // 32, K // 32))
    ys = tl.load(b_scale + _tile_offsets(N, K // 32, K // 32))
    acc = tl.full((M, N), 1.0, tl.float32)
    tl.store(
        c + _tile_offsets(M, N, N),
        tl.dot_scaled(x, xs, "e2m1", y, ys, "e2m1", acc=acc, fast_math=True),
    )


_TILE = {"M": 64, "N": 64, "K": 32}
for _prec in ("tf32", "ieee", "tf32x3"):
    CASES.add(
        dot_single_tile,
        {"a": "*fp32", "b": "*fp32", "c": "*fp32"},
        {**_TILE, "PRECISION": _prec},
        name=f"dot_fp32_{_prec}",
    )
CASES.add(dot_plain, {"a": "*fp16", "b": "*fp16", "c": "*fp16"}, _TILE, name="dot_fp16")
CASES.add(dot_plain, {"a": "*bf16", "b": "*bf16", "c": "*fp32"}, _TILE, name="dot_bf16")
CASES.add(
    dot_plain,
    {"a": "*fp16", "b": "*fp16", "c": "*fp32"},
    {"M": 16, "N": 16, "K": 16},
    name="dot_fp16_16x16",
)
CASES.add(dot_out_dtype_fp16, {"a": "*fp16", "b": "*fp16", "c": "*fp16"}, _TILE)
CASES.add(dot_with_acc, {"a": "*fp16", "b": "*fp16", "bias": "*fp32", "c": "*fp32"}, _TILE)
CASES.add(dot_int8, {"a": "*i8", "b": "*i8", "c": "*i32"}, {"M": 64, "N": 64, "K": 64})
CASES.add(
    dot_fp8,
    {"a": "*fp8e4nv", "b": "*fp8e4nv", "c": "*bf16"},
    {"M": 64, "N": 64, "K": 64, "IMPRECISE": 32},
    name="dot_fp8_e4m3",
)
CASES.add(
    dot_fp8,
    {"a": "*fp8e5", "b": "*fp8e5", "c": "*bf16"},
    {"M": 64, "N": 64, "K": 64, "IMPRECISE": 0},
    name="dot_fp8_e5m2",
)
CASES.add(
    dot_batched_3d,
    {"a": "*fp16", "b": "*fp16", "c": "*fp16"},
    {"B": 2, "M": 32, "N": 32, "K": 32},
)
CASES.add(
    dot_batched_3d,
    {"a": "*fp32", "b": "*fp32", "c": "*fp16"},
    {"B": 4, "M": 16, "N": 16, "K": 16},
    name="dot_batched_3d_fp32",
)
_MATMUL_TYPES = {
    "M": "i32",
    "N": "i32",
    "K": "i32",
    "stride_am": "i32",
    "stride_bk": "i32",
    "stride_cm": "i32",
}
CASES.add(
    matmul_k_loop,
    {"a": "*fp16", "b": "*fp16", "c": "*fp16", **_MATMUL_TYPES},
    {"BM": 64, "BN": 64, "BK": 32},
    num_warps=4,
    num_stages=3,
)
CASES.add(
    matmul_k_loop,
    {"a": "*fp32", "b": "*fp32", "c": "*fp32", **_MATMUL_TYPES},
    {"BM": 32, "BN": 32, "BK": 16},
    name="matmul_k_loop_fp32",
    num_warps=2,
    num_stages=2,
)
CASES.add(
    matmul_block_ptr,
    {"a": "*bf16", "b": "*bf16", "c": "*bf16", "M": "i32", "N": "i32", "K": "i32"},
    {"BM": 64, "BN": 64, "BK": 32},
    num_warps=4,
    num_stages=3,
)
CASES.add(
    matmul_tma_descriptors,
    {"a": "*fp16", "b": "*fp16", "c": "*fp16", "M": "i32", "N": "i32", "K": "i32"},
    {"BM": 64, "BN": 64, "BK": 64},
    num_warps=4,
    num_stages=3,
)
CASES.add(
    chained_dots,
    {"q": "*fp16", "k": "*fp16", "v": "*fp16", "out": "*fp32"},
    {"M": 64, "N": 32, "D": 32},
)
CASES.add(dot_fp64, {"a": "*fp64", "b": "*fp64", "c": "*fp64"}, {"M": 16, "N": 16, "K": 16})
CASES.add(
    dot_scaled_mx,
    {
        "a": "*fp8e4nv",
        "a_scale": "*u8",
        "b": "*fp8e4nv",
        "b_scale": "*u8",
        "c": "*fp32",
    },
    {"M": 64, "N": 64, "K": 64, "FMT": "e4m3"},
    name="dot_scaled_e4m3",
)
CASES.add(
    dot_scaled_mx,
    {"a": "*fp8e5", "a_scale": "*u8", "b": "*fp8e5", "b_scale": "*u8", "c": "*fp32"},
    {"M": 64, "N": 64, "K": 64, "FMT": "e5m2"},
    name="dot_scaled_e5m2",
)
CASES.add(
    dot_scaled_bf16_lhs_only,
    {"a": "*bf16", "b": "*fp8e4nv", "b_scale": "*u8", "c": "*fp32"},
    {"M": 64, "N": 64, "K": 64},
)
CASES.add(
    dot_scaled_mxfp4,
    {"a": "*u8", "a_scale": "*u8", "b": "*u8", "b_scale": "*u8", "c": "*fp32"},
    {"M": 64, "N": 64, "K": 128},
)
