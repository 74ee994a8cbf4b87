"""Vector norms: ``norm(x, p, dim, keepdim)``, PyTorch's ``torch.norm`` without its matrix norms.

``p`` is ``'fro'`` (the default, the same as 2), ``inf``, ``-inf`` or a positive number. The norm is
taken over the entries of ``axis`` (all of them by default) as if they were one vector; ``inf`` and
``-inf`` are the largest and smallest absolute value, whose gradient tied entries share evenly, as in
PyTorch.

Where a norm is 0 its gradient is 0 (PyTorch's subgradient), and so is the gradient of an entry that
is 0 for ``p < 1``, where ``|x|**p`` has an infinite slope.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, describe, result
from ._common import floating, normalize_axis, tensor_arg
from .arithmetic import where
from .reductions import _keepdims, amax, amin, expand_reduced


def _norm_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0]
    p = node._ctx[2]
    g = expand_reduced(g, node)
    if p == 1:  # d|x|/dx = sign(x), 0 at 0
        return (g * x.sign(),)
    n = expand_reduced(node, node)
    zero = n.data == 0  # the subgradient 0 where the norm is 0, without dividing by it
    n = where(zero, 1.0, n)
    if p == 2:
        return (where(zero, 0.0, g * x / n),)
    # d/dx_k (sum |x|^p)^(1/p) = sign(x_k) |x_k|^(p-1) / n^(p-1); both wheres keep nan out of rules below
    at_zero = x.data == 0
    slope = where(at_zero, 0.0, x.sign() * where(at_zero, 1.0, abs(x)) ** (p - 1))
    return (where(zero, 0.0, g * slope / n ** (p - 1)),)


NORM = TensorOp("norm", _norm_rule)


def _order(p: Any) -> float:
    if isinstance(p, str):
        if p == "fro":
            return 2.0
        if p == "nuc":
            raise ValueError("norm: got p='nuc'; the nuclear norm (a sum of singular values) is not "
                             "supported; expected 'fro', inf, -inf or a positive number")
    elif isinstance(p, (int, float, np.integer, np.floating)) and not isinstance(p, bool):
        order = float(p)
        if order > 0 or order == -math.inf:
            return order
    raise ValueError(f"norm: got p {describe(p)}; expected 'fro', inf, -inf or a positive number")


def norm(x: ArrayLike, p: float | str = "fro", axis: int | tuple[int, ...] | None = None,
         keepdims: bool = False) -> Tensor:
    """The ``p``-norm ``(sum |x|**p) ** (1/p)`` of the entries over ``axis`` (all by default).

    ``p='fro'`` (the default) and ``p=2`` give the Euclidean norm; ``inf`` and ``-inf`` the largest and
    smallest absolute value. Integer and bool tensors give floats (the dtype ``np.exp`` gives them).
    The gradient is 0 where the norm is 0.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[3.0, -4.0], [0.0, 0.0]], requires_grad=True)
    >>> y = x.norm(dim=1); y.tolist()
    [5.0, 0.0]
    >>> y.sum().backward(); x.grad.tolist()
    [[0.6000000238418579, -0.800000011920929], [0.0, 0.0]]
    >>> tensor([3.0, -4.0]).norm(1).item(), tensor([3.0, -4.0]).norm(float("inf")).item()
    (7.0, 4.0)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "norm")
    order = _order(p)
    axes = normalize_axis(axis, x.data.ndim, "norm")
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, "norm")
    if x.data.dtype.kind != "f":
        x = x.astype(floating(x.data).dtype)
    if math.isinf(order):
        if x.data.size == 0 or any(x.data.shape[a] == 0 for a in axes):
            raise ValueError(f"norm: got p={p} for a tensor of shape {x.data.shape} with an empty slice over "
                             f"axes {axes}; expected non-empty slices (an empty one has no largest entry)")
        return (amax if order > 0 else amin)(abs(x), axes, keepdims)
    magnitude = np.abs(x.data)
    if order == 2:
        out = np.sqrt(np.sum(magnitude * magnitude, axis=axes, keepdims=keepdims))
    elif order == 1:
        out = np.sum(magnitude, axis=axes, keepdims=keepdims)
    else:
        out = np.sum(magnitude ** order, axis=axes, keepdims=keepdims) ** (1.0 / order)
    return result(np.asarray(out, dtype=x.data.dtype), (x,), NORM, (axes, keepdims, order))


METHODS: dict[str, Any] = {"norm": norm}
FUNCTIONS: dict[str, Any] = dict(METHODS)
