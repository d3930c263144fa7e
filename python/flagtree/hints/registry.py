"""The hint registry: what every hint means, takes, applies to, and which
lanes honour it.

The core hints are listed here. A lane adds its own by shipping a module
``hints.py`` in its folder (``third_party/<vendor>/backend/hints.py``,
installed as ``flagtree.lanes.<vendor>.hints``) that defines
``HINTS: list[HintSpec]``; nothing in the core names a vendor.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import warnings
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

#: The op kinds a hint can apply to.
OP_KINDS = ("load", "store", "dot", "loop", "atomic")


class ValueKind(str, Enum):
    """What a hint's value may be."""

    #: No value: ``flatten``.
    FLAG = "flag"
    #: An integer in a range: ``num_stages=3``.
    INT = "int"
    #: One of a fixed set of identifiers: ``cache=cg``.
    CHOICE = "choice"
    #: Any identifier or quoted string: ``name="text"``.
    STRING = "string"


class HintSpecError(ValueError):
    """A :class:`HintSpec` that contradicts itself (raised when it is made)."""


@dataclass(frozen=True)
class HintSpec:
    """Everything flagtree knows about one hint."""

    name: str
    kind: ValueKind
    #: Op kinds it applies to, from :data:`OP_KINDS`.
    op_kinds: tuple[str, ...]
    #: One paragraph: what the hint asks for, in the user's terms.
    meaning: str
    #: Lanes that honour it (``nvidia``, ``amd``, ``cpu``, ...); the others ignore it.
    lanes: tuple[str, ...]
    #: Inclusive range of an ``INT`` hint.
    minimum: int | None = None
    maximum: int | None = None
    #: An ``INT`` hint whose value must be a power of two.
    power_of_two: bool = False
    #: The identifiers a ``CHOICE`` hint accepts.
    choices: tuple[str, ...] = ()
    #: Per op kind, the subset of ``choices`` valid there: (("load", ("ca",)), ...).
    choices_by_op: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Hints that cannot be given on the same statement.
    excludes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        where = f"hint spec '{self.name}'"
        if not self.name.isidentifier():
            raise HintSpecError(f"{where}: the name must be an identifier")
        if not isinstance(self.kind, ValueKind):
            raise HintSpecError(f"{where}: kind must be a ValueKind, not {self.kind!r}")
        unknown = [k for k in self.op_kinds if k not in OP_KINDS]
        if not self.op_kinds or unknown:
            raise HintSpecError(
                f"{where}: op_kinds must be a non-empty subset of {', '.join(OP_KINDS)}"
            )
        if self.kind is ValueKind.INT and (self.minimum is None or self.maximum is None):
            raise HintSpecError(f"{where}: an int hint needs minimum and maximum")
        if self.kind is ValueKind.CHOICE and not self.choices:
            raise HintSpecError(f"{where}: a choice hint needs choices")
        for op_kind, subset in self.choices_by_op:
            if op_kind not in self.op_kinds or not set(subset) <= set(self.choices):
                raise HintSpecError(f"{where}: choices_by_op[{op_kind!r}] does not fit")

    def choices_for(self, op_kind: str) -> tuple[str, ...]:
        """The values valid on an op of ``op_kind``."""
        return dict(self.choices_by_op).get(op_kind, self.choices)

    def value_syntax(self) -> str:
        """How the hint is written, e.g. ``num_stages=N`` (N in 1..8)."""
        if self.kind is ValueKind.FLAG:
            return self.name
        if self.kind is ValueKind.INT:
            return f"{self.name}=N"
        if self.kind is ValueKind.CHOICE:
            return f"{self.name}={'|'.join(self.choices)}"
        return f'{self.name}="TEXT"'

    def value_rule(self) -> str:
        """What a valid value is, in words."""
        if self.kind is ValueKind.FLAG:
            return "no value"
        if self.kind is ValueKind.INT:
            pow2 = "a power of two " if self.power_of_two else "an integer "
            return f"{pow2}in {self.minimum}..{self.maximum}"
        if self.kind is ValueKind.CHOICE:
            if not self.choices_by_op:
                return "one of " + ", ".join(self.choices)
            return "; ".join(f"{op}s: {', '.join(sub)}" for op, sub in self.choices_by_op)
        return "an identifier or a quoted string"


_LOOP_LANES = ("nvidia", "amd", "cpu")

