"""Reading and writing along an axis by index tensors, and by boolean masks: PyTorch's ``gather``,
``scatter``, ``scatter_add``, ``index_select``, ``take_along_dim``, ``take``, ``masked_fill`` and
``masked_select``. (Writing whole slices at indices, ``index_add`` and its kin, is in
:mod:`~autograd.ops.index_writes`.)

Most are built from indexing: ``gather`` is ``x[i0, i1, ..., index, ...]`` with open ranges for the other
axes, so its gradient is indexing's (a scatter-add, exact for repeated indices) and differentiates again.
Only the out-of-place ``scatter``, whose written positions forget the input, is a primitive of its own.

Indices follow PyTorch: integers in ``[0, size)`` (a negative index is refused, where numpy would count
from the end), and an index tensor has as many dimensions as the tensor it indexes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, describe, result
from ._common import broadcasts_to, tensor_arg
from .arithmetic import where
from .indexing import getitem
from .indexing import scatter_add as _add_at
from .shape import _dim, broadcast_to

# ------------------------------------------------------------------------------------------ index checks


def index_array(index: Any, name: str, what: str = "index") -> np.ndarray:
    """``index`` (a Tensor, array, list or int of integers) as a numpy array, for the op ``name``.

    Floats and bools are refused: a float index is a mistake, and numpy would read a bool one as a mask.

    Examples
    --------
    >>> index_array([2, 0], "gather").tolist()
    [2, 0]
    """
    if isinstance(index, Tensor):
        arr = index.data
    elif isinstance(index, (list, tuple, np.ndarray, int, np.integer)) and not isinstance(index, bool):
        try:
            arr = np.asarray(index)
        except ValueError:  # a ragged list
            raise ValueError(f"{name}: got {what} {describe(index)} whose nested lists differ in length; "
                             "expected a rectangular tensor of integers") from None
    else:
        raise TypeError(f"{name}: got {what} {describe(index)}; expected a tensor of integers")
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name}: got {what} of dtype {arr.dtype}; expected integers (such as int64)")
    return arr


def check_in_range(index: np.ndarray, size: int, axis: int, name: str) -> None:
    """Refuse an index outside ``[0, size)`` along ``axis`` with an error naming the op and the value."""
    if index.size == 0:
        return
    lo, hi = index.min(), index.max()
    if lo < 0 or hi >= size:
        bad = lo if lo < 0 else hi
        raise IndexError(f"{name}: index {bad} is out of bounds for dim {axis} with size {size}; expected "
                         f"indices in [0, {size})")


def _same_ndim(index: np.ndarray, x: Tensor, name: str, what: str = "the input") -> None:
    if index.ndim != x.data.ndim:
        raise ValueError(f"{name}: got an index of shape {index.shape} for {what} of shape {x.data.shape}; "
                         "expected an index with as many dimensions")


def _no_larger(index: np.ndarray, x: Tensor, axis: int | None, name: str, what: str = "the input") -> None:
    """Refuse an index larger than ``x`` along any dimension but ``axis``."""
    for d, (n, m) in enumerate(zip(index.shape, x.data.shape)):
        if d != axis and n > m:
            where_ = "" if axis is None else f" apart from dim {axis}"
            raise ValueError(f"{name}: got an index of shape {index.shape} for {what} of shape "
                             f"{x.data.shape}; expected an index no larger{where_} (dim {d}: {n} > {m})")


def along(index: np.ndarray, axis: int) -> tuple:
    """The numpy index that picks ``index[i0, ..., ik]`` along ``axis`` at position ``(i0, ..., ik)`` of the
    other axes: ``index`` itself at ``axis`` and open ranges elsewhere (``np.take_along_axis``'s index).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[10, 11], [12, 13]])
    >>> a[along(np.array([[1], [0]]), 1)].tolist()
    [[11], [12]]
    """
    n = index.ndim
    return tuple(index if d == axis else np.arange(size).reshape((size,) + (1,) * (n - d - 1))
                 for d, size in enumerate(index.shape))


def _lifted(x: Tensor, index: np.ndarray) -> tuple[Tensor, np.ndarray]:
    """A 0-d tensor and index as 1-element vectors (PyTorch treats a number as having one dim of size 1)."""
    return x.reshape(1), index.reshape(-1)


# ------------------------------------------------------------------------------------------ gather


def gather(x: ArrayLike, axis: int, index: Any) -> Tensor:
    """``out[i][j][k] = x[index[i][j][k]][j][k]`` for ``axis=0`` (and likewise along any axis), as
    ``torch.gather``: ``out`` has the shape of ``index``, which has as many dimensions as ``x`` and is no
    larger than ``x`` in any dimension but ``axis``.

    The gradient adds the output gradient back at the gathered positions (repeated indices add up).

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = x.gather(1, [[1, 1], [0, 1]]); y.tolist()
    [[2.0, 2.0], [3.0, 4.0]]
    >>> y.sum().backward(); x.grad.tolist()
    [[0.0, 2.0], [1.0, 1.0]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "gather")
    a = _dim(axis, x.data.ndim, "gather", "dim")
    idx = index_array(index, "gather")
    return _gathered(x, a, idx, "gather")


def _gathered(x: Tensor, a: int, idx: np.ndarray, name: str) -> Tensor:
    _same_ndim(idx, x, name)
    if x.data.ndim == 0:
        check_in_range(idx, 1, 0, name)
        lifted, flat = _lifted(x, idx)
        return getitem(lifted, flat).reshape(idx.shape)
    _no_larger(idx, x, a, name)
    check_in_range(idx, x.data.shape[a], a, name)
    return getitem(x, along(idx, a))


def take_along_dim(x: ArrayLike, indices: Any, axis: int | None = None) -> Tensor:
    """``torch.take_along_dim``: :func:`gather` along ``axis`` after broadcasting ``x`` and ``indices``
    against each other in the other dimensions; with ``axis=None``, indices into the flattened tensor.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[10.0, 30.0, 20.0], [60.0, 40.0, 50.0]])
    >>> x.take_along_dim(x.argmax(axis=1, keepdims=True), dim=1).tolist()
    [[30.0], [60.0]]
    >>> x.take_along_dim([5, 0]).tolist()
    [50.0, 10.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "take_along_dim")
    idx = index_array(indices, "take_along_dim", "indices")
    if axis is None:
        check_in_range(idx, x.data.size, 0, "take_along_dim")
        return getitem(x.reshape(-1), idx.reshape(-1))
    a = _dim(axis, x.data.ndim, "take_along_dim", "dim")
    _same_ndim(idx, x, "take_along_dim")
    if x.data.ndim == 0:
        return _gathered(x, a, idx, "take_along_dim")
    others = tuple(1 if d == a else n for d, n in enumerate(x.data.shape))
    index_others = tuple(1 if d == a else n for d, n in enumerate(idx.shape))
    try:
        common = np.broadcast_shapes(others, index_others)
    except ValueError:
        raise ValueError(f"take_along_dim: shapes {x.data.shape} (input) and {idx.shape} (indices) cannot be "
                         f"broadcast together apart from dim {a}") from None
    x_shape = common[:a] + (x.data.shape[a],) + common[a + 1:]
    if x_shape != x.data.shape:
        x = broadcast_to(x, x_shape)
    idx = np.broadcast_to(idx, common[:a] + (idx.shape[a],) + common[a + 1:])
    return _gathered(x, a, idx, "take_along_dim")


def flat_index(index: Any, size: int, name: str) -> np.ndarray:
    """``index`` (int64, as PyTorch's ``take`` and ``put`` want) into a tensor of ``size`` elements seen as
    a vector: entries in ``[-size, size)``, the negative ones counted from the end, made non-negative.

    Examples
    --------
    >>> flat_index([0, -1], 6, "take").tolist()
    [0, 5]
    """
    idx = index_array(index, name)
    if idx.dtype != np.int64:
        raise TypeError(f"{name}: got an index of dtype {idx.dtype}; expected int64 (as PyTorch: convert it "
                        "with index.long())")
    if idx.size:
        if size == 0:
            raise IndexError(f"{name}: got an index of shape {idx.shape} for a tensor with no elements; "
                             "expected an empty index")
        lo, hi = int(idx.min()), int(idx.max())
        if lo < -size or hi >= size:
            bad = lo if lo < -size else hi
            raise IndexError(f"{name}: index {bad} is out of range for a tensor of {size} elements; expected "
                             f"indices in [{-size}, {size})")
    return idx % size if size else idx


def take(x: ArrayLike, index: Any) -> Tensor:
    """The entries of ``x``, seen as a vector in row-major order, at ``index`` (int64, any shape; a
    negative index counts from the end), as ``torch.take``: the result has the shape of ``index``.

    The gradient adds the output gradient back at the taken positions (repeated indices add up).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 2.0], [3.0, 4.0]]).take(tensor([[3, 0], [-1, 1]])).tolist()
    [[4.0, 1.0], [4.0, 2.0]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "take")
    idx = flat_index(index, x.data.size, "take")
    return getitem(x.reshape(-1), idx)


