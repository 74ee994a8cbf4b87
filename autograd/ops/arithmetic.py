"""Elementwise arithmetic and comparisons, with numpy broadcasting."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, constant_like, describe, result
from ._common import OPERAND_EXPECTED, broadcasting, pair, tensor_arg
from .discrete import nonzero

# Rules are written with Tensor operations, so that with create_graph=True they are recorded too. The
# rules of add, sub and neg use only what arrays have as well, so they serve as their array rules.


def _add_rule(node: Tensor, g: Tensor) -> tuple:
    return (g, g)


def _sub_rule(node: Tensor, g: Tensor) -> tuple:
    return (g, -g)


def _mul_rule(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return (g * b if a._requires_grad else None, g * a if b._requires_grad else None)


def _mul_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    a, b = node._parents
    return (g * b.data if a._requires_grad else None, g * a.data if b._requires_grad else None)


def _div_rule(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    ga = g / b if a._requires_grad else None
    gb = -g * node / b if b._requires_grad else None
    return (ga, gb)


def _div_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    a, b = node._parents
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # as the forward: x / 0 is inf or nan
        ga = g / b.data
        gb = -ga * node.data if b._requires_grad else None
    return (ga if a._requires_grad else None, gb)


def power(a: np.ndarray, b: np.ndarray, number: bool = False) -> np.ndarray:
    """``a ** b`` on arrays, with PyTorch's values at -0.0 and -inf for the exponents 0.5 and -0.5.

    ``number`` says that the exponent was given as a number (``x ** 0.5``), which PyTorch computes apart
    from a tensor exponent: ``x ** 0.5`` is ``sqrt(x)`` and ``x ** -0.5`` is ``1 / sqrt(x)``, so that
    ``(-0.0) ** 0.5 == -0.0``, ``(-0.0) ** -0.5 == -inf`` and ``(-inf) ** 0.5`` is nan. A tensor exponent
    follows C's ``pow`` everywhere (``(-0.0) ** 0.5 == 0.0``, ``(-inf) ** 0.5 == inf``), which numpy's
    loop does not by itself: it takes a square root wherever an exponent of 0.5 is broadcast.

    The cube and the fourth power of floats are computed by multiplication: numpy's pow takes a scalar
    path for negative bases that is about 50 times slower than its vector path (1.5 ms for the cube of
    32,768 float32 normal numbers, against 30 us for positive ones); two products are exact to about one
    unit in the last place, as pow is, and agree with it at every special value.

    Examples
    --------
    >>> import numpy as np
    >>> power(np.array([-2.0, 3.0]), np.array(3.0)).tolist()
    [-8.0, 27.0]
    >>> with np.errstate(divide="ignore", invalid="ignore"):  # as the op itself computes
    ...     power(np.array([-0.0, -np.inf]), np.array(-0.5), number=True).tolist()
    [-inf, nan]
    >>> with np.errstate(invalid="ignore"):
    ...     power(np.array([-0.0, -np.inf]), np.array(0.5)).tolist()
    [0.0, inf]
    """
    if b.ndim == 0 and a.dtype.kind == "f":
        if a.dtype == b.dtype:
            if b == 3:
                return a * a * a
            if b == 4:
                square = a * a
                return square * square
        if number and (b == 0.5 or b == -0.5):
            root = np.sqrt(a if a.dtype == b.dtype else a.astype(np.result_type(a, b)))
            if b > 0:
                return root
            return np.divide(1, root, out=root) if root.ndim else 1 / root  # sqrt gives a 0-d array a scalar
    out = np.power(a, b)
    # Only an exponent that numpy broadcasts can meet its square-root shortcut: an exponent of the output's
    # shape costs these attribute tests alone.
    if (not number and out.dtype.kind == "f" and (b.size == 1 or b.size < out.size or 0 in b.strides)
            and (b == 0.5).any()):
        # C's pow(x, 0.5) differs from sqrt(x) only at -0.0 (where it is 0.0) and -inf (inf): |x| there
        out = np.where((b == 0.5) & ((a == 0) | (a == -np.inf)), np.abs(a), out)
    return out


# The ctx of a pow whose exponent was given as a number (``x ** 2``). As in PyTorch, the derivative of such a
# power is the constant 0 where the exponent is 0, and each derivative of ``x ** n`` is another power of a
# number, down to ``x ** 0``: so every order of derivative stays finite at x = 0 (d2/dx2 x ** 1 is 0, not
# 0 * 0 ** -1). A tensor exponent's rule masks the exponent 0 with ``where``, as PyTorch's does.
_NUMBER_EXPONENT = "number exponent"


def _pow_rule(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    ga = gb = None
    if a._requires_grad:
        if node._ctx is _NUMBER_EXPONENT:
            if b.data == 0:
                ga = constant_like(np.zeros(g.data.shape), g)
            else:
                ga = g * b * _power(a, b - 1, _NUMBER_EXPONENT)
        else:
            # d/da a**b = b a**(b-1). At 0**0 that is 0 * inf: PyTorch's convention makes it 0. The factor b
            # stays outside the mask so that d/db of this gradient (a mixed second derivative) is right.
            ga = g * b * where((b.data == 0) & (a.data == 0), 0.0, a ** (b - 1))
    if b._requires_grad:
        # d/db a**b = a**b log a; a zero base contributes 0 rather than 0 * -inf where b >= 0 (PyTorch's
        # convention, g times +0.0, where (-0.0) ** 3 * log 1 would be -0.0), and keeps inf * log 0 = -inf
        # where b < 0. The log is of a safe base, so that the masked branch's own derivative is 0, not nan.
        zero_base = (a.data == 0) & (b.data >= 0)
        gb = g * where(zero_base, 0.0, node * where(zero_base, 1.0, a).log())
    return (ga, gb)


def _pow_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    need_a, need_b = node._parents[0]._requires_grad, node._parents[1]._requires_grad
    a, b = node._parents[0].data, node._parents[1].data
    number = node._ctx is _NUMBER_EXPONENT
    ga = gb = None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # as the forward
        if need_a:
            # the derivative is 0 where b is 0 (0 ** 0 included) whatever the gradient, as in PyTorch: a nan
            # reaching x ** 0 does not pass on
            if b.ndim == 0:
                ga = g * b * power(a, b - 1, number) if b != 0 else np.zeros(np.shape(g), dtype=a.dtype)
            else:
                ga = np.where(b == 0, 0.0, g * b * power(a, b - 1))
        if need_b:
            gb = g * np.where((a == 0) & (b >= 0), 0.0, node.data * np.log(a))  # as the rule above
    return (ga, gb)


def _neg_rule(node: Tensor, g: Tensor) -> tuple:
    return (-g,)


def _scaled_rule(node: Tensor, g: Any) -> tuple:
    # add and sub with alpha: ctx is the second operand's factor (alpha, or -alpha for sub), a Python number,
    # so g * ctx keeps g's dtype for arrays and Tensors alike
    return (g, g * node._ctx if node._parents[1]._requires_grad else None)


def zero_rule(node: Tensor, g: Any) -> tuple:
    """The rule, recorded and array form alike, of a step function (floor, the rounding divisions): zeros
    for every operand that requires grad, rather than ``g * 0``, so that not even a nan from above passes
    on."""
    return tuple(constant_like(np.zeros(p.data.shape), g) if p._requires_grad else None
                 for p in node._parents)


ADD = TensorOp("add", _add_rule, _add_rule, reads_values=False)
SUB = TensorOp("sub", _sub_rule, _sub_rule, reads_values=False)
MUL = TensorOp("mul", _mul_rule, _mul_array_rule)
DIV = TensorOp("div", _div_rule, _div_array_rule)
POW = TensorOp("pow", _pow_rule, _pow_array_rule)
NEG = TensorOp("neg", _neg_rule, _neg_rule, reads_values=False)
# a + alpha * b and a - alpha * b, one recorded op each (named as the plain ones: the same operation)
ADD_SCALED = TensorOp("add", _scaled_rule, _scaled_rule, reads_values=False)
SUB_SCALED = TensorOp("sub", _scaled_rule, _scaled_rule, reads_values=False)
# div's rounding modes: step functions of the quotient, so their gradient is 0 (PyTorch's too)
DIV_FLOOR = TensorOp("div_floor", zero_rule, zero_rule, reads_values=False)
DIV_TRUNC = TensorOp("div_trunc", zero_rule, zero_rule, reads_values=False)


_OPERANDS = (Tensor, int, float, np.ndarray, np.number, np.bool_, list, tuple, bool)
_BOOL = np.dtype(np.bool_)


def bool_subtraction_error(name: str, a: np.dtype, b: np.dtype) -> RuntimeError:
    """The error for a subtraction ``name`` with a bool operand (``a`` and ``b`` are the operands' dtypes),
    which PyTorch refuses with a RuntimeError: a bool has no negative, and numpy's answers (an error for
    two bools, a silent promotion for one) would differ from PyTorch's.

    Examples
    --------
    >>> import numpy as np
    >>> str(bool_subtraction_error("sub", np.dtype(bool), np.dtype("float32"))).split(";")[0]
    'sub: got a bool operand and one of dtype float32'
    """
    if a.kind == "b" and b.kind == "b":
        return RuntimeError(f"{name}: got two bool operands; expected numbers (bools have no subtraction: "
                            "for 'one or the other but not both' use a ^ b or logical_xor)")
    other = b if a.kind == "b" else a
    return RuntimeError(f"{name}: got a bool operand and one of dtype {other}; expected numbers (invert a "
                        "mask with ~mask or logical_not, or convert it first with .long() or .float())")


def _subtract(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``np.subtract`` for the ``-`` of two tensors' arrays, refusing bools as PyTorch does (numpy raises
    for two bools without naming the op, and promotes one bool silently)."""
    # numpy's bool dtype is one object: comparing identities costs a fraction of reading dtype.kind
    if x.dtype is _BOOL or y.dtype is _BOOL:
        raise bool_subtraction_error("sub", x.dtype, y.dtype)
    return np.subtract(x, y)


