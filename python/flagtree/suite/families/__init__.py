"""The operator families; importing this package registers every operator."""

from . import (  # noqa: F401
    attention,
    binary,
    copy,
    fused,
    index,
    matmul,
    norm,
    random,
    reduction,
    scan,
    softmax,
    unary,
)
