"""Comparing whole tensors, as PyTorch does: ``isclose``, ``allclose`` and ``equal``, and ``isin``, which
compares every element with a set of values.

None of them carries a gradient: closeness and membership are yes-or-no answers. Operands are coerced as
for the elementwise comparisons (a number takes the other operand's dtype, arrays and lists become
constants) and broadcast together; mixed dtypes are compared in their common dtype, as numpy does (PyTorch's
``isclose`` refuses them).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, as_tensor, describe
from ._common import broadcasting, flag, pair


def _tolerance(value: Any, what: str, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: got {what} {describe(value)}; expected a real number >= 0")
    if not value >= 0:  # nan fails this too
        raise ValueError(f"{name}: got {what}={value}; expected a real number >= 0")
    return float(value)


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float, equal_nan: bool) -> np.ndarray:
    """Where ``|a - b| <= atol + rtol * |b|``: equal values (infinities included) always are, and two
    nans are when ``equal_nan``."""
    common = np.result_type(a, b)
    if common.kind in "iub":
        # Exactly, without going through floats: in float64, 2**60 and 2**60 + 1 are the same number.
        # The larger minus the smaller, wrapped into uint64, is the exact distance even when it
        # overflows the signed type.
        a, b = a.astype(common, copy=False), b.astype(common, copy=False)
        if common.kind == "b":
            a, b = a.view(np.uint8), b.view(np.uint8)
        distance = np.maximum(a, b).astype(np.uint64) - np.minimum(a, b).astype(np.uint64)
        return distance <= atol + rtol * np.abs(b.astype(np.float64))
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf, and a distance past the float range
        a, b = a.astype(common, copy=False), b.astype(common, copy=False)
        distance = np.abs(a - b)
        close = (a == b) | (np.isfinite(distance) & (distance <= atol + rtol * np.abs(b)))
    if equal_nan:
        close |= np.isnan(a) & np.isnan(b)
    return close


def isclose(input: ArrayLike, other: ArrayLike, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (so not symmetric, as in PyTorch and
    numpy), as a bool tensor that carries no gradient.

    Equal values are close, infinities of the same sign included; nan is close to nan only when
    ``equal_nan``. Integers are compared exactly, never through a float that could round two of them
    to one. The operands broadcast.

    Raises
    ------
    ValueError
        If ``rtol`` or ``atol`` is negative or nan, or the shapes do not broadcast.

    Examples
    --------
    >>> from autograd import isclose, tensor
    >>> isclose(tensor([1.0, 1.1, float("nan")]), tensor([1.0 + 1e-7, 1.0, float("nan")])).tolist()
    [True, False, False]
    >>> tensor([1.0, 1.1]).isclose(1.0, rtol=0.2).tolist()
    [True, True]
    """
    a, b = pair(input, other, "isclose")
    rtol, atol = _tolerance(rtol, "rtol", "isclose"), _tolerance(atol, "atol", "isclose")
    arrays = broadcasting("isclose", np.broadcast_arrays, a.data, b.data)
    return as_tensor(_close(*arrays, rtol, atol, bool(equal_nan)))


def allclose(input: ArrayLike, other: ArrayLike, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether :func:`isclose` holds everywhere, as a Python bool (True for empty tensors).

    Examples
    --------
    >>> from autograd import allclose, tensor
    >>> allclose(tensor([1.0, 2.0]), tensor([1.0, 2.0 + 1e-6])), tensor([1.0]).allclose(tensor([1.1]))
    (True, False)
    """
    a, b = pair(input, other, "allclose")
    rtol, atol = _tolerance(rtol, "rtol", "allclose"), _tolerance(atol, "atol", "allclose")
    arrays = broadcasting("allclose", np.broadcast_arrays, a.data, b.data)
    return bool(_close(*arrays, rtol, atol, bool(equal_nan)).all())


def equal(input: ArrayLike, other: ArrayLike) -> bool:
    """Whether the two have the same shape and the same values, as a Python bool (``torch.equal``).

    Shapes are not broadcast: ``[1.0]`` does not equal ``1.0``. The dtypes may differ (``[1, 2]`` equals
    ``[1.0, 2.0]``); nan equals nothing, not even nan.

    Examples
    --------
    >>> from autograd import equal, tensor
    >>> equal(tensor([1.0, 2.0]), tensor([1, 2])), tensor([1.0]).equal(tensor([[1.0]]))
    (True, False)
    """
    a, b = pair(input, other, "equal")
    return a.data.shape == b.data.shape and bool((a.data == b.data).all())


def isin(elements: ArrayLike, test_elements: ArrayLike, *, assume_unique: bool = False,
         invert: bool = False) -> Tensor:
    """Whether each element of ``elements`` is one of ``test_elements`` (of any shape): a bool tensor of
    the shape of ``elements``, without gradient (``torch.isin``). ``invert=True`` gives the opposite.

    Either argument may be a number (which takes the other's dtype, as in arithmetic), and lists and arrays
    are constants. Values are compared in the operands' common dtype, so ``-0.0`` is ``0.0`` and nan is in
    nothing. Bool tensors are refused, as PyTorch refuses them. ``assume_unique=True`` promises that both
    hold distinct values, which lets numpy skip a step; the answer is undefined if they do not.

    Examples
    --------
    >>> from autograd import isin, tensor
    >>> isin(tensor([[1, 2], [3, 4]]), tensor([2, 3, 5])).tolist()
    [[False, True], [True, False]]
    >>> isin(tensor([1.0, 2.0]), 2, invert=True).tolist()
    [True, False]
    """
    a, b = pair(elements, test_elements, "isin")
    for what, t in (("elements", a), ("test_elements", b)):
        if t.data.dtype.kind == "b":
            raise TypeError(f"isin: got {what} of dtype bool; expected numbers (as in PyTorch; compare masks "
                            "with == or logical_and)")
    assume_unique = flag(assume_unique, "isin", "assume_unique")
    invert = flag(invert, "isin", "invert")
    return as_tensor(np.isin(a.data, b.data, assume_unique=assume_unique, invert=invert))


METHODS = {"isclose": isclose, "allclose": allclose, "equal": equal}
FUNCTIONS = {"isclose": isclose, "allclose": allclose, "equal": equal, "isin": isin}
