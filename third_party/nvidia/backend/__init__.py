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
    # pipeliner, nested-loop fusion and warp specialization, a load's
    # pipeline latency (shared_memory), and the cache and eviction modifiers
    # of accesses. Triton unrolls loops in its ttir stage, before flagtree's,
    # so `unroll` is done by flagtree's lowering itself.
    hints=(
        "num_stages",
        "unroll",
        "flatten",
        "warp_specialize",
        "shared_memory",
        "evict_first",
        "evict_last",
        "cache",
    ),
    availability=availability,
)
