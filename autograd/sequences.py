"""Evenly spaced values between two ends: ``linspace`` and ``logspace`` (PyTorch's signatures).

Both compute in float64 and then cast, so float32 results are the float64 values rounded once, and an
integer ``dtype`` truncates them towards zero, as PyTorch does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .factories import _dtype, _size
from .tensor import Tensor, describe


def _end(value: Any, name: str, what: str) -> float:
    """A real, finite number given as a number, a numpy scalar or a one-element tensor."""
    array = np.asarray(value.data if isinstance(value, Tensor) else value)
    if isinstance(value, (str, bytes)) or array.ndim != 0 or array.dtype.kind not in "fiub":
        raise TypeError(f"{name}: got {what} {describe(value)}; expected a real "
                        "number")
    number = float(array)
    if not math.isfinite(number):
        raise ValueError(f"{name}: got {what}={number}; expected a finite number")
    return number


def _spaced(name: str, start: Any, end: Any, steps: Any, dtype: Any) -> tuple[np.ndarray, np.dtype]:
    first, last = _end(start, name, "start"), _end(end, name, "end")
    n = _size(name, steps)
    dt = _dtype(name, dtype)  # None: the default dtype
    if dt.kind == "b":
        raise TypeError(f"{name}: got dtype bool; expected a numeric dtype")
    return np.linspace(first, last, n, dtype=np.float64), dt


def linspace(start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included (of the default dtype
    unless ``dtype`` says otherwise).

    Raises
    ------
    TypeError
        If ``start`` or ``end`` is not a real number, ``steps`` not an int, or ``dtype`` bool.
    ValueError
        If ``steps`` is negative, or ``start`` or ``end`` infinite or nan.

    Examples
    --------
    >>> from autograd import linspace
    >>> linspace(0, 1, 5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> linspace(0, 10, 4, dtype="int64").tolist()
    [0, 3, 6, 10]
    """
    values, dt = _spaced("linspace", start, end, steps, dtype)
    return Tensor(values.astype(dt), requires_grad=requires_grad)


def logspace(start: float, end: float, steps: int, base: float = 10.0, dtype: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``base ** linspace(start, end, steps)``: ``steps`` values spaced evenly on a log scale.

    Examples
    --------
    >>> from autograd import logspace
    >>> logspace(0, 2, 3).tolist()
    [1.0, 10.0, 100.0]
    >>> logspace(0, 3, 4, base=2).tolist()
    [1.0, 2.0, 4.0, 8.0]
    """
    exponents, dt = _spaced("logspace", start, end, steps, dtype)
    b = _end(base, "logspace", "base")
    with np.errstate(over="ignore"):  # a huge power is inf, as in PyTorch
        return Tensor((b ** exponents).astype(dt), requires_grad=requires_grad)


__all__ = ["linspace", "logspace"]
