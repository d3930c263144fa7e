"""The C++ launcher on the CPU lane: the fast path launches what Triton
compiled, every case it does not handle goes through Triton's own path with
the same result, several threads may launch one kernel, and a long run of
launches holds no memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import tracemalloc

import pytest
import torch
import triton
import triton.language as tl
from triton import knobs

from flagtree import examples as runnable
from flagtree import launcher

pytestmark = pytest.mark.skipif(
    launcher.extension_error() is not None, reason="the launcher extension is not built"
)

SCALE = tl.constexpr(2)


@triton.jit
def _axpy(x_ptr, y_ptr, out_ptr, alpha, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.load(y_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, alpha * x + y, mask=mask)


@triton.jit
def _scaled(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask) * SCALE, mask=mask)


@triton.jit
def _count(counter_ptr):
    tl.atomic_add(counter_ptr, 1)


@triton.jit
def _typed(out_ptr, a, b, c, d, e, f):
    tl.store(out_ptr + 0, a.to(tl.float64))
    tl.store(out_ptr + 1, b.to(tl.float64))
    tl.store(out_ptr + 2, c.to(tl.float64))
    tl.store(out_ptr + 3, d.to(tl.float64))
    tl.store(out_ptr + 4, e.to(tl.float64))
    tl.store(out_ptr + 5, f.to(tl.float64))


@pytest.fixture(autouse=True)
def _launcher_on():
    assert launcher.is_enabled(), "flagtree's activation enables the launcher"
    yield
    assert launcher.is_enabled()


def _inputs(n: int = 1000):
    torch.manual_seed(0)
    return torch.randn(n), torch.randn(n), torch.empty(n)


def _fresh(kernel):
    """A new JITFunction of the same Python function (empty caches)."""
    return triton.jit(kernel.fn)


def test_second_call_is_fast_and_correct() -> None:
    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    returned = kernel[(4,)](x, y, out, 0.5, 1000, BLOCK=256)
    assert torch.allclose(out, 0.5 * x + y)
    assert launcher.stats(kernel)["entries"] == 1
    out.zero_()
    again = kernel[(4,)](x, y, out, 0.5, 1000, BLOCK=256)
    assert again is returned, "the fast path returns Triton's compiled kernel"
    assert torch.allclose(out, 0.5 * x + y)
    assert launcher.stats(kernel)["fast_launches"] == 1


def test_grid_as_callable_sees_the_bound_arguments() -> None:
    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    seen = []

    def grid(meta):
        seen.append(dict(meta))
        return (triton.cdiv(meta["n"], meta["BLOCK"]),)

    for _ in range(3):
        out.zero_()
        kernel[grid](x, y, out, 2.0, n=1000, BLOCK=128)
        assert torch.allclose(out, 2.0 * x + y)
    assert launcher.stats(kernel)["fast_launches"] == 2
    assert all(meta["BLOCK"] == 128 and meta["n"] == 1000 for meta in seen)
    assert list(seen[-1]) == ["x_ptr", "y_ptr", "out_ptr", "alpha", "n", "BLOCK"]


def test_grid_function_may_launch_a_kernel() -> None:
    kernel = _fresh(_axpy)
    counting = _fresh(_count)
    counter = torch.zeros(1, dtype=torch.int32)
    x, y, out = _inputs()

    def grid(meta):
        counting[(1,)](counter)
        return (triton.cdiv(meta["n"], meta["BLOCK"]),)

    for alpha in (1.0, 2.0, 3.0):
        out.zero_()
        kernel[grid](x, y, out, alpha, 1000, BLOCK=256)
        assert torch.allclose(out, alpha * x + y)
    assert launcher.stats(kernel)["fast_launches"] == 2
    assert launcher.stats(counting)["fast_launches"] >= 1
    assert int(counter) >= 3


def test_suspending_flagtree_puts_triton_back() -> None:
    from triton.runtime.jit import JITFunction

    from flagtree import activation

    with activation.suspended():
        assert not launcher.is_enabled()
        assert "__getitem__" not in vars(JITFunction)
        kernel = _fresh(_axpy)
        x, y, out = _inputs()
        kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
        assert launcher.stats(kernel)["entries"] == 0
    assert launcher.is_enabled()


def test_results_identical_with_and_without_the_fast_path() -> None:
    device = torch.device("cpu")
    for case in runnable.CASES:
        inputs = case.make_inputs(device)
        case.launch(case.kernel, inputs)  # compiles and registers
        fast = case.launch(case.kernel, inputs).clone()
        launcher.disable()
        try:
            upstream = case.launch(case.kernel, inputs).clone()
        finally:
            launcher.enable()
        if case.deterministic:
            assert torch.equal(fast, upstream), case.name
        else:
            assert torch.allclose(fast, upstream, case.atol, case.rtol), case.name
        assert launcher.stats(case.kernel)["fast_launches"] >= 1, case.name


def test_scalar_types_reach_the_kernel_unchanged() -> None:
    kernel = _fresh(_typed)
    out = torch.zeros(6, dtype=torch.float64)
    # i32, i64 (> 2**31), u64 (> 2**63), fp32, bool, negative i32
    values = (7, 2**33 + 5, 2**63 + 2**40, 1.5, True, -3)
    for _ in range(2):
        out.zero_()
        kernel[(1,)](out, *values)
        expected = torch.tensor([float(v) for v in values], dtype=torch.float64)
        assert torch.equal(out, expected)
    assert launcher.stats(kernel)["fast_launches"] == 1


def test_new_specializations_go_through_triton_first() -> None:
    kernel = _fresh(_axpy)
    x, y, out = _inputs(1024)
    kernel[(4,)](x, y, out, 1.0, 1024, BLOCK=256)
    kernel[(4,)](x, y, out, 1.0, 1024, BLOCK=256)
    # Unaligned views, a size of 1, another BLOCK, options: new keys.
    for args, kwargs in (
        ((x[1:], y[1:], out[1:], 1.0, 1023), {"BLOCK": 256}),
        ((x, y, out, 1.0, 1), {"BLOCK": 256}),
        ((x, y, out, 1.0, 1024), {"BLOCK": 512}),
        ((x, y, out, 1.0, 1024), {"BLOCK": 256, "num_warps": 2}),
    ):
        before = launcher.stats(kernel)
        for _ in range(2):
            out.zero_()
            kernel[(4,)](*args, **kwargs)
            n = args[4]
            assert torch.allclose(args[2][:n], args[3] * args[0][:n] + args[1][:n])
        after = launcher.stats(kernel)
        assert after["entries"] == before["entries"] + 1
        assert after["fast_launches"] == before["fast_launches"] + 1


def test_launch_hooks_take_triton_path() -> None:
    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
    seen = []

    def hook(metadata) -> None:
        seen.append(metadata.get()["name"])

    knobs.runtime.launch_enter_hook.add(hook)
    try:
        fast = launcher.stats(kernel)["fast_launches"]
        kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
        kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
        assert seen == ["_axpy", "_axpy"]
        assert launcher.stats(kernel)["fast_launches"] == fast
    finally:
        knobs.runtime.launch_enter_hook.remove(hook)
    kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
    assert launcher.stats(kernel)["fast_launches"] == fast + 1


def test_pre_run_hooks_take_triton_path() -> None:
    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    calls = []
    kernel.add_pre_run_hook(lambda *args, **kwargs: calls.append(kwargs["BLOCK"]))
    for _ in range(3):
        kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
    assert calls == [256, 256, 256]
    assert launcher.stats(kernel)["fast_launches"] == 0
    assert torch.allclose(out, x + y)


def test_autotuned_and_heuristic_kernels_benefit_once_tuned() -> None:
    inner = _fresh(_axpy)
    tuned = triton.autotune(
        configs=[triton.Config({"BLOCK": 128}), triton.Config({"BLOCK": 256})], key=["n"]
    )(inner)
    x, y, out = _inputs()
    for _ in range(3):
        out.zero_()
        tuned[lambda m: (triton.cdiv(m["n"], m["BLOCK"]),)](x, y, out, 3.0, 1000)
        assert torch.allclose(out, 3.0 * x + y)
    assert launcher.stats(inner)["fast_launches"] >= 2

    inner = _fresh(_axpy)
    heuristic = triton.heuristics({"BLOCK": lambda args: 64 if args["n"] < 512 else 256})(inner)
    for n in (100, 1000, 1000):
        out.zero_()
        heuristic[(triton.cdiv(n, 64),)](x, y, out, -1.0, n)
        assert torch.allclose(out[:n], -x[:n] + y[:n])
    assert launcher.stats(inner)["fast_launches"] == 1


def test_unusual_argument_types_use_triton_each_time() -> None:
    class Buffer:
        """Triton accepts any object with data_ptr() and dtype."""

        def __init__(self, tensor: torch.Tensor) -> None:
            self.tensor = tensor
            self.dtype = tensor.dtype

        def data_ptr(self) -> int:
            return self.tensor.data_ptr()

    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    for _ in range(3):
        out.zero_()
        kernel[(4,)](Buffer(x), y, out, 1.0, 1000, BLOCK=256)
        assert torch.allclose(out, x + y)
    assert launcher.stats(kernel)["fast_launches"] == 0


def test_bad_calls_raise_triton_errors() -> None:
    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
    with pytest.raises(TypeError):
        kernel[(4,)](x, y, out, 1.0, BLOCK=256)
    with pytest.raises(TypeError):
        kernel[(4,)](x, y, out, 1.0, 1000, 7, BLOCK=256)
    with pytest.raises(KeyError, match="not_an_option"):
        kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256, not_an_option=1)
    with pytest.raises(TypeError):
        kernel[(4,)](x, y, out, [1.0], 1000, BLOCK=256)


def test_changed_global_raises_as_in_triton() -> None:
    global SCALE
    kernel = _fresh(_scaled)
    x, _, out = _inputs()
    kernel[(4,)](x, out, 1000, BLOCK=256)
    kernel[(4,)](x, out, 1000, BLOCK=256)
    assert torch.allclose(out, 2 * x)
    saved = SCALE
    SCALE = tl.constexpr(3)
    try:
        with pytest.raises(RuntimeError, match="Global variable SCALE has changed"):
            kernel[(4,)](x, out, 1000, BLOCK=256)
    finally:
        SCALE = saved
    kernel[(4,)](x, out, 1000, BLOCK=256)


def test_cleared_cache_is_not_bypassed() -> None:
    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    first = kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
    kernel.device_caches.clear()
    second = kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
    assert second is not first, "Triton compiled (or loaded) the kernel again"
    assert kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256) is second


def test_warmup_and_run_go_through_the_same_table() -> None:
    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    warm = kernel.warmup(x, y, out, 1.0, 1000, BLOCK=256, grid=(4,))
    assert launcher.stats(kernel)["entries"] == 0  # warmup launches nothing
    ran = kernel.run(x, y, out, 1.0, 1000, BLOCK=256, grid=(4,), warmup=False)
    assert ran is warm
    assert kernel.run(x, y, out, 1.0, 1000, BLOCK=256, grid=(4,), warmup=False) is warm
    assert launcher.stats(kernel)["fast_launches"] == 1
    assert torch.allclose(out, x + y)


def test_empty_grid_launches_nothing() -> None:
    kernel = _fresh(_count)
    counter = torch.zeros(1, dtype=torch.int32)
    kernel[(3,)](counter)
    kernel[(0,)](counter)
    kernel[(0,)](counter)
    kernel[(2, 2)](counter)
    assert int(counter) == 7


def test_threads_launch_one_kernel() -> None:
    kernel = _fresh(_axpy)
    x, y, _ = _inputs(4096)
    kernel[(16,)](x, y, torch.empty(4096), 1.0, 4096, BLOCK=256)
    errors = []
    counter = torch.zeros(1, dtype=torch.int32)
    counting = _fresh(_count)

    def work(index: int) -> None:
        try:
            out = torch.empty(4096)
            alpha = float(index)
            for _ in range(200):
                out.zero_()
                kernel[(16,)](x, y, out, alpha, 4096, BLOCK=256)
                if not torch.allclose(out, alpha * x + y):
                    errors.append(f"thread {index}: wrong result")
                    return
                counting[(2,)](counter)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(f"thread {index}: {exc!r}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert int(counter) == 6 * 200 * 2
    assert launcher.stats(kernel)["fast_launches"] >= 6 * 200


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_no_memory_held_over_many_launches() -> None:
    kernel = _fresh(_count)
    counter = torch.zeros(1, dtype=torch.int32)
    for _ in range(1000):
        kernel[(1,)](counter)
    tracemalloc.start()
    rss = _rss_kib()
    before = tracemalloc.get_traced_memory()[0]
    launches = 100_000
    for _ in range(launches):
        kernel[(1,)](counter)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    grown = _rss_kib() - rss
    assert int(counter) == 1000 + launches
    assert held < 64 * 1024, f"{held} bytes of Python memory held"
    assert grown < 8 * 1024, f"RSS grew by {grown} KiB"


def test_environment_switches_the_launcher_off() -> None:
    code = (
        "import triton, triton.runtime.jit as j, flagtree.launcher as l;"
        "print(l.is_enabled(), 'run' in vars(j.JITFunction) and "
        "type(j.JITFunction.run).__name__)"
    )
    env = dict(os.environ, FLAGTREE_LAUNCHER="python")
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert off.returncode == 0, off.stderr
    assert off.stdout.split() == ["False", "function"]
    env.pop("FLAGTREE_LAUNCHER")
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert on.returncode == 0, on.stderr
    assert on.stdout.split() == ["True", "nb_method"]


def test_cuda_recipe_replays_tritons_launcher_arguments() -> None:
    """The CUDA launch recipe (run on the GPU machine by scripts/gpu-check
    launch) from a stand-in of Triton's CudaLauncher and compiled kernel."""
    from types import SimpleNamespace

    from flagtree.launcher import registry

    class CudaLauncher:
        launch_cooperative_grid = False
        launch_pdl = True

    signature = {"x": "*fp16", "n": "i32", "one": "constexpr", "s": "fp32", "b": "u1", "k": "u64"}
    kernel = SimpleNamespace(
        run=CudaLauncher(),
        function=0x1234,
        packed_metadata=(8, 2, 4096),
        metadata=SimpleNamespace(global_scratch_size=0, profile_scratch_size=0),
        src=SimpleNamespace(signature=signature),
    )
    recipe = registry._cuda_recipe(kernel, kernel.run)
    assert recipe == (
        "cuda",
        0x1234,
        8,
        2,
        4096,
        False,
        True,
        [(0, 0), (1, 4), (3, 12), (4, 1), (5, 9)],
    )
    kernel.metadata.global_scratch_size = 128
    assert registry._cuda_recipe(kernel, kernel.run) is None, "scratch: Triton's launcher"
    kernel.metadata.global_scratch_size = 0
    kernel.src.signature = dict(signature, d="nvTmaDesc")
    assert registry._cuda_recipe(kernel, kernel.run) is None, "TMA: Triton's launcher"


