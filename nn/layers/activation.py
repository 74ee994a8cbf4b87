"""Activation modules: thin, stateless wrappers around :mod:`nn.functional`."""

from __future__ import annotations

from autograd.tensor import Tensor

from .. import functional as F
from ..module import Module

__all__ = ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "ELU", "GELU", "Softplus", "Softmax", "LogSoftmax"]


class ReLU(Module):
    """max(x, 0) elementwise; the derivative at 0 is 0 (textbook 9.73).

    Parameters
    ----------
    inplace : bool, optional
        Accepted for PyTorch compatibility; the output is always a new tensor.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import ReLU
    >>> ReLU()(tensor([-1.0, 0.0, 2.0])).tolist()
    [0.0, 0.0, 2.0]
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = bool(inplace)

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x for x > 0, ``negative_slope * x`` otherwise (the sources use slopes 0.1 and 0.5).

    Parameters
    ----------
    negative_slope : float, optional
        Default 0.01; it is also the derivative at 0.
    inplace : bool, optional
        Accepted for PyTorch compatibility; the output is always a new tensor.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import LeakyReLU
    >>> LeakyReLU(0.5)(tensor([-2.0, 3.0])).tolist()
    [-1.0, 3.0]
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = float(negative_slope)
        self.inplace = bool(inplace)

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Sigmoid(Module):
    """The logistic function 1 / (1 + exp(-x)).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import Sigmoid
    >>> Sigmoid()(tensor([0.0])).tolist()
    [0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """The hyperbolic tangent.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import Tanh
    >>> Tanh()(tensor([0.0])).tolist()
    [0.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class ELU(Module):
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise.

    Parameters
    ----------
    alpha : float, optional
        Default 1.0.
    inplace : bool, optional
        Accepted for PyTorch compatibility; the output is always a new tensor.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import ELU
    >>> ELU()(tensor([2.0])).tolist()
    [2.0]
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = float(alpha)
        self.inplace = bool(inplace)

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """Gaussian error linear unit x * Phi(x).

    Parameters
    ----------
    approximate : {'none', 'tanh'}, optional
        'tanh' uses 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import GELU
    >>> round(GELU()(tensor([1.0])).item(), 4)
    0.8413
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: got approximate={approximate!r}; expected 'none' or 'tanh'")
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """``log(1 + exp(beta * x)) / beta``, linear where ``beta * x > threshold``.

    Parameters
    ----------
    beta : float, optional
        Default 1.0.
    threshold : float, optional
        Default 20.0.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import Softplus
    >>> round(Softplus()(tensor([0.0])).item(), 4)
    0.6931
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        if beta <= 0:
            raise ValueError(f"Softplus: got beta={beta}; expected beta > 0")
        self.beta = float(beta)
        self.threshold = float(threshold)

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Softmax(Module):
    """exp(x) / sum(exp(x)) along ``dim`` (max-subtracted, so stable for large inputs).

    Parameters
    ----------
    dim : int, optional
        The dimension that sums to 1. Without it (``None``, deprecated in PyTorch) every call issues a
        ``UserWarning`` and makes PyTorch's choice: dim 0 for 0-, 1- and 3-D inputs, dim 1 otherwise.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import Softmax
    >>> Softmax(dim=1)(tensor([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        # _stacklevel=5: the warning for a missing dim names the line that called this module
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """log(softmax(x)) along ``dim``, computed stably.

    Parameters
    ----------
    dim : int, optional
        As for :class:`Softmax`: without it every call warns and uses dim 0 for 0-, 1- and 3-D inputs,
        dim 1 otherwise (PyTorch's deprecated choice).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.layers import LogSoftmax
    >>> [round(v, 4) for v in LogSoftmax(dim=0)(tensor([0.0, 0.0])).tolist()]
    [-0.6931, -0.6931]
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
