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
    availability=availability,
)
