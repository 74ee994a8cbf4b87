"""Stateless network functions: the computations behind the layers, with PyTorch's names and signatures.

Every function is built from differentiable Tensor operations, so gradients (and gradients of gradients,
with ``create_graph=True``) come from the engine. Where the engine offers a fused primitive
(``autograd.softmax``, ``autograd.log_softmax``) it is used; otherwise a numerically stable composite.

The activations that take PyTorch's ``inplace`` argument take it here too. ``inplace=True`` writes the
result into the input and returns the input, as in PyTorch, where nothing is being recorded (under
``no_grad()``, or for a tensor that takes no part in a recorded computation). chaingrad records no in-place
operation, so where gradients are recorded through the input it raises a RuntimeError that names the
out-of-place call to write instead (PyTorch would record the change). A result that needs another dtype
(the floats of ``selu`` for an integer tensor) is refused. The layers (``nn.ReLU(inplace=True)``, ...)
accept the argument and always return a new tensor.

Examples
--------
>>> import nn.functional as F
>>> from autograd import tensor
>>> F.relu(tensor([-1.0, 2.0])).tolist()
[0.0, 2.0]
>>> [round(v, 4) for v in F.softmax(tensor([0.0, 0.0]), dim=0).tolist()]
[0.5, 0.5]
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any, Callable, Sequence

import numpy as np

import autograd
from autograd.modifications import record_change
from autograd.ops import FUNCTIONS as ENGINE_FUNCTIONS
from autograd.ops._common import DimError, floating
from autograd.ops._common import is_real as _is_real
from autograd.ops.indexing import scatter_add as scatter_add_op
from autograd.ops.inplace import _through as in_place_through
from autograd.ops.unary import leaky_relu as leaky_relu_op
from autograd.ops.unary import real_arg
from autograd.tensor import Tensor, TensorOp, as_dtype, constant_like, describe, result

from . import fused

__all__ = [
    "linear", "relu", "leaky_relu", "sigmoid", "tanh", "elu", "gelu", "softplus", "softmax", "log_softmax",
    "dropout", "one_hot", "batch_norm", "layer_norm", "flatten",
]


def _tensor(x: Any, where: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (np.ndarray, list, tuple, float, int)):
        return Tensor(x)
    raise TypeError(f"{where}: got {type(x).__name__}; expected a Tensor")


def _core(name: str) -> Callable[..., Any] | None:
    """The engine's primitive ``name`` if one exists (other op families may add it), else None."""
    return ENGINE_FUNCTIONS.get(name)


def _call_with_dim(fn: Callable[..., Any], x: Tensor, dim: int) -> Tensor:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        params = {}
    if "dim" in params:
        return fn(x, dim=dim)
    if "axis" in params:
        return fn(x, axis=dim)
    return fn(x, dim)


def _check_dim(dim: int, x: Tensor, where: str) -> int:
    n = x.data.ndim
    expected = f"expected an int in [{-max(n, 1)}, {max(n, 1) - 1}] for an input of shape {x.data.shape}"
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"{where}: got dim {describe(dim)}; {expected}")
    if not -max(n, 1) <= dim < max(n, 1):
        raise DimError(f"{where}: got dim={dim!r}; {expected}")
    return int(dim)


def _apply(name: str, x: Any, inplace: Any, *args: Any, fn: Callable[..., Tensor] | None = None) -> Tensor:
    """The engine's function ``name`` (or ``fn``) of ``x`` and ``args``; for ``inplace=True`` the result
    is written into ``x``, which is returned (see the module's note)."""
    x = _tensor(x, name)
    if fn is None:
        fn = ENGINE_FUNCTIONS[name]
    if not isinstance(inplace, (bool, np.bool_)):
        raise TypeError(f"{name}: got inplace={inplace!r}; expected True or False")
    if not inplace:
        return fn(x, *args)
    return in_place_through(fn, f"{name}(inplace=True)", f"`F.{name}(x)`", x, *args)


