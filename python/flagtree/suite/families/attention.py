"""Attention: flash-attention forward (full, causal, sliding window,
grouped-query) and single-query decoding."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
import triton
import triton.language as tl

from .._common import F16, normal
from ..registry import add, case


@triton.jit
def flash_attention_kernel(q_ptr, k_ptr, v_ptr, o_ptr, S, H, HKV, scale, WINDOW,
                           CAUSAL: tl.constexpr, D: tl.constexpr, BLOCK_M: tl.constexpr,
                           BLOCK_N: tl.constexpr):  # fmt: skip
    """Online-softmax attention of (B, H, S, D) queries over (B, HKV, S, D)
    keys and values; query head h reads key head h // (H // HKV). WINDOW > 0
    limits each query to the WINDOW keys before it (with CAUSAL)."""
    start_m = tl.program_id(0)
    bh = tl.program_id(1)
    b = bh // H
    h = bh % H
    kv_head = h // (H // HKV)
    q_base = q_ptr + (b * H + h).to(tl.int64) * S * D
    kv_base = (b * HKV + kv_head).to(tl.int64) * S * D
    rm = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rd = tl.arange(0, D)
    q = tl.load(q_base + rm[:, None] * D + rd[None, :], mask=rm[:, None] < S, other=0.0)
    m_i = tl.full((BLOCK_M,), float("-inf"), tl.float32)
    l_i = tl.zeros((BLOCK_M,), dtype=tl.float32)
    acc = tl.zeros((BLOCK_M, D), dtype=tl.float32)
    hi = S
    if CAUSAL:
        hi = tl.minimum(S, (start_m + 1) * BLOCK_M)
    for start_n in range(0, hi, BLOCK_N):
        rn = start_n + tl.arange(0, BLOCK_N)
        kv_mask = rn[:, None] < S
        k = tl.load(k_ptr + kv_base + rn[:, None] * D + rd[None, :], mask=kv_mask, other=0.0)
        v = tl.load(v_ptr + kv_base + rn[:, None] * D + rd[None, :], mask=kv_mask, other=0.0)
        s = tl.dot(q, tl.trans(k)) * scale
        keep = rn[None, :] < S
        if CAUSAL:
            keep = keep & (rn[None, :] <= rm[:, None])
            if WINDOW > 0:
                keep = keep & (rm[:, None] - rn[None, :] < WINDOW)
        s = tl.where(keep, s, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(s, axis=1))
        m_safe = tl.where(m_new == float("-inf"), 0.0, m_new)
        p = tl.exp(s - m_safe[:, None])
        alpha = tl.exp(m_i - m_safe)
        l_i = l_i * alpha + tl.sum(p, axis=1)
        acc = acc * alpha[:, None] + tl.dot(p.to(v.dtype), v)
        m_i = m_new
    out = acc / l_i[:, None]
    o_ptrs = o_ptr + (b * H + h).to(tl.int64) * S * D + rm[:, None] * D + rd[None, :]
    tl.store(o_ptrs, out.to(o_ptr.dtype.element_ty), mask=rm[:, None] < S)


@triton.jit
def decode_attention_kernel(q_ptr, k_ptr, v_ptr, o_ptr, S, H, HKV, scale, D: tl.constexpr,
                            BLOCK_N: tl.constexpr):  # fmt: skip
    """One new token per (batch, head) over a cache of S keys and values."""
    bh = tl.program_id(0)
    b = bh // H
    h = bh % H
    kv_base = (b * HKV + h // (H // HKV)).to(tl.int64) * S * D
    rd = tl.arange(0, D)
    q = tl.load(q_ptr + bh.to(tl.int64) * D + rd).to(tl.float32)
    m_i = float("-inf")
    l_i = 0.0
    acc = tl.zeros((D,), dtype=tl.float32)
    for start_n in range(0, S, BLOCK_N):
        rn = start_n + tl.arange(0, BLOCK_N)
        mask = rn[:, None] < S
        k = tl.load(k_ptr + kv_base + rn[:, None] * D + rd[None, :], mask=mask, other=0.0)
        v = tl.load(v_ptr + kv_base + rn[:, None] * D + rd[None, :], mask=mask, other=0.0)
        s = tl.sum(k.to(tl.float32) * q[None, :], axis=1) * scale
        s = tl.where(rn < S, s, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(s, axis=0))
        p = tl.exp(s - m_new)
        alpha = tl.exp(m_i - m_new)
        l_i = l_i * alpha + tl.sum(p, axis=0)
        acc = acc * alpha + tl.sum(p[:, None] * v.to(tl.float32), axis=0)
        m_i = m_new
    tl.store(o_ptr + bh.to(tl.int64) * D + rd, (acc / l_i).to(o_ptr.dtype.element_ty))


def _inputs(c, device, gen):
    batch, heads, seq, dim = c.shape
    kv_heads = c.param("kv_heads", heads)
    q = normal(c, device, gen, shape=(batch, heads, seq, dim))
    kv = (batch, kv_heads, seq, dim)
    return q, normal(c, device, gen, shape=kv), normal(c, device, gen, shape=kv)


def _flash(causal, window=0):
    def launch(k, c, q, key, v):
        batch, heads, seq, dim = q.shape
        out = torch.empty_like(q)
        block_m = 32 if seq >= 32 else 16
        grid = (triton.cdiv(seq, block_m), batch * heads)
        k.flash_attention_kernel[grid](
            q, key, v, out, seq, heads, key.shape[1], 1.0 / math.sqrt(dim), window,
            CAUSAL=causal, D=dim, BLOCK_M=block_m, BLOCK_N=block_m,
        )  # fmt: skip
        return out

    return launch


def _reference(causal, window=0):
    def reference(c, q, k, v):
        groups = q.shape[1] // k.shape[1]
        k = k.double().repeat_interleave(groups, dim=1)
        v = v.double().repeat_interleave(groups, dim=1)
        seq = q.shape[2]
        mask = None
        if causal:
            i = torch.arange(seq).to(q.device)
            mask = i[None, :] <= i[:, None]
            if window:
                mask &= i[:, None] - i[None, :] < window
        out = F.scaled_dot_product_attention(q.double(), k, v, attn_mask=mask)
        return out.to(q.dtype)

    return reference


CASES = (case((2, 2, 40, 32)), case((1, 2, 64, 64), F16))
BENCH = (case((4, 16, 1024, 64), F16), case((4, 16, 1024, 128), F16))
QUICK = (case((1, 4, 256, 64)),)
TOL = {"atol": 1e-4, "rtol": 1e-4, "half_atol": 1e-2, "half_rtol": 1e-2}


def _sdpa(causal):
    def baseline(c, q, k, v):
        return F.scaled_dot_product_attention(
            q, k, v, is_causal=causal, enable_gqa=k.shape[1] != q.shape[1]
        )

    return baseline


K = [flash_attention_kernel]


def _windowed_sdpa(window):
    def baseline(c, q, k, v):
        i = torch.arange(q.shape[2], device=q.device)
        mask = (i[None, :] <= i[:, None]) & (i[:, None] - i[None, :] < window)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)

    return baseline


add("flash_attention", "attention", K, _inputs, _flash(False), _reference(False), CASES, BENCH,
    baseline=_sdpa(False), quick_cases=QUICK, **TOL)  # fmt: skip
add("flash_attention_causal", "attention", K, _inputs, _flash(True), _reference(True), CASES,
    BENCH, baseline=_sdpa(True), quick_cases=QUICK, **TOL)  # fmt: skip
add("flash_attention_sliding_window", "attention", K, _inputs, _flash(True, 16),
    _reference(True, 16), CASES, BENCH, baseline=_windowed_sdpa(16), quick_cases=QUICK,
    **TOL)  # fmt: skip
add(
    "flash_attention_gqa", "attention", K, _inputs, _flash(True), _reference(True),
    (case((2, 4, 40, 32), kv_heads=2), case((1, 8, 64, 64), F16, kv_heads=2)),
    (case((4, 32, 1024, 128), F16, kv_heads=8),), baseline=_sdpa(True),
    quick_cases=(case((1, 8, 256, 64), kv_heads=2),), **TOL,
)  # fmt: skip


def _decode_inputs(c, device, gen):
    batch, heads, seq, dim = c.shape
    kv = (batch, c.param("kv_heads", heads), seq, dim)
    q = normal(c, device, gen, shape=(batch, heads, 1, dim))
    return q, normal(c, device, gen, shape=kv), normal(c, device, gen, shape=kv)


def _decode(k, c, q, key, v):
    batch, heads, _, dim = q.shape
    out = torch.empty_like(q)
    k.decode_attention_kernel[(batch * heads,)](q, key, v, out, key.shape[2], heads,
                                                key.shape[1], 1.0 / math.sqrt(dim), D=dim,
                                                BLOCK_N=64)  # fmt: skip
    return out


add(
    "decode_attention", "attention", [decode_attention_kernel], _decode_inputs, _decode,
    _reference(False), (case((2, 4, 100, 32), kv_heads=2), case((1, 2, 300, 64), F16)),
    (case((32, 32, 4096, 128), F16, kv_heads=8),), baseline=_sdpa(False),
    quick_cases=(case((4, 8, 1024, 64), kv_heads=2),), **TOL,
)  # fmt: skip
