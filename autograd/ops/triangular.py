"""Triangles and diagonals of matrices: ``tril``, ``triu``, ``diag``, ``diagonal`` and ``diag_embed``.

All are built from other primitives (``where`` with a constant mask, indexing and its adjoint
``scatter_add``), so their gradients are exact and differentiate again. Offsets follow PyTorch: 0 is the
main diagonal, a positive offset lies above it and a negative one below.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, describe
from ._common import is_int, tensor_arg
from .arithmetic import where
from .indexing import getitem
from .indexing import scatter_add as _add_at
from .shape import _dim, permuted


def _offset(k: Any, name: str, what: str) -> int:
    if not is_int(k):
        raise TypeError(f"{name}: got {what} {describe(k)}; expected an int")
    return int(k)


def _matrices(x: ArrayLike, name: str) -> Tensor:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x.data.ndim < 2:
        raise ValueError(f"{name}: got a tensor of shape {x.data.shape}; expected at least 2 dimensions (a "
                         "matrix or a batch of them)")
    return x


def _kept_where(mask: np.ndarray, x: Tensor) -> Tensor:
    """``x`` where ``mask`` holds and a zero of ``x``'s dtype elsewhere (bools and integers stay so)."""
    return where(mask, x, np.zeros((), dtype=x.data.dtype))


def tril(x: ArrayLike, diagonal: int = 0) -> Tensor:
    """The lower triangle of each matrix (the last two axes): entries on and below the ``diagonal``-th
    diagonal are kept, the others are 0.

    Examples
    --------
    >>> from autograd import ones
    >>> ones(3, 3).tril().tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    >>> ones(2, 3).tril(-1).tolist()
    [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
    """
    x = _matrices(x, "tril")
    k = _offset(diagonal, "tril", "diagonal")
    rows, cols = x.data.shape[-2:]
    return _kept_where(np.tri(rows, cols, k, dtype=bool), x)


def triu(x: ArrayLike, diagonal: int = 0) -> Tensor:
    """The upper triangle of each matrix (the last two axes): entries on and above the ``diagonal``-th
    diagonal are kept, the others are 0.

    Examples
    --------
    >>> from autograd import ones
    >>> ones(2, 3).triu(1).tolist()
    [[0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    """
    x = _matrices(x, "triu")
    k = _offset(diagonal, "triu", "diagonal")
    rows, cols = x.data.shape[-2:]
    return _kept_where(~np.tri(rows, cols, k - 1, dtype=bool), x)


def _diagonal_positions(rows: int, cols: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the ``offset``-th diagonal of a ``rows`` x ``cols`` matrix."""
    length = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    steps = np.arange(length)
    return steps + max(-offset, 0), steps + max(offset, 0)


def diagonal(x: ArrayLike, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The ``offset``-th diagonal of the matrices spanned by ``dim1`` and ``dim2``, as a new last axis (the
    other axes come first, in order), as ``torch.diagonal``.

    Examples
    --------
    >>> from autograd import arange
    >>> arange(9).reshape(3, 3).diagonal().tolist()
    [0, 4, 8]
    >>> arange(9).reshape(3, 3).diagonal(1).tolist()
    [1, 5]
    """
    x = _matrices(x, "diagonal")
    k = _offset(offset, "diagonal", "offset")
    n = x.data.ndim
    d1, d2 = _dim(dim1, n, "diagonal", "dim1"), _dim(dim2, n, "diagonal", "dim2")
    if d1 == d2:
        raise ValueError(f"diagonal: got dim1={dim1} and dim2={dim2}, the same dimension; expected two "
                         "different dimensions")
    return _diagonal(x, k, d1, d2)


def _diagonal(x: Tensor, k: int, d1: int, d2: int) -> Tensor:
    n = x.data.ndim
    moved = permuted(x, tuple(d for d in range(n) if d not in (d1, d2)) + (d1, d2))
    rows, cols = _diagonal_positions(x.data.shape[d1], x.data.shape[d2], k)
    return getitem(moved, (Ellipsis, rows, cols))


def diag_embed(x: ArrayLike, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices whose ``offset``-th diagonal holds the last axis of ``x`` (zeros elsewhere), spanning the
    output dimensions ``dim1`` and ``dim2``, as ``torch.diag_embed``; the inverse of :func:`diagonal`.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 2.0]).diag_embed().tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "diag_embed")
    if x.data.ndim == 0:
        raise ValueError("diag_embed: got a 0-d tensor; expected at least one dimension (the diagonals)")
    k = _offset(offset, "diag_embed", "offset")
    n = x.data.ndim + 1
    d1, d2 = _dim(dim1, n, "diag_embed", "dim1"), _dim(dim2, n, "diag_embed", "dim2")
    if d1 == d2:
        raise ValueError(f"diag_embed: got dim1={dim1} and dim2={dim2}, the same dimension; expected two "
                         "different dimensions")
    size = x.data.shape[-1] + abs(k)
    rows, cols = _diagonal_positions(size, size, k)
    square = _add_at(x, (Ellipsis, rows, cols), x.data.shape[:-1] + (size, size))
    lead = iter(range(n - 2))
    return permuted(square, tuple(n - 2 if d == d1 else n - 1 if d == d2 else next(lead) for d in range(n)))


def diag(x: ArrayLike, diagonal: int = 0) -> Tensor:
    """``torch.diag``: for a vector, the square matrix with it on the ``diagonal``-th diagonal; for a
    matrix, its ``diagonal``-th diagonal as a vector.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1, 2]).diag(1).tolist()
    [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
    >>> tensor([[1, 2], [3, 4]]).diag().tolist()
    [1, 4]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "diag")
    k = _offset(diagonal, "diag", "diagonal")
    if x.data.ndim == 1:
        return diag_embed(x, k)
    if x.data.ndim == 2:
        return _diagonal(x, k, 0, 1)
    raise ValueError(f"diag: got a tensor of shape {x.data.shape}; expected a vector or a matrix")


_PUBLIC = (tril, triu, diag, diagonal, diag_embed)
METHODS: dict[str, Any] = {fn.__name__: fn for fn in _PUBLIC}
FUNCTIONS: dict[str, Any] = dict(METHODS)
