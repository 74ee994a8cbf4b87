"""Value: one float, its gradient, the nodes it came from and the rule that differentiates it.

Domain errors follow IEEE arithmetic and PyTorch rather than raising: ``log`` of a negative number,
``sqrt`` of a negative number and a finite negative base to a finite non-integer power give ``nan``;
``log(0)`` gives ``-inf``; overflow gives ``inf``; ``(-1) ** inf`` is 1. ``0 ** 0`` is 1, and its derivative
with respect to the base is 0.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Union

from . import counting, engine
from .tensor import describe

Number = Union[int, float]
_new = object.__new__
_next_seq = engine.next_sequence_number
_counters = counting._stack  # the same list object for the life of the process; a global read is cheaper


class ValueOp:
    """A scalar primitive: its name, a symbol for pictures and its vector-Jacobian rule."""

    __slots__ = ("name", "symbol", "vjp")

    def __init__(self, name: str, symbol: str, vjp: Any) -> None:
        self.name = name
        self.symbol = symbol
        self.vjp = vjp

    def __repr__(self) -> str:
        return f"ValueOp({self.name!r})"


def _constant(x: Any) -> float | None:
    """``x`` as a float when it is a real number, else None (the operators then return NotImplemented)."""
    return float(x) if _is_number(x) else None


def _is_number(x: Any) -> bool:
    if type(x) is float or type(x) is int:
        return True
    if isinstance(x, bool):
        return False
    if isinstance(x, (int, float)):
        return True
    # numpy scalars and 0-d arrays of a real dtype; a 0-d Tensor has both a dtype and ndim 0, but taken
    # for a number it would silently leave its graph
    return (getattr(getattr(x, "dtype", None), "kind", None) in ("f", "i", "u") and getattr(x, "ndim", 1) == 0
            and not isinstance(x, engine.GraphNode))


# --------------------------------------------------------------------------- safe float math
def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        return math.inf


def _log(a: float) -> float:
    if a > 0.0:
        return math.log(a)
    if a == 0.0:
        return -math.inf
    return math.nan


def _sqrt(a: float) -> float:
    return math.sqrt(a) if a >= 0.0 else math.nan


def _pow(a: float, b: float) -> float:
    # math.pow follows C's pow (so (-1) ** inf is 1 and (-inf) ** 0.5 is inf, as in PyTorch) but raises
    # where IEEE gives inf or nan; those cases are sorted out only after it has raised
    try:
        return math.pow(a, b)
    except OverflowError:
        return math.inf if (a > 0.0 or b % 2 == 0) else -math.inf
    except ValueError:
        if a != 0.0:  # a finite negative base to a finite non-integer power
            return math.nan
        # 0 ** negative: the sign of a zero base survives odd integer powers (IEEE)
        odd = b.is_integer() and b % 2 == 1
        return math.copysign(math.inf, a) if odd else math.inf


def _pow_number(a: float, b: float) -> float:
    """``a ** b`` for a Value to the power of a number: PyTorch takes a power of 1/2 or -1/2 for a
    square root or its reciprocal, so ``(-0.0) ** 0.5`` is -0.0 and ``(-inf) ** 0.5`` is nan there,
    where C's pow gives 0.0 and inf; the other powers are :func:`_pow`'s."""
    if b == 0.5:
        return _sqrt(a)
    if b == -0.5:
        return _divide(1.0, _sqrt(a))
    return _pow(a, b)


def _trig(fn: Any, a: float) -> float:
    # math.sin(inf) raises; IEEE (and PyTorch) give nan
    return fn(a) if math.isfinite(a) else math.nan


def _sigmoid(a: float) -> float:
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _softplus(a: float) -> float:
    # log(1 + e^a) without overflow for large a
    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))


# --------------------------------------------------------------------------- backward rules
# Each rule receives the node and the gradient reaching it and returns one contribution per parent.
def _add_vjp(node: "Value", g: float) -> tuple:
    return (g, g)


def _add_const_vjp(node: "Value", g: float) -> tuple:
    return (g,)


def _sub_vjp(node: "Value", g: float) -> tuple:
    return (g, -g)


def _neg_vjp(node: "Value", g: float) -> tuple:
    return (-g,)


_rsub_const_vjp = _neg_vjp  # c - a has the same rule as -a


def _mul_vjp(node: "Value", g: float) -> tuple:
    a, b = node._parents
    return (g * b.data, g * a.data)


def _mul_const_vjp(node: "Value", g: float) -> tuple:
    return (g * node._ctx,)


def _div_vjp(node: "Value", g: float) -> tuple:
    a, b = node._parents
    # -g a / b**2 computed as two divisions: b * b underflows to 0 for |b| < 1e-154
    return (_divide(g, b.data), _divide(_divide(-g * a.data, b.data), b.data))


def _rdiv_const_vjp(node: "Value", g: float) -> tuple:
    # c / a
    a = node._parents[0].data
    return (_divide(_divide(-g * node._ctx, a), a),)


def _pow_base_grad(a: float, b: float, g: float) -> float:
    if b == 0.0:
        # d/da a**0 = 0 everywhere, 0 ** 0 included, and whatever the upstream gradient (as in PyTorch)
        return 0.0
    return g * (b * _pow(a, b - 1.0))


def _pow_exponent_grad(a: float, b: float, out: float, g: float) -> float:
    if a == 0.0 and b >= 0.0:
        # d/db 0**b: PyTorch's convention makes it 0 for b >= 0 (a nan upstream gradient stays nan); for
        # b < 0 it is inf * log(0), an infinity
        return g * 0.0
    return g * (out * _log(a))


def _pow_const_vjp(node: "Value", g: float) -> tuple:
    b = node._ctx
    if b == 0.0:
        return (0.0,)
    return (g * (b * _pow_number(node._parents[0].data, b - 1.0)),)


def _rpow_const_vjp(node: "Value", g: float) -> tuple:
    return (_pow_exponent_grad(node._ctx, node._parents[0].data, node.data, g),)


def _pow_vjp(node: "Value", g: float) -> tuple:
    a, b = node._parents
    return (_pow_base_grad(a.data, b.data, g), _pow_exponent_grad(a.data, b.data, node.data, g))


def _exp_vjp(node: "Value", g: float) -> tuple:
    return (g * node.data,)


def _log_vjp(node: "Value", g: float) -> tuple:
    return (_divide(g, node._parents[0].data),)


def _sin_vjp(node: "Value", g: float) -> tuple:
    return (g * _trig(math.cos, node._parents[0].data),)


def _cos_vjp(node: "Value", g: float) -> tuple:
    return (-g * _trig(math.sin, node._parents[0].data),)


def _tan_vjp(node: "Value", g: float) -> tuple:
    return (g * (1.0 + node.data * node.data),)


def _tanh_vjp(node: "Value", g: float) -> tuple:
    return (g * (1.0 - node.data * node.data),)


def _sigmoid_vjp(node: "Value", g: float) -> tuple:
    s = node.data
    return (g * s * (1.0 - s),)


def _relu_vjp(node: "Value", g: float) -> tuple:
    # the output is not 0 where the input is positive, or nan (whose gradient passes, as in PyTorch)
    return (g if node.data != 0.0 else 0.0,)


def _leaky_relu_vjp(node: "Value", g: float) -> tuple:
    return (g if node._parents[0].data > 0.0 else g * node._ctx,)


def _abs_vjp(node: "Value", g: float) -> tuple:
    # g times the sign of the input, which is 0 at 0 and at nan (as PyTorch's sign): a nan or infinite
    # upstream gradient then gives nan there rather than vanishing
    a = node._parents[0].data
    return (g if a > 0.0 else -g if a < 0.0 else g * 0.0,)


def _sqrt_vjp(node: "Value", g: float) -> tuple:
    return (_divide(g * 0.5, node.data),)


def _softplus_vjp(node: "Value", g: float) -> tuple:
    return (g * _sigmoid(node._parents[0].data),)


def _sum_vjp(node: "Value", g: float) -> tuple:
    return (g,) * len(node._parents)


def _dot_vjp(node: "Value", g: float) -> tuple:
    # parents: w_1..w_n, x_1..x_n, then optionally the bias
    parents = node._parents
    n = node._ctx
    ws, xs = parents[:n], parents[n : 2 * n]
    grads = [g * x.data for x in xs]
    grads += [g * w.data for w in ws]
    if len(parents) > 2 * n:
        grads.append(g)
    return grads


ADD = ValueOp("add", "+", _add_vjp)
ADD_CONST = ValueOp("add", "+", _add_const_vjp)
SUB = ValueOp("sub", "-", _sub_vjp)
NEG = ValueOp("neg", "-", _neg_vjp)
RSUB_CONST = ValueOp("sub", "-", _rsub_const_vjp)
MUL = ValueOp("mul", "*", _mul_vjp)
MUL_CONST = ValueOp("mul", "*", _mul_const_vjp)
DIV = ValueOp("div", "/", _div_vjp)
RDIV_CONST = ValueOp("div", "/", _rdiv_const_vjp)
POW = ValueOp("pow", "**", _pow_vjp)
POW_CONST = ValueOp("pow", "**", _pow_const_vjp)
RPOW_CONST = ValueOp("pow", "**", _rpow_const_vjp)
EXP = ValueOp("exp", "exp", _exp_vjp)
LOG = ValueOp("log", "log", _log_vjp)
SIN = ValueOp("sin", "sin", _sin_vjp)
COS = ValueOp("cos", "cos", _cos_vjp)
TAN = ValueOp("tan", "tan", _tan_vjp)
TANH = ValueOp("tanh", "tanh", _tanh_vjp)
SIGMOID = ValueOp("sigmoid", "sigmoid", _sigmoid_vjp)
RELU = ValueOp("relu", "relu", _relu_vjp)
LEAKY_RELU = ValueOp("leaky_relu", "leaky_relu", _leaky_relu_vjp)
ABS = ValueOp("abs", "abs", _abs_vjp)
SQRT = ValueOp("sqrt", "sqrt", _sqrt_vjp)
SOFTPLUS = ValueOp("softplus", "softplus", _softplus_vjp)
SUM = ValueOp("sum", "sum", _sum_vjp)
DOT = ValueOp("dot", "dot", _dot_vjp)


def _node(data: float, parents: tuple, op: ValueOp, ctx: Any = None) -> "Value":
    out = _new(Value)
    out.data = data
    out._grad = 0.0
    out.label = ""
    out._parents = parents
    out._op = op
    out._ctx = ctx
    out._seq = _next_seq()
    if _counters:
        _counters[-1].record_forward(op.name)
    return out


class Value(engine.GraphNode):
    """A scalar that remembers how it was computed, so that gradients can flow back to its inputs.

    Parameters
    ----------
    data : float
        The number it holds (stored as a Python float).
    label : str, optional
        A name shown in pictures of the graph and in ``repr``.

    Notes
    -----
    After ``y.backward()`` every node of the graph holds d y / d node in ``.grad``. Leaves (the
    Values you create) *accumulate* across backward calls, as in PyTorch; call :meth:`zero_grad` or
    :func:`autograd.zero_grad` between steps. Interior nodes *hold this pass's gradient*: a second
    ``backward()`` overwrites them rather than adding to them, so nothing is ever counted twice.

    Examples
    --------
    >>> from autograd import Value
    >>> x = Value(0.5, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> (y.data, x.grad)
    (1.75, 4.0)
    """

    __slots__ = ("data", "_grad", "label", "_parents", "_op", "_ctx", "_seq", "__weakref__")

    def __init__(self, data: Number, label: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError("Value: got a Value as data; expected a real number (use .data to copy one)")
        if not _is_number(data):
            raise TypeError(f"Value: got data {describe(data)}; expected a real number")
        self.data = float(data)
        self._grad = 0.0
        self.label = "" if label is None else str(label)
        self._parents: tuple = ()
        self._op: ValueOp | None = None
        self._ctx: Any = None

    # ----------------------------------------------------------------- protocol for the engine
    _retains_grad = True  # interior Values always show their gradient (the textbook's diagrams)
    _sums_passes = False  # ... this pass's, so that a second backward() counts nothing twice

    def backward(self, gradient: Number = 1.0) -> None:
        """Fill ``.grad`` of every node of this Value's graph with d self / d node.

        Parameters
        ----------
        gradient : float, optional
            d L / d self for an outer quantity L (default 1).

        Examples
        --------
        >>> from autograd import Value, exp
        >>> x = Value(0.0)
        >>> exp(2 * x).backward()
        >>> x.grad
        2.0
        """
        if not _is_number(gradient):
            raise TypeError(
                f"Value.backward: got gradient {describe(gradient)}; expected a real number"
            )
        # Value graphs hold nothing beyond their parents, so they are always kept for another pass.
        engine.backward(self, float(gradient), retain_graph=True)

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0 for this Value and every node of its graph, leaves included.

        Examples
        --------
        >>> from autograd import Value
        >>> x = Value(2.0); y = x * x; y.backward(); y.zero_grad()
        >>> x.grad
        0.0
        """
        for node in engine.topological_order(self):
            node._grad = 0.0

    def item(self) -> float:
        """Return ``.data``."""
        return self.data

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self._grad!r}{label})"

    # ----------------------------------------------------------------- arithmetic
    def __add__(self, other: Any) -> "Value":
        if type(other) is Value:
            return _node(self.data + other.data, (self, other), ADD)
        if type(other) is float or (other := _constant(other)) is not None:
            return _node(self.data + other, (self,), ADD_CONST, other)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Any) -> "Value":
        if type(other) is Value:
            return _node(self.data - other.data, (self, other), SUB)
        if type(other) is float or (other := _constant(other)) is not None:
            return _node(self.data - other, (self,), ADD_CONST, -other)
        return NotImplemented

    def __rsub__(self, other: Any) -> "Value":
        if type(other) is float or (other := _constant(other)) is not None:
            return _node(other - self.data, (self,), RSUB_CONST, other)
        return NotImplemented

    def __neg__(self) -> "Value":
        return _node(-self.data, (self,), NEG)

    def __pos__(self) -> "Value":
        return self

    def __mul__(self, other: Any) -> "Value":
        if type(other) is Value:
            return _node(self.data * other.data, (self, other), MUL)
        if type(other) is float or (other := _constant(other)) is not None:
            return _node(self.data * other, (self,), MUL_CONST, other)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> "Value":
        if type(other) is Value:
            return _node(_divide(self.data, other.data), (self, other), DIV)
        if type(other) is float or (other := _constant(other)) is not None:
            return _node(_divide(self.data, other), (self,), MUL_CONST, _divide(1.0, other))
        return NotImplemented

    def __rtruediv__(self, other: Any) -> "Value":
        if type(other) is float or (other := _constant(other)) is not None:
            return _node(_divide(other, self.data), (self,), RDIV_CONST, other)
        return NotImplemented

    def __pow__(self, other: Any) -> "Value":
        if type(other) is Value:
            return _node(_pow(self.data, other.data), (self, other), POW)
        if type(other) is float or (other := _constant(other)) is not None:
            data = self.data
            # _pow_number differs from _pow only for a base <= 0 to the power of +-1/2; this spares the
            # common powers a function call
            if data > 0.0 or (other != 0.5 and other != -0.5):
                return _node(_pow(data, other), (self,), POW_CONST, other)
            return _node(_pow_number(data, other), (self,), POW_CONST, other)
        return NotImplemented

    def __rpow__(self, other: Any) -> "Value":
        if type(other) is float or (other := _constant(other)) is not None:
            return _node(_pow(other, self.data), (self,), RPOW_CONST, other)
        return NotImplemented

    # ----------------------------------------------------------------- functions
    def exp(self) -> "Value":
        """e ** self."""
        return _node(_exp(self.data), (self,), EXP)

    def log(self) -> "Value":
        """Natural logarithm (nan below 0, -inf at 0)."""
        return _node(_log(self.data), (self,), LOG)

    def sin(self) -> "Value":
        """Sine."""
        return _node(_trig(math.sin, self.data), (self,), SIN)

    def cos(self) -> "Value":
        """Cosine."""
        return _node(_trig(math.cos, self.data), (self,), COS)

    def tan(self) -> "Value":
        """Tangent."""
        return _node(_trig(math.tan, self.data), (self,), TAN)

    def tanh(self) -> "Value":
        """Hyperbolic tangent."""
        return _node(math.tanh(self.data), (self,), TANH)

    def sigmoid(self) -> "Value":
        """Logistic function 1 / (1 + e ** -self)."""
        return _node(_sigmoid(self.data), (self,), SIGMOID)

    def relu(self) -> "Value":
        """max(self, 0); its derivative at 0 is 0, and nan stays nan."""
        return _node(0.0 if self.data <= 0.0 else self.data, (self,), RELU)

    def leaky_relu(self, negative_slope: float = 0.01) -> "Value":
        """self for self > 0, ``negative_slope * self`` otherwise (derivative ``negative_slope`` at 0)."""
        slope = float(negative_slope)
        return _node(self.data if self.data > 0.0 else slope * self.data, (self,), LEAKY_RELU, slope)

    def abs(self) -> "Value":
        """Absolute value; its derivative at 0 is 0."""
        return _node(abs(self.data), (self,), ABS)

    def __abs__(self) -> "Value":
        return self.abs()

    def sqrt(self) -> "Value":
        """Square root (nan below 0)."""
        return _node(_sqrt(self.data), (self,), SQRT)

    def softplus(self) -> "Value":
        """log(1 + e ** self), computed without overflow."""
        return _node(_softplus(self.data), (self,), SOFTPLUS)


