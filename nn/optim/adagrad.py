"""Adagrad: per-parameter learning rates shrunk by the accumulated squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Closure, Optimizer, ParamsT, sqrt_array

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (notes 001: reduce each parameter's learning rate by the sum of its squared gradients).

    PyTorch's update, for each parameter ``p`` with gradient ``g`` (``-g`` when ``maximize``), step ``t``:

    .. code-block:: text

        g = g + weight_decay * p
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g^2                                  (s starts at initial_accumulator_value)
        p = p - clr * g / (sqrt(s) + eps)

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters or parameter groups.
    lr : float, optional
        Learning rate (default 1e-2).
    lr_decay : float, optional
        Learning rate decay (default 0).
    weight_decay : float, optional
        L2 penalty coefficient added to the gradient (default 0).
    initial_accumulator_value : float, optional
        Starting value of the sum of squares (default 0).
    eps : float, optional
        Added to the denominator (default 1e-10).
    foreach : bool or None, optional
        PyTorch's choice of how to compute a step, kept in the groups as PyTorch keeps it (as ``fused``
        and ``differentiable``); see :meth:`Optimizer._check_implementation_flags`.
    maximize : bool, optional
        Maximize the objective instead of minimizing it.

    Examples
    --------
    >>> from autograd import tensor
    >>> w = tensor([1.0], requires_grad=True)
    >>> opt = Adagrad([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> round(w.item(), 4)
    0.9
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = {"step": 0,
                                 "sum": np.full_like(p.data, group["initial_accumulator_value"])}

    def _validate_group(self, group: dict[str, Any]) -> None:
        super()._validate_group(group)
        self._check_nonnegative(group, "lr_decay", "weight_decay", "initial_accumulator_value", "eps")

    def step(self, closure: Closure = None) -> Any:
        """Apply one update to every parameter that has a gradient (in place), after calling ``closure``
        (if given) with gradients enabled; return the closure's loss, or None."""
        loss = self._evaluate(closure)
        for group, pairs in self._checked_grads():
            lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
            for p, g in self._effective_grads(group, pairs):
                state = self.state.get(p)
                if state is None:  # a group added after construction
                    state = self.state[p] = {
                        "step": 0, "sum": np.full_like(p.data, group["initial_accumulator_value"])}
                state["step"] += 1
                clr = lr / (1.0 + (state["step"] - 1) * lr_decay)
                s = state["sum"]
                s += g * g
                denom = sqrt_array(s)
                denom += eps
                np.divide(g, denom, out=denom)
                denom *= clr
                p.data -= denom
        return loss
