"""Elementwise functions of one tensor: exp, log, trigonometry, activations, clamps."""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, constant_like, describe, result
from ._common import broadcasting, floating, tensor_arg
from .arithmetic import where
from .special import erf_array


def _unary(name: str, forward: Any, rule: Any, doc: str, example: str, total: bool = False,
           array_rule: Any = None) -> Any:
    """The public function of an elementwise primitive. ``total`` marks functions defined and finite
    everywhere (relu, abs, ...): they skip the floating-point error state, which costs more than they do."""
    op = TensorOp(name, rule, array_rule)

    def fn(x: ArrayLike) -> Tensor:
        if type(x) is not Tensor:
            x = tensor_arg(x, name)
        if total:
            return result(forward(x.data), (x,), op)
        with np.errstate(all="ignore"):  # domain errors give nan/inf, as in numpy and PyTorch
            return result(forward(x.data), (x,), op)

    fn.__name__ = name
    fn.__doc__ = f"{doc}\n\nExamples\n--------\n>>> from autograd import tensor\n{example}\n"
    return fn


def _times(g: np.ndarray, d: Any) -> np.ndarray:
    """``g * d``, written into ``g`` where it can hold the product: an array rule owns the gradient it is
    given (TensorOp.vjp), and a backward pass then allocates one array fewer per elementwise function."""
    if type(d) is np.ndarray and g.flags.writeable and g.shape == d.shape and (
            d.dtype == g.dtype or d.dtype.kind == "b"):
        return np.multiply(g, d, out=g)
    return g * d


def _chain(name: str, forward: Any, derivative: Any, doc: str, example: str, total: bool = False,
           array_derivative: Any = None) -> Any:
    """:func:`_unary` for a function whose derivative is ``derivative(x, y)``, a formula of the input x
    and the output y written with operations that Tensors and numpy arrays share. The one formula gives
    both rules: on Tensors (recorded under create_graph) and on arrays. A derivative that needs another
    function of x (cosh for sinh, say), which Tensors have as a method and numpy as a function, gives its
    array form as ``array_derivative``."""
    on_arrays = derivative if array_derivative is None else array_derivative

    def rule(node: Tensor, g: Tensor) -> tuple:
        return (g * derivative(node._parents[0], node),)

    def array_rule(node: Tensor, g: np.ndarray) -> tuple:
        if total:
            return (_times(g, on_arrays(node._parents[0].data, node.data)),)
        with np.errstate(all="ignore"):  # 1 / 0 at the edge of a domain is inf, as in the forward
            return (_times(g, on_arrays(node._parents[0].data, node.data)),)

    return _unary(name, forward, rule, doc, example, total, array_rule)


exp = _chain("exp", np.exp, lambda x, y: y, "Elementwise e ** x.",
             ">>> tensor([0.0]).exp().tolist()\n[1.0]")
log = _chain("log", np.log, lambda x, y: 1.0 / x,
             "Natural logarithm (nan below 0, -inf at 0).", ">>> tensor([1.0]).log().tolist()\n[0.0]")
sqrt = _chain("sqrt", np.sqrt, lambda x, y: 0.5 / y, "Square root (nan below 0).",
              ">>> tensor([4.0]).sqrt().tolist()\n[2.0]")
sin = _unary("sin", np.sin, lambda n, g: (g * n._parents[0].cos(),), "Sine.",
             ">>> tensor([0.0]).sin().tolist()\n[0.0]")
cos = _unary("cos", np.cos, lambda n, g: (-g * n._parents[0].sin(),), "Cosine.",
             ">>> tensor([0.0]).cos().tolist()\n[1.0]")
tan = _chain("tan", np.tan, lambda x, y: 1.0 + y * y, "Tangent.",
             ">>> tensor([0.0]).tan().tolist()\n[0.0]")
tanh = _chain("tanh", np.tanh, lambda x, y: 1.0 - y * y, "Hyperbolic tangent.",
              ">>> tensor([0.0]).tanh().tolist()\n[0.0]")


# sigmoid, softplus, leaky_relu, elu, erf and gelu take integers and booleans to the float dtype np.exp
# gives them (see floating): their formulas would otherwise keep the integer dtype and truncate.
def _sigmoid_forward(x: np.ndarray) -> np.ndarray:
    x = floating(x)
    # exp of a non-positive number only, so large |x| neither overflows nor loses precision
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


sigmoid = _chain("sigmoid", _sigmoid_forward, lambda x, y: y * (1.0 - y),
                 "Logistic function 1 / (1 + e ** -x), stable for large |x|.",
                 ">>> tensor([0.0]).sigmoid().tolist()\n[0.5]", total=True)

# The output is positive exactly where the input is. The comparison gives a boolean mask (a constant
# Tensor, or an array), which multiplies without a cast.
# relu's derivative is 1 where its output is not 0: where the input is positive, and, as in PyTorch, where
# it is nan (max(nan, 0) is nan), so that a nan upstream is not hidden by a zero gradient
relu = _chain("relu", lambda x: np.maximum(x, False if x.dtype.kind == "b" else 0), lambda x, y: y != 0,
              "max(x, 0); the derivative at 0 is 0 (textbook 9.73).",
              ">>> tensor([-1.0, 2.0]).relu().tolist()\n[0.0, 2.0]", total=True)


