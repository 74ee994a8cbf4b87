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
``trunc_normal_``         N(mean, std^2) conditioned on [a, b]
``orthogonal_``           gain times a uniformly random matrix with orthonormal rows or columns
                          (the weight flattened to (out, in * prod(kernel)))
``eye_``                  the identity matrix (a 2-D weight; 1 on the main diagonal)
``dirac_``                a convolution kernel that copies its input channels (1 at each kernel's
                          centre), in ``groups`` groups of output channels
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
from autograd.ops._common import is_int
from autograd.tensor import Tensor, describe

__all__ = [
    "calculate_gain", "uniform_", "normal_", "zeros_", "ones_", "constant_", "xavier_uniform_",
    "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "uniform_fan_in_", "trunc_normal_",
    "orthogonal_", "eye_", "dirac_",
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
        return 1  # an int, as PyTorch gives: printed gains and configs written from them read the same
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


# ------------------------------------------------------------------------------------------ truncated normal
def _normal_mass(lo: float, hi: float) -> float:
    """P(lo <= Z <= hi) for Z ~ N(0, 1), from the side of zero where it is not a difference of numbers
    close to 1 (which would lose it in the tails)."""
    if lo >= 0:
        return 0.5 * (math.erfc(lo / math.sqrt(2)) - math.erfc(hi / math.sqrt(2)))
    if hi <= 0:
        return _normal_mass(-hi, -lo)
    return 0.5 * (math.erf(hi / math.sqrt(2)) - math.erf(lo / math.sqrt(2)))


def _truncated_standard_normal(rng: np.random.Generator, n: int, lo: float, hi: float) -> np.ndarray:
    """``n`` draws of N(0, 1) conditioned on [lo, hi], by rejection sampling.

    The proposal keeps the acceptance rate high in every case (Robert, 1995): N(0, 1) itself when
    [lo, hi] holds a fair part of its mass; otherwise, on the side of zero the interval lies on, a uniform
    draw on a short interval, or a shifted exponential one for a long interval in the tail.
    """
    if hi <= 0:
        return -_truncated_standard_normal(rng, n, -hi, -lo)
    mass = _normal_mass(lo, hi)
    nearest = max(lo, 0.0)  # the point of the interval where the density is highest
    if mass >= 0.25:
        def propose(k: int) -> tuple[np.ndarray, np.ndarray]:
            x = rng.standard_normal(k)
            return x, (x >= lo) & (x <= hi)
    elif (hi - lo) * max(nearest, 1.0) <= 1.0:
        def propose(k: int) -> tuple[np.ndarray, np.ndarray]:
            x = rng.uniform(lo, hi, k)
            return x, rng.random(k) <= np.exp((nearest * nearest - x * x) / 2)
    else:  # lo > 0 here: an interval around zero that holds little mass is short
        rate = (lo + math.sqrt(lo * lo + 4)) / 2  # the exponential closest to the normal's tail
        def propose(k: int) -> tuple[np.ndarray, np.ndarray]:
            x = lo + rng.exponential(1.0 / rate, k)
            return x, (x <= hi) & (rng.random(k) <= np.exp(-((x - rate) ** 2) / 2))
    out = np.empty(n)
    filled = 0
    while filled < n:
        x, accepted = propose(n - filled)
        kept = x[accepted]
        out[filled:filled + kept.size] = kept
        filled += kept.size
    return out


def trunc_normal_(t: T, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0) -> T:
    """Fill with samples of N(mean, std^2) conditioned on [a, b] (redrawn until they fall inside, so the
    distribution is exactly the truncated normal, even far in its tails).

    Parameters
    ----------
    t : Tensor or numpy.ndarray
    mean, std : float, optional
        Of the normal before truncation (std > 0).
    a, b : float, optional
        The bounds, absolute (not in units of ``std``), ``a < b``; either may be infinite.

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import trunc_normal_
    >>> w = trunc_normal_(zeros(1000), std=0.02, a=-0.04, b=0.04)
    >>> bool((abs(w.numpy()) <= 0.04).all())
    True
    """
    where = "trunc_normal_"
    for name, value in (("mean", mean), ("std", std), ("a", a), ("b", b)):
        if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, bool):
            raise TypeError(f"{where}: got {name}={value!r}; expected a number")
    if not (math.isfinite(mean) and math.isfinite(std) and std > 0):
        raise ValueError(f"{where}: got mean={mean}, std={std}; expected a finite mean and a finite std > 0")
    if not a < b:
        raise ValueError(f"{where}: got a={a}, b={b}; expected a < b (the bounds, not in units of std)")
    arr = _array(t, where)
    z = _truncated_standard_normal(_rng(), arr.size, (a - mean) / std, (b - mean) / std)
    # rounding, in the transformation or in a float32 array, may step just past a bound
    return _fill(t, np.clip(mean + std * z, a, b).reshape(arr.shape), where)


