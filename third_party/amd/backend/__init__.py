"""The AMD lane: flagtree's middle-end, then Triton's own HIP back end
(TTGIR → LLVM IR → AMDGCN → hsaco)."""

from flagtree.lanes import Lane

from .driver import availability

LANE = Lane(
    name="amd",
    target_backend="hip",
    kind="gpu",
    description="AMD GPUs through Triton's HIP code generator",
    downstream_stages=("ttgir", "llir", "amdgcn", "hsaco"),
    availability=availability,
)
