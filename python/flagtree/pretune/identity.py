"""What a PreTune table belongs to: the kernel, its configs, the lane.

A table is only ever used for the exact kernel it was tuned for. Its
identity is the kernel's name, Triton's hash of the kernel's source (the
same hash that keys Triton's compile cache, so it covers the ``@triton.jit``
helpers the kernel calls), the autotune key's argument names and the config
list, the lane and its target, and flagtree's version.
"""

from __future__ import annotations

import hashlib
import json
import numbers
import weakref
from dataclasses import dataclass
from typing import Any

from triton.runtime.autotuner import Autotuner, Config
from triton.runtime.jit import JITFunction

from .. import __version__


class PretuneError(Exception):
    """A PreTune request that cannot be served (wrong kernel, bad shapes...)."""


@dataclass(frozen=True)
class KernelIdentity:
    """Everything a stored table must match to be used."""

    kernel: str
    source_hash: str
    key_names: tuple[str, ...]
    configs: tuple[str, ...]
    lane: str
    target: str
    flagtree_version: str

    @property
    def configs_hash(self) -> str:
        """One hash over the key's argument names and the (unordered) configs."""
        text = json.dumps({"key": list(self.key_names), "configs": sorted(self.configs)})
        return hashlib.sha256(text.encode()).hexdigest()


def config_text(config: Config) -> str:
    """A canonical text of one config: equal texts mean interchangeable configs."""
    fields = {
        "kwargs": {str(k): v for k, v in sorted(config.kwargs.items())},
        "num_warps": config.num_warps,
        "num_stages": config.num_stages,
        "num_ctas": config.num_ctas,
        "maxnreg": config.maxnreg,
        "ir_override": config.ir_override,
    }
    return json.dumps(fields, sort_keys=True, default=repr)


def autotuner_of(kernel: Any) -> Autotuner:
    """The Autotuner behind ``kernel`` (an Autotuner, or a kernel PreTune wraps)."""
    inner = getattr(kernel, "autotuner", kernel)
    if isinstance(inner, Autotuner):
        return inner
    where = _where(kernel)
    raise PretuneError(
        f"{where}PreTune needs a kernel decorated with @triton.autotune (outermost); "
        f"got {type(kernel).__name__}"
    )


def jit_function_of(tuner: Autotuner) -> JITFunction:
    """The ``@triton.jit`` function under an Autotuner (through heuristics)."""
    fn = tuner.fn
    while not isinstance(fn, JITFunction):
        fn = fn.fn
    return fn


def kernel_location(tuner: Autotuner) -> str:
    """``file:line`` of the kernel's definition, for messages."""
    return _where(tuner).rstrip(": ")


def _where(kernel: Any) -> str:
    """``file:line: `` of the Python function under any wrappers, or ``""``."""
    for _ in range(8):  # through autotune / heuristics / jit wrappers
        code = getattr(kernel, "__code__", None)
        if code is not None:
            return f"{code.co_filename}:{code.co_firstlineno}: "
        kernel = getattr(kernel, "fn", None)
    return ""


def active_lane() -> tuple[str, str]:
    """(lane name, target) of the driver Triton uses now, e.g. ("cpu", "cpu:x86_64")."""
    import triton

    from ..lanes import lane_for_target

    target = triton.runtime.driver.active.get_current_target()
    lane = lane_for_target(target.backend)
    name = lane.name if lane is not None else target.backend
    return name, f"{target.backend}:{target.arch}"


def identify(tuner: Autotuner, lane: tuple[str, str] | None = None) -> KernelIdentity:
    """The identity of ``tuner`` on ``lane`` (default: the active lane)."""
    name, target = lane if lane is not None else active_lane()
    return KernelIdentity(
        kernel=tuner.base_fn.__name__,
        source_hash=jit_function_of(tuner).cache_key,
        key_names=tuple(tuner.keys),
        configs=tuple(config_text(c) for c in tuner.configs),
        lane=name,
        target=target,
        flagtree_version=__version__,
    )


def autotune_key(tuner: Autotuner, args: tuple, kwargs: dict) -> tuple:
    """The key under which Triton 3.6's Autotuner caches its choice for a call.

    Computed exactly as ``Autotuner.run`` does: the values of the key
    arguments that were passed, then the dtype (as text) of every argument
    that has one, in call order.
    """
    names, key_positions = _layout(tuner)
    if len(args) <= len(tuner.arg_names) and names.isdisjoint(kwargs):
        # Every kernel argument passed by position (the usual launch): the
        # same key, without building the merged argument dict.
        key = [args[i] for i in key_positions if i < len(args)]
        key.extend(str(v.dtype) for v in args if hasattr(v, "dtype"))
        return tuple(key)
    named = dict(zip(tuner.arg_names, args, strict=False))
    named.update(kwargs)
    passed = {k: v for k, v in named.items() if k in names}
    key = [passed[k] for k in tuner.keys if k in passed]
    key.extend(str(v.dtype) for v in passed.values() if hasattr(v, "dtype"))
    return tuple(key)


#: Autotuner -> (its argument names as a set, the positions of its key arguments).
_ARG_LAYOUT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _layout(tuner: Autotuner) -> tuple[frozenset, tuple[int, ...]]:
    layout = _ARG_LAYOUT.get(tuner)
    if layout is None:
        positions = {name: i for i, name in enumerate(tuner.arg_names)}
        key_positions = tuple(positions[k] for k in tuner.keys if k in positions)
        layout = _ARG_LAYOUT[tuner] = (frozenset(tuner.arg_names), key_positions)
    return layout


def key_to_text(key: tuple) -> str:
    """The stored form of a key; raises PretuneError for values JSON cannot hold."""
    plain = []
    for value in key:
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            value = int(value)
        plain.append(value)
        if not isinstance(value, (int, float, str, bool)) and value is not None:
            raise PretuneError(
                f"autotune key value {value!r} of type {type(value).__name__} cannot be "
                "stored in a table (key arguments must be numbers or strings)"
            )
    return json.dumps(plain)


def key_from_text(text: str) -> tuple:
    value = json.loads(text)
    if not isinstance(value, list):
        raise ValueError(f"a stored key must be a list, got {text!r}")
    return tuple(value)