# abs, sign, leaky_relu and clamp multiply the gradient by a constant (constant_like takes arrays as well
# as Tensors), so each rule serves as its own array rule.
def _abs_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0].data
    # the sign, but 0 rather than nan at a nan input, as in PyTorch
    return (g * constant_like((x > 0).astype(x.dtype) - (x < 0), g),)


abs = _unary("abs", np.abs, _abs_rule, "Absolute value; the derivative at 0 is 0.",  # noqa: A001
             ">>> tensor([-1.5]).abs().tolist()\n[1.5]", total=True, array_rule=_abs_rule)


def _softplus_forward(x: np.ndarray) -> np.ndarray:
    x = floating(x)
    return (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(x.dtype, copy=False)


softplus = _unary("softplus", _softplus_forward, lambda n, g: (g * n._parents[0].sigmoid(),),
                  "log(1 + e ** x), computed without overflow.",
                  ">>> round(tensor([0.0]).softplus().item(), 4)\n0.6931")


def _sign_rule(node: Tensor, g: Tensor) -> tuple:
    return (g * 0.0,)  # arrays and Tensors alike


sign = _unary("sign", np.sign, _sign_rule,
              "Sign (-1, 0 or 1). A step function: its gradient is 0 everywhere (documented convention).",
              ">>> tensor([-2.0, 0.0, 3.0]).sign().tolist()\n[-1.0, 0.0, 1.0]", total=True,
              array_rule=_sign_rule)


def _leaky_relu_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0].data
    return (g * constant_like(np.where(x > 0, 1.0, node._ctx), g),)


LEAKY_RELU = TensorOp("leaky_relu", _leaky_relu_rule, _leaky_relu_rule)


def leaky_relu(x: ArrayLike, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, ``negative_slope * x`` otherwise; the derivative at 0 is ``negative_slope``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.0, 2.0]).leaky_relu(0.1).tolist()
    [-0.10000000149011612, 2.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "leaky_relu")
    slope = float(negative_slope)
    d = floating(x.data)
    out = np.where(d > 0, d, d * slope).astype(d.dtype, copy=False)
    return result(out, (x,), LEAKY_RELU, slope)


# elu, selu and celu are one family, PyTorch's: scale * x for x > 0 and
# scale * alpha * (e ** (input_scale * x) - 1) otherwise. Each op saves its alpha; ``coefficients(alpha)``
# gives its scale and input_scale.
def _elu_op(name: str, coefficients: Any) -> TensorOp:
    # The derivative is scale where x > 0 (and at nan, as in PyTorch) and
    # scale * alpha * input_scale * e ** (input_scale * x) elsewhere, from e ** x itself: through the output,
    # y + scale * alpha, it would lose its digits to cancellation where x is very negative.
    def rule(node: Tensor, g: Tensor) -> tuple:
        x = node._parents[0]
        d = x.data
        scale, input_scale = coefficients(node._ctx)
        negative = scale * node._ctx * input_scale
        # The exponential is recorded where x < 0 only, so that, as in PyTorch, the first derivative at 0
        # is the left one and the second derivative there is 0; it sees 0 elsewhere, so it cannot overflow.
        flat = constant_like(np.where(d < 0, 0.0, np.where(d == 0, negative, scale)), g)
        left = where(d < 0, x, 0.0)
        return (g * (flat + where(d < 0, (left * input_scale).exp() * negative, 0.0)),)

    def array_rule(node: Tensor, g: np.ndarray) -> tuple:
        x = node._parents[0].data
        scale, input_scale = coefficients(node._ctx)
        with np.errstate(over="ignore"):  # e ** inf for a negative alpha, as in the forward
            left = np.exp(np.minimum(x, 0) * input_scale) * (scale * node._ctx * input_scale)
        return (_times(g, np.where(x <= 0, left, scale).astype(g.dtype, copy=False)),)

    return TensorOp(name, rule, array_rule)


def _elu_family(x: ArrayLike, name: str, op: TensorOp, alpha: float, scale: float,
                input_scale: float) -> Tensor:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    d = floating(x.data)
    with np.errstate(over="ignore", invalid="ignore"):  # e ** inf for a negative alpha, inf * 0
        negative = np.expm1(np.minimum(d, 0) * input_scale) * (scale * alpha)
        out = np.where(d > 0, d * scale, negative)
    return result(out.astype(d.dtype, copy=False), (x,), op, alpha)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
ELU = _elu_op("elu", lambda alpha: (1.0, 1.0))
SELU = _elu_op("selu", lambda alpha: (_SELU_SCALE, 1.0))
CELU = _elu_op("celu", lambda alpha: (1.0, 1.0 / alpha))


