"""Writing into a copy of a tensor at indices: PyTorch's ``index_add``, ``index_copy``, ``index_reduce``,
``index_fill``, ``masked_scatter``, ``put``, ``diagonal_scatter``, ``select_scatter`` and ``slice_scatter``.

Each returns a new tensor; the in-place forms (``index_add_``, ``index_copy_``, ``index_reduce_``,
``index_fill_``, ``masked_scatter_``, ``put_``) are in :mod:`~autograd.ops.inplace`. The adding ones
(``index_add``, ``put(accumulate=True)``) are primitives that add entry after entry, as PyTorch does,
whose rule takes the gradient at the index; the copying ones are primitives that share ``scatter``'s rule
(the overwritten positions get no gradient from the input, and each source entry gets the gradient of the
position it was written to); ``index_reduce``, which combines the tensor's slices with the source's by a
product, mean, maximum or minimum, passes the gradient by each entry's share (the mean, and ties of the
extrema) or by the product of the other factors; ``index_fill`` is ``where`` and ``masked_scatter``
``where`` of indexing's adjoint. The rules are written with differentiable ops, so all differentiate again.

The checks follow PyTorch: which index dtypes each op takes (``index_add`` int32 or int64, ``index_copy``,
``index_fill``, ``put`` int64, ``index_reduce`` as ``index_add``), where a negative index counts from the
end (``index_fill``, ``put``, ``select_scatter``) and where it is refused (``index_add``, ``index_copy``,
``index_reduce``), the source's shape, and the
source's dtype, which must be the tensor's for the ops that add or copy a source and is converted for the
``*_scatter`` ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..grad_mode import grad_enabled
from ..tensor import ArrayLike, Tensor, TensorOp, constant_like, describe, result
from ._common import flag, is_int, tensor_arg
from .arithmetic import where
from .gather_scatter import _mask_array, _scatter_rule, _scattered, check_in_range, flat_index, index_array
from .indexing import getitem
from .indexing import scatter_add as _add_at
from .shape import _dim, broadcast_to
from .triangular import _diagonal_positions, _offset


def _add_rule(node: Tensor, g: Tensor) -> tuple:
    index, alpha = node._ctx
    taken = getitem(g, index)
    return (g, taken if alpha == 1 else taken * alpha)


# Their rules read no values, only the index (and the positions written) they saved: a later change to
# the input or the source in place lets them through, as PyTorch does.
INDEX_ADD = TensorOp("index_add", _add_rule, reads_values=False)
PUT_ADD = TensorOp("put_accumulate", _add_rule, reads_values=False)
INDEX_COPY = TensorOp("index_copy", _scatter_rule, reads_values=False)
PUT = TensorOp("put", _scatter_rule, reads_values=False)
DIAGONAL_SCATTER = TensorOp("diagonal_scatter", _scatter_rule, reads_values=False)
SELECT_SCATTER = TensorOp("select_scatter", _scatter_rule, reads_values=False)
SLICE_SCATTER = TensorOp("slice_scatter", _scatter_rule, reads_values=False)

_INT64 = (np.dtype(np.int64),)
_INT32_OR_64 = (np.dtype(np.int32), np.dtype(np.int64))

# ------------------------------------------------------------------------------------------ arguments


def _index_vector(index: Any, name: str, dtypes: tuple[np.dtype, ...]) -> np.ndarray:
    """``index`` as a vector of integers of one of ``dtypes`` (a single integer is a vector of one)."""
    idx = index_array(index, name)
    if idx.dtype not in dtypes:
        allowed = " or ".join(str(d) for d in dtypes)
        raise TypeError(f"{name}: got an index of dtype {idx.dtype}; expected {allowed}, as PyTorch (convert "
                        "it with index.long())")
    if idx.ndim > 1:
        raise ValueError(f"{name}: got an index of shape {idx.shape}; expected a vector (or a single "
                         "integer)")
    return idx.reshape(-1)


def _source(source: Any, x: Tensor, name: str) -> Tensor:
    """``source`` as a tensor of ``x``'s dtype, which PyTorch requires: a tensor or array must have it,
    and numbers or lists take it (when that changes no kind: floats do not become integers)."""
    if isinstance(source, Tensor):
        s = source
    elif isinstance(source, np.ndarray):
        s = Tensor(source)
    else:
        s = tensor_arg(source, name, "source")
        if s.data.dtype != x.data.dtype and np.can_cast(s.data.dtype, x.data.dtype, "same_kind"):
            s = Tensor(s.data.astype(x.data.dtype))
    if s.data.dtype != x.data.dtype:
        raise TypeError(f"{name}: got a source of dtype {s.data.dtype} for a tensor of dtype {x.data.dtype}; "
                        "expected the same dtype, as PyTorch (convert it with source.to(x.dtype))")
    return s

def _along_arguments(x: ArrayLike, axis: Any, index: Any, source: Any, name: str,
                     dtypes: tuple[np.dtype, ...]) -> tuple[Tensor, int, np.ndarray, Tensor]:
    """The tensor, dim, index vector and source of a write along a dim (``index_add``, ``index_copy``,
    ``index_reduce``), checked as :func:`_index_vector` and :func:`_source` check them."""
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    a = _dim(axis, x.data.ndim, name, "dim")
    return x, a, _index_vector(index, name, dtypes), _source(source, x, name)



def _slice_shape(x: Tensor, a: int, n: int) -> tuple[int, ...]:
    """The shape of ``x`` with ``n`` entries along ``a`` (a 0-d tensor: none)."""
    shape = x.data.shape
    return shape[:a] + (n,) + shape[a + 1:] if shape else ()


def _check_slices(src: Tensor, x: Tensor, a: int, n: int, name: str) -> None:
    expected = _slice_shape(x, a, n)
    if src.data.shape != expected:
        along = f" with dim {a} of size {n} (the number of indices)" if x.data.ndim else ""
        raise ValueError(f"{name}: got a source of shape {src.data.shape} for a tensor of shape "
                         f"{x.data.shape}; expected shape {expected}: the tensor's{along}")


def _one_index(idx: np.ndarray, name: str) -> None:
    """A 0-d tensor has one position, which the index must name once (as PyTorch)."""
    if idx.size != 1:
        raise ValueError(f"{name}: got {idx.size} indices for a 0-d tensor; expected a single index, 0")


def _along(a: int, idx: Any) -> tuple:
    return (slice(None),) * a + (idx,)


def _written_along(x: Tensor, a: int, idx: np.ndarray, src: Tensor, name: str, write: Any, scale: Any,
                   op: TensorOp) -> Tensor:
    """``write(x, index, src, scale, op)`` at the positions ``idx`` along axis ``a`` (``_added``,
    ``_scattered`` or ``_reduced``, which finds the axis as the last place of ``index``), after the range
    check; a 0-d ``x`` is written as a 1-element vector."""
    if x.data.ndim == 0:
        _one_index(idx, name)
        check_in_range(idx, 1, 0, name)
        return write(x.reshape(1), (idx,), src.reshape(1), scale, op).reshape(())
    check_in_range(idx, x.data.shape[a], a, name)
    return write(x, _along(a, idx), src, scale, op)


# ------------------------------------------------------------------------------------------ index_add


def _alpha(alpha: Any, dtype: np.dtype, name: str) -> Any:
    """``alpha`` in the tensor's dtype, as PyTorch converts it (truncated toward 0 for integer tensors, and
    refused where it does not fit), as a Python number."""
    if isinstance(alpha, Tensor) and alpha.data.ndim == 0 and alpha.data.dtype.kind in "biuf":
        alpha = alpha.data.item()
    if not isinstance(alpha, (int, float, np.integer, np.floating, np.bool_)):
        raise TypeError(f"{name}: got alpha {describe(alpha)}; expected a real number")
    return _fill_value(alpha, dtype, name, "alpha").item()


def index_add(x: ArrayLike, axis: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
    """A copy of ``x`` with ``alpha * source[..., i, ...]`` added at ``x[..., index[i], ...]`` along
    ``axis``, as ``torch.index_add``: repeated indices add up.

    ``index`` is a vector of ``n`` integers (int32 or int64) in ``[0, size)``; ``source`` has ``x``'s dtype
    and its shape with ``n`` entries along ``axis``. ``alpha`` is converted to ``x``'s dtype first, as
    PyTorch does: truncated toward 0 for an integer tensor, and refused where it does not fit. The gradient
    is the output's for ``x``, and ``alpha`` times the output's at ``index`` for ``source``.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(3, 2).index_add(0, tensor([2, 0, 2]), tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).tolist()
    [[3.0, 4.0], [0.0, 0.0], [6.0, 8.0]]
    >>> zeros(3).index_add(0, tensor([1]), tensor([2.0]), alpha=-0.5).tolist()
    [0.0, -1.0, 0.0]
    """
    name = "index_add"
    x, a, idx, src = _along_arguments(x, axis, index, source, name, _INT32_OR_64)
    scale = _alpha(alpha, x.data.dtype, name)
    _check_slices(src, x, a, idx.size, name)
    return _written_along(x, a, idx, src, name, _added, scale, INDEX_ADD)


def _added(x: Tensor, index: tuple, src: Tensor, alpha: Any, op: TensorOp) -> Tensor:
    """A copy of ``x`` with ``alpha * src`` added at the numpy index ``index``, one entry after the other
    (as PyTorch does, so that repeated indices round alike), recorded as ``op``: the gradient is the
    output's for ``x`` and ``alpha`` times the output's at ``index`` for ``src``."""
    out = x.data.copy()
    if out.dtype == np.bool_:  # adding bools is "or" (and alpha 0 adds nothing), as in PyTorch
        if alpha:
            np.logical_or.at(out, index, src.data)
        return Tensor(out)
    np.add.at(out, index, src.data if alpha == 1 else src.data * np.asarray(alpha, dtype=out.dtype))
    return result(out, (x, src), op, (index, alpha))


# ------------------------------------------------------------------------------------------ index_copy


def index_copy(x: ArrayLike, axis: int, index: Any, source: Any) -> Tensor:
    """A copy of ``x`` with ``x[..., index[i], ...] = source[..., i, ...]`` along ``axis``, as
    ``torch.index_copy``.

    ``index`` is a vector of ``n`` int64 integers in ``[0, size)``; ``source`` has ``x``'s dtype and its
    shape with ``n`` entries along ``axis`` (a single number, 0-d or of one entry, goes with a single index
    into a tensor of at most one dimension). When an index repeats, the last write wins (PyTorch leaves it
    unspecified). The written slices get no gradient from ``x``; each source slice gets the gradient of the
    slice it was written to.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(3, 2).index_copy(0, tensor([2, 0]), tensor([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [[3.0, 4.0], [0.0, 0.0], [1.0, 2.0]]
    """
    name = "index_copy"
    x, a, idx, src = _along_arguments(x, axis, index, source, name, _INT64)
    expected = _slice_shape(x, a, idx.size)
    if src.data.shape != expected and src.data.size == 1 and idx.size == 1 and src.data.ndim <= 1 \
            and x.data.ndim <= 1:
        src = src.reshape(expected)  # PyTorch's scalar source
    _check_slices(src, x, a, idx.size, name)
    return _written_along(x, a, idx, src, name, _scattered, None, INDEX_COPY)


# ------------------------------------------------------------------------------------------ index_reduce

_REDUCTIONS = ("prod", "mean", "amax", "amin")
REDUCING_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
                   "amin": np.minimum}
"""The ufunc whose ``.at`` reduces values into a position, by reduction (``index_reduce``'s and
``scatter_reduce``'s)."""


def index_reduce(x: ArrayLike, axis: int, index: Any, source: Any, reduce: str, *,
                 include_self: bool = True) -> Tensor:
    """A copy of ``x`` whose slices ``index[i]`` along ``axis`` combine with the source slices
    ``source[..., i, ...]`` sent there, by ``reduce``: ``'prod'``, ``'mean'``, ``'amax'`` or ``'amin'``, as
    ``torch.index_reduce``. With ``include_self=False`` the tensor's own slices at the indexed positions are
    left out (the others are kept as they are).

    ``index`` is a vector of ``n`` integers (int32 or int64) in ``[0, size)``; ``source`` has ``x``'s dtype
    and its shape with ``n`` entries along ``axis``. An integer mean rounds toward -inf, as PyTorch's; nan
    wins the extrema. Bool tensors are refused. Gradients, for ``x`` and ``source``: the mean gives each
    entry its share, the extrema split the gradient evenly among the entries equal to the result (ties
    included), and the product gives each factor the product of the others (zeros included; a second
    derivative through two zero source entries sent to one place raises, as in PyTorch).

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> index, source = tensor([1, 1]), tensor([[2.0, 2.0], [5.0, 0.0]])
    >>> x.index_reduce(0, index, source, "amax").tolist()
    [[1.0, 2.0], [5.0, 4.0]]
    >>> x.index_reduce(0, index, source, "mean", include_self=False).tolist()
    [[1.0, 2.0], [3.5, 1.0]]
    """
    name = "index_reduce"
    x, a, idx, src = _along_arguments(x, axis, index, source, name, _INT32_OR_64)
    if not isinstance(reduce, str):
        raise TypeError(f"{name}: got reduce {describe(reduce)}; expected one of 'prod', 'mean', 'amax', "
                        "'amin'")
    if reduce not in _REDUCTIONS:
        raise ValueError(f"{name}: got reduce={reduce!r}; expected one of 'prod', 'mean', 'amax', 'amin' "
                         "(for a sum, use index_add)")
    include_self = flag(include_self, name, "include_self")
    if x.data.dtype.kind == "b":
        raise TypeError(f"{name}: got a tensor of dtype bool; expected a tensor of numbers (as in PyTorch)")
    _check_slices(src, x, a, idx.size, name)
    return _written_along(x, a, idx, src, name, _reduced, (reduce, bool(include_self)), _REDUCE_OPS[reduce])


def reduction_identity(reduce: str, dtype: np.dtype) -> Any:
    """The value that leaves every other unchanged under ``reduce``, in ``dtype``: where a position
    starts when ``include_self=False`` leaves the tensor's own value out.

    Examples
    --------
    >>> reduction_identity("prod", np.dtype("float32")), reduction_identity("amax", np.dtype("float32"))
    (1, -inf)
    """
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "b":
        return reduce == "amin"
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info: Any = np.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def _per_position(values: np.ndarray, a: int, ndim: int) -> np.ndarray:
    """One value per position along axis ``a``, shaped to broadcast against a tensor of ``ndim``
    dimensions."""
    return values.reshape(values.shape + (1,) * (ndim - a - 1))


def _reduced(x: Tensor, index: tuple, src: Tensor, how: tuple[str, bool], op: TensorOp) -> Tensor:
    """A copy of ``x`` combined with ``src`` at the numpy index ``index`` (slices, then the index along the
    axis) by the reduction ``how = (reduce, include_self)``, recorded as ``op``."""
    reduce, include_self = how
    a, data = len(index) - 1, x.data
    hits = np.bincount(index[a], minlength=data.shape[a])  # source slices sent to each position
    out = data.copy()
    if not include_self:
        out[_along(a, hits > 0)] = reduction_identity(reduce, data.dtype)
    with np.errstate(invalid="ignore"):  # a nan among the extrema wins, silently, as in PyTorch
        REDUCING_UFUNCS[reduce].at(out, index, src.data)
    if reduce == "mean":
        counts = _per_position(np.maximum(hits + include_self, 1), a, data.ndim).astype(data.dtype)
        out = out / counts if data.dtype.kind == "f" else out // counts  # PyTorch floors integer means
    return result(out, (x, src), op, (index, reduce, include_self, hits))


def _shares_rule(node: Tensor, g: Tensor) -> tuple:
    """mean, amax and amin: each entry of the tensor and of the source gets its share of the gradient at
    the position it went to."""
    index, reduce, include_self, hits = node._ctx
    x, src = node._parents
    a, ndim = len(index) - 1, node.data.ndim
    if reduce == "mean":  # the tensor's entry counts where it was included (or left alone)
        per = _per_position(np.maximum(hits + include_self, 1), a, ndim)
        kept = _per_position(hits == 0, a, ndim) if not include_self else True
        to_self, to_src = kept / per, (1.0 / per)[index[a]]
    else:  # the entries equal to the result share its gradient evenly
        to_self = x.data == node.data
        if not include_self:  # (PyTorch counts the left-out entry among the ties, and loses its share)
            to_self &= _per_position(hits == 0, a, ndim)
        to_src = src.data == node.data[index]
        count = to_self.astype(node.data.dtype)
        np.add.at(count, index, to_src)
        with np.errstate(divide="ignore", invalid="ignore"):  # no entry equal to a nan result: 0 / 0
            to_self, to_src = to_self / count, to_src / count[index]
        if not include_self:  # the left-out entries get nothing, even beside a nan
            to_self = np.where(_per_position(hits == 0, a, ndim), to_self, 0.0)
    return g * constant_like(to_self, g), getitem(g, index) * constant_like(to_src, g)


def _prod_rule(node: Tensor, g: Tensor) -> tuple:
    """prod: each factor gets the gradient times the product of the other factors at its position."""
    index, _, include_self, hits = node._ctx
    x, src = node._parents
    a = len(index) - 1
    if include_self:  # the tensor's entry times the product of the sources there: that product
        ones = Tensor(np.ones_like(x.data))
        to_self = _reduced(ones, index, src, ("prod", True), INDEX_REDUCE_PROD)
    else:
        to_self = constant_like(_per_position(hits == 0, a, node.data.ndim), g)
    # A nonzero source entry divides it out of the result; a zero one is set to 1 and the product taken
    # again, where it is the only zero at its position (with another zero there, the others' product is 0).
    zero = src.data == 0
    zeros_at = np.zeros(node.data.shape, dtype=np.int64)
    np.add.at(zeros_at, index, zero)
    zeros_there = zeros_at[index]
    others = getitem(node, index) / where(zero, 1.0, src)
    alone = zero & (zeros_there == 1)
    if alone.any():
        again = _reduced(x, index, where(alone, 1.0, src), ("prod", include_self), INDEX_REDUCE_PROD)
        others = where(alone, getitem(again, index), others)
    crowded = zero & (zeros_there > 1)
    if grad_enabled() and crowded.any():  # recorded: their 0, whose own gradient is refused, as PyTorch's
        others = where(crowded, result(np.zeros_like(src.data), (src,), _PROD_OF_ZEROS), others)
    return g * to_self, getitem(g, index) * others


def _refused_rule(node: Tensor, g: Tensor) -> tuple:
    raise RuntimeError("index_reduce: cannot differentiate the gradient of 'prod' again where two or more "
                       "zeros of the source go to one position (nor can PyTorch); expected at most one zero "
                       "source entry per position")


# The others' product of a zero source entry beside another zero: 0, whose derivative the rule does not know.
_PROD_OF_ZEROS = TensorOp("index_reduce_backward", _refused_rule, reads_values=False)
# The mean's rule reads no values, but PyTorch's backward keeps them all: a later change in place raises.
INDEX_REDUCE_PROD = TensorOp("index_reduce", _prod_rule)
INDEX_REDUCE_SHARES = TensorOp("index_reduce", _shares_rule)
_REDUCE_OPS = {"prod": INDEX_REDUCE_PROD, "mean": INDEX_REDUCE_SHARES, "amax": INDEX_REDUCE_SHARES,
               "amin": INDEX_REDUCE_SHARES}


# ------------------------------------------------------------------------------------------ index_fill


def _fill_value(v: Any, dtype: np.dtype, name: str, what: str = "value") -> np.ndarray:
    """The number ``v`` as a 0-d array of ``dtype``, refused where PyTorch finds that it does not fit:
    beyond a float dtype's largest finite value, or outside an integer dtype's range (nan and infinities
    included; an int into an unsigned dtype may be as low as minus its largest value, and wraps)."""
    if isinstance(v, (complex, np.complexfloating)):
        raise TypeError(f"{name}: got {what} {v!r}; expected a real number")
    if dtype.kind == "b":
        return np.array(bool(v))
    if dtype.kind == "f":
        largest = float(np.finfo(dtype).max)
        if np.isfinite(v) and abs(float(v)) > largest:
            raise ValueError(f"{name}: got {what} {v!r}, which does not fit in {dtype}; expected a value of "
                             f"at most {largest} in magnitude, or an infinity")
        return np.array(v, dtype=dtype)
    info = np.iinfo(dtype)
    integral = isinstance(v, (int, np.integer, bool, np.bool_))
    lo, hi = (-int(info.max) if integral and info.min == 0 else int(info.min)), int(info.max)
    if not (integral or np.isfinite(v)) or not lo <= v <= hi:
        raise ValueError(f"{name}: got {what} {v!r}, which does not fit in {dtype}; expected a value in "
                         f"[{lo}, {hi}]")
    return np.array(int(v) % (hi + 1) if v < 0 and info.min == 0 else int(v), dtype=dtype)


def index_fill(x: ArrayLike, axis: int, index: Any, value: Any) -> Tensor:
    """A copy of ``x`` with ``value`` (a number, or a 0-d tensor) in the slices ``index`` along ``axis``,
    as ``torch.index_fill``.

    ``index`` is a vector of int64 integers in ``[-size, size)`` (a negative one counts from the end, as in
    PyTorch). The value is converted to ``x``'s dtype (a float truncated into an integer tensor; one that
    does not fit raises). The filled slices get no gradient from ``x``; a 0-d floating ``value`` that
    requires grad gets the sum of the gradient over them.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 3).index_fill(1, tensor([0, -1]), 5.0).tolist()
    [[5.0, 0.0, 5.0], [5.0, 0.0, 5.0]]
    """
    name = "index_fill"
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    a = _dim(axis, x.data.ndim, name, "dim")
    idx = _index_vector(index, name, _INT64)
    size = x.data.shape[a] if x.data.ndim else 1
    if idx.size and (idx.min() < -size or idx.max() >= size):
        bad = idx.min() if idx.min() < -size else idx.max()
        raise IndexError(f"{name}: index {bad} is out of bounds for dim {a} with size {size}; expected "
                         f"indices in [{-size}, {size})")
    if isinstance(value, Tensor):
        if value.data.ndim != 0:
            raise ValueError(f"{name}: got a value of shape {value.data.shape}; expected a number or a 0-d "
                             "tensor")
        if value.data.dtype.kind not in "biuf":
            raise TypeError(f"{name}: got a value of dtype {value.data.dtype}; expected real numbers")
        number = value.data.item()
    elif isinstance(value, (int, float, complex, np.number, np.bool_)):
        number = value
    else:
        raise TypeError(f"{name}: got value {describe(value)}; expected a number or a 0-d tensor")
    fill = _fill_value(number, x.data.dtype, name)
    if isinstance(value, Tensor) and value._requires_grad:
        if x.data.dtype.kind != "f":
            raise TypeError(f"{name}: got a value that requires grad for a tensor of dtype {x.data.dtype}; "
                            "expected a floating-point tensor (an integer result has no gradient)")
        fill = value if value.data.dtype == x.data.dtype else value.astype(x.data.dtype)
    if x.data.ndim == 0:
        mask = np.array(idx.size > 0)
    else:  # True at the filled positions along the axis, broadcast over the others
        line = np.zeros(size, dtype=bool)
        line[idx % size] = True
        mask = line.reshape(tuple(size if d == a else 1 for d in range(x.data.ndim)))
    out = where(mask, fill, x)
    return out if out.data.dtype == x.data.dtype else out.astype(x.data.dtype)


# ------------------------------------------------------------------------------------------ masked_scatter


def masked_scatter(x: ArrayLike, mask: Any, source: Any) -> Tensor:
    """A copy of ``x`` whose entries where the bool tensor ``mask`` is True are the first entries of
    ``source`` (seen as a vector in row-major order), as ``torch.masked_scatter``; ``x`` and ``mask`` are
    first broadcast against each other.

    ``source`` has ``x``'s dtype, any shape, and at least as many entries as the mask has True ones. The
    masked positions get no gradient from ``x``; each used source entry gets the gradient of where it was
    written, and the unused ones 0.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 3).masked_scatter(tensor([True, False, True]), tensor([1.0, 2.0, 3.0, 4.0, 5.0])).tolist()
    [[1.0, 0.0, 2.0], [3.0, 0.0, 4.0]]
    """
    name = "masked_scatter"
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    m = _mask_array(mask, name)
    try:
        shape = np.broadcast_shapes(m.shape, x.data.shape)
    except ValueError:
        raise ValueError(f"{name}: shapes {x.data.shape} (input) and {m.shape} (mask) cannot be broadcast "
                         "together") from None
    src = _source(source, x, name)
    m = np.broadcast_to(m, shape)
    n = int(np.count_nonzero(m))
    if src.data.size < n:
        raise ValueError(f"{name}: got a source of {src.data.size} entries (shape {src.data.shape}) for a "
                         f"mask with {n} True entries; expected at least {n} entries")
    if x.data.shape != shape:
        x = broadcast_to(x, shape)
    if not shape:  # 0-d: numpy finds no positions in a 0-d mask
        return where(m, src.reshape(-1)[0], x) if n else x.clone()
    used = getitem(src.reshape(-1), slice(0, n))
    return where(m, _add_at(used, np.nonzero(m), shape), x)


# ------------------------------------------------------------------------------------------ put


def put(x: ArrayLike, index: Any, source: Any, accumulate: bool = False) -> Tensor:
    """A copy of ``x`` with ``source``'s entries written at ``index`` in ``x`` seen as a vector in
    row-major order (``index`` and ``source`` read the same way), as ``torch.put``; with ``accumulate``
    they are added instead, and repeated indices add up.

    ``index`` is int64, with as many entries as ``source`` and values in ``[-numel, numel)`` (a negative
    one counts from the end); ``source`` has ``x``'s dtype. Without ``accumulate``, the last write to a
    repeated index wins (PyTorch leaves it unspecified), the written positions get no gradient from ``x``,
    and each source entry gets the gradient at its index.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 2).put(tensor([0, -1]), tensor([5.0, 6.0])).tolist()
    [[5.0, 0.0], [0.0, 6.0]]
    >>> zeros(3).put(tensor([1, 1]), tensor([1.0, 2.0]), accumulate=True).tolist()
    [0.0, 3.0, 0.0]
    """
    name = "put"
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    accumulate = flag(accumulate, name, "accumulate")
    raw = index_array(index, name)
    src = _source(source, x, name)
    if raw.size != src.data.size:
        raise ValueError(f"{name}: got an index of {raw.size} entries (shape {raw.shape}) and a source of "
                         f"{src.data.size} (shape {src.data.shape}); expected as many entries in both")
    idx = flat_index(raw, x.data.size, name).reshape(-1)
    flat, values = x.reshape(-1), src.reshape(-1)
    if accumulate:
        return _added(flat, (idx,), values, 1, PUT_ADD).reshape(x.data.shape)
    return _scattered(flat, (idx,), values, None, PUT).reshape(x.data.shape)


# ------------------------------------------------------------------------------------------ *_scatter


def _embedded(src: Any, x: Tensor, expected: tuple[int, ...], what: str, name: str) -> Tensor:
    """``src`` as a tensor of the shape of the part of ``x`` it replaces (its dtype is converted when
    written, as PyTorch does)."""
    if type(src) is not Tensor:
        src = tensor_arg(src, name, "src")
    if src.data.shape != expected:
        raise ValueError(f"{name}: got src of shape {src.data.shape} for {what} of shape {expected} (in a "
                         f"tensor of shape {x.data.shape}); expected src of shape {expected}")
    return src


def diagonal_scatter(x: ArrayLike, src: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A copy of ``x`` with ``src`` written on the diagonal that ``x.diagonal(offset, dim1, dim2)`` reads,
    as ``torch.diagonal_scatter``: ``src`` has that diagonal's shape (the other dimensions in order, then
    the diagonal). Its dtype is converted to ``x``'s.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 3).diagonal_scatter(tensor([1.0, 2.0]), 1).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]
    """
    name = "diagonal_scatter"
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    n = x.data.ndim
    if n < 2:
        raise ValueError(f"{name}: got a tensor of shape {x.data.shape}; expected at least 2 dimensions")
    k = _offset(offset, name, "offset")
    d1, d2 = _dim(dim1, n, name, "dim1"), _dim(dim2, n, name, "dim2")
    if d1 == d2:
        raise ValueError(f"{name}: got dim1={dim1} and dim2={dim2}, the same dimension; expected two "
                         "different dimensions")
    rows, cols = _diagonal_positions(x.data.shape[d1], x.data.shape[d2], k)
    others = [d for d in range(n) if d not in (d1, d2)]
    shape = tuple(x.data.shape[d] for d in others) + (rows.size,)
    index: list[Any] = [None] * n
    for j, d in enumerate(others):  # each other dimension spans its place in the diagonal's shape
        index[d] = np.arange(shape[j]).reshape((-1,) + (1,) * (len(shape) - j - 1))
    index[d1], index[d2] = rows, cols
    s = _embedded(src, x, shape, f"the diagonal (offset={k}, dim1={d1}, dim2={d2})", name)
    return _scattered(x, tuple(index), s, None, DIAGONAL_SCATTER)


def select_scatter(x: ArrayLike, src: Any, axis: int, index: Any) -> Tensor:
    """A copy of ``x`` with ``src`` written at position ``index`` along ``axis`` (where ``x.select(axis,
    index)`` reads; a negative index counts from the end), as ``torch.select_scatter``: ``src`` has
    ``x``'s shape without ``axis``. Its dtype is converted to ``x``'s.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 3).select_scatter(tensor([1.0, 2.0]), 1, -1).tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.0, 2.0]]
    """
    name = "select_scatter"
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x.data.ndim == 0:
        raise ValueError(f"{name}: got a 0-d tensor; expected at least one dimension to select along")
    a = _dim(axis, x.data.ndim, name, "dim")
    if isinstance(index, Tensor) and index.data.ndim == 0 and index.data.dtype.kind in "iu":
        index = index.data.item()
    if not is_int(index):
        raise TypeError(f"{name}: got index {describe(index)}; expected an int")
    size = x.data.shape[a]
    if not -size <= index < size:
        raise IndexError(f"{name}: index {index} is out of range for dim {a} of size {size}; expected an "
                         f"index in [{-size}, {size})")
    where_ = _along(a, int(index) % size)
    s = _embedded(src, x, x.data.shape[:a] + x.data.shape[a + 1:], f"the slice at index {index} of dim {a}",
                  name)
    return _scattered(x, where_, s, None, SELECT_SCATTER)


def slice_scatter(x: ArrayLike, src: Any, axis: int = 0, start: Any = None, end: Any = None,
                  step: Any = 1) -> Tensor:
    """A copy of ``x`` with ``src`` written where ``x[..., start:end:step, ...]`` (along ``axis``) reads,
    as ``torch.slice_scatter``: Python's slice rules (negative bounds count from the end, bounds beyond
    the ends are clipped), with a positive ``step``; ``src`` has the slice's shape. Its dtype is
    converted to ``x``'s.

    Examples
    --------
    >>> from autograd import zeros, ones
    >>> zeros(2, 4).slice_scatter(ones(2, 2), 1, 0, None, 2).tolist()
    [[1.0, 0.0, 1.0, 0.0], [1.0, 0.0, 1.0, 0.0]]
    """
    name = "slice_scatter"
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x.data.ndim == 0:
        raise ValueError(f"{name}: got a 0-d tensor; expected at least one dimension to slice")
    a = _dim(axis, x.data.ndim, name, "dim")
    for what, v in (("start", start), ("end", end), ("step", step)):
        if v is not None and not is_int(v):
            raise TypeError(f"{name}: got {what} {describe(v)}; expected an int or None")
    if step is not None and step < 1:
        raise ValueError(f"{name}: got step={step}; expected a positive step")
    part = slice(start, end, step)
    count = len(range(*part.indices(x.data.shape[a])))
    s = _embedded(src, x, _slice_shape(x, a, count), f"the slice {start}:{end}:{step} of dim {a}", name)
    return _scattered(x, _along(a, part), s, None, SLICE_SCATTER)


_METHODS = (index_add, index_copy, index_reduce, index_fill, masked_scatter, put, diagonal_scatter,
            select_scatter, slice_scatter)
METHODS: dict[str, Any] = {fn.__name__: fn for fn in _METHODS}
FUNCTIONS: dict[str, Any] = dict(METHODS)

__all__ = [fn.__name__ for fn in _METHODS]
