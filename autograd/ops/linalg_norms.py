"""``torch.linalg``'s norms: ``vector_norm`` and ``matrix_norm``.

``vector_norm`` hands positive and infinite orders to :func:`autograd.norm` and adds PyTorch's other
orders: 0 (the number of non-zero entries, gradient 0) and negative ones, ``(sum |x|**ord)**(1/ord)``,
which is 0 where an entry is 0 (its gradient is 0 there, as in PyTorch).

``matrix_norm`` takes ``'fro'`` (the entries as one vector), ``'nuc'`` (the sum of the singular values),
``1`` / ``-1`` (the largest / smallest column sum of absolute values), ``inf`` / ``-inf`` (the same for
rows) and ``2`` / ``-2`` (the largest / smallest singular value). All are composites of recorded ops, so
their gradients of every order come from those ops; ties among columns, rows or singular values share
the gradient evenly, as ``amax`` does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tensor import Tensor, TensorOp, as_dtype, constant_like, describe, result
from ._common import is_int, normalize_axis, tensor_arg
from .norms import NORM, norm
from .reductions import _keepdims, amax, amin
from .shape import _dim
from .svd import svdvals


def _floating(x: Any, name: str, dtype: Any) -> Tensor:
    """``x`` as a floating-point Tensor, converted to ``dtype`` when one is given (PyTorch's rules: a
    floating dtype, not narrower than the tensor's)."""
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x.data.dtype.kind != "f":
        raise TypeError(f"{name}: got a tensor of dtype {x.data.dtype}; expected a floating-point tensor "
                        "(convert it with .float() or .double())")
    if dtype is None:
        return x
    try:
        target = as_dtype(dtype, name)
    except TypeError:  # refused below, with what this function expects
        target = None
    if target is None or target.kind != "f" or np.promote_types(x.data.dtype, target) != target:
        raise TypeError(f"{name}: got dtype={dtype!r} for a tensor of dtype {x.data.dtype}; expected a "
                        "floating-point dtype at least as wide as the tensor's")
    return x.astype(target)


def _keep(keepdims: Any, name: str) -> bool:
    return keepdims if keepdims is True or keepdims is False else _keepdims(keepdims, name)


# ----------------------------------------------------------------------------------------- vector_norm


def _count_rule(node: Tensor, g: Any) -> tuple:
    return (constant_like(np.zeros(node._parents[0].data.shape), g),)


COUNT_NONZERO = TensorOp("count_nonzero", _count_rule, _count_rule)


def _order(ord: Any, name: str) -> float:  # noqa: A002
    if isinstance(ord, (bool, np.bool_)) or not isinstance(ord, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: got ord {describe(ord)}; expected a real number (inf, -inf, 0, or any "
                        "other number: 'fro' and 'nuc' are matrix norms)")
    if math.isnan(ord):
        raise ValueError(f"{name}: got ord=nan; expected a real number")
    return float(ord)


def vector_norm(x: Any, ord: float = 2, axis: int | tuple[int, ...] | None = None,  # noqa: A002
                keepdims: bool = False, dtype: Any = None) -> Tensor:
    """The ``ord``-norm of the entries over ``axis`` (all of them by default) as one vector
    (``torch.linalg.vector_norm``; ``dim=`` and ``keepdim=`` work too).

    ``ord`` is any real number: ``inf`` and ``-inf`` give the largest and smallest absolute value, 0 the
    number of non-zero entries (gradient 0), others ``(sum |x|**ord)**(1/ord)``. The tensor must hold
    floats; ``dtype`` converts it first.

    Examples
    --------
    >>> from autograd import linalg, tensor
    >>> x = tensor([3.0, 0.0, -4.0])
    >>> linalg.vector_norm(x).item(), linalg.vector_norm(x, 1).item(), linalg.vector_norm(x, 0).item()
    (5.0, 7.0, 2.0)
    >>> linalg.vector_norm(tensor([1.0, -1.0]), -1).item()
    0.5
    """
    x = _floating(x, "vector_norm", dtype)
    order = _order(ord, "vector_norm")
    axes = normalize_axis(axis, x.data.ndim, "vector_norm")
    keepdims = _keep(keepdims, "vector_norm")
    data = x.data
    if data.size == 0 and all(data.shape[a] for a in axes):
        order = 2.0  # no slices: an empty result, whatever the order
    if order < 0 or math.isinf(order):
        if any(data.shape[a] == 0 for a in axes):
            raise ValueError(f"vector_norm: got ord={ord} for a tensor of shape {data.shape} with an empty "
                             f"slice over axes {axes}; expected non-empty slices (this norm of nothing is "
                             "undefined)")
    if order > 0 or order == -math.inf:
        return norm(x, order, axes, keepdims)
    if order == 0:
        count = np.count_nonzero(data, axis=axes, keepdims=keepdims) if axes else (data != 0)
        return result(np.asarray(count, dtype=data.dtype), (x,), COUNT_NONZERO)
    with np.errstate(divide="ignore"):  # a zero entry: |0|**ord is inf, and the norm 0
        out = np.sum(np.abs(data) ** order, axis=axes, keepdims=keepdims) ** (1.0 / order)
    return result(np.asarray(out, dtype=data.dtype), (x,), NORM, (axes, keepdims, order))


# ----------------------------------------------------------------------------------------- matrix_norm

_MATRIX_ORDERS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def _matrix_axes(axis: Any, ndim: int) -> tuple[int, int]:
    if not isinstance(axis, (tuple, list)) or len(axis) != 2:
        raise TypeError(f"matrix_norm: got dim {describe(axis)}; expected a pair of ints, such as (-2, -1)")
    rows, cols = (_dim(d, ndim, "matrix_norm", "dim") for d in axis)
    if rows == cols:
        raise ValueError(f"matrix_norm: got dim={tuple(axis)}, the same dimension twice; expected two "
                         "different dimensions")
    return rows, cols


def matrix_norm(x: Any, ord: float | str = "fro", axis: tuple[int, int] = (-2, -1),  # noqa: A002
                keepdims: bool = False, dtype: Any = None) -> Tensor:
    """The ``ord``-norm of the matrices formed by the two dimensions ``axis`` (rows, columns) of ``x``
    (``torch.linalg.matrix_norm``; ``dim=`` and ``keepdim=`` work too).

    ``ord`` is ``'fro'`` (default), ``'nuc'``, ``1``, ``-1``, ``2``, ``-2``, ``inf`` or ``-inf``. The
    orders that take a largest value (``1``, ``inf``, ``2``, ``'nuc'``, ``'fro'``) give 0 for matrices
    without entries; the others raise there.

    Examples
    --------
    >>> from autograd import linalg, tensor
    >>> a = tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> linalg.matrix_norm(a, 1).item(), linalg.matrix_norm(a, float("inf")).item()
    (6.0, 7.0)
    >>> round(linalg.matrix_norm(a, "nuc").item(), 4)
    7.0711
    """
    x = _floating(x, "matrix_norm", dtype)
    if x.data.ndim < 2:
        raise ValueError(f"matrix_norm: got a tensor of shape {x.data.shape}; expected at least 2 dimensions")
    known = isinstance(ord, str) or is_int(ord) or isinstance(ord, (float, np.floating))
    if not known or ord not in _MATRIX_ORDERS:
        raise ValueError(f"matrix_norm: got ord {describe(ord)}; expected one of 'fro', 'nuc', 1, -1, 2, -2, "
                         "inf, -inf")
    rows, cols = _matrix_axes(axis, x.data.ndim)
    keepdims = _keep(keepdims, "matrix_norm")
    if ord == "fro":
        return norm(x, 2, (rows, cols), keepdims)
    positive = ord in ("nuc", 1, 2, math.inf)
    shape = x.data.shape
    if shape[rows] == 0 or shape[cols] == 0:
        if not positive:
            raise ValueError(f"matrix_norm: got ord={ord} for matrices of shape "
                             f"{(shape[rows], shape[cols])}; expected matrices with entries (the smallest of "
                             "nothing is undefined)")
        return abs(x).sum((rows, cols), keepdims=keepdims)  # 0, with an empty gradient
    if ord in ("nuc", 2, -2):
        values = svdvals(x.movedim((rows, cols), (-2, -1)))
        out = values.sum(-1) if ord == "nuc" else (amax if ord == 2 else amin)(values, -1)
        if keepdims:
            out = out.reshape(tuple(1 if i in (rows, cols) else n for i, n in enumerate(shape)))
        return out
    # 1: the largest column sum (summed over the rows); inf: the largest row sum
    summed, over = (rows, cols) if ord in (1, -1) else (cols, rows)
    sums = abs(x).sum(summed, keepdims=True)
    out = (amax if positive else amin)(sums, over, keepdims=True)
    return out if keepdims else out.squeeze((rows, cols))


METHODS: dict[str, Any] = {}
FUNCTIONS: dict[str, Any] = {"vector_norm": vector_norm, "matrix_norm": matrix_norm}
