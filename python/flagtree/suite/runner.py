"""Runs suite operators: inputs, launch, and the check against torch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from .registry import Case, Operator


class MismatchError(AssertionError):
    """The kernel ran but its output differs from the torch reference."""


def make_inputs(op: Operator, c: Case, device: torch.device, seed: int = 0) -> tuple:
    gen = torch.Generator(device="cpu").manual_seed(seed)
    return tuple(op.make_inputs(c, device, gen))


def launch(op: Operator, c: Case, inputs: tuple, rejit: Callable[[Any], Any] | None = None):
    """Runs the operator's kernels (fresh copies made by `rejit` if given)."""
    return op.launch(op.kernel_namespace(rejit), c, *inputs)


def _as_list(value) -> list:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def compare(out, ref, atol: float, rtol: float, what: str = "output") -> None:
    outs, refs = _as_list(out), _as_list(ref)
    if len(outs) != len(refs):
        raise MismatchError(f"{what}: {len(outs)} results, the reference has {len(refs)}")
    for i, (o, r) in enumerate(zip(outs, refs, strict=True)):
        name = what if len(outs) == 1 else f"{what}[{i}]"
        if not isinstance(o, torch.Tensor):
            raise MismatchError(f"{name}: not a tensor ({type(o).__name__})")
        r = torch.as_tensor(r)
        if tuple(o.shape) != tuple(r.shape):
            raise MismatchError(f"{name}: shape {tuple(o.shape)}, expected {tuple(r.shape)}")
        o, r = o.detach().cpu(), r.detach().cpu()
        if not o.dtype.is_floating_point or not r.dtype.is_floating_point:
            if o.dtype != r.dtype:
                raise MismatchError(f"{name}: dtype {o.dtype}, expected {r.dtype}")
            if not torch.equal(o, r):
                bad = (o != r).nonzero()
                raise MismatchError(
                    f"{name}: {bad.shape[0]} of {o.numel()} elements differ, first at "
                    f"{tuple(bad[0].tolist())}: {o[tuple(bad[0])]!r} vs {r[tuple(bad[0])]!r}"
                )
            continue
        try:
            torch.testing.assert_close(o.double(), r.double(), atol=atol, rtol=rtol, equal_nan=True)
        except AssertionError as exc:
            raise MismatchError(f"{name}: {exc}") from None


def _device_type(out) -> str:
    """The device type of an output (a tensor, or a sequence of them)."""
    while isinstance(out, (tuple, list)) and out:
        out = out[0]
    return out.device.type if isinstance(out, torch.Tensor) else "cpu"


def verify(op: Operator, c: Case, out, inputs: tuple, rejit=None) -> None:
    """Raises MismatchError when `out` is not the operator's right answer."""
    if op.check is not None:
        try:
            op.check(out, inputs, c, lambda again: launch(op, c, again, rejit))
        except AssertionError as exc:
            raise MismatchError(f"{op.name}[{c.label}]: {exc}") from None
    if op.reference is not None:
        ref = op.reference(c, *inputs)
        atol, rtol = op.tolerance(c.dtype, _device_type(out))
        compare(out, ref, atol, rtol, f"{op.name}[{c.label}]")


def run_and_verify(op: Operator, c: Case, device: torch.device, seed: int = 0):
    """One operator variant end to end; returns the output."""
    inputs = make_inputs(op, c, device, seed)
    out = launch(op, c, inputs)
    if device.type == "cuda":
        torch.cuda.synchronize()
    verify(op, c, out, inputs)
    return out


def describe_error(exc: BaseException) -> str:
    """One line for a report: the outermost message's first line and the
    innermost cause (Triton wraps front-end errors in CompilationError)."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    inner = exc
    while inner.__cause__ is not None:
        inner = inner.__cause__
    text = f"{type(exc).__name__}: {first}"
    if inner is not exc:
        lines = str(inner).strip().splitlines()
        text += f" <- {type(inner).__name__}: {lines[-1] if lines else ''}"
    elif len(str(exc).strip().splitlines()) > 1:
        last = [ln for ln in str(exc).strip().splitlines() if "error" in ln.lower()]
        if last and last[0] != first:
            text += f" | {last[0].strip()}"
    return text
