"""The singular value decomposition ``A = U diag(S) Vh`` with every order of derivative (``torch.linalg``'s
``svd`` and ``svdvals``).

The three factors are three recorded nodes of one decomposition. Each rule rebuilds the (thin) factors as
recorded nodes of its input, so that its formula, written with Tensor operations, is differentiable again:

- from ``S``: ``gA = U diag(gS) Vh``;
- from ``U`` and ``Vh``: the formulas of PyTorch's ``svd_backward`` for real matrices, with
  ``F_jk = 1 / (S_k**2 - S_j**2)``, which are infinite where singular values repeat (as in PyTorch; the
  singular vectors are not unique there). As in PyTorch, a function of ``U`` and ``Vh`` must not depend
  on their signs, and with ``full_matrices=True`` the columns of ``U`` and rows of ``Vh`` beyond the
  ``min(m, n)``-th (an arbitrary basis) get no gradient.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor, TensorOp, constant_like, result
from .matrix_functions import float_matrices


class SVD(NamedTuple):
    """What :func:`svd` returns: ``A = U @ (S[..., None] * Vh)``."""

    U: Tensor
    S: Tensor
    Vh: Tensor


def _nodes(x: Tensor, factors: tuple) -> SVD:
    """The factors of one decomposition of ``x`` as three recorded nodes."""
    u, s, vh = factors
    return SVD(result(u, (x,), SVD_U, factors), result(s, (x,), SVD_S, factors),
               result(vh, (x,), SVD_VH, factors))


def _thin(node: Tensor, g: Any) -> tuple:
    """The thin factors behind ``node``: recorded Tensors of its input in a Tensor rule, arrays in an
    array rule."""
    u, s, vh = node._ctx
    k = s.shape[-1]
    factors = (u[..., :k], s, vh[..., :k, :])
    return _nodes(node._parents[0], factors) if isinstance(g, Tensor) else factors


def _row(v: Any) -> Any:
    return v.reshape(tuple(v.shape)[:-1] + (1, v.shape[-1]))


def _column(v: Any) -> Any:
    return v.reshape(tuple(v.shape) + (1,))


def _gaps(s: Any) -> Any:
    """``E_jk = S_k**2 - S_j**2``, with 1 on the diagonal (where the skew matrices it divides are 0)."""
    squares = s * s
    return _row(squares) - _column(squares) + constant_like(np.eye(s.shape[-1]), s)


def _s_rule(node: Tensor, g: Any) -> tuple:
    u, _, vh = _thin(node, g)
    return ((u * _row(g)) @ vh,)


def _u_rule(node: Tensor, g: Any) -> tuple:
    u, s, vh = _thin(node, g)
    k = s.shape[-1]
    g_u = g[..., :, :k] if g.shape[-1] != k else g
    projected = u.mT @ g_u
    grad = u @ ((projected - projected.mT) / _gaps(s) * _row(s)) @ vh
    if u.shape[-2] > k:  # the part of g_u outside the span of U
        grad = grad + ((g_u - u @ projected) / _row(s)) @ vh
    return (grad,)


def _vh_rule(node: Tensor, g: Any) -> tuple:
    u, s, vh = _thin(node, g)
    k = s.shape[-1]
    g_v = (g[..., :k, :] if g.shape[-2] != k else g).mT
    projected = vh @ g_v
    grad = u @ (_column(s) * ((projected - projected.mT) / _gaps(s))) @ vh
    if vh.shape[-1] > k:  # the part of g_v outside the span of V
        grad = grad + u @ ((g_v - vh.mT @ projected) / _row(s)).mT
    return (grad,)


def _array_rule(rule: Any) -> Any:
    def array_rule(node: Tensor, g: np.ndarray) -> tuple:
        with np.errstate(divide="ignore", invalid="ignore"):  # repeated or zero singular values: inf, nan
            return rule(node, np.asarray(g))

    return array_rule


SVD_U = TensorOp("svd_U", _u_rule, _array_rule(_u_rule))
SVD_S = TensorOp("svd_S", _s_rule, _array_rule(_s_rule))
SVD_VH = TensorOp("svd_Vh", _vh_rule, _array_rule(_vh_rule))


def svd(x: Any, full_matrices: bool = True) -> SVD:
    """The singular value decomposition of matrices ``(..., m, n)`` (``torch.linalg.svd``): the named
    triple ``(U, S, Vh)`` with ``A = U @ (S[..., None] * Vh)``, ``S`` in descending order.

    With ``full_matrices=True`` (the default, as in PyTorch) ``U`` is ``(..., m, m)`` and ``Vh``
    ``(..., n, n)``; otherwise ``(..., m, k)`` and ``(..., k, n)`` with ``k = min(m, n)``.

    Examples
    --------
    >>> from autograd import linalg, tensor
    >>> U, S, Vh = linalg.svd(tensor([[3.0, 0.0], [0.0, -2.0]]))
    >>> S.tolist()
    [3.0, 2.0]
    """
    x = float_matrices(x, "svd", square=False)
    if full_matrices is not True and full_matrices is not False:
        raise TypeError(f"svd: got full_matrices={full_matrices!r}; expected True or False")
    return _nodes(x, tuple(np.linalg.svd(x.data, full_matrices=full_matrices)))


def svdvals(x: Any) -> Tensor:
    """The singular values of matrices ``(..., m, n)`` in descending order (``torch.linalg.svdvals``).

    Examples
    --------
    >>> from autograd import linalg, tensor
    >>> linalg.svdvals(tensor([[0.0, 2.0], [1.0, 0.0]])).tolist()
    [2.0, 1.0]
    """
    x = float_matrices(x, "svdvals", square=False)
    factors = tuple(np.linalg.svd(x.data, full_matrices=False))
    return result(factors[1], (x,), SVD_S, factors)


METHODS: dict[str, Any] = {}
FUNCTIONS: dict[str, Any] = {"svd": svd, "svdvals": svdvals}
