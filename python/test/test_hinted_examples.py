"""The hinted example kernels (flagtree.examples.hinted), which
scripts/bench_hints.py times on a GPU: each computes what its unhinted twin
computes on the CPU lane, and for the NVIDIA lane (compiled here for cuda:90)
its hints change the IR as they should."""

from __future__ import annotations

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


def _compile_for_sm90(case, which):
    kernel = getattr(case, which)
    recorder = _Recorder(kernel)
    case.launch(recorder, case.make_inputs(torch.device("cpu"), True))
    signature, constexprs, attrs, options = recorder.seen
    source = triton.compiler.ASTSource(kernel, signature, constexprs, attrs)
    middle_end.forget_warnings()
    with warnings.catch_warnings(record=True) as caught, triton.knobs.compilation.scope():
        warnings.simplefilter("always")
        triton.knobs.compilation.always_compile = True
        compiled = triton.compile(source, target=GPUTarget("cuda", 90, 32), options=options)
    return compiled, [str(w.message) for w in caught]


@pytest.mark.parametrize("name", list(CASES))
def test_hints_change_the_nvidia_ir(name):
    case = CASES[name]
    hinted_kernel, messages = _compile_for_sm90(case, "hinted")
    plain_kernel, _ = _compile_for_sm90(case, "plain")
    assert not [m for m in messages if "ignored" in m], messages
    ours = hinted_kernel.asm["ttgir"].count(case.ttgir_marker)
    theirs = plain_kernel.asm["ttgir"].count(case.ttgir_marker)
    assert ours > theirs, (case.ttgir_marker, ours, theirs)
