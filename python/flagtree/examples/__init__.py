"""Example kernels with torch references, used by ``make demo``, the GPU
check (scripts/gpu_check.py) and the lanes' tests.

Every case in :data:`CASES` makes its inputs on a given device, launches its
kernel with ``kernel[grid](...)``, and says how close the result must be to
torch.
"""

from .cases import CASES, RunCase

__all__ = ["CASES", "RunCase"]
