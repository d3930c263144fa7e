"""Offline compilation: any kernel, any lane's target, no hardware needed.

Backs ``flagtree compile FILE.py:KERNEL --target ... --signature ...``.
Every mistake in the request is a :class:`CompileRequestError` with a
message meant for the user, never a traceback.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SCALAR_TYPES = {
    "i1", "i8", "i16", "i32", "i64", "u1", "u8", "u16", "u32", "u64",
    "fp8e4nv", "fp8e5", "fp8e4b15", "fp16", "bf16", "fp32", "fp64",
}  # fmt: skip
_POINTER = re.compile(r"^\*k?(?P<elem>\w+)$")

#: Stages whose output is binary, per target backend.
_BINARY_STAGES = {"cubin", "hsaco"}


class CompileRequestError(ValueError):
    """A request that cannot be compiled as given; the message says why."""


@dataclass
class CompileRequest:
    """What to compile and for which target."""

    kernel: str  # "path/to/file.py:name"
    target: str  # "cuda:90", "hip:gfx942" or "cpu"
    signature: str  # "*fp32,*fp32,i32", the non-constexpr arguments in order
    constexprs: list[str] = field(default_factory=list)  # ["BLOCK=1024"]
    options: dict[str, Any] = field(default_factory=dict)


def parse_target(text: str):
    """``cuda:90`` / ``hip:gfx942`` / ``cpu`` → a Triton target."""
    from triton.backends.compiler import GPUTarget

    backend, _, arch = text.partition(":")
    if backend == "cuda":
        if not arch.isdigit():
            raise CompileRequestError(f"--target {text}: expected cuda:<capability>, e.g. cuda:90")
        return GPUTarget("cuda", int(arch), 32)
    if backend == "hip":
        if not arch.startswith("gfx"):
            raise CompileRequestError(f"--target {text}: expected hip:<gfx arch>, e.g. hip:gfx942")
        return GPUTarget("hip", arch, 64)
    if backend == "cpu" and not arch:
        from flagtree.lanes.cpu.compiler import host_target

        return host_target()
    raise CompileRequestError(f"--target {text}: expected cuda:<sm>, hip:<gfx arch> or cpu")


def load_kernel(spec: str):
    """Imports ``path.py:name`` and returns its ``@triton.jit`` function."""
    from triton.runtime.jit import JITFunction

    path_text, sep, name = spec.rpartition(":")
    if not sep or not path_text or not name:
        raise CompileRequestError(f"'{spec}': expected path/to/file.py:kernel_name")
    path = Path(path_text)
    if not path.is_file():
        raise CompileRequestError(f"{path}: no such file")
    module_name = f"_flagtree_kernel_{abs(hash(path.resolve()))}"
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_name] = module
    try:
        module_spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise CompileRequestError(f"{exc.filename}:{exc.lineno}: {exc.msg}") from exc
    except Exception as exc:
        raise CompileRequestError(f"{path}: importing it failed: {exc}") from exc
    kernel = getattr(module, name, None)
    while kernel is not None and not isinstance(kernel, JITFunction) and hasattr(kernel, "fn"):
        kernel = kernel.fn  # autotuner / heuristics wrappers
    if not isinstance(kernel, JITFunction):
        found = sorted(k for k, v in vars(module).items() if isinstance(v, JITFunction))
        hint = f"; @triton.jit functions there: {', '.join(found)}" if found else ""
        raise CompileRequestError(f"{path}: no @triton.jit function '{name}'{hint}")
    return kernel


def _parse_value(text: str) -> object:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def build_signature(kernel, signature: str, constexprs: list[str]):
    """Maps the positional type list and NAME=VALUE constexprs onto the
    kernel's parameters; returns (signature dict, constexpr dict)."""
    params = kernel.params
    given: dict[str, object] = {}
    for item in constexprs:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CompileRequestError(f"--constexpr {item}: expected NAME=VALUE")
        given[key.strip()] = _parse_value(value.strip())
    names = [p.name for p in params]
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise CompileRequestError(
            f"--constexpr {', '.join(unknown)}: {kernel.__name__} has no such parameter "
            f"(parameters: {', '.join(names)})"
        )
    constexpr_values: dict[str, object] = {}
    for p in params:
        if not p.is_constexpr:
            continue
        default = p._param.default
        if p.name in given:
            constexpr_values[p.name] = given[p.name]
        elif default is not inspect.Parameter.empty:
            constexpr_values[p.name] = default
        else:
            raise CompileRequestError(f"{kernel.__name__}: give --constexpr {p.name}=VALUE")
    runtime = [p.name for p in params if not p.is_constexpr]
    types = [t.strip() for t in signature.split(",")] if signature.strip() else []
    if len(types) != len(runtime):
        raise CompileRequestError(
            f"--signature has {len(types)} types but {kernel.__name__} takes "
            f"{len(runtime)} non-constexpr arguments ({', '.join(runtime)})"
        )
    for name, ty in zip(runtime, types, strict=True):
        match = _POINTER.match(ty)
        elem = match["elem"] if match else ty
        if elem not in _SCALAR_TYPES:
            raise CompileRequestError(
                f"--signature: '{ty}' for {name} is not a Triton type "
                "(e.g. i32, fp16, *fp32, *bf16)"
            )
    sig = dict(zip(runtime, types, strict=True))
    sig.update({name: "constexpr" for name in constexpr_values})
    return {n: sig[n] for n in names}, constexpr_values


def compile_request(request: CompileRequest):
    """Compiles the request; returns Triton's ``CompiledKernel``."""
    import triton

    target = parse_target(request.target)
    kernel = load_kernel(request.kernel)
    signature, constexprs = build_signature(kernel, request.signature, request.constexprs)
    source = triton.compiler.ASTSource(fn=kernel, signature=signature, constexprs=constexprs)
    try:
        return triton.compile(source, target=target, options=dict(request.options))
    except triton.CompilationError as exc:
        raise CompileRequestError(_located(kernel, exc)) from exc


def _located(kernel, exc) -> str:
    """Triton's front-end error, led by the kernel's own ``file:line:col``
    (Triton counts lines from the ``def``)."""
    node = getattr(exc, "node", None)
    message = (exc.error_message or str(exc)).strip()
    if node is None or not hasattr(node, "lineno"):
        return str(exc).strip()
    path = kernel.fn.__code__.co_filename
    # Triton's source starts at `def`, after any decorator lines.
    lines, first = inspect.getsourcelines(kernel.fn)
    def_index = next(i for i, text in enumerate(lines) if text.lstrip().startswith("def "))
    line = first + def_index + node.lineno - 1
    return f"{path}:{line}:{node.col_offset + 1}: error: {message}"


def stage_output(compiled, stage: str | None) -> tuple[str, str | bytes]:
    """The IR (or binary) of ``stage``, the last stage when None."""
    stages = [s for s in compiled.asm.keys() if s != "json"]
    name = stage or stages[-1]
    if name not in compiled.asm:
        raise CompileRequestError(
            f"--stage {name}: not produced for this target (stages: {', '.join(stages)})"
        )
    output = compiled.asm[name]
    if isinstance(output, bytes) and not is_binary_stage(name):
        output = output.decode()  # a textual last stage that Triton read as binary
    return name, output


def is_binary_stage(name: str) -> bool:
    return name in _BINARY_STAGES
