"""flagtree's operator regression suite: Triton kernels written here, each
with a torch reference, run per lane by `flagtree bench` and by pytest."""

from .registry import FAMILIES, Case, Operator, all_operators, get

__all__ = ["FAMILIES", "Case", "Operator", "all_operators", "get"]
