"""Softmax, log-softmax and their backward passes, cross-entropy, and
losses. One program per row; rows wider than one block walk the row."""

from __future__ import annotations

import torch
import torch.nn.functional as F
import triton
import triton.language as tl

from .._common import BF16, F16, integers, normal, pow2, uniform
from ..registry import add, case


@triton.jit
def softmax_kernel(x_ptr, out_ptr, N, LOG: tl.constexpr, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * N + cols, mask=mask, other=float("-inf")).to(tl.float32)
    shifted = x - tl.max(x, axis=0)
    e = tl.exp(shifted)
    total = tl.sum(e, axis=0)
    if LOG:
        y = shifted - tl.log(total)
    else:
        y = e / total
    tl.store(out_ptr + row * N + cols, y.to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def online_softmax_kernel(x_ptr, out_ptr, N, BLOCK: tl.constexpr):
    """Rows of any width: a running max and sum in one pass, then a second
    pass writes the normalized values."""
    row = tl.program_id(0).to(tl.int64)
    base = x_ptr + row * N
    m = tl.full((BLOCK,), float("-inf"), tl.float32)
    s = tl.zeros((BLOCK,), dtype=tl.float32)
    for start in range(0, N, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        x = tl.load(base + cols, mask=cols < N, other=float("-inf")).to(tl.float32)
        new_m = tl.maximum(m, x)
        safe = tl.where(new_m == float("-inf"), 0.0, new_m)
        s = s * tl.exp(m - safe) + tl.exp(x - safe)
        m = new_m
    row_max = tl.max(m, axis=0)
    total = tl.sum(s * tl.exp(m - row_max), axis=0)
    for start in range(0, N, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        x = tl.load(base + cols, mask=cols < N, other=0.0).to(tl.float32)
        y = tl.exp(x - row_max) / total
        tl.store(out_ptr + row * N + cols, y.to(out_ptr.dtype.element_ty), mask=cols < N)


@triton.jit
def softmax_bwd_kernel(y_ptr, dy_ptr, dx_ptr, N, LOG: tl.constexpr, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    y = tl.load(y_ptr + row * N + cols, mask=mask, other=0.0).to(tl.float32)
    dy = tl.load(dy_ptr + row * N + cols, mask=mask, other=0.0).to(tl.float32)
    if LOG:
        dx = dy - tl.exp(y) * tl.sum(dy, axis=0)
    else:
        dx = y * (dy - tl.sum(y * dy, axis=0))
    tl.store(dx_ptr + row * N + cols, dx.to(dx_ptr.dtype.element_ty), mask=mask)


@triton.jit
def cross_entropy_kernel(logits_ptr, target_ptr, loss_ptr, dlogits_ptr, N, ignore_index,
                         BLOCK: tl.constexpr, GRAD: tl.constexpr):  # fmt: skip
    """Per-row loss; with GRAD, also d(mean loss)/d(logits) over the rows
    that are not ignored (their count is in loss_ptr[-1] on entry)."""
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(logits_ptr + row * N + cols, mask=mask, other=float("-inf")).to(tl.float32)
    target = tl.load(target_ptr + row)
    row_max = tl.max(x, axis=0)
    e = tl.exp(x - row_max)
    lse = row_max + tl.log(tl.sum(e, axis=0))
    x_t = tl.sum(tl.where(cols == target, x, 0.0), axis=0)
    valid = target != ignore_index
    loss = tl.where(valid, lse - x_t, 0.0)
    if GRAD:
        count = tl.load(loss_ptr + tl.num_programs(0))
        p = e / tl.sum(e, axis=0)
        grad = (p - (cols == target).to(tl.float32)) / count
        grad = tl.where(valid, grad, 0.0)
        tl.store(dlogits_ptr + row * N + cols, grad, mask=mask)
    else:
        tl.store(loss_ptr + row, loss)


@triton.jit
def nll_kernel(logp_ptr, target_ptr, out_ptr, N, M):
    row = tl.program_id(0).to(tl.int64)
    target = tl.load(target_ptr + row)
    value = tl.load(logp_ptr + row * N + target)
    tl.atomic_add(out_ptr, -value / M)


@triton.jit
def loss_kernel(a_ptr, b_ptr, out_ptr, n, scale, OP: tl.constexpr, BLOCK: tl.constexpr):
    """Elementwise loss terms, summed per program and added into one value
    (scale = 1/n gives the mean)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    a = tl.load(a_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    b = tl.load(b_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    if OP == "mse_loss":
        t = (a - b) * (a - b)
    elif OP == "l1_loss":
        t = tl.abs(a - b)
    elif OP == "smooth_l1_loss":
        d = tl.abs(a - b)
        t = tl.where(d < 1.0, 0.5 * d * d, d - 0.5)
    elif OP == "bce_with_logits":
        t = tl.maximum(a, 0.0) - a * b + tl.log(1.0 + tl.exp(-tl.abs(a)))
    elif OP == "kl_div":
        t = tl.where(b > 0, b * (tl.log(b) - a), 0.0)
    else:
        tl.static_assert(OP == "huber_loss", "unknown loss")
        d = tl.abs(a - b)
        t = tl.where(d < 0.5, 0.5 * d * d, 0.5 * (d - 0.25))
    t = tl.where(mask, t, 0.0)
    tl.atomic_add(out_ptr, tl.sum(t, axis=0) * scale)


def _rows(c):
    return c.shape[0], c.shape[-1]


def _softmax(log):
    def launch(k, c, x):
        out = torch.empty_like(x)
        m, n = _rows(c)
        k.softmax_kernel[(m,)](x, out, n, LOG=log, BLOCK=pow2(n))
        return out

    return launch


def _online(k, c, x):
    out = torch.empty_like(x)
    m, n = _rows(c)
    k.online_softmax_kernel[(m,)](x, out, n, BLOCK=min(pow2(n), 1024))
    return out


def _softmax_bwd(log):
    def launch(k, c, y, dy):
        dx = torch.empty_like(y)
        m, n = _rows(c)
        k.softmax_bwd_kernel[(m,)](y, dy, dx, n, LOG=log, BLOCK=pow2(n))
        return dx

    return launch


def _bwd_inputs(log):
    def make(c, device, gen):
        x = normal(c, device, gen, dtype=torch.float32)
        y = F.log_softmax(x, -1) if log else F.softmax(x, -1)
        return y.to(c.dtype), normal(c, device, gen)

    return make


def _softmax_bwd_ref(log, precision=torch.float64):
    def reference(c, y, dy):
        y, dy = y.to(precision), dy.to(precision)
        if log:
            return (dy - y.exp() * dy.sum(-1, keepdim=True)).to(c.dtype)
        return (y * (dy - (y * dy).sum(-1, keepdim=True))).to(c.dtype)

    return reference


ROW_CASES = (case((13, 100)), case((4, 1000), F16), case((6, 333), BF16))
ROW_BENCH = (case((4096, 1024)), case((4096, 1024), F16))
ROW_QUICK = (case((512, 1024)),)

for _log in (False, True):
    _name = "log_softmax" if _log else "softmax"
    _fn = F.log_softmax if _log else F.softmax
    add(
        _name, "softmax", [softmax_kernel], lambda c, d, g: (normal(c, d, g),),
        _softmax(_log), lambda c, x, fn=_fn: fn(x.float(), -1).to(x.dtype),
        ROW_CASES, ROW_BENCH, quick_cases=ROW_QUICK, atol=1e-6, rtol=1e-4, half_atol=5e-3,
    )  # fmt: skip
    add(
        f"{_name}_backward", "softmax", [softmax_bwd_kernel], _bwd_inputs(_log),
        _softmax_bwd(_log), _softmax_bwd_ref(_log), ROW_CASES, ROW_BENCH, quick_cases=ROW_QUICK,
        baseline=_softmax_bwd_ref(_log, torch.float32),
        atol=1e-5, rtol=1e-4, half_atol=2e-2,
    )  # fmt: skip

add(
    "softmax_online", "softmax", [online_softmax_kernel], lambda c, d, g: (normal(c, d, g),),
    _online, lambda c, x: F.softmax(x.float(), -1).to(x.dtype),
    (case((5, 3000)), case((3, 2500), F16)), (case((1024, 32768)),), quick_cases=(case((64,
    16384)),),
    atol=1e-6, rtol=1e-4, half_atol=5e-3,
)  # fmt: skip


def _ce_inputs(c, device, gen):
    m, n = _rows(c)
    target = integers((m,), 0, n, torch.int64, device, gen)
    target[::7] = -100  # ignored rows
    return normal(c, device, gen, dtype=torch.float32), target


def _ce(k, c, logits, target):
    m, n = _rows(c)
    loss = torch.empty(m + 1, device=logits.device)
    k.cross_entropy_kernel[(m,)](logits, target, loss, logits, n, -100, BLOCK=pow2(n), GRAD=False)
    return loss[:m]


def _ce_bwd(k, c, logits, target):
    m, n = _rows(c)
    loss = torch.zeros(m + 1, device=logits.device)
    loss[m] = (target != -100).sum()  # no host sync: capturable
    grad = torch.empty_like(logits)
    k.cross_entropy_kernel[(m,)](logits, target, loss, grad, n, -100, BLOCK=pow2(n), GRAD=True)
    return grad


def _ce_bwd_ref(c, logits, target):
    x = logits.detach().double().requires_grad_()
    F.cross_entropy(x, target, ignore_index=-100).backward()
    return x.grad.float()


CE_CASES = (case((13, 100)), case((32, 1000)))
CE_BENCH = (case((4096, 32000)),)
CE_QUICK = (case((256, 8000)),)
add(
    "cross_entropy", "softmax", [cross_entropy_kernel], _ce_inputs, _ce,
    lambda c, x, t: F.cross_entropy(x, t, ignore_index=-100, reduction="none"),
    CE_CASES, CE_BENCH, quick_cases=CE_QUICK, atol=1e-5, rtol=1e-5,
)  # fmt: skip
add(
    "cross_entropy_backward", "softmax", [cross_entropy_kernel], _ce_inputs, _ce_bwd,
    _ce_bwd_ref, CE_CASES, CE_BENCH, quick_cases=CE_QUICK, atol=1e-6, rtol=1e-4,
)  # fmt: skip


def _nll_inputs(c, device, gen):
    m, n = _rows(c)
    logp = F.log_softmax(normal(c, device, gen, dtype=torch.float32), -1)
    return logp, integers((m,), 0, n, torch.int64, device, gen)


def _nll(k, c, logp, target):
    m, n = _rows(c)
    out = torch.zeros((), device=logp.device)
    k.nll_kernel[(m,)](logp, target, out, n, m)
    return out


add(
    "nll_loss", "loss", [nll_kernel], _nll_inputs, _nll, lambda c, x, t: F.nll_loss(x, t),
    CE_CASES, CE_BENCH, quick_cases=CE_QUICK, atol=1e-5, rtol=1e-5,
)  # fmt: skip

LOSSES = {
    "mse_loss": (F.mse_loss, (-2, 2)),
    "l1_loss": (F.l1_loss, (-2, 2)),
    "smooth_l1_loss": (F.smooth_l1_loss, (-2, 2)),
    "huber_loss": (lambda a, b: F.huber_loss(a, b, delta=0.5), (-2, 2)),
    "bce_with_logits": (F.binary_cross_entropy_with_logits, (0, 1)),
    "kl_div": (lambda a, b: F.kl_div(a, b, reduction="sum") / a.numel(), (0, 1)),
}


def _loss_inputs(name, lo, hi):
    def make(c, device, gen):
        a = normal(c, device, gen)
        if name == "kl_div":
            a = F.log_softmax(a.float(), -1).to(c.dtype)
        return a, uniform(c, device, gen, lo, hi)

    return make


def _loss(name):
    def launch(k, c, a, b):
        n = a.numel()
        out = torch.zeros((), device=a.device)
        k.loss_kernel[(triton.cdiv(n, 1024),)](a, b, out, n, 1.0 / n, OP=name, BLOCK=1024)
        return out

    return launch


for _name, (_fn, (_lo, _hi)) in LOSSES.items():
    add(
        _name, "loss", [loss_kernel], _loss_inputs(_name, _lo, _hi), _loss(_name),
        lambda c, a, b, fn=_fn: fn(a.float(), b.float()),
        (case((3000,)), case((20, 50), F16)), (case((1 << 22,)),),
        quick_cases=(case((1 << 20,)),),
        atol=1e-5, rtol=1e-4, half_atol=1e-3, half_rtol=1e-3,
    )  # fmt: skip
