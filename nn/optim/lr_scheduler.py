"""Learning-rate schedules with PyTorch's names, arguments and semantics, and the course notes' power law
``eta0 (1 + t / s) ** c`` (:class:`PowerLawLR`).

Most schedules are a factor of the epoch counter ``t`` by which each parameter group's initial learning
rate ``eta0`` (saved in the group as ``'initial_lr'``) is multiplied: ``eta(t) = eta0 * factor(t)``.
:meth:`LRScheduler.step` advances ``t``; call it once per epoch (or per iteration, if the schedule counts
iterations), after ``optimizer.step()``. Constructing a scheduler sets ``t = 0`` and sets the learning
rates for epoch 0.

As in PyTorch, the multiplicative schedules (:class:`StepLR`, :class:`MultiStepLR`, :class:`ConstantLR`,
:class:`LinearLR`, :class:`ExponentialLR`, :class:`CosineAnnealingLR`, :class:`MultiplicativeLR`,
:class:`PowerLawLR`) multiply the group's *current* rate by ``factor(t) / factor(t - 1)`` at each step
rather than setting it to ``eta0 * factor(t)``. Alone, such a scheduler gives the closed form (to
rounding); but schedulers stepped together compose, each scaling what the others set
(:class:`ChainedScheduler` steps them as one), and a rate changed by hand (``group['lr'] = ...``) stays
changed and is scaled from there. :class:`LambdaLR`, :class:`CosineAnnealingWarmRestarts` and
:class:`OneCycleLR` set the rate from ``eta0`` (or from their own bounds) instead, overwriting what was
there; :class:`ReduceLROnPlateau` reduces the current rate when a measured metric stops improving, and
:class:`SequentialLR` hands the optimizer from one schedule to the next at given epochs.

The notes' three schedules (001, "Learning rate scheduling") map as follows:

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

import copy
import math
import numbers
import types
from bisect import bisect_right
from collections import Counter
from typing import Any, Callable, Iterable, Literal, Sequence, SupportsFloat, Union

from autograd.tensor import describe

from .optimizer import Optimizer

__all__ = [
    "LRScheduler", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "CosineAnnealingLR",
    "PowerLawLR", "LambdaLR", "MultiplicativeLR", "CosineAnnealingWarmRestarts", "OneCycleLR",
    "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler",
]

LRLambda = Union[Callable[[int], float], Sequence[Callable[[int], float]]]


# ---------------------------------------------------------------------------------------------- checks
def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _positive_int(value: Any, name: str, where: str) -> int:
    if not _is_int(value) or value <= 0:
        raise ValueError(f"{where}: got {name}={value!r}; expected a positive integer")
    return int(value)


def _real(value: Any, name: str, where: str, low: float | None = None, high: float | None = None,
          low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a float, if it is a finite real number within the given bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: got {name}={value!r} ({type(value).__name__}); expected a real number")
    value = float(value)
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if not math.isfinite(value) or below or above:
        if low is None and high is None:
            expected = "a finite real number"
        elif high is None:
            expected = f"a number {'>' if low_open else '>='} {low:g}"
        elif low is None:
            expected = f"a number {'<' if high_open else '<='} {high:g}"
        else:
            expected = (f"a value in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}")
        raise ValueError(f"{where}: got {name}={value!r}; expected {expected}")
    return value


def _check_optimizer(optimizer: Any, where: str) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{where}: got {type(optimizer).__name__}; expected an Optimizer")


def _check_last_epoch(last_epoch: Any, where: str) -> None:
    if not _is_int(last_epoch) or last_epoch < -1:
        raise ValueError(f"{where}: got last_epoch={last_epoch!r}; expected an integer >= -1 "
                         "(-1 starts the schedule, a later epoch resumes it)")


def _per_group(value: Any, name: str, where: str, optimizer: Optimizer, **bounds: Any) -> list[float]:
    """One real number per parameter group: ``value`` itself, or the list or tuple of them given."""
    count = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(f"{where}: got {len(value)} values of {name}; expected one per parameter "
                             f"group ({count})")
        return [_real(v, f"{name}[{i}]", where, **bounds) for i, v in enumerate(value)]
    return [_real(value, name, where, **bounds)] * count


def _lr_lambdas(lr_lambda: Any, optimizer: Optimizer, where: str) -> list[Callable[[int], float]]:
    count = len(optimizer.param_groups)
    if isinstance(lr_lambda, (list, tuple)):
        if len(lr_lambda) != count:
            raise ValueError(f"{where}: got {len(lr_lambda)} lr_lambdas; expected one per parameter group "
                             f"({count})")
        functions = list(lr_lambda)
    else:
        functions = [lr_lambda] * count
    for i, fn in enumerate(functions):
        if not callable(fn):
            at = f"lr_lambda[{i}]" if isinstance(lr_lambda, (list, tuple)) else "lr_lambda"
            raise TypeError(f"{where}: got {at} {describe(fn)}; expected a function of the "
                            "epoch (or a list of them, one per parameter group)")
    return functions


# ---------------------------------------------------------------------------------------------- base
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
    form; schedules that are not multiplicative override :meth:`get_lr`.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> class Halving(LRScheduler):
    ...     def factor(self, epoch):
    ...         return 0.5 ** epoch
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = Halving(opt)
    >>> opt.step(); sched.step(); sched.get_last_lr()
    [0.5]
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        name = type(self).__name__
        _check_optimizer(optimizer, name)
        _check_last_epoch(last_epoch, name)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"{name}: param 'initial_lr' is not specified in param_groups[{i}] "
                        "when resuming (last_epoch != -1)"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._last_lr: list[float] = []
        self._initial_step()

    _steps_on_resume = False
    """Whether the constructor's step scales a resumed rate too: in PyTorch, StepLR's, MultiStepLR's and
    ConstantLR's do; the other multiplicative schedules leave a resumed rate as it is."""

    def _initial_step(self) -> None:
        # The constructor's step (SequentialLR also makes its first schedule take one): when resuming
        # (last_epoch given), the groups already hold the rates to go on from.
        self._initial = True
        try:
            self.step()
        finally:
            self._initial = False

    def factor(self, epoch: int) -> float:
        """The multiplier of the initial learning rate at ``epoch``, for this scheduler alone."""
        raise NotImplementedError

    def multiplier(self, epoch: int) -> float:
        """What a step to ``epoch`` (>= 1) multiplies the current learning rate by."""
        before = self.factor(epoch - 1)
        if before == 0:  # nothing to scale: a factor that leaves 0 cannot be written as a ratio
            return 0.0 if self.factor(epoch) == 0 else math.nan
        return self.factor(epoch) / before

    def _closed_form(self, epoch: int) -> list[float]:
        """The rates at ``epoch`` from the initial ones, for this scheduler alone."""
        return [base * self.factor(epoch) for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        """The learning rates for the current epoch, one per parameter group, from the current ones."""
        epoch = self.last_epoch
        if epoch == 0:
            scale = self.factor(0)
        else:
            scale = 1.0 if self._initial and not self._steps_on_resume else self.multiplier(epoch)
        if math.isnan(scale):
            return self._closed_form(epoch)
        return [group["lr"] * scale for group in self.optimizer.param_groups]

    def step(self) -> None:
        """Advance the epoch counter and scale the learning rates of the optimizer's groups."""
        self.last_epoch += 1
        self._set_lrs(self.get_lr())

    def _set_lrs(self, lrs: list[float]) -> None:
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _restart(self) -> None:
        # What SequentialLR does at a milestone, as PyTorch's does: back to epoch 0, with the closed-form
        # rates there (from the initial rates, whatever the previous schedule left).
        self.last_epoch = 0
        self._set_lrs(self._closed_form(0))

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
        """Everything but the optimizer, as in PyTorch (copies: the dict stays valid as training goes on).

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
        >>> StepLR(opt, step_size=3).state_dict()["last_epoch"]
        0
        """
        return self._own_state()

    def _own_state(self, *leave_out: str) -> dict[str, Any]:
        skip = {"optimizer", *leave_out}
        return {k: copy.deepcopy(v) for k, v in self.__dict__.items() if k not in skip}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict` (the optimizer's own state is restored separately).

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
        >>> sched = StepLR(opt, step_size=3)
        >>> sched.load_state_dict({**sched.state_dict(), "last_epoch": 7}); sched.last_epoch
        7
        """
        self.__dict__.update({k: copy.deepcopy(v) for k, v in state_dict.items()})

    def __repr__(self) -> str:
        extra = "".join(f"{k}={v!r}, " for k, v in vars(self).items()
                        if not k.startswith("_") and k not in ("optimizer", "base_lrs", "last_epoch"))
        return f"{type(self).__name__}({extra}last_epoch={self.last_epoch})"


# ---------------------------------------------------------------------------------------------- factors
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
        self.gamma = _real(gamma, "gamma", "StepLR")
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return self.gamma ** (epoch // self.step_size)

    _steps_on_resume = True

    def multiplier(self, epoch: int) -> float:
        return self.gamma if epoch % self.step_size == 0 else 1.0


class MultiStepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` at each milestone epoch: ``eta0 gamma ** (milestones <= t)``.

    Parameters
    ----------
    optimizer : Optimizer
    milestones : iterable of int
        The epochs at which the rate decays. An epoch given ``n`` times multiplies by ``gamma ** n`` there.
    gamma : float, optional
        Multiplicative factor (default 0.1).
    last_epoch : int, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = MultiStepLR(opt, milestones=[1, 3], gamma=0.5)
    >>> rates = []
    >>> for _ in range(5):
    ...     rates.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> rates
    [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Iterable):
            raise TypeError(f"MultiStepLR: got milestones={milestones!r}; expected an iterable of epochs")
        values = list(milestones)
        if not all(_is_int(m) and m >= 0 for m in values):
            raise ValueError(f"MultiStepLR: got milestones={values!r}; expected non-negative integer epochs")
        # A count per epoch, as PyTorch keeps them: a repeated milestone decays once per repetition.
        self.milestones = Counter(int(m) for m in values)
        self.gamma = _real(gamma, "gamma", "MultiStepLR")
        super().__init__(optimizer, last_epoch)

    _steps_on_resume = True

    def factor(self, epoch: int) -> float:
        return self.gamma ** sum(count for m, count in self.milestones.items() if m <= epoch)

    def multiplier(self, epoch: int) -> float:
        return self.gamma ** self.milestones[epoch]


class ConstantLR(LRScheduler):
    """Multiply the learning rate by ``factor`` until epoch ``total_iters``, then restore it.

    ``eta(t) = eta0 * factor`` for ``t < total_iters`` and ``eta0`` from then on.

    Parameters
    ----------
    optimizer : Optimizer
    factor : float, optional
        The multiplier of the first epochs, in [0, 1] (default 1/3).
    total_iters : int, optional
        The number of epochs it applies to (default 5).
    last_epoch : int, optional

    Notes
    -----
    With ``factor=0`` PyTorch fails at ``total_iters`` (it divides by the factor); here the rate goes
    back to ``eta0`` there.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ConstantLR(opt, factor=0.5, total_iters=2)
    >>> rates = []
    >>> for _ in range(4):
    ...     rates.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> rates
    [0.5, 0.5, 1.0, 1.0]
    """

    # ``factor`` is the multiplier itself here (PyTorch's name), so this class overrides every use of the
    # base class's factor(epoch).
    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1) -> None:
        self.factor = _real(factor, "factor", "ConstantLR", low=0.0, high=1.0)  # type: ignore[assignment]
        self.total_iters = _positive_int(total_iters, "total_iters", "ConstantLR")
        super().__init__(optimizer, last_epoch)

    _steps_on_resume = True

    def _closed_form(self, epoch: int) -> list[float]:
        scale = self.factor if epoch < self.total_iters else 1.0
        return [base * scale for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in groups]
        if self.last_epoch != self.total_iters:
            return [group["lr"] for group in groups]
        if self.factor == 0:
            return self._closed_form(self.last_epoch)
        return [group["lr"] / self.factor for group in groups]


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
        self.gamma = _real(gamma, "gamma", "ExponentialLR")
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
        self.eta_min = _real(eta_min, "eta_min", "CosineAnnealingLR")
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return (1.0 + math.cos(math.pi * epoch / self.T_max)) / 2.0

    def _closed_form(self, epoch: int) -> list[float]:
        return [self.eta_min + (base - self.eta_min) * self.factor(epoch) for base in self.base_lrs]

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
        self.start_factor = _real(start_factor, "start_factor", "LinearLR", low=0.0, high=1.0, low_open=True)
        self.end_factor = _real(end_factor, "end_factor", "LinearLR", low=0.0, high=1.0)
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
        if not (isinstance(s, numbers.Real) and not isinstance(s, bool) and s > 0 and math.isfinite(s)):
            raise ValueError(f"PowerLawLR: got s={s!r}; expected a positive scale")
        self.s = float(s)
        self.c = _real(c, "c", "PowerLawLR")
        super().__init__(optimizer, last_epoch)

    def factor(self, epoch: int) -> float:
        return (1.0 + epoch / self.s) ** self.c


