"""Counter-based random numbers: rand/randn/randint (and their 4x forms), raw philox,
pair_uniform_to_normal and uint_to_uniform_float, with i32 and i64 seeds/offsets."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("random")


@triton.jit
def uniform_and_normal(seed, o_uniform, o_normal, n, BLOCK: tl.constexpr):
    """``tl.rand`` and ``tl.randn`` at masked per-element offsets."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(o_uniform + offs, tl.rand(seed, offs), mask=mask)
    tl.store(o_normal + offs, tl.randn(seed, offs), mask=mask)


@triton.jit
def randint_bits(seed, out, BLOCK: tl.constexpr, ROUNDS: tl.constexpr):
    """``tl.randint`` with an explicit number of Philox rounds."""
    offs = tl.arange(0, BLOCK)
    tl.store(out + offs, tl.randint(seed, offs, ROUNDS))


@triton.jit
def four_streams(seed, o_int, o_uni, o_norm, BLOCK: tl.constexpr):
    """``tl.randint4x``, ``tl.rand4x`` and ``tl.randn4x`` (four outputs per offset)."""
    offs = tl.arange(0, BLOCK)
    i0, i1, i2, i3 = tl.randint4x(seed, offs)
    tl.store(o_int + offs, i0 ^ i1 ^ i2 ^ i3)
    u0, u1, u2, u3 = tl.rand4x(seed, offs)
    tl.store(o_uni + offs, (u0 + u1 + u2 + u3) * 0.25)
    n0, n1, n2, n3 = tl.randn4x(seed, offs + BLOCK)
    tl.store(o_norm + offs, tl.maximum(tl.maximum(n0, n1), tl.maximum(n2, n3)))


@triton.jit
def philox_raw(seed, out, BLOCK: tl.constexpr):
    """``tl.philox`` with explicit counters, plus its conversion helpers."""
    offs = tl.arange(0, BLOCK).to(tl.uint32)
    zero = tl.zeros((BLOCK,), dtype=tl.uint32)
    r0, r1, r2, r3 = tl.philox(seed, offs, zero, zero + 7, zero, n_rounds=7)
    u0 = tl.uint_to_uniform_float(r0)
    u1 = tl.uint_to_uniform_float(r1)
    g0, g1 = tl.pair_uniform_to_normal(u0, u1)
    tl.store(out + tl.arange(0, BLOCK), g0 * g1 + tl.uint_to_uniform_float(r2 ^ r3))


@triton.jit
def uniform_from_int64(seed, src, out, BLOCK: tl.constexpr):
    """``tl.uint_to_uniform_float`` on 64-bit integers loaded from memory."""
    offs = tl.arange(0, BLOCK)
    bits = tl.load(src + offs)
    tl.store(out + offs, tl.uint_to_uniform_float(bits) + tl.rand(seed, offs.to(tl.int64)))


@triton.jit
def seeded_from_memory(seed_ptr, out, stride, BLOCK: tl.constexpr):
    """Seed loaded from memory; offsets computed per row of a 2-D tile."""
    seed = tl.load(seed_ptr)
    rows = tl.arange(0, BLOCK // 16)
    cols = tl.arange(0, 16)
    offs = rows[:, None] * stride + cols[None, :]
    noise = tl.randn(seed, offs)
    tl.store(out + rows[:, None] * 16 + cols[None, :], noise.to(tl.float16))


@triton.jit
def box_muller_manual(seed, out, BLOCK: tl.constexpr):
    """Normals from ``pair_uniform_to_normal`` fed by two ``tl.rand`` streams."""
    offs = tl.arange(0, BLOCK)
    u1 = tl.rand(seed, offs)
    u2 = tl.rand(seed, offs + BLOCK)
    a, b = tl.pair_uniform_to_normal(u1, u2)
    tl.store(out + offs, a)
    tl.store(out + BLOCK + offs, b)


CASES.add(
    uniform_and_normal,
    {"seed": "i32", "o_uniform": "*fp32", "o_normal": "*fp32", "n": "i32"},
    {"BLOCK": 128},
)
CASES.add(
    uniform_and_normal,
    {"seed": "i64", "o_uniform": "*fp32", "o_normal": "*fp32", "n": "i32"},
    {"BLOCK": 128},
    name="uniform_and_normal_i64_seed",
)
CASES.add(randint_bits, {"seed": "i32", "out": "*u32"}, {"BLOCK": 64, "ROUNDS": 10})
CASES.add(
    randint_bits,
    {"seed": "i64", "out": "*u32"},
    {"BLOCK": 64, "ROUNDS": 4},
    name="randint_bits_4_rounds",
)
CASES.add(
    four_streams,
    {"seed": "i32", "o_int": "*u32", "o_uni": "*fp32", "o_norm": "*fp32"},
    {"BLOCK": 64},
)
CASES.add(philox_raw, {"seed": "i64", "out": "*fp32"}, {"BLOCK": 64})
CASES.add(uniform_from_int64, {"seed": "i32", "src": "*u64", "out": "*fp32"}, {"BLOCK": 64})
CASES.add(
    seeded_from_memory,
    {"seed_ptr": "*i32", "out": "*fp16", "stride": "i32"},
    {"BLOCK": 128},
)
CASES.add(box_muller_manual, {"seed": "i32", "out": "*fp32"}, {"BLOCK": 128})