# ---------------------------------------------------------------------------------------------- linear
def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight.T + bias``, with ``weight`` of shape (out_features, in_features).

    Parameters
    ----------
    x : Tensor, shape (..., in_features)
    weight : Tensor, shape (out_features, in_features)
    bias : Tensor, shape (out_features,), optional

    Returns
    -------
    Tensor, shape (..., out_features)

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.linear(tensor([[1.0, 2.0]]), tensor([[1.0, 1.0], [0.0, 1.0]]), tensor([0.5, 0.0])).tolist()
    [[3.5, 2.0]]
    """
    x = _tensor(x, "linear")
    if weight.data.ndim != 2:
        raise ValueError(
            f"linear: weight has shape {weight.data.shape}; expected (out_features, in_features)"
        )
    if x.data.ndim == 0 or x.data.shape[-1] != weight.data.shape[1]:
        raise ValueError(
            f"linear: input of shape {x.data.shape} has {x.data.shape[-1] if x.data.ndim else 0} features in "
            f"its last dimension; the weight of shape {weight.data.shape} expects {weight.data.shape[1]}"
        )
    if bias is not None and bias.data.shape != (weight.data.shape[0],):
        raise ValueError(
            f"linear: bias has shape {bias.data.shape}; expected ({weight.data.shape[0]},) to match the "
            f"weight of shape {weight.data.shape}"
        )
    return fused.linear(x, weight, bias)  # one recorded op, not a transpose, a matmul and an add


# ---------------------------------------------------------------------------------------------- activations
def relu(x: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0); the derivative at 0 is 0 (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.relu(tensor([-1.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 3.0]
    """
    if inplace is False and type(x) is Tensor:  # every layer of a training step: spared _apply's checks
        return x.relu()
    return _apply("relu", x, inplace)


