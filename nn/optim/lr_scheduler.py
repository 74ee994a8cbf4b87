"""Learning-rate schedules: PyTorch's StepLR, ExponentialLR, CosineAnnealingLR and LinearLR, and the
course notes' power law ``eta0 (1 + t / s) ** c`` (:class:`PowerLawLR`).

A schedule is a factor of the epoch counter ``t`` by which each parameter group's initial learning rate
``eta0`` (saved in the group as ``'initial_lr'``) is multiplied: ``eta(t) = eta0 * factor(t)``.
:meth:`LRScheduler.step` advances ``t``; call it once per epoch (or per iteration, if the schedule counts
iterations), after ``optimizer.step()``. Constructing a scheduler sets ``t = 0`` and multiplies the
learning rates by ``factor(0)``.

As in PyTorch, each step multiplies the group's *current* rate by ``factor(t) / factor(t - 1)`` rather
than setting it to ``eta0 * factor(t)``. Alone, a scheduler gives the closed form (to rounding); but
schedulers stepped together compose, each scaling what the others set, and a rate changed by hand
(``group['lr'] = ...``) stays changed and is scaled from there. The notes' three schedules (001,
"Learning rate scheduling") map as follows:

- linear ``eta(t) = (1 - t/K) eta0 + (t/K) eta_K`` up to ``K``, then ``eta_K``:
  ``LinearLR(opt, start_factor=1.0, end_factor=eta_K / eta0, total_iters=K)``;
- power law ``eta(t) = eta0 (1 + t/s) ** c`` (usually ``c = -0.5``): ``PowerLawLR(opt, s, c)``;
- exponential decay ``eta(t) = eta0 c ** (t/s)``: ``ExponentialLR(opt, gamma=c ** (1 / s))``.

Examples
--------
>>> from autograd import tensor
>>> from nn.optim import SGD
>>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
>>> sched = PowerLawLR(opt, s=1.0, c=-1.0)
>>> rates = [sched.get_last_lr()[0]]
>>> for _ in range(3):
...     opt.step(); sched.step(); rates.append(sched.get_last_lr()[0])
>>> rates
[1.0, 0.5, 0.3333333333333333, 0.25]
"""

from __future__ import annotations

import math
from typing import Any

from .optimizer import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "PowerLawLR"]


