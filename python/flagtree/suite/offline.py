"""Compiles every kernel of the suite, exactly as its operators' variants
launch it, for a GPU target with no GPU present, with flagtree active and
as upstream Triton, and compares the binaries (flagtree promises identical
binaries for kernels without hints).

`python -m flagtree.suite.offline --target cuda:90 [-k PATTERN]`"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from dataclasses import dataclass
from types import SimpleNamespace

import torch

from . import runner
from .registry import Operator, all_operators

_DTYPES = {
    torch.float32: "fp32", torch.float16: "fp16", torch.bfloat16: "bf16",
    torch.float64: "fp64", torch.int8: "i8", torch.int16: "i16", torch.int32: "i32",
    torch.int64: "i64", torch.uint8: "u8", torch.bool: "i1",
}  # fmt: skip


@dataclass
class Launch:
    """One recorded `kernel[grid](...)` call: the kernel and its types."""

    kernel: object
    signature: dict[str, str]
    constexprs: dict[str, object]

    @property
    def key(self) -> tuple:
        return (self.kernel.fn.__name__, tuple(self.signature.items()),
                tuple(sorted(self.constexprs.items(), key=str)))  # fmt: skip


def _type_of(value) -> str:
    if isinstance(value, torch.Tensor):
        return "*" + _DTYPES[value.dtype]
    if isinstance(value, bool):
        return "i1"
    if isinstance(value, int):
        return "i32" if -(2**31) <= value < 2**31 else "i64"
    if isinstance(value, float):
        return "fp32"
    raise TypeError(f"no Triton type for {type(value).__name__}")


class _Recorder:
    def __init__(self, kernel, launches: list[Launch]):
        self.kernel = kernel
        self.launches = launches

    def __getitem__(self, grid):
        def record(*args, **kwargs):
            values = dict(zip([p.name for p in self.kernel.params], args, strict=False))
            values.update(kwargs)
            signature, constexprs = {}, {}
            for p in self.kernel.params:
                if p.is_constexpr:
                    constexprs[p.name] = values[p.name]
                    signature[p.name] = "constexpr"
                else:
                    signature[p.name] = _type_of(values[p.name])
            self.launches.append(Launch(self.kernel, signature, constexprs))

        return record


def record_launches(op: Operator) -> list[Launch]:
    """The launches of every test variant of `op`, run on CPU tensors
    without running any kernel."""
    launches: list[Launch] = []
    for c in op.cases:
        inputs = runner.make_inputs(op, c, torch.device("cpu"))
        kernels = SimpleNamespace(**{k.fn.__name__: _Recorder(k, launches) for k in op.kernels})
        op.launch(kernels, c, *inputs)
    return launches


def compile_both(launch: Launch, target) -> dict:
    """Compiles with flagtree active and suspended; compares the binaries."""
    import triton

    from flagtree import activation

    binary = "cubin" if target.backend == "cuda" else "hsaco"
    result = {"flagtree": None, "upstream": None, "identical": False}
    for side in ("flagtree", "upstream"):
        fn = triton.jit(launch.kernel.fn)
        src = triton.compiler.ASTSource(fn=fn, signature=dict(launch.signature),
                                        constexprs=dict(launch.constexprs))  # fmt: skip
        try:
            if side == "upstream":
                with activation.suspended():
                    compiled = triton.compile(src, target=target)
            else:
                compiled = triton.compile(src, target=target)
            result[side] = compiled.asm[binary]
            if side == "flagtree" and "flagtree" not in compiled.asm:
                result["flagtree_error"] = "flagtree's stage did not run"
        except Exception as exc:  # noqa: BLE001 - reported per kernel
            result[f"{side}_error"] = runner.describe_error(exc)
    result["identical"] = (
        result["flagtree"] is not None and result["flagtree"] == result["upstream"]
    )
    return result


def classify(result: dict, known) -> str:
    """identical, known (both fail with the listed error), or what went wrong."""
    errors = [result.get("flagtree_error"), result.get("upstream_error")]
    if result["identical"]:
        return "identical"
    if known and all(e and known.match in e for e in errors):
        return "known"
    if all(errors):
        return f"both fail: {errors[0]}"
    if errors[0]:
        return f"flagtree fails: {errors[0]}"
    if errors[1]:
        return f"upstream fails: {errors[1]}"
    return "binaries differ"


def main(argv: list[str] | None = None) -> int:
    from flagtree.offline_compile import parse_target

    from .known import known_failure

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="cuda:90")
    parser.add_argument("-k", metavar="PATTERN")
    args = parser.parse_args(argv)
    target = parse_target(args.target)
    lane = {"cuda": "nvidia", "hip": "amd"}.get(target.backend, target.backend)
    seen: set[tuple] = set()
    totals: dict[str, int] = {}
    for op in all_operators():
        if args.k and not fnmatch.fnmatchcase(op.name, args.k):
            continue
        for launch in record_launches(op):
            if launch.key in seen:
                continue
            seen.add(launch.key)
            status = classify(compile_both(launch, target), known_failure(op.name, lane))
            kind = status.split(":")[0]
            totals[kind] = totals.get(kind, 0) + 1
            const = ",".join(f"{k}={v}" for k, v in launch.constexprs.items())
            types = ",".join(t for t in launch.signature.values() if t.startswith("*"))
            print(f"{op.name:<28} {launch.kernel.fn.__name__:<24} {const[:36]:<36} "
                  f"{types[:30]:<30} {status}", flush=True)  # fmt: skip
    print(f"{len(seen)} kernel variants: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    return 0 if set(totals) <= {"identical", "known"} else 1


if __name__ == "__main__":
    sys.exit(main())
