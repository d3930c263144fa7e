"""Hinted kernels and their unhinted twins, for measuring what hints do.

Each :class:`HintCase` pairs a kernel carrying ``# @hint:`` comments with a
twin that is the same kernel without them; both run on the same inputs.
``scripts/bench_hints.py`` times the pairs side by side on a GPU, and the
tests check on every lane that a hinted kernel computes what its twin does.
The twins are derived (:func:`unhinted`): the kernel's own source with its
hint comments removed, so that a twin differs from its kernel in nothing
else.
"""

from __future__ import annotations

import inspect
import io
import linecache
import textwrap
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import triton
import triton.language as tl


def unhinted(kernel):
    """A twin of ``kernel`` (a ``@triton.jit`` function): its source with
    every ``# @hint:`` comment removed, compiled in the kernel's module
    globals. The source is registered with linecache under a name that is
    no file, so Triton can read it and no hint table finds it."""
    source = textwrap.dedent(inspect.getsource(kernel.fn))
    lines = source.splitlines(keepends=True)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and "@hint" in token.string:
            row, col = token.start
            lines[row - 1] = lines[row - 1][:col].rstrip() + "\n"
    text = "".join(lines)
    name = f"<unhinted {kernel.fn.__module__}.{kernel.fn.__name__}>"
    linecache.cache[name] = (len(text), None, text.splitlines(keepends=True), name)
    namespace = dict(kernel.fn.__globals__)
    exec(compile(text, name, "exec"), namespace)
    return namespace[kernel.fn.__name__]


# --- matrix-vector product: a K loop of loads that feed no tl.dot ---------


