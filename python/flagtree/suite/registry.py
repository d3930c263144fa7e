"""The operator registry: what an operator of the suite is made of."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import torch

#: Families, in report order.
FAMILIES = (
    "unary",
    "activation",
    "binary",
    "cast",
    "reduction",
    "softmax",
    "loss",
    "norm",
    "matmul",
    "attention",
    "index",
    "scan",
    "random",
    "fused",
    "copy",
)


@dataclass(frozen=True)
class Case:
    """One variant of an operator: a shape, a dtype, and operator-specific
    parameters (a reduction's dim, a matmul's transposition...)."""

    shape: tuple[int, ...]
    dtype: torch.dtype = torch.float32
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    @property
    def label(self) -> str:
        dims = "x".join(str(d) for d in self.shape)
        extra = "".join(f"-{k}{v}" for k, v in self.params)
        return f"{dims}-{str(self.dtype).removeprefix('torch.')}{extra}"


def case(shape: Sequence[int], dtype: torch.dtype = torch.float32, **params: Any) -> Case:
    return Case(tuple(shape), dtype, tuple(sorted(params.items())))


#: make_inputs(case, device, generator) -> tuple of launch arguments
InputMaker = Callable[[Case, torch.device, torch.Generator], tuple]
#: a check(out, inputs, case, run) that raises AssertionError, for outputs
#: that no torch function reproduces bit for bit (random numbers); run(inputs)
#: launches the operator again on other inputs
Checker = Callable[[Any, tuple, Case, Callable[[tuple], Any]], None]


@dataclass(frozen=True)
class Operator:
    """A suite operator: Triton kernels, a launcher, a torch reference."""

    name: str
    family: str
    #: the @triton.jit kernels the launcher runs, handed to it by name in a
    #: namespace, so that the runner can give it freshly jitted copies
    kernels: tuple[Any, ...]
    make_inputs: InputMaker
    #: launch(k, case, *inputs) -> output tensor(s); k.<kernel name> to run
    launch: Callable[..., Any]
    #: reference(case, *inputs) -> output tensor(s), computed with torch
    reference: Callable[..., Any] | None
    cases: tuple[Case, ...]
    bench_cases: tuple[Case, ...]
    #: mid-sized cases for `flagtree bench --quick` (default: the largest
    #: test case)
    quick_cases: tuple[Case, ...] = ()
    atol: float = 1e-5
    rtol: float = 1e-5
    #: tolerances for half-precision variants
    half_atol: float = 1e-2
    half_rtol: float = 1e-2
    check: Checker | None = None
    #: baseline(case, *inputs) timed as "torch" where the reference is not
    #: the plain torch call (it computes in float64, or through autograd)
    baseline: Callable[..., Any] | None = None

    def kernel_namespace(self, rejit: Callable[[Any], Any] | None = None) -> SimpleNamespace:
        return SimpleNamespace(**{k.fn.__name__: (rejit(k) if rejit else k) for k in self.kernels})

    def uses_dot(self) -> bool:
        """Whether a kernel of the operator calls tl.dot."""
        return any("tl.dot(" in getattr(k, "src", "") for k in self.kernels)

    def tolerance(self, dtype: torch.dtype, device: str = "cpu") -> tuple[float, float]:
        """(atol, rtol) for a variant of `dtype` run on `device` (a device
        type). On NVIDIA GPUs, Triton's tl.dot multiplies float32 inputs as
        TF32, its default input precision, which keeps the 10-bit mantissa of
        float16: those variants are held to the half-precision tolerance."""
        if dtype in (torch.float16, torch.bfloat16):
            return self.half_atol, self.half_rtol
        if dtype == torch.float32 and device == "cuda" and self.uses_dot():
            return max(self.atol, self.half_atol), max(self.rtol, self.half_rtol)
        return self.atol, self.rtol


class RegistryError(Exception):
    pass


_OPERATORS: dict[str, Operator] = {}


def register(op: Operator) -> Operator:
    if op.name in _OPERATORS:
        raise RegistryError(f"operator {op.name!r} registered twice")
    if op.family not in FAMILIES:
        raise RegistryError(f"operator {op.name!r}: unknown family {op.family!r}")
    if op.reference is None and op.check is None:
        raise RegistryError(f"operator {op.name!r} has neither a reference nor a check")
    _OPERATORS[op.name] = op
    return op


def add(
    name: str,
    family: str,
    kernels: Sequence[Any],
    make_inputs: InputMaker,
    launch: Callable[..., Any],
    reference: Callable[..., Any] | None,
    cases: Sequence[Case],
    bench_cases: Sequence[Case],
    **kwargs: Any,
) -> Operator:
    """Registers one operator (see :class:`Operator` for the fields)."""
    return register(
        Operator(
            name,
            family,
            tuple(kernels),
            make_inputs,
            launch,
            reference,
            tuple(cases),
            tuple(bench_cases),
            **kwargs,
        )
    )


def all_operators() -> list[Operator]:
    """Every operator, families in report order (imports the families)."""
    from . import families  # noqa: F401 - registers the operators

    order = {f: i for i, f in enumerate(FAMILIES)}
    return sorted(_OPERATORS.values(), key=lambda op: (order[op.family], op.name))


def get(name: str) -> Operator:
    ops = {op.name: op for op in all_operators()}
    if name not in ops:
        raise RegistryError(f"no operator {name!r} in the suite")
    return ops[name]
