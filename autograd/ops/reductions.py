"""Reductions along axes: sum and mean (more reductions live in the same family)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, TensorOp, result
from ._common import normalize_axis


def expand_reduced(g: Tensor, node: Tensor) -> Tensor:
    """Bring the gradient of a reduction back to its input's shape (re-inserting the reduced axes)."""
    axes, keepdims = node._ctx[0], node._ctx[1]
    shape = node._parents[0].data.shape
    if not keepdims:
        kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
        g = g.reshape(kept)
    return g.broadcast_to(shape)


def _sum_rule(node: Tensor, g: Tensor) -> tuple:
    return (expand_reduced(g, node),)


SUM = TensorOp("sum", _sum_rule)


def sum(x: Tensor, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum over ``axis`` (all axes by default).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0).tolist()
    [4.0, 6.0]
    """
    axes = normalize_axis(axis, x.data.ndim, "sum")
    out = np.sum(x.data, axis=axes, keepdims=keepdims)
    return result(np.asarray(out), (x,), SUM, (axes, keepdims))


def mean(x: Tensor, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
    """Mean over ``axis`` (all axes by default).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 2.0], [3.0, 4.0]]).mean().item()
    2.5
    """
    axes = normalize_axis(axis, x.data.ndim, "mean")
    count = int(np.prod([x.data.shape[a] for a in axes])) if axes else 1
    if count == 0:
        raise ValueError(f"mean: cannot average over an empty axis of a tensor of shape {x.data.shape}")
    return sum(x, axes, keepdims) * (1.0 / count)


METHODS: dict[str, Any] = {"sum": sum, "mean": mean}
FUNCTIONS: dict[str, Any] = dict(METHODS)
