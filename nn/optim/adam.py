"""Adam (adaptive moments) and AdamW (Adam with decoupled weight decay)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .optimizer import Closure, Optimizer, ParamsT, sqrt_array

__all__ = ["Adam", "AdamW"]


def _pair(betas: Any) -> Any:
    """``betas`` as PyTorch keeps it, a tuple of two floats, when it is a pair of numbers; anything else
    as it is, for the group's check to refuse.

    Examples
    --------
    >>> _pair([0.8, 0.9]), _pair(0.9)
    ((0.8, 0.9), 0.9)
    """
    if isinstance(betas, (tuple, list)) and len(betas) == 2 and all(
            isinstance(b, (int, float, np.integer, np.floating)) and not isinstance(b, bool) for b in betas):
        return tuple(float(b) for b in betas)
    return betas


class Adam(Optimizer):
    r"""Adam: RMSprop's running average of squared gradients combined with momentum (notes 001).

    PyTorch's update, for each parameter ``p`` with gradient ``g`` (``-g`` when ``maximize``), step ``t``:

    .. code-block:: text

        g = g + weight_decay * p                      (L2 penalty; see AdamW for decoupled decay)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g^2
        v_max = max(v_max, v)                         (amsgrad; then v_max replaces v below)
        p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters or parameter groups.
    lr : float, optional
        Learning rate (default 1e-3).
    betas : (float, float), optional
        Decay rates of the first and second moment averages (default (0.9, 0.999)), each in [0, 1).
    eps : float, optional
        Added to the denominator (default 1e-8).
    weight_decay : float, optional
        L2 penalty coefficient added to the gradient (default 0).
    amsgrad : bool, optional
        Use the running maximum of ``v`` (AMSGrad).
    maximize : bool, optional
        Maximize the objective instead of minimizing it.
    decoupled_weight_decay : bool, optional
        Shrink the parameters by ``lr * weight_decay`` instead of adding an L2 penalty to the gradient:
        AdamW's update (PyTorch's keyword of the same name; default False).
    foreach, capturable, differentiable, fused : optional
        PyTorch's choices of how to compute a step, kept in the groups as PyTorch keeps them; see
        :meth:`Optimizer._check_implementation_flags`.

    Examples
    --------
    >>> from autograd import tensor
    >>> w = tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> [round(v, 4) for v in w.tolist()]
    [0.9, -1.9]
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        defaults = dict(lr=lr, betas=_pair(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=bool(decoupled_weight_decay))
        super().__init__(params, defaults)

    def _validate_group(self, group: dict[str, Any]) -> None:
        super()._validate_group(group)
        name = type(self).__name__
        betas = group["betas"] = _pair(group["betas"])
        self._check(isinstance(betas, tuple) and all(isinstance(b, float) for b in betas),
                    f"{name}: invalid betas={betas!r}; expected a pair of numbers (beta1, beta2)")
        for i, b in enumerate(betas):
            self._check(0.0 <= b < 1.0,
                        f"{name}: invalid beta parameter at index {i}: {b}; expected 0 <= beta < 1")
        self._check_nonnegative(group, "eps", "weight_decay")

    def step(self, closure: Closure = None) -> Any:
        """Apply one update to every parameter that has a gradient (in place), after calling ``closure``
        (if given) with gradients enabled; return the closure's loss, or None."""
        loss = self._evaluate(closure)
        for group, pairs in self._checked_grads():
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            wd, amsgrad = group["weight_decay"], group["amsgrad"]
            # a group saved before the option existed has no entry: the class's own kind of decay
            decoupled = group.get("decoupled_weight_decay", isinstance(self, AdamW))
            for p, g in self._effective_grads(group, pairs, l2=not decoupled):
                state = self.state.setdefault(p, {})
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = np.zeros_like(p.data)
                    state["exp_avg_sq"] = np.zeros_like(p.data)
                    if amsgrad:
                        state["max_exp_avg_sq"] = np.zeros_like(p.data)
                state["step"] += 1
                t = state["step"]
                if wd != 0 and decoupled:
                    p.data *= 1.0 - lr * wd
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m *= beta1
                m += (1.0 - beta1) * g
                v *= beta2
                v += (1.0 - beta2) * (g * g)
                if amsgrad:
                    if "max_exp_avg_sq" not in state:  # amsgrad switched on after the first step
                        state["max_exp_avg_sq"] = np.zeros_like(p.data)
                    v_hat = state["max_exp_avg_sq"]
                    np.maximum(v_hat, v, out=v_hat)
                else:
                    v_hat = v
                step_size = lr / (1.0 - beta1 ** t)
                denom = sqrt_array(v_hat)
                denom /= math.sqrt(1.0 - beta2 ** t)
                denom += eps
                np.divide(m, denom, out=denom)
                denom *= step_size
                p.data -= denom
        return loss


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's ``AdamW``.

    Before the Adam update (which then uses the plain gradient), each parameter shrinks:
    ``p = p * (1 - lr * weight_decay)``.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters or parameter groups.
    lr : float, optional
        Learning rate (default 1e-3).
    betas : (float, float), optional
        Decay rates of the moment averages (default (0.9, 0.999)).
    eps : float, optional
        Added to the denominator (default 1e-8).
    weight_decay : float, optional
        Decoupled weight decay coefficient (default 1e-2).
    amsgrad : bool, optional
        Use the running maximum of the second moment (AMSGrad).
    maximize : bool, optional
        Maximize the objective instead of minimizing it.
    foreach, capturable, differentiable, fused : optional
        As for :class:`Adam`.

    Examples
    --------
    >>> from autograd import tensor
    >>> w = tensor([1.0], requires_grad=True)
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).sum().backward(); opt.step()
    >>> round(w.item(), 4)
    0.85
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         foreach=foreach, maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused, decoupled_weight_decay=True)