def _binary(name: str, ufunc: Any, op: TensorOp, symbol: str, compute: Any = None) -> Any:
    """The operator ``a symbol b`` as the ufunc ``ufunc``, recorded as ``op``. ``compute(x, y)``, when
    given, stands in for the ufunc on the operands' arrays (subtraction's check of bools), so that the
    other operators pay for no check they do not make."""
    compute = ufunc if compute is None else compute

    def forward(a: Any, b: Any) -> Tensor:
        # The common case (two tensors) skips coercion; this path runs once per recorded operation.
        if type(a) is not Tensor or type(b) is not Tensor:
            if not isinstance(b, _OPERANDS) or not isinstance(a, _OPERANDS):
                return NotImplemented
            a, b = pair(a, b, name)
        try:
            out = compute(a.data, b.data)
        except ValueError:
            broadcasting(name, ufunc, a.data, b.data)  # raises the error that names the op and shapes
            raise
        return result(out, (a, b), op)

    forward.__name__ = name
    forward.__doc__ = (
        f"Elementwise ``a {symbol} b`` with numpy broadcasting.\n\nExamples\n--------\n"
        f">>> from autograd import tensor, {name}\n"
        f">>> {name}(tensor([4.0, 6.0]), 2.0).tolist()\n"
        f"{[float(ufunc(4.0, 2.0)), float(ufunc(6.0, 2.0))]}\n"
    )
    return forward