# ---------------------------------------------------------------------------------------------- functions
class _FunctionsOfTheEpoch(LRScheduler):
    """The state of LambdaLR and MultiplicativeLR, whose functions a state dict cannot hold."""

    lr_lambdas: list[Callable[[int], float]]

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer; of each function, only a callable object's attributes.

        As in PyTorch, a plain function or lambda is saved as ``None`` (the scheduler built to load the
        state gives it again); of a callable object, its ``__dict__`` is saved, to be restored into the
        object of the loading scheduler.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
        >>> LambdaLR(opt, lambda epoch: 0.9 ** epoch).state_dict()["lr_lambdas"]
        [None]
        """
        state = self._own_state("lr_lambdas")
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) or not hasattr(fn, "__dict__")
            else copy.deepcopy(vars(fn)) for fn in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`: the callable objects' attributes are updated in place.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
        >>> sched = LambdaLR(opt, lambda epoch: 0.9 ** epoch)
        >>> sched.load_state_dict({**sched.state_dict(), "last_epoch": 4}); sched.last_epoch
        4
        """
        name = type(self).__name__
        saved = state_dict.get("lr_lambdas", [None] * len(self.lr_lambdas))
        if len(saved) != len(self.lr_lambdas):
            raise ValueError(f"{name}.load_state_dict: got {len(saved)} lr_lambdas in the state; expected "
                             f"{len(self.lr_lambdas)} (one per parameter group)")
        for i, (fn, attributes) in enumerate(zip(self.lr_lambdas, saved)):
            if attributes is not None and not hasattr(fn, "__dict__"):
                raise TypeError(f"{name}.load_state_dict: the state has attributes for lr_lambdas[{i}], "
                                f"a {type(fn).__name__} that holds none")
        self.__dict__.update({k: copy.deepcopy(v) for k, v in state_dict.items() if k != "lr_lambdas"})
        for fn, attributes in zip(self.lr_lambdas, saved):
            if attributes is not None:
                vars(fn).update(copy.deepcopy(attributes))


