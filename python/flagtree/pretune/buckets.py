"""The rule that maps an autotune key the table has not seen to a stored bucket.

A bucket is the autotune key of a tuned call: the values of the key
arguments, then the dtypes of the tensor arguments. For a key ``k`` with no
bucket of its own:

1. Candidates are the buckets of the same length whose *non-integer* parts
   (dtypes and other strings, floats, booleans, ``None``) equal ``k``'s at
   every position, and that hold integers where ``k`` holds integers. No
   candidate: there is no nearest bucket.
2. The distance to a candidate ``b`` is the sum, over the integer positions,
   of ``|g(k_i) - g(b_i)|`` with ``g(v) = sign(v) * log2(1 + |v|)``: sizes are
   compared by ratio, so 1000 is as close to 500 as to 2000.
3. The smallest distance wins. A tie goes to the candidate with the larger
   integer values (compared position by position), so that a config tuned for
   the larger of two equally near shapes is preferred.

The *above* rule (:func:`bucket_above`) keeps only the candidates whose every
integer is at least ``k``'s, and takes the nearest of those; with none, the
nearest rule answers. Kernels that tile a size (a matmul's M, say) run the
same number of tiles for ``k`` as for the next bucket up when buckets sit at
multiples of the largest tile, which the nearest rule cannot promise.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _log(value: int) -> float:
    return math.copysign(math.log2(1 + abs(int(value))), int(value))


def _fixed_parts(key: tuple) -> tuple:
    """What must match exactly: each non-integer value, and where integers are."""
    return tuple(("int",) if _is_int(v) else ("value", type(v).__name__, v) for v in key)


def distance(key: tuple, bucket: tuple) -> float | None:
    """The rule's distance from ``key`` to ``bucket``; None when ``bucket`` is not
    a candidate for ``key``."""
    if len(key) != len(bucket) or _fixed_parts(key) != _fixed_parts(bucket):
        return None
    return sum(abs(_log(k) - _log(b)) for k, b in zip(key, bucket, strict=True) if _is_int(k))


def nearest_bucket(key: tuple, buckets: Iterable[tuple]) -> tuple | None:
    """The bucket the rule picks for ``key`` (``key`` itself when stored), or None."""
    best = None
    best_rank = None
    for bucket in buckets:
        d = distance(key, bucket)
        if d is None:
            continue
        ints = tuple(v for v in bucket if _is_int(v))
        # Smaller distance first; on a tie the larger integers win.
        rank = (d, tuple(-v for v in ints))
        if best_rank is None or rank < best_rank:
            best, best_rank = bucket, rank
    return best


def bucket_above(key: tuple, buckets: Iterable[tuple]) -> tuple | None:
    """The nearest bucket at or above ``key`` in every integer position, or,
    when there is none, the nearest bucket; None without any candidate."""
    buckets = list(buckets)
    above = [
        b
        for b in buckets
        if distance(key, b) is not None
        and all(bv >= kv for kv, bv in zip(key, b, strict=True) if _is_int(kv))
    ]
    return nearest_bucket(key, above) or nearest_bucket(key, buckets)


#: The bucket rules by their ``on_miss`` name.
RULES = {"nearest": nearest_bucket, "above": bucket_above}
