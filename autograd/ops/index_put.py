"""PyTorch's ``index_put``: a copy of a tensor with values written (or added) where a tuple of index
tensors points, as ``x[indices] = values`` with advanced indexing, and its in-place form ``index_put_``.

Writing is :func:`~autograd.ops.gather_scatter.scatter`'s primitive (the written positions forget the
tensor; each value gets the gradient of where it went) and adding is ``put(accumulate=True)``'s (the
tensor keeps its whole gradient); a value broadcast to several positions gets the sum of theirs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, describe
from ._common import DimError, broadcasts_to, flag, tensor_arg
from .gather_scatter import _scatter_rule, _scattered
from .index_writes import _add_rule, _added, _source
from .inplace import _through

# Their rules read no values, only the positions they saved (as index_copy's and index_add's).
INDEX_PUT = TensorOp("index_put", _scatter_rule, reads_values=False)
INDEX_PUT_ADD = TensorOp("index_put_accumulate", _add_rule, reads_values=False)

_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.int32), np.dtype(np.bool_))


def _index_arrays(indices: Any, x: Tensor, name: str) -> tuple:
    """``indices`` as a tuple of numpy index arrays for ``x``, checked as PyTorch checks them: int64,
    int32 or bool tensors (arrays and lists too), integers in ``[-size, size)`` of their dimension, masks
    of the shape of the dimensions they cover, and no more dimensions than ``x`` has."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"{name}: got indices {describe(indices)}; expected a tuple of index tensors, such "
                        "as (rows,) or (rows, cols)")
    if not indices:
        raise ValueError(f"{name}: got an empty tuple of indices; expected at least one index tensor")
    arrays = []
    for k, item in enumerate(indices):
        if isinstance(item, Tensor):
            arr = item.data
        elif isinstance(item, (np.ndarray, list)):
            arr = np.asarray(item)
        else:
            raise TypeError(f"{name}: got index {k} {describe(item)}; expected a tensor of integers or bools")
        if arr.dtype not in _INDEX_DTYPES:
            raise IndexError(f"{name}: got index {k} of dtype {arr.dtype}; expected int64, int32 or bool (a "
                             "mask)")
        arrays.append(arr)
    used = sum(a.ndim if a.dtype == np.bool_ else 1 for a in arrays)
    if used > x.data.ndim or x.data.ndim == 0:
        raise DimError(f"{name}: got indices for {max(used, 1)} dimensions of a tensor of shape "
                         f"{x.data.shape}; expected at most {x.data.ndim}")
    d = 0
    for k, arr in enumerate(arrays):
        if arr.dtype == np.bool_:
            covered = x.data.shape[d:d + arr.ndim]
            if arr.shape != covered:
                raise IndexError(f"{name}: got mask {k} of shape {arr.shape} for dimensions {d} to "
                                 f"{d + arr.ndim - 1} of a tensor of shape {x.data.shape}; expected shape "
                                 f"{covered}")
            d += arr.ndim
            continue
        size = x.data.shape[d]
        if arr.size and (arr.min() < -size or arr.max() >= size):
            bad = arr.min() if arr.min() < -size else arr.max()
            raise IndexError(f"{name}: index {bad} is out of bounds for dim {d} with size {size}; expected "
                             f"indices in [{-size}, {size})")
        d += 1
    shapes = [a.shape for a in arrays if a.dtype != np.bool_]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError(f"{name}: got index tensors of shapes {', '.join(map(str, shapes))}, which cannot "
                         "be broadcast together; expected shapes that broadcast") from None
    return tuple(arrays)


def index_put(x: ArrayLike, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """A copy of ``x`` with ``values`` written where ``x[indices]`` reads, as ``torch.index_put``; with
    ``accumulate`` they are added instead, and repeated positions add up.

    Parameters
    ----------
    x : Tensor
        The tensor written into.
    indices : tuple of Tensor
        One index tensor per leading dimension (the dimensions after them are taken whole), as advanced
        indexing reads them: int64 or int32 tensors (a negative index counts from the end) broadcast
        together, or bool masks covering as many dimensions as they have.
    values : Tensor
        In ``x``'s dtype (numbers and lists take it), broadcast to the shape of ``x[indices]``.
    accumulate : bool, optional
        Add rather than write. Without it, which write to a repeated position wins is unspecified (here:
        the last), as in PyTorch.

    Returns
    -------
    Tensor
        ``x``'s shape and dtype. ``x`` gets the gradient except at the written positions (everywhere
        with ``accumulate``), each value the sum of the gradients of the positions it went to.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 3).index_put((tensor([0, 1]), tensor([2, 0])), tensor([5.0, 7.0])).tolist()
    [[0.0, 0.0, 5.0], [7.0, 0.0, 0.0]]
    >>> zeros(3).index_put((tensor([1, 1]),), tensor(1.0), accumulate=True).tolist()
    [0.0, 2.0, 0.0]
    """
    name = "index_put"
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    accumulate = flag(accumulate, name, "accumulate")
    index = _index_arrays(indices, x, name)
    v = _source(values, x, name)
    target = np.broadcast_to(np.zeros((), bool), x.data.shape)[index].shape
    if not broadcasts_to(v.data.shape, target):
        raise ValueError(f"{name}: got values of shape {v.data.shape} for the indexed shape {target}; "
                         "expected values that broadcast to it")
    if accumulate:
        return _added(x, index, v, 1, INDEX_PUT_ADD)
    return _scattered(x, index, v, None, INDEX_PUT)


def index_put_(self: Tensor, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
    """:func:`~autograd.index_put` in place: write (or with ``accumulate``, add) ``values`` where
    ``self[indices]`` reads; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(3).index_put_((tensor([True, False, True]),), tensor(4.0)).tolist()
    [4.0, 0.0, 4.0]
    """
    return _through(index_put, "index_put_", "`x.index_put(indices, values, accumulate)`", self, indices,
                    values, accumulate, operand=values, rename=True)


METHODS: dict[str, Any] = {"index_put": index_put, "index_put_": index_put_}
FUNCTIONS: dict[str, Any] = {"index_put": index_put}
