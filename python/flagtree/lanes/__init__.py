"""The lane registry.

A lane is one way down from the shared middle-end to hardware: a GPU lane
hands TTIR back to Triton's own code generator for one vendor, a DSA lane
lowers it through FLIR. Each lane lives in its own folder,
``third_party/<vendor>/backend/``, installed as ``flagtree.lanes.<vendor>``;
its ``__init__.py`` defines ``LANE``. Adding a lane means adding a folder:
nothing here names a vendor.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Availability:
    """Whether a lane can run kernels on this machine, and why not."""

    active: bool
    reason: str


@dataclass(frozen=True)
class Lane:
    """What flagtree needs to know about one lane."""

    #: Short name, the folder name (``nvidia``, ``amd``, ``cpu``).
    name: str
    #: The Triton target backend the lane serves (``cuda``, ``hip``, ``cpu``).
    target_backend: str
    #: ``gpu`` (hands back to Triton's code generator) or ``dsa`` (FLIR).
    kind: str
    #: One line for `flagtree backends`.
    description: str
    #: Triton stages that follow flagtree's stage in this lane.
    downstream_stages: tuple[str, ...]
    #: Shared middle-end passes the lane runs on the module in the flagtree
    #: stage, comma-separated as in a textual MLIR pipeline (empty: none;
    #: the hint passes are added when the kernel has hints).
    middle_end_pipeline: str = ""
    #: Names of the hints the lane lowers today; it reports the others as
    #: ignored.
    hints: tuple[str, ...] = ()
    #: Tells whether the lane can run kernels here.
    availability: Callable[[], Availability] = field(
        default=lambda: Availability(False, "no availability check")
    )


@functools.cache
def all_lanes() -> tuple[Lane, ...]:
    """Every installed lane, in name order. A lane that fails to load is
    reported once and left out; it never hides the others."""
    from flagtree import lanes as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        try:
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            lane = module.LANE
        except Exception as exc:  # noqa: BLE001 - a broken lane must not break the rest
            warnings.warn(f"flagtree: lane '{info.name}' failed to load: {exc}", stacklevel=2)
            continue
        found.append(lane)
    return tuple(found)


def lane_named(name: str) -> Lane | None:
    """The lane called ``name``, or None."""
    return next((lane for lane in all_lanes() if lane.name == name), None)


def lane_for_target(target_backend: str) -> Lane | None:
    """The lane serving Triton's target backend ``target_backend``."""
    return next((lane for lane in all_lanes() if lane.target_backend == target_backend), None)
