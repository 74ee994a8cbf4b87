"""PyTorch's other activation modules: thin, stateless wrappers around :mod:`nn.functional`, with PyTorch's
constructor arguments and reprs.

As for :class:`~nn.layers.ReLU`, ``inplace=True`` is accepted (and shown in the repr, where PyTorch shows
it) but the output is always a new tensor: a layer's output is what the next layer uses, and chaingrad
records no in-place operation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor

from .. import functional as F
from ..module import Module

__all__ = ["SiLU", "Mish", "Hardtanh", "ReLU6", "SELU", "CELU", "Hardsigmoid", "Hardswish", "Threshold",
           "RReLU", "Softsign", "LogSigmoid", "Tanhshrink", "Hardshrink", "Softshrink", "Softmin", "GLU"]

_EMPTY = Tensor(np.zeros(0))


def _check(function: str, *arguments: Any) -> None:
    """Refuse bad arguments when a layer is built, with the function's own checks and errors: run it once
    on an empty tensor."""
    getattr(F, function)(_EMPTY, *arguments)


def _flag(value: Any, owner: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{owner}: got inplace={value!r}; expected True or False")
    return bool(value)


class _InPlaceFlag(Module):
    """An activation with PyTorch's ``inplace`` argument (accepted; the output is a new tensor)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = _flag(inplace, type(self).__name__)

    def _inplace_text(self) -> str:
        return ", inplace=True" if self.inplace else ""

    def extra_repr(self) -> str:
        return self._inplace_text()[2:]


class SiLU(_InPlaceFlag):
    """``x * sigmoid(x)``, also called swish.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import SiLU
    >>> SiLU()(tensor([0.0])).tolist()
    [0.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input)


class Mish(_InPlaceFlag):
    """``x * tanh(softplus(x))``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Mish
    >>> Mish()(tensor([0.0])).tolist()
    [0.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.mish(input)


class ReLU6(_InPlaceFlag):
    """``min(max(x, 0), 6)``; the derivative is 0 at 0 and 6.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import ReLU6
    >>> ReLU6()(tensor([-1.0, 8.0])).tolist()
    [0.0, 6.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.relu6(input)


class SELU(_InPlaceFlag):
    """Scaled ELU with PyTorch's constants (alpha = 1.6733, scale = 1.0507).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import SELU
    >>> round(SELU()(tensor([1.0])).item(), 4)
    1.0507
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.selu(input)


class Hardsigmoid(_InPlaceFlag):
    """``relu6(x + 3) / 6``. Its repr never shows ``inplace``, as PyTorch's does not.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Hardsigmoid
    >>> Hardsigmoid()(tensor([0.0, 3.0])).tolist()
    [0.5, 1.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.hardsigmoid(input)

    def extra_repr(self) -> str:
        return ""


class Hardswish(_InPlaceFlag):
    """``x * relu6(x + 3) / 6``. Its repr never shows ``inplace``, as PyTorch's does not.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Hardswish
    >>> Hardswish()(tensor([1.5, 4.0])).tolist()
    [1.125, 4.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.hardswish(input)

    def extra_repr(self) -> str:
        return ""


class Hardtanh(_InPlaceFlag):
    """``x`` clipped to ``[min_val, max_val]``; the derivative is 0 at the bounds.

    Raises
    ------
    ValueError
        If ``max_val <= min_val`` (PyTorch's layer asserts ``max_val > min_val``).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Hardtanh
    >>> Hardtanh(-2.0, 2.0)(tensor([-3.0, 1.0])).tolist()
    [-2.0, 1.0]
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        _check("hardtanh", min_val, max_val)
        if not max_val > min_val:
            raise ValueError(f"Hardtanh: got min_val={min_val}, max_val={max_val}; expected max_val > "
                             "min_val")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}{self._inplace_text()}"


class CELU(_InPlaceFlag):
    """x for x > 0, ``alpha * (exp(x / alpha) - 1)`` otherwise; ``alpha`` must not be 0.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import CELU
    >>> CELU(0.5)(tensor([2.0])).tolist()
    [2.0]
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        _check("celu", alpha)
        self.alpha = alpha

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{self._inplace_text()}"


class Threshold(_InPlaceFlag):
    """``x`` where ``x > threshold``, ``value`` elsewhere.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Threshold
    >>> Threshold(0.1, 20.0)(tensor([0.0, 1.0])).tolist()
    [20.0, 1.0]
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__(inplace)
        _check("threshold", threshold, value)
        self.threshold, self.value = threshold, value

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{self._inplace_text()}"


class RReLU(_InPlaceFlag):
    """Randomized leaky ReLU: in training mode each negative entry gets its own slope, drawn uniformly
    from ``[lower, upper]`` (seeded by ``autograd.manual_seed``); in eval mode the slope is
    ``(lower + upper) / 2``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import RReLU
    >>> RReLU(0.25, 0.75).eval()(tensor([-2.0, 3.0])).tolist()
    [-1.0, 3.0]
    """

    def __init__(self, lower: float = 1.0 / 8.0, upper: float = 1.0 / 3.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        _check("rrelu", lower, upper)
        self.lower, self.upper = lower, upper

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}{self._inplace_text()}"


class Softsign(Module):
    """``x / (1 + |x|)``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Softsign
    >>> Softsign()(tensor([1.0])).tolist()
    [0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softsign(input)


class LogSigmoid(Module):
    """``log(sigmoid(x))``, computed without overflow.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import LogSigmoid
    >>> round(LogSigmoid()(tensor([0.0])).item(), 4)
    -0.6931
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.logsigmoid(input)


class Tanhshrink(Module):
    """``x - tanh(x)``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Tanhshrink
    >>> Tanhshrink()(tensor([0.0])).tolist()
    [0.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.tanhshrink(input)


class _Shrink(Module):
    """Hardshrink and Softshrink: one argument, ``lambd``, shown bare in the repr as PyTorch shows it."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        _check(type(self).__name__.lower(), lambd)
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, type(self).__name__.lower())(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Hardshrink(_Shrink):
    """``x`` where ``|x| > lambd``, 0 elsewhere.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Hardshrink
    >>> Hardshrink()(tensor([-1.0, 0.25])).tolist()
    [-1.0, 0.0]
    """


class Softshrink(_Shrink):
    """``x`` moved ``lambd`` towards 0, and 0 where ``|x| <= lambd``; ``lambd`` must be finite and >= 0.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Softshrink
    >>> Softshrink()(tensor([-1.0, 0.25])).tolist()
    [-0.5, 0.0]
    """


def _dim(dim: Any, owner: str, optional: bool) -> Any:
    if dim is None and optional:
        return dim
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{owner}: got dim={dim!r}; expected an int" + (" or None" if optional else ""))
    return dim


class Softmin(Module):
    """softmax(-x) along ``dim``. Without it (``None``, the default) every call warns and uses dim 0 for
    0-, 1- and 3-D inputs, dim 1 otherwise, as :class:`~nn.layers.Softmax` (PyTorch's deprecated choice).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import Softmin
    >>> Softmin(dim=1)(tensor([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = _dim(dim, "Softmin", optional=True)

    def forward(self, input: Tensor) -> Tensor:
        return F.softmin(input, self.dim, _stacklevel=5)  # the warning names the caller's line

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class GLU(Module):
    """The gated linear unit ``a * sigmoid(b)`` of the halves of the input along ``dim``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn import GLU
    >>> GLU()(tensor([[1.0, 2.0, 0.0, 0.0]])).tolist()
    [[0.5, 1.0]]
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = _dim(dim, "GLU", optional=False)

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