class LambdaLR(_FunctionsOfTheEpoch):
    """Set the learning rate to the initial one times a function of the epoch: ``eta0 * lr_lambda(t)``.

    The rate is set, not scaled: a rate left by another scheduler or set by hand is overwritten.

    Parameters
    ----------
    optimizer : Optimizer
    lr_lambda : callable or list of callables
        ``f(epoch) -> factor``, or one such function per parameter group.
    last_epoch : int, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = LambdaLR(opt, lambda epoch: 1 / (epoch + 1))
    >>> rates = []
    >>> for _ in range(4):
    ...     rates.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> rates
    [1.0, 0.5, 0.3333333333333333, 0.25]
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: LRLambda, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer, "LambdaLR")
        self.lr_lambdas = _lr_lambdas(lr_lambda, optimizer, "LambdaLR")
        super().__init__(optimizer, last_epoch)

    def _closed_form(self, epoch: int) -> list[float]:
        return [base * fn(epoch) for fn, base in zip(self.lr_lambdas, self.base_lrs)]

    def get_lr(self) -> list[float]:
        return self._closed_form(self.last_epoch)


class MultiplicativeLR(_FunctionsOfTheEpoch):
    """Multiply the learning rate by a function of the epoch at each step: ``eta(t) = eta(t-1) * f(t)``.

    Parameters
    ----------
    optimizer : Optimizer
    lr_lambda : callable or list of callables
        ``f(epoch) -> factor``, or one such function per parameter group. It is not applied at epoch 0.
    last_epoch : int, optional

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = MultiplicativeLR(opt, lambda epoch: 0.5)
    >>> rates = []
    >>> for _ in range(4):
    ...     rates.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> rates
    [1.0, 0.5, 0.25, 0.125]
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: LRLambda, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer, "MultiplicativeLR")
        self.lr_lambdas = _lr_lambdas(lr_lambda, optimizer, "MultiplicativeLR")
        super().__init__(optimizer, last_epoch)

    def _scaled(self) -> list[float]:
        return [group["lr"] * fn(self.last_epoch)
                for fn, group in zip(self.lr_lambdas, self.optimizer.param_groups)]

    def get_lr(self) -> list[float]:
        if self._initial:
            return [group["lr"] for group in self.optimizer.param_groups]
        return self._scaled()

    def _restart(self) -> None:
        # The product of the factors has no closed form: PyTorch's SequentialLR scales the rate the
        # previous schedule left by f(0).
        self.last_epoch = 0
        self._set_lrs(self._scaled())


