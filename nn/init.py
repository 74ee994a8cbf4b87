"""Weight initialisation, in place, with PyTorch's names, formulas and defaults.

Every function fills the array of a :class:`~nn.module.Parameter` (or any Tensor, or a numpy array) in
place and returns its argument. Random numbers come from ``autograd.default_generator()``, so
``autograd.manual_seed(s)`` makes initialisation reproducible.

Fans are computed as in PyTorch: for a weight of shape ``(out, in, *kernel)`` (a Linear weight
``(out_features, in_features)`` or a convolution weight ``(out_channels, in_channels, kh, kw)``),
``fan_in = in * prod(kernel)`` and ``fan_out = out * prod(kernel)``.

The recipes:

========================  ====================================================================
``xavier_uniform_``       U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio's
                          "normalised" initialisation; source 001 L456 prints it wrongly, the
                          right bound is sqrt(6) / sqrt(N + M))
``xavier_normal_``        N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))
``kaiming_uniform_``      U(-b, b), b = gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a)
``kaiming_normal_``       N(0, std^2), std = gain / sqrt(fan) (He et al.)
``uniform_fan_in_``       U(-1 / fan_in, 1 / fan_in) (the "uniform(-1/n, 1/n)" recipe of the sources)
========================  ====================================================================

Examples
--------
>>> import autograd
>>> from nn import init
>>> from nn.module import Parameter
>>> _ = autograd.manual_seed(0)
>>> w = init.kaiming_uniform_(Parameter(autograd.zeros(64, 32)), nonlinearity="relu")
>>> bool(abs(w.numpy()).max() <= (6 / 32) ** 0.5)
True
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

import numpy as np

import autograd
from autograd.modifications import record_change
from autograd.tensor import Tensor

__all__ = [
    "calculate_gain", "uniform_", "normal_", "zeros_", "ones_", "constant_", "xavier_uniform_",
    "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "uniform_fan_in_",
]

T = TypeVar("T", Tensor, np.ndarray)

_LINEAR_FNS = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
               "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for an activation (PyTorch's table).

    - linear, identity, conv*, sigmoid: 1
    - tanh: 5 / 3
    - relu: sqrt(2)
    - leaky_relu: sqrt(2 / (1 + negative_slope ** 2)), the slope is ``param`` (default 0.01)
    - selu: 3 / 4

    Examples
    --------
    >>> from nn.init import calculate_gain
    >>> round(calculate_gain("relu"), 4), round(calculate_gain("tanh"), 4)
    (1.4142, 1.6667)
    """
    if nonlinearity in _LINEAR_FNS:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(f"calculate_gain: got negative_slope={param!r}; expected a number")
        return math.sqrt(2.0 / (1.0 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(
        f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; expected one of "
        f"{', '.join(_LINEAR_FNS + ('tanh', 'relu', 'leaky_relu', 'selu'))}"
    )


def _array(t: Any, where: str) -> np.ndarray:
    arr = t.data if isinstance(t, Tensor) else t
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"{where}: got {type(t).__name__}; expected a Parameter, Tensor or numpy array")
    if arr.dtype.kind != "f":
        raise TypeError(f"{where}: got an array of dtype {arr.dtype}; expected floating point")
    if not arr.flags.writeable:
        raise ValueError(f"{where}: the array is read-only; cannot initialise it in place")
    return arr


def _fill(t: T, values: Any, where: str) -> T:
    arr = _array(t, where)
    record_change(arr, where)
    arr[...] = values
    return t


def _calculate_fan_in_and_fan_out(t: Any, where: str = "init") -> tuple[int, int]:
    shape = (t.data if isinstance(t, Tensor) else np.asarray(t)).shape
    if len(shape) < 2:
        raise ValueError(
            f"{where}: fan in and fan out need a weight with at least 2 dimensions (out, in, *kernel); "
            f"got shape {shape}"
        )
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _fan(t: Any, mode: str, where: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{where}: got mode={mode!r}; expected 'fan_in' or 'fan_out'")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(t, where)
    fan = fan_in if mode == "fan_in" else fan_out
    if fan == 0:
        raise ValueError(f"{where}: cannot initialise a tensor with zero elements (fan is 0)")
    return fan


def _rng() -> np.random.Generator:
    # looked up on every call: manual_seed replaces the generator object
    return autograd.default_generator()


def uniform_(t: T, a: float = 0.0, b: float = 1.0) -> T:
    """Fill with samples of U(a, b).

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import uniform_
    >>> w = uniform_(zeros(100), -0.1, 0.1)
    >>> bool((abs(w.numpy()) <= 0.1).all())
    True
    """
    if not a <= b:
        raise ValueError(f"uniform_: got a={a} > b={b}; expected a <= b")
    arr = _array(t, "uniform_")
    return _fill(t, _rng().uniform(a, b, arr.shape), "uniform_")


def normal_(t: T, mean: float = 0.0, std: float = 1.0) -> T:
    """Fill with samples of N(mean, std^2).

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import normal_
    >>> normal_(zeros(3, 2), std=0.01).shape
    (3, 2)
    """
    if std < 0:
        raise ValueError(f"normal_: got std={std}; expected std >= 0")
    arr = _array(t, "normal_")
    return _fill(t, _rng().normal(mean, std, arr.shape), "normal_")


def constant_(t: T, val: float) -> T:
    """Fill with ``val``.

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import constant_
    >>> constant_(zeros(2), 0.5).tolist()
    [0.5, 0.5]
    """
    return _fill(t, val, "constant_")


def zeros_(t: T) -> T:
    """Fill with 0.

    Examples
    --------
    >>> from autograd import ones
    >>> from nn.init import zeros_
    >>> zeros_(ones(2)).tolist()
    [0.0, 0.0]
    """
    return _fill(t, 0.0, "zeros_")


def ones_(t: T) -> T:
    """Fill with 1.

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import ones_
    >>> ones_(zeros(2)).tolist()
    [1.0, 1.0]
    """
    return _fill(t, 1.0, "ones_")


def xavier_uniform_(t: T, gain: float = 1.0) -> T:
    """Glorot/Xavier uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import xavier_uniform_
    >>> w = xavier_uniform_(zeros(30, 20))
    >>> bool(abs(w.numpy()).max() <= (6 / 50) ** 0.5)
    True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(t, "xavier_uniform_")
    if fan_in + fan_out == 0:
        raise ValueError("xavier_uniform_: cannot initialise a tensor with zero elements")
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -a, a)


def xavier_normal_(t: T, gain: float = 1.0) -> T:
    """Glorot/Xavier normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)).

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import xavier_normal_
    >>> xavier_normal_(zeros(4, 3)).shape
    (4, 3)
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(t, "xavier_normal_")
    if fan_in + fan_out == 0:
        raise ValueError("xavier_normal_: cannot initialise a tensor with zero elements")
    return normal_(t, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def kaiming_uniform_(t: T, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu") -> T:
    """He/Kaiming uniform: U(-b, b) with b = gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a).

    Parameters
    ----------
    t : Tensor or numpy.ndarray, at least 2-D
    a : float, optional
        Negative slope of the leaky ReLU that follows (used when ``nonlinearity='leaky_relu'``).
        ``a=sqrt(5)`` is PyTorch's Linear default and gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    mode : {'fan_in', 'fan_out'}
        Preserve the variance of the forward pass (fan_in) or of the backward pass (fan_out).
    nonlinearity : str, optional

    Examples
    --------
    >>> import math
    >>> from autograd import zeros
    >>> from nn.init import kaiming_uniform_
    >>> w = kaiming_uniform_(zeros(10, 16), a=math.sqrt(5))
    >>> bool(abs(w.numpy()).max() <= 1 / 4)
    True
    """
    fan = _fan(t, mode, "kaiming_uniform_")
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return uniform_(t, -bound, bound)


def kaiming_normal_(t: T, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu") -> T:
    """He/Kaiming normal: N(0, std^2) with std = gain / sqrt(fan).

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import kaiming_normal_
    >>> kaiming_normal_(zeros(8, 4, 3, 3), mode="fan_out", nonlinearity="relu").shape
    (8, 4, 3, 3)
    """
    fan = _fan(t, mode, "kaiming_normal_")
    return normal_(t, 0.0, calculate_gain(nonlinearity, a) / math.sqrt(fan))


def uniform_fan_in_(t: T, fan_in: int | None = None) -> T:
    """U(-1/fan_in, 1/fan_in): the "uniform(-1/n, 1/n)" recipe of the course notes.

    Parameters
    ----------
    t : Tensor or numpy.ndarray
    fan_in : int, optional
        Defaults to the weight's fan in (needs at least 2 dimensions); pass it for a bias vector.

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import uniform_fan_in_
    >>> w = uniform_fan_in_(zeros(5, 4))
    >>> bool(abs(w.numpy()).max() <= 0.25)
    True
    """
    if fan_in is None:
        fan_in = _fan(t, "fan_in", "uniform_fan_in_")
    if fan_in <= 0:
        raise ValueError(f"uniform_fan_in_: got fan_in={fan_in}; expected a positive int")
    return uniform_(t, -1.0 / fan_in, 1.0 / fan_in)
