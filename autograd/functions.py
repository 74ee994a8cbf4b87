"""Elementary functions that work on Values, on any node with the same method, and on plain numbers.

``exp(v)`` on a :class:`~autograd.value.Value` calls ``v.exp()`` and records the operation in the graph.
Any other object with an ``exp`` method (a Tensor, for instance) is dispatched the same way, so one
spelling serves every node kind, whatever its shape: a 0-d Tensor (what ``sum()`` and ``mean()`` return)
goes to the Tensor op and stays in the graph. A plain Python or numpy real number (a numpy scalar or a
0-d numpy array) gives a Python float computed with the same domain rules as Value (``nan``/``inf``
rather than exceptions), and records nothing. A numpy array of any other shape becomes a constant Tensor
(keeping its dtype) and goes to the Tensor op. Lists are refused: a list of numbers is more often a
mistaken argument to a function of one number than an array (make it one with ``autograd.tensor``).

Examples
--------
>>> from autograd import Value, exp, log
>>> x = Value(1.0)
>>> y = log(exp(x)); y.backward()
>>> (y.data, x.grad)
(1.0, 1.0)
>>> exp(0)
1.0
>>> from autograd import Tensor
>>> t = Tensor(1.0, requires_grad=True)
>>> y = log(exp(t)); y.backward()
>>> (type(y).__name__, t.grad.item())
('Tensor', 1.0)
"""

from __future__ import annotations

import builtins
import functools
import math
from typing import Any, Callable

import numpy as np

from .ops._common import tensor_arg
from .tensor import Tensor, describe
from .value import Value, _exp, _is_number, _log, _sigmoid, _softplus, _sqrt, _trig

__all__ = [
    "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "leaky_relu", "abs", "sqrt", "softplus",
    "zero_grad",
]


_FLOAT_RULES: dict[str, Callable[..., float]] = {
    "exp": _exp,
    "log": _log,
    "sin": functools.partial(_trig, math.sin),
    "cos": functools.partial(_trig, math.cos),
    "tan": functools.partial(_trig, math.tan),
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda a: 0.0 if a <= 0.0 else a,  # nan stays nan, as in Value.relu and PyTorch
    "leaky_relu": lambda a, slope: a if a > 0.0 else slope * a,
    "abs": builtins.abs,
    "sqrt": _sqrt,
    "softplus": _softplus,
}


def _apply(name: str, x: Any, *args: Any) -> Any:
    """Dispatch ``name`` to a number rule or to the node's own method of the same name."""
    if _is_number(x):
        return float(_FLOAT_RULES[name](float(x), *args))
    method = getattr(x, name, None)
    if callable(method):
        return method(*args)
    # after the method lookup, which an array fails (numpy has these as functions only), so that Values
    # and Tensors pay nothing for it
    if isinstance(x, np.ndarray) and x.dtype.kind in "fiub":  # the dtypes a Tensor holds
        return getattr(tensor_arg(x, name), name)(*args)
    hint = " (for a list, pass autograd.tensor(x))" if isinstance(x, (list, tuple)) else ""
    raise TypeError(
        f"{name}: got an argument {describe(x)}; expected a Value, a Tensor (any object with a .{name}() "
        f"method), a numpy array of numbers or a real number{hint}"
    )


def exp(x: Any) -> Any:
    """Exponential e ** x (``inf`` on overflow).

    Examples
    --------
    >>> from autograd import Value, exp
    >>> exp(Value(0.0)).data
    1.0
    """
    return _apply("exp", x)


def log(x: Any) -> Any:
    """Natural logarithm (``nan`` below 0, ``-inf`` at 0).

    Examples
    --------
    >>> from autograd import log
    >>> (log(1.0), log(0.0))
    (0.0, -inf)
    """
    return _apply("log", x)


def sin(x: Any) -> Any:
    """Sine (``nan`` at ±inf for numbers).

    Examples
    --------
    >>> from autograd import Value, sin
    >>> x = Value(0.0); y = sin(x); y.backward()
    >>> (y.data, x.grad)
    (0.0, 1.0)
    """
    return _apply("sin", x)


