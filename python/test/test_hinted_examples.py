"""The hinted example kernels (flagtree.examples.hinted), which
scripts/bench_hints.py times on a GPU: each computes what its unhinted twin
computes on the CPU lane, and for the NVIDIA lane (compiled here for cuda:90)
its hints change the IR as they should."""

from __future__ import annotations

import re
import warnings

import pytest
import torch
import triton
from triton.backends.compiler import GPUTarget

from flagtree.examples import hinted
from flagtree.hints import middle_end

CASES = {case.name: case for case in hinted.CASES}


@pytest.mark.parametrize("name", list(CASES))
def test_hinted_kernel_computes_what_its_twin_does(name):
    case = CASES[name]
    inputs = case.make_inputs(torch.device("cpu"), True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # hints the CPU lane ignores
        got = case.launch(case.hinted, inputs)
    twin = case.launch(case.plain, inputs)
    torch.testing.assert_close(got, twin, atol=0, rtol=0)
    ref = case.reference(inputs)
    torch.testing.assert_close(got.double(), ref.double(), atol=case.atol, rtol=case.rtol)


class _Recorder:
    """Stands in for a kernel: records the signature of one launch as a
    GPU launch would specialize it (16-byte pointers, integers divisible by
    16), and the launch options."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.seen = None

    def __getitem__(self, grid):
        def record(*args, **kwargs):
            options = {k: kwargs.pop(k) for k in ("num_warps", "num_stages") if k in kwargs}
            values = dict(zip([p.name for p in self.kernel.params], args, strict=False))
            values.update(kwargs)
            signature, constexprs, attrs = {}, {}, {}
            for i, p in enumerate(self.kernel.params):
                value = values[p.name]
                if p.is_constexpr:
                    signature[p.name], constexprs[p.name] = "constexpr", value
                elif isinstance(value, torch.Tensor):
                    signature[p.name] = (
                        "*"
                        + {
                            torch.float32: "fp32",
                            torch.float16: "fp16",
                        }[value.dtype]
                    )
                    attrs[(i,)] = [["tt.divisibility", 16]]
                else:
                    signature[p.name] = "i32"
                    if value % 16 == 0:
                        attrs[(i,)] = [["tt.divisibility", 16]]
            self.seen = (signature, constexprs, attrs, options)

        return record


def _compile_for(case, which, target=("cuda", 90, 32)):
    kernel = getattr(case, which)
    recorder = _Recorder(kernel)
    case.launch(recorder, case.make_inputs(torch.device("cpu"), True))
    signature, constexprs, attrs, options = recorder.seen
    source = triton.compiler.ASTSource(kernel, signature, constexprs, attrs)
    middle_end.forget_warnings()
    with warnings.catch_warnings(record=True) as caught, triton.knobs.compilation.scope():
        warnings.simplefilter("always")
        triton.knobs.compilation.always_compile = True
        compiled = triton.compile(source, target=GPUTarget(*target), options=options)
    return compiled, [str(w.message) for w in caught]


@pytest.mark.parametrize("name", list(CASES))
def test_hints_change_the_nvidia_ir(name):
    case = CASES[name]
    hinted_kernel, messages = _compile_for(case, "hinted")
    plain_kernel, _ = _compile_for(case, "plain")
    assert not [m for m in messages if "ignored" in m], messages
    ours = hinted_kernel.asm["ttgir"].count(case.ttgir_marker)
    theirs = plain_kernel.asm["ttgir"].count(case.ttgir_marker)
    assert ours > theirs, (case.ttgir_marker, ours, theirs)


def test_hints_change_the_amd_ir():
    """On gfx942: a loop's stage count multi-buffers the matmul's operand
    tiles in shared memory (Triton's HIP default is 2 stages: one buffer),
    and cache=cs marks the streaming store non-temporal."""
    gfx942 = ("hip", "gfx942", 64)
    mm = CASES["matmul fp16 4096^3"]
    hinted_kernel, messages = _compile_for(mm, "hinted", gfx942)
    plain_kernel, _ = _compile_for(mm, "plain", gfx942)
    assert not [m for m in messages if "ignored" in m], messages
    assert "!ttg.memdesc<3x128x64xf16" in hinted_kernel.asm["ttgir"]
    assert "!ttg.memdesc<1x128x64xf16" in plain_kernel.asm["ttgir"]
    scale = CASES["scale 64M fp32 by a 4096-vector"]
    hinted_kernel, _ = _compile_for(scale, "hinted", gfx942)
    plain_kernel, _ = _compile_for(scale, "plain", gfx942)
    nontemporal = re.compile(r"global_store\S*.* nt\b")
    assert nontemporal.search(hinted_kernel.asm["amdgcn"])
    assert not nontemporal.search(plain_kernel.asm["amdgcn"])