def index_select(x: ArrayLike, axis: int, index: Any) -> Tensor:
    """The entries of ``x`` at positions ``index`` (a vector of integers) along ``axis``, in that order.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1, 2, 3], [4, 5, 6]]).index_select(1, [2, 0]).tolist()
    [[3, 1], [6, 4]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "index_select")
    a = _dim(axis, x.data.ndim, "index_select", "dim")
    idx = index_array(index, "index_select")
    if idx.ndim > 1:
        raise ValueError(f"index_select: got an index of shape {idx.shape}; expected a vector (or a single "
                         "integer)")
    if x.data.ndim == 0:
        check_in_range(idx, 1, 0, "index_select")
        return x.reshape(1)[idx.reshape(-1)].reshape(())
    check_in_range(idx, x.data.shape[a], a, "index_select")
    return getitem(x, (slice(None),) * a + (idx.reshape(-1),))


# ------------------------------------------------------------------------------------------ scatter


def _scatter_rule(node: Tensor, g: Tensor) -> tuple:
    index, written = node._ctx
    x = node._parents[0]
    gx = where(written, 0.0, g) if x.requires_grad else None  # written positions forgot the input
    if len(node._parents) == 1:
        return (gx,)
    return (gx, getitem(g, index))  # every src entry gets the gradient of where it was written (PyTorch)


SCATTER = TensorOp("scatter", _scatter_rule)


def _scatter_index(x: Tensor, axis: Any, index: Any, name: str) -> tuple[int, np.ndarray]:
    a = _dim(axis, x.data.ndim, name, "dim")
    idx = index_array(index, name)
    _same_ndim(idx, x, name)
    _no_larger(idx, x, a, name)
    check_in_range(idx, x.data.shape[a] if x.data.ndim else 1, a, name)
    return a, idx


def _src_part(src: Any, idx: np.ndarray, x: Tensor, name: str) -> Tensor:
    """The part of ``src`` that ``idx`` writes (its leading corner of ``idx``'s shape), checked."""
    if type(src) is not Tensor:
        src = tensor_arg(src, name, "src")
    _same_ndim(idx, src, name, "src")
    _no_larger(idx, src, None, name, "src")
    if not np.can_cast(src.data.dtype, x.data.dtype, "same_kind"):
        raise TypeError(f"{name}: got src of dtype {src.data.dtype} for an input of dtype {x.data.dtype}; "
                        "expected a dtype that casts to the input's without changing kind")
    if src.data.shape != idx.shape:
        src = getitem(src, tuple(slice(0, n) for n in idx.shape))
    return src


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.number, np.bool_))