class LRScheduler:
    """Base class: scales each group's ``'lr'`` by ``factor(t) / factor(t - 1)`` at each step.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose learning rates are scheduled.
    last_epoch : int, optional
        The index of the last epoch when resuming (default -1: start from scratch). When resuming, each
        group must hold ``'initial_lr'``.

    Subclasses implement :meth:`factor`, and :meth:`multiplier` where the ratio has a simpler or exact
    form.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: got {type(optimizer).__name__}; expected an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"{type(self).__name__}: param 'initial_lr' is not specified in param_groups[{i}] "
                        "when resuming (last_epoch != -1)"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._last_lr: list[float] = []
        # The constructor's step: when resuming (last_epoch given), the groups already hold the rates to
        # go on from, and it leaves them as they are, as PyTorch's recursive schedulers do (but StepLR).
        self._initial = True
        self.step()
        self._initial = False

    _steps_on_resume = False
    """Whether the constructor's step scales a resumed rate too: only StepLR's does, in PyTorch."""

    def factor(self, epoch: int) -> float:
        """The multiplier of the initial learning rate at ``epoch``, for this scheduler alone."""
        raise NotImplementedError

    def multiplier(self, epoch: int) -> float:
        """What a step to ``epoch`` (>= 1) multiplies the current learning rate by."""
        before = self.factor(epoch - 1)
        if before == 0:  # nothing to scale: a factor that leaves 0 cannot be written as a ratio
            return 0.0 if self.factor(epoch) == 0 else math.nan
        return self.factor(epoch) / before

    def get_lr(self) -> list[float]:
        """The learning rates for the current epoch, one per parameter group, from the current ones."""
        epoch = self.last_epoch
        if epoch == 0:
            scale = self.factor(0)
        else:
            scale = 1.0 if self._initial and not self._steps_on_resume else self.multiplier(epoch)
        if math.isnan(scale):
            return [base * self.factor(epoch) for base in self.base_lrs]
        return [group["lr"] * scale for group in self.optimizer.param_groups]

    def step(self) -> None:
        """Advance the epoch counter and scale the learning rates of the optimizer's groups."""
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the last :meth:`step`, one per parameter group.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
        >>> ExponentialLR(opt, gamma=0.5).get_last_lr()
        [0.1]
        """
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer, as in PyTorch.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
        >>> StepLR(opt, step_size=3).state_dict()["last_epoch"]
        0
        """
        return {k: (list(v) if isinstance(v, list) else v) for k, v in self.__dict__.items()
                if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict` (the optimizer's own state is restored separately)."""
        self.__dict__.update({k: (list(v) if isinstance(v, list) else v) for k, v in state_dict.items()})

    def __repr__(self) -> str:
        extra = ", ".join(f"{k}={v!r}" for k, v in self.state_dict().items()
                          if k not in ("base_lrs", "_last_lr", "last_epoch"))
        return f"{type(self).__name__}({extra}, last_epoch={self.last_epoch})"


def _positive_int(value: Any, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{where}: got {name}={value!r}; expected a positive integer")
    return value


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs: ``eta0 gamma ** (t // step_size)``.

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        Period of the decay, in epochs.
    gamma : float, optional
        Multiplicative factor (default 0.1).
    last_epoch : int, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = StepLR(opt, step_size=2, gamma=0.5)
    >>> rates = []
    >>> for _ in range(5):
    ...     rates.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> rates
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        self.step_size = _positive_int(step_size, "step_size", "StepLR")
        self.gamma = float(gamma)
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return self.gamma ** (epoch // self.step_size)

    _steps_on_resume = True

    def multiplier(self, epoch: int) -> float:
        return self.gamma if epoch % self.step_size == 0 else 1.0


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch: ``eta0 * gamma ** t``.

    The notes' exponential decay ``eta0 * c ** (t / s)`` is ``gamma = c ** (1 / s)``.

    Parameters
    ----------
    optimizer : Optimizer
    gamma : float
        Multiplicative factor per epoch.
    last_epoch : int, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ExponentialLR(opt, gamma=0.5)
    >>> opt.step(); sched.step(); opt.step(); sched.step(); sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = float(gamma)
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return self.gamma ** epoch

    def multiplier(self, epoch: int) -> float:
        return self.gamma


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing from ``eta0`` to ``eta_min`` over ``T_max`` epochs (SGDR without restarts).

    ``eta(t) = eta_min + (eta0 - eta_min) * (1 + cos(pi t / T_max)) / 2``; past ``T_max`` the cosine
    continues (the rate rises again), as in PyTorch.

    Parameters
    ----------
    optimizer : Optimizer
    T_max : int
        Half period, in epochs.
    eta_min : float, optional
        Minimum learning rate (default 0).
    last_epoch : int, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = CosineAnnealingLR(opt, T_max=2)
    >>> opt.step(); sched.step(); opt.step(); sched.step(); sched.get_last_lr()
    [0.0]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        self.T_max = _positive_int(T_max, "T_max", "CosineAnnealingLR")
        self.eta_min = float(eta_min)
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return (1.0 + math.cos(math.pi * epoch / self.T_max)) / 2.0

    def get_lr(self) -> list[float]:
        # The rate's distance above eta_min is what the cosine scales. Where the previous cosine factor
        # is 0 (the end of each half period), the rate restarts its rise from there by the first step's
        # amount, as in PyTorch.
        epoch, floor = self.last_epoch, self.eta_min
        groups = self.optimizer.param_groups
        if epoch == 0 or self._initial:
            return [group["lr"] for group in groups]
        if (epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            rise = (1.0 - math.cos(math.pi / self.T_max)) / 2.0
            return [group["lr"] + (base - floor) * rise for group, base in zip(groups, self.base_lrs)]
        ratio = self.factor(epoch) / self.factor(epoch - 1)
        return [floor + (group["lr"] - floor) * ratio for group in groups]


class LinearLR(LRScheduler):
    """Multiply the learning rate by a factor that moves linearly from ``start_factor`` to ``end_factor``.

    ``eta(t) = eta0 * (start + (end - start) * min(t, total_iters) / total_iters)``. With
    ``start_factor=1`` this is the notes' linear schedule with ``eta_K = end_factor * eta0`` and
    ``K = total_iters``.

    Parameters
    ----------
    optimizer : Optimizer
    start_factor : float, optional
        Factor at epoch 0, in (0, 1] (default 1/3).
    end_factor : float, optional
        Factor from epoch ``total_iters`` on, in [0, 1] (default 1).
    total_iters : int, optional
        Number of epochs of the ramp (default 5).
    last_epoch : int, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = LinearLR(opt, start_factor=1.0, end_factor=0.5, total_iters=2)
    >>> rates = []
    >>> for _ in range(4):
    ...     rates.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> rates
    [1.0, 0.75, 0.5, 0.5]
    """

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1) -> None:
        if not 0.0 < start_factor <= 1.0:
            raise ValueError(f"LinearLR: got start_factor={start_factor}; expected a value in (0, 1]")
        if not 0.0 <= end_factor <= 1.0:
            raise ValueError(f"LinearLR: got end_factor={end_factor}; expected a value in [0, 1]")
        self.start_factor = float(start_factor)
        self.end_factor = float(end_factor)
        self.total_iters = _positive_int(total_iters, "total_iters", "LinearLR")
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return self.start_factor + (self.end_factor - self.start_factor) * min(epoch, self.total_iters) / \
            self.total_iters

    def multiplier(self, epoch: int) -> float:
        if epoch > self.total_iters:
            return 1.0
        change = self.end_factor - self.start_factor
        return 1.0 + change / (self.total_iters * self.start_factor + (epoch - 1) * change)


class PowerLawLR(LRScheduler):
    """The course notes' power-law schedule ``eta(t) = eta0 * (1 + t / s) ** c`` (notes 001).

    ``s`` sets how fast the learning rate decreases and ``c < 0`` the shape of the decrease (usually
    ``c = -0.5``). Not in PyTorch; ``LambdaLR(opt, lambda t: (1 + t / s) ** c)`` there gives the same values.

    Parameters
    ----------
    optimizer : Optimizer
    s : float
        Scaling factor, ``s > 0`` (in epochs).
    c : float, optional
        Exponent (default -0.5); negative for a decay.
    last_epoch : int, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
    >>> sched = PowerLawLR(opt, s=2.0, c=-0.5)
    >>> for _ in range(6):
    ...     opt.step(); sched.step()
    >>> round(sched.get_last_lr()[0], 6)   # 0.1 * (1 + 6/2) ** -0.5
    0.05
    """

    def __init__(self, optimizer: Optimizer, s: float, c: float = -0.5, last_epoch: int = -1) -> None:
        if not (isinstance(s, (int, float)) and s > 0 and math.isfinite(s)):
            raise ValueError(f"PowerLawLR: got s={s!r}; expected a positive scale")
        self.s = float(s)
        self.c = float(c)
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return (1.0 + epoch / self.s) ** self.c
