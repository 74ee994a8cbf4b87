"""Softmax and log-softmax along one axis, each one fused primitive.

Both subtract the maximum along the axis before ``exp`` (source 000), so logits of 1e4 give exact
probabilities rather than inf/inf. Their rules are written with the output node, so ``create_graph=True``
differentiates them again:

- softmax: ``dx = s * (g - sum(g * s))``
- log-softmax: ``dx = g - softmax * sum(g)``
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, TensorOp, result
from .shape import _dim


def _shifted(x: Tensor, axis: int, name: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """``x - max(x)`` along ``axis`` (as a float array), and the axis as a tuple (empty for a 0-d x)."""
    if isinstance(axis, tuple):
        raise TypeError(f"{name}: got axis={axis!r}; expected one int axis")
    a = _dim(axis, x.data.ndim, name, "axis")
    axes = (a,) if x.data.ndim else ()
    d = x.data if x.data.dtype.kind == "f" else x.data.astype(np.float32)
    if d.size == 0:
        return d.copy(), axes  # nothing to shift, and max has no identity to start from
    m = d.max(axis=axes, keepdims=True)
    if np.isfinite(m).all():
        return d - m, axes
    with np.errstate(invalid="ignore"):  # a row holding inf or nan gives nan throughout, as in PyTorch
        return d - m, axes


def _softmax_rule(node: Tensor, g: Tensor) -> tuple:
    axes = node._ctx
    gs = g * node
    return (gs - node * gs.sum(axes, True),)


SOFTMAX = TensorOp("softmax", _softmax_rule)


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis`` (the last by default), computed stably.

    Examples
    --------
    >>> from autograd import tensor, softmax
    >>> softmax(tensor([1.0, 1.0])).tolist()
    [0.5, 0.5]
    >>> softmax(tensor([10000.0, 0.0])).tolist()
    [1.0, 0.0]
    """
    z, axes = _shifted(x, axis, "softmax")
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.exp(z)
        out = e / e.sum(axis=axes, keepdims=True)
    return result(out, (x,), SOFTMAX, axes)


def _log_softmax_rule(node: Tensor, g: Tensor) -> tuple:
    axes = node._ctx
    return (g - node.exp() * g.sum(axes, True),)


LOG_SOFTMAX = TensorOp("log_softmax", _log_softmax_rule)


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """``x - logsumexp(x)`` along ``axis`` (the last by default), computed stably.

    Examples
    --------
    >>> from autograd import tensor, log_softmax
    >>> log_softmax(tensor([10000.0, 0.0])).tolist()
    [0.0, -10000.0]
    """
    z, axes = _shifted(x, axis, "log_softmax")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = z - np.log(np.exp(z).sum(axis=axes, keepdims=True))
    return result(out, (x,), LOG_SOFTMAX, axes)


METHODS: dict[str, Any] = {"softmax": softmax, "log_softmax": log_softmax}
FUNCTIONS: dict[str, Any] = dict(METHODS)