def elu(x: ArrayLike, alpha: float = 1.0) -> Tensor:
    """x for x > 0, ``alpha * (e ** x - 1)`` otherwise.

    The derivative at 0 is ``alpha`` (the left one) and the second derivative there 0, as in PyTorch.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([0.0, 1.0]).elu().tolist()
    [0.0, 1.0]
    """
    return _elu_family(x, "elu", ELU, float(real_arg(alpha, "elu", "alpha")), 1.0, 1.0)


def selu(x: ArrayLike) -> Tensor:
    """Scaled ELU: ``scale * elu(x, alpha)`` with PyTorch's constants alpha = 1.6733 and scale = 1.0507,
    which keep a standardised input standardised.

    The derivative at 0 is ``scale * alpha`` (the left one) and the second derivative there 0, as in
    PyTorch.

    Examples
    --------
    >>> from autograd import tensor
    >>> [round(v, 4) for v in tensor([-1.0, 0.0, 2.0]).selu().tolist()]
    [-1.1113, 0.0, 2.1014]
    """
    return _elu_family(x, "selu", SELU, _SELU_ALPHA, _SELU_SCALE, 1.0)


def celu(x: ArrayLike, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: x for x > 0, ``alpha * (e ** (x / alpha) - 1)`` otherwise.

    Raises
    ------
    ValueError
        If ``alpha`` is 0 (as PyTorch refuses it).

    Examples
    --------
    >>> from autograd import tensor
    >>> [round(v, 4) for v in tensor([-1.0, 2.0]).celu(0.5).tolist()]
    [-0.4323, 2.0]
    """
    alpha = float(real_arg(alpha, "celu", "alpha"))
    if alpha == 0:
        raise ValueError("celu: got alpha=0; expected a non-zero alpha (it divides the input)")
    return _elu_family(x, "celu", CELU, alpha, 1.0, 1.0 / alpha)


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _erf_forward(x: np.ndarray) -> np.ndarray:
    x = floating(x)
    if x.dtype == np.float32:
        return erf_array(x, np.float32)  # a shorter polynomial, in float32: about twice as fast
    return erf_array(x).astype(x.dtype, copy=False)


erf = _unary("erf", _erf_forward, lambda n, g: (g * _TWO_OVER_SQRT_PI * (-(n._parents[0] ** 2)).exp(),),
             "The error function 2/sqrt(pi) * integral of e ** -t**2 from 0 to x.",
             ">>> round(tensor([1.0]).erf().item(), 4)\n0.8427")

_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


# The forward saves Phi(x) (or, for the tanh formula, its tanh), so that a plain backward pass computes
# d gelu / dx = Phi(x) + x phi(x) without evaluating erf again, which is most of GELU's cost. A recorded
# pass recomputes it with the erf op instead, so that second derivatives see it.


def _gelu_derivative(x: Any, approximate: str, cdf_or_t: Any, exp: Any) -> Any:
    """d gelu / dx from x, Phi(x) (or the tanh of the tanh formula) and ``exp``, written with operations
    Tensors and arrays share."""
    if approximate == "tanh":
        t = cdf_or_t
        d_inner = _SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x * x)
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * d_inner
    pdf = exp(-0.5 * x * x) * (1.0 / math.sqrt(2.0 * math.pi))
    return cdf_or_t + x * pdf


def _gelu_saved(x: Any, approximate: str, tanh: Any, erf_fn: Any) -> Any:
    """Phi(x), or the tanh of the tanh formula, with the given ``tanh`` and ``erf_fn``."""
    if approximate == "tanh":
        return tanh(_SQRT_2_OVER_PI * (x + 0.044715 * (x * x * x)))  # numpy's pow: 50x slower for x < 0
    return 0.5 * (1.0 + erf_fn(x * (1.0 / _SQRT_2)))


def _gelu_rule(node: Tensor, g: Tensor) -> tuple:
    x, approximate = node._parents[0], node._ctx[0]
    return (g * _gelu_derivative(x, approximate, _gelu_saved(x, approximate, tanh, erf), exp),)


def _gelu_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    approximate, saved = node._ctx
    with np.errstate(over="ignore", invalid="ignore"):  # past the float range, as in the forward
        return (g * _gelu_derivative(node._parents[0].data, approximate, saved, np.exp),)


GELU = TensorOp("gelu", _gelu_rule, _gelu_array_rule)


def gelu(x: ArrayLike, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit x * Phi(x); ``approximate="tanh"`` uses the tanh formula.

    Examples
    --------
    >>> from autograd import tensor
    >>> round(tensor([1.0]).gelu().item(), 4)
    0.8413
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "gelu")
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: got approximate={approximate!r}; expected 'none' or 'tanh'")
    d = floating(x.data)
    with np.errstate(over="ignore", invalid="ignore"):
        saved = _gelu_saved(d, approximate, np.tanh, _erf_forward)
        out = 0.5 * d * (1.0 + saved) if approximate == "tanh" else d * saved
    return result(np.asarray(out, dtype=d.dtype), (x,), GELU, (approximate, saved))


def _clamp_rule(node: Tensor, g: Tensor) -> tuple:
    lo, hi = node._ctx
    x = node._parents[0].data
    inside = np.ones(x.shape, dtype=bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    return (g * constant_like(inside, g),)


CLAMP = TensorOp("clamp", _clamp_rule, _clamp_rule)


def _is_number_or_none(bound: Any) -> bool:
    return bound is None or isinstance(bound, (int, float, np.generic))


def _bound_tensor(bound: Any, x: Tensor) -> Tensor | None:
    if bound is None or isinstance(bound, Tensor):
        return bound
    if isinstance(bound, float) and x.data.dtype.kind != "f":
        return as_tensor(np.float64(bound))  # np.clip's float64, not the float32 of a float next to ints
    return as_tensor(bound, like=x if _is_number_or_none(bound) else None)


def _clamp_tensors(x: Tensor, min: Any, max: Any) -> Tensor:  # noqa: A002
    """clamp with a tensor among the bounds, as two selections: the gradient goes where the value comes
    from, to x itself at a tie (PyTorch's rule; maximum and minimum would split it). Where min == max
    and x is below, min gets it (PyTorch gives it to none of the three)."""
    lo, hi = _bound_tensor(min, x), _bound_tensor(max, x)
    if lo is not None and hi is not None:
        above = broadcasting("clamp", np.greater, lo.data, hi.data)
        if above.any():
            raise ValueError(f"clamp: got min > max at {int(above.sum())} of {above.size} positions")
    out = x
    # a nan bound gives nan, as np.clip and PyTorch do (bound != bound only for nan)
    if lo is not None:
        out = where(broadcasting("clamp", np.less, out.data, lo.data) | (lo.data != lo.data), lo, out)
    if hi is not None:
        out = where(broadcasting("clamp", np.greater, out.data, hi.data) | (hi.data != hi.data), hi, out)
    return out


def clamp(x: ArrayLike, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """Limit values to ``[min, max]``; the gradient is 1 inside (bounds included) and 0 outside.

    Each bound is a number or a tensor (or an array) that broadcasts with ``x``. A tensor bound that
    requires grad receives the gradient where it is the result (where ``x`` lies beyond it). With number
    bounds a floating tensor keeps its dtype; otherwise the result has ``np.clip``'s dtype (an integer
    tensor clamped to a float bound gives floats).

    Raises
    ------
    ValueError
        If neither bound is given, or if ``min > max`` anywhere.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-2.0, 0.5, 3.0]).clamp(-1, 1).tolist()
    [-1.0, 0.5, 1.0]
    >>> tensor([1, 2, 3]).clamp(max=2.5).tolist()
    [1.0, 2.0, 2.5]
    >>> tensor([-2.0, 0.5, 3.0]).clamp(min=tensor([0.0, 0.0, 4.0])).tolist()
    [0.0, 0.5, 4.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "clamp")
    if min is None and max is None:
        raise ValueError("clamp: got min=None and max=None; expected at least one bound")
    if not (_is_number_or_none(min) and _is_number_or_none(max)):
        return _clamp_tensors(x, min, max)
    if min is not None and max is not None and min > max:
        raise ValueError(f"clamp: got min={min} > max={max}")
    out = np.clip(x.data, min, max)
    if x.data.dtype.kind == "f":
        out = out.astype(x.data.dtype, copy=False)  # a float64 numpy scalar bound must not widen it
    return result(out, (x,), CLAMP, (min, max))


