"""Counting and searching: ``nonzero``, ``argwhere``, ``unique``, ``bincount``, ``histc``, ``searchsorted``
and ``bucketize``, with PyTorch's signatures and results.

Their results are indices, counts or values picked by comparison, so most carry no gradient: the integer
ones (indices, counts) and ``histc``'s counts, as in PyTorch. Two are recorded like other ops:

- ``bincount`` with ``weights`` sums the weights into bins, a linear map, whose gradient with respect to
  the weights is the output gradient read at each entry's bin (PyTorch records it but has no rule);
- ``unique``'s values of a tensor that requires grad are recorded, and a backward pass that reaches them
  raises, as in PyTorch: a small change of one of several equal entries would split a value in two.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, describe, result
from ._common import DimError, flag, is_int, tensor_arg
from .shape import _dim

# ----------------------------------------------------------------------------------------- nonzero


def _nonzero_indices(x: Tensor) -> tuple[np.ndarray, ...]:
    """The int64 indices of the entries other than 0 (and False), one array per dimension; a 0-d tensor
    is read as one entry at index 0 of one dimension, as PyTorch's ``as_tuple=True`` does."""
    data = x.data.reshape(1) if x.data.ndim == 0 else x.data
    return tuple(i.astype(np.int64, copy=False) for i in np.nonzero(data))


