"""Running sums, products and extrema along an axis, and differences: ``cumsum``, ``cumprod``, ``cummax``,
``cummin``, ``logcumsumexp`` and ``diff``.

``cumsum``'s gradient is the reversed running sum of the output gradient. ``cumprod``'s divides by the
input only where it holds no zero; otherwise it takes every product with one factor left out, as
``prod``'s does, so zeros get exact gradients to every order. ``cummax`` and ``cummin`` take their values
with ``gather``, so each value's gradient goes to the entry its index names, as in PyTorch.
``logcumsumexp``'s gradient is computed in log space, apart for the positive and the negative parts of the
output gradient, so that no ``exp`` overflows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, describe, result
from ._common import default_floating, is_int, tensor_arg
from .arithmetic import ne, where
from .combine import cat
from .gather_scatter import gather
from .indexing import getitem
from .shape import _dim, flip, permuted
from .sorting import ValuesIndices


def _scan(fn: Any, data: np.ndarray, axis: int) -> np.ndarray:
    """``fn(data, axis=axis)`` for a numpy scan; a 0-d array is scanned as its one element."""
    if data.ndim == 0:
        return fn(data.reshape(1), axis=0).reshape(())
    return fn(data, axis=axis)


def _prepared(x: ArrayLike, axis: Any, dtype: Any, name: str) -> tuple[Tensor, int]:
    """The input (cast to ``dtype`` first when given, as PyTorch does; bools and integers become int64,
    PyTorch's dtype for their running sums and products) and the axis."""
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    a = _dim(axis, x.data.ndim, name, "dim")
    if dtype is not None:
        x = x.astype(dtype)
    elif x.data.dtype.kind in "biu" and x.data.dtype != np.int64:
        x = x.astype(np.int64)
    return x, a


def _reverse_cumsum(g: Tensor, a: int) -> Tensor:
    return flip(cumsum(flip(g, a), a), a)


def _cumsum_rule(node: Tensor, g: Tensor) -> tuple:
    return (_reverse_cumsum(g, node._ctx),)  # y_i = sum_{j <= i} x_j, so dx_j = sum_{i >= j} g_i


CUMSUM = TensorOp("cumsum", _cumsum_rule)


def cumsum(x: ArrayLike, axis: int, *, dtype: Any = None) -> Tensor:
    """Running sum along ``axis``: ``y[i] = x[0] + ... + x[i]``. Bools and integers give int64 (PyTorch);
    ``dtype`` casts the input first.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = x.cumsum(0); y.tolist()
    [1.0, 3.0, 6.0]
    >>> y.sum().backward(); x.grad.tolist()
    [3.0, 2.0, 1.0]
    """
    x, a = _prepared(x, axis, dtype, "cumsum")
    return result(_scan(np.cumsum, x.data, a), (x,), CUMSUM, a)


def _to_last(t: Tensor, a: int) -> Tensor:
    n = t.data.ndim
    return permuted(t, tuple(d for d in range(n) if d != a) + (a,))


def _from_last(t: Tensor, a: int) -> Tensor:
    n = t.data.ndim
    return permuted(t, tuple(range(a)) + (n - 1,) + tuple(range(a, n - 1)))


def _cumprod_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0]
    a = node._ctx
    if x.data.ndim == 0:
        return (g,)
    # dx_k = sum_{i >= k} g_i y_i / x_k: exact without zeros, and differentiable again. Entries so small
    # that their square underflows (subnormals included) would make that division, or the one its own
    # derivative makes, overflow, so they take the exact path too.
    if (np.abs(x.data) >= np.sqrt(np.finfo(x.data.dtype).tiny)).all():
        return (_reverse_cumsum(g * node, a) / x,)
    return (_products_without_one(x, g, a),)


def _products_without_one(x: Tensor, g: Tensor, a: int) -> Tensor:
    """``dx_k = sum_{i >= k} g_i prod_{j <= i, j != k} x_j`` without a division: the running products of
    x with x_k replaced by 1, for each k (an (n, n) tensor per slice)."""
    xt, gt = _to_last(x, a), _to_last(g, a)
    lead, n = xt.data.shape[:-1], xt.data.shape[-1]
    eye = np.eye(n, dtype=bool)
    left_out = where(eye, 1.0, xt.reshape(lead + (1, n)))  # [..., k, j] = 1 if j == k else x_j
    running = cumprod(left_out, -1)  # [..., k, i] = prod_{j <= i, j != k} x_j
    later = np.triu(np.ones((n, n), dtype=bool))  # i >= k
    contrib = (where(later, running, 0.0) * gt.reshape(lead + (1, n))).sum(-1)
    return _from_last(contrib, a)