def cos(x: Any) -> Any:
    """Cosine (``nan`` at ±inf for numbers).

    Examples
    --------
    >>> from autograd import cos
    >>> cos(0)
    1.0
    """
    return _apply("cos", x)


def tan(x: Any) -> Any:
    """Tangent (``nan`` at ±inf for numbers).

    Examples
    --------
    >>> from autograd import tan
    >>> tan(0.0)
    0.0
    """
    return _apply("tan", x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent.

    Examples
    --------
    >>> from autograd import Value, tanh
    >>> x = Value(0.0); y = tanh(x); y.backward()
    >>> x.grad
    1.0
    """
    return _apply("tanh", x)


def sigmoid(x: Any) -> Any:
    """Logistic function 1 / (1 + e ** -x), computed without overflow.

    Examples
    --------
    >>> from autograd import Value, sigmoid
    >>> x = Value(0.0); y = sigmoid(x); y.backward()
    >>> (y.data, x.grad)
    (0.5, 0.25)
    """
    return _apply("sigmoid", x)


def relu(x: Any) -> Any:
    """max(x, 0); its derivative at 0 is 0 (textbook 9.73).

    Examples
    --------
    >>> from autograd import relu
    >>> (relu(-2.0), relu(3))
    (0.0, 3.0)
    """
    return _apply("relu", x)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x for x > 0, ``negative_slope * x`` otherwise; its derivative at 0 is ``negative_slope``.

    Parameters
    ----------
    x : Value, Tensor or real number
    negative_slope : float, optional
        Slope for non-positive inputs (default 0.01; the sources also use 0.1 and 0.5).

    Examples
    --------
    >>> from autograd import leaky_relu
    >>> leaky_relu(-2.0, 0.5)
    -1.0
    """
    if not _is_number(negative_slope):
        # A Tensor slope would be turned into a float, its gradient silently lost; Values are refused too.
        raise TypeError(
            f"leaky_relu: got negative_slope {describe(negative_slope)}; expected a real number "
            "(the slope is a constant, not differentiated)"
        )
    return _apply("leaky_relu", x, float(negative_slope))


def abs(x: Any) -> Any:  # noqa: A001 - the public name mirrors numpy.abs / torch.abs on purpose
    """Absolute value; its derivative at 0 is 0.

    Examples
    --------
    >>> from autograd import abs
    >>> abs(-3)
    3.0
    """
    return _apply("abs", x)


def sqrt(x: Any) -> Any:
    """Square root (``nan`` below 0).

    Examples
    --------
    >>> from autograd import sqrt
    >>> (sqrt(4), sqrt(-1.0))
    (2.0, nan)
    """
    return _apply("sqrt", x)


def softplus(x: Any) -> Any:
    """log(1 + e ** x), computed without overflow; its derivative is sigmoid(x).

    Examples
    --------
    >>> from autograd import softplus
    >>> softplus(1000.0)
    1000.0
    """
    return _apply("softplus", x)


def zero_grad(*nodes: Any) -> None:
    """Reset the gradient of each given node (and of the nodes in any list or tuple given).

    A Value's gradient becomes 0.0 (its "nothing accumulated yet" state); any other node kind, such as
    a Tensor, gets ``None``. Only the nodes given are touched, not the graphs they belong to; use
    :meth:`Value.zero_grad` to clear a whole graph.

    Parameters
    ----------
    *nodes : Value, Tensor, or lists/tuples of them

    Examples
    --------
    >>> from autograd import Value, zero_grad
    >>> a, b = Value(2.0), Value(3.0)
    >>> (a * b).backward()
    >>> zero_grad(a, b)
    >>> (a.grad, b.grad)
    (0.0, 0.0)
    """
    for item in nodes:
        # One level of flattening lets callers pass a parameter list as it is: zero_grad(params).
        group = item if isinstance(item, (list, tuple)) else (item,)
        for node in group:
            if isinstance(node, Value):
                node._grad = 0.0
            elif isinstance(node, Tensor):
                node._grad = None  # the slot: reading .grad to test for it would warn on an interior tensor
            elif hasattr(node, "grad"):
                node.grad = None
            else:
                raise TypeError(
                    f"zero_grad: got {type(node).__name__}; expected a Value, a Tensor or a list of them"
                )
