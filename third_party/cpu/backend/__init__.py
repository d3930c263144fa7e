"""The CPU lane: the DSA lane (FLIR) with the host CPU as its target.

It is flagtree's own Triton back end (``cpu`` targets), registered through
the ``flagtree.triton_plugin`` entry point.
"""

# Triton must finish starting first: its start-up imports this lane's driver
# through flagtree's plugin, which would otherwise find it half-imported.
import triton  # noqa: F401, I001

from flagtree.lanes import Lane

from .driver import availability

LANE = Lane(
    name="cpu",
    target_backend="cpu",
    kind="dsa",
    description="the host CPU through FLIR (structured IR, vectorized, JIT-compiled)",
    downstream_stages=(),
    # Lowered in FLIR (flagtree-lower-dsa-hints, the vectorizer): see
    # docs/hints.md.
    hints=("shared_memory", "dma", "num_stages", "vectorize"),
    availability=availability,
)
