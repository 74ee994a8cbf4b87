"""Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay."""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Closure, Optimizer, ParamsT

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, with PyTorch's update formulas.

    For each parameter ``p`` with gradient ``g`` (``-g`` when ``maximize``), at step ``t``:

    .. code-block:: text

        g = g + weight_decay * p                          (if weight_decay != 0)
        b = g                                             (t = 1)
        b = momentum * b + (1 - dampening) * g            (t > 1)       (if momentum != 0)
        g = g + momentum * b  if nesterov  else  b                      (if momentum != 0)
        p = p - lr * g

    With ``dampening = 0`` the momentum buffer is ``b = -Delta w / lr``, so this is the course notes'
    update with momentum ``Delta w(t) = -lr grad E + mu Delta w(t - 1)`` (notes 001, "Momentum"), with
    ``mu = momentum``.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters or parameter groups.
    lr : float, optional
        Learning rate (default 1e-3).
    momentum : float, optional
        Momentum factor ``mu >= 0`` (default 0: plain SGD).
    dampening : float, optional
        Dampening of the gradient in the momentum buffer (default 0).
    weight_decay : float, optional
        L2 penalty coefficient added to the gradient (default 0).
    nesterov : bool, optional
        Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
    maximize : bool, optional
        Maximize the objective instead of minimizing it.
    foreach, differentiable, fused : optional
        PyTorch's choices of how to compute a step, kept in the groups as PyTorch keeps them; see
        :meth:`Optimizer._check_implementation_flags`.

    Examples
    --------
    >>> from autograd import tensor
    >>> w = tensor([1.0, -2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     (w * w).sum().backward()
    ...     opt.step()
    >>> [round(v, 4) for v in w.tolist()]
    [0.46, -0.92]
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable,
                        fused=fused)
        super().__init__(params, defaults)

    def _validate_group(self, group: dict[str, Any]) -> None:
        super()._validate_group(group)
        name = type(self).__name__
        self._check_nonnegative(group, "momentum", "weight_decay")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"{name}: Nesterov momentum requires momentum > 0 and dampening = 0; got "
                             f"momentum={group['momentum']}, dampening={group['dampening']}")

    def step(self, closure: Closure = None) -> Any:
        """Apply one update to every parameter that has a gradient (in place), after calling ``closure``
        (if given) with gradients enabled; return the closure's loss, or None."""
        loss = self._evaluate(closure)
        for group, pairs in self._checked_grads():
            lr, mu, damp, nesterov = group["lr"], group["momentum"], group["dampening"], group["nesterov"]
            for p, d_p in self._effective_grads(group, pairs):
                if mu != 0:
                    state = self.state.setdefault(p, {})
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = np.array(d_p, dtype=p.data.dtype, copy=True)
                    else:
                        buf *= mu
                        buf += (1.0 - damp) * d_p
                    d_p = d_p + mu * buf if nesterov else buf
                p.data -= lr * d_p
        return loss