CUMPROD = TensorOp("cumprod", _cumprod_rule)


def cumprod(x: ArrayLike, axis: int, *, dtype: Any = None) -> Tensor:
    """Running product along ``axis``: ``y[i] = x[0] * ... * x[i]``. Bools and integers give int64
    (PyTorch); ``dtype`` casts the input first.

    The gradient is exact where the input holds zeros, and differentiates again.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([2.0, 0.0, 3.0], requires_grad=True)
    >>> y = x.cumprod(0); y.tolist()
    [2.0, 0.0, 0.0]
    >>> y.sum().backward(); x.grad.tolist()
    [1.0, 8.0, 0.0]
    """
    x, a = _prepared(x, axis, dtype, "cumprod")
    return result(_scan(np.cumprod, x.data, a), (x,), CUMPROD, a)


def _running_extremum(name: str, ufunc: np.ufunc, x: ArrayLike, axis: int) -> ValuesIndices:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    a = _dim(axis, x.data.ndim, name, "dim")
    data = x.data.reshape(1) if x.data.ndim == 0 else x.data
    ax = a if x.data.ndim else 0
    running = ufunc.accumulate(data, axis=ax)
    hit = data == running
    if data.dtype.kind == "f":
        hit |= np.isnan(data) & np.isnan(running)  # a nan extremum came from the latest nan
    # the latest entry that set the running extremum (PyTorch's choice among equal values); the entries
    # since then are below it, so it is the one the running value equals
    n = data.shape[ax]
    positions = np.arange(n).reshape((n,) + (1,) * (data.ndim - ax - 1))
    indices = np.maximum.accumulate(np.where(hit, positions, 0), axis=ax).astype(np.int64)
    indices = indices.reshape(x.data.shape)
    return ValuesIndices(gather(x, a, indices), as_tensor(indices))


def cummax(x: ArrayLike, axis: int) -> ValuesIndices:
    """Running maximum along ``axis`` and the index it came from (the latest among equal values, and
    the latest nan once a nan is met, as in PyTorch). Each value's gradient goes to its index.

    Examples
    --------
    >>> from autograd import tensor
    >>> values, indices = tensor([1.0, 3.0, 2.0, 3.0]).cummax(0)
    >>> values.tolist(), indices.tolist()
    ([1.0, 3.0, 3.0, 3.0], [0, 1, 1, 3])
    """
    return _running_extremum("cummax", np.maximum, x, axis)


def cummin(x: ArrayLike, axis: int) -> ValuesIndices:
    """Running minimum along ``axis`` and the index it came from (see :func:`cummax`).

    Examples
    --------
    >>> from autograd import tensor
    >>> values, indices = tensor([2.0, 1.0, 3.0, 0.0]).cummin(0)
    >>> values.tolist(), indices.tolist()
    ([2.0, 1.0, 1.0, 0.0], [0, 1, 1, 3])
    """
    return _running_extremum("cummin", np.minimum, x, axis)


def _reverse_logcumsumexp(t: Tensor, a: int) -> Tensor:
    return flip(logcumsumexp(flip(t, a), a), a)


def _parts(g: Any) -> tuple[np.ndarray, np.ndarray]:
    """Where the gradient ``g`` (an array) counts as positive (nan too, so that it reaches the result) and
    where as negative."""
    return ~(g <= 0), g < 0


# log of the part of g that is left out: the lowest finite number rather than -inf, so that subtracting
# an output of -inf (a run of -inf inputs) gives inf, not nan, in a differentiable way
def _log_part(g: Tensor, inside: np.ndarray, sign: float) -> Tensor:
    """``log(sign * g)`` where ``inside``, the lowest finite number elsewhere (a safe argument keeps the
    masked branch's derivative finite)."""
    return where(inside, where(inside, g * sign, 1.0).log(), float(np.finfo(g.data.dtype).min))


def _logcumsumexp_rule(node: Tensor, g: Tensor) -> tuple:
    # y_i = log sum_{j <= i} exp x_j, so dx_j = sum_{i >= j} g_i exp(x_j - y_i). Each exp(x_j - y_i) is at
    # most 1, but the sum is taken as exp(x_j + log sum_{i >= j} g_i exp(-y_i)): a reversed logcumsumexp of
    # log g_i - y_i, which needs g_i > 0, so the positive and the negative parts of g are summed apart.
    x, a = node._parents[0], node._ctx
    if x.data.ndim == 0:
        return (g,)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # infinite inputs, as the forward
        pos, neg = (
            (x + _reverse_logcumsumexp(_log_part(g, inside, sign) - node, a)).exp()
            for inside, sign in zip(_parts(g.data), (1.0, -1.0))
        )
        return (pos - neg,)


