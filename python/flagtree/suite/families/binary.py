"""Elementwise binary and ternary operators (float math, comparisons,
logical and bitwise ops, where/clamp/lerp), and dtype casts."""

from __future__ import annotations

import torch
import triton
import triton.language as tl
from triton.language.extra import libdevice

from .._common import (
    BF16,
    EW_BENCH,
    EW_CASES,
    EW_QUICK,
    F16,
    F32,
    flat_out,
    grid1d,
    integers,
    uniform,
)
from ..registry import add, case


@triton.jit
def _binary_math(a, b, OP: tl.constexpr):
    if OP == "add":
        y = a + b
    elif OP == "sub":
        y = a - b
    elif OP == "mul":
        y = a * b
    elif OP == "div":
        y = a / b
    elif OP == "maximum":
        y = tl.maximum(a, b)
    elif OP == "minimum":
        y = tl.minimum(a, b)
    elif OP == "pow":
        y = libdevice.pow(a, b)
    elif OP == "atan2":
        y = libdevice.atan2(a, b)
    elif OP == "fmod":
        y = libdevice.fmod(a, b)
    elif OP == "remainder":
        r = libdevice.fmod(a, b)
        y = tl.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)
    elif OP == "floor_divide":
        y = tl.floor(a / b)
    elif OP == "hypot":
        y = tl.sqrt(a * a + b * b)
    elif OP == "copysign":
        y = tl.where(b < 0, -tl.abs(a), tl.abs(a))
    elif OP == "sub_alpha":
        y = a - 0.5 * b
    elif OP == "squared_difference":
        y = (a - b) * (a - b)
    elif OP == "xlogy":
        y = tl.where(a == 0, 0.0, a * tl.log(b))
    elif OP == "eq":
        y = a == b
    elif OP == "ne":
        y = a != b
    elif OP == "lt":
        y = a < b
    elif OP == "le":
        y = a <= b
    elif OP == "gt":
        y = a > b
    else:
        tl.static_assert(OP == "ge", "unknown binary operator")
        y = a >= b
    return y


