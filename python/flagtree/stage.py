"""flagtree's stage in a Triton pipeline, right after ``ttir``.

The stage prints Triton's TTIR module, runs the lane's shared middle-end
pipeline on it in the core, and hands the result to Triton's next stage.
When the middle-end leaves the text unchanged, Triton's own module object is
passed on untouched: re-parsing identical text would renumber MLIR use lists,
and some Triton passes are sensitive to that order.
"""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from dataclasses import dataclass

from . import core
from .hints import middle_end
from .lanes import Lane

#: Name of the stage, and the key of its IR in ``CompiledKernel.asm``.
STAGE_NAME = "flagtree"


@dataclass
class StageStats:
    """Time spent in flagtree's stage, for the compile-time overhead report."""

    calls: int = 0
    seconds: float = 0.0
    fallbacks: int = 0


STATS = StageStats()
_warned: set[str] = set()


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, RuntimeWarning, stacklevel=3)


def _parse_into_triton(text: str, context):
    """Parses TTIR text into a module of Triton's own MLIR context."""
    from triton._C.libtriton import ir

    with tempfile.TemporaryDirectory(prefix="flagtree-stage-") as tmp:
        path = os.path.join(tmp, "kernel.ttir")
        with open(path, "w") as f:
            f.write(text)
        parsed = ir.parse_mlir_module(path, context)
    # Triton's stages find the context on the module (as IRSource sets it).
    parsed.context = context
    return parsed


def run(lane: Lane, module, metadata: dict):
    """The stage body: TTIR module in, TTIR module out."""
    start = time.perf_counter()
    STATS.calls += 1
    name = metadata.get("name") or "kernel"
    plan = None
    try:
        text = str(module)
        plan = middle_end.plan_for(text, lane.name, lane.hints, keep=lane.kind == "dsa")
        passes = [p for p in (lane.middle_end_pipeline, *plan.pipeline) if p]
        pipeline = f"builtin.module({','.join(passes)})" if passes else ""
        printed, diagnostics = core.run_pipeline_with_diagnostics(text, pipeline, f"{name}.ttir")
        for line in diagnostics.splitlines():
            if ": warning: " in line or ": remark: " in line:
                middle_end.warn_once(line)
        if printed == text:
            return module
        return _parse_into_triton(printed, module.context)
    except Exception as exc:  # noqa: BLE001 - an internal error must not fail the user's compile
        STATS.fallbacks += 1
        _warn_once(
            f"stage:{type(exc).__name__}",
            f"flagtree: the middle-end failed on kernel '{name}' ({exc}); "
            "compiling it as upstream Triton would",
        )
        return module
    finally:
        if plan is not None:
            plan.cleanup()
        STATS.seconds += time.perf_counter() - start


def insert_after_ttir(stages: dict, lane: Lane) -> None:
    """Inserts the stage after ``ttir`` in Triton's ordered stage dict."""
    if STAGE_NAME in stages or "ttir" not in stages:
        return
    items = list(stages.items())
    stages.clear()
    for key, fn in items:
        stages[key] = fn
        if key == "ttir":
            stages[STAGE_NAME] = lambda src, metadata: run(lane, src, metadata)