# ---------------------------------------------------------------------------------------------- restarts
class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing with warm restarts (SGDR): from ``eta0`` to ``eta_min`` over ``T_i`` epochs, then
    back to ``eta0``, each period ``T_mult`` times longer than the last (``T_0`` the first).

    ``eta = eta_min + (eta0 - eta_min) * (1 + cos(pi T_cur / T_i)) / 2``, with ``T_cur`` the epochs since
    the last restart.

    Parameters
    ----------
    optimizer : Optimizer
    T_0 : int
        Length of the first period, in epochs (or iterations).
    T_mult : int, optional
        Growth factor of the period at each restart, >= 1 (default 1).
    eta_min : float, optional
        Minimum learning rate (default 0).
    last_epoch : int, optional

    Notes
    -----
    :meth:`step` also takes the epoch, which may be fractional, to step within an epoch:
    ``sched.step(epoch + i / iters_per_epoch)``, as in PyTorch. There the period holding an epoch past
    the first restart comes from a floating-point logarithm, which can be one period short at an exact
    restart (``T_0=1, T_mult=10, epoch=111`` gives the end of the second period, ``eta_min``); here it
    comes from whole-number sums, and ``epoch=111`` starts the third period (``eta0``).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
    >>> rates = []
    >>> for _ in range(7):
    ...     rates.append(round(sched.get_last_lr()[0], 4)); opt.step(); sched.step()
    >>> rates
    [1.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 1.0]
    """

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        where = "CosineAnnealingWarmRestarts"
        self.T_0 = _positive_int(T_0, "T_0", where)
        if not _is_int(T_mult) or T_mult < 1:
            raise ValueError(f"{where}: got T_mult={T_mult!r}; expected an integer >= 1")
        self.T_i = self.T_0
        self.T_mult = int(T_mult)
        self.eta_min = _real(eta_min, "eta_min", where)
        _check_last_epoch(last_epoch, where)
        # As in PyTorch, a resumed schedule counts from the resumed epoch within the first period's
        # length (its T_i is not recomputed).
        self.T_cur: float = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        shape = (1.0 + math.cos(math.pi * self.T_cur / self.T_i)) / 2.0
        return [self.eta_min + (base - self.eta_min) * shape for base in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:
        """Advance one epoch, or go to ``epoch`` (fractional for a step within an epoch), and set the rates.

        Parameters
        ----------
        epoch : float, optional
            The epoch to go to (>= 0); by default the next one.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = CosineAnnealingWarmRestarts(opt, T_0=4)
        >>> sched.step(2.0); sched.get_last_lr(), sched.T_cur
        ([0.5], 2.0)
        """
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
            self.last_epoch += 1
        else:
            checked = _real(epoch, "epoch", "CosineAnnealingWarmRestarts.step", low=0.0)
            if not _is_int(epoch):
                epoch = checked
            self._go_to(epoch)
            self.last_epoch = math.floor(epoch)
        self._set_lrs(self.get_lr())

    def _go_to(self, epoch: float) -> None:
        if epoch < self.T_0:
            self.T_i, self.T_cur = self.T_0, epoch
        elif self.T_mult == 1:
            self.T_cur = epoch % self.T_0
        else:
            start, length = 0, self.T_0
            while epoch >= start + length:
                start, length = start + length, length * self.T_mult
            self.T_i, self.T_cur = length, epoch - start

    def _restart(self) -> None:
        self._go_to(0)
        self.last_epoch = 0
        self._set_lrs(self.get_lr())


# ---------------------------------------------------------------------------------------------- one cycle
class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith & Topin, "Super-Convergence"): the rate rises from ``max_lr / div_factor``
    to ``max_lr`` over the first ``pct_start`` of ``total_steps`` steps, then falls to
    ``max_lr / div_factor / final_div_factor``; the momentum moves the opposite way.

    Meant to be stepped after every batch. The rates are set from the group's bounds (saved in it as
    ``'initial_lr'``, ``'max_lr'`` and ``'min_lr'``), overwriting what was there, as in PyTorch.

    Parameters
    ----------
    optimizer : Optimizer
    max_lr : float or list of float
        The peak learning rate, or one per parameter group.
    total_steps : int, optional
        The number of steps of the cycle; if not given, ``epochs * steps_per_epoch``.
    epochs, steps_per_epoch : int, optional
        Give the number of steps when ``total_steps`` is not given.
    pct_start : float, optional
        The fraction of the steps spent raising the rate, in [0, 1] (default 0.3).
    anneal_strategy : {'cos', 'linear'}, optional
        How each phase moves between its ends: along a half cosine (default) or a straight line.
    cycle_momentum : bool, optional
        Move the momentum (SGD's and RMSprop's ``momentum``, Adam's ``beta1``) between ``max_momentum``
        (at the start and end) and ``base_momentum`` (at the peak rate) (default True).
    base_momentum, max_momentum : float or list of float, optional
        The momentum bounds (defaults 0.85 and 0.95), or one of each per parameter group.
    div_factor : float, optional
        ``initial_lr = max_lr / div_factor`` (default 25).
    final_div_factor : float, optional
        ``min_lr = initial_lr / final_div_factor`` (default 1e4).
    three_phase : bool, optional
        Fall back to ``initial_lr`` as fast as the rate rose, then to ``min_lr`` over the remaining steps
        (the paper's schedule), instead of falling from ``max_lr`` to ``min_lr`` at once (default False).
    last_epoch : int, optional
        The number of steps taken, when resuming (the groups must hold the saved bounds then).

    Raises
    ------
    ValueError
        From :meth:`step`, when it would go past step ``total_steps``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
    >>> sched = OneCycleLR(opt, max_lr=1.0, total_steps=4, pct_start=0.5, anneal_strategy="linear")
    >>> rates, momenta = [], []
    >>> for _ in range(4):
    ...     rates.append(round(sched.get_last_lr()[0], 6))
    ...     momenta.append(round(opt.param_groups[0]["momentum"], 6))
    ...     opt.step(); sched.step()
    >>> rates, momenta
    ([0.04, 1.0, 0.500002, 4e-06], [0.95, 0.85, 0.9, 0.95])
    """

    def __init__(self, optimizer: Optimizer, max_lr: float | list[float], total_steps: int | None = None,
                 epochs: int | None = None, steps_per_epoch: int | None = None, pct_start: float = 0.3,
                 anneal_strategy: Literal["cos", "linear"] = "cos", cycle_momentum: bool = True,
                 base_momentum: float | list[float] = 0.85, max_momentum: float | list[float] = 0.95,
                 div_factor: float = 25.0, final_div_factor: float = 1e4, three_phase: bool = False,
                 last_epoch: int = -1) -> None:
        where = "OneCycleLR"
        _check_optimizer(optimizer, where)
        _check_last_epoch(last_epoch, where)
        if total_steps is not None:
            self.total_steps = _positive_int(total_steps, "total_steps", where)
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = _positive_int(epochs, "epochs", where) * \
                _positive_int(steps_per_epoch, "steps_per_epoch", where)
        else:
            raise ValueError(f"{where}: got total_steps=None, epochs={epochs!r}, steps_per_epoch="
                             f"{steps_per_epoch!r}; expected total_steps, or both epochs and steps_per_epoch")
        pct_start = _real(pct_start, "pct_start", where, low=0.0, high=1.0)
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"{where}: got anneal_strategy={anneal_strategy!r}; expected 'cos' or 'linear'")
        max_lrs = _per_group(max_lr, "max_lr", where, optimizer, low=0.0)
        div_factor = _real(div_factor, "div_factor", where, low=0.0, low_open=True)
        final_div_factor = _real(final_div_factor, "final_div_factor", where, low=0.0, low_open=True)
        self.cycle_momentum = bool(cycle_momentum)
        if self.cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(f"{where}: got cycle_momentum=True with {type(optimizer).__name__}, which "
                                 "has no momentum; expected an optimizer with 'momentum' or 'betas' (or "
                                 "cycle_momentum=False)")
            self.use_beta1 = "betas" in optimizer.defaults
            max_momenta = _per_group(max_momentum, "max_momentum", where, optimizer, low=0.0)
            base_momenta = _per_group(base_momentum, "base_momentum", where, optimizer, low=0.0)

        # Each phase ends at a (possibly fractional) step and moves the group's values named here from
        # the start to the end of the phase, each phase starting where the previous one ended.
        rise_end = float(pct_start * self.total_steps) - 1
        rise = {"end_step": rise_end, "start_lr": "initial_lr", "end_lr": "max_lr",
                "start_momentum": "max_momentum", "end_momentum": "base_momentum"}
        last = float(self.total_steps - 1)
        if three_phase:
            self._schedule_phases = [
                rise,
                {"end_step": float(2 * pct_start * self.total_steps) - 2, "start_lr": "max_lr",
                 "end_lr": "initial_lr", "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
                {"end_step": last, "start_lr": "initial_lr", "end_lr": "min_lr",
                 "start_momentum": "max_momentum", "end_momentum": "max_momentum"},
            ]
        else:
            self._schedule_phases = [
                rise,
                {"end_step": last, "start_lr": "max_lr", "end_lr": "min_lr",
                 "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
            ]
        self._anneal_func_type = anneal_strategy

        if last_epoch == -1:
            for group, peak in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = peak / div_factor
                group["max_lr"] = peak
                group["min_lr"] = group["initial_lr"] / final_div_factor
            if self.cycle_momentum:
                for group, top, bottom in zip(optimizer.param_groups, max_momenta, base_momenta):
                    self._set_momentum(group, top)
                    group["max_momentum"] = top
                    group["base_momentum"] = bottom
        else:
            keys = ["max_lr", "min_lr"] + (["max_momentum", "base_momentum"] if self.cycle_momentum else [])
            for i, group in enumerate(optimizer.param_groups):
                for key in keys:
                    if key not in group:
                        raise KeyError(f"{where}: param {key!r} is not specified in param_groups[{i}] when "
                                       "resuming (last_epoch != -1); load the optimizer's saved state first")
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group: dict[str, Any], value: float) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def _anneal(self, start: float, end: float, fraction: float) -> float:
        if self._anneal_func_type == "cos":
            return end + (start - end) * (1.0 + math.cos(math.pi * fraction)) / 2.0
        return start + (end - start) * fraction

    def _values(self, group: dict[str, Any], step: int) -> tuple[float, float | None]:
        """The learning rate and momentum of ``group`` at ``step``."""
        start = 0.0
        phases = self._schedule_phases
        for i, phase in enumerate(phases):
            end = phase["end_step"]
            if step <= end or i == len(phases) - 1:
                # A phase of no length (pct_start * total_steps == 1, say) is at its end: PyTorch divides
                # by zero there.
                fraction = (step - start) / (end - start) if end != start else 1.0
                lr = self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], fraction)
                momentum = None
                if self.cycle_momentum:
                    momentum = self._anneal(group[phase["start_momentum"]], group[phase["end_momentum"]],
                                            fraction)
                return lr, momentum
            start = end
        raise AssertionError("the last phase takes every later step")

    def get_lr(self) -> list[float]:
        return [self._values(group, self.last_epoch)[0] for group in self.optimizer.param_groups]

    def _set_momenta(self) -> None:
        if self.cycle_momentum:
            for group in self.optimizer.param_groups:
                self._set_momentum(group, self._values(group, self.last_epoch)[1])

    def step(self) -> None:
        """Advance one step and set the learning rates (and momenta) of the optimizer's groups.

        Raises
        ------
        ValueError
            When the step would go past ``total_steps`` (the scheduler is left as it was).

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import Adam
        >>> opt = Adam([tensor([1.0], requires_grad=True)])
        >>> sched = OneCycleLR(opt, max_lr=0.01, total_steps=10)
        >>> for _ in range(2):   # to the end of the rise: 0.3 * 10 - 1 = 2 steps
        ...     opt.step(); sched.step()
        >>> round(sched.get_last_lr()[0], 6), round(opt.param_groups[0]["betas"][0], 6)
        (0.01, 0.85)
        """
        if self.last_epoch + 1 > self.total_steps:
            raise ValueError(f"OneCycleLR: got step {self.last_epoch + 1}; expected at most total_steps="
                             f"{self.total_steps} steps (the cycle is over: start a new scheduler for "
                             "another one)")
        super().step()
        self._set_momenta()

    def _restart(self) -> None:
        self.last_epoch = 0
        self._set_lrs(self.get_lr())
        self._set_momenta()


