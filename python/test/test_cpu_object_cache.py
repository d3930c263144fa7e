"""The CPU lane's object cache: a kernel compiled in one process is linked
from its object code in the next instead of being compiled again.

Within one process, kernels are also kept by their TTIR text; these tests
forget that table (as a new process starts without it) to reach the object
cache, each in a Triton cache directory of its own."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
import torch
import triton
import triton.language as tl

from flagtree.lanes.cpu import jit


@triton.jit
def _axpy(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    out = 3.0 * tl.load(x_ptr + offs, mask=mask) + tl.load(y_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, out, mask=mask)


@triton.jit
def _sorted_rows(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.program_id(0) * N + tl.arange(0, N)
    tl.store(out_ptr + offs, tl.sort(tl.load(x_ptr + offs)))


@pytest.fixture(scope="module")
def axpy_ttir() -> str:
    x = torch.zeros(4096)
    return _axpy[(1,)](x, x, x, 4096, BLOCK=1024).asm["ttir"]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A Triton cache of the test's own, and a process that has compiled
    nothing yet."""
    monkeypatch.setenv("TRITON_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FLAGTREE_CPU_OBJECT_CACHE", raising=False)
    # Instrumented kernels keep no object (`make asan` sets this).
    monkeypatch.delenv("FLAGTREE_CPU_SANITIZE", raising=False)
    monkeypatch.setattr(jit, "_compiled", {})
    return tmp_path


def _as_new_process(monkeypatch) -> None:
    monkeypatch.setattr(jit, "_compiled", {})


def _entry(cache_dir):
    objects = list(cache_dir.rglob(jit._OBJECT_FILE))
    assert len(objects) == 1, objects
    return objects[0], objects[0].with_name(jit._OBJECT_META)


def _check_axpy(kernel: jit.CPUKernel, n: int = 5000) -> None:
    x, y = torch.randn(n), torch.randn(n)
    out = torch.full((n + 32,), 7.0)
    kernel.launch((triton.cdiv(n, 1024), 1, 1), [x, y, out, n])
    torch.testing.assert_close(out[:n], 3.0 * x + y, rtol=0, atol=0)
    assert torch.equal(out[n:], torch.full((32,), 7.0))


def test_the_next_process_links_the_object_code(cache_dir, monkeypatch, axpy_ttir):
    first = jit.compile_ttir(axpy_ttir, "axpy.ttir")
    assert not first.from_object_cache
    code, meta = _entry(cache_dir)
    assert code.read_bytes()[:4] == b"\x7fELF"
    assert json.loads(meta.read_text())["sha256"]
    _as_new_process(monkeypatch)
    second = jit.compile_ttir(axpy_ttir, "axpy.ttir")
    assert second.from_object_cache
    assert second.signature == first.signature
    _check_axpy(second)


def test_a_sort_loads_in_a_fraction_of_its_compile_time(cache_dir, monkeypatch):
    x = torch.randn(4, 512)
    out = torch.empty_like(x)
    text = _sorted_rows[(4,)](x, out, N=512).asm["ttir"]
    for entry in cache_dir.rglob(jit._OBJECT_FILE):  # kept by that first compile
        entry.unlink()
    _as_new_process(monkeypatch)
    compiled = jit.compile_ttir(text, "sort.ttir")
    _as_new_process(monkeypatch)
    loaded = jit.compile_ttir(text, "sort.ttir")
    assert loaded.from_object_cache and not compiled.from_object_cache
    # What each took inside the library: compiling against parsing and linking.
    assert loaded.compile_ms < compiled.compile_ms / 4
    loaded.launch((4, 1, 1), [x, out])
    assert torch.equal(out, torch.sort(x, dim=1).values)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "meta"])
