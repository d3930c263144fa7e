"""Kernels that run on a device, each with a torch reference.

Used by the GPU check (scripts/gpu_check.py) and, once the CPU lane runs
kernels, by its tests. Every case makes its inputs on a given device,
launches its kernel, and says how close the result must be to torch.
"""

from .cases import CASES, RunCase

__all__ = ["CASES", "RunCase"]
