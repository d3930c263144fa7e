"""Kernels with hints, for the hint-lowering tests (their line numbers matter)."""
