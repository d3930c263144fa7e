"""FLAGTREE_CPU_SANITIZE: the CPU lane's kernels under AddressSanitizer.

Each case runs a kernel in a fresh Python process, since the ASan runtime
must be preloaded at start-up. A masked access past the end of a tensor
must stay silent; the same access without its mask must be reported."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import textwrap

import pytest

RUNTIMES = glob.glob("/usr/lib/llvm-22/lib/clang/*/lib/linux/libclang_rt.asan-x86_64.so")

KERNEL = textwrap.dedent(
    """
    import sys
    import torch
    import triton
    import triton.language as tl

    @triton.jit
    def scale(x_ptr, y_ptr, n, BLOCK: tl.constexpr, MASKED: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        if MASKED:
            x = tl.load(x_ptr + offs, mask=offs < n, other=0.0)
            tl.store(y_ptr + offs, x * 2, mask=offs < n)
        else:
            # The bug: no mask on the load. The store covers the whole
            # block, so the elements read past `n` are really used.
            x = tl.load(x_ptr + offs)
            tl.store(y_ptr + offs, x * 2)

    n = 1000
    x = torch.randn(n)
    y = torch.empty(1024)
    scale[(triton.cdiv(n, 128),)](x, y, n, BLOCK=128, MASKED=sys.argv[1] == "masked")
    assert torch.equal(y[:n], x * 2)
    print("kernel ran")
    """
)


def run_kernel(tmp_path, mode: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    script = tmp_path / "kernel.py"
    script.write_text(KERNEL)
    full_env = dict(os.environ)
    full_env.pop("LD_PRELOAD", None)
    full_env.update(env)
    full_env["TRITON_CACHE_DIR"] = str(tmp_path / "cache")
    return subprocess.run(
        [sys.executable, str(script), mode],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def asan_env() -> dict[str, str]:
    assert RUNTIMES, "libclang-rt-22-dev (LLVM 22's ASan runtime) is not installed"
    return {
        "LD_PRELOAD": RUNTIMES[0],
        "ASAN_OPTIONS": "detect_leaks=0",
        "FLAGTREE_CPU_SANITIZE": "address",
    }


def test_masked_lanes_never_touch_memory(tmp_path):
    result = run_kernel(tmp_path, "masked", asan_env())
    assert result.returncode == 0, result.stderr[-3000:]
    assert "kernel ran" in result.stdout
    assert "AddressSanitizer" not in result.stderr


def test_unmasked_read_past_the_end_is_reported(tmp_path):
    result = run_kernel(tmp_path, "unmasked", asan_env())
    assert result.returncode != 0
    assert "ERROR: AddressSanitizer: heap-buffer-overflow" in result.stderr
    assert "READ of size" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("address", "needs the AddressSanitizer runtime in the process"),
        ("thread", "FLAGTREE_CPU_SANITIZE=thread is not a sanitizer the CPU lane knows"),
    ],
)
def test_sanitize_knob_errors_are_clear(tmp_path, value, message):
    result = run_kernel(tmp_path, "masked", {"FLAGTREE_CPU_SANITIZE": value})
    assert result.returncode != 0
    assert message in result.stderr


def test_instrumented_kernels_keep_no_object_code(tmp_path):
    # Each process compiles (and instruments) the kernel again: an object
    # kept from one would run unchecked in the next.
    for _ in range(2):
        result = run_kernel(tmp_path, "unmasked", asan_env())
        assert "ERROR: AddressSanitizer: heap-buffer-overflow" in result.stderr
    assert not list((tmp_path / "cache").rglob("kernel.o"))