# ---------------------------------------------------------------------------------------------- plateau
class ReduceLROnPlateau(LRScheduler):
    """Multiply the learning rate by ``factor`` when a metric has not improved for ``patience`` epochs.

    Call ``step(metric)`` once per epoch with the measured value (a validation loss, say). A value
    improves on the best so far when it beats it by more than the threshold: in ``'min'`` mode, when it is
    below ``best * (1 - threshold)`` (``threshold_mode='rel'``) or ``best - threshold`` (``'abs'``); in
    ``'max'`` mode, above ``best * (1 + threshold)`` or ``best + threshold``. After more than ``patience``
    epochs in a row without improvement, each group's rate becomes ``max(lr * factor, min_lr)`` (unless
    that changes it by ``eps`` or less), and the count starts again after ``cooldown`` epochs in which
    epochs without improvement are not counted.

    Parameters
    ----------
    optimizer : Optimizer
    mode : {'min', 'max'}, optional
        Whether the metric should decrease (default) or increase.
    factor : float, optional
        The multiplier of a reduction, in [0, 1) (default 0.1).
    patience : int, optional
        The number of epochs without improvement tolerated (default 10).
    threshold : float, optional
        The least improvement that counts, >= 0 (default 1e-4).
    threshold_mode : {'rel', 'abs'}, optional
        Whether ``threshold`` is relative to the best value (default) or absolute.
    cooldown : int, optional
        The number of epochs after a reduction in which bad epochs are not counted (default 0).
    min_lr : float or list of float, optional
        The least learning rate, or one per parameter group (default 0).
    eps : float, optional
        Reductions smaller than this are skipped (default 1e-8).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ReduceLROnPlateau(opt, factor=0.5, patience=1)
    >>> rates = []
    >>> for loss in [3.0, 2.0, 2.5, 2.5, 2.5, 1.0]:
    ...     opt.step(); sched.step(loss); rates.append(sched.get_last_lr()[0])
    >>> rates
    [1.0, 1.0, 1.0, 0.5, 0.5, 0.5]
    """

    def __init__(self, optimizer: Optimizer, mode: Literal["min", "max"] = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, threshold_mode: Literal["rel", "abs"] = "rel",
                 cooldown: int = 0, min_lr: list[float] | float = 0, eps: float = 1e-8) -> None:
        where = "ReduceLROnPlateau"
        _check_optimizer(optimizer, where)
        self.factor = _real(factor, "factor", where, low=0.0, high=1.0, high_open=True)  # type: ignore[assignment]
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            self.default_min_lr: float | None = None
            self.min_lrs = _per_group(min_lr, "min_lr", where, optimizer, low=0.0)
        else:
            self.default_min_lr = _real(min_lr, "min_lr", where, low=0.0)
            self.min_lrs = [self.default_min_lr] * len(optimizer.param_groups)
        if not _is_int(patience) or patience < 0:
            raise ValueError(f"{where}: got patience={patience!r}; expected a non-negative integer")
        if not _is_int(cooldown) or cooldown < 0:
            raise ValueError(f"{where}: got cooldown={cooldown!r}; expected a non-negative integer")
        self.patience = int(patience)
        self.cooldown = int(cooldown)
        self.eps = _real(eps, "eps", where, low=0.0)
        if mode not in ("min", "max"):
            raise ValueError(f"{where}: got mode={mode!r}; expected 'min' or 'max'")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"{where}: got threshold_mode={threshold_mode!r}; expected 'rel' or 'abs'")
        self.mode = mode
        self.threshold = _real(threshold, "threshold", where, low=0.0)
        self.threshold_mode = threshold_mode
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self) -> bool:
        """Whether the epochs without improvement are not being counted, after a reduction.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> sched = ReduceLROnPlateau(SGD([tensor([1.0], requires_grad=True)]), patience=0, cooldown=2)
        >>> sched.step(1.0); sched.step(2.0); sched.in_cooldown
        True
        """
        return self.cooldown_counter > 0

    def _is_better(self, value: float, best: float) -> bool:
        if self.mode == "min":
            bar = best * (1.0 - self.threshold) if self.threshold_mode == "rel" else best - self.threshold
            return value < bar
        bar = best * (1.0 + self.threshold) if self.threshold_mode == "rel" else best + self.threshold
        return value > bar

    def get_lr(self) -> list[float]:
        """Not defined: the rates follow the metrics given to :meth:`step` (see :meth:`get_last_lr`)."""
        raise NotImplementedError("ReduceLROnPlateau: the rates follow the metrics given to step(metrics); "
                                  "get_last_lr() gives the current ones")

    def step(self, metrics: SupportsFloat) -> None:  # type: ignore[override]
        """Take the metric measured this epoch and reduce the rates if it has stopped improving.

        Parameters
        ----------
        metrics : float
            The metric: a number, or a one-element tensor or array.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = ReduceLROnPlateau(opt, mode="max", patience=0)
        >>> sched.step(tensor(0.5)); sched.step(tensor(0.4)); sched.get_last_lr()
        [0.1]
        """
        try:
            current = float(metrics)
        except (TypeError, ValueError):
            raise TypeError(f"ReduceLROnPlateau.step: got metrics {describe(metrics)}; "
                            "expected a number or a one-element tensor") from None
        self.last_epoch += 1
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # epochs right after a reduction do not count towards the next one
        if self.num_bad_epochs > self.patience:
            self._reduce()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _reduce(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            # A group added after construction: a single min_lr covers it, a list cannot say.
            if self.default_min_lr is None:
                raise RuntimeError(f"ReduceLROnPlateau: the optimizer has {len(groups)} parameter groups, "
                                   f"min_lr gave {len(self.min_lrs)}; set the min_lrs attribute to one "
                                   "value per group")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, floor in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, floor)
            if old - new > self.eps:
                group["lr"] = new

    def __repr__(self) -> str:
        return (f"ReduceLROnPlateau(mode={self.mode!r}, factor={self.factor}, patience={self.patience}, "
                f"threshold={self.threshold}, threshold_mode={self.threshold_mode!r}, "
                f"cooldown={self.cooldown}, min_lr={self.min_lrs}, eps={self.eps})")