clip = clamp


# ----------------------------------------------------------------------------------------- more math
# PyTorch's names. The forwards are numpy's ufuncs, which give integers and booleans np.exp's float dtype
# (reciprocal and rsqrt go through floating first: numpy's integer reciprocal truncates).
_INV_LN2 = 1.0 / math.log(2.0)
_INV_LN10 = 1.0 / math.log(10.0)

log1p = _chain("log1p", np.log1p, lambda x, y: 1.0 / (x + 1.0),
               "log(1 + x), accurate for small x (nan below -1, -inf at -1).",
               ">>> tensor([0.0]).log1p().tolist()\n[0.0]")
expm1 = _chain("expm1", np.expm1, lambda x, y: y + 1.0, "e ** x - 1, accurate for small x.",
               ">>> tensor([0.0]).expm1().tolist()\n[0.0]")
log2 = _chain("log2", np.log2, lambda x, y: _INV_LN2 / x, "Base-2 logarithm (nan below 0, -inf at 0).",
              ">>> tensor([8.0]).log2().tolist()\n[3.0]")
log10 = _chain("log10", np.log10, lambda x, y: _INV_LN10 / x, "Base-10 logarithm (nan below 0, -inf at 0).",
               ">>> tensor([100.0], dtype='float64').log10().tolist()\n[2.0]")
