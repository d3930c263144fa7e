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
    # What Triton 3.6's HIP passes read after TTIR: the loop's stage count
    # (its stream pipeliner multi-buffers the loop's loads) and the cache
    # and eviction modifiers of accesses (AMDGCN's nt/sc bits); `unroll` is
    # done by flagtree's lowering itself, as on NVIDIA.
    hints=("num_stages", "unroll", "evict_first", "evict_last", "cache"),
    availability=availability,
)
