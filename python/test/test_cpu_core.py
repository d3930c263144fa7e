"""The host-CPU lane through its C API (libflagtree_cpu.so, via ctypes).

Each case compiles a real Triton kernel to TTIR (no GPU needed), compiles
that TTIR with flagtree's FLIR lane to native code, runs the launch grid on
torch CPU tensors and compares with torch.
"""

from __future__ import annotations

import os
import select
import signal
import time

import pytest
import torch
import triton
import triton.language as tl


class CPUKernelError(Exception):
    """Raised where the CPU lane refuses a kernel (its diagnostics)."""


@pytest.fixture(scope="module")
def cpu():
    """The CPU lane's native side (libflagtree_cpu.so through its C API)."""
    from flagtree.lanes.cpu import jit

    return jit


class CPUKernel:
    """A compiled kernel; call it with a grid, tensors and Python scalars."""

    def __init__(self, cpu, ttir: str, options: str = "") -> None:
        try:
            self._kernel = cpu.compile_ttir(ttir, "kernel.ttir", options)
        except cpu.CPUCompileError as exc:
            raise CPUKernelError(str(exc)) from exc
        self.signature = self._kernel.signature
        self.compile_ms = self._kernel.compile_ms

    def __call__(self, grid: tuple[int, ...], *args, num_threads: int = 0) -> None:
        grid = tuple(grid) + (1,) * (3 - len(grid))
        self._kernel.launch(grid, list(args), num_threads)


def ttir_of(fn, signature: dict[str, str], constexprs: dict[str, object]) -> str:
    source = triton.compiler.ASTSource(fn=fn, signature=signature, constexprs=constexprs)
    target = triton.backends.compiler.GPUTarget("cuda", 90, 32)
    return triton.compile(source, target=target).asm["ttir"]


COMPILE_MS: dict[str, float] = {}


def compile_cpu(cpu, name: str, fn, signature, constexprs) -> CPUKernel:
    kernel = CPUKernel(cpu, ttir_of(fn, signature, constexprs))
    COMPILE_MS[name] = kernel.compile_ms
    print(f"\n[flagtree-cpu] {name}: compiled in {kernel.compile_ms:.0f} ms")
    return kernel


def build(cpu, name: str, fn, signature: dict[str, str], **constexprs) -> CPUKernel:
    """Compiles ``fn`` with the given run-time types and constexpr values."""
    for key in constexprs:
        signature[key] = "constexpr"
    return compile_cpu(cpu, name, fn, signature, constexprs)


# --------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------


@triton.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.load(y_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x + y, mask=mask)


@triton.jit
def softmax_kernel(out_ptr, in_ptr, in_stride, out_stride, n_cols, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < n_cols
    x = tl.load(in_ptr + row * in_stride + cols, mask=mask, other=-float("inf"))
    x = x - tl.max(x, axis=0)
    num = tl.exp(x)
    den = tl.sum(num, axis=0)
    tl.store(out_ptr + row * out_stride + cols, num / den, mask=mask)


@triton.jit
def matmul_kernel(
    a_ptr, b_ptr, c_ptr, M, N, K, sam, sak, sbk, sbn, scm, scn,
    BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr,
):  # fmt: skip
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    rm = pid_m * BM + tl.arange(0, BM)
    rn = pid_n * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    a_ptrs = a_ptr + rm[:, None] * sam + rk[None, :] * sak
    b_ptrs = b_ptr + rk[:, None] * sbk + rn[None, :] * sbn
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in range(0, K, BK):
        a = tl.load(a_ptrs, mask=(rm[:, None] < M) & (rk[None, :] + k < K), other=0.0)
        b = tl.load(b_ptrs, mask=(rk[:, None] + k < K) & (rn[None, :] < N), other=0.0)
        acc = tl.dot(a, b, acc)
        a_ptrs += BK * sak
        b_ptrs += BK * sbk
    c_ptrs = c_ptr + rm[:, None] * scm + rn[None, :] * scn
    tl.store(c_ptrs, acc, mask=(rm[:, None] < M) & (rn[None, :] < N))


@triton.jit
def layernorm_kernel(x_ptr, y_ptr, w_ptr, b_ptr, stride, N, eps, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    x_ptr += row * stride
    y_ptr += row * stride
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + cols, mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=0) / N
    xc = tl.where(mask, x - mean, 0.0)
    var = tl.sum(xc * xc, axis=0) / N
    rstd = 1 / tl.sqrt(var + eps)
    w = tl.load(w_ptr + cols, mask=mask)
    b = tl.load(b_ptr + cols, mask=mask)
    tl.store(y_ptr + cols, xc * rstd * w + b, mask=mask)


@triton.jit
def sum_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n, other=0.0)
    tl.store(out_ptr + pid, tl.sum(x, axis=0))