CORE_HINTS: tuple[HintSpec, ...] = (
    HintSpec(
        "shared_memory",
        ValueKind.FLAG,
        ("load",),
        "Stage the loaded tile through on-chip memory: on GPUs, shared memory, filled by "
        "asynchronous copies that are multi-buffered when the load is inside a loop, so the "
        "loads of later iterations overlap the compute of this one; on DSA targets, a buffer "
        "in the target's local memory.",
        ("nvidia", "cpu"),
    ),
    HintSpec(
        "dma",
        ValueKind.FLAG,
        ("load",),
        "Bring the loaded tile into local memory with one DMA transfer instead of element "
        "loads, started early and waited for where the data is first used.",
        ("cpu",),
    ),
    HintSpec(
        "num_stages",
        ValueKind.INT,
        ("loop",),
        "Software-pipeline the loop over N stages: the loads of up to N-1 later iterations "
        "are in flight while the current iteration computes (as "
        "`tl.range(..., num_stages=N)`). 1 turns pipelining off.",
        _LOOP_LANES,
        minimum=1,
        maximum=8,
    ),
    HintSpec(
        "unroll",
        ValueKind.INT,
        ("loop",),
        "Unroll the loop by a factor of N (as `tl.range(..., loop_unroll_factor=N)`). "
        "1 leaves it rolled.",
        _LOOP_LANES,
        minimum=1,
        maximum=64,
    ),
    HintSpec(
        "flatten",
        ValueKind.FLAG,
        ("loop",),
        "Flatten the loop and the loop nested in it into one loop, so that the pipeliner "
        "overlaps work across the inner loop's boundaries (as `tl.range(..., flatten=True)`).",
        ("nvidia",),
    ),
    HintSpec(
        "warp_specialize",
        ValueKind.FLAG,
        ("loop",),
        "Split the loop's work between warps that only load and warps that only compute, "
        "handing tiles over through shared memory (as `tl.range(..., warp_specialize=True)`; "
        "NVIDIA Hopper and newer).",
        ("nvidia",),
    ),
    HintSpec(
        "evict_first",
        ValueKind.FLAG,
        ("load", "store"),
        "The data is streamed and will not be used again soon: its cache lines are the first "
        "to be evicted (as `eviction_policy='evict_first'`).",
        ("nvidia", "amd"),
        excludes=("evict_last", "cache"),
    ),
    HintSpec(
        "evict_last",
        ValueKind.FLAG,
        ("load", "store"),
        "The data will be used again soon: keep its cache lines as long as possible (as "
        "`eviction_policy='evict_last'`).",
        ("nvidia", "amd"),
        excludes=("evict_first", "cache"),
    ),
    HintSpec(
        "cache",
        ValueKind.CHOICE,
        ("load", "store"),
        "The cache operator of the access (as `cache_modifier='.X'`). Loads: ca caches at "
        "all levels, cg in L2 only, cv fetches again every time (volatile). Stores: wb "
        "writes back, cg caches in L2 only, cs streams (likely written once), wt writes "
        "through to memory.",
        ("nvidia", "amd"),
        choices=("ca", "cg", "cs", "cv", "wb", "wt"),
        # An NVIDIA access takes a cache operator or an eviction priority,
        # not both (ptxas rejects ld.global.cg.L1::evict_first).
        excludes=("evict_first", "evict_last"),
        choices_by_op=(("load", ("ca", "cg", "cv")), ("store", ("wb", "cg", "cs", "wt"))),
    ),
    HintSpec(
        "vectorize",
        ValueKind.INT,
        ("load", "store"),
        "Access N contiguous elements per vector instruction.",
        ("cpu",),
        minimum=1,
        maximum=64,
        power_of_two=True,
    ),
)


def _vendor_hint_modules() -> list[str]:
    """Names of the ``flagtree.lanes.<vendor>.hints`` modules installed.
    Looked up on disk first, so a lane without hints is never imported."""
    from flagtree import lanes

    found = []
    for root in lanes.__path__:
        for candidate in sorted(Path(root).glob("*/hints.py")):
            if (candidate.parent / "__init__.py").is_file():
                found.append(f"{lanes.__name__}.{candidate.parent.name}.hints")
    return found


def _vendor_hints() -> list[HintSpec]:
    specs: list[HintSpec] = []
    for module_name in _vendor_hint_modules():
        try:
            hints = importlib.import_module(module_name).HINTS
            if not all(isinstance(spec, HintSpec) for spec in hints):
                raise TypeError("HINTS must be a list of HintSpec")
        except Exception as exc:  # noqa: BLE001 - one broken lane must not hide the rest
            warnings.warn(f"flagtree: {module_name} failed to load: {exc}", stacklevel=2)
            continue
        specs.extend(hints)
    return specs


@functools.cache
def all_hints() -> dict[str, HintSpec]:
    """Every hint, core first and then the lanes' own, by name. A lane hint
    whose name is taken is reported once and left out."""
    registry = {spec.name: spec for spec in CORE_HINTS}
    for spec in _vendor_hints():
        if spec.name in registry:
            warnings.warn(
                f"flagtree: lane hint '{spec.name}' is already defined; the lane's is ignored",
                stacklevel=2,
            )
            continue
        registry[spec.name] = spec
    return registry


def reload_registry() -> None:
    """Forgets the registry, so that lanes installed since are found."""
    all_hints.cache_clear()


def hint_spec(name: str) -> HintSpec | None:
    """The hint called ``name``, or None."""
    return all_hints().get(name)


def closest_hint(name: str) -> str | None:
    """The known hint name ``name`` was most likely meant to be."""
    matches = difflib.get_close_matches(name, list(all_hints()), n=1, cutoff=0.6)
    return matches[0] if matches else None


def honoured_by() -> dict[str, frozenset[str]]:
    """Lane name -> the hints that lane lowers today (its ``Lane.hints``)."""
    from flagtree.lanes import all_lanes

    return {lane.name: frozenset(lane.hints) for lane in all_lanes()}


def lane_status(spec: HintSpec) -> dict[str, str]:
    """For every lane: ``honoured`` (lowered today), ``planned`` (meant to be,
    per the registry) or ``ignored``."""
    honoured = honoured_by()
    lanes = sorted(set(honoured) | {lane for s in all_hints().values() for lane in s.lanes})
    status = {}
    for lane in lanes:
        if spec.name in honoured.get(lane, ()):
            status[lane] = "honoured"
        elif lane in spec.lanes:
            status[lane] = "planned"
        else:
            status[lane] = "ignored"
    return status
