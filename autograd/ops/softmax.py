"""Softmax and log-softmax along one axis, each one fused primitive.

Both subtract the maximum along the axis before ``exp`` (source 000), so logits of 1e4 give exact
probabilities rather than inf/inf. Their rules are written with the output node, so ``create_graph=True``
differentiates them again:

- softmax: ``dx = s * (g - sum(g * s))``
- log-softmax: ``dx = g - softmax * sum(g)``

Both take PyTorch's ``dtype=``, a floating dtype to cast the input to first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, result
from ._common import default_floating, tensor_arg
from .reductions import cast_first
from .shape import _dim


def short_rows(shape: tuple[int, ...]) -> bool:
    """Whether a 2-D array of this shape is reduced faster along its rows after transposing it.

    numpy reduces or broadcasts along a short last axis slowly: a 128 x 10 array of logits takes about
    five times longer than a 10 x 128 one down its columns, so a contiguous transposed copy pays off.

    Examples
    --------
    >>> short_rows((128, 10)), short_rows((128, 1000))
    (True, False)
    """
    return shape[1] <= 64 and shape[0] >= 16


def row_max(d: np.ndarray) -> np.ndarray:
    """The maximum of each row of a 2-D array, as a column (keepdims).

    Examples
    --------
    >>> import numpy as np
    >>> row_max(np.array([[1.0, 3.0], [2.0, -1.0]])).tolist()
    [[3.0], [2.0]]
    """
    if short_rows(d.shape):  # transposed into a contiguous copy first
        return np.ascontiguousarray(d.T).max(axis=0)[:, None]
    return d.max(axis=1, keepdims=True)


def _shifted(x: Tensor, axis: int, name: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """``x - max(x)`` along ``axis`` (as a float array), and the axis as a tuple (empty for a 0-d x)."""
    if isinstance(axis, tuple):
        raise TypeError(f"{name}: got axis={axis!r}; expected one int axis")
    a = _dim(axis, x.data.ndim, name, "axis")
    axes = (a,) if x.data.ndim else ()
    d = default_floating(x.data)
    if d.size == 0:
        return d.copy(), axes  # nothing to shift, and max has no identity to start from
    m = row_max(d) if d.ndim == 2 and a == 1 else d.max(axis=axes, keepdims=True)
    if np.isfinite(m).all():
        return d - m, axes
    with np.errstate(invalid="ignore"):  # a row holding inf or nan gives nan throughout, as in PyTorch
        return d - m, axes


def _softmax_grad(g: Any, y: Any, axes: tuple[int, ...]) -> Any:
    # written with what Tensors and arrays share, so the Tensor rule and the array rule are one formula
    gs = g * y
    return gs - y * gs.sum(axes, keepdims=True)


def _softmax_rule(node: Tensor, g: Tensor) -> tuple:
    return (_softmax_grad(g, node, node._ctx),)


def _softmax_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return (_softmax_grad(g, node.data, node._ctx),)


SOFTMAX = TensorOp("softmax", _softmax_rule, _softmax_array_rule)


def softmax(x: ArrayLike, axis: int = -1, *, dtype: Any = None) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis`` (the last by default), computed stably; ``dtype`` casts the
    input first (a cast between float dtypes keeps the gradient). Integer and bool tensors give the default
    dtype (PyTorch refuses them).

    Examples
    --------
    >>> from autograd import tensor, softmax
    >>> softmax(tensor([1.0, 1.0])).tolist()
    [0.5, 0.5]
    >>> softmax(tensor([10000.0, 0.0])).tolist()
    [1.0, 0.0]
    >>> softmax(tensor([1, 1]), dtype="float64").dtype
    dtype('float64')
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "softmax")
    if dtype is not None:
        x = cast_first(x, dtype, "softmax", floating=True)
    z, axes = _shifted(x, axis, "softmax")
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.exp(z)
        out = e / e.sum(axis=axes, keepdims=True)
    return result(out, (x,), SOFTMAX, axes)


def _log_softmax_rule(node: Tensor, g: Tensor) -> tuple:
    return (g - node.exp() * g.sum(node._ctx, True),)


def _log_softmax_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return (g - np.exp(node.data) * g.sum(node._ctx, keepdims=True),)


LOG_SOFTMAX = TensorOp("log_softmax", _log_softmax_rule, _log_softmax_array_rule)


def log_softmax(x: ArrayLike, axis: int = -1, *, dtype: Any = None) -> Tensor:
    """``x - logsumexp(x)`` along ``axis`` (the last by default), computed stably; ``dtype`` casts the
    input first.

    Examples
    --------
    >>> from autograd import tensor, log_softmax
    >>> log_softmax(tensor([10000.0, 0.0])).tolist()
    [0.0, -10000.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "log_softmax")
    if dtype is not None:
        x = cast_first(x, dtype, "log_softmax", floating=True)
    z, axes = _shifted(x, axis, "log_softmax")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = z - np.log(np.exp(z).sum(axis=axes, keepdims=True))
    return result(out, (x,), LOG_SOFTMAX, axes)


METHODS: dict[str, Any] = {"softmax": softmax, "log_softmax": log_softmax}
FUNCTIONS: dict[str, Any] = dict(METHODS)