@triton.jit
def binary_kernel(a_ptr, b_ptr, out_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    a = tl.load(a_ptr + offs, mask=mask, other=1.0).to(tl.float32)
    b = tl.load(b_ptr + offs, mask=mask, other=1.0).to(tl.float32)
    y = _binary_math(a, b, OP)
    tl.store(out_ptr + offs, y.to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def integer_kernel(a_ptr, b_ptr, out_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    a = tl.load(a_ptr + offs, mask=mask, other=1)
    b = tl.load(b_ptr + offs, mask=mask, other=1)
    if OP == "bitwise_and":
        y = a & b
    elif OP == "bitwise_or":
        y = a | b
    elif OP == "bitwise_xor":
        y = a ^ b
    elif OP == "bitwise_not":
        y = ~a
    elif OP == "shift_left":
        y = a << (b & 15)
    elif OP == "shift_right":
        y = a >> (b & 15)
    elif OP == "logical_and":
        y = (a != 0) & (b != 0)
    elif OP == "logical_or":
        y = (a != 0) | (b != 0)
    elif OP == "logical_xor":
        y = (a != 0) ^ (b != 0)
    elif OP == "logical_not":
        y = a == 0
    elif OP == "int_floor_divide":
        # C division truncates; torch's rounds toward minus infinity
        q = a // b
        y = tl.where((q * b != a) & ((a < 0) != (b < 0)), q - 1, q)
    else:
        tl.static_assert(OP == "int_remainder", "unknown integer operator")
        r = a % b
        y = tl.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)
    tl.store(out_ptr + offs, y.to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def ternary_kernel(a_ptr, b_ptr, c_ptr, out_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    a = tl.load(a_ptr + offs, mask=mask, other=1.0).to(tl.float32)
    b = tl.load(b_ptr + offs, mask=mask, other=1.0).to(tl.float32)
    c = tl.load(c_ptr + offs, mask=mask, other=1.0).to(tl.float32)
    if OP == "where":
        y = tl.where(c > 0, a, b)
    elif OP == "clamp_tensor":
        y = tl.minimum(tl.maximum(a, b), c)
    elif OP == "lerp":
        y = a + c * (b - a)
    elif OP == "addcmul":
        y = a + 0.5 * b * c
    elif OP == "addcdiv":
        y = a + 0.5 * b / c
    else:
        tl.static_assert(OP == "fma", "unknown ternary operator")
        y = a * b + c
    tl.store(out_ptr + offs, y.to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def clamp_kernel(x_ptr, out_ptr, n, lo, hi, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, tl.clamp(x, lo, hi), mask=mask)


@triton.jit
def cast_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x.to(out_ptr.dtype.element_ty), mask=mask)


def _binary_launch(name, kernel="binary_kernel", out_dtype=None):
    def launch(k, c, a, b):
        out = flat_out(a, out_dtype)
        n = a.numel()
        getattr(k, kernel)[grid1d(n, 1024)](a, b, out, n, OP=name, BLOCK=1024)
        return out

    return launch


def _pair(lo_a, hi_a, lo_b, hi_b):
    def make(c, device, gen):
        return uniform(c, device, gen, lo_a, hi_a), uniform(c, device, gen, lo_b, hi_b)

    return make


def _float_ref(fn, out_dtype=None):
    def reference(c, a, b):
        y = fn(a.float(), b.float())
        return y if y.dtype == torch.bool else y.to(out_dtype or a.dtype)

    return reference


FLOAT = {
    "add": (torch.add, (-3, 3, -3, 3)),
    "sub": (torch.sub, (-3, 3, -3, 3)),
    "mul": (torch.mul, (-3, 3, -3, 3)),
    "div": (torch.div, (-3, 3, 0.5, 3)),
    "maximum": (torch.maximum, (-3, 3, -3, 3)),
    "minimum": (torch.minimum, (-3, 3, -3, 3)),
    "pow": (torch.pow, (0.1, 3, -2, 2)),
    "atan2": (torch.atan2, (-3, 3, -3, 3)),
    "fmod": (torch.fmod, (-10, 10, 1, 3)),
    "remainder": (torch.remainder, (-10, 10, 1, 3)),
    "floor_divide": (torch.floor_divide, (-10, 10, 1, 3)),
    "hypot": (torch.hypot, (-3, 3, -3, 3)),
    "copysign": (torch.copysign, (-3, 3, -3, 3)),
    "sub_alpha": (lambda a, b: torch.sub(a, b, alpha=0.5), (-3, 3, -3, 3)),
    "squared_difference": (lambda a, b: (a - b).square(), (-3, 3, -3, 3)),
    "xlogy": (torch.xlogy, (-3, 3, 0.1, 3)),
}
COMPARE = {
    "eq": torch.eq,
    "ne": torch.ne,
    "lt": torch.lt,
    "le": torch.le,
    "gt": torch.gt,
    "ge": torch.ge,
}
for _name, (_fn, _range) in FLOAT.items():
    add(
        _name, "binary", [binary_kernel], _pair(*_range), _binary_launch(_name),
        _float_ref(_fn), EW_CASES, EW_BENCH, quick_cases=EW_QUICK, rtol=2e-5,
    )  # fmt: skip


def _compare_inputs(c, device, gen):
    # small integers, so that equal values occur
    a = integers(c.shape, -4, 4, c.dtype, device, gen)
    return a, integers(c.shape, -4, 4, c.dtype, device, gen)


for _name, _fn in COMPARE.items():
    add(
        _name, "binary", [binary_kernel], _compare_inputs,
        _binary_launch(_name, out_dtype=torch.bool), _float_ref(_fn), EW_CASES, EW_BENCH,
        quick_cases=EW_QUICK,
    )  # fmt: skip

I32_CASES = (case((1000,), torch.int32), case((37, 29), torch.int64))
I32_BENCH = (case((1 << 22,), torch.int32),)
INTEGER = {
    "bitwise_and": (torch.bitwise_and, None),
    "bitwise_or": (torch.bitwise_or, None),
    "bitwise_xor": (torch.bitwise_xor, None),
    "bitwise_not": (lambda a, b: torch.bitwise_not(a), None),
    "shift_left": (lambda a, b: a << (b & 15), None),
    "shift_right": (lambda a, b: a >> (b & 15), None),
    "logical_and": (torch.logical_and, torch.bool),
    "logical_or": (torch.logical_or, torch.bool),
    "logical_xor": (torch.logical_xor, torch.bool),
    "logical_not": (lambda a, b: torch.logical_not(a), torch.bool),
    "int_floor_divide": (torch.floor_divide, None),
    "int_remainder": (torch.remainder, None),
}


def _int_inputs(c, device, gen):
    a = integers(c.shape, -1000, 1000, c.dtype, device, gen)
    b = integers(c.shape, 1, 40, c.dtype, device, gen)
    sign = integers(c.shape, 0, 2, c.dtype, device, gen) * 2 - 1
    return a, b * sign


for _name, (_fn, _out) in INTEGER.items():
    add(
        _name, "binary", [integer_kernel], _int_inputs,
        _binary_launch(_name, "integer_kernel", _out), lambda c, a, b, fn=_fn: fn(a, b),
        I32_CASES, I32_BENCH, quick_cases=(case((1 << 20,), torch.int32),),
    )  # fmt: skip


TERNARY = {
    "where": lambda a, b, c: torch.where(c > 0, a, b),
    "clamp_tensor": lambda a, b, c: torch.clamp(a, b, c),
    "lerp": torch.lerp,
    "addcmul": lambda a, b, c: torch.addcmul(a, b, c, value=0.5),
    "addcdiv": lambda a, b, c: torch.addcdiv(a, b, c, value=0.5),
    "fma": lambda a, b, c: a * b + c,
}


def _ternary_inputs(name):
    def make(c, device, gen):
        a = uniform(c, device, gen, -3, 3)
        if name == "clamp_tensor":
            return a, uniform(c, device, gen, -2, 0), uniform(c, device, gen, 0, 2)
        if name == "addcdiv":
            return a, uniform(c, device, gen, -3, 3), uniform(c, device, gen, 0.5, 3)
        if name == "lerp":
            return a, uniform(c, device, gen, -3, 3), uniform(c, device, gen, 0, 1)
        return a, uniform(c, device, gen, -3, 3), uniform(c, device, gen, -3, 3)

    return make


def _ternary_launch(name):
    def launch(k, c, a, b, w):
        out = flat_out(a)
        n = a.numel()
        k.ternary_kernel[grid1d(n, 1024)](a, b, w, out, n, OP=name, BLOCK=1024)
        return out

    return launch


for _name, _fn in TERNARY.items():
    add(
        _name, "binary", [ternary_kernel], _ternary_inputs(_name), _ternary_launch(_name),
        lambda c, a, b, w, fn=_fn: fn(a.float(), b.float(), w.float()).to(a.dtype),
        EW_CASES, EW_BENCH, quick_cases=EW_QUICK, rtol=2e-5,
    )  # fmt: skip


def _clamp(k, c, x):
    out = flat_out(x)
    n = x.numel()
    k.clamp_kernel[grid1d(n, 1024)](x, out, n, -0.5, 1.5, BLOCK=1024)
    return out


add(
    "clamp", "binary", [clamp_kernel], lambda c, d, g: (uniform(c, d, g),), _clamp,
    lambda c, x: torch.clamp(x, -0.5, 1.5), EW_CASES, EW_BENCH, quick_cases=EW_QUICK,
)  # fmt: skip

# (source dtype, destination dtype, input range)
CASTS = {
    "cast_f32_f16": (F32, F16, (-100, 100)),
    "cast_f32_bf16": (F32, BF16, (-100, 100)),
    "cast_f16_f32": (F16, F32, (-100, 100)),
    "cast_bf16_f32": (BF16, F32, (-100, 100)),
    "cast_f32_f64": (F32, torch.float64, (-100, 100)),
    "cast_f64_f32": (torch.float64, F32, (-100, 100)),
    "cast_f32_i32": (F32, torch.int32, (-1000, 1000)),
    "cast_i32_f32": (torch.int32, F32, (-(1 << 20), 1 << 20)),
    "cast_i8_f32": (torch.int8, F32, (-128, 128)),
    "cast_u8_f32": (torch.uint8, F32, (0, 256)),
    "cast_i64_i32": (torch.int64, torch.int32, (-(1 << 30), 1 << 30)),
    "cast_f32_i8": (F32, torch.int8, (-127, 127)),
    "cast_f16_bf16": (F16, BF16, (-100, 100)),
}


def _cast_inputs(src, lo, hi):
    def make(c, device, gen):
        if src.is_floating_point:
            return (uniform(c, device, gen, lo, hi, dtype=src),)
        return (integers(c.shape, lo, hi, src, device, gen),)

    return make


def _cast_launch(dst):
    def launch(k, c, x):
        out = flat_out(x, dst)
        n = x.numel()
        k.cast_kernel[grid1d(n, 1024)](x, out, n, BLOCK=1024)
        return out

    return launch


CAST_CASES = (case((1000,)), case((37, 29)))
for _name, (_src, _dst, (_lo, _hi)) in CASTS.items():
    add(
        _name, "cast", [cast_kernel], _cast_inputs(_src, _lo, _hi), _cast_launch(_dst),
        lambda c, x, dst=_dst: x.to(dst), CAST_CASES[:1] + (case((1 << 16,)),),
        (case((1 << 22,)),), quick_cases=EW_QUICK, atol=0, rtol=0, half_atol=0, half_rtol=0,
    )  # fmt: skip