# as x ** 2: integers keep their dtype and booleans become int64 (PyTorch's rules)
square = _chain("square", lambda x: np.square(x.astype(np.int64) if x.dtype.kind == "b" else x),
                lambda x, y: 2.0 * x, "x * x; integers keep their dtype and booleans give int64.",
                ">>> tensor([-3.0]).square().tolist()\n[9.0]")
rsqrt = _chain("rsqrt", lambda x: 1.0 / np.sqrt(floating(x)), lambda x, y: -0.5 * y * y * y,
               "1 / sqrt(x) (nan below 0, inf at 0).", ">>> tensor([4.0]).rsqrt().tolist()\n[0.5]")
reciprocal = _chain("reciprocal", lambda x: 1.0 / floating(x), lambda x, y: -(y * y),
                    "1 / x (integers give floats, as in PyTorch, not numpy's truncated quotient).",
                    ">>> tensor([4]).reciprocal().tolist()\n[0.25]")


def _rsqrt_of(v: Any) -> Any:
    """1 / sqrt(v) of a Tensor (recorded) or an array: nan for v < 0, -inf included, where ``v ** -0.5``
    would give 0."""
    return v.rsqrt() if isinstance(v, Tensor) else 1.0 / np.sqrt(v)


asin = _chain("asin", np.arcsin, lambda x, y: _rsqrt_of(1.0 - x * x), "Inverse sine (nan outside [-1, 1]).",
              ">>> tensor([0.0]).asin().tolist()\n[0.0]")
acos = _chain("acos", np.arccos, lambda x, y: -_rsqrt_of(1.0 - x * x),
              "Inverse cosine (nan outside [-1, 1]).", ">>> tensor([1.0]).acos().tolist()\n[0.0]")
atan = _chain("atan", np.arctan, lambda x, y: 1.0 / (1.0 + x * x), "Inverse tangent.",
              ">>> tensor([0.0]).atan().tolist()\n[0.0]")
sinh = _chain("sinh", np.sinh, lambda x, y: x.cosh(), "Hyperbolic sine.",
              ">>> tensor([0.0]).sinh().tolist()\n[0.0]", array_derivative=lambda x, y: np.cosh(x))
cosh = _chain("cosh", np.cosh, lambda x, y: x.sinh(), "Hyperbolic cosine.",
              ">>> tensor([0.0]).cosh().tolist()\n[1.0]", array_derivative=lambda x, y: np.sinh(x))
asinh = _chain("asinh", np.arcsinh, lambda x, y: _rsqrt_of(x * x + 1.0), "Inverse hyperbolic sine.",
               ">>> tensor([0.0]).asinh().tolist()\n[0.0]")
acosh = _chain("acosh", np.arccosh, lambda x, y: _rsqrt_of(x * x - 1.0),
               "Inverse hyperbolic cosine (nan below 1).", ">>> tensor([1.0]).acosh().tolist()\n[0.0]")
atanh = _chain("atanh", np.arctanh, lambda x, y: 1.0 / (1.0 - x * x),
               "Inverse hyperbolic tangent (nan outside [-1, 1], ±inf at ±1).",
               ">>> tensor([0.0]).atanh().tolist()\n[0.0]")
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


def _sinc_forward(x: np.ndarray) -> np.ndarray:
    x = floating(x)
    px = np.pi * x
    return np.where(x == 0, 1.0, np.sin(px) / px).astype(x.dtype, copy=False)


# sinc'(x) = (cos(pi x) - sinc(x)) / x loses its digits to cancellation as x nears 0 (and is 0 / 0 there),
# so below _SINC_SERIES_BELOW the rules use its series -pi**2/3 x + pi**4/30 x**3, which is exact to double
# precision there and gives the second derivative at 0 too (-pi**2 / 3; PyTorch's is nan there).
_SINC_SERIES_BELOW = 1e-3
_SINC_C1 = -math.pi ** 2 / 3.0
_SINC_C3 = math.pi ** 4 / 30.0


def _sinc_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0]
    small = np.abs(x.data) < _SINC_SERIES_BELOW
    if not small.any():
        return (g * (((math.pi * x).cos() - node) / x),)
    safe = where(small, 1.0, x)  # keeps the branch where() drops finite, and its gradient with it
    series = x * (_SINC_C1 + _SINC_C3 * (x * x))
    return (g * where(small, series, ((math.pi * safe).cos() - node) / safe),)


def _sinc_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    x = node._parents[0].data
    with np.errstate(all="ignore"):
        d = np.where(np.abs(x) < _SINC_SERIES_BELOW, x * (_SINC_C1 + _SINC_C3 * (x * x)),
                     (np.cos(np.pi * x) - node.data) / x)
    return (_times(g, d.astype(x.dtype, copy=False)),)


sinc = _unary("sinc", _sinc_forward, _sinc_rule,
              "The normalized sinc function sin(pi x) / (pi x), 1 at x = 0.",
              ">>> tensor([0.0, 1.0, 0.5]).sinc().tolist()[0]\n1.0", array_rule=_sinc_array_rule)


