"""Shape sets for a search: the cartesian product of per-dimension values.

``NAME=VALUES`` where VALUES is a comma-separated list of items, each an
integer or a range ``START:STOP:STEP`` (STOP included when reached):
``STEP`` is ``xF`` for a geometric range (``64:1024:x2`` is 64, 128, ...,
1024) or ``+S`` / ``S`` for an arithmetic one (``1:9:+4`` is 1, 5, 9).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from .identity import PretuneError


def _int(text: str, spec: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise PretuneError(f"shape '{spec}': '{text}' is not an integer") from None


def _range(item: str, spec: str) -> list[int]:
    parts = item.split(":")
    if len(parts) != 3:
        raise PretuneError(f"shape '{spec}': range '{item}' must be START:STOP:STEP")
    start, stop = _int(parts[0], spec), _int(parts[1], spec)
    step = parts[2]
    if stop < start:
        raise PretuneError(f"shape '{spec}': range '{item}' ends before it starts")
    values = []
    if step.startswith("x"):
        factor = _int(step[1:], spec)
        if factor < 2 or start < 1:
            raise PretuneError(f"shape '{spec}': '{item}' needs START >= 1 and a factor >= 2")
        value = start
        while value <= stop:
            values.append(value)
            value *= factor
    else:
        delta = _int(step.removeprefix("+"), spec)
        if delta < 1:
            raise PretuneError(f"shape '{spec}': '{item}' needs a step >= 1")
        values = list(range(start, stop + 1, delta))
    return values


def parse_dimension(spec: str) -> tuple[str, list[int]]:
    """``"M=64:256:x2,1000"`` -> ``("M", [64, 128, 256, 1000])``."""
    name, sep, values_text = spec.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier() or not values_text.strip():
        raise PretuneError(f"shape '{spec}': expected NAME=VALUES, e.g. M=64:1024:x2,1500")
    values: list[int] = []
    for item in values_text.split(","):
        item = item.strip()
        values.extend(_range(item, spec) if ":" in item else [_int(item, spec)])
    return name, sorted(set(values))


def shape_product(specs: list[str]) -> list[dict[str, int]]:
    """Every combination of the dimensions given as ``NAME=VALUES`` texts."""
    dims = [parse_dimension(s) for s in specs]
    names = [n for n, _ in dims]
    if len(set(names)) != len(names):
        raise PretuneError(f"shape dimensions given twice: {names}")
    combos = itertools.product(*(values for _, values in dims))
    return [dict(zip(names, combo, strict=True)) for combo in combos]


def load_shapes(path: str | Path) -> list[dict[str, int]]:
    """A JSON file holding a list of shapes, e.g. ``[{"M": 64, "N": 512}, ...]``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise PretuneError(f"{path}: cannot read a shape list ({exc})") from None
    if not isinstance(data, list) or not all(
        isinstance(s, dict) and all(isinstance(v, int) for v in s.values()) for s in data
    ):
        raise PretuneError(f"{path}: expected a JSON list of objects of integers")
    return data
