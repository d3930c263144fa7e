"""Whole kernels in the shape of real workloads: softmax, layer/RMS norm (fwd and bwd),
flash attention, cross entropy, rotary embedding, dropout, GEMM epilogues and tile swizzles."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("realistic")


@triton.jit
def _gelu_erf(x):
    return 0.5 * x * (1.0 + tl.erf(x * 0.7071067811865476))


@triton.jit
def _grouped_tile(pid, num_m, num_n, GROUP_M: tl.constexpr):
    # walk tiles in column bands of GROUP_M rows so neighbouring programs share B tiles
    per_group = GROUP_M * num_n
    group = pid // per_group
    first_m = group * GROUP_M
    rows_in_group = tl.minimum(num_m - first_m, GROUP_M)
    local = pid % per_group
    return first_m + local % rows_in_group, local // rows_in_group


@triton.jit
def fused_softmax_rows(x_ptr, y_ptr, n_rows, n_cols, x_stride, y_stride, BLOCK: tl.constexpr):
    """Row softmax; each program strides over rows with a pipelined ``tl.range``."""
    cols = tl.arange(0, BLOCK)
    col_mask = cols < n_cols
    for row in tl.range(tl.program_id(0), n_rows, tl.num_programs(0), num_stages=2):
        x = tl.load(x_ptr + row * x_stride + cols, mask=col_mask, other=-float("inf")).to(
            tl.float32
        )
        shifted = x - tl.max(x, axis=0)
        e = tl.exp(shifted)
        y = e / tl.sum(e, axis=0)
        tl.store(y_ptr + row * y_stride + cols, y.to(y_ptr.dtype.element_ty), mask=col_mask)


@triton.jit
def layer_norm_fwd(
    x_ptr, w_ptr, b_ptr, y_ptr, mean_ptr, rstd_ptr, stride, N, eps, BLOCK: tl.constexpr
):
    """LayerNorm forward over rows longer than one block (two passes over the row)."""
    row = tl.program_id(0)
    x_row = x_ptr + row * stride
    y_row = y_ptr + row * stride
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for start in range(0, N, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        acc += tl.load(x_row + cols, mask=cols < N, other=0.0).to(tl.float32)
    mean = tl.sum(acc, axis=0) / N
    sq = tl.zeros((BLOCK,), dtype=tl.float32)
    for start in range(0, N, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        d = tl.where(
            cols < N,
            tl.load(x_row + cols, mask=cols < N, other=0.0).to(tl.float32) - mean,
            0.0,
        )
        sq += d * d
    rstd = 1.0 / tl.sqrt(tl.sum(sq, axis=0) / N + eps)
    tl.store(mean_ptr + row, mean)
    tl.store(rstd_ptr + row, rstd)
    for start in range(0, N, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        mask = cols < N
        x = tl.load(x_row + cols, mask=mask, other=0.0).to(tl.float32)
        w = tl.load(w_ptr + cols, mask=mask)
        b = tl.load(b_ptr + cols, mask=mask)
        tl.store(
            y_row + cols,
            ((x - mean) * rstd * w + b).to(y_ptr.dtype.element_ty),
            mask=mask,
        )


@triton.jit
def layer_norm_bwd_dx(
    dy_ptr,
    x_ptr,
    w_ptr,
    mean_ptr,
    rstd_ptr,
    dx_ptr,
    dw_part,
    db_part,
    locks,
    stride,
    N,
    BLOCK: tl.constexpr,
    LOCK_GROUPS: tl.constexpr,
):
    """LayerNorm backward: dx per row; dw/db partials merged under a per-group spin lock."""
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
    dy = tl.load(dy_ptr + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
    w = tl.load(w_ptr + cols, mask=mask).to(tl.float32)
    mean = tl.load(mean_ptr + row)
    rstd = tl.load(rstd_ptr + row)
    xhat = tl.where(mask, (x - mean) * rstd, 0.0)
    wdy = tl.where(mask, w * dy, 0.0)
    c1 = tl.sum(xhat * wdy, axis=0) / N
    c2 = tl.sum(wdy, axis=0) / N
    tl.store(
        dx_ptr + row * stride + cols,
        ((wdy - (xhat * c1 + c2)) * rstd).to(dx_ptr.dtype.element_ty),
        mask=mask,
    )
    group = row % LOCK_GROUPS
    lock = locks + group
    count = locks + LOCK_GROUPS + group
    while tl.atomic_cas(lock, 0, 1) == 1:
        pass
    seen = tl.load(count)
    part_dw = dy * xhat
    part_db = dy
    if seen == 0:
        tl.atomic_xchg(count, 1)
    else:
        part_dw += tl.load(dw_part + group * N + cols, mask=mask)
        part_db += tl.load(db_part + group * N + cols, mask=mask)
    tl.store(dw_part + group * N + cols, part_dw, mask=mask)
    tl.store(db_part + group * N + cols, part_db, mask=mask)
    tl.debug_barrier()
    tl.atomic_xchg(lock, 0)


@triton.jit
def layer_norm_bwd_dwdb(dw_part, db_part, dw, db, groups, N, BG: tl.constexpr, BN: tl.constexpr):
    """Reduce the per-group dw/db partials into final gradients (2-D tiles, column sums)."""
    cols = tl.program_id(0) * BN + tl.arange(0, BN)
    acc_w = tl.zeros((BG, BN), dtype=tl.float32)
    acc_b = tl.zeros((BG, BN), dtype=tl.float32)
    for g in range(0, groups, BG):
        rows = g + tl.arange(0, BG)
        mask = (rows[:, None] < groups) & (cols[None, :] < N)
        offs = rows[:, None] * N + cols[None, :]
        acc_w += tl.load(dw_part + offs, mask=mask, other=0.0)
        acc_b += tl.load(db_part + offs, mask=mask, other=0.0)
    tl.store(dw + cols, tl.sum(acc_w, axis=0).to(dw.dtype.element_ty), mask=cols < N)
    tl.store(db + cols, tl.sum(acc_b, axis=0).to(db.dtype.element_ty), mask=cols < N)


@triton.jit
def rms_norm_fwd(x_ptr, w_ptr, y_ptr, inv_rms_ptr, stride, N, eps, BLOCK: tl.constexpr):
    """RMSNorm forward on a whole row held in one block."""
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
    inv_rms = tl.rsqrt(tl.sum(x * x, axis=0) / N + eps)
    tl.store(inv_rms_ptr + row, inv_rms)
    w = tl.load(w_ptr + cols, mask=mask, other=0.0).to(tl.float32)
    tl.store(
        y_ptr + row * stride + cols,
        (x * inv_rms * w).to(y_ptr.dtype.element_ty),
        mask=mask,
    )


@triton.jit
def flash_attention_fwd(
    q_ptr,
    k_ptr,
    v_ptr,
    o_ptr,
    lse_ptr,
    seq_len,
    sm_scale,
    stride_h,
    stride_s,
    BLOCK_M: tl.constexpr,
    BLOCK_N: tl.constexpr,
    HEAD_DIM: tl.constexpr,
    CAUSAL: tl.constexpr,
):
    """Flash-attention forward: online softmax in base 2, optional causal mask, fp16 I/O."""
    start_m = tl.program_id(0) * BLOCK_M
    head = tl.program_id(1).to(tl.int64)
    offs_m = start_m + tl.arange(0, BLOCK_M)
    offs_d = tl.arange(0, HEAD_DIM)
    base = head * stride_h
    q = tl.load(
        q_ptr + base + offs_m[:, None] * stride_s + offs_d[None, :],
        mask=offs_m[:, None] < seq_len,
    )
    m_i = tl.full((BLOCK_M,), -float("inf"), tl.float32)
    l_i = tl.zeros((BLOCK_M,), dtype=tl.float32)
    acc = tl.zeros((BLOCK_M, HEAD_DIM), dtype=tl.float32)
    qk_scale = sm_scale * 1.4426950408889634
    end_n = tl.minimum(start_m + BLOCK_M, seq_len) if CAUSAL else seq_len
    for start_n in range(0, end_n, BLOCK_N):
        offs_n = start_n + tl.arange(0, BLOCK_N)
        kv_mask = offs_n[:, None] < seq_len
        k = tl.load(
            k_ptr + base + offs_n[:, None] * stride_s + offs_d[None, :],
            mask=kv_mask,
            other=0.0,
        )
        v = tl.load(
            v_ptr + base + offs_n[:, None] * stride_s + offs_d[None, :],
            mask=kv_mask,
            other=0.0,
        )
        s = tl.dot(q, tl.trans(k)) * qk_scale
        valid = offs_n[None, :] < seq_len
        if CAUSAL:
            valid = valid & (offs_m[:, None] >= offs_n[None, :])
        s = tl.where(valid, s, -float("inf"))
        m_new = tl.maximum(m_i, tl.max(s, axis=1))
        p = tl.exp2(s - m_new[:, None])
        alpha = tl.exp2(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, axis=1)
        acc = tl.dot(p.to(tl.float16), v, acc * alpha[:, None])
        m_i = m_new
    out = acc / l_i[:, None]
    tl.store(lse_ptr + head * seq_len + offs_m, m_i + tl.log2(l_i), mask=offs_m < seq_len)
    tl.store(
        o_ptr + base + offs_m[:, None] * stride_s + offs_d[None, :],
        out.to(tl.float16),
        mask=offs_m[:, None] < seq_len,
    )


@triton.jit
def cross_entropy_fwd_bwd(
    logits_ptr,
    labels_ptr,
    loss_ptr,
    grad_ptr,
    stride,
    V,
    ignore_index,
    BLOCK: tl.constexpr,
):
    """Cross entropy with an online logsumexp over the vocabulary and an in-place gradient."""
    row = tl.program_id(0).to(tl.int64)
    label = tl.load(labels_ptr + row)
    row_ptr = logits_ptr + row * stride
    m = -float("inf")
    denom = 0.0
    for start in range(0, V, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        x = tl.load(row_ptr + cols, mask=cols < V, other=-float("inf")).to(tl.float32)
        m_new = tl.maximum(m, tl.max(x, axis=0))
        denom = denom * tl.exp(m - m_new) + tl.sum(tl.exp(x - m_new), axis=0)
        m = m_new
    lse = m + tl.log(denom)
    if label == ignore_index:
        tl.store(loss_ptr + row, 0.0)
    else:
        target = tl.load(row_ptr + label).to(tl.float32)
        tl.store(loss_ptr + row, lse - target)
    for start in range(0, V, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        x = tl.load(row_ptr + cols, mask=cols < V, other=0.0).to(tl.float32)
        g = tl.exp(x - lse) - (cols == label).to(tl.float32)
        g = tl.where(label == ignore_index, 0.0, g)
        tl.store(
            grad_ptr + row * stride + cols,
            g.to(grad_ptr.dtype.element_ty),
            mask=cols < V,
        )


@triton.jit
def rotary_embedding(
    x_ptr,
    cos_ptr,
    sin_ptr,
    out_ptr,
    seq_len,
    stride_tok,
    HALF: tl.constexpr,
    BT: tl.constexpr,
):
    """Rotary position embedding on (tokens, head_dim) tiles, rotating the two halves."""
    tok = tl.program_id(0) * BT + tl.arange(0, BT)
    head = tl.program_id(1)
    d = tl.arange(0, HALF)
    mask = tok[:, None] < seq_len
    base = x_ptr + head * seq_len * stride_tok + tok[:, None] * stride_tok
    x1 = tl.load(base + d[None, :], mask=mask, other=0.0).to(tl.float32)
    x2 = tl.load(base + HALF + d[None, :], mask=mask, other=0.0).to(tl.float32)
    c = tl.load(cos_ptr + tok[:, None] * HALF + d[None, :], mask=mask, other=1.0)
    s = tl.load(sin_ptr + tok[:, None] * HALF + d[None, :], mask=mask, other=0.0)
    rotated = tl.join(x1 * c - x2 * s, x2 * c + x1 * s)  # (BT, HALF, 2)
    out = tl.reshape(tl.permute(rotated, (0, 2, 1)), (BT, 2 * HALF))
    obase = out_ptr + head * seq_len * stride_tok + tok[:, None] * stride_tok
    tl.store(
        obase + tl.arange(0, 2 * HALF)[None, :],
        out.to(out_ptr.dtype.element_ty),
        mask=mask,
    )


@triton.jit
def dropout_seeded(x_ptr, y_ptr, keep_ptr, n, p, seed, BLOCK: tl.constexpr):
    """Dropout with a Philox-derived keep mask, rescaling survivors by 1/(1-p)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    keep = tl.rand(seed, offs) > p
    tl.store(keep_ptr + offs, keep.to(tl.int8), mask=mask)
    tl.store(y_ptr + offs, tl.where(keep, x / (1 - p), 0.0), mask=mask)