# ---------------------------------------------------------------------------------------------- composites
def _checked_schedulers(schedulers: Any, optimizer: Optimizer | None, where: str,
                        composites: bool) -> tuple[list[LRScheduler], Optimizer]:
    """The schedulers given to SequentialLR or ChainedScheduler, and the optimizer they all schedule."""
    if isinstance(schedulers, (str, bytes, LRScheduler)) or not isinstance(schedulers, Iterable):
        raise TypeError(f"{where}: got schedulers {describe(schedulers)}; expected a list of "
                        "schedulers")
    found = list(schedulers)
    if not found:
        raise ValueError(f"{where}: got no schedulers; expected at least one")
    for i, sched in enumerate(found):
        kind = type(sched).__name__
        if not isinstance(sched, LRScheduler):
            raise TypeError(f"{where}: got a {kind} at index {i}; expected a learning-rate scheduler")
        if isinstance(sched, ReduceLROnPlateau):
            raise ValueError(f"{where}: got a ReduceLROnPlateau at index {i}; expected schedulers stepped "
                             "without arguments (ReduceLROnPlateau's step takes the metric)")
        if not composites and isinstance(sched, (SequentialLR, ChainedScheduler)):
            raise ValueError(f"{where}: got a {kind} at index {i}; expected single schedules (a "
                             f"SequentialLR restarts each at its milestone, which a {kind} cannot do)")
        if optimizer is None:
            optimizer = sched.optimizer
        if sched.optimizer is not optimizer:
            raise ValueError(f"{where}: got a {kind} at index {i} that schedules another optimizer; expected "
                             f"every scheduler to schedule the same {type(optimizer).__name__}")
    assert optimizer is not None
    return found, optimizer