def scatter(x: ArrayLike, axis: int, index: Any, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """A copy of ``x`` with ``src[i][j][k]`` written at ``[index[i][j][k]][j][k]`` for ``axis=0`` (and
    likewise along any axis), as the out-of-place ``torch.scatter``; a number ``src`` (or ``value=``) is
    written at every indexed position.

    ``index`` has as many dimensions as ``x`` and as ``src``, is no larger than ``src`` anywhere and no
    larger than ``x`` apart from ``axis``; only the leading corner of ``src`` it covers is written. When
    an index repeats, which write wins is unspecified (as in PyTorch). ``reduce='add'`` is
    :func:`scatter_add`. The written positions get no gradient from ``x``; each used ``src`` entry gets the
    gradient of the position it was written to.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).scatter(1, [[2], [0]], [[5.0], [7.0]]).tolist()
    [[0.0, 0.0, 5.0], [7.0, 0.0, 0.0]]
    >>> zeros(3).scatter(0, [0, 2], value=1.0).tolist()
    [1.0, 0.0, 1.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "scatter")
    if value is None and _is_number(src):  # PyTorch's scatter(dim, index, value) overload
        src, value = None, src
    if (src is None) == (value is None):
        got = "both src and value" if src is not None else "neither src nor value"
        raise TypeError(f"scatter: got {got}; expected one of them")
    if value is not None and not _is_number(value):
        raise TypeError(f"scatter: got value {describe(value)}; expected a number (pass a tensor as src)")
    if reduce not in (None, "add"):
        raise ValueError(f"scatter: got reduce={reduce!r}; expected None or 'add' (PyTorch's 'multiply' has "
                         "no gradient)")
    a, idx = _scatter_index(x, axis, index, "scatter")
    if reduce == "add":
        added = np.full(idx.shape, value, x.data.dtype) if src is None else src
        return _scatter_add_along(x, a, idx, added, "scatter")
    part = None if src is None else _src_part(src, idx, x, "scatter")
    if x.data.ndim == 0:
        x, idx = _lifted(x, idx)
        part = None if part is None else part.reshape(1)
        return _scattered(x, idx, part, value).reshape(())
    return _scattered(x, along(idx, a), part, value)


def _scattered(x: Tensor, index: Any, src: Tensor | None, value: Any, op: TensorOp = SCATTER) -> Tensor:
    """A copy of ``x`` with ``src`` (or the number ``value``) written at the numpy index ``index``, recorded
    as ``op`` (whose rule is :data:`SCATTER`'s: the written positions forget ``x``, and ``src`` gets the
    gradient at ``index``). When ``index`` repeats a position, the last write wins."""
    out = x.data.copy()
    out[index] = value if src is None else src.data
    written = np.zeros(out.shape, dtype=bool)
    written[index] = True
    return result(out, (x,) if src is None else (x, src), op, (index, written))


def _scatter_add_along(x: Tensor, a: int, idx: np.ndarray, src: Any, name: str) -> Tensor:
    part = _src_part(src, idx, x, name)
    if x.data.ndim == 0:
        lifted, flat = _lifted(x, idx)
        return _scatter_add_along(lifted, 0, flat, part.reshape(1), name).reshape(())
    out = x + _add_at(part, along(idx, a), x.data.shape)
    return out if out.data.dtype == x.data.dtype else out.astype(x.data.dtype)


_MISSING = object()


def scatter_add(x: ArrayLike, axis: Any, index: Any, src: Any = _MISSING) -> Tensor:
    """PyTorch's ``scatter_add(input, dim, index, src)``: a copy of ``x`` with ``src[i][j][k]`` added at
    ``[index[i][j][k]][j][k]`` for ``dim=0`` (and likewise along any dim); repeated indices add up. The
    index rules are :func:`scatter`'s.

    With three arguments, ``scatter_add(src, index, shape)`` is chaingrad's older form: a zero tensor of
    ``shape`` with ``src`` added at the numpy index ``index`` (the gradient of indexing).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(3).scatter_add(0, [0, 0, 2], [1.0, 2.0, 3.0]).tolist()
    [3.0, 0.0, 3.0]
    >>> import autograd
    >>> autograd.scatter_add([1.0, 2.0, 3.0], ([0, 0, 2],), (3,)).tolist()
    [3.0, 0.0, 3.0]
    """
    if src is not _MISSING:
        if type(x) is not Tensor:
            x = tensor_arg(x, "scatter_add")
        a, idx = _scatter_index(x, axis, index, "scatter_add")
        return _scatter_add_along(x, a, idx, src, "scatter_add")
    shape = index
    if not isinstance(shape, (tuple, list, int, np.integer)):
        raise TypeError(f"scatter_add: got three arguments, the third {describe(shape)}; expected "
                        "scatter_add(input, dim, index, src), or scatter_add(src, index, shape) with a shape")
    return _add_at(x, axis, tuple(shape) if isinstance(shape, (tuple, list)) else (shape,))


# ------------------------------------------------------------------------------------------ masks


def _mask_array(mask: Any, name: str) -> np.ndarray:
    arr = mask.data if isinstance(mask, Tensor) else np.asarray(mask) if isinstance(
        mask, (list, tuple, np.ndarray, bool, np.bool_)) else None
    if arr is None:
        raise TypeError(f"{name}: got a mask {describe(mask)}; expected a tensor of booleans, such as x > 0")
    if arr.dtype != np.bool_:
        raise TypeError(f"{name}: got a mask of dtype {arr.dtype}; expected booleans, such as x > 0")
    return arr


def masked_fill(x: ArrayLike, mask: Any, value: Any) -> Tensor:
    """A copy of ``x`` with ``value`` (a number or a 0-d tensor) where ``mask`` is True; ``mask`` is a bool
    tensor that broadcasts to ``x``'s shape. The result keeps ``x``'s dtype and shape.

    The gradient flows to ``x`` where the mask is False, and to a tensor ``value`` from where it is True.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, -2.0], [-3.0, 4.0]])
    >>> x.masked_fill(x < 0, 0.0).tolist()
    [[1.0, 0.0], [0.0, 4.0]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "masked_fill")
    m = _mask_array(mask, "masked_fill")
    if not broadcasts_to(m.shape, x.data.shape):
        raise ValueError(f"masked_fill: got a mask of shape {m.shape} for a tensor of shape {x.data.shape}; "
                         "expected a mask that broadcasts to the tensor's shape")
    if isinstance(value, Tensor):
        if value.data.ndim != 0:
            raise ValueError(f"masked_fill: got a value of shape {value.data.shape}; expected a number or a "
                             "0-d tensor")
    elif not _is_number(value):
        raise TypeError(f"masked_fill: got value {describe(value)}; expected a number or a 0-d tensor")
    out = where(m, value, x)
    return out if out.data.dtype == x.data.dtype else out.astype(x.data.dtype)


def masked_select(x: ArrayLike, mask: Any) -> Tensor:
    """The entries of ``x`` where ``mask`` is True, as a vector; ``x`` and the bool tensor ``mask`` are first
    broadcast against each other.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, -2.0], [-3.0, 4.0]])
    >>> x.masked_select(x > 0).tolist()
    [1.0, 4.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "masked_select")
    m = _mask_array(mask, "masked_select")
    try:
        shape = np.broadcast_shapes(m.shape, x.data.shape)
    except ValueError:
        raise ValueError(f"masked_select: shapes {x.data.shape} (input) and {m.shape} (mask) cannot be "
                         "broadcast together") from None
    if shape != x.data.shape:
        x = broadcast_to(x, shape)
    return getitem(x, np.broadcast_to(m, shape))


_METHODS = (gather, scatter, scatter_add, index_select, take_along_dim, take, masked_fill, masked_select)
METHODS: dict[str, Any] = {fn.__name__: fn for fn in _METHODS}
FUNCTIONS: dict[str, Any] = dict(METHODS)
