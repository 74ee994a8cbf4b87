"""Distances and similarities with PyTorch's semantics: ``cdist``, ``dist``, ``cosine_similarity`` and
``pairwise_distance`` (the last two are in ``torch.nn.functional`` too).

All are composites of recorded ops over :func:`~autograd.ops.linalg_norms.vector_norm`, whose gradient
is 0 where a norm is 0: the gradient of a distance between equal points is 0, as in PyTorch. ``cdist``
forms every difference ``x1[i] - x2[j]`` (memory ``P * R * M`` per batch), which keeps distances of 0 and
their gradients exact where PyTorch's matrix-product shortcut for large inputs rounds. Its order ``inf``
is a primitive of its own, because ``torch.cdist`` gives each coordinate tied for the largest difference
the whole gradient, where ``vector_norm`` (PyTorch's too) shares it among them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tensor import Tensor, TensorOp, constant_like, describe, result
from ._common import floating, pair
from .linalg_norms import vector_norm
from .reductions import expand_reduced, maximum
from .shape import _dim


def _order(p: Any, name: str, negative: bool) -> float:
    expected = "a real number" if negative else "a number >= 0 (or inf)"
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: got p {describe(p)}; expected {expected}")
    if math.isnan(p) or p < 0 and not negative:
        raise ValueError(f"{name}: got p={p}; expected {expected}")
    return float(p)


def _floats(name: str, a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """The two operands in their common floating dtype; refused unless one holds floats (PyTorch refuses
    integer distances)."""
    a, b = pair(a, b, name)
    dtype = np.result_type(a.data, b.data)
    if dtype.kind != "f":
        raise TypeError(f"{name}: got tensors of dtypes {a.data.dtype} and {b.data.dtype}; expected "
                        "floating-point tensors (convert with .float() or .double())")
    return a.astype(dtype), b.astype(dtype)


def _broadcast_shape(name: str, a: Tensor, b: Tensor) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(a.data.shape, b.data.shape)
    except ValueError:
        raise ValueError(f"{name}: shapes {a.data.shape} and {b.data.shape} cannot be broadcast "
                         "together") from None


def cdist(x1: Any, x2: Any, p: float = 2.0) -> Tensor:
    """The ``p``-norm distance between each row of ``x1`` ``(..., P, M)`` and each row of ``x2``
    ``(..., R, M)``: a tensor ``(..., P, R)`` (``torch.cdist``). Batch dimensions broadcast; ``p >= 0``
    (0 counts the differing coordinates, inf takes the largest difference).

    With ``p = inf``, as in PyTorch, every coordinate whose ``|x1[i] - x2[j]|`` equals the distance gets
    the whole gradient times the sign of its difference (0 where the distance is 0), and ``M = 0``
    columns give distance 0.

    Examples
    --------
    >>> from autograd import cdist, tensor
    >>> cdist(tensor([[0.0, 0.0], [1.0, 1.0]]), tensor([[3.0, 4.0]])).tolist()
    [[5.0], [3.605551242828369]]
    >>> x = tensor([[1.0, 3.0, -2.0]], requires_grad=True)
    >>> cdist(x, tensor([[0.0, 1.0, 0.0]]), float("inf")).backward(); x.grad.tolist()
    [[0.0, 1.0, -1.0]]
    """
    x1, x2 = _floats("cdist", x1, x2)
    order = _order(p, "cdist", negative=False)
    s1, s2 = x1.data.shape, x2.data.shape
    if len(s1) < 2 or len(s2) < 2:
        raise ValueError(f"cdist: got shapes {s1} and {s2}; expected at least 2 dimensions each, (..., P, M) "
                         "and (..., R, M)")
    if s1[-1] != s2[-1]:
        raise ValueError(f"cdist: got shapes {s1} and {s2}; expected the same number of columns M (the last "
                         "dimension)")
    try:
        np.broadcast_shapes(s1[:-2], s2[:-2])
    except ValueError:
        raise ValueError(f"cdist: the batch dimensions of shapes {s1} and {s2} cannot be broadcast "
                         "together") from None
    differences = x1.unsqueeze(-2) - x2.unsqueeze(-3)  # (..., P, R, M)
    if math.isinf(order):
        return _largest_difference(differences)
    return vector_norm(differences, order, -1)


# torch.cdist with p=inf gives each coordinate whose |difference| equals the distance the whole gradient
# (times the sign of its difference), where amax, and so vector_norm, shares it among tied coordinates.
# The weights are constants, so the rule serves as its own array rule and its derivatives vanish, as those
# of a piecewise linear function should. A nan distance matches no coordinate, so its gradient is 0 (that of
# vector_norm, here and in PyTorch; torch.cdist skips nan in the maximum instead).
def _largest_difference_rule(node: Tensor, g: Any) -> tuple:
    d = node._parents[0].data
    weights = np.where(np.abs(d) == node.data[..., None], np.sign(d), 0.0)
    return (expand_reduced(g, node) * constant_like(weights, g),)


LARGEST_DIFFERENCE = TensorOp("cdist", _largest_difference_rule, _largest_difference_rule)


def _largest_difference(differences: Tensor) -> Tensor:
    """The largest |difference| over the last axis, cdist's distance of order inf; 0 for M = 0 columns,
    as in PyTorch (no |difference| is below it)."""
    d = differences.data
    out = np.max(np.abs(d), axis=-1, initial=0.0)
    return result(np.asarray(out, dtype=d.dtype), (differences,), LARGEST_DIFFERENCE, ((d.ndim - 1,), False))


def dist(a: Any, b: Any, p: float = 2.0) -> Tensor:
    """The ``p``-norm of ``a - b`` over all entries, with broadcasting (``torch.dist``); ``p`` is any
    real number, as for :func:`autograd.linalg.vector_norm`.

    Examples
    --------
    >>> from autograd import dist, tensor
    >>> dist(tensor([1.0, 2.0]), tensor([4.0, 6.0])).item()
    5.0
    """
    a, b = _floats("dist", a, b)
    order = _order(p, "dist", negative=True)
    _broadcast_shape("dist", a, b)
    return vector_norm(a - b, order)


def cosine_similarity(x1: Any, x2: Any, axis: int = 1, eps: float = 1e-8) -> Tensor:
    """The cosine of the angle between the vectors along ``axis`` (``dim=`` works too) of ``x1`` and
    ``x2``, which broadcast (``torch.nn.functional.cosine_similarity``).

    As in PyTorch, each vector is divided by its norm clamped to at least ``eps``, and the clamp passes
    the gradient through unchanged: a vector of norm 0 gives similarity 0.

    Examples
    --------
    >>> from autograd import cosine_similarity, tensor
    >>> cosine_similarity(tensor([[1.0, 0.0], [1.0, 1.0]]), tensor([[0.0, 2.0], [3.0, 3.0]])).tolist()
    [0.0, 1.0]
    """
    x1, x2 = _floats("cosine_similarity", x1, x2)
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.integer, np.floating)):
        raise TypeError(f"cosine_similarity: got eps {describe(eps)}; expected a number")
    shape = _broadcast_shape("cosine_similarity", x1, x2)
    d = _dim(axis, len(shape), "cosine_similarity", "dim")
    if x1.data.shape != shape:
        x1 = x1.broadcast_to(shape)
    if x2.data.shape != shape:
        x2 = x2.broadcast_to(shape)
    axes = d if shape else None
    n1, n2 = (_clamped(vector_norm(x, 2, axes, keepdims=True), float(eps)) for x in (x1, x2))
    return ((x1 / n1) * (x2 / n2)).sum(axes)


def _clamped(n: Tensor, eps: float) -> Tensor:
    """``n`` with its values raised to at least ``eps`` and its gradient passed through unchanged (PyTorch
    clamps the norms in place, unrecorded)."""
    return n + (maximum(n, eps) - n).detach()


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """The ``p``-norm of ``x1 - x2 + eps`` along the last dimension (``torch.nn.functional.
    pairwise_distance``); the tensors broadcast, and ``p`` is any real number.

    Examples
    --------
    >>> from autograd import pairwise_distance, tensor
    >>> round(pairwise_distance(tensor([[1.0, 2.0]]), tensor([[4.0, 6.0]]), eps=0.0).item(), 6)
    5.0
    """
    x1, x2 = pair(x1, x2, "pairwise_distance")
    order = _order(p, "pairwise_distance", negative=True)
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.integer, np.floating)):
        raise TypeError(f"pairwise_distance: got eps {describe(eps)}; expected a number")
    _broadcast_shape("pairwise_distance", x1, x2)
    difference = x1 - x2 + float(eps)
    if difference.data.dtype.kind != "f":  # integer points: a floating distance, as in PyTorch
        difference = difference.astype(floating(difference.data).dtype)
    return vector_norm(difference, order, -1, keepdims=keepdim)


METHODS: dict[str, Any] = {"dist": dist}
FUNCTIONS: dict[str, Any] = {"cdist": cdist, "dist": dist, "cosine_similarity": cosine_similarity,
                             "pairwise_distance": pairwise_distance}
