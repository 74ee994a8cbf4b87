"""Comparisons of an autograd function with its PyTorch counterpart in float64: values, first derivatives
(a vector-Jacobian product with a random cotangent) and second derivatives (the derivative of that product
along a random direction), so that the Tensor rules behind ``create_graph=True`` are compared too.

The tests of the fused arithmetic, products, matrix functions, distances and grids use them.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from autograd import Tensor


def _as_tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _leaves(torch: Any, arrays: tuple) -> tuple[list[Tensor], list[Any]]:
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    return ([Tensor(a.copy(), requires_grad=True) for a in arrays],
            [torch.tensor(a.copy(), requires_grad=True) for a in arrays])


def _loss(torch: Any, outs: tuple, t_outs: tuple, rtol: float, atol: float, seed: int) -> tuple:
    """sum(out * w) over the outputs in both libraries, after checking that the outputs agree."""
    assert len(outs) == len(t_outs)
    rng = np.random.default_rng(seed)
    loss, t_loss = 0.0, 0.0
    for out, t_out in zip(outs, t_outs):
        assert out.shape == tuple(t_out.shape), (out.shape, tuple(t_out.shape))
        np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=rtol, atol=atol)
        w = rng.standard_normal(out.shape)
        loss = loss + (out * Tensor(w)).sum()
        t_loss = t_loss + (t_out * torch.tensor(w)).sum()
    return loss, t_loss


def _grad_or_zeros(leaf: Tensor) -> np.ndarray:
    return np.zeros(leaf.shape) if leaf.grad is None else leaf.grad.numpy()


def compare_with_torch(torch: Any, ours: Callable[..., Any], theirs: Callable[..., Any], *arrays: Any,
                       rtol: float = 1e-10, atol: float = 1e-12, second_order: bool = True,
                       seed: int = 0) -> None:
    """``ours(*leaves)`` against ``theirs(*torch_leaves)`` on float64 copies of ``arrays``: the outputs
    (each of a tuple), the gradients of ``sum(out * w)`` and, with ``second_order``, the derivative of
    ``sum(grad * v)`` for random ``w`` and ``v``. A gradient torch leaves undefined counts as zeros."""
    leaves, t_leaves = _leaves(torch, arrays)
    loss, t_loss = _loss(torch, _as_tuple(ours(*leaves)), _as_tuple(theirs(*t_leaves)), rtol, atol, seed)
    loss.backward(create_graph=second_order)
    t_grads = torch.autograd.grad(t_loss, t_leaves, create_graph=second_order, allow_unused=True)
    for leaf, t_grad in zip(leaves, t_grads):
        expected = np.zeros(leaf.shape) if t_grad is None else t_grad.detach().numpy(force=True)
        np.testing.assert_allclose(_grad_or_zeros(leaf), expected, rtol=rtol, atol=atol)
    if not second_order:
        return
    rng = np.random.default_rng(seed + 1)
    directions = [rng.standard_normal(leaf.shape) for leaf in leaves]
    grads = [leaf.grad for leaf in leaves]
    for leaf in leaves:
        leaf.grad = None
    inner = sum((g * Tensor(v)).sum() for g, v in zip(grads, directions) if g is not None and g.requires_grad)
    t_inner = sum((g * torch.tensor(v)).sum() for g, v in zip(t_grads, directions)
                  if g is not None and g.requires_grad)
    if isinstance(inner, Tensor):
        inner.backward()
    if isinstance(t_inner, torch.Tensor):
        t_second = torch.autograd.grad(t_inner, t_leaves, allow_unused=True)
    else:
        t_second = [None] * len(t_leaves)
    for leaf, t_grad in zip(leaves, t_second):
        expected = np.zeros(leaf.shape) if t_grad is None else t_grad.numpy(force=True)
        np.testing.assert_allclose(_grad_or_zeros(leaf), expected, rtol=rtol, atol=atol)