# ----------------------------------------------------------------------------------------- more activations
# PyTorch has these in torch.nn.functional only; here they are functions and Tensor methods, as gelu and elu
# are. Integers and booleans give np.exp's float dtype, as sigmoid does.
def _silu_derivative(x: Any, s: Any) -> Any:
    """d silu / dx from x and sigmoid(x), for Tensors and arrays alike."""
    return s * (1.0 + x * (1.0 - s))


silu = _chain("silu", lambda x: floating(x) * _sigmoid_forward(x),
              lambda x, y: _silu_derivative(x, x.sigmoid()),
              "Sigmoid-weighted linear unit x * sigmoid(x) (also called swish).",
              ">>> tensor([0.0]).silu().tolist()\n[0.0]",
              array_derivative=lambda x, y: _silu_derivative(x, _sigmoid_forward(x)))


def _mish_derivative(x: Any, t: Any, s: Any) -> Any:
    """d mish / dx from x, t = tanh(softplus(x)) and s = sigmoid(x) (softplus' derivative)."""
    return t + x * s * (1.0 - t * t)


mish = _chain("mish", lambda x: floating(x) * np.tanh(_softplus_forward(x)),
              lambda x, y: _mish_derivative(x, x.softplus().tanh(), x.sigmoid()),
              "x * tanh(softplus(x)).", ">>> tensor([0.0]).mish().tolist()\n[0.0]",
              array_derivative=lambda x, y: _mish_derivative(x, np.tanh(_softplus_forward(x)),
                                                             _sigmoid_forward(x)))
# builtins.abs: this module's abs makes a Tensor of an array; the derivative at 0 is 1 (and the second 0,
# abs' derivative there)
softsign = _chain("softsign", lambda x: floating(x) / (1.0 + np.abs(floating(x))),
                  lambda x, y: (1.0 + builtins.abs(x)) ** -2, "x / (1 + |x|).",
                  ">>> tensor([1.0, -3.0]).softsign().tolist()\n[0.5, -0.75]")
# log sigmoid(x) = -softplus(-x); its derivative 1 - sigmoid(x) is -expm1(y), accurate where it is tiny
logsigmoid = _chain("logsigmoid", lambda x: -_softplus_forward(-floating(x)), lambda x, y: -y.expm1(),
                    "log(sigmoid(x)), computed without overflow.",
                    ">>> round(tensor([0.0]).logsigmoid().item(), 4)\n-0.6931",
                    array_derivative=lambda x, y: -np.expm1(y))


def real_arg(value: Any, name: str, what: str) -> Any:
    """``value`` itself if it is a real number (a bool is not one), else a TypeError naming the function
    ``name`` and its argument ``what``.

    Examples
    --------
    >>> real_arg(0.5, "celu", "alpha")
    0.5
    >>> try:
    ...     real_arg("a", "celu", "alpha")
    ... except TypeError as exc:
    ...     print(exc)
    celu: got alpha of type str ('a'); expected a real number
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: got {what} {describe(value)}; expected a real number")
    return value


def _no_bool(x: Tensor, name: str) -> None:
    if x.data.dtype.kind == "b":
        raise TypeError(f"{name}: got a tensor of dtype bool; expected a tensor of numbers (as in PyTorch)")


# --------------------------------------------------------------------- piecewise linear activations
# Their derivative is a constant of the input alone (0 or 1 on each piece, 1/6 for hardsigmoid), so each
# rule multiplies the gradient by a constant and serves as its own array rule; a recorded pass gives the
# second derivative 0. At the joints and at nan the derivative is PyTorch's.
def _constant_derivative_rule(derivative: Any) -> Any:
    """The rule (Tensor and array rule alike) of an op whose derivative is ``derivative(x, ctx)`` (a mask,
    or a mask times a number) of its input array and its saved arguments."""

    def rule(node: Tensor, g: Any) -> tuple:
        return (_times(g, constant_like(derivative(node._parents[0].data, node._ctx), g)),)

    return rule


def _constant_derivative(name: str, derivative: Any) -> TensorOp:
    rule = _constant_derivative_rule(derivative)
    return TensorOp(name, rule, rule)


def _strictly_inside(x: np.ndarray, bounds: tuple) -> np.ndarray:
    # 0 at the bounds and beyond (clamp's is 1 at the bounds); a nan passes its gradient on
    return ~((x <= bounds[0]) | (x >= bounds[1]))


def _beyond(x: np.ndarray, lambd: float) -> np.ndarray:
    return ~((x >= -lambd) & (x <= lambd))  # true at nan, as in PyTorch


HARDTANH = _constant_derivative("hardtanh", _strictly_inside)
RELU6 = _constant_derivative("relu6", _strictly_inside)
HARDSHRINK = _constant_derivative("hardshrink", _beyond)
SOFTSHRINK = _constant_derivative("softshrink", _beyond)
THRESHOLD = _constant_derivative("threshold", lambda x, t: ~(x <= t))


def _clipped(x: Tensor, lo: Any, hi: Any, op: TensorOp) -> Tensor:
    out = np.clip(x.data, lo, hi).astype(x.data.dtype, copy=False)
    return result(out, (x,), op, (lo, hi))


def hardtanh(x: ArrayLike, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """``x`` limited to ``[min_val, max_val]``: clamp with PyTorch's hardtanh gradient, which is 1 strictly
    inside the bounds and 0 at them and beyond.

    The result keeps the tensor's dtype (an integer tensor gets the bounds truncated, as in PyTorch).

    Raises
    ------
    TypeError
        If a bound is not a real number, or ``x`` is a bool tensor (as PyTorch refuses it).
    ValueError
        If ``min_val > max_val``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-2.0, 0.5, 3.0]).hardtanh().tolist()
    [-1.0, 0.5, 1.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "hardtanh")
    real_arg(min_val, "hardtanh", "min_val")
    real_arg(max_val, "hardtanh", "max_val")
    _no_bool(x, "hardtanh")
    if min_val > max_val:
        raise ValueError(f"hardtanh: got min_val={min_val} > max_val={max_val}; expected min_val <= max_val")
    return _clipped(x, min_val, max_val, HARDTANH)