# The engine reads and writes every node's slot ``_grad``; a Value shows it as ``.grad``, the same slot
# under its public name, with no Python code in between: a Value's gradient is whatever float its user
# sets (micrograd-style loops write ``p.grad = 0.0``), so there is nothing to check, and reading or
# writing it costs what a plain attribute does.
_GRAD_SLOT = Value.__dict__["_grad"]
Value.grad = property(  # type: ignore[attr-defined]
    _GRAD_SLOT.__get__, _GRAD_SLOT.__set__, None,
    "d output / d self after ``backward()``: a float, 0.0 before any pass (leaves accumulate across "
    "passes).")


def _divide(a: float, b: float) -> float:
    """a / b with IEEE results (inf, nan) where Python raises ZeroDivisionError or OverflowError."""
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    try:
        return a / b
    except OverflowError:
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _as_value(x: Any, where: str) -> Value:
    if type(x) is Value:
        return x
    if _is_number(x):
        return Value(x)
    raise TypeError(f"{where}: got {type(x).__name__}; expected a Value or a real number")


def value_sum(values: Iterable[Value | Number]) -> Value:
    """Sum many Values as one node (one local derivative per term).

    Parameters
    ----------
    values : iterable of Value or numbers
        The terms, added left to right.

    Examples
    --------
    >>> from autograd import Value, value_sum
    >>> xs = [Value(1.0), Value(2.0), Value(3.0)]
    >>> s = value_sum(xs); s.backward()
    >>> (s.data, [x.grad for x in xs])
    (6.0, [1.0, 1.0, 1.0])
    """
    terms = tuple(_as_value(v, "value_sum") for v in values)
    if not terms:
        raise ValueError("value_sum: got no terms; expected at least one Value")
    total = 0.0
    for t in terms:
        total += t.data
    return _node(total, terms, SUM)


