"""Hints through the middle-end: attached to the ops of their statement in
flagtree's stage, lowered by the NVIDIA lane to what Triton 3.6's own passes
honour, with the effect visible in the later stages (compiled here for
cuda:90, no GPU needed)."""

from __future__ import annotations

import warnings

import triton
from triton.backends.compiler import GPUTarget

from flagtree.hints import middle_end
from hinted import kernels

SIGNATURE = {"a_ptr": "*fp32", "out_ptr": "*fp32", "K": "i32", "BLOCK": "constexpr"}


def _compile(fn, signature=SIGNATURE, target=("cuda", 90, 32)):
    source = triton.compiler.ASTSource(fn=fn, signature=signature, constexprs={"BLOCK": 128})
    middle_end.forget_warnings()
    with warnings.catch_warnings(record=True) as caught, triton.knobs.compilation.scope():
        warnings.simplefilter("always")
        triton.knobs.compilation.always_compile = True  # the stage must run
        kernel = triton.compile(source, target=GPUTarget(*target))
    return kernel, [str(w.message) for w in caught]


def test_loop_and_access_hints_reach_the_nvidia_pipeline() -> None:
    hinted, _ = _compile(kernels.hinted_sum)
    plain, _ = _compile(kernels.plain_sum)
    ttir = hinted.asm["flagtree"]
    assert "tt.num_stages = 2 : i32" in ttir
    assert "cacheModifier = cg" in ttir
    assert "ft." not in ttir  # Triton receives plain TTIR
    # With the loop hint Triton's pipeliner stages the load through shared
    # memory with asynchronous copies; without it, this loop is not pipelined.
    assert "!ttg.memdesc<1x128xf32" in hinted.asm["ttgir"]
    assert "ttg.async_copy_global_to_local" in hinted.asm["ttgir"]
    assert "ttg.local_alloc" not in plain.asm["ttgir"]
    assert "cacheModifier = cg" in hinted.asm["ttgir"]
    assert "cacheModifier" not in plain.asm["ttgir"]
    assert hinted.asm["ptx"] != plain.asm["ptx"]


def test_a_hint_the_lane_ignores_is_reported_at_its_line() -> None:
    signature = {"a_ptr": "*fp32", "out_ptr": "*fp32", "BLOCK": "constexpr"}
    kernel, messages = _compile(kernels.ignored_hint, signature)
    assert "ft." not in kernel.asm["flagtree"]
    assert any(
        "hinted/kernels.py:30" in m and "hint 'shared_memory' is ignored by the nvidia lane" in m
        for m in messages
    ), messages


def test_the_amd_lane_lowers_loop_and_access_hints() -> None:
    kernel, messages = _compile(kernels.hinted_sum, target=("hip", "gfx942", 64))
    assert "ft." not in kernel.asm["flagtree"]
    assert "tt.num_stages = 2 : i32" in kernel.asm["flagtree"]
    assert "cacheModifier = cg" in kernel.asm["flagtree"]
    assert not [m for m in messages if "ignored" in m], messages


def test_the_amd_lane_reports_hints_it_does_not_lower() -> None:
    signature = {"a_ptr": "*fp32", "out_ptr": "*fp32", "BLOCK": "constexpr"}
    kernel, messages = _compile(kernels.ignored_hint, signature, target=("hip", "gfx942", 64))
    assert "ft." not in kernel.asm["flagtree"]
    assert any("hint 'shared_memory' is ignored by the amd lane" in m for m in messages), messages


def test_a_hint_never_adds_a_cache_modifier_to_an_evicting_access() -> None:
    # ptxas rejects a load with both; the kernel's own eviction policy wins
    # and the hint is reported at its line.
    signature = {"a_ptr": "*fp32", "out_ptr": "*fp32", "BLOCK": "constexpr"}
    kernel, messages = _compile(kernels.conflicting_hint, signature)
    assert "cacheModifier" not in kernel.asm["ttgir"]
    assert "evict_first" in kernel.asm["ttgir"]
    assert any(
        "hinted/kernels.py:37" in m and "already has an eviction policy" in m for m in messages
    ), messages


def test_hints_of_other_kernels_in_the_file_stay_out() -> None:
    _, messages = _compile(kernels.plain_sum)
    assert not [m for m in messages if "hint" in m], messages


def test_flagtree_hints_lists_the_ops_each_hint_attached_to() -> None:
    import subprocess
    import sys
    from pathlib import Path

    source = Path(kernels.__file__)
    result = subprocess.run(
        [sys.executable, "-m", "flagtree.cli", "hints", f"{source}:hinted_sum",
         "--signature", "*fp32,*fp32,i32", "--constexpr", "BLOCK=128"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "attached in the compiled kernel (2):" in out
    assert f"num_stages       -> loop                 {source}:11:" in out
    assert f"cache            -> tt.load              {source}:12:" in out