def relu6(x: ArrayLike) -> Tensor:
    """``min(max(x, 0), 6)``: hardtanh with the bounds 0 and 6, so its derivative is 0 at both (as in
    PyTorch). Integer tensors keep their dtype; bool tensors are refused.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.0, 3.0, 8.0]).relu6().tolist()
    [0.0, 3.0, 6.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "relu6")
    _no_bool(x, "relu6")
    return _clipped(x, 0, 6, RELU6)


def _hardsigmoid_forward(x: np.ndarray) -> np.ndarray:
    x = floating(x)
    return (np.clip(x + 3, 0, 6) / 6).astype(x.dtype, copy=False)


def _hardsigmoid_derivative(x: np.ndarray, ctx: Any) -> np.ndarray:
    return ((x > -3) & (x < 3)) * (1.0 / 6.0)  # 0 at -3, at 3 and at nan, as in PyTorch


_HARDSIGMOID_RULE = _constant_derivative_rule(_hardsigmoid_derivative)
hardsigmoid = _unary("hardsigmoid", _hardsigmoid_forward, _HARDSIGMOID_RULE,
                     "``relu6(x + 3) / 6``, a piecewise linear sigmoid: its derivative is 1/6 strictly "
                     "between -3 and 3 and 0 elsewhere (nan included), as in PyTorch.",
                     ">>> tensor([-4.0, 0.0, 1.5]).hardsigmoid().tolist()\n[0.0, 0.5, 0.75]", total=True,
                     array_rule=_HARDSIGMOID_RULE)


def _hardswish_forward(x: np.ndarray) -> np.ndarray:
    x = floating(x)
    return (x * np.clip(x + 3, 0, 6) / 6).astype(x.dtype, copy=False)


def _hardswish_rule(node: Tensor, g: Tensor) -> tuple:
    x = node._parents[0]
    inside = (x.data > -3) & (x.data < 3)
    ones = ~(x.data <= -3) & ~inside  # from 3 on, and at nan (PyTorch's rule)
    return (g * (constant_like(ones, g) + where(inside, x * (1.0 / 3.0) + 0.5, 0.0)),)


def _hardswish_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    x = node._parents[0].data
    d = np.where(x <= -3, 0.0, np.where(x < 3, x * (1.0 / 3.0) + 0.5, 1.0))
    return (_times(g, d.astype(g.dtype, copy=False)),)


hardswish = _unary("hardswish", _hardswish_forward, _hardswish_rule,
                   "``x * relu6(x + 3) / 6``. Its derivative is 0 up to -3 (included), ``x / 3 + 1/2`` "
                   "between -3 and 3, and 1 from 3 on (and at nan), as in PyTorch.",
                   ">>> tensor([-4.0, 0.0, 1.5, 4.0]).hardswish().tolist()\n[-0.0, 0.0, 1.125, 4.0]",
                   array_rule=_hardswish_array_rule)  # not total: -inf * 0 is nan, as in PyTorch


def hardshrink(x: ArrayLike, lambd: float = 0.5) -> Tensor:
    """``x`` where ``|x| > lambd``, 0 elsewhere; the derivative is 1 where ``|x| > lambd`` and 0 elsewhere.

    Integers and booleans give np.exp's float dtype, as for leaky_relu (PyTorch refuses them).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.0, 0.25, 0.5, 2.0]).hardshrink().tolist()
    [-1.0, 0.0, 0.0, 2.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "hardshrink")
    lambd = float(real_arg(lambd, "hardshrink", "lambd"))
    d = floating(x.data)
    out = np.where(_beyond(d, lambd), d, 0).astype(d.dtype, copy=False)
    return result(out, (x,), HARDSHRINK, lambd)


