"""RMSprop: gradients divided by the root of a running average of their squares."""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Closure, Optimizer, ParamsT, sqrt_array

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop (notes 001: AdaGrad's sum of squared gradients replaced by an exponential average).

    PyTorch's update, for each parameter ``p`` with gradient ``g`` (``-g`` when ``maximize``):

    .. code-block:: text

        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g^2
        a = alpha * a + (1 - alpha) * g                 (centered)
        d = sqrt(v - a^2) + eps  if centered  else  sqrt(v) + eps
        b = momentum * b + g / d;  p = p - lr * b       (momentum > 0)
        p = p - lr * g / d                              (momentum = 0)

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters or parameter groups.
    lr : float, optional
        Learning rate (default 1e-2).
    alpha : float, optional
        Smoothing constant of the average of squared gradients (default 0.99).
    eps : float, optional
        Added to the denominator (default 1e-8).
    weight_decay : float, optional
        L2 penalty coefficient added to the gradient (default 0).
    momentum : float, optional
        Momentum factor (default 0).
    centered : bool, optional
        Normalize by the estimated variance of the gradient instead of its second moment.
    capturable, foreach : optional
        PyTorch's choices of how to compute a step, kept in the groups as PyTorch keeps them; see
        :meth:`Optimizer._check_implementation_flags` (as ``differentiable``).
    maximize : bool, optional
        Maximize the objective instead of minimizing it.

    Examples
    --------
    >>> from autograd import tensor
    >>> w = tensor([1.0], requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01)
    >>> (w * w).sum().backward(); opt.step()
    >>> round(w.item(), 4)
    0.9
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach, maximize=maximize,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def _validate_group(self, group: dict[str, Any]) -> None:
        super()._validate_group(group)
        self._check_nonnegative(group, "alpha", "eps", "momentum", "weight_decay")

    def step(self, closure: Closure = None) -> Any:
        """Apply one update to every parameter that has a gradient (in place), after calling ``closure``
        (if given) with gradients enabled; return the closure's loss, or None."""
        loss = self._evaluate(closure)
        for group, pairs in self._checked_grads():
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            mu, centered = group["momentum"], group["centered"]
            for p, g in self._effective_grads(group, pairs):
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = 0
                    state["square_avg"] = np.zeros_like(p.data)
                state["step"] += 1
                v = state["square_avg"]
                v *= alpha
                v += (1.0 - alpha) * (g * g)
                if centered:
                    a = state.get("grad_avg")
                    if a is None:
                        a = state["grad_avg"] = np.zeros_like(p.data)
                    a *= alpha
                    a += (1.0 - alpha) * g
                    denom = sqrt_array(v - a * a)
                else:
                    denom = sqrt_array(v)
                denom += eps
                if mu > 0:
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = np.zeros_like(p.data)
                    buf *= mu
                    buf += g / denom
                    p.data -= lr * buf
                else:
                    np.divide(g, denom, out=denom)
                    denom *= lr
                    p.data -= denom
        return loss