@triton.jit
def gather_kernel(x_ptr, idx_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    idx = tl.load(idx_ptr + offs, mask=mask, other=0)
    tl.store(out_ptr + offs, tl.load(x_ptr + idx, mask=mask), mask=mask)


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------

F32 = "*fp32"


def _vector_add(cpu, block: int):
    return compile_cpu(
        cpu, "vector_add", add_kernel,
        {"x_ptr": F32, "y_ptr": F32, "out_ptr": F32, "n": "i32", "BLOCK": "constexpr"},
        {"BLOCK": block},
    )  # fmt: skip


@pytest.mark.parametrize("num_threads", [1, 0])
def test_vector_add_masked(cpu, num_threads):
    kernel = _vector_add(cpu, 128)
    assert kernel.signature == ["*fp32", "*fp32", "*fp32", "i32"]
    n = 1000  # not a multiple of the block: the last program is masked
    x, y = torch.randn(n), torch.randn(n)
    out = torch.full((n + 16,), 7.0)  # guard elements past n must stay
    kernel((triton.cdiv(n, 128),), x, y, out, n, num_threads=num_threads)
    torch.testing.assert_close(out[:n], x + y, rtol=0, atol=0)
    assert torch.all(out[n:] == 7.0)


def test_a_forked_child_launches_on_threads_of_its_own(cpu):
    # The parent's workers are not in the child: its first launch on several
    # threads must start a pool of its own (and not wait on the parent's).
    kernel = _vector_add(cpu, 128)
    n = 128 * 64
    x, y = torch.randn(n), torch.randn(n)
    out = torch.zeros(n)
    kernel((64,), x, y, out, n, num_threads=2)  # the parent's workers start
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        status = 1
        try:
            out.zero_()
            kernel((64,), x, y, out, n, num_threads=2)
            status = 0 if torch.equal(out, x + y) else 2
        finally:
            os.write(writer, bytes([status]))
            os._exit(0)
    os.close(writer)
    try:
        with os.fdopen(reader, "rb") as pipe:
            ready, _, _ = select.select([pipe], [], [], 60)
            assert ready, "the child's launch did not return"
            assert pipe.read(1) == b"\x00"
    finally:
        os.kill(child, signal.SIGKILL)  # a child that exited is only reaped
        os.waitpid(child, 0)
    out.zero_()
    kernel((64,), x, y, out, n, num_threads=2)  # and the parent's still work
    assert torch.equal(out, x + y)


# 100 columns: the masked rows are copied into a padded tile; 128: the
# row fills the tile, and the max, the exponentials and the sum read it
# in place.
@pytest.mark.parametrize("cols", [100, 128])
def test_softmax_rows(cpu, cols):
    kernel = compile_cpu(
        cpu, "softmax", softmax_kernel,
        {"out_ptr": F32, "in_ptr": F32, "in_stride": "i32", "out_stride": "i32",
         "n_cols": "i32", "BLOCK": "constexpr"},
        {"BLOCK": 128},
    )  # fmt: skip
    rows = 37
    x = torch.randn(rows, cols) * 4 - 50
    out = torch.empty_like(x)
    kernel((rows,), out, x, x.stride(0), out.stride(0), cols)
    torch.testing.assert_close(out, torch.softmax(x, dim=1), rtol=1e-5, atol=1e-6)


def test_matmul_k_loop(cpu):
    sig = {name: F32 for name in ("a_ptr", "b_ptr", "c_ptr")}
    sig.update({name: "i32" for name in ("M", "N", "K", "sam", "sak", "sbk", "sbn", "scm", "scn")})
    sig.update({"BM": "constexpr", "BN": "constexpr", "BK": "constexpr"})
    kernel = compile_cpu(cpu, "matmul", matmul_kernel, sig, {"BM": 32, "BN": 32, "BK": 16})
    M, N, K = 70, 45, 53  # no dimension is a multiple of its block
    a, b = torch.randn(M, K), torch.randn(K, N)
    c = torch.empty(M, N)
    grid = (triton.cdiv(M, 32), triton.cdiv(N, 32))
    kernel(grid, a, b, c, M, N, K, *a.stride(), *b.stride(), *c.stride())
    torch.testing.assert_close(c, a @ b, rtol=1e-4, atol=1e-4)


def test_layer_norm_forward(cpu):
    kernel = compile_cpu(
        cpu, "layer_norm", layernorm_kernel,
        {"x_ptr": F32, "y_ptr": F32, "w_ptr": F32, "b_ptr": F32, "stride": "i32",
         "N": "i32", "eps": "fp32", "BLOCK": "constexpr"},
        {"BLOCK": 256},
    )  # fmt: skip
    rows, n = 19, 200
    x, w, b = torch.randn(rows, n), torch.randn(n), torch.randn(n)
    y = torch.empty_like(x)
    kernel((rows,), x, y, w, b, x.stride(0), n, 1e-5)
    ref = torch.nn.functional.layer_norm(x, (n,), w, b, eps=1e-5)
    torch.testing.assert_close(y, ref, rtol=1e-4, atol=1e-5)


def test_sum_reduction_masked(cpu):
    kernel = compile_cpu(
        cpu, "sum", sum_kernel,
        {"x_ptr": F32, "out_ptr": F32, "n": "i32", "BLOCK": "constexpr"},
        {"BLOCK": 256},
    )  # fmt: skip
    n = 3000
    x = torch.randn(n)
    programs = triton.cdiv(n, 256)
    out = torch.empty(programs)
    kernel((programs,), x, out, n)
    ref = torch.stack([chunk.sum() for chunk in x.split(256)])
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-5)


