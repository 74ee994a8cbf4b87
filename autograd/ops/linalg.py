"""Matrix products: matmul with PyTorch's 1-D, 2-D and batched rules (more products in the same family)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, TensorOp, result, unbroadcast
from ._common import pair


def _matmul_rule(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    # Promote 1-D operands to matrices, as the forward did, so one pair of formulas serves every case.
    A = a if a.data.ndim > 1 else a.reshape(1, -1)
    B = b if b.data.ndim > 1 else b.reshape(-1, 1)
    out_shape = np.broadcast_shapes(A.data.shape[:-2], B.data.shape[:-2]) + (A.data.shape[-2],
                                                                            B.data.shape[-1])
    G = g.reshape(out_shape)
    ga = gb = None
    if a.requires_grad:
        ga = unbroadcast(G @ B.swapaxes(-1, -2), A.data.shape).reshape(a.data.shape)
    if b.requires_grad:
        gb = unbroadcast(A.swapaxes(-1, -2) @ G, B.data.shape).reshape(b.data.shape)
    return (ga, gb)


MATMUL = TensorOp("matmul", _matmul_rule)


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product with PyTorch's rules: 1-D @ 1-D is a dot product, 1-D operands are promoted to
    a row or column and the promoted axis removed, leading axes broadcast as batches.

    Examples
    --------
    >>> from autograd import ones
    >>> (ones(5, 2, 3) @ ones(3, 4)).shape
    (5, 2, 4)
    """
    a, b = pair(a, b)
    if a.data.ndim == 0 or b.data.ndim == 0:
        raise ValueError(
            f"matmul: {a.data.shape} @ {b.data.shape}: both operands need at least one dimension "
            "(use * for scalars)"
        )
    k_a = a.data.shape[-1]
    k_b = b.data.shape[-2] if b.data.ndim > 1 else b.data.shape[0]
    if k_a != k_b:
        raise ValueError(
            f"matmul: {a.data.shape} @ {b.data.shape}: inner dimensions {k_a} and {k_b} differ"
        )
    try:
        out = np.matmul(a.data, b.data)
    except ValueError:
        raise ValueError(
            f"matmul: {a.data.shape} @ {b.data.shape}: batch dimensions cannot be broadcast together"
        ) from None
    out = np.asarray(out)
    return result(out, (a, b), MATMUL, macs=out.size * k_a)


def swapaxes(x: Tensor, axis0: int, axis1: int) -> Tensor:
    """Swap two axes (numpy's name for ``transpose(dim0, dim1)``).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4).swapaxes(-1, -2).shape
    (2, 4, 3)
    """
    return x.transpose(axis0, axis1)


def _rmatmul(self: Tensor, other: Any) -> Tensor:
    return matmul(other, self)


METHODS: dict[str, Any] = {"matmul": matmul, "__matmul__": matmul, "__rmatmul__": _rmatmul,
                           "swapaxes": swapaxes}
FUNCTIONS: dict[str, Any] = {"matmul": matmul, "swapaxes": swapaxes}
