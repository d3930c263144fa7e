"""Fused transformer operators: rotary embeddings, gated linear units,
and the routing steps of a mixture of experts."""

from __future__ import annotations

import torch
import torch.nn.functional as F
import triton
import triton.language as tl

from .._common import F16, integers, normal, pow2
from ..registry import add, case


@triton.jit
def rotary_kernel(x_ptr, cos_ptr, sin_ptr, out_ptr, H, D: tl.constexpr,
                  INTERLEAVED: tl.constexpr):  # fmt: skip
    """x is (tokens, heads, D); cos and sin are (tokens, D // 2). Rotates
    the pairs (i, i + D/2), or (2i, 2i + 1) when INTERLEAVED."""
    t = tl.program_id(0).to(tl.int64)
    h = tl.program_id(1)
    half = tl.arange(0, D // 2)
    base = (t * H + h) * D
    cos = tl.load(cos_ptr + t * (D // 2) + half).to(tl.float32)
    sin = tl.load(sin_ptr + t * (D // 2) + half).to(tl.float32)
    if INTERLEAVED:
        first, second = 2 * half, 2 * half + 1
    else:
        first, second = half, half + D // 2
    x1 = tl.load(x_ptr + base + first).to(tl.float32)
    x2 = tl.load(x_ptr + base + second).to(tl.float32)
    tl.store(out_ptr + base + first, (x1 * cos - x2 * sin).to(out_ptr.dtype.element_ty))
    tl.store(out_ptr + base + second, (x2 * cos + x1 * sin).to(out_ptr.dtype.element_ty))


@triton.jit
def gated_kernel(x_ptr, out_ptr, H, OP: tl.constexpr, BLOCK: tl.constexpr):
    """x is (rows, 2H): out = act(x[:, :H]) * x[:, H:] (glu: a * sigmoid(b))."""
    row = tl.program_id(0).to(tl.int64)
    cols = tl.program_id(1) * BLOCK + tl.arange(0, BLOCK)
    mask = cols < H
    a = tl.load(x_ptr + row * 2 * H + cols, mask=mask, other=0.0).to(tl.float32)
    b = tl.load(x_ptr + row * 2 * H + H + cols, mask=mask, other=0.0).to(tl.float32)
    if OP == "swiglu":
        y = a * tl.sigmoid(a) * b
    elif OP == "geglu":
        y = 0.5 * a * (1.0 + tl.erf(a * 0.7071067811865476)) * b
    else:
        tl.static_assert(OP == "glu", "unknown gated unit")
        y = a * tl.sigmoid(b)
    tl.store(out_ptr + row * H + cols, y.to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def topk_routing_kernel(logits_ptr, weight_ptr, expert_ptr, E, K: tl.constexpr,
                        BLOCK: tl.constexpr):  # fmt: skip
    """Softmax over the experts of one token, the K best, renormalized."""
    t = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    x = tl.load(logits_ptr + t * E + cols, mask=cols < E, other=float("-inf")).to(tl.float32)
    p = tl.exp(x - tl.max(x, axis=0))
    p = p / tl.sum(p, axis=0)
    total = 0.0
    for j in tl.static_range(K):
        best = tl.argmax(p, axis=0)
        w = tl.max(p, axis=0)
        tl.store(weight_ptr + t * K + j, w)
        tl.store(expert_ptr + t * K + j, best.to(tl.int64))
        total += w
        p = tl.where(cols == best, -1.0, p)
    ks = tl.arange(0, K)
    w = tl.load(weight_ptr + t * K + ks)
    tl.store(weight_ptr + t * K + ks, w / total)


@triton.jit
def expert_histogram_kernel(expert_ptr, count_ptr, n, E: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    ids = tl.load(expert_ptr + offs, mask=mask, other=0).to(tl.int32)
    tl.atomic_add(count_ptr + tl.arange(0, E), tl.histogram(ids, E, mask=mask))


@triton.jit
def bincount_kernel(ids_ptr, count_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    ids = tl.load(ids_ptr + offs, mask=mask, other=0)
    tl.atomic_add(count_ptr + ids, 1, mask=mask)


@triton.jit
def moe_permute_kernel(x_ptr, order_ptr, out_ptr, H, K, BLOCK: tl.constexpr):
    """Row i of the output is token order[i] // K (tokens sorted by expert)."""
    i = tl.program_id(0).to(tl.int64)
    src = tl.load(order_ptr + i) // K
    for start in range(0, H, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        v = tl.load(x_ptr + src * H + cols, mask=cols < H)
        tl.store(out_ptr + i * H + cols, v, mask=cols < H)


@triton.jit
def moe_combine_kernel(y_ptr, w_ptr, out_ptr, H, K: tl.constexpr, BLOCK: tl.constexpr):
    """out[t] = sum_j w[t, j] * y[t * K + j]: the experts' outputs of a token."""
    t = tl.program_id(0).to(tl.int64)
    cols = tl.program_id(1) * BLOCK + tl.arange(0, BLOCK)
    mask = cols < H
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for j in tl.static_range(K):
        w = tl.load(w_ptr + t * K + j)
        acc += w * tl.load(y_ptr + (t * K + j) * H + cols, mask=mask, other=0.0).to(tl.float32)
    tl.store(out_ptr + t * H + cols, acc.to(out_ptr.dtype.element_ty), mask=mask)


def _rotary_inputs(c, device, gen):
    tokens, heads, dim = c.shape
    x = normal(c, device, gen)
    pos = torch.arange(tokens, dtype=torch.float64)[:, None]
    freq = 10000.0 ** (-torch.arange(dim // 2, dtype=torch.float64) * 2 / dim)
    angle = pos * freq[None, :]
    return x, angle.cos().float().to(device), angle.sin().float().to(device)


def _rotary(interleaved):
    def launch(k, c, x, cos, sin):
        tokens, heads, dim = x.shape
        out = torch.empty_like(x)
        k.rotary_kernel[(tokens, heads)](x, cos, sin, out, heads, D=dim, INTERLEAVED=interleaved)
        return out

    return launch


def _rotary_ref(interleaved):
    def reference(c, x, cos, sin):
        xf = x.double()
        cos, sin = cos.double()[:, None, :], sin.double()[:, None, :]
        if interleaved:
            x1, x2 = xf[..., 0::2], xf[..., 1::2]
            out = torch.stack((x1 * cos - x2 * sin, x2 * cos + x1 * sin), -1).flatten(-2)
        else:
            x1, x2 = xf.chunk(2, -1)
            out = torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), -1)
        return out.to(x.dtype)

    return reference


ROT_CASES = (case((17, 4, 64)), case((9, 2, 128), F16))
ROT_BENCH = (case((4096, 32, 128)), case((4096, 32, 128), F16))
for _il, _name in ((False, "rotary_embedding"), (True, "rotary_embedding_interleaved")):
    add(_name, "fused", [rotary_kernel], _rotary_inputs, _rotary(_il), _rotary_ref(_il),
        ROT_CASES, ROT_BENCH, quick_cases=(case((1024, 8, 128)),), atol=1e-5,
        rtol=1e-5)  # fmt: skip


def _gated(op):
    def launch(k, c, x):
        rows, width = x.shape
        h = width // 2
        out = torch.empty((rows, h), device=x.device, dtype=x.dtype)
        block = min(pow2(h), 1024)
        k.gated_kernel[(rows, triton.cdiv(h, block))](x, out, h, OP=op, BLOCK=block)
        return out

    return launch


GATED = {
    "swiglu": lambda a, b: F.silu(a) * b,
    "geglu": lambda a, b: F.gelu(a) * b,
    "glu": lambda a, b: a * torch.sigmoid(b),
}
for _name, _fn in GATED.items():
    add(
        _name, "fused", [gated_kernel], lambda c, d, g: (normal(c, d, g),), _gated(_name),
        lambda c, x, fn=_fn: fn(*x.float().chunk(2, -1)).to(x.dtype),
        (case((13, 200)), case((4, 3000), F16)), (case((4096, 2 * 11008)),),
        quick_cases=(case((256, 2 * 4096)),),
        atol=1e-5, rtol=1e-5,
    )  # fmt: skip


def _routing(k, c, logits):
    tokens, experts = logits.shape
    top = c.param("k")
    w = torch.empty((tokens, top), device=logits.device)
    ids = torch.empty((tokens, top), device=logits.device, dtype=torch.int64)
    k.topk_routing_kernel[(tokens,)](logits, w, ids, experts, K=top, BLOCK=pow2(experts))
    return w, ids


def _routing_ref(c, logits):
    w, ids = torch.topk(torch.softmax(logits.float(), -1), c.param("k"), -1)
    return w / w.sum(-1, keepdim=True), ids


add(
    "moe_topk_routing", "fused", [topk_routing_kernel], lambda c, d, g: (normal(c, d, g),),
    _routing, _routing_ref, (case((50, 8), k=2), case((20, 60), k=4)),
    (case((16384, 64), k=8),), quick_cases=(case((4096, 64), k=8),), atol=1e-6, rtol=1e-5,
)  # fmt: skip


def _count_inputs(c, device, gen):
    return (integers(c.shape, 0, c.param("experts"), torch.int64, device, gen),)


def _count(kernel):
    def launch(k, c, ids):
        n = ids.numel()
        experts = c.param("experts")
        count = torch.zeros(experts, device=ids.device, dtype=torch.int32)
        fn = getattr(k, kernel)
        if kernel == "bincount_kernel":
            fn[(triton.cdiv(n, 1024),)](ids, count, n, BLOCK=1024)
        else:
            fn[(triton.cdiv(n, 1024),)](ids, count, n, E=experts, BLOCK=1024)
        return count

    return launch


def _count_ref(c, ids):
    return torch.bincount(ids.flatten(), minlength=c.param("experts")).int()


add("bincount", "fused", [bincount_kernel], _count_inputs, _count("bincount_kernel"),
    _count_ref, (case((3000,), torch.int64, experts=37),),
    (case((1 << 22,), torch.int64, experts=256),),
    quick_cases=(case((1 << 20,), torch.int64, experts=256),))  # fmt: skip
add(
    "moe_expert_histogram", "fused", [expert_histogram_kernel], _count_inputs,
    _count("expert_histogram_kernel"), _count_ref, (case((3000,), torch.int64, experts=16),),
    (case((1 << 22,), torch.int64, experts=64),),
)  # fmt: skip


def _permute_inputs(c, device, gen):
    tokens, hidden = c.shape
    top = c.param("k")
    experts = integers((tokens * top,), 0, 8, torch.int64, device, gen)
    order = torch.sort(experts, stable=True).indices
    return normal(c, device, gen), order


def _permute(k, c, x, order):
    tokens, hidden = x.shape
    out = torch.empty((order.numel(), hidden), device=x.device, dtype=x.dtype)
    k.moe_permute_kernel[(order.numel(),)](x, order, out, hidden, c.param("k"),
                                           BLOCK=min(pow2(hidden), 1024))  # fmt: skip
    return out


add(
    "moe_permute", "fused", [moe_permute_kernel], _permute_inputs, _permute,
    lambda c, x, order: x[order // c.param("k")], (case((30, 100), k=2), case((7, 64), F16, k=3)),
    (case((8192, 4096), k=2),), quick_cases=(case((1024, 1024), k=2),), atol=0, rtol=0,
    half_atol=0, half_rtol=0,
)  # fmt: skip


def _combine_inputs(c, device, gen):
    tokens, hidden = c.shape
    top = c.param("k")
    w = torch.softmax(normal(c, device, gen, shape=(tokens, top), dtype=torch.float32), -1)
    return normal(c, device, gen, shape=(tokens * top, hidden)), w


def _combine(k, c, y, w):
    tokens, top = w.shape
    hidden = y.shape[1]
    out = torch.empty((tokens, hidden), device=y.device, dtype=y.dtype)
    block = min(pow2(hidden), 1024)
    k.moe_combine_kernel[(tokens, triton.cdiv(hidden, block))](y, w, out, hidden, K=top,
                                                              BLOCK=block)  # fmt: skip
    return out


add(
    "moe_combine", "fused", [moe_combine_kernel], _combine_inputs, _combine,
    lambda c, y, w: (y.double().view(w.shape[0], w.shape[1], -1) * w.double()[..., None])
    .sum(1)
    .to(y.dtype),
    (case((30, 100), k=2), case((7, 64), F16, k=4)), (case((8192, 4096), k=2),),
    quick_cases=(case((1024, 1024), k=2),), atol=1e-5, rtol=1e-5,
)  # fmt: skip
