"""A corpus of small, original Triton kernels covering the ``triton.language`` surface.

Every entry of ``CASES`` is a :class:`Case` that compiles for ``cuda:90``;
``python -m corpus.generate --out DIR`` writes ``DIR/<name>.ttir`` and ``DIR/<name>.cubin``.
"""

from __future__ import annotations

from . import (
    arith,
    atomics,
    casts,
    control,
    libdevice,
    matrix,
    memory,
    random,
    realistic,
    reduce,
    shape,
)
from ._case import Case

GROUPS = (
    memory,
    shape,
    arith,
    casts,
    reduce,
    matrix,
    atomics,
    control,
    random,
    libdevice,
    realistic,
)

CASES: list[Case] = [case for module in GROUPS for case in module.CASES]


def _check_unique(cases: list[Case]) -> None:
    seen: set[str] = set()
    for case in cases:
        if case.name in seen:
            raise ValueError(f"duplicate corpus case name {case.name!r}")
        seen.add(case.name)


_check_unique(CASES)

__all__ = ["CASES", "Case"]