def test_gather_fallback(cpu):
    kernel = compile_cpu(
        cpu, "gather", gather_kernel,
        {"x_ptr": F32, "idx_ptr": "*i32", "out_ptr": F32, "n": "i32", "BLOCK": "constexpr"},
        {"BLOCK": 64},
    )  # fmt: skip
    n = 300
    x = torch.randn(1000)
    idx = torch.randint(0, 1000, (n,), dtype=torch.int32)
    out = torch.zeros(n)
    kernel((triton.cdiv(n, 64),), x, idx, out, n)
    torch.testing.assert_close(out, x[idx.long()], rtol=0, atol=0)


def test_unsupported_op_is_a_diagnostic(cpu):
    @triton.jit
    def asm_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
        x = tl.load(x_ptr + tl.arange(0, BLOCK))
        y = tl.inline_asm_elementwise(
            "mov.b32 $0, $1;", "=r,r", [x], dtype=tl.int32, is_pure=True, pack=1
        )
        tl.store(out_ptr + tl.arange(0, BLOCK), y)

    ttir = ttir_of(
        asm_kernel, {"x_ptr": "*i32", "out_ptr": "*i32", "BLOCK": "constexpr"}, {"BLOCK": 64}
    )
    with pytest.raises(
        CPUKernelError,
        match=r"test_cpu_core.py:\d+:\d+: error: 'tt.elementwise_inline_asm' is not supported",
    ):
        CPUKernel(cpu, ttir)


def test_launch_time_is_small(cpu):
    kernel = _vector_add(cpu, 1024)
    n = 1 << 20
    x, y, out = torch.randn(n), torch.randn(n), torch.empty(n)
    kernel((n // 1024,), x, y, out, n)
    start = time.perf_counter()
    kernel((n // 1024,), x, y, out, n)
    elapsed = time.perf_counter() - start
    torch.testing.assert_close(out, x + y, rtol=0, atol=0)
    assert elapsed < 1.0


def test_timing_report_names_the_passes_and_llvm(cpu, capfd, monkeypatch):
    @triton.jit
    def timed_copy(x_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        tl.store(out_ptr + offs, tl.load(x_ptr + offs))

    monkeypatch.setenv("FLAGTREE_CPU_TIMING", "1")
    ttir = ttir_of(timed_copy, {"x_ptr": "*fp32", "out_ptr": "*fp32"}, {"BLOCK": 64})
    kernel = CPUKernel(cpu, ttir)
    x, out = torch.randn(64), torch.empty(64)
    kernel((1,), x, out)
    assert torch.equal(out, x)
    err = capfd.readouterr().err
    assert "compile times of timed_copy" in err
    for phase in (
        "ConvertTritonToFLIR",
        "CPUVectorizeLinalg",
        "LLVM IR translation and optimization",
        "machine code generation",
        "Total",
    ):
        assert phase in err, phase


def test_no_timing_report_by_default(cpu, capfd, monkeypatch):
    @triton.jit
    def untimed_copy(x_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        tl.store(out_ptr + offs, tl.load(x_ptr + offs))

    monkeypatch.delenv("FLAGTREE_CPU_TIMING", raising=False)
    ttir = ttir_of(untimed_copy, {"x_ptr": "*fp32", "out_ptr": "*fp32"}, {"BLOCK": 64})
    CPUKernel(cpu, ttir)
    assert "Execution time report" not in capfd.readouterr().err