# ------------------------------------------------------------------------------------------ orthogonal
def orthogonal_(t: T, gain: float = 1.0) -> T:
    """Fill with ``gain`` times a random matrix with orthonormal rows or columns, drawn uniformly (from
    the Haar measure) (Saxe et al., 2013).

    The tensor is seen as the matrix (rows, cols) = (shape[0], product of the other sizes): its rows are
    orthonormal if rows <= cols, its columns otherwise, up to ``gain``.

    Parameters
    ----------
    t : Tensor or numpy.ndarray, at least 2-D
    gain : float, optional

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import zeros
    >>> from nn.init import orthogonal_
    >>> w = orthogonal_(zeros(3, 5, dtype="float64")).numpy()
    >>> bool(np.allclose(w @ w.T, np.eye(3)))
    True
    """
    where = "orthogonal_"
    arr = _array(t, where)
    if arr.ndim < 2:
        raise ValueError(f"{where}: got a tensor of shape {arr.shape}; expected at least 2 dimensions "
                         "(rows, cols, ...)")
    if arr.size == 0:
        return t
    rows = arr.shape[0]
    cols = arr.size // rows
    q, r = np.linalg.qr(_rng().standard_normal((max(rows, cols), min(rows, cols))))
    # QR leaves the signs of the columns to the algorithm; fixing r's diagonal positive makes q uniform
    q *= np.where(np.diagonal(r) < 0, -1.0, 1.0)
    matrix = q if rows >= cols else q.T
    return _fill(t, gain * matrix.reshape(arr.shape), where)


# ------------------------------------------------------------------------------------------ identities
def eye_(t: T) -> T:
    """Fill a 2-D tensor with the identity matrix: 1 where the row index equals the column index, 0
    elsewhere (a rectangular matrix keeps the identity of its smaller side). A Linear layer so
    initialised, without bias, passes its input through (truncated or padded with zeros).

    Raises
    ------
    ValueError
        For a tensor that is not 2-D.

    Examples
    --------
    >>> from autograd import ones
    >>> from nn.init import eye_
    >>> eye_(ones(2, 3)).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    where = "eye_"
    arr = _array(t, where)
    if arr.ndim != 2:
        raise ValueError(f"{where}: got tensor {describe(t)}; expected 2 dimensions (rows, cols)")
    return _fill(t, np.eye(*arr.shape), where)


def dirac_(t: T, groups: int = 1) -> T:
    """Fill a convolution weight ``(out_channels, in_channels, *kernel)`` with the Dirac delta: output
    channel ``g * out_channels // groups + c`` takes input channel ``c`` at the kernel's centre (index
    ``size // 2`` of each kernel dimension), for ``c < min(out_channels // groups, in_channels)``, and
    everything else is 0. A convolution so initialised (stride 1, "same" padding, no bias) copies its
    first input channels into each group of output channels.

    Parameters
    ----------
    t : Tensor or numpy.ndarray
        3-, 4- or 5-D (a Conv1d, Conv2d or Conv3d weight).
    groups : int, optional
        Number of groups of output channels, each getting its own copy; it must divide ``shape[0]``.

    Raises
    ------
    ValueError
        For a tensor that is not 3-, 4- or 5-D, or ``groups`` that is not a positive divisor of
        ``shape[0]``.
    IndexError
        For a kernel with a dimension of size 0 (it has no centre).
    TypeError
        For ``groups`` that is not an int.

    Examples
    --------
    >>> from autograd import zeros
    >>> from nn.init import dirac_
    >>> dirac_(zeros(2, 1, 3))[:, 0].tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    where = "dirac_"
    arr = _array(t, where)
    if arr.ndim not in (3, 4, 5):
        raise ValueError(f"{where}: got tensor {describe(t)}; expected 3, 4 or 5 dimensions "
                         "(out_channels, in_channels, *kernel)")
    if not is_int(groups):
        raise TypeError(f"{where}: got groups {describe(groups)}; expected an int")
    if groups < 1 or arr.shape[0] % groups:
        raise ValueError(f"{where}: got groups={groups} for {arr.shape[0]} output channels (shape "
                         f"{arr.shape}); expected a positive divisor of shape[0]")
    out_per_group = arr.shape[0] // groups
    channels = np.arange(min(out_per_group, arr.shape[1]))
    if channels.size and 0 in arr.shape[2:]:
        raise IndexError(f"{where}: got tensor {describe(t)}, whose kernel has no centre; expected kernel "
                         "sizes of at least 1")
    centre = tuple(size // 2 for size in arr.shape[2:])
    values = np.zeros(arr.shape)
    for g in range(groups):
        values[(g * out_per_group + channels, channels, *centre)] = 1.0
    return _fill(t, values, where)
