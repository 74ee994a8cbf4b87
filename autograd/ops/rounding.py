"""Rounding: floor, ceil, round, trunc and frac, and the divisions that round their quotient (floor_divide,
remainder, fmod), with the operators ``//`` and ``%``.

Gradients are PyTorch's: floor, ceil, round and trunc are step functions, so theirs is 0 everywhere (even
where an upstream gradient is nan), and frac's is 1. ``remainder(a, b) = a - floor(a / b) * b`` and
``fmod(a, b) = a - trunc(a / b) * b`` pass the gradient to ``a`` unchanged and give ``b`` minus it times the
rounded quotient. ``floor_divide`` has no derivative in PyTorch: its result is recorded, and a backward
pass that reaches it raises, as there.

``div(a, b, rounding_mode='floor' | 'trunc')`` (in :mod:`autograd.ops.arithmetic`) rounds its quotient too,
with the gradient 0; the checks below are shared with it.

Integer tensors keep their dtype through floor, ceil, round and trunc; bool tensors are refused where
PyTorch refuses them. Integer division by zero raises ZeroDivisionError, as in PyTorch (numpy would give
0 and a warning); a float one gives inf or nan.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, constant_like, describe, identity_rule, result
from ._common import is_int, tensor_arg
from .arithmetic import (
    _binary,
    _check_operands,
    _division,
    _raising,
    _reflected,
    _truncated_quotient,
    zero_rule,
)

FLOOR = TensorOp("floor", zero_rule, zero_rule)
CEIL = TensorOp("ceil", zero_rule, zero_rule)
TRUNC = TensorOp("trunc", zero_rule, zero_rule)
ROUND = TensorOp("round", zero_rule, zero_rule)
FRAC = TensorOp("frac", identity_rule, identity_rule, reads_values=False)


def _rounded(name: str, x: ArrayLike, fn: Any, op: TensorOp) -> Tensor:
    """``fn`` (floor, ceil, trunc or rint) of ``x``, which PyTorch refuses for bool tensors; an integer
    tensor is its own rounding and keeps its dtype."""
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    d = x.data
    if d.dtype.kind == "b":
        raise TypeError(f"{name}: got a tensor of dtype bool; expected a tensor of numbers (as in PyTorch)")
    return result(fn(d) if d.dtype.kind == "f" else d.copy(), (x,), op)


def _floating(name: str, x: ArrayLike, context: str = "", why: str = "as in PyTorch") -> Tensor:
    """``x`` as a Tensor, refused unless it holds floats (frac, and round with decimals); ``context``
    follows the dtype in the error and ``why`` closes it."""
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x.data.dtype.kind != "f":
        raise TypeError(f"{name}: got a tensor of dtype {x.data.dtype}{context}; expected a floating-point "
                        f"tensor ({why})")
    return x


def floor(x: ArrayLike) -> Tensor:
    """The largest integer not above x, elementwise; the gradient is 0.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.5, 1.5]).floor().tolist()
    [-2.0, 1.0]
    """
    return _rounded("floor", x, np.floor, FLOOR)


def ceil(x: ArrayLike) -> Tensor:
    """The smallest integer not below x, elementwise; the gradient is 0.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.5, 1.5]).ceil().tolist()
    [-1.0, 2.0]
    """
    return _rounded("ceil", x, np.ceil, CEIL)


def trunc(x: ArrayLike) -> Tensor:
    """x rounded toward 0, elementwise (``fix`` is another name for it); the gradient is 0.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.5, 1.5]).trunc().tolist()
    [-1.0, 1.0]
    """
    return _rounded("trunc", x, np.trunc, TRUNC)


fix = trunc


def round(x: ArrayLike, *, decimals: int = 0) -> Tensor:  # noqa: A001 - PyTorch's name
    """Round to the nearest integer, halves to even, or to ``decimals`` decimal places (negative: to tens,
    hundreds, ...); the gradient is 0.

    With decimals the value is scaled by a power of ten, rounded and scaled back, as PyTorch and numpy do,
    so the result is the float nearest the scaled rounding (``0.125`` gives ``0.12``). An integer tensor is
    returned as it is with ``decimals=0`` and refused with other decimals, as in PyTorch.

    Raises
    ------
    TypeError
        If ``decimals`` is not an int, ``x`` is a bool tensor, or an integer one with ``decimals != 0``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([0.5, 1.5, 2.5]).round().tolist()
    [0.0, 2.0, 2.0]
    >>> tensor([1234.5678], dtype="float64").round(decimals=-2).tolist()
    [1200.0]
    """
    if not is_int(decimals):
        raise TypeError(f"round: got decimals {describe(decimals)}; expected an int")
    if decimals == 0:
        return _rounded("round", x, np.rint, ROUND)
    x = _floating("round", x, f" with decimals={decimals}", "PyTorch rounds integers with decimals=0 only")
    d = x.data
    scale = 10.0 ** builtins.abs(int(decimals))
    with np.errstate(over="ignore", invalid="ignore"):  # beyond the float range: inf, as in PyTorch
        out = np.rint(d * scale) / scale if decimals > 0 else np.rint(d / scale) * scale
    return result(out.astype(d.dtype, copy=False), (x,), ROUND)


def frac(x: ArrayLike) -> Tensor:
    """The fractional part ``x - trunc(x)``, with the sign of x (nan at ±inf); the gradient is 1.

    PyTorch refuses integer and bool tensors here, and so does chaingrad.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.25, 2.5]).frac().tolist()
    [-0.25, 0.5]
    """
    x = _floating("frac", x)
    d = x.data
    with np.errstate(invalid="ignore"):
        return result(d - np.trunc(d), (x,), FRAC)


# ----------------------------------------------------------------------------------------- divisions
def _quotient_rule(quotient: Any) -> Any:
    """The rule of ``a - quotient(a, b) * b``, with ``quotient`` the rounded quotient: g for ``a``,
    ``-g * quotient(a, b)`` for ``b``. The rounded quotient is piecewise constant, so it is a constant for
    every order of derivative; the rule serves Tensors and arrays alike."""

    def rule(node: Tensor, g: Any) -> tuple:
        a, b = node._parents
        gb = None
        if b.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = -g * constant_like(quotient(a.data, b.data), g)
        return (g if a.requires_grad else None, gb)

    return rule


def _no_derivative(node: Tensor, g: Any) -> tuple:
    raise RuntimeError(
        "floor_divide: the derivative of floor division is not implemented (nor is it in PyTorch): the "
        "backward pass reached a floor_divide (or //) of a tensor that requires grad; compute it on "
        "detach()ed tensors or under autograd.no_grad(), or use (a / b).floor(), whose gradient is 0"
    )


# floor_divide rather than floor(a / b): -5 // inf is -1 (and -5 % inf is inf), as in Python and PyTorch
REMAINDER = TensorOp("remainder", _quotient_rule(np.floor_divide), _quotient_rule(np.floor_divide))
FMOD = TensorOp("fmod", _quotient_rule(_truncated_quotient), _quotient_rule(_truncated_quotient))
FLOOR_DIVIDE = TensorOp("floor_divide", _no_derivative)  # no array rule: the plain pass runs this one

# the operator forms (NotImplemented for an operand they cannot use) and the functions (which raise)
_floor_divide = _binary("floor_divide", _division("floor_divide", np.floor_divide), FLOOR_DIVIDE, "//")
_remainder = _binary("remainder", _division("remainder", np.remainder), REMAINDER, "%")
_fmod = _binary("fmod", _division("fmod", np.fmod), FMOD, "fmod")
_raising_floor_divide, _raising_remainder, _raising_fmod = map(_raising, (_floor_divide, _remainder, _fmod))


def floor_divide(a: Any, b: Any) -> Tensor:
    """Elementwise ``a // b``, the quotient rounded down (toward -inf), with broadcasting.

    A Python number takes the tensor's dtype, and two integer operands give integers. There is no
    derivative: as in PyTorch the result is recorded, and a backward pass that reaches it raises a
    RuntimeError (``(a / b).floor()`` has the gradient 0).

    Raises
    ------
    ZeroDivisionError
        If both operands are integers and the divisor has a zero.
    TypeError
        If both operands are bool tensors.

    Examples
    --------
    >>> from autograd import tensor, floor_divide
    >>> floor_divide(tensor([7.0, -7.0]), 2).tolist()
    [3.0, -4.0]
    >>> (tensor([7, -7]) // 2).tolist()
    [3, -4]
    """
    return _raising_floor_divide(a, b)


def remainder(a: Any, b: Any) -> Tensor:
    """Elementwise ``a % b = a - floor(a / b) * b``, which has the sign of ``b`` (Python's and PyTorch's
    modulus), with broadcasting. The gradient is 1 for ``a`` and ``-floor(a / b)`` for ``b``.

    Raises
    ------
    ZeroDivisionError
        If both operands are integers and the divisor has a zero.
    TypeError
        If both operands are bool tensors.

    Examples
    --------
    >>> from autograd import tensor, remainder
    >>> remainder(tensor([5.0, -5.0]), 3).tolist()
    [2.0, 1.0]
    >>> (tensor([5, -5]) % 3).tolist()
    [2, 1]
    """
    return _raising_remainder(a, b)


def fmod(a: Any, b: Any) -> Tensor:
    """Elementwise ``a - trunc(a / b) * b``, which has the sign of ``a`` (C's fmod), with broadcasting.
    The gradient is 1 for ``a`` and ``-trunc(a / b)`` for ``b``.

    Raises
    ------
    ZeroDivisionError
        If both operands are integers and the divisor has a zero.
    TypeError
        If both operands are bool tensors.

    Examples
    --------
    >>> from autograd import tensor, fmod
    >>> fmod(tensor([5.0, -5.0]), 3).tolist()
    [2.0, -2.0]
    """
    return _raising_fmod(a, b)


def _in_place(name: str, ufunc: np.ufunc, symbol: str) -> Any:
    """``x //= y`` or ``x %= y``: in place when nothing is recorded, as ``x += y`` is (Tensor._update),
    after the division's own checks."""

    def update(self: Tensor, other: Any) -> Any:
        try:
            b = np.asarray(other.data if isinstance(other, Tensor) else other)
        except (TypeError, ValueError):
            b = None  # not numbers: _update's error names it
        if b is not None and b.dtype.kind in "biuf":
            _check_operands(name, self.data, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._update(ufunc, other, symbol)

    return update


METHODS = {
    "floor": floor, "ceil": ceil, "trunc": trunc, "fix": fix, "round": round, "frac": frac,
    "floor_divide": floor_divide, "remainder": remainder, "fmod": fmod,
    "__floordiv__": _floor_divide, "__rfloordiv__": _reflected(_floor_divide),
    "__mod__": _remainder, "__rmod__": _reflected(_remainder),
    "__ifloordiv__": _in_place("floor_divide", np.floor_divide, "//"),
    "__imod__": _in_place("remainder", np.remainder, "%"),
}
FUNCTIONS = {name: fn for name, fn in METHODS.items() if not name.startswith("__")}