def _raising(fn: Any) -> Any:
    # The function form raises where the operator form lets Python try the other operand.
    def public(a: Any, b: Any) -> Tensor:
        out = fn(a, b)
        if out is NotImplemented:
            bad = a if not isinstance(a, _OPERANDS) else b
            raise TypeError(f"{fn.__name__}: got an operand {describe(bad)}; {OPERAND_EXPECTED}")
        return out

    public.__name__ = fn.__name__
    public.__doc__ = fn.__doc__
    return public


_add = _binary("add", np.add, ADD, "+")
_sub = _binary("sub", np.subtract, SUB, "-", _subtract)
_mul = _binary("mul", np.multiply, MUL, "*")
_divide = _raising(_binary("div", np.true_divide, DIV, "/"))
_plain_add, _plain_sub, mul = _raising(_add), _raising(_sub), _raising(_mul)


def checked_alpha(name: str, alpha: Any, dtype: np.dtype) -> int | float | bool:
    """``alpha`` of ``add``/``sub`` (and ``add_``/``sub_``) as a Python number, after PyTorch's checks for
    a result of ``dtype``: a bool alpha for bool results only, an integer one for integer and bool results.

    Examples
    --------
    >>> import numpy as np
    >>> checked_alpha("add", np.float64(0.5), np.dtype("float32"))
    0.5
    >>> try:
    ...     checked_alpha("add", 0.5, np.dtype("int64"))
    ... except TypeError as exc:
    ...     print(str(exc).split(";")[0])
    add: got alpha=0.5 for a result of dtype int64
    """
    if isinstance(alpha, (Tensor, np.ndarray, np.generic)) and np.ndim(alpha) == 0:  # as PyTorch's Number
        alpha = (alpha.data if isinstance(alpha, Tensor) else np.asarray(alpha)).item()
    if not isinstance(alpha, (int, float)):
        raise TypeError(f"{name}: got alpha {describe(alpha)}; expected a number")
    if isinstance(alpha, bool) and dtype.kind != "b":
        raise TypeError(f"{name}: got alpha={alpha} for a result of dtype {dtype}; expected a number (a bool "
                        "alpha is for bool tensors only, as in PyTorch)")
    if isinstance(alpha, float) and dtype.kind in "biu":
        raise TypeError(f"{name}: got alpha={alpha!r} for a result of dtype {dtype}; expected an integer "
                        "alpha for integer and bool tensors (as in PyTorch)")
    if dtype.kind in "iu":
        info: Any = np.iinfo(dtype)
        fits = info.min <= alpha <= info.max
    else:
        fits = dtype.kind != "f" or isinstance(alpha, float) and not np.isfinite(alpha)
        fits = fits or abs(alpha) <= float(np.finfo(dtype).max)
    if not fits:
        raise OverflowError(f"{name}: got alpha={alpha!r} for a result of dtype {dtype}; expected a number "
                            "within that dtype's range")
    return alpha


