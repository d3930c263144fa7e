"""Elementwise unary math and activations: one kernel, one `tl` expression
per operator chosen by a constexpr, each checked against its own torch
function. Half-precision inputs are computed in fp32 and stored back."""

from __future__ import annotations

import torch
import torch.nn.functional as F
import triton
import triton.language as tl
from triton.language.extra import libdevice

from .._common import EW_BENCH, EW_CASES, EW_QUICK, flat_out, grid1d, uniform
from ..registry import add


@triton.jit
def _unary_math(x, OP: tl.constexpr):
    if OP == "abs":
        y = tl.abs(x)
    elif OP == "neg":
        y = -x
    elif OP == "exp":
        y = tl.exp(x)
    elif OP == "exp2":
        y = tl.exp2(x)
    elif OP == "log":
        y = tl.log(x)
    elif OP == "log2":
        y = tl.log2(x)
    elif OP == "log10":
        y = libdevice.log10(x)
    elif OP == "log1p":
        y = libdevice.log1p(x)
    elif OP == "expm1":
        y = libdevice.expm1(x)
    elif OP == "sqrt":
        y = tl.sqrt(x)
    elif OP == "rsqrt":
        y = tl.rsqrt(x)
    elif OP == "sin":
        y = tl.sin(x)
    elif OP == "cos":
        y = tl.cos(x)
    elif OP == "tan":
        y = libdevice.tan(x)
    elif OP == "tanh":
        y = libdevice.tanh(x)
    elif OP == "erf":
        y = tl.erf(x)
    elif OP == "erfc":
        y = libdevice.erfc(x)
    elif OP == "floor":
        y = tl.floor(x)
    elif OP == "ceil":
        y = tl.ceil(x)
    elif OP == "trunc":
        y = libdevice.trunc(x)
    elif OP == "round":
        y = libdevice.rint(x)
    elif OP == "sign":
        y = tl.where(x > 0, 1.0, tl.where(x < 0, -1.0, 0.0))
    elif OP == "reciprocal":
        y = 1.0 / x
    elif OP == "square":
        y = x * x
    elif OP == "asin":
        y = libdevice.asin(x)
    elif OP == "acos":
        y = libdevice.acos(x)
    elif OP == "atan":
        y = libdevice.atan(x)
    elif OP == "sinh":
        y = libdevice.sinh(x)
    elif OP == "cosh":
        y = libdevice.cosh(x)
    elif OP == "asinh":
        y = libdevice.asinh(x)
    elif OP == "acosh":
        y = libdevice.acosh(x)
    elif OP == "atanh":
        y = libdevice.atanh(x)
    elif OP == "cbrt":
        y = libdevice.cbrt(x)
    elif OP == "frac":
        y = x - libdevice.trunc(x)
    else:
        y = _activation(x, OP)
    return y


@triton.jit
def _activation(x, OP: tl.constexpr):
    if OP == "relu":
        y = tl.maximum(x, 0.0)
    elif OP == "relu6":
        y = tl.minimum(tl.maximum(x, 0.0), 6.0)
    elif OP == "leaky_relu":
        y = tl.where(x >= 0, x, 0.01 * x)
    elif OP == "elu":
        y = tl.where(x > 0, x, tl.exp(x) - 1.0)
    elif OP == "selu":
        y = 1.0507009873554805 * tl.where(x > 0, x, 1.6732632423543772 * (tl.exp(x) - 1.0))
    elif OP == "celu":
        y = tl.maximum(x, 0.0) + tl.minimum(0.0, 0.5 * (tl.exp(x / 0.5) - 1.0))
    elif OP == "gelu":
        y = 0.5 * x * (1.0 + tl.erf(x * 0.7071067811865476))
    elif OP == "gelu_tanh":
        inner = 0.7978845608028654 * (x + 0.044715 * x * x * x)
        y = 0.5 * x * (1.0 + libdevice.tanh(inner))
    elif OP == "quick_gelu":
        y = x * tl.sigmoid(1.702 * x)
    elif OP == "silu":
        y = x * tl.sigmoid(x)
    elif OP == "sigmoid":
        y = tl.sigmoid(x)
    elif OP == "logsigmoid":
        y = tl.minimum(x, 0.0) - libdevice.log1p(tl.exp(-tl.abs(x)))
    elif OP == "softplus":
        y = tl.where(x > 20.0, x, libdevice.log1p(tl.exp(tl.minimum(x, 20.0))))
    elif OP == "mish":
        sp = tl.where(x > 20.0, x, libdevice.log1p(tl.exp(tl.minimum(x, 20.0))))
        y = x * libdevice.tanh(sp)
    elif OP == "hardsigmoid":
        y = tl.minimum(tl.maximum(x / 6.0 + 0.5, 0.0), 1.0)
    elif OP == "hardswish":
        y = x * tl.minimum(tl.maximum(x + 3.0, 0.0), 6.0) / 6.0
    elif OP == "hardtanh":
        y = tl.clamp(x, -1.0, 1.0)
    elif OP == "softsign":
        y = x / (1.0 + tl.abs(x))
    elif OP == "tanhshrink":
        y = x - libdevice.tanh(x)
    elif OP == "hardshrink":
        y = tl.where(tl.abs(x) > 0.5, x, 0.0)
    elif OP == "softshrink":
        y = tl.where(x > 0.5, x - 0.5, tl.where(x < -0.5, x + 0.5, 0.0))
    else:
        tl.static_assert(OP == "threshold", "unknown unary operator")
        y = tl.where(x > 0.1, x, 20.0)
    return y


