"""The ``Case`` record describing one corpus kernel, and a helper to collect them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    """One kernel instantiation to compile: a jitted function plus its specialization."""

    name: str
    fn: Any  # a ``triton.runtime.jit.JITFunction``
    signature: dict[str, str]
    constexprs: dict[str, object] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    group: str = ""


class CaseList(list[Case]):
    """A list of cases of one group, with a terse ``add`` helper."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self.group = group

    def add(
        self,
        fn: Any,
        types: dict[str, str] | str,
        constexprs: dict[str, object] | None = None,
        *,
        name: str | None = None,
        **options: Any,
    ) -> None:
        """Register ``fn`` under ``name`` (default: the kernel's own name).

        ``types`` gives the type of every runtime argument, either as a dict keyed by
        argument name or as a whitespace-separated string listing them in parameter
        order. Every argument named in ``constexprs`` is typed ``"constexpr"``. The
        signature is built in parameter order so it always lines up with the kernel.
        """
        consts = dict(constexprs or {})
        if isinstance(types, str):
            runtime_args = [arg for arg in fn.arg_names if arg not in consts]
            listed = types.split()
            if len(listed) != len(runtime_args):
                raise ValueError(
                    f"{fn.__name__}: {len(listed)} types for {len(runtime_args)} arguments"
                )
            types = dict(zip(runtime_args, listed, strict=True))
        signature: dict[str, str] = {}
        for arg in fn.arg_names:
            if arg in consts:
                signature[arg] = "constexpr"
            elif arg in types:
                signature[arg] = types[arg]
            else:
                raise ValueError(f"{fn.__name__}: no type given for argument {arg!r}")
        unknown = (set(types) | set(consts)) - set(fn.arg_names)
        if unknown:
            raise ValueError(f"{fn.__name__}: unknown arguments {sorted(unknown)}")
        case_name = name or fn.__name__
        self.append(Case(case_name, fn, signature, consts, dict(options), self.group))
