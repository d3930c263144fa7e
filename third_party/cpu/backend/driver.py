"""Triton driver of the CPU lane, and whether the lane can run kernels."""

from __future__ import annotations

from triton.backends.driver import DriverBase

from flagtree.lanes import Availability

#: Why the lane cannot run kernels yet; None once its code generator exists.
_NOT_READY = "the FLIR code generator for the host CPU is not built into this flagtree yet"


def availability() -> Availability:
    if _NOT_READY:
        return Availability(False, _NOT_READY)
    return Availability(True, "the host CPU is always present")


class CPUDriver(DriverBase):
    """Runs kernels on the host CPU. Inactive until the lane can run them,
    so that it never competes with a GPU driver for Triton's active slot."""

    @classmethod
    def is_active(cls) -> bool:
        return availability().active

    def __init__(self) -> None:
        super().__init__()

    def map_python_to_cpp_type(self, ty: str) -> str:
        raise NotImplementedError(_NOT_READY)

    def get_current_target(self):
        from .compiler import host_target

        return host_target()

    def get_active_torch_device(self):
        import torch

        return torch.device("cpu")

    def get_benchmarker(self):
        from triton.testing import do_bench

        return do_bench