class _Composite(LRScheduler):
    """The state of SequentialLR and ChainedScheduler: their own, and each scheduler's."""

    _schedulers: list[LRScheduler]

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer, with each scheduler's state dict under ``'_schedulers'``.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
        >>> sched = ChainedScheduler([ExponentialLR(opt, 0.9), StepLR(opt, 2)])
        >>> [s["last_epoch"] for s in sched.state_dict()["_schedulers"]]
        [0, 0]
        """
        state = self._own_state("_schedulers")
        state["_schedulers"] = [sched.state_dict() for sched in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`, each scheduler's included.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=0.1)
        >>> sched = ChainedScheduler([ExponentialLR(opt, 0.9), StepLR(opt, 2)])
        >>> saved = sched.state_dict(); saved["_schedulers"][1]["last_epoch"] = 5
        >>> sched.load_state_dict(saved); sched._schedulers[1].last_epoch
        5
        """
        saved = state_dict["_schedulers"]
        if len(saved) != len(self._schedulers):
            raise ValueError(f"{type(self).__name__}.load_state_dict: got the states of {len(saved)} "
                             f"schedulers; expected {len(self._schedulers)}")
        self.__dict__.update({k: copy.deepcopy(v) for k, v in state_dict.items() if k != "_schedulers"})
        for sched, state in zip(self._schedulers, saved):
            sched.load_state_dict(state)