def leaky_relu(x: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, ``negative_slope * x`` otherwise (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.leaky_relu(tensor([-2.0, 1.0]), 0.5).tolist()
    [-1.0, 1.0]
    """
    return _apply("leaky_relu", x, inplace, negative_slope)


def sigmoid(x: Tensor) -> Tensor:
    """1 / (1 + exp(-x)), stable for large |x|.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.sigmoid(tensor([0.0])).tolist()
    [0.5]
    """
    return _tensor(x, "sigmoid").sigmoid()


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.tanh(tensor([0.0])).tolist()
    [0.0]
    """
    return _tensor(x, "tanh").tanh()


def elu(x: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, ``alpha * (exp(x) - 1)`` otherwise (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> round(F.elu(tensor([-1.0])).item(), 4)
    -0.6321
    """
    return _apply("elu", x, inplace, alpha)


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) (Phi the standard normal CDF); ``approximate="tanh"`` for the tanh formula.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> round(F.gelu(tensor([1.0])).item(), 4)
    0.8413
    """
    return _tensor(x, "gelu").gelu(approximate)


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta * x)) / beta``, and ``x`` itself where ``beta * x > threshold`` (as PyTorch).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> round(F.softplus(tensor([0.0])).item(), 4)
    0.6931
    """
    x = _tensor(x, "softplus")
    if beta <= 0:
        raise ValueError(f"softplus: got beta={beta}; expected beta > 0")
    scaled = x if beta == 1 else x * float(beta)
    soft = scaled.softplus()
    if beta != 1:
        soft = soft * (1.0 / float(beta))
    linear_part = scaled.data > threshold
    if linear_part.any():
        return autograd.where(linear_part, x, soft)
    return soft


def _implicit_dim(name: str, ndim: int, stacklevel: int) -> int:
    """PyTorch's choice of dimension for a softmax called without one, with its deprecation warning: 0 for
    0-, 1- and 3-D inputs (an unbatched vector, or an unbatched (C, H, W) image), 1 otherwise (the classes
    of a batch). ``stacklevel`` counts from here, so that the warning points at the caller's line."""
    dim = 0 if ndim in (0, 1, 3) else 1
    # the message starts as PyTorch's, so filters written for PyTorch's warning catch this one too
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated: {name} got no dim, so it uses "
                  f"dim={dim} for this {ndim}-D input (dim 0 for 0-, 1- and 3-D inputs, dim 1 otherwise, as "
                  "PyTorch); pass dim= explicitly", UserWarning, stacklevel=stacklevel)
    return dim


def _softmax_input(x: Any, dim: int | None, dtype: Any, name: str, stacklevel: int) -> tuple[Tensor, int]:
    """The input (converted to ``dtype`` first, when one is given) and the checked dimension of
    ``softmax``, ``log_softmax`` and ``softmin``."""
    x = _tensor(x, name)
    if dim is None:
        dim = _implicit_dim(name, x.data.ndim, stacklevel + 1)
    dim = _check_dim(dim, x, name)
    if dtype is not None:
        wanted = as_dtype(dtype, name)
        if wanted.kind != "f":
            raise TypeError(f"{name}: got dtype={dtype!r}; expected a floating dtype (float16, float32 or "
                            "float64) to convert the input to")
        x = x.astype(wanted)  # between float dtypes the gradient flows back in the input's dtype
    return x, dim


def softmax(x: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim``, computed after subtracting the maximum (stable).

    Parameters
    ----------
    x : Tensor
    dim : int, optional
        The dimension that sums to 1. Without it (deprecated, as in PyTorch) a ``UserWarning`` is issued
        and PyTorch's choice is made: dim 0 for 0-, 1- and 3-D inputs, dim 1 otherwise (not the last
        dimension of a 3-D or 4-D input).
    _stacklevel : int, optional
        Which caller that warning names (PyTorch's argument; 3, the default, is the caller of this function).
    dtype : dtype, optional
        A floating dtype to convert ``x`` to first (numpy's, ``autograd.float64`` or PyTorch's).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> [round(v, 4) for v in F.softmax(tensor([1.0, 1000.0]), dim=0).tolist()]
    [0.0, 1.0]
    >>> F.softmax(tensor([[1.0, 2.0]]), 1, dtype="float64").dtype
    dtype('float64')
    """
    x, dim = _softmax_input(x, dim, dtype, "softmax", _stacklevel)
    core = _core("softmax")
    if core is not None:
        return _call_with_dim(core, x, dim)
    # softmax is shift invariant, so subtracting the (constant) maximum changes no value or gradient
    shifted = x - constant_like(np.max(x.data, axis=dim, keepdims=True), x) if x.data.size else x
    e = shifted.exp()
    return e / e.sum(axis=dim, keepdims=True)


def log_softmax(x: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """log(softmax(x)) along ``dim``, as ``x - max - log(sum(exp(x - max)))`` (stable).

    ``dim``, ``_stacklevel`` and ``dtype`` are as for :func:`softmax`: without ``dim`` a ``UserWarning``
    is issued and dim 0 is used for 0-, 1- and 3-D inputs, dim 1 otherwise, as in PyTorch.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> [round(v, 4) for v in F.log_softmax(tensor([0.0, 0.0]), dim=0).tolist()]
    [-0.6931, -0.6931]
    """
    x, dim = _softmax_input(x, dim, dtype, "log_softmax", _stacklevel)
    core = _core("log_softmax")
    if core is not None:
        return _call_with_dim(core, x, dim)
    shifted = x - constant_like(np.max(x.data, axis=dim, keepdims=True), x) if x.data.size else x
    return shifted - shifted.exp().sum(axis=dim, keepdims=True).log()


# ----------------------------------------------------------------------------------------- more activations
# PyTorch's remaining activation functions, with its signatures; the engine computes them (autograd.<name>).
def hardtanh(x: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """``x`` clipped to ``[min_val, max_val]``; the derivative is 0 at the bounds (``inplace``: see the
    module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.hardtanh(tensor([-2.0, 0.5, 3.0])).tolist()
    [-1.0, 0.5, 1.0]
    """
    return _apply("hardtanh", x, inplace, min_val, max_val)


def relu6(x: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(x, 0), 6)``; the derivative is 0 at 0 and 6 (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.relu6(tensor([-1.0, 3.0, 8.0])).tolist()
    [0.0, 3.0, 6.0]
    """
    return _apply("relu6", x, inplace)


def selu(x: Tensor, inplace: bool = False) -> Tensor:
    """Scaled ELU with PyTorch's constants (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> [round(v, 4) for v in F.selu(tensor([-1.0, 2.0])).tolist()]
    [-1.1113, 2.1014]
    """
    return _apply("selu", x, inplace)


def celu(x: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, ``alpha * (exp(x / alpha) - 1)`` otherwise; ``alpha`` must not be 0 (``inplace``: see
    the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> [round(v, 4) for v in F.celu(tensor([-1.0, 2.0]), alpha=0.5).tolist()]
    [-0.4323, 2.0]
    """
    return _apply("celu", x, inplace, alpha)


def silu(x: Tensor, inplace: bool = False) -> Tensor:
    """``x * sigmoid(x)`` (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> [round(v, 4) for v in F.silu(tensor([-1.0, 0.0, 2.0])).tolist()]
    [-0.2689, 0.0, 1.7616]
    """
    return _apply("silu", x, inplace)


def mish(x: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))`` (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> [round(v, 4) for v in F.mish(tensor([-1.0, 2.0])).tolist()]
    [-0.3034, 1.944]
    """
    return _apply("mish", x, inplace)


def hardsigmoid(x: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6`` (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.hardsigmoid(tensor([-4.0, 0.0, 1.5])).tolist()
    [0.0, 0.5, 0.75]
    """
    return _apply("hardsigmoid", x, inplace)


def hardswish(x: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6`` (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.hardswish(tensor([-4.0, 1.5, 4.0])).tolist()
    [-0.0, 1.125, 4.0]
    """
    return _apply("hardswish", x, inplace)


def threshold(x: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``x`` where ``x > threshold``, ``value`` elsewhere (``inplace``: see the module's note).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.threshold(tensor([-1.0, 0.5, 2.0]), 0.5, -9.0).tolist()
    [-9.0, -9.0, 2.0]
    """
    return _apply("threshold", x, inplace, threshold, value)


def _rrelu_training(x: Tensor, lower: float, upper: float) -> Tensor:
    # one slope per element, uniform in [lower, upper]; it is the derivative there (1 where x >= 0)
    d = floating(x.data)
    slopes = autograd.default_generator().uniform(lower, upper, d.shape)
    return x * Tensor(np.where(d >= 0, 1.0, slopes).astype(d.dtype, copy=False))


def rrelu(x: Tensor, lower: float = 1.0 / 8.0, upper: float = 1.0 / 3.0, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Randomized leaky ReLU: in training, each negative entry is multiplied by its own slope, drawn
    uniformly from ``[lower, upper]`` (from ``autograd.default_generator()``, so ``autograd.manual_seed``
    makes it reproducible), and that slope is its derivative; otherwise ``leaky_relu`` with the slope
    ``(lower + upper) / 2``. ``inplace``: see the module's note.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.rrelu(tensor([-2.0, 3.0]), 0.25, 0.75).tolist()
    [-1.0, 3.0]
    """
    real_arg(lower, "rrelu", "lower")
    real_arg(upper, "rrelu", "upper")
    if lower > upper:
        raise ValueError(f"rrelu: got lower={lower} > upper={upper}; expected lower <= upper")
    if training:
        return _apply("rrelu", x, inplace, lower, upper, fn=_rrelu_training)
    return _apply("rrelu", x, inplace, (lower + upper) / 2, fn=leaky_relu_op)


def softsign(x: Tensor) -> Tensor:
    """``x / (1 + |x|)``.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.softsign(tensor([1.0, -3.0])).tolist()
    [0.5, -0.75]
    """
    return _apply("softsign", x, False)


def logsigmoid(x: Tensor) -> Tensor:
    """``log(sigmoid(x))``, computed without overflow.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> round(F.logsigmoid(tensor([0.0])).item(), 4)
    -0.6931
    """
    return _apply("logsigmoid", x, False)


def tanhshrink(x: Tensor) -> Tensor:
    """``x - tanh(x)``.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> round(F.tanhshrink(tensor([1.0])).item(), 4)
    0.2384
    """
    return _apply("tanhshrink", x, False)


def hardshrink(x: Tensor, lambd: float = 0.5) -> Tensor:
    """``x`` where ``|x| > lambd``, 0 elsewhere.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.hardshrink(tensor([-1.0, 0.25, 2.0])).tolist()
    [-1.0, 0.0, 2.0]
    """
    return _apply("hardshrink", x, False, lambd)


def softshrink(x: Tensor, lambd: float = 0.5) -> Tensor:
    """``x`` moved ``lambd`` towards 0, and 0 where ``|x| <= lambd`` (``lambd >= 0``).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.softshrink(tensor([-1.0, 0.25, 2.0])).tolist()
    [-0.5, 0.0, 1.5]
    """
    return _apply("softshrink", x, False, lambd)


def softmin(x: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x) along ``dim``, stable; with ``dtype``, ``x`` is converted to that floating dtype first.

    ``dim``, ``_stacklevel`` and ``dtype`` are as for :func:`softmax`: without ``dim`` a ``UserWarning``
    is issued and dim 0 is used for 0-, 1- and 3-D inputs, dim 1 otherwise, as in PyTorch.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> [round(v, 4) for v in F.softmin(tensor([1.0, 2.0]), dim=0).tolist()]
    [0.7311, 0.2689]
    """
    x, dim = _softmax_input(x, dim, dtype, "softmin", _stacklevel)
    return autograd.softmin(x, dim)


def glu(x: Tensor, dim: int = -1) -> Tensor:
    """The gated linear unit ``a * sigmoid(b)`` of the halves ``a`` and ``b`` of ``x`` along ``dim``.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.glu(tensor([[1.0, 2.0, 0.0, 0.0]])).tolist()
    [[0.5, 1.0]]
    """
    x = _tensor(x, "glu")
    return autograd.glu(x, _check_dim(dim, x, "glu"))


__all__ += ["hardtanh", "relu6", "selu", "celu", "silu", "mish", "hardsigmoid", "hardswish", "threshold",
            "rrelu", "softsign", "logsigmoid", "tanhshrink", "hardshrink", "softshrink", "softmin", "glu"]


# ---------------------------------------------------------------------------------------------- dropout
def dropout(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Inverted dropout: zero each element with probability ``p`` and scale the rest by 1 / (1 - p).

    The identity when ``training`` is False or ``p == 0``. Random numbers come from
    ``autograd.default_generator()``, so ``autograd.manual_seed`` makes masks reproducible.

    Examples
    --------
    >>> import autograd
    >>> import nn.functional as F
    >>> _ = autograd.manual_seed(0)
    >>> y = F.dropout(autograd.ones(1000), p=0.5)
    >>> sorted(set(y.tolist()))
    [0.0, 2.0]
    >>> F.dropout(autograd.ones(3), training=False).tolist()
    [1.0, 1.0, 1.0]
    """
    x = _tensor(x, "dropout")
    if not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: got p={p!r}; expected a probability in [0, 1]")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * constant_like(np.zeros(x.data.shape), x)
    keep = autograd.default_generator().random(x.data.shape) >= p
    return x * constant_like(keep * (1.0 / (1.0 - p)), x)


# ---------------------------------------------------------------------------------------------- encoding
def one_hot(labels: Any, num_classes: int = -1) -> Tensor:
    """Integer class labels to one-hot rows of int64, as PyTorch (``.float()`` gives float32 rows).

    Parameters
    ----------
    labels : Tensor or array_like of int, any shape
        Any integer dtype is taken (PyTorch takes int64 only).
    num_classes : int, optional
        Number of classes; -1 (default) means ``labels.max() + 1``.

    Returns
    -------
    Tensor of int64, shape ``labels.shape + (num_classes,)``

    Examples
    --------
    >>> import nn.functional as F
    >>> F.one_hot([0, 2], num_classes=3).tolist()
    [[1, 0, 0], [0, 0, 1]]
    >>> F.one_hot([1], 2).float().dtype
    dtype('float32')
    """
    arr = labels.data if isinstance(labels, Tensor) else np.asarray(labels)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"one_hot: got labels of dtype {arr.dtype}; expected integer class indices (int64)")
    if num_classes == -1:
        if arr.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from empty labels; pass num_classes")
        num_classes = int(arr.max()) + 1
    if not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"one_hot: got num_classes={num_classes!r}; expected a positive int or -1")
    if arr.size and (arr.min() < 0 or arr.max() >= num_classes):
        bad = arr[(arr < 0) | (arr >= num_classes)]
        raise ValueError(
            f"one_hot: labels must lie in [0, {num_classes - 1}] for num_classes={num_classes}; "
            f"got {bad.ravel()[:5].tolist()}"
        )
    out = np.zeros(arr.shape + (int(num_classes),), dtype=np.int64)
    np.put_along_axis(out, arr[..., None].astype(np.int64), 1, axis=-1)
    return Tensor(out)


# ---------------------------------------------------------------------------------------------- embedding
def _embedding_rule(node: Tensor, g: Any) -> tuple:
    # the rows looked up get the output gradient back, added up where an index repeats; the same code
    # serves arrays (a pass that records nothing) and Tensors (create_graph=True: scatter_add and the
    # multiplication are recorded, so the gradient differentiates again)
    index, scale, shape = node._ctx
    if scale is not None:
        g = g * constant_like(scale, g)
    if isinstance(g, Tensor):
        return (scatter_add_op(g, (index,), shape),)
    out = np.zeros(shape, dtype=g.dtype)
    np.add.at(out, index, g)
    return (out,)


# reads only the indices it saved: max_norm may rescale rows of the weight in place after a lookup
EMBEDDING = TensorOp("embedding", _embedding_rule, _embedding_rule, reads_values=False)


def _embedding_padding_idx(padding_idx: Any, num_embeddings: int, where: str) -> int | None:
    """``padding_idx`` as a row in ``[0, num_embeddings)`` (a negative one counts from the end), or None."""
    if padding_idx is None:
        return None
    if not isinstance(padding_idx, (int, np.integer)) or isinstance(padding_idx, (bool, np.bool_)):
        raise TypeError(f"{where}: got padding_idx={padding_idx!r}; expected None or an int")
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(f"{where}: got padding_idx={padding_idx} for {num_embeddings} embeddings; "
                         f"expected an int in [{-num_embeddings}, {num_embeddings - 1}] (a negative one "
                         "counts from the end)")
    return int(padding_idx) % num_embeddings


def _embedding_options(max_norm: Any, norm_type: Any, sparse: Any, where: str) -> None:
    if max_norm is not None and (not _is_real(max_norm) or not max_norm >= 0):
        raise ValueError(f"{where}: got max_norm={max_norm!r}; expected None or a number >= 0")
    if not _is_real(norm_type) or np.isnan(norm_type):
        raise ValueError(f"{where}: got norm_type={norm_type!r}; expected a number (the p of the p-norm)")
    if sparse:
        raise ValueError(f"{where}: got sparse=True; chaingrad has dense gradients only (expected "
                         "sparse=False: the weight's gradient is a dense array of its shape)")


def _renorm_rows(weight: np.ndarray, index: np.ndarray, max_norm: float, norm_type: float,
                 where: str) -> None:
    """Scale, in place, each row of ``weight`` that ``index`` names and whose ``norm_type``-norm exceeds
    ``max_norm``, to the norm ``max_norm`` (less a hair: the 1e-7 PyTorch adds to the norm)."""
    rows = np.unique(index)
    norms = np.linalg.norm(weight[rows], ord=norm_type, axis=1)
    over = norms > max_norm
    if over.any():
        record_change(weight, where)
        scale = max_norm / (norms[over].astype(np.float64) + 1e-7)
        weight[rows[over]] *= scale.astype(weight.dtype)[:, None]


def embedding(input: Any, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Look up rows of ``weight``: ``out[i, j, ...] = weight[input[i, j, ...]]``.

    The gradient of ``weight`` gets each output row's gradient added to the row it was read from, so a
    repeated index receives the sum of its gradients; ``input`` takes none.

    Parameters
    ----------
    input : Tensor or array_like of ints, any shape
        Row indices in ``[0, num_embeddings)`` (an index outside raises IndexError).
    weight : Tensor, shape (num_embeddings, embedding_dim)
        The table; its dtype is the output's.
    padding_idx : int, optional
        A row (negative counts from the end) whose lookups send no gradient to it. Its values are read as
        they are (:class:`nn.Embedding` initialises that row to zeros).
    max_norm : float, optional
        Before the lookup, each row that ``input`` names and whose ``norm_type``-norm exceeds ``max_norm``
        is rescaled to that norm, IN PLACE in ``weight`` (as PyTorch does), outside the recorded graph.
    norm_type : float, optional
        The p of the p-norm for ``max_norm`` (default 2).
    scale_grad_by_freq : bool, optional
        Divide the gradient of each lookup by the number of times its index occurs in ``input``.
    sparse : bool, optional
        Only False: chaingrad's gradients are dense (True raises ValueError).

    Returns
    -------
    Tensor, shape ``input.shape + (embedding_dim,)``

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> w = tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> out = F.embedding(tensor([[1, 2], [2, 2]]), w, padding_idx=1)
    >>> out.tolist()
    [[[1.0, 2.0], [3.0, 4.0]], [[3.0, 4.0], [3.0, 4.0]]]
    >>> out.sum().backward(); w.grad.tolist()
    [[0.0, 0.0], [0.0, 0.0], [3.0, 3.0]]
    """
    where = "embedding"
    if not isinstance(weight, Tensor):
        raise TypeError(f"{where}: got weight {type(weight).__name__}; expected a Tensor of shape "
                        "(num_embeddings, embedding_dim)")
    if weight.data.ndim != 2:
        raise ValueError(f"{where}: got weight of shape {weight.data.shape}; expected a 2-D "
                         "(num_embeddings, embedding_dim) tensor")
    index = input.data if isinstance(input, Tensor) else np.asarray(input)
    if index.dtype.kind not in "iu":
        raise TypeError(f"{where}: got input of dtype {index.dtype}; expected integer indices (int64)")
    n = weight.data.shape[0]
    if index.size and (index.min() < 0 or index.max() >= n):
        bad = index.min() if index.min() < 0 else index.max()
        raise IndexError(f"{where}: got index {bad} for a weight of {n} rows; expected indices in [0, {n})")
    padding_idx = _embedding_padding_idx(padding_idx, n, where)
    _embedding_options(max_norm, norm_type, sparse, where)
    if max_norm is not None and index.size:
        _renorm_rows(weight.data, index, float(max_norm), float(norm_type), f"{where}(max_norm={max_norm})")
    scale = None
    if scale_grad_by_freq or padding_idx is not None:
        scale = np.ones(index.shape)
        if scale_grad_by_freq and index.size:
            scale[...] = 1.0 / np.bincount(index.ravel(), minlength=n)[index]
        if padding_idx is not None:
            scale[index == padding_idx] = 0.0
        scale = scale[..., None]
    return result(weight.data[index], (weight,), EMBEDDING, (index, scale, weight.data.shape))


__all__ += ["embedding"]


# ---------------------------------------------------------------------------------------------- normalize
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """``input`` divided by its ``p``-norm along ``dim``, or by ``eps`` where the norm is smaller:
    ``x / max(||x||_p, eps)``.

    Parameters
    ----------
    input : Tensor
    p : float, optional
        The exponent of the norm: a positive number or ``inf`` (default 2, unit vectors).
    dim : int, optional
        The dimension whose slices are normalised (default 1, the features of an (N, C) batch).
    eps : float, optional
        The least divisor (default 1e-12), so that a zero slice stays zero.

    Returns
    -------
    Tensor of the input's shape. Where the norm is below ``eps`` the result is ``x / eps`` and its
    gradient that of ``x / eps``; the norm's gradient is 0 at a zero slice.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.normalize(tensor([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    >>> F.normalize(tensor([[1.0, -3.0]]), p=1).tolist()
    [[0.25, -0.75]]
    """
    where = "normalize"
    x = _tensor(input, where)
    dim = _check_dim(dim, x, where)
    if not _is_real(p) or not p > 0:
        raise ValueError(f"{where}: got p={p!r}; expected a positive number or inf (the norm's exponent)")
    if not _is_real(eps) or not eps >= 0:
        raise ValueError(f"{where}: got eps={eps!r}; expected a number >= 0")
    return x / x.norm(p, dim, keepdim=True).clamp_min(eps)


__all__ += ["normalize"]


# ---------------------------------------------------------------------------------------------- shape
def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim`` .. ``end_dim`` (inclusive) into one.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import zeros
    >>> F.flatten(zeros(2, 3, 4), 1).shape
    (2, 12)
    """
    x = _tensor(x, "flatten")
    n = x.data.ndim
    if n == 0:
        return x.reshape(1)
    s = start_dim + n if start_dim < 0 else start_dim
    e = end_dim + n if end_dim < 0 else end_dim
    if not (0 <= s < n and 0 <= e < n) or s > e:
        raise ValueError(
            f"flatten: got start_dim={start_dim}, end_dim={end_dim} for an input of shape {x.data.shape}; "
            f"expected 0 <= start_dim <= end_dim < {n} (after wrapping negatives)"
        )
    shape = x.data.shape
    merged = int(np.prod(shape[s:e + 1]))
    return x.reshape(shape[:s] + (merged,) + shape[e + 1:])


# ---------------------------------------------------------------------------------------------- normalisation
def _stats(x: Tensor, axes: tuple[int, ...]) -> tuple[Tensor, Tensor]:
    """Mean and biased variance over ``axes`` (kept as size-1 dims), from differentiable ops."""
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(axis=axes, keepdims=True)
    return mean, var


def _array_of(t: Any) -> np.ndarray | None:
    if t is None:
        return None
    return t.data if isinstance(t, Tensor) else np.asarray(t)


def batch_norm(x: Tensor, running_mean: Any, running_var: Any, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """Batch normalisation over every dimension but the channel dimension 1 (PyTorch's signature).

    In training (or without running statistics) the batch mean and the biased batch variance normalise
    ``x``, and the running statistics, when given, are updated in place:
    ``running = (1 - momentum) * running + momentum * batch_stat`` with the *unbiased* batch variance.
    Otherwise the running statistics normalise ``x``.

    Parameters
    ----------
    x : Tensor, shape (N, C) or (N, C, *)
    running_mean, running_var : Tensor or numpy.ndarray of shape (C,), or None
        Updated in place when ``training`` is True.
    weight, bias : Tensor of shape (C,), optional
        Affine scale and shift.
    training : bool, optional
    momentum : float, optional
    eps : float, optional
        Added to the variance before the square root.

    Examples
    --------
    >>> import numpy as np
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> rm, rv = np.zeros(1), np.ones(1)
    >>> y = F.batch_norm(tensor([[1.0], [3.0]]), rm, rv, training=True, eps=0.0)
    >>> y.tolist(), np.round(rm, 6).tolist(), np.round(rv, 6).tolist()
    ([[-1.0], [1.0]], [0.2], [1.1])
    """
    x = _tensor(x, "batch_norm")
    if x.data.ndim < 2:
        raise ValueError(f"batch_norm: got an input of shape {x.data.shape}; expected (N, C) or (N, C, *)")
    c = x.data.shape[1]
    axes = (0,) + tuple(range(2, x.data.ndim))
    bshape = (1, c) + (1,) * (x.data.ndim - 2)
    rm, rv = _array_of(running_mean), _array_of(running_var)
    for name, arr in (("running_mean", rm), ("running_var", rv)):
        if arr is not None and arr.shape != (c,):
            raise ValueError(
                f"batch_norm: {name} has shape {arr.shape}; expected ({c},) for input {x.data.shape}"
            )
    use_batch = training or rm is None or rv is None
    if use_batch:
        count = x.data.size // c
        if training and count <= 1:
            raise ValueError(
                f"batch_norm: expected more than 1 value per channel when training, got input of shape "
                f"{x.data.shape}"
            )
        mean, var = _stats(x, axes)
        if training and rm is not None and rv is not None:
            m = float(momentum)
            batch_mean = mean.data.reshape(c)
            unbiased = var.data.reshape(c) * (count / max(count - 1, 1))
            rm[...] = (1.0 - m) * rm + m * batch_mean
            rv[...] = (1.0 - m) * rv + m * unbiased
    else:
        mean = constant_like(rm.reshape(bshape), x)
        var = constant_like(rv.reshape(bshape), x)
    y = (x - mean) / (var + float(eps)).sqrt()
    if weight is not None:
        y = y * weight.reshape(bshape)
    if bias is not None:
        y = y + bias.reshape(bshape)
    return y


def layer_norm(x: Tensor, normalized_shape: int | Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dimensions (mean and biased variance).

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.layer_norm(tensor([[1.0, 3.0]]), (2,), eps=0.0).tolist()
    [[-1.0, 1.0]]
    """
    x = _tensor(x, "layer_norm")
    shape = (int(normalized_shape),) if isinstance(normalized_shape, (int, np.integer)) else tuple(
        int(n) for n in normalized_shape)
    k = len(shape)
    if k == 0 or x.data.shape[x.data.ndim - k:] != shape or x.data.ndim < k:
        raise ValueError(
            f"layer_norm: input of shape {x.data.shape} does not end with normalized_shape {shape}"
        )
    axes = tuple(range(x.data.ndim - k, x.data.ndim))
    mean, var = _stats(x, axes)
    y = (x - mean) / (var + float(eps)).sqrt()
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def _check_groups(where: str, num_groups: Any, num_channels: Any) -> None:
    for name, value, least in (("num_groups", num_groups, 1), ("num_channels", num_channels, 0)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)) or value < least:
            kind = "a positive" if least else "a non-negative"
            raise ValueError(f"{where}: got {name}={value!r}; expected {kind} int")
    if num_channels % num_groups:
        raise ValueError(f"{where}: got num_groups={num_groups} for {num_channels} channels; expected a "
                         "number of groups that divides the number of channels")


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Group normalisation: the C channels of an (N, C, *) input split into ``num_groups`` groups of
    consecutive channels, each group of each example normalised by its mean and biased variance (over its
    channels and all positions), then ``* weight + bias`` per channel.

    Parameters
    ----------
    input : Tensor, shape (N, C, *)
    num_groups : int
        Must divide C.
    weight, bias : Tensor of shape (C,), optional
    eps : float, optional
        Added to the variance before the square root.

    Examples
    --------
    >>> import nn.functional as F
    >>> from autograd import tensor
    >>> F.group_norm(tensor([[[1.0, 3.0], [10.0, 20.0]]]), 2, eps=0.0).tolist()
    [[[-1.0, 1.0], [-1.0, 1.0]]]
    """
    where = "group_norm"
    x = _tensor(input, where)
    if x.data.ndim < 2:
        raise ValueError(f"{where}: got an input of shape {x.data.shape}; expected (N, C, *)")
    n, c = x.data.shape[:2]
    _check_groups(where, num_groups, c)
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and _array_of(t).shape != (c,):
            raise ValueError(f"{where}: got {name} of shape {_array_of(t).shape}; expected ({c},), one per "
                             f"channel of the input of shape {x.data.shape}")
    group_size = c // num_groups * int(np.prod(x.data.shape[2:]))
    y = x
    if group_size:  # an empty group has nothing to normalise (and no mean)
        grouped = x.reshape(n, num_groups, group_size)
        mean, var = _stats(grouped, (2,))
        y = ((grouped - mean) / (var + float(eps)).sqrt()).reshape(x.data.shape)
    per_channel = (1, c) + (1,) * (x.data.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(per_channel)
    if bias is not None:
        y = y + bias.reshape(per_channel)
    return y


__all__ += ["group_norm"]


# ======================================================================================================
# Functions defined in other modules by other engineers. Add one import line each here
# (e.g. `from .conv_ops import conv2d, max_pool2d, avg_pool2d, pad` and `from .losses import ...`,
# each with a noqa comment for E402), and extend __all__ next to it.
# ------------------------------------------------------------------------------------------------------
from .conv_ops import avg_pool2d, conv2d, max_pool2d, max_unpool2d, pad  # noqa: E402

__all__ += ["conv2d", "max_pool2d", "max_unpool2d", "avg_pool2d", "pad"]
from .conv_ops import adaptive_avg_pool2d, adaptive_max_pool2d  # noqa: E402

__all__ += ["adaptive_avg_pool2d", "adaptive_max_pool2d"]
from .conv_ops import adaptive_avg_pool1d, adaptive_max_pool1d, avg_pool1d, conv1d, max_pool1d  # noqa: E402
from .interpolation import interpolate  # noqa: E402

__all__ += ["conv1d", "max_pool1d", "avg_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d", "interpolate"]
from .losses import (  # noqa: E402
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)

__all__ += ["mse_loss", "cross_entropy", "nll_loss", "binary_cross_entropy",
            "binary_cross_entropy_with_logits", "hinge_loss", "kl_div", "l1_loss", "smooth_l1_loss",
            "huber_loss"]
# ======================================================================================================
