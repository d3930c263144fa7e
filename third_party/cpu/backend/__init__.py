"""The CPU lane: the DSA lane (FLIR) with the host CPU as its target.

It is flagtree's own Triton back end (``cpu`` targets), registered through
the ``flagtree.triton_plugin`` entry point.
"""

from flagtree.lanes import Lane

from .driver import availability

LANE = Lane(
    name="cpu",
    target_backend="cpu",
    kind="dsa",
    description="the host CPU through FLIR (structured IR, vectorized, JIT-compiled)",
    downstream_stages=(),
    availability=availability,
)
