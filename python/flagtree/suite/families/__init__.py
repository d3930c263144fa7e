"""The operator families; importing this package registers every operator."""

from . import attention, binary, matmul, norm, reduction, softmax, unary  # noqa: F401
