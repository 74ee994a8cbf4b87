"""Sorting and order statistics: ``sort``, ``argsort``, ``topk``, ``kthvalue``, ``median`` and ``mode``.

Each finds its indices with numpy, then takes the values with :func:`~autograd.ops.gather_scatter.gather`,
so a value's gradient goes to the entry it came from, as in PyTorch, and differentiates again. Those
that return values and indices return a :class:`ValuesIndices` pair, as PyTorch's return types do.

Sorting is always stable: equal values keep their order (descending as well), which is PyTorch's
``stable=True``. nan counts as larger than every number, as in PyTorch: last in an ascending sort, first
in a descending one. PyTorch leaves unspecified which of several tied entries ``topk``, ``kthvalue`` and
``median`` pick; here it is the one a stable sort puts in that place.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, describe, result
from ._common import flag, is_int, normalize_axis, tensor_arg
from .gather_scatter import gather
from .reductions import _extremum_rule, _keepdims
from .shape import _dim


class ValuesIndices(NamedTuple):
    """The values an op selected and their int64 indices along its dim (PyTorch's ``return_types``).

    Examples
    --------
    >>> from autograd import tensor
    >>> values, indices = tensor([3.0, 1.0, 2.0]).sort()
    >>> values.tolist(), indices.tolist()
    ([1.0, 2.0, 3.0], [1, 2, 0])
    """

    values: Tensor
    indices: Tensor


def sort_indices(data: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """The int64 indices that sort ``data`` stably along ``axis`` (nan last, or first when descending).

    A stable descending sort is the reversed stable ascending sort of the reversed array: equal values,
    reversed twice, come out in their first order.

    Examples
    --------
    >>> import numpy as np
    >>> sort_indices(np.array([2.0, 1.0, 2.0, np.nan]), 0, True).tolist()
    [3, 0, 2, 1]
    """
    if data.ndim == 0:
        return np.zeros((), dtype=np.int64)
    if not descending:
        return np.argsort(data, axis=axis, kind="stable").astype(np.int64, copy=False)
    n = data.shape[axis]
    backwards = np.argsort(np.flip(data, axis), axis=axis, kind="stable")
    return (n - 1 - np.flip(backwards, axis)).astype(np.int64, copy=False)


def _prepared(x: ArrayLike, axis: Any, name: str) -> tuple[Tensor, int]:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    return x, _dim(axis, x.data.ndim, name, "dim")


def _picked(x: Tensor, a: int, indices: np.ndarray) -> ValuesIndices:
    return ValuesIndices(gather(x, a, indices), as_tensor(indices))


def sort(x: ArrayLike, axis: int = -1, descending: bool = False, *, stable: bool = False) -> ValuesIndices:
    """The values of ``x`` sorted along ``axis`` (the last by default), and where each came from.

    The sort is always stable (``stable`` is accepted for PyTorch's signature): equal values keep their
    order. nan sorts as the largest value. The gradient of each value goes to the entry it came from.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[3.0, 1.0, 2.0]], requires_grad=True)
    >>> values, indices = x.sort(descending=True)
    >>> values.tolist(), indices.tolist()
    ([[3.0, 2.0, 1.0]], [[0, 2, 1]])
    >>> (values * tensor([1.0, 10.0, 100.0])).sum().backward(); x.grad.tolist()
    [[1.0, 100.0, 10.0]]
    """
    x, a = _prepared(x, axis, "sort")
    descending = flag(descending, "sort", "descending")
    flag(stable, "sort", "stable")
    return _picked(x, a, sort_indices(x.data, a, descending))


def argsort(x: ArrayLike, axis: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
    """The int64 indices that sort ``x`` along ``axis``: :func:`sort`'s indices (stable, nan largest).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([3.0, 1.0, 2.0]).argsort().tolist()
    [1, 2, 0]
    """
    x, a = _prepared(x, axis, "argsort")
    descending = flag(descending, "argsort", "descending")
    flag(stable, "argsort", "stable")
    return as_tensor(sort_indices(x.data, a, descending))


def _count(k: Any, name: str, lo: int, n: int, a: int) -> int:
    if not is_int(k):
        raise TypeError(f"{name}: got k {describe(k)}; expected an int")
    if not lo <= k <= n:
        raise ValueError(f"{name}: got k={k} for dim {a} of size {n}; expected {lo} <= k <= {n}")
    return int(k)


def _size(x: Tensor, a: int) -> int:
    return x.data.shape[a] if x.data.ndim else 1


def topk(x: ArrayLike, k: int, axis: int = -1, largest: bool = True, sorted: bool = True) -> ValuesIndices:  # noqa: A002
    """The ``k`` largest values along ``axis`` (the smallest with ``largest=False``), and their indices.

    The values come largest first (smallest first with ``largest=False``); PyTorch's ``sorted=False``
    leaves the order unspecified, and here gives the same order. Among equal values the earlier entry
    comes first; nan counts as the largest value.

    Examples
    --------
    >>> from autograd import tensor
    >>> values, indices = tensor([1.0, 5.0, 3.0, 4.0]).topk(2)
    >>> values.tolist(), indices.tolist()
    ([5.0, 4.0], [1, 3])
    """
    x, a = _prepared(x, axis, "topk")
    largest = flag(largest, "topk", "largest")
    flag(sorted, "topk", "sorted")
    k = _count(k, "topk", 0, _size(x, a), a)
    order = sort_indices(x.data, a, largest)
    return _picked(x, a, order if x.data.ndim == 0 else np.take(order, np.arange(k), axis=a))


def kthvalue(x: ArrayLike, k: int, axis: int = -1, keepdims: bool = False) -> ValuesIndices:
    """The ``k``-th smallest value along ``axis`` (``k`` counts from 1), and its index.

    Examples
    --------
    >>> from autograd import tensor
    >>> values, indices = tensor([[4.0, 1.0, 3.0], [2.0, 6.0, 5.0]]).kthvalue(2, dim=1)
    >>> values.tolist(), indices.tolist()
    ([3.0, 5.0], [2, 2])
    """
    x, a = _prepared(x, axis, "kthvalue")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "kthvalue")
    k = _count(k, "kthvalue", 1, _size(x, a), a)
    return _selected(x, a, sort_indices(x.data, a, False), k - 1, keepdims)


def _selected(x: Tensor, a: int, order: np.ndarray, position: Any, keepdims: bool) -> ValuesIndices:
    """Values and indices of the entries that sit at ``position`` along ``a`` in the sorted ``order``."""
    if x.data.ndim == 0:
        return _picked(x, a, order)
    kept = tuple(1 if d == a else n for d, n in enumerate(order.shape))
    values, indices = _picked(x, a, np.take_along_axis(order, np.broadcast_to(position, kept), axis=a))
    if keepdims:
        return ValuesIndices(values, indices)
    return ValuesIndices(values.squeeze(a), indices.squeeze(a))


# The median of all entries spreads its gradient evenly over the entries equal to it, as PyTorch's does
# (and as max does here): the same rule as max's, under its own name.
MEDIAN = TensorOp("median", _extremum_rule)


def median(x: ArrayLike, axis: int | None = None, keepdims: bool = False) -> Tensor | ValuesIndices:
    """The median: for an even count, the lower of the two middle values (PyTorch's convention).

    Without ``axis``, the median of all entries, as a 0-d tensor; its gradient is shared evenly by the
    entries equal to it (PyTorch's rule). With ``axis``, the medians along it and their indices (a
    :class:`ValuesIndices`); each value's gradient goes to its index. A slice that holds nan has the
    median nan (at the index of its first nan).

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, 4.0, 2.0, 3.0], [5.0, 5.0, 0.0, 9.0]], requires_grad=True)
    >>> m = x.median(); m.item()
    3.0
    >>> values, indices = x.median(dim=1)
    >>> values.tolist(), indices.tolist()
    ([2.0, 5.0], [2, 0])
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "median")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "median")
    if axis is None:
        if x.data.size == 0:
            raise ValueError(f"median: got a tensor of shape {x.data.shape}; expected at least one entry")
        axes = normalize_axis(None, x.data.ndim, "median")
        flat = x.data.reshape(-1)
        nan = flat.dtype.kind == "f" and np.isnan(flat).any()
        value = flat[np.argmax(np.isnan(flat))] if nan else np.sort(flat)[(flat.size - 1) // 2]
        out = np.asarray(value).reshape((1,) * x.data.ndim if keepdims else ())
        return result(out, (x,), MEDIAN, (axes, keepdims))
    if isinstance(axis, (tuple, list)):
        raise TypeError(f"median: got axis={axis!r}; expected an int or None")
    a = _dim(axis, x.data.ndim, "median", "dim")
    n = _size(x, a)
    if n == 0:
        raise ValueError(f"median: got a tensor of shape {x.data.shape}, whose axis {a} is empty; "
                         "expected at least one entry along it")
    order = sort_indices(x.data, a, False)
    position: Any = (n - 1) // 2
    if x.data.dtype.kind == "f" and x.data.ndim:
        nans = np.isnan(x.data)
        if nans.any():  # a slice with nan: the first nan, which a stable sort puts first among the nans
            count = nans.sum(axis=a, keepdims=True)
            position = np.where(count > 0, n - count, position)
    return _selected(x, a, order, position, keepdims)


def mode(x: ArrayLike, axis: int = -1, keepdims: bool = False) -> ValuesIndices:
    """The most frequent value along ``axis`` (the last by default), the smallest of them where several are
    equally frequent, and its index, as PyTorch's ``mode``.

    The index is that of the value's last occurrence, which is PyTorch's on the CPU for slices of up to 16
    entries (for longer ones PyTorch's pick among the occurrences depends on its sorting algorithm). The
    value's gradient goes to that entry, as ``max(dim)``'s does. Equal values count together (``-0.0`` with
    ``0.0``), and so do nans, which count as larger than every number (PyTorch's answer for a slice with
    nan depends on where the nans are).

    Raises
    ------
    ValueError
        If the axis is empty (there is no value to count).

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[3.0, 1.0, 3.0, 1.0, 2.0], [4.0, 4.0, 0.0, 4.0, 0.0]], requires_grad=True)
    >>> values, indices = x.mode(dim=1)
    >>> values.tolist(), indices.tolist()
    ([1.0, 4.0], [3, 3])
    >>> values.sum().backward(); x.grad.tolist()
    [[0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0, 0.0]]
    """
    x, a = _prepared(x, axis, "mode")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "mode")
    n = _size(x, a)
    if n == 0:
        raise ValueError(f"mode: got a tensor of shape {x.data.shape}, whose axis {a} is empty; expected at "
                         "least one entry along it")
    order = sort_indices(x.data, a, False)
    if x.data.ndim == 0:
        return _picked(x, a, order)
    # Runs of equal values in the stably sorted slices: the last entry of each run is its value's last
    # occurrence, and the first of the longest runs holds the smallest of the most frequent values.
    ordered = np.moveaxis(np.take_along_axis(x.data, order, axis=a), a, -1)
    same = ordered[..., 1:] == ordered[..., :-1]
    if ordered.dtype.kind == "f":
        same |= np.isnan(ordered[..., 1:]) & np.isnan(ordered[..., :-1])
    begins, ends = np.ones(ordered.shape, dtype=bool), np.ones(ordered.shape, dtype=bool)
    begins[..., 1:] = ends[..., :-1] = ~same
    positions = np.arange(n)
    starts = np.maximum.accumulate(np.where(begins, positions, 0), axis=-1)
    lengths = np.where(ends, positions - starts + 1, 0)
    position = np.expand_dims(np.argmax(lengths, axis=-1), a)
    return _selected(x, a, order, position, keepdims)


_PUBLIC = (sort, argsort, topk, kthvalue, median, mode)
METHODS: dict[str, Any] = {fn.__name__: fn for fn in _PUBLIC}
FUNCTIONS: dict[str, Any] = dict(METHODS)
