"""Shape manipulation: reshape, transpose, broadcasting (more shape ops live in the same family)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, TensorOp, result


def _shape_arg(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _reshape_rule(node: Tensor, g: Tensor) -> tuple:
    return (g.reshape(node._parents[0].data.shape),)


RESHAPE = TensorOp("reshape", _reshape_rule)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """The same elements in a new shape (one dimension may be -1).

    Examples
    --------
    >>> from autograd import arange
    >>> arange(6).reshape(2, 3).shape
    (2, 3)
    """
    shape = _shape_arg(shape)
    try:
        out = x.data.reshape(shape)
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {x.data.shape} ({x.data.size} elements) "
            f"into shape {shape}"
        ) from None
    return result(out, (x,), RESHAPE)


def _transpose_rule(node: Tensor, g: Tensor) -> tuple:
    return (g.permute(*np.argsort(node._ctx)),)


TRANSPOSE = TensorOp("permute", _transpose_rule)


def permute(x: Tensor, *dims: Any) -> Tensor:
    """Reorder the axes (``dims`` is a permutation of ``range(ndim)``).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4).permute(2, 0, 1).shape
    (4, 2, 3)
    """
    dims = tuple(int(d) for d in _shape_arg(dims))
    if sorted(d % max(x.data.ndim, 1) for d in dims) != list(range(x.data.ndim)):
        raise ValueError(f"permute: got dims {dims}; expected a permutation of {tuple(range(x.data.ndim))}")
    dims = tuple(d % x.data.ndim for d in dims)
    return result(x.data.transpose(dims), (x,), TRANSPOSE, dims)


def transpose(x: Tensor, dim0: int | None = None, dim1: int | None = None) -> Tensor:
    """Swap two axes (PyTorch's ``transpose(dim0, dim1)``); with no arguments, reverse all axes.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).transpose(0, 1).shape
    (3, 2)
    """
    n = x.data.ndim
    if dim0 is None and dim1 is None:
        return permute(x, *reversed(range(n)))
    if dim0 is None or dim1 is None:
        raise ValueError("transpose: got one axis; expected two axes to swap, or none to reverse all")
    dims = list(range(n))
    dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return permute(x, *dims)


def _broadcast_rule(node: Tensor, g: Tensor) -> tuple:
    return (g,)  # TensorOp.vjp sums it back to the input's shape


BROADCAST = TensorOp("broadcast_to", _broadcast_rule)


def broadcast_to(x: Tensor, *shape: Any) -> Tensor:
    """A read-only broadcast view of ``x`` with the given shape.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 2.0]).broadcast_to(3, 2).shape
    (3, 2)
    """
    shape = _shape_arg(shape)
    try:
        out = np.broadcast_to(x.data, shape)
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast a tensor of shape {x.data.shape} to {shape}") from None
    return result(out, (x,), BROADCAST)


def expand(x: Tensor, *shape: Any) -> Tensor:
    """PyTorch's ``expand``: like :func:`broadcast_to`, and -1 keeps a dimension.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(3, 1).expand(-1, 4).shape
    (3, 4)
    """
    shape = _shape_arg(shape)
    lead = len(shape) - x.data.ndim
    full = tuple(x.data.shape[i - lead] if n == -1 else n for i, n in enumerate(shape))
    return broadcast_to(x, full)


def _T(x: Tensor) -> Tensor:
    return permute(x, *reversed(range(x.data.ndim)))


METHODS: dict[str, Any] = {
    "reshape": reshape, "view": reshape, "permute": permute, "transpose": transpose,
    "broadcast_to": broadcast_to, "expand": expand, "T": property(_T),
}
FUNCTIONS: dict[str, Any] = {"reshape": reshape, "permute": permute, "transpose": transpose,
                             "broadcast_to": broadcast_to, "expand": expand}