@triton.jit
def gemv_pipelined(a_ptr, x_ptr, y_ptr, M, K, BLOCK_M: tl.constexpr, BLOCK_K: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    acc = tl.zeros([BLOCK_M], dtype=tl.float32)
    for k in range(0, K, BLOCK_K):  # @hint: num_stages=4
        cols = k + tl.arange(0, BLOCK_K)
        a = tl.load(a_ptr + rows[:, None] * K + cols[None, :])
        x = tl.load(x_ptr + cols)
        acc += tl.sum(a.to(tl.float32) * x[None, :].to(tl.float32), axis=1)
    tl.store(y_ptr + rows, acc)


@triton.jit
def gemv_staged(a_ptr, x_ptr, y_ptr, M, K, BLOCK_M: tl.constexpr, BLOCK_K: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    acc = tl.zeros([BLOCK_M], dtype=tl.float32)
    for k in range(0, K, BLOCK_K):
        cols = k + tl.arange(0, BLOCK_K)
        a = tl.load(a_ptr + rows[:, None] * K + cols[None, :])  # @hint: shared_memory
        x = tl.load(x_ptr + cols)
        acc += tl.sum(a.to(tl.float32) * x[None, :].to(tl.float32), axis=1)
    tl.store(y_ptr + rows, acc)


# --- row sums of long rows: one program walks a whole row ------------------


@triton.jit
def row_sum_pipelined(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for start in range(0, N, BLOCK):  # @hint: num_stages=4
        offs = start + tl.arange(0, BLOCK)
        acc += tl.load(x_ptr + row * N + offs, mask=offs < N, other=0.0)
    tl.store(y_ptr + row, tl.sum(acc, axis=0))


@triton.jit
def row_sum_staged(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for start in range(0, N, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        acc += tl.load(x_ptr + row * N + offs, mask=offs < N, other=0.0)  # @hint: shared_memory
    tl.store(y_ptr + row, tl.sum(acc, axis=0))


# --- layer norm of long rows: a statistics loop, then a normalizing loop --


@triton.jit
def layer_norm_pipelined(x_ptr, w_ptr, y_ptr, N, eps, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    total = tl.zeros([BLOCK], dtype=tl.float32)
    squares = tl.zeros([BLOCK], dtype=tl.float32)
    for start in range(0, N, BLOCK):  # @hint: num_stages=4
        offs = start + tl.arange(0, BLOCK)
        x = tl.load(x_ptr + row * N + offs, mask=offs < N, other=0.0)
        total += x
        squares += x * x
    mean = tl.sum(total, axis=0) / N
    rstd = 1.0 / tl.sqrt(tl.sum(squares, axis=0) / N - mean * mean + eps)
    for start in range(0, N, BLOCK):  # @hint: num_stages=4
        offs = start + tl.arange(0, BLOCK)
        x = tl.load(x_ptr + row * N + offs, mask=offs < N, other=0.0)
        w = tl.load(w_ptr + offs, mask=offs < N, other=0.0)
        tl.store(y_ptr + row * N + offs, (x - mean) * rstd * w, mask=offs < N)


# --- online softmax statistics of long rows (max and sum of exp) ----------


@triton.jit
def row_logsumexp_pipelined(x_ptr, y_ptr, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    m = tl.full([BLOCK], float("-inf"), dtype=tl.float32)
    s = tl.zeros([BLOCK], dtype=tl.float32)
    for start in range(0, N, BLOCK):  # @hint: num_stages=3
        offs = start + tl.arange(0, BLOCK)
        x = tl.load(x_ptr + row * N + offs, mask=offs < N, other=float("-inf"))
        m_new = tl.maximum(m, x)
        s = s * tl.exp(m - m_new) + tl.where(x == float("-inf"), 0.0, tl.exp(x - m_new))
        m = tl.where(m_new == float("-inf"), m, m_new)
    top = tl.max(m, axis=0)
    total = tl.sum(s * tl.exp(m - top), axis=0)
    tl.store(y_ptr + row, top + tl.log(total))


# --- a K-tile reduction in one program, two buffers ------------------------


@triton.jit
def tile_sum_two_stages(a_ptr, out_ptr, K, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for k in range(0, K):  # @hint: num_stages=2
        acc += tl.load(a_ptr + k * BLOCK + offs)
    tl.store(out_ptr + offs, acc)


# --- a tiled matmul: stages and warp specialization of its K loop ----------


@triton.jit
def matmul_four_stages(a_ptr, b_ptr, c_ptr, M, N, K, BLOCK_M: tl.constexpr,
                       BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):  # fmt: skip
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    rk = tl.arange(0, BLOCK_K)
    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    for k in range(0, K, BLOCK_K):  # @hint: num_stages=4
        a = tl.load(a_ptr + rm[:, None] * K + (k + rk)[None, :])
        b = tl.load(b_ptr + (k + rk)[:, None] * N + rn[None, :])
        acc = tl.dot(a, b, acc)
    tl.store(c_ptr + rm[:, None] * N + rn[None, :], acc.to(tl.float16))


@triton.jit
def matmul_warp_specialized(a_ptr, b_ptr, c_ptr, M, N, K, BLOCK_M: tl.constexpr,
                            BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):  # fmt: skip
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    rk = tl.arange(0, BLOCK_K)
    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    for k in range(0, K, BLOCK_K):  # @hint: warp_specialize
        a = tl.load(a_ptr + rm[:, None] * K + (k + rk)[None, :])
        b = tl.load(b_ptr + (k + rk)[:, None] * N + rn[None, :])
        acc = tl.dot(a, b, acc)
    tl.store(c_ptr + rm[:, None] * N + rn[None, :], acc.to(tl.float16))


# --- a streaming scale: access hints on a load read once -------------------


@triton.jit
def scale_streaming(x_ptr, w_ptr, y_ptr, N, COLS: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < N)  # @hint: evict_first
    w = tl.load(w_ptr + offs % COLS, mask=offs < N)  # @hint: evict_last
    tl.store(y_ptr + offs, x * w, mask=offs < N)  # @hint: cache=cs


# --- the cases -------------------------------------------------------------


@dataclass(frozen=True)
class HintCase:
    """A hinted kernel, its twin, and how to run and check them."""

    name: str
    hints: str  # what the hinted kernel says, for reports
    hinted: object
    #: make_inputs(device, small) -> inputs; small: sizes for a CPU test
    make_inputs: Callable[[torch.device, bool], tuple]
    #: launch(kernel, inputs) -> output tensor
    launch: Callable[[object, tuple], torch.Tensor]
    reference: Callable[[tuple], torch.Tensor]
    atol: float
    rtol: float
    #: what the hint should change in the NVIDIA lane's TTGIR: a substring
    #: found more often in the hinted kernel's TTGIR than in its twin's
    ttgir_marker: str = ""
    #: the hinted kernel without its hints (:func:`unhinted`)
    plain: object = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "plain", unhinted(self.hinted))


def _gemv_inputs(device, small):
    m, k = (128, 512) if small else (8192, 8192)
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(m, k, generator=gen).to(device=device, dtype=torch.float16)
    x = torch.randn(k, generator=gen).to(device=device, dtype=torch.float16)
    return a, x


def _gemv(kernel, inputs):
    a, x = inputs
    m, k = a.shape
    y = torch.empty(m, device=a.device, dtype=torch.float32)
    kernel[(m // 64,)](a, x, y, m, k, BLOCK_M=64, BLOCK_K=128)
    return y


def _rows_inputs(device, small):
    m, n = (8, 3000) if small else (264, 262144)
    gen = torch.Generator().manual_seed(1)
    return (torch.randn(m, n, generator=gen).to(device),)


def _row_kernel(kernel, inputs):
    (x,) = inputs
    y = torch.empty(x.shape[0], device=x.device, dtype=torch.float32)
    kernel[(x.shape[0],)](x, y, x.shape[1], BLOCK=1024)
    return y


def _norm_inputs(device, small):
    m, n = (8, 3000) if small else (264, 65536)
    gen = torch.Generator().manual_seed(5)
    x = torch.randn(m, n, generator=gen).to(device)
    return x, torch.rand(n, generator=gen).to(device)


def _layer_norm(kernel, inputs):
    x, w = inputs
    y = torch.empty_like(x)
    kernel[(x.shape[0],)](x, w, y, x.shape[1], 1e-5, BLOCK=1024)
    return y


def _layer_norm_reference(inputs):
    x, w = inputs
    return torch.nn.functional.layer_norm(x.double(), (x.shape[1],), eps=1e-5).float() * w


def _tiles_inputs(device, small):
    k, block = (16, 1024) if small else (4096, 1024)
    gen = torch.Generator().manual_seed(2)
    return (torch.randn(k * block, generator=gen).to(device), k, block)


def _tile_sum(kernel, inputs):
    a, k, block = inputs
    out = torch.empty(block, device=a.device, dtype=torch.float32)
    kernel[(1,)](a, out, k, BLOCK=block)
    return out


def _mm_inputs(device, small):
    size = 128 if small else 4096
    gen = torch.Generator().manual_seed(3)
    a = torch.randn(size, size, generator=gen).to(device=device, dtype=torch.float16)
    b = torch.randn(size, size, generator=gen).to(device=device, dtype=torch.float16)
    return a, b


def _mm(kernel, inputs):
    a, b = inputs
    m, k = a.shape
    n = b.shape[1]
    c = torch.empty(m, n, device=a.device, dtype=torch.float16)
    grid = (m // 128, n // 128)
    kernel[grid](a, b, c, m, n, k, BLOCK_M=128, BLOCK_N=128, BLOCK_K=64, num_warps=8)
    return c


def _scale_inputs(device, small):
    n = 3 * 1024 + 5 if small else 64 * 1024 * 1024
    gen = torch.Generator().manual_seed(4)
    return torch.randn(n, generator=gen).to(device), torch.randn(4096, generator=gen).to(device)


def _scale(kernel, inputs):
    x, w = inputs
    y = torch.empty_like(x)
    kernel[(triton.cdiv(x.numel(), 2048),)](x, w, y, x.numel(), COLS=w.numel(), BLOCK=2048)
    return y


def _scale_reference(inputs):
    x, w = inputs
    cols = torch.arange(x.numel(), device=x.device) % w.numel()
    return x * w[cols]


CASES: tuple[HintCase, ...] = (
    HintCase(
        "gemv fp16 8192x8192",
        "num_stages=4 on the K loop",
        gemv_pipelined,
        _gemv_inputs,
        _gemv,
        lambda i: i[0].float() @ i[1].float(),
        1e-2,
        1e-3,
        "async_copy_global_to_local",
    ),
    HintCase(
        "gemv fp16 8192x8192 (load hint)",
        "shared_memory on the matrix load",
        gemv_staged,
        _gemv_inputs,
        _gemv,
        lambda i: i[0].float() @ i[1].float(),
        1e-2,
        1e-3,
        "async_copy_global_to_local",
    ),
    HintCase(
        "row sum 264x262144 fp32",
        "num_stages=4 on the column loop",
        row_sum_pipelined,
        _rows_inputs,
        _row_kernel,
        lambda i: i[0].double().sum(1).float(),
        1e-2,
        1e-4,
        "async_copy_global_to_local",
    ),
    HintCase(
        "row sum 264x262144 fp32 (load hint)",
        "shared_memory on the row load",
        row_sum_staged,
        _rows_inputs,
        _row_kernel,
        lambda i: i[0].double().sum(1).float(),
        1e-2,
        1e-4,
        "async_copy_global_to_local",
    ),
    HintCase(
        "layer norm 264x65536 fp32",
        "num_stages=4 on both row loops",
        layer_norm_pipelined,
        _norm_inputs,
        _layer_norm,
        _layer_norm_reference,
        1e-4,
        1e-4,
        "async_copy_global_to_local",
    ),
    HintCase(
        "row logsumexp 264x262144 fp32",
        "num_stages=3 on the column loop",
        row_logsumexp_pipelined,
        _rows_inputs,
        _row_kernel,
        lambda i: torch.logsumexp(i[0].double(), 1).float(),
        1e-4,
        1e-5,
        "async_copy_global_to_local",
    ),
    HintCase(
        "tile sum, one program, 4096 tiles",
        "num_stages=2 on the tile loop",
        tile_sum_two_stages,
        _tiles_inputs,
        _tile_sum,
        lambda i: i[0].view(i[1], i[2]).double().sum(0).float(),
        1e-2,
        1e-4,
        "async_copy_global_to_local",
    ),
    HintCase(
        "matmul fp16 4096^3",
        "num_stages=4 on the K loop (default 3)",
        matmul_four_stages,
        _mm_inputs,
        _mm,
        lambda i: (i[0].float() @ i[1].float()).half(),
        1e-1,
        1e-2,
        "tt.num_stages = 4",
    ),
    HintCase(
        "matmul fp16 4096^3 (warp specialization)",
        "warp_specialize on the K loop",
        matmul_warp_specialized,
        _mm_inputs,
        _mm,
        lambda i: (i[0].float() @ i[1].float()).half(),
        1e-1,
        1e-2,
        # Triton 3.6 keeps the loop attribute on sm_90 but does not split
        # the warps of this loop; the benchmark shows what is left.
        "tt.warp_specialize",
    ),
    HintCase(
        "scale 64M fp32 by a 4096-vector",
        "evict_first on the streamed load, evict_last on the reused one, cache=cs on the store",
        scale_streaming,
        _scale_inputs,
        _scale,
        _scale_reference,
        0.0,
        0.0,
        "evict_first",
    ),
)