@triton.jit
def unary_kernel(x_ptr, y_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=1.0).to(tl.float32)
    y = _unary_math(x, OP)
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


def _launch(op_name):
    def launch(k, c, x):
        y = flat_out(x)
        n = x.numel()
        k.unary_kernel[grid1d(n, 1024)](x, y, n, OP=op_name, BLOCK=1024)
        return y

    return launch


def _reference(fn):
    def reference(c, x):
        return fn(x.float()).to(x.dtype)

    return reference


def _inputs(lo, hi):
    def make(c, device, gen):
        return (uniform(c, device, gen, lo, hi),)

    return make


def _cbrt(x):
    return torch.sign(x) * x.abs().pow(1.0 / 3.0)


# name: (torch function, input range)
MATH = {
    "abs": (torch.abs, (-3, 3)),
    "neg": (torch.neg, (-3, 3)),
    "exp": (torch.exp, (-5, 5)),
    "exp2": (torch.exp2, (-5, 5)),
    "log": (torch.log, (0.05, 20)),
    "log2": (torch.log2, (0.05, 20)),
    "log10": (torch.log10, (0.05, 20)),
    "log1p": (torch.log1p, (-0.9, 5)),
    "expm1": (torch.expm1, (-3, 3)),
    "sqrt": (torch.sqrt, (0, 20)),
    "rsqrt": (torch.rsqrt, (0.05, 20)),
    "sin": (torch.sin, (-6, 6)),
    "cos": (torch.cos, (-6, 6)),
    "tan": (torch.tan, (-1.3, 1.3)),
    "tanh": (torch.tanh, (-5, 5)),
    "erf": (torch.erf, (-3, 3)),
    "erfc": (torch.erfc, (-3, 3)),
    "floor": (torch.floor, (-10, 10)),
    "ceil": (torch.ceil, (-10, 10)),
    "trunc": (torch.trunc, (-10, 10)),
    "round": (torch.round, (-10, 10)),
    "sign": (torch.sign, (-3, 3)),
    "reciprocal": (torch.reciprocal, (0.2, 5)),
    "square": (torch.square, (-3, 3)),
    "asin": (torch.asin, (-0.99, 0.99)),
    "acos": (torch.acos, (-0.99, 0.99)),
    "atan": (torch.atan, (-5, 5)),
    "sinh": (torch.sinh, (-4, 4)),
    "cosh": (torch.cosh, (-4, 4)),
    "asinh": (torch.asinh, (-5, 5)),
    "acosh": (torch.acosh, (1.01, 10)),
    "atanh": (torch.atanh, (-0.95, 0.95)),
    "cbrt": (_cbrt, (-8, 8)),
    "frac": (torch.frac, (-10, 10)),
}

ACTIVATIONS = {
    "relu": (F.relu, (-3, 3)),
    "relu6": (F.relu6, (-3, 9)),
    "leaky_relu": (F.leaky_relu, (-3, 3)),
    "elu": (F.elu, (-3, 3)),
    "selu": (F.selu, (-3, 3)),
    "celu": (lambda x: F.celu(x, alpha=0.5), (-3, 3)),
    "gelu": (F.gelu, (-4, 4)),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), (-4, 4)),
    "quick_gelu": (lambda x: x * torch.sigmoid(1.702 * x), (-4, 4)),
    "silu": (F.silu, (-6, 6)),
    "sigmoid": (torch.sigmoid, (-8, 8)),
    "logsigmoid": (F.logsigmoid, (-8, 8)),
    "softplus": (F.softplus, (-25, 25)),
    "mish": (F.mish, (-25, 25)),
    "hardsigmoid": (F.hardsigmoid, (-5, 5)),
    "hardswish": (F.hardswish, (-5, 5)),
    "hardtanh": (F.hardtanh, (-3, 3)),
    "softsign": (F.softsign, (-5, 5)),
    "tanhshrink": (F.tanhshrink, (-3, 3)),
    "hardshrink": (F.hardshrink, (-2, 2)),
    "softshrink": (F.softshrink, (-2, 2)),
    "threshold": (lambda x: F.threshold(x, 0.1, 20.0), (-2, 2)),
}

for _family, _table in (("unary", MATH), ("activation", ACTIVATIONS)):
    for _name, (_fn, (_lo, _hi)) in _table.items():
        add(
            _name,
            _family,
            [unary_kernel],
            _inputs(_lo, _hi),
            _launch(_name),
            _reference(_fn),
            EW_CASES,
            EW_BENCH,
            quick_cases=EW_QUICK,
            atol=1e-5,
            rtol=1e-5,
        )