@triton.jit
def matmul_bias_act(
    a,
    b,
    bias,
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
    GROUP_M: tl.constexpr,
    ACT: tl.constexpr,
):
    """GEMM with grouped tile order and a fused bias + activation epilogue."""
    pid_m, pid_n = _grouped_tile(tl.program_id(0), tl.cdiv(M, BM), tl.cdiv(N, BN), GROUP_M)
    rm = pid_m * BM + tl.arange(0, BM)
    rn = pid_n * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    a_ptrs = a + (rm % M)[:, None] * stride_am + rk[None, :]
    b_ptrs = b + rk[:, None] * stride_bk + (rn % N)[None, :]
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in tl.range(0, tl.cdiv(K, BK), num_stages=3):
        x = tl.load(a_ptrs, mask=rk[None, :] < K - k * BK, other=0.0)
        y = tl.load(b_ptrs, mask=rk[:, None] < K - k * BK, other=0.0)
        acc = tl.dot(x, y, acc)
        a_ptrs += BK
        b_ptrs += BK * stride_bk
    acc += tl.load(bias + rn, mask=rn < N, other=0.0).to(tl.float32)[None, :]
    if ACT == "gelu":
        acc = _gelu_erf(acc)
    elif ACT == "leaky_relu":
        acc = tl.where(acc >= 0, acc, 0.01 * acc)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    tl.store(c + rm[:, None] * stride_cm + rn[None, :], acc.to(c.dtype.element_ty), mask=mask)


