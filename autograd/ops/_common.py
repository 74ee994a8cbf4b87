"""Helpers shared by the op families: operand coercion and shape errors that name the op."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..tensor import Tensor, as_tensor


def pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Coerce two operands to Tensors; a Python number takes the other operand's dtype."""
    if not isinstance(a, Tensor):
        a = as_tensor(a, like=b if isinstance(b, Tensor) else None)
    if not isinstance(b, Tensor):
        b = as_tensor(b, like=a)
    return a, b


def broadcasting(name: str, fn: Callable[..., np.ndarray], *arrays: np.ndarray) -> np.ndarray:
    """Run a numpy function, turning a broadcasting failure into an error that names the op."""
    try:
        return fn(*arrays)
    except ValueError as exc:
        if "broadcast" not in str(exc):
            raise
        shapes = " and ".join(str(a.shape) for a in arrays)
        raise ValueError(f"{name}: shapes {shapes} cannot be broadcast together") from None


def normalize_axis(axis: Any, ndim: int, name: str) -> tuple[int, ...]:
    """Axis argument (None, int or tuple) as a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int and 0 <= axis < ndim:  # the common case, spared the general checks
        return (axis,)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for ax in axes:
        if not -ndim <= ax < max(ndim, 1):
            raise ValueError(f"{name}: axis {ax} is out of range for a tensor with {ndim} dimensions")
        out.append(int(ax) % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"{name}: repeated axis in {axis}")
    return tuple(sorted(out))
