"""Kernels with hint comments; tests refer to these lines."""

import triton
import triton.language as tl


@triton.jit
def hinted_sum(a_ptr, out_ptr, K, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for k in range(0, K):  # @hint: num_stages=2
        x = tl.load(a_ptr + k * BLOCK + offs)  # @hint: cache=cg
        acc += x
    tl.store(out_ptr + offs, acc)


@triton.jit
def plain_sum(a_ptr, out_ptr, K, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for k in range(0, K):
        x = tl.load(a_ptr + k * BLOCK + offs)
        acc += x
    tl.store(out_ptr + offs, acc)


@triton.jit
def ignored_hint(a_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(a_ptr + offs)  # @hint: shared_memory
    tl.store(out_ptr + offs, x)


@triton.jit
def conflicting_hint(a_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(a_ptr + offs, mask=offs < 100, eviction_policy="evict_first")  # @hint: cache=cg
    tl.store(out_ptr + offs, x, mask=offs < 100)
