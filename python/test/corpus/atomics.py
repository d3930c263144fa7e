"""Atomic read-modify-write operations: add/max/min/and/or/xor/xchg/cas on scalars and
tensors, masked, with every memory-ordering ``sem`` and ``scope``, on several dtypes."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("atomics")


@triton.jit
def atomic_add_tensor_masked(src, acc, n, BLOCK: tl.constexpr):
    """Masked tensor ``atomic_add`` whose returned old values are stored back."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    vals = tl.load(src + offs, mask=mask, other=0)
    old = tl.atomic_add(acc + offs % 16, vals, mask=mask)
    tl.store(src + offs, old, mask=mask)


@triton.jit
def atomic_add_scalar(counter, out):
    """Scalar ``atomic_add`` as a ticket counter; the ticket is stored per program."""
    ticket = tl.atomic_add(counter, 1)
    tl.store(out + tl.program_id(0), ticket)


@triton.jit
def atomic_add_reduce_2d(src, out, M: tl.constexpr, N: tl.constexpr):
    """Row sums of a 2-D tile scattered with a 1-D tensor ``atomic_add``."""
    x = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    tl.atomic_add(out + tl.arange(0, M), tl.sum(x, axis=1))


@triton.jit
def atomic_add_tile_2d(src, out, M: tl.constexpr, N: tl.constexpr):
    """A 2-D tensor of pointers updated with ``atomic_add`` (no return value used)."""
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    tl.atomic_add(out + offs, tl.load(src + offs))


@triton.jit
def atomic_max_min(src, hi, lo, n, BLOCK: tl.constexpr):
    """Tensor ``atomic_max``/``atomic_min`` into a single location (masked)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(src + offs, mask=mask)
    zero = tl.zeros((BLOCK,), dtype=tl.int32)
    tl.atomic_max(hi + zero, x, mask=mask)
    tl.atomic_min(lo + zero, x, mask=mask)


@triton.jit
def atomic_max_scalar_block(src, hi, lo, BLOCK: tl.constexpr):
    """Scalar ``atomic_max``/``atomic_min`` of a block reduction."""
    x = tl.load(src + tl.program_id(0) * BLOCK + tl.arange(0, BLOCK))
    tl.atomic_max(hi, tl.max(x, axis=0))
    tl.atomic_min(lo, tl.min(x, axis=0))


@triton.jit
def atomic_bitwise(flags, bits, n, BLOCK: tl.constexpr):
    """``atomic_and``, ``atomic_or``, ``atomic_xor`` on integer words."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    b = tl.load(bits + offs, mask=mask, other=0)
    slot = flags + offs % 4
    tl.atomic_or(slot, b, mask=mask)
    tl.atomic_and(slot + 4, ~b, mask=mask)
    tl.atomic_xor(slot + 8, b, mask=mask)


@triton.jit
def atomic_xchg_tensor(dst, src, prev, BLOCK: tl.constexpr):
    """Tensor ``atomic_xchg`` returning the previous values."""
    offs = tl.arange(0, BLOCK)
    old = tl.atomic_xchg(dst + offs, tl.load(src + offs))
    tl.store(prev + offs, old)


@triton.jit
def spin_lock_cas(lock, data, BLOCK: tl.constexpr):
    """A spin lock: ``atomic_cas`` acquire loop, guarded update, ``atomic_xchg`` release."""
    while tl.atomic_cas(lock, 0, 1, sem="acquire") == 1:
        pass
    offs = tl.arange(0, BLOCK)
    tl.store(data + offs, tl.load(data + offs) + tl.program_id(0).to(tl.float32))
    tl.atomic_xchg(lock, 0, sem="release")


@triton.jit
def atomic_cas_tensor(slots, expected, desired, prev, BLOCK: tl.constexpr):
    """Tensor ``atomic_cas`` with per-element compare and swap values."""
    offs = tl.arange(0, BLOCK)
    old = tl.atomic_cas(slots + offs, tl.load(expected + offs), tl.load(desired + offs))
    tl.store(prev + offs, old)


@triton.jit
def atomic_sem_scope(ptr, vals, BLOCK: tl.constexpr, SEM: tl.constexpr, SCOPE: tl.constexpr):
    """``atomic_add`` and ``atomic_max`` under a given ``sem`` and ``scope``."""
    offs = tl.arange(0, BLOCK)
    v = tl.load(vals + offs)
    tl.atomic_add(ptr + offs, v, sem=SEM, scope=SCOPE)
    tl.atomic_max(ptr + BLOCK + offs, v, sem=SEM, scope=SCOPE)


@triton.jit
def atomic_cas_sem_scope(ptr, out, SEM: tl.constexpr, SCOPE: tl.constexpr):
    """Scalar ``atomic_cas`` under a given ``sem`` and ``scope``."""
    old = tl.atomic_cas(ptr, tl.program_id(0), tl.program_id(0) + 1, sem=SEM, scope=SCOPE)
    tl.store(out + tl.program_id(0), old)


