"""Example kernels used by ``make demo`` and the documentation."""