def softshrink(x: ArrayLike, lambd: float = 0.5) -> Tensor:
    """``x`` moved ``lambd`` towards 0, and 0 where ``|x| <= lambd``; the derivative is 1 where
    ``|x| > lambd`` and 0 elsewhere.

    Integers and booleans give np.exp's float dtype, as for leaky_relu (PyTorch refuses them).

    Raises
    ------
    ValueError
        If ``lambd`` is negative, infinite or nan (as PyTorch refuses it).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.0, 0.25, 2.0]).softshrink().tolist()
    [-0.5, 0.0, 1.5]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "softshrink")
    lambd = float(real_arg(lambd, "softshrink", "lambd"))
    if not 0 <= lambd < math.inf:
        raise ValueError(f"softshrink: got lambd={lambd}; expected a finite lambd >= 0")
    d = floating(x.data)
    out = d - np.clip(d, -lambd, lambd)  # nan stays nan
    return result(out.astype(d.dtype, copy=False), (x,), SOFTSHRINK, lambd)


def _tanh_squared(t: Any) -> Any:
    return t * t


tanhshrink = _chain("tanhshrink", lambda x: floating(x) - np.tanh(floating(x)),
                    lambda x, y: _tanh_squared(x.tanh()), "x - tanh(x); its derivative is tanh(x) ** 2.",
                    ">>> round(tensor([1.0]).tanhshrink().item(), 4)\n0.2384",
                    array_derivative=lambda x, y: _tanh_squared(np.tanh(x)))


def _in_dtype(value: Any, dtype: np.dtype, name: str, what: str) -> np.generic:
    """The number ``value`` in ``dtype``, as PyTorch converts a scalar argument to the tensor's dtype (an
    integer dtype truncates), refusing one that does not fit."""
    if dtype.kind == "f":
        with np.errstate(over="ignore"):  # refused below
            out = np.asarray(value, dtype=np.float64).astype(dtype)
        fits = not (math.isfinite(value) and np.isinf(out))
    else:
        fits = math.isfinite(value) and np.iinfo(dtype).min <= math.trunc(value) <= np.iinfo(dtype).max
        out = np.asarray(math.trunc(value) if fits else 0, dtype=dtype)
    if not fits:
        raise ValueError(f"{name}: got {what}={value!r}, which does not fit in the tensor's dtype {dtype}; "
                         "expected a number it can hold")
    return out[()]


def threshold(x: ArrayLike, threshold: float, value: float) -> Tensor:
    """``x`` where ``x > threshold``, ``value`` elsewhere; the derivative is 1 where ``x > threshold``
    (and at nan) and 0 elsewhere.

    The result keeps the tensor's dtype: ``threshold`` and ``value`` are converted to it first, as in
    PyTorch (an integer tensor truncates them).

    Raises
    ------
    TypeError
        If ``threshold`` or ``value`` is not a real number, or ``x`` is a bool tensor.
    ValueError
        If ``threshold`` or ``value`` does not fit in the tensor's dtype.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.0, 0.5, 2.0]).threshold(0.5, -9.0).tolist()
    [-9.0, -9.0, 2.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "threshold")
    real_arg(threshold, "threshold", "threshold")
    real_arg(value, "threshold", "value")
    _no_bool(x, "threshold")
    dtype = x.data.dtype
    t = _in_dtype(threshold, dtype, "threshold", "threshold")
    v = _in_dtype(value, dtype, "threshold", "value")
    return result(np.where(x.data <= t, v, x.data), (x,), THRESHOLD, t)


def clamp_min(x: ArrayLike, min: Any) -> Tensor:  # noqa: A002
    """``clamp(x, min=min)``: PyTorch's name for the lower bound alone (a number or a tensor).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.0, 2.0]).clamp_min(0.5).tolist()
    [0.5, 2.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "clamp_min")
    if min is None:
        raise TypeError("clamp_min: got min=None; expected a number or a tensor")
    return clamp(x, min=min)


def clamp_max(x: ArrayLike, max: Any) -> Tensor:  # noqa: A002
    """``clamp(x, max=max)``: PyTorch's name for the upper bound alone (a number or a tensor).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-1.0, 2.0]).clamp_max(0.5).tolist()
    [-1.0, 0.5]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "clamp_max")
    if max is None:
        raise TypeError("clamp_max: got max=None; expected a number or a tensor")
    return clamp(x, max=max)


_NAMES = ("exp", "erf", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "abs", "softplus",
          "sign", "leaky_relu", "elu", "gelu", "clamp", "clip",
          "log1p", "expm1", "log2", "log10", "square", "rsqrt", "reciprocal", "asin", "arcsin", "acos",
          "arccos", "atan", "arctan", "sinh", "cosh", "asinh", "arcsinh", "acosh", "arccosh", "atanh",
          "arctanh", "sinc", "silu", "mish", "softsign", "logsigmoid", "hardtanh",
          "selu", "celu", "relu6", "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink",
          "threshold", "clamp_min", "clamp_max")
METHODS = {name: globals()[name] for name in _NAMES}
METHODS["__abs__"] = abs
FUNCTIONS = dict(METHODS)
del FUNCTIONS["__abs__"]
