"""Compiling kernels to TTIR and TTIR back to GPU binaries with Triton 3.6.

Both directions need no GPU: Triton compiles for a named target on any
machine. These helpers are what the round-trip checks and the demo use.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The target every round-trip check compiles for (an H100).
CUDA_SM90 = ("cuda", 90, 32)


@dataclass
class KernelSpec:
    """A kernel specialized for compilation: the jitted function, Triton's
    signature strings for its arguments, constexpr values and options."""

    fn: Any
    signature: dict[str, str]
    constexprs: dict[str, object] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


def _target(target: tuple[str, object, int]):
    from triton.backends.compiler import GPUTarget

    return GPUTarget(*target)


def compile_kernel(spec: KernelSpec, target=CUDA_SM90):
    """Compiles ``spec`` with Triton; returns the ``CompiledKernel``."""
    import triton

    source = triton.compiler.ASTSource(
        fn=spec.fn, signature=dict(spec.signature), constexprs=dict(spec.constexprs)
    )
    return triton.compile(source, target=_target(target), options=dict(spec.options))


def compile_ttir_text(text: str, options: dict[str, Any], target=CUDA_SM90):
    """Compiles TTIR given as text (as Triton does for a ``.ttir`` file)."""
    import triton

    with tempfile.TemporaryDirectory(prefix="flagtree-") as tmp:
        path = Path(tmp) / "kernel.ttir"
        path.write_text(text)
        return triton.compile(str(path), target=_target(target), options=dict(options))
