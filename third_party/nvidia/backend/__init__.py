"""The NVIDIA lane: flagtree's middle-end, then Triton's own CUDA back end
(TTGIR → LLVM IR → PTX → cubin)."""

from flagtree.lanes import Lane

from .driver import availability

LANE = Lane(
    name="nvidia",
    target_backend="cuda",
    kind="gpu",
    description="NVIDIA GPUs through Triton's CUDA code generator",
    downstream_stages=("ttgir", "llir", "ptx", "cubin"),
    # What Triton 3.6's own passes after TTIR read: loop attributes for the
    # pipeliner, nested-loop fusion and warp specialization, and the cache
    # and eviction modifiers of accesses. (Loop unrolling happens in Triton's
    # ttir stage, before flagtree's, so `unroll` cannot be honoured here.)
    hints=("num_stages", "flatten", "warp_specialize", "evict_first", "evict_last", "cache"),
    availability=availability,
)