def scaled_operand(name: str, a: np.ndarray, b: np.ndarray, alpha: Any) -> tuple[np.ndarray, Any]:
    """``alpha * b`` in the dtype of ``a + b`` (where PyTorch computes it), and ``alpha`` checked by
    :func:`checked_alpha`, for ``a + alpha * b`` and ``a - alpha * b``.

    Examples
    --------
    >>> import numpy as np
    >>> scaled_operand("add", np.zeros(2, np.int16), np.array([1, 2], np.int8), 300)[0].tolist()
    [300, 600]
    """
    dtype = np.result_type(a, b)
    alpha = checked_alpha(name, alpha, dtype)
    return b.astype(dtype, copy=False) * dtype.type(alpha), alpha


def _scaled(name: str, plain: Any, ufunc: np.ufunc, op: TensorOp, sign: int) -> Any:
    symbol = "+" if sign > 0 else "-"

    def public(a: Any, b: Any, *, alpha: Any = 1) -> Tensor:
        if type(alpha) is int and alpha == 1:  # the common case, without alpha's checks
            return plain(a, b)
        if not isinstance(a, _OPERANDS) or not isinstance(b, _OPERANDS):
            return plain(a, b)  # raises the error that names the operand
        a, b = pair(a, b, name)
        if sign < 0 and (a.data.dtype.kind == "b" or b.data.dtype.kind == "b"):
            raise bool_subtraction_error(name, a.data.dtype, b.data.dtype)
        scaled, alpha = scaled_operand(name, a.data, b.data, alpha)
        out = broadcasting(name, ufunc, a.data, scaled)
        return result(out, (a, b), op, sign * alpha)

    public.__name__ = name
    public.__doc__ = f"""Elementwise ``a {symbol} alpha * b`` with broadcasting; ``alpha`` (a number, 1 by
    default) scales ``b`` as in PyTorch, so the gradient of ``b`` is {"" if sign > 0 else "-"}``alpha`` times
    the gradient of the result.

    ``alpha`` must be an integer for integer and bool tensors, and a bool only for bool tensors (PyTorch's
    rules); ``alpha * b`` is computed in the result's dtype. The result is one recorded operation.

    Examples
    --------
    >>> from autograd import tensor, {name}
    >>> {name}(tensor([1.0, 2.0]), tensor([3.0, 4.0]), alpha=0.5).tolist()
    {[1.0 + sign * 1.5, 2.0 + sign * 2.0]}
    """
    return public