@triton.jit
def last_block_finalize(partials, counter, out, BLOCK: tl.constexpr):
    """Write a partial, bump a counter with acq_rel; the last program reduces all partials."""
    pid = tl.program_id(0)
    nprog = tl.num_programs(0)
    tl.store(partials + pid, pid.to(tl.float32) * 0.5)
    done = tl.atomic_add(counter, 1, sem="acq_rel", scope="gpu")
    if done == nprog - 1:
        offs = tl.arange(0, BLOCK)
        total = tl.sum(tl.load(partials + offs, mask=offs < nprog, other=0.0), axis=0)
        tl.store(out, total)
        tl.atomic_xchg(counter, 0, sem="relaxed")


CASES.add(
    atomic_add_tensor_masked,
    {"src": "*fp32", "acc": "*fp32", "n": "i32"},
    {"BLOCK": 128},
)
CASES.add(
    atomic_add_tensor_masked,
    {"src": "*fp16", "acc": "*fp16", "n": "i32"},
    {"BLOCK": 128},
    name="atomic_add_tensor_masked_fp16",
)
CASES.add(
    atomic_add_tensor_masked,
    {"src": "*bf16", "acc": "*bf16", "n": "i32"},
    {"BLOCK": 128},
    name="atomic_add_tensor_masked_bf16",
)
CASES.add(
    atomic_add_tensor_masked,
    {"src": "*i64", "acc": "*i64", "n": "i32"},
    {"BLOCK": 64},
    name="atomic_add_tensor_masked_i64",
)
CASES.add(atomic_add_scalar, {"counter": "*i32", "out": "*i32"})
CASES.add(atomic_add_scalar, {"counter": "*i64", "out": "*i64"}, name="atomic_add_scalar_i64")
CASES.add(atomic_add_reduce_2d, {"src": "*fp32", "out": "*fp32"}, {"M": 16, "N": 64})
CASES.add(atomic_add_tile_2d, {"src": "*fp64", "out": "*fp64"}, {"M": 8, "N": 16})
CASES.add(
    atomic_max_min,
    {"src": "*i32", "hi": "*i32", "lo": "*i32", "n": "i32"},
    {"BLOCK": 128},
)
CASES.add(
    atomic_max_min,
    {"src": "*fp32", "hi": "*fp32", "lo": "*fp32", "n": "i32"},
    {"BLOCK": 128},
    name="atomic_max_min_fp32",
)
CASES.add(
    atomic_max_min,
    {"src": "*u32", "hi": "*u32", "lo": "*u32", "n": "i32"},
    {"BLOCK": 64},
    name="atomic_max_min_u32",
)
CASES.add(
    atomic_max_scalar_block,
    {"src": "*fp32", "hi": "*fp32", "lo": "*fp32"},
    {"BLOCK": 256},
)
CASES.add(
    atomic_max_scalar_block,
    {"src": "*i64", "hi": "*i64", "lo": "*i64"},
    {"BLOCK": 64},
    name="atomic_max_scalar_block_i64",
)
CASES.add(atomic_bitwise, {"flags": "*i32", "bits": "*i32", "n": "i32"}, {"BLOCK": 128})
CASES.add(
    atomic_bitwise,
    {"flags": "*i64", "bits": "*i64", "n": "i32"},
    {"BLOCK": 64},
    name="atomic_bitwise_i64",
)
CASES.add(
    atomic_bitwise,
    {"flags": "*u32", "bits": "*u32", "n": "i32"},
    {"BLOCK": 64},
    name="atomic_bitwise_u32",
)
CASES.add(atomic_xchg_tensor, {"dst": "*fp32", "src": "*fp32", "prev": "*fp32"}, {"BLOCK": 64})
CASES.add(
    atomic_xchg_tensor,
    {"dst": "*i64", "src": "*i64", "prev": "*i64"},
    {"BLOCK": 64},
    name="atomic_xchg_tensor_i64",
)
CASES.add(spin_lock_cas, {"lock": "*i32", "data": "*fp32"}, {"BLOCK": 64})
CASES.add(
    atomic_cas_tensor,
    {"slots": "*i32", "expected": "*i32", "desired": "*i32", "prev": "*i32"},
    {"BLOCK": 64},
)
CASES.add(
    atomic_cas_tensor,
    {"slots": "*i64", "expected": "*i64", "desired": "*i64", "prev": "*i64"},
    {"BLOCK": 32},
    name="atomic_cas_tensor_i64",
)
for _sem, _scope in (
    ("relaxed", "gpu"),
    ("acquire", "cta"),
    ("release", "sys"),
    ("acq_rel", "gpu"),
):
    CASES.add(
        atomic_sem_scope,
        {"ptr": "*i32", "vals": "*i32"},
        {"BLOCK": 64, "SEM": _sem, "SCOPE": _scope},
        name=f"atomic_sem_{_sem}_{_scope}",
    )
for _sem, _scope in (("relaxed", "cta"), ("acq_rel", "sys")):
    CASES.add(
        atomic_cas_sem_scope,
        {"ptr": "*i32", "out": "*i32"},
        {"SEM": _sem, "SCOPE": _scope},
        name=f"atomic_cas_{_sem}_{_scope}",
    )
CASES.add(
    atomic_sem_scope,
    {"ptr": "*fp32", "vals": "*fp32"},
    {"BLOCK": 64, "SEM": "acq_rel", "SCOPE": "cta"},
    name="atomic_sem_acq_rel_cta_fp32",
)
CASES.add(
    last_block_finalize,
    {"partials": "*fp32", "counter": "*i32", "out": "*fp32"},
    {"BLOCK": 256},
)