def _logcumsumexp_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    x, y, a = node._parents[0].data, node.data, node._ctx
    if x.ndim == 0:
        return (g,)
    lowest = np.finfo(x.dtype).min
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_abs = np.log(np.abs(g))
        pos, neg = (
            np.exp(x + np.flip(np.logaddexp.accumulate(np.flip(part, a), axis=a), a))
            for part in (np.where(inside, log_abs, lowest) - y for inside in _parts(g))
        )
        return (pos - neg,)


LOGCUMSUMEXP = TensorOp("logcumsumexp", _logcumsumexp_rule, _logcumsumexp_array_rule)


def logcumsumexp(x: ArrayLike, axis: int) -> Tensor:
    """Running ``log(exp(x[0]) + ... + exp(x[i]))`` along ``axis``, computed stably (no ``exp`` of the
    input itself, so 1000.0 gives 1000.0 rather than inf). Integer and bool tensors give the default dtype,
    as in :func:`~autograd.ops.reductions.logsumexp`.

    The gradient is a running softmax, ``dx_j = sum_{i >= j} g_i exp(x_j - y_i)``, and differentiates again.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1000.0, 1000.0, -1000.0], dtype="float64", requires_grad=True)
    >>> y = x.logcumsumexp(0); [round(v, 4) for v in y.tolist()]
    [1000.0, 1000.6931, 1000.6931]
    >>> y.sum().backward(); [round(v, 4) for v in x.grad.tolist()]
    [2.0, 1.0, 0.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "logcumsumexp")
    a = _dim(axis, x.data.ndim, "logcumsumexp", "dim")
    d = default_floating(x.data)
    with np.errstate(invalid="ignore"):  # inf - inf inside logaddexp, where the result is inf or nan anyway
        out = _scan(np.logaddexp.accumulate, d, a)
    return result(out, (x,), LOGCUMSUMEXP, a)


def _edge(t: Any, x: Tensor, a: int, what: str) -> Tensor:
    if type(t) is not Tensor:
        t = tensor_arg(t, "diff", what)
    others = tuple(n for d, n in enumerate(x.data.shape) if d != a)
    if t.data.ndim != x.data.ndim or tuple(n for d, n in enumerate(t.data.shape) if d != a) != others:
        raise ValueError(f"diff: got {what} of shape {t.data.shape} for an input of shape {x.data.shape}; "
                         f"expected the input's shape apart from dim {a}")
    return t


def diff(x: ArrayLike, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
    """The ``n``-th forward difference along ``axis``: ``y[i] = x[i + 1] - x[i]``, applied ``n`` times
    (bools give ``x[i + 1] != x[i]``). ``prepend`` and ``append`` are joined to ``x`` along ``axis``
    first (not when ``n`` is 0, which gives ``x`` itself); they have its shape apart from that axis.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 4.0, 9.0, 16.0]).diff().tolist()
    [3.0, 5.0, 7.0]
    >>> tensor([1.0, 4.0, 9.0, 16.0]).diff(2).tolist()
    [2.0, 2.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "diff")
    if x.data.ndim == 0:
        raise ValueError("diff: got a 0-d tensor; expected at least one dimension")
    if not is_int(n):
        raise TypeError(f"diff: got n {describe(n)}; expected an int")
    if n < 0:
        raise ValueError(f"diff: got n={n}; expected a non-negative order")
    a = _dim(axis, x.data.ndim, "diff", "dim")
    first = _edge(prepend, x, a, "prepend") if prepend is not None else None
    last = _edge(append, x, a, "append") if append is not None else None
    if n == 0:  # the input itself, without prepend and append (numpy and PyTorch)
        return x
    if first is not None or last is not None:
        x = cat([t for t in (first, x, last) if t is not None], a)
    before = (slice(None),) * a
    for _ in range(n):
        if x.data.shape[a] == 0:
            break
        later, earlier = getitem(x, before + (slice(1, None),)), getitem(x, before + (slice(None, -1),))
        x = ne(later, earlier) if x.data.dtype == np.bool_ else later - earlier
    return x


_PUBLIC = (cumsum, cumprod, cummax, cummin, logcumsumexp, diff)
METHODS: dict[str, Any] = {fn.__name__: fn for fn in _PUBLIC}
FUNCTIONS: dict[str, Any] = dict(METHODS)