add = _scaled("add", _plain_add, np.add, ADD_SCALED, 1)
sub = _scaled("sub", _plain_sub, np.subtract, SUB_SCALED, -1)


# ----------------------------------------------------------------------------------------- divisions
def _check_operands(name: str, a: np.ndarray, b: np.ndarray) -> None:
    """PyTorch's refusals of a rounding division: two booleans, and an integer division by zero (numpy
    gives 0)."""
    if a.dtype.kind == "b" and b.dtype.kind == "b":
        raise TypeError(f"{name}: got two bool operands; expected numbers (as in PyTorch)")
    if a.dtype.kind in "iub" and b.dtype.kind in "iub":
        if (b == 0).any():
            raise ZeroDivisionError(f"{name}: integer division by zero; expected an integer divisor without "
                                    "zeros, or floats (which give inf or nan)")


def _division(name: str, fn: Any) -> Any:
    """``fn`` (a ufunc) on two arrays, after :func:`_check_operands`."""

    def arrays(a: Any, b: Any) -> np.ndarray:
        a, b = np.asarray(a), np.asarray(b)
        _check_operands(name, a, b)
        with np.errstate(divide="ignore", invalid="ignore"):  # x / 0.0 is inf or nan, as in PyTorch
            return fn(a, b)

    return arrays


