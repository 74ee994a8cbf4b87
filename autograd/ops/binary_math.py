"""Elementwise functions of two tensors beyond arithmetic: atan2 (arctan2), hypot and logaddexp, with
numpy broadcasting.

As for the one-operand functions, a Python number takes the tensor's dtype, and integers and booleans
give numpy's float dtype. Each rule serves Tensors (recorded under create_graph) and arrays (a plain
backward pass) alike; gradients are PyTorch's, edge cases included: atan2's is 0 at (0, 0), hypot's is
nan there (0 / 0), and logaddexp's is nan where both operands are the same infinity.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, TensorOp, result
from ._common import broadcasting, pair
from .arithmetic import where
from .unary import _sigmoid_forward


def _operands(node: Tensor, g: Any) -> tuple:
    """The parents as Tensors in a Tensor rule (so that create_graph records through them), as arrays in
    an array rule."""
    a, b = node._parents
    return (a, b) if isinstance(g, Tensor) else (a.data, b.data)


def _binary_function(name: str, ufunc: np.ufunc, op: TensorOp) -> Any:
    def forward(a: Any, b: Any) -> Tensor:
        a, b = pair(a, b, name)
        with np.errstate(all="ignore"):  # domain edges give inf or nan, as in numpy and PyTorch
            return result(broadcasting(name, ufunc, a.data, b.data), (a, b), op)

    return forward


def _atan2_rule(node: Tensor, g: Any) -> tuple:
    y, x = _operands(node, g)
    r2 = y * y + x * x
    origin = (r2.data if isinstance(r2, Tensor) else np.asarray(r2)) == 0
    need_y, need_x = node._parents[0].requires_grad, node._parents[1].requires_grad
    with np.errstate(divide="ignore", invalid="ignore"):  # inf * 0 at infinite operands: nan, as in PyTorch
        if not origin.any():
            inv = 1.0 / r2
        elif isinstance(r2, Tensor):  # 0 at the origin; the 1 keeps the branch where() drops finite
            inv = where(origin, 0.0, 1.0 / where(origin, 1.0, r2))
        else:
            inv = np.where(origin, 0.0, 1.0 / np.where(origin, 1.0, r2))
        return (g * x * inv if need_y else None, -g * y * inv if need_x else None)


def _hypot_rule(node: Tensor, g: Any) -> tuple:
    a, b = _operands(node, g)
    h = node if isinstance(g, Tensor) else node.data
    need_a, need_b = node._parents[0].requires_grad, node._parents[1].requires_grad
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 / 0 at the origin: nan, as in PyTorch
        return (g * a / h if need_a else None, g * b / h if need_b else None)


def _logaddexp_rule(node: Tensor, g: Any) -> tuple:
    a, b = _operands(node, g)
    sigmoid = (lambda t: t.sigmoid()) if isinstance(g, Tensor) else _sigmoid_forward
    need_a, need_b = node._parents[0].requires_grad, node._parents[1].requires_grad
    # d/da log(e^a + e^b) = sigmoid(a - b): finite where one operand is infinite and the other is not
    with np.errstate(invalid="ignore"):
        return (g * sigmoid(a - b) if need_a else None, g * sigmoid(b - a) if need_b else None)


ATAN2 = TensorOp("atan2", _atan2_rule, _atan2_rule)
HYPOT = TensorOp("hypot", _hypot_rule, _hypot_rule)
LOGADDEXP = TensorOp("logaddexp", _logaddexp_rule, _logaddexp_rule)

_atan2 = _binary_function("atan2", np.arctan2, ATAN2)
_hypot = _binary_function("hypot", np.hypot, HYPOT)
_logaddexp = _binary_function("logaddexp", np.logaddexp, LOGADDEXP)


def atan2(y: Any, x: Any) -> Tensor:
    """The angle of the point ``(x, y)``, in ``[-pi, pi]``: the inverse tangent of ``y / x`` in the right
    quadrant (``arctan2`` is another name for it).

    The gradient is ``x / (x**2 + y**2)`` for ``y`` and ``-y / (x**2 + y**2)`` for ``x``, and 0 for both
    at the origin (PyTorch's convention).

    Examples
    --------
    >>> from autograd import tensor, atan2
    >>> [round(v, 4) for v in atan2(tensor([1.0, -1.0]), tensor([-1.0, 0.0])).tolist()]
    [2.3562, -1.5708]
    """
    return _atan2(y, x)


arctan2 = atan2


def hypot(a: Any, b: Any) -> Tensor:
    """``sqrt(a**2 + b**2)`` without overflow or underflow in the squares.

    The gradient is ``a / hypot`` for ``a`` and ``b / hypot`` for ``b`` (nan at the origin, as in
    PyTorch).

    Examples
    --------
    >>> from autograd import tensor, hypot
    >>> hypot(tensor([3.0, 5.0]), tensor([4.0, 12.0])).tolist()
    [5.0, 13.0]
    """
    return _hypot(a, b)


def logaddexp(a: Any, b: Any) -> Tensor:
    """``log(e**a + e**b)`` without overflow.

    The gradient is ``sigmoid(a - b)`` for ``a`` and ``sigmoid(b - a)`` for ``b``.

    Examples
    --------
    >>> from autograd import tensor, logaddexp
    >>> round(logaddexp(tensor([1000.0], dtype="float64"), 1000.0).item(), 4)
    1000.6931
    """
    return _logaddexp(a, b)


METHODS = {"atan2": atan2, "arctan2": arctan2, "hypot": hypot, "logaddexp": logaddexp}
FUNCTIONS = dict(METHODS)