class SequentialLR(_Composite):
    """Follow one schedule after another: ``schedulers[i]`` from epoch ``milestones[i - 1]`` on.

    At each milestone the next scheduler starts from its own epoch 0, from the initial learning rates
    (what the previous one left is dropped; a MultiplicativeLR scales it instead, as in PyTorch).

    Parameters
    ----------
    optimizer : Optimizer
    schedulers : list of LRScheduler
        The schedules, created on ``optimizer`` (their constructors' changes to the rates are undone).
        ReduceLROnPlateau, ChainedScheduler and SequentialLR cannot be among them.
    milestones : list of int
        The epochs at which each next schedule starts: one fewer than the schedulers, non-decreasing.
    last_epoch : int, optional

    Examples
    --------
    Three epochs of linear warm-up, then an exponential decay:

    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> warmup = LinearLR(opt, start_factor=0.25, total_iters=3)
    >>> decay = ExponentialLR(opt, gamma=0.5)
    >>> sched = SequentialLR(opt, [warmup, decay], milestones=[3])
    >>> rates = []
    >>> for _ in range(6):
    ...     rates.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> rates
    [0.25, 0.5, 0.75, 1.0, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, schedulers: list[LRScheduler], milestones: list[int],
                 last_epoch: int = -1) -> None:
        where = "SequentialLR"
        _check_optimizer(optimizer, where)
        _check_last_epoch(last_epoch, where)
        found, _ = _checked_schedulers(schedulers, optimizer, where, composites=False)
        if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Iterable):
            raise TypeError(f"{where}: got milestones={milestones!r}; expected a list of epochs")
        points = list(milestones)
        if len(points) != len(found) - 1:
            raise ValueError(f"{where}: got {len(points)} milestones for {len(found)} schedulers; expected "
                             f"{len(found) - 1} (one fewer than the schedulers)")
        if not all(_is_int(m) and m >= 0 for m in points) or any(a > b for a, b in zip(points, points[1:])):
            raise ValueError(f"{where}: got milestones={points!r}; expected non-decreasing non-negative "
                             "integer epochs")
        self._schedulers = found
        self._milestones = [int(m) for m in points]
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        # The schedulers' constructors each took a step to epoch 0: undo them and let only the first
        # schedule take its own, from the initial rates, as PyTorch does.
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for sched in found:
            sched.last_epoch -= 1
        first = found[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self) -> None:
        """Advance one epoch: step the current schedule, or start the next one at its milestone.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = SequentialLR(opt, [ConstantLR(opt, 0.1, 10), StepLR(opt, 1, 0.5)], milestones=[1])
        >>> opt.step(); sched.step(); sched.get_last_lr()
        [1.0]
        """
        epoch = self.last_epoch + 1
        index = bisect_right(self._milestones, epoch)
        sched = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == epoch:
            sched._restart()
        else:
            sched.step()
        self.last_epoch = epoch
        self._last_lr = sched.get_last_lr()

    def __repr__(self) -> str:
        return (f"SequentialLR(schedulers={self._schedulers!r}, milestones={self._milestones}, "
                f"last_epoch={self.last_epoch})")


class ChainedScheduler(_Composite):
    """Step several schedulers together, each scaling the rates the previous ones set.

    Parameters
    ----------
    schedulers : sequence of LRScheduler
        The schedulers, all created on the same optimizer (ReduceLROnPlateau cannot be among them).
    optimizer : Optimizer, optional
        That optimizer (by default the first scheduler's).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.optim import SGD
    >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
    >>> sched = ChainedScheduler([ConstantLR(opt, factor=0.5, total_iters=2), ExponentialLR(opt, 0.5)])
    >>> rates = []
    >>> for _ in range(4):
    ...     rates.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> rates
    [0.5, 0.25, 0.25, 0.125]
    """

    def __init__(self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None) -> None:
        where = "ChainedScheduler"
        if optimizer is not None:
            _check_optimizer(optimizer, where)
        self._schedulers, self.optimizer = _checked_schedulers(schedulers, optimizer, where, composites=True)
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def step(self) -> None:
        """Step every scheduler, in order.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> opt = SGD([tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = ChainedScheduler([StepLR(opt, 1, 0.5), ExponentialLR(opt, 0.5)])
        >>> opt.step(); sched.step(); sched.get_last_lr()
        [0.25]
        """
        for sched in self._schedulers:
            sched.step()
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def __repr__(self) -> str:
        return f"ChainedScheduler({self._schedulers!r})"