def test_a_damaged_entry_is_compiled_again_and_replaced(cache_dir, monkeypatch, axpy_ttir, damage):
    jit.compile_ttir(axpy_ttir, "axpy.ttir")
    code, meta = _entry(cache_dir)
    good = code.read_bytes()
    if damage == "garbage":
        code.write_bytes(b"\x7fELF" + bytes(range(256)) * 8)
    elif damage == "truncated":
        code.write_bytes(good[: len(good) // 2])
    else:
        meta.write_text("{not json")
    _as_new_process(monkeypatch)
    kernel = jit.compile_ttir(axpy_ttir, "axpy.ttir")
    assert not kernel.from_object_cache
    _check_axpy(kernel)
    assert code.read_bytes() == good
    assert json.loads(meta.read_text())["sha256"]


def test_an_object_that_verifies_but_does_not_link_is_compiled_again(
    cache_dir, monkeypatch, axpy_ttir
):
    # Well-formed metadata over bytes that are no object file: the library
    # refuses them, and the kernel compiles.
    jit.compile_ttir(axpy_ttir, "axpy.ttir")
    code, meta = _entry(cache_dir)
    bogus = b"not an object file" * 16
    code.write_bytes(bogus)
    entry = json.loads(meta.read_text())
    entry["sha256"] = hashlib.sha256(bogus).hexdigest()
    meta.write_text(json.dumps(entry))
    _as_new_process(monkeypatch)
    kernel = jit.compile_ttir(axpy_ttir, "axpy.ttir")
    assert not kernel.from_object_cache
    _check_axpy(kernel)


def test_settings_that_change_the_code_get_entries_of_their_own(cache_dir, monkeypatch, axpy_ttir):
    jit.compile_ttir(axpy_ttir, "axpy.ttir")
    monkeypatch.setenv("FLAGTREE_CPU_BOUNDS_CHECK", "1")
    _as_new_process(monkeypatch)
    checked = jit.compile_ttir(axpy_ttir, "axpy.ttir")
    assert checked.checked and not checked.from_object_cache
    assert len(list(cache_dir.rglob(jit._OBJECT_FILE))) == 2
    # And a checked kernel loaded from its object still checks.
    _as_new_process(monkeypatch)
    loaded = jit.compile_ttir(axpy_ttir, "axpy.ttir")
    assert loaded.checked and loaded.from_object_cache
    x, y, out = torch.randn(1000), torch.randn(1000), torch.zeros(1000)
    with pytest.raises(jit.CPUOutOfBoundsError):
        # n says 2048 elements; the tensors hold 1000.
        loaded.launch((2, 1, 1), [x, y, out, 2048], names=["x_ptr", "y_ptr", "out_ptr", "n"])


def test_a_loaded_kernel_compiles_its_streaming_copy_when_a_launch_needs_it(
    cache_dir, monkeypatch, axpy_ttir
):
    monkeypatch.setenv("FLAGTREE_CPU_STREAM_STORES", "always")
    jit.compile_ttir(axpy_ttir, "axpy.ttir")
    _as_new_process(monkeypatch)
    kernel = jit.compile_ttir(axpy_ttir, "axpy.ttir")
    assert kernel.from_object_cache
    n = 1024 * 40
    x, y = torch.randn(n), torch.randn(n)
    out = torch.zeros(n)
    grid = (40, 1, 1)
    assert kernel.streams(grid, [x, y, out, n])
    kernel.launch(grid, [x, y, out, n], num_threads=2)
    torch.testing.assert_close(out, 3.0 * x + y, rtol=0, atol=0)


@pytest.mark.parametrize(
    "setting", [("FLAGTREE_CPU_OBJECT_CACHE", "0"), ("FLAGTREE_CPU_TIMING", "1")]
)
def test_settings_that_turn_the_cache_off(cache_dir, monkeypatch, axpy_ttir, setting, capfd):
    monkeypatch.setenv(*setting)
    jit.compile_ttir(axpy_ttir, "axpy.ttir")
    _as_new_process(monkeypatch)
    kernel = jit.compile_ttir(axpy_ttir, "axpy.ttir")
    assert not kernel.from_object_cache
    assert not list(cache_dir.rglob(jit._OBJECT_FILE))
    _check_axpy(kernel)


def test_the_code_identity_names_the_build_and_the_host(monkeypatch):
    monkeypatch.delenv("FLAGTREE_CPU_SANITIZE", raising=False)
    identity = jit._lib().flagtree_cpu_code_identity().decode()
    assert identity.startswith("build=")
    assert ";cpu=" in identity and ";features=" in identity
    assert identity.endswith(";bounds=0;sanitizer=")
    monkeypatch.setenv("FLAGTREE_CPU_BOUNDS_CHECK", "1")
    assert jit._lib().flagtree_cpu_code_identity().decode().endswith(";bounds=1;sanitizer=")


_TWO_PROCESSES = """
import torch, triton, triton.language as tl
from flagtree.lanes.cpu import jit

@triton.jit
def gelu_rows(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.program_id(0) * N + tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    g = 0.5 * x * (1.0 + tl.math.erf(x * 0.7071067811865476))
    tl.store(out_ptr + offs, g / tl.sum(tl.exp(x), axis=0))

x = torch.randn(8, 256)
out = torch.empty_like(x)
gelu_rows[(8,)](x, out, N=256)
ref = torch.nn.functional.gelu(x) / torch.exp(x).sum(dim=1, keepdim=True)
torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-6)
print("cached" if any(k.from_object_cache for k in jit._compiled.values()) else "compiled")
"""


def _process_starter(tmp_path):
    """What starts a process that runs the script above over the Triton
    cache `tmp_path/cache`, with the object cache on and no sanitizer."""
    script = tmp_path / "gelu_rows.py"  # Triton reads a kernel's source file
    script.write_text(_TWO_PROCESSES)
    env = dict(os.environ, TRITON_CACHE_DIR=str(tmp_path / "cache"))
    for setting in ("FLAGTREE_CPU_OBJECT_CACHE", "FLAGTREE_CPU_SANITIZE", "LD_PRELOAD"):
        env.pop(setting, None)

    def start() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, str(script)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    return start


def test_a_second_process_links_and_runs_what_the_first_compiled(tmp_path):
    # Real processes: the second links the object (libm's and the lane's
    # own functions resolved afresh) and gets the same results.
    start = _process_starter(tmp_path)
    outcomes = []
    for _ in range(2):  # one after the other
        process = start()
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        outcomes.append(out.split()[-1])
    assert outcomes == ["compiled", "cached"]


def test_processes_filling_one_entry_at_once_leave_it_whole(tmp_path):
    # Two processes compile the same kernel at the same time and both write
    # its entry; a third links what they left.
    start = _process_starter(tmp_path)
    together = [start(), start()]
    for process in together:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    out, err = start().communicate(timeout=300)
    assert out.split()[-1] == "cached", err
    code, meta = _entry(tmp_path / "cache")
    assert hashlib.sha256(code.read_bytes()).hexdigest() == json.loads(meta.read_text())["sha256"]
