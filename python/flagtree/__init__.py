"""flagtree: one compiler for Triton kernels on many kinds of AI chips.

Importing this package is cheap: the compiler core (a shared library) is
loaded on first use by :mod:`flagtree.core`.
"""

__version__ = "0.1.0"