def _truncated_quotient(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a / b`` rounded toward 0: floats through the true quotient, integers exactly (they keep their
    dtype), where the floored quotient is one too low: inexact divisions of operands of opposite signs."""
    if np.result_type(a, b).kind == "f":
        return np.trunc(np.true_divide(a, b))
    floored = np.floor_divide(a, b)
    return floored + ((np.remainder(a, b) != 0) & ((a < 0) != (b < 0)))


_ROUNDED_DIVISIONS = {
    # floor_divide's forward (-5 // inf is -1, as in Python and PyTorch), with gradient 0 rather than none
    "floor": _raising(_binary("div", _division("div", np.floor_divide), DIV_FLOOR, "//")),
    "trunc": _raising(_binary("div", _division("div", _truncated_quotient), DIV_TRUNC, "/")),
}


def div(a: Any, b: Any, *, rounding_mode: str | None = None) -> Tensor:
    """Elementwise ``a / b`` with broadcasting, its quotient rounded as ``rounding_mode`` says
    (``divide`` is another name for it).

    Parameters
    ----------
    rounding_mode : {None, 'trunc', 'floor'}
        None (the default) is true division: x / 0 gives inf or nan, and integers give floats (numpy's
        float64). ``'trunc'`` rounds the quotient toward 0 (C's integer division), ``'floor'`` toward -inf
        (``//``, Python's); both keep integer operands integers, as in PyTorch.

    The gradient of a rounded quotient is 0 for both operands (PyTorch's), where ``floor_divide`` (``//``)
    has none.

    Raises
    ------
    ZeroDivisionError
        With ``'trunc'`` or ``'floor'``, if both operands are integers and the divisor has a zero.
    TypeError
        With ``'trunc'`` or ``'floor'``, if both operands are bool tensors; or for a ``rounding_mode``
        that is not a string or None (ValueError for another string).

    Examples
    --------
    >>> from autograd import tensor, div
    >>> div(tensor([1.0, 2.0]), 2.0).tolist()
    [0.5, 1.0]
    >>> x = tensor([7, -7])
    >>> div(x, 2, rounding_mode="trunc").tolist(), x.div(2, rounding_mode="floor").tolist()
    ([3, -3], [3, -4])
    """
    if rounding_mode is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _divide(a, b)
    rounded = _ROUNDED_DIVISIONS.get(rounding_mode) if isinstance(rounding_mode, str) else None
    if rounded is None:
        raise (ValueError if isinstance(rounding_mode, str) else TypeError)(
            f"div: got rounding_mode={rounding_mode!r}; expected None, 'trunc' or 'floor'")
    return rounded(a, b)


divide = div


def pow(a: Any, b: Any) -> Tensor:  # noqa: A001 - the operator's name
    """Elementwise ``a ** b``; a negative base to a non-integer power gives nan.

    As in PyTorch, a number exponent of 0.5 or -0.5 gives ``sqrt(a)`` or ``1 / sqrt(a)`` (so
    ``(-0.0) ** 0.5`` is -0.0), and a tensor exponent C's ``pow`` (``(-0.0) ** tensor(0.5)`` is 0.0).
    The derivative with respect to ``a`` is 0 where ``b`` is 0, and with respect to ``b`` it is 0 where
    ``a`` is 0 and ``b >= 0``. With a number as the exponent, every order of derivative of ``a ** n``
    (n = 0, 1, 2, ...) is finite at ``a = 0``.

    Examples
    --------
    >>> from autograd import tensor, pow
    >>> pow(tensor([2.0, 3.0]), 2).tolist()
    [4.0, 9.0]
    """
    number = not isinstance(b, Tensor)
    a, b = pair(a, b, "pow")
    return _power(a, b, _NUMBER_EXPONENT if number and b.data.ndim == 0 else None)


def _power(a: Tensor, b: Tensor, ctx: Any) -> Tensor:
    if a.data.dtype.kind in "iub" and b.data.dtype.kind in "iu":
        out = broadcasting("pow", np.power, a.data.astype(np.int64), b.data)
    else:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if ctx is _NUMBER_EXPONENT:  # a 0-d exponent, which broadcasts with anything
                out = power(a.data, b.data, True)
            else:
                out = broadcasting("pow", power, a.data, b.data)
    return result(out, (a, b), POW, ctx)


def neg(a: ArrayLike) -> Tensor:
    """Elementwise ``-a``.

    Examples
    --------
    >>> from autograd import tensor, neg
    >>> neg(tensor([1.0, -2.0])).tolist()
    [-1.0, 2.0]
    """
    if type(a) is not Tensor:
        a = tensor_arg(a, "neg")
    if a.data.dtype.kind == "b":
        raise RuntimeError("neg: got a bool tensor; expected numbers (bools have no negative: invert a mask "
                           "with ~mask or logical_not)")
    return result(np.negative(a.data), (a,), NEG)


_MISSING = object()


def where(condition: Any, a: Any = _MISSING, b: Any = _MISSING) -> Tensor | tuple[Tensor, ...]:
    """Elements of ``a`` where ``condition`` holds, of ``b`` elsewhere (broadcasting all three).

    The gradient flows to ``a`` where the condition holds and to ``b`` elsewhere. With the condition
    alone, ``where(condition)`` is ``nonzero(condition, as_tuple=True)``: one int64 tensor of indices per
    dimension, of the entries that are not 0 (as in PyTorch and numpy).

    Examples
    --------
    >>> from autograd import tensor, where
    >>> x = tensor([-1.0, 2.0])
    >>> where(x.data > 0, x, 0.0).tolist()
    [0.0, 2.0]
    >>> [i.tolist() for i in where(tensor([[0, 1], [1, 1]]))]
    [[0, 1, 1], [1, 0, 1]]
    """
    if a is _MISSING or b is _MISSING:
        if a is not b:
            raise TypeError("where: got a condition and one of the two tensors to choose from; expected "
                            "where(condition, a, b), or where(condition) for the indices of its nonzero "
                            "entries")
        if not isinstance(condition, Tensor):
            condition = tensor_arg(condition, "where", "a condition")
        return nonzero(condition, as_tuple=True)
    if isinstance(condition, Tensor):
        cond = condition.data
    else:
        try:
            cond = np.asarray(condition)
        except ValueError:  # a ragged list
            raise ValueError(f"where: got a condition {describe(condition)} whose nested lists differ in "
                             "length; expected booleans of one rectangular shape, such as x > 0") from None
    if cond.dtype != np.bool_:
        if cond.dtype.kind not in "iu":  # 0/1 masks are unambiguous; a float "condition" is a mistake
            if isinstance(condition, (Tensor, np.ndarray)):
                got = f"the condition has dtype {cond.dtype}"
            else:
                got = f"got a condition {describe(condition)}, of dtype {cond.dtype}"
            raise TypeError(f"where: {got}; expected booleans, such as x > 0")
        cond = cond.astype(bool)
    a, b = pair(a, b, "where")
    out = broadcasting("where", np.where, cond, a.data, b.data)
    return result(out, (a, b), WHERE, cond)


def _where_rule(node: Tensor, g: Tensor) -> tuple:
    cond = node._ctx
    a, b = node._parents
    zero = as_tensor(0.0, like=g)
    ga = where(cond, g, zero) if a._requires_grad else None
    gb = where(cond, zero, g) if b._requires_grad else None
    return (ga, gb)


def _where_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    cond = node._ctx
    a, b = node._parents
    ga = np.where(cond, g, 0) if a._requires_grad else None
    return (ga, np.where(cond, 0, g) if b._requires_grad else None)


WHERE = TensorOp("where", _where_rule, _where_array_rule)


def _compare(name: str, fn: Any) -> Any:
    def compare(a: Any, b: Any) -> Tensor:
        a, b = pair(a, b, name)
        return as_tensor(broadcasting(name, fn, a.data, b.data))

    compare.__name__ = name
    compare.__doc__ = (
        f"Elementwise ``{name}`` comparison; returns a bool tensor that carries no gradient.\n\n"
        "Examples\n--------\n>>> from autograd import tensor\n"
        f">>> tensor([1.0, 2.0]).{name}(1.5).tolist()\n"
        f"{[bool(fn(1.0, 1.5)), bool(fn(2.0, 1.5))]}\n"
    )
    return compare


eq = _compare("eq", np.equal)
ne = _compare("ne", np.not_equal)
lt = _compare("lt", np.less)
le = _compare("le", np.less_equal)
gt = _compare("gt", np.greater)
ge = _compare("ge", np.greater_equal)


def _reflected(fn: Any) -> Any:
    def reflected(self: Tensor, other: Any) -> Tensor:
        return fn(other, self)

    return reflected


def _checked(fn: Any) -> Any:
    # Dunders return NotImplemented for operands they cannot use, so Python's error names both types.
    def dunder(self: Tensor, other: Any) -> Any:
        if not isinstance(other, _OPERANDS):
            return NotImplemented
        return fn(self, other)

    return dunder


METHODS = {
    "__add__": _add, "__radd__": _reflected(_add),
    "__sub__": _sub, "__rsub__": _reflected(_sub),
    "__mul__": _mul, "__rmul__": _reflected(_mul),
    "__truediv__": _checked(div), "__rtruediv__": _checked(_reflected(div)),
    "__pow__": _checked(pow), "__rpow__": _checked(_reflected(pow)),
    "__neg__": neg,
    "__eq__": _checked(eq), "__ne__": _checked(ne), "__lt__": _checked(lt), "__le__": _checked(le),
    "__gt__": _checked(gt), "__ge__": _checked(ge),
    "add": add, "sub": sub, "mul": mul, "div": div, "divide": divide, "pow": pow, "neg": neg,
    "eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge,
}
FUNCTIONS = {"add": add, "sub": sub, "mul": mul, "div": div, "divide": divide, "pow": pow, "neg": neg,
             "where": where, "eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge}