def nonzero(x: ArrayLike, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
    """Where ``x`` is not 0 (nan counts as nonzero): an ``(n, x.ndim)`` int64 tensor with one row of
    indices per such entry, in row-major order, or with ``as_tuple=True`` one int64 index tensor per
    dimension (numpy's ``nonzero``; ``x[x.nonzero(as_tuple=True)]`` picks the entries).

    A 0-d tensor gives shape ``(1, 0)`` or ``(0, 0)``, and with ``as_tuple=True`` one index tensor, as in
    PyTorch. No gradient.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[0.0, 1.5], [2.0, 0.0]])
    >>> x.nonzero().tolist()
    [[0, 1], [1, 0]]
    >>> [i.tolist() for i in x.nonzero(as_tuple=True)]
    [[0, 1], [1, 0]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "nonzero")
    if not isinstance(as_tuple, (bool, np.bool_)):
        raise TypeError(f"nonzero: got as_tuple {describe(as_tuple)}; expected a bool")
    indices = _nonzero_indices(x)
    if as_tuple:
        return tuple(as_tensor(i) for i in indices)
    rows = np.stack(indices, axis=1) if x.data.ndim else np.zeros((len(indices[0]), 0), dtype=np.int64)
    return as_tensor(rows)


def argwhere(x: ArrayLike) -> Tensor:
    """The ``(n, x.ndim)`` int64 indices of the entries of ``x`` that are not 0: ``nonzero(x)``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([0, 3, 0, 5]).argwhere().tolist()
    [[1], [3]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "argwhere")
    return nonzero(x)


# ----------------------------------------------------------------------------------------- unique


def _no_derivative(node: Tensor, g: Any) -> tuple:
    raise RuntimeError(
        "unique: the derivative of unique is not implemented (nor is it in PyTorch): the backward pass "
        "reached the values of unique() of a tensor that requires grad; take them from a detach()ed tensor "
        "or under autograd.no_grad()"
    )


UNIQUE = TensorOp("unique", _no_derivative)  # no array rule: the plain pass runs this one


def _unique_slices(data: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct slices of ``data`` along ``axis`` in lexicographic order, where each slice went, and
    how often each occurs. Slices are compared with ``!=``, so one holding a nan is distinct from every
    other, as in PyTorch (numpy's ``unique(axis=...)`` compares bytes and merges equal nans); it sorts
    as nan sorts in numpy, after the numbers (PyTorch's order there is unspecified)."""
    slices = np.moveaxis(data, axis, 0)
    flat = slices.reshape(len(slices), int(np.prod(slices.shape[1:])))  # not -1: there may be no slices
    # lexsort's last key is the primary one: the slice's first entry; it needs at least one key
    order = np.lexsort(flat.T[::-1]) if flat.shape[1] else np.arange(len(flat))
    ordered = flat[order]
    starts = np.ones(len(flat), dtype=bool)
    starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    group = np.cumsum(starts) - 1
    inverse = np.empty(len(flat), dtype=np.int64)
    inverse[order] = group
    counts = np.diff(np.append(np.flatnonzero(starts), len(flat)))
    return np.moveaxis(slices[order][starts], 0, axis), inverse, counts


def unique(x: ArrayLike, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Tensor | tuple[Tensor, ...]:
    """The distinct values of ``x``, in ascending order, as a 1-D tensor; with ``return_inverse`` also
    where each entry of ``x`` went (int64, ``x``'s shape), and with ``return_counts`` how often each value
    occurs (int64), in PyTorch's order ``(values, inverse, counts)``.

    With ``dim``, the distinct slices along that dimension (rows for ``dim=0``) in lexicographic order,
    stacked along ``dim``; the inverse and the counts then have one entry per slice.

    Each nan is a value of its own, as in PyTorch (and a slice holding a nan is a slice of its own, placed
    as numpy sorts nan: after the numbers).
    ``sorted=False`` gives the sorted values too (PyTorch leaves that order unspecified, and its CPU code
    sorts as well). The values of a tensor that requires grad have no derivative, as in PyTorch: a
    backward pass that reaches them raises.

    Examples
    --------
    >>> from autograd import tensor
    >>> values, inverse, counts = tensor([3, 1, 3, 2]).unique(return_inverse=True, return_counts=True)
    >>> values.tolist(), inverse.tolist(), counts.tolist()
    ([1, 2, 3], [2, 0, 2, 1], [1, 1, 2])
    >>> rows, inverse = tensor([[1, 2], [0, 5], [1, 2]]).unique(dim=0, return_inverse=True)
    >>> rows.tolist(), inverse.tolist()
    ([[0, 5], [1, 2]], [1, 0, 1])
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "unique")
    flag(sorted, "unique", "sorted")
    return_inverse = flag(return_inverse, "unique", "return_inverse")
    return_counts = flag(return_counts, "unique", "return_counts")
    if dim is None:
        values, inverse, counts = np.unique(x.data.reshape(-1), return_inverse=True, return_counts=True,
                                            equal_nan=False)
        inverse = inverse.reshape(x.data.shape)
    else:
        if x.data.ndim == 0:
            raise DimError(f"unique: got dim={dim!r} for a 0-d tensor; expected dim=None")
        axis = _dim(dim, x.data.ndim, "unique")
        if any(n == 0 for i, n in enumerate(x.data.shape) if i != axis):
            raise ValueError(f"unique: got dim={dim!r} for a tensor of shape {x.data.shape}; expected no "
                             "empty dimension other than dim")
        values, inverse, counts = _unique_slices(x.data, axis)
    out: list[Tensor] = [result(values, (x,), UNIQUE)]
    if return_inverse:
        out.append(as_tensor(inverse.astype(np.int64)))
    if return_counts:
        out.append(as_tensor(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


# ----------------------------------------------------------------------------------------- bincount


def _bincount_rule(node: Tensor, g: Any) -> tuple:
    return (g[node._ctx],)  # each weight went to the bin its entry names: read the gradient there


BINCOUNT = TensorOp("bincount", _bincount_rule, _bincount_rule)


def _count_of(value: Any, name: str, what: str, lowest: int) -> int:
    if not is_int(value):
        raise TypeError(f"{name}: got {what} {describe(value)}; expected an int")
    if value < lowest:
        raise ValueError(f"{name}: got {what}={value}; expected an int >= {lowest}")
    return int(value)


def bincount(x: ArrayLike, weights: ArrayLike | None = None, minlength: int = 0) -> Tensor:
    """How often each of ``0, 1, ..., max(x)`` occurs in the 1-D tensor ``x`` of non-negative integers
    (at least ``minlength`` bins), as int64; with ``weights`` (one per entry of ``x``), the sum of the
    weights of the entries in each bin.

    Weighted sums are float32 for float32 weights and float64 for the others, as in PyTorch. They are
    differentiable with respect to the weights: each weight's gradient is the gradient of its bin.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([0, 2, 2, 5]).bincount().tolist()
    [1, 0, 2, 0, 0, 1]
    >>> w = tensor([0.5, 1.0, 2.0, 3.0], requires_grad=True)
    >>> y = tensor([0, 2, 2, 5]).bincount(w, minlength=8); y.tolist()
    [0.5, 0.0, 3.0, 0.0, 0.0, 3.0, 0.0, 0.0]
    >>> (y * tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])).sum().backward(); w.grad.tolist()
    [1.0, 3.0, 3.0, 6.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "bincount")
    data = x.data
    if data.dtype.kind not in "iu":
        raise TypeError(f"bincount: got a tensor of dtype {data.dtype}; expected a 1-D tensor of "
                        "non-negative integers")
    if data.ndim != 1:
        raise ValueError(f"bincount: got a tensor of shape {data.shape}; expected a 1-D tensor of "
                         "non-negative integers")
    if data.size and data.min() < 0:
        raise ValueError(f"bincount: got a tensor holding the negative value {data.min()}; expected "
                         "non-negative integers")
    minlength = _count_of(minlength, "bincount", "minlength", 0)
    length = max(int(data.max()) + 1 if data.size else 0, minlength)
    if weights is None:
        return as_tensor(np.bincount(data, minlength=length).astype(np.int64))
    if type(weights) is not Tensor:
        weights = tensor_arg(weights, "bincount", "weights")
    if weights.data.shape != data.shape:
        raise ValueError(f"bincount: got weights of shape {weights.data.shape} for an input of shape "
                         f"{data.shape}; expected one weight per entry")
    dtype = np.float32 if weights.data.dtype == np.float32 else np.float64
    out = np.zeros(length, dtype=dtype)
    np.add.at(out, data, weights.data)
    return result(out, (weights,), BINCOUNT, data.astype(np.intp))


# ----------------------------------------------------------------------------------------- histc


def _bound(value: Any, what: str) -> Any:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"histc: got {what} {describe(value)}; expected a number")
    return value


def histc(x: ArrayLike, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
    """A histogram of the entries of ``x`` in ``bins`` equal bins between ``min`` and ``max``, as a tensor
    of ``x``'s (floating) dtype, as PyTorch's ``histc``.

    Entries outside ``[min, max]`` and nan are left out; an entry equal to ``max`` goes into the last bin.
    When ``min`` equals ``max`` (both 0 by default) the smallest and the largest entries are used, and when
    those are equal too, ``min - 1`` and ``max + 1``. The bin of an entry ``v`` is
    ``floor((v - min) * bins / (max - min))`` computed in ``x``'s dtype, as PyTorch computes it. The
    counts carry no gradient.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 2.0, 1.0, 2.5, 4.0, -1.0]).histc(bins=4, min=0, max=3).tolist()
    [0.0, 2.0, 1.0, 1.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "histc")
    if x.data.dtype.kind != "f":
        raise TypeError(f"histc: got a tensor of dtype {x.data.dtype}; expected a floating dtype (as in "
                        "PyTorch: convert it with .float() or .double())")
    bins = _count_of(bins, "histc", "bins", 1)
    dtype = x.data.dtype.type
    lo, hi = dtype(_bound(min, "min")), dtype(_bound(max, "max"))
    if lo > hi:
        raise ValueError(f"histc: got min={min} larger than max={max}; expected min <= max")
    data = x.data.reshape(-1)
    if lo == hi and data.size:
        lo, hi = data.min(), data.max()
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"histc: the range [{lo}, {hi}] is not finite; expected finite min and max (when "
                         "min equals max the entries' own range is used, and then it must be finite)")
    inside = data[(data >= lo) & (data <= hi)]
    position = ((inside - lo) * bins / (hi - lo)).astype(np.int64)
    counts = np.bincount(np.minimum(position, bins - 1), minlength=bins)
    return as_tensor(counts.astype(x.data.dtype))


# ----------------------------------------------------------------------------------------- searchsorted


def _side(right: Any, side: Any, name: str) -> str:
    right = flag(right, name, "right")
    if side is None:
        return "right" if right else "left"
    if side not in ("left", "right"):
        raise ValueError(f"{name}: got side={side!r}; expected 'left' or 'right'")
    if right and side == "left":
        raise ValueError(f"{name}: got side='left' and right=True, which contradict each other; expected "
                         "one of them (or both saying the same)")
    return side


def _search(sequence: Tensor, values: Tensor, side: str, out_int32: Any, sorter: Any, name: str,
            what: str) -> Tensor:
    """The searchsorted of ``values`` in the rows of ``sequence`` (``what`` names it in errors)."""
    s, v = sequence.data, values.data
    if s.ndim == 0:
        raise ValueError(f"{name}: got a 0-d {what}; expected at least one dimension")
    if s.dtype == np.bool_ and v.dtype == np.bool_:
        raise TypeError(f"{name}: got bool {what} and values; expected numbers (PyTorch refuses bool too)")
    if s.ndim > 1 and (v.ndim != s.ndim or v.shape[:-1] != s.shape[:-1]):
        raise ValueError(f"{name}: got {what} of shape {s.shape} and values of shape {v.shape}; expected a "
                         f"1-D {what} or one whose leading dimensions {s.shape[:-1]} the values share")
    if sorter is not None:
        order = sorter.data if isinstance(sorter, Tensor) else np.asarray(sorter)
        if order.shape != s.shape or order.dtype.kind not in "iu":
            raise ValueError(f"{name}: got sorter {describe(sorter)}; expected integer indices of the "
                             f"{what}'s shape {s.shape}")
        n = s.shape[-1]
        if order.size and (order.min() < 0 or order.max() >= n):
            raise ValueError(f"{name}: got sorter indices outside [0, {n}); expected indices into the last "
                             f"dimension of the {what}")
        s = np.take_along_axis(s, order.astype(np.intp), axis=-1)
    out_int32 = flag(out_int32, name, "out_int32")
    if s.ndim == 1:
        found = np.searchsorted(s, v, side=side)
    else:  # one search per row of the sequence, with the values of the same row
        count = int(np.prod(s.shape[:-1]))
        rows, row_values = s.reshape(count, s.shape[-1]), v.reshape(count, v.shape[-1])
        found = np.zeros(row_values.shape, dtype=np.int64)
        for i, (r, w) in enumerate(zip(rows, row_values)):
            found[i] = np.searchsorted(r, w, side=side)
        found = found.reshape(v.shape)
    return as_tensor(np.asarray(found, dtype=np.int32 if out_int32 else np.int64))


def _values(values: Any, sequence: Tensor, name: str, what: str) -> Tensor:
    """The values to search for as a tensor; a Python float takes the dtype of a floating sequence (so
    that 0.1 is searched as the sequence's 0.1, not as float32's)."""
    if isinstance(values, Tensor):
        return values
    if isinstance(values, float) and sequence.data.dtype.kind == "f":
        return as_tensor(values, like=sequence)
    return tensor_arg(values, name, what)


def searchsorted(sorted_sequence: ArrayLike, values: ArrayLike, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None, sorter: ArrayLike | None = None) -> Tensor:
    """For each of ``values``, the index at which it would be inserted into ``sorted_sequence`` to keep
    it sorted: the first index whose entry is ``>=`` the value (``side='left'``, the default), or ``>``
    it (``side='right'`` or ``right=True``). int64 (int32 with ``out_int32=True``), no gradient.

    ``sorted_sequence`` is 1-D, or N-D with rows along its last dimension whose leading dimensions the
    values share (each row is searched with its own values). ``sorter`` holds the indices that sort an
    unsorted sequence along its last dimension. A nan in the sequence counts as larger than every number
    (where it sorts, as numpy does; PyTorch leaves that case unspecified).

    Examples
    --------
    >>> from autograd import tensor, searchsorted
    >>> s = tensor([1.0, 3.0, 5.0, 7.0, 9.0])
    >>> v = tensor([3.0, 6.0, 9.0])
    >>> searchsorted(s, v).tolist(), searchsorted(s, v, right=True).tolist()
    ([1, 3, 4], [2, 3, 5])
    """
    if type(sorted_sequence) is not Tensor:
        sorted_sequence = tensor_arg(sorted_sequence, "searchsorted")
    side = _side(right, side, "searchsorted")
    v = _values(values, sorted_sequence, "searchsorted", "values")
    if v.data.ndim == 0 and sorted_sequence.data.ndim > 1:
        raise ValueError(f"searchsorted: got a single value for a sorted_sequence of shape "
                         f"{sorted_sequence.data.shape}; expected values with its leading dimensions "
                         "(a single value only goes with a 1-D sorted_sequence)")
    return _search(sorted_sequence, v, side, out_int32, sorter, "searchsorted", "sorted_sequence")


def bucketize(x: ArrayLike, boundaries: ArrayLike, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The bucket of each entry of ``x`` between the sorted 1-D ``boundaries``: the index ``i`` with
    ``boundaries[i - 1] < v <= boundaries[i]`` (``right=False``) or ``boundaries[i - 1] <= v <
    boundaries[i]`` (``right=True``), which is ``searchsorted(boundaries, x, right=right)``. int64
    (int32 with ``out_int32=True``), ``x``'s shape, no gradient.

    Examples
    --------
    >>> from autograd import tensor, bucketize
    >>> bucketize(tensor([[3.0, 6.0], [9.0, 0.0]]), tensor([1.0, 3.0, 5.0, 7.0, 9.0])).tolist()
    [[1, 3], [4, 0]]
    """
    if type(boundaries) is not Tensor:
        boundaries = tensor_arg(boundaries, "bucketize", "boundaries")
    x = _values(x, boundaries, "bucketize", "an argument")
    if boundaries.data.ndim != 1:
        raise ValueError(f"bucketize: got boundaries of shape {boundaries.data.shape}; expected a 1-D tensor")
    return _search(boundaries, x, "right" if flag(right, "bucketize", "right") else "left", out_int32, None,
                   "bucketize", "boundaries")


METHODS: dict[str, Any] = {
    "nonzero": nonzero, "argwhere": argwhere, "unique": unique, "bincount": bincount, "histc": histc,
}
# PyTorch has searchsorted and bucketize as functions only
FUNCTIONS: dict[str, Any] = dict(METHODS, searchsorted=searchsorted, bucketize=bucketize)