def value_dot(weights: list[Value], inputs: list[Value | Number], bias: Value | None = None) -> Value:
    """``bias + w_1 x_1 + ... + w_n x_n`` as one node: the pre-activation of a neuron.

    The sum runs left to right starting from ``bias``, the same order as summing the products one
    by one, so the result is bitwise equal to the unfused expression.

    Parameters
    ----------
    weights, inputs : lists of Value (inputs may be numbers)
        Of equal length.
    bias : Value, optional

    Examples
    --------
    >>> from autograd import Value, value_dot
    >>> w = [Value(2.0), Value(-1.0)]
    >>> y = value_dot(w, [3.0, 4.0], Value(0.5)); y.backward()
    >>> (y.data, [wi.grad for wi in w])
    (2.5, [3.0, 4.0])
    """
    ws = tuple(_as_value(w, "value_dot") for w in weights)
    xs = tuple(_as_value(x, "value_dot") for x in inputs)
    if len(ws) != len(xs):
        raise ValueError(f"value_dot: got {len(ws)} weights and {len(xs)} inputs; expected equal lengths")
    total = bias.data if bias is not None else 0.0
    for w, x in zip(ws, xs):
        total += w.data * x.data
    parents = ws + xs + ((bias,) if bias is not None else ())
    return _node(total, parents, DOT, len(ws))