def test_an_entry_that_cannot_launch_natively_declines_to_triton() -> None:
    """A CUDA entry on a machine without libcuda declines; the call then runs
    through Triton's path with the right result."""
    from flagtree.launcher import registry

    kernel = _fresh(_axpy)
    x, y, out = _inputs()
    compiled = kernel[(4,)](x, y, out, 1.0, 1000, BLOCK=256)
    state = registry.state_for(kernel)
    key, device, _, specialization, options, pins = state.describe(
        kernel, (x, y, out, 1.0, 1000), {"BLOCK": 256}
    )
    from triton.runtime.jit import compute_cache_key

    cache = kernel.device_caches[device][0]
    triton_key = compute_cache_key({}, specialization, options)
    slots = [(0, 0), (1, 0), (2, 0), (3, 12), (4, 4)]
    state.add(key, compiled, cache, triton_key, pins, ("cuda", 1, 4, 1, 0, False, False, slots))
    import ctypes.util

    if ctypes.util.find_library("cuda"):
        pytest.skip("libcuda is installed here")
    before = launcher.stats(kernel)
    out.zero_()
    kernel[(4,)](x, y, out, 2.0, 1000, BLOCK=256)
    assert torch.allclose(out, 2.0 * x + y)
    after = launcher.stats(kernel)
    assert after["slow_calls"] == before["slow_calls"] + 1
    assert after["fast_launches"] == before["fast_launches"]


def test_missing_extension_leaves_tritons_path_with_one_note() -> None:
    """An extension built for another Python does not import: flagtree says
    so once and kernels launch through Triton's path."""
    code = """
import importlib.abc, sys, warnings
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "flagtree.launcher._launcher":
            raise ImportError("built for another Python")
sys.meta_path.insert(0, Block())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import torch, triton
    from flagtree import launcher
    from flagtree.examples import CASES
    case = CASES[0]
    inputs = case.make_inputs(torch.device("cpu"))
    for _ in range(2):
        assert torch.allclose(case.launch(case.kernel, inputs).float(),
                              case.reference(inputs).float(), 1e-3, 1e-3)
notes = [w for w in caught if "C++ launcher is not available" in str(w.message)]
print(launcher.is_enabled(), len(notes))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "1"]