@triton.jit
def matmul_swizzle2d_persistent(
    a,
    b,
    c,
    M,
    N,
    K,
    BM: tl.constexpr,
    BN: tl.constexpr,
    BK: tl.constexpr,
    GROUP_M: tl.constexpr,
):
    """Persistent GEMM: programs loop over tiles, remapped with ``tl.swizzle2d``."""
    num_m = tl.cdiv(M, BM)
    num_n = tl.cdiv(N, BN)
    for tile in tl.range(tl.program_id(0), num_m * num_n, tl.num_programs(0), flatten=True):
        pid_m, pid_n = tl.swizzle2d(tile // num_n, tile % num_n, num_m, num_n, GROUP_M)
        rm = pid_m * BM + tl.arange(0, BM)
        rn = pid_n * BN + tl.arange(0, BN)
        acc = tl.zeros((BM, BN), dtype=tl.float32)
        for k in range(0, K, BK):
            rk = k + tl.arange(0, BK)
            x = tl.load(
                a + rm[:, None] * K + rk[None, :],
                mask=(rm[:, None] < M) & (rk[None, :] < K),
                other=0.0,
            )
            y = tl.load(
                b + rk[:, None] * N + rn[None, :],
                mask=(rk[:, None] < K) & (rn[None, :] < N),
                other=0.0,
            )
            acc = tl.dot(x, y, acc)
        tl.store(
            c + rm[:, None] * N + rn[None, :],
            acc.to(tl.bfloat16),
            mask=(rm[:, None] < M) & (rn[None, :] < N),
        )


@triton.jit
def swiglu_fwd(gate_ptr, up_ptr, out_ptr, n, BLOCK: tl.constexpr):
    """SwiGLU: silu(gate) * up, computed in fp32 on bf16 data."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    g = tl.load(gate_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    u = tl.load(up_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    tl.store(out_ptr + offs, (g * tl.sigmoid(g) * u).to(tl.bfloat16), mask=mask)


@triton.jit
def quantize_rowwise_fp8(x_ptr, q_ptr, scale_ptr, N, stride, BLOCK: tl.constexpr):
    """Per-row absmax scaling to fp8 e4m3 (448 = largest finite e4m3 value)."""
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * stride + cols, mask=mask, other=0.0).to(tl.float32)
    scale = tl.maximum(tl.max(tl.abs(x), axis=0), 1e-12) / 448.0
    tl.store(scale_ptr + row, scale)
    q = tl.clamp(x / scale, -448.0, 448.0).to(tl.float8e4nv)
    tl.store(q_ptr + row * stride + cols, q, mask=mask)


# Runtime argument types are listed in parameter order.
CASES.add(fused_softmax_rows, "*fp16 *fp16 i32 i32 i32 i32", {"BLOCK": 256}, num_warps=4)
CASES.add(layer_norm_fwd, "*fp16 *fp32 *fp32 *fp16 *fp32 *fp32 i32 i32 fp32", {"BLOCK": 256})
CASES.add(
    layer_norm_bwd_dx,
    "*fp16 *fp16 *fp16 *fp32 *fp32 *fp16 *fp32 *fp32 *i32 i32 i32",
    {"BLOCK": 128, "LOCK_GROUPS": 16},
)
CASES.add(layer_norm_bwd_dwdb, "*fp32 *fp32 *fp16 *fp16 i32 i32", {"BG": 32, "BN": 64})
CASES.add(rms_norm_fwd, "*bf16 *bf16 *bf16 *fp32 i32 i32 fp32", {"BLOCK": 256})
_ATTN = "*fp16 *fp16 *fp16 *fp16 *fp32 i32 fp32 i32 i32"
CASES.add(
    flash_attention_fwd,
    _ATTN,
    {"BLOCK_M": 64, "BLOCK_N": 32, "HEAD_DIM": 64, "CAUSAL": True},
    name="flash_attention_fwd_causal",
    num_warps=4,
    num_stages=2,
)
CASES.add(
    flash_attention_fwd,
    _ATTN,
    {"BLOCK_M": 64, "BLOCK_N": 64, "HEAD_DIM": 32, "CAUSAL": False},
    num_warps=4,
    num_stages=2,
)
CASES.add(cross_entropy_fwd_bwd, "*bf16 *i64 *fp32 *bf16 i64 i32 i64", {"BLOCK": 256})
CASES.add(rotary_embedding, "*fp16 *fp32 *fp32 *fp16 i32 i32", {"HALF": 32, "BT": 16})
CASES.add(dropout_seeded, "*fp32 *fp32 *i8 i32 fp32 i32", {"BLOCK": 256})
CASES.add(
    matmul_bias_act,
    "*fp16 *fp16 *fp32 *fp16 i32 i32 i32 i32 i32 i32",
    {"BM": 64, "BN": 64, "BK": 32, "GROUP_M": 8, "ACT": "gelu"},
    name="matmul_bias_gelu",
    num_warps=4,
)
CASES.add(
    matmul_bias_act,
    "*bf16 *bf16 *bf16 *fp32 i32 i32 i32 i32 i32 i32",
    {"BM": 32, "BN": 64, "BK": 64, "GROUP_M": 4, "ACT": "leaky_relu"},
    name="matmul_bias_leaky_relu",
    num_warps=4,
)
CASES.add(
    matmul_swizzle2d_persistent,
    "*bf16 *bf16 *bf16 i32 i32 i32",
    {"BM": 64, "BN": 64, "BK": 32, "GROUP_M": 4},
    num_warps=4,
)
CASES.add(swiglu_fwd, "*bf16 *bf16 *bf16 i32", {"BLOCK": 256})
CASES.add(quantize_rowwise_fp8, "*fp16 *fp8e4nv *fp32 i32 i32", {"BLOCK": 128})
