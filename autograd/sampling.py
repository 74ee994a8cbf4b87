"""Random tensors beyond ``rand`` and ``randn``: ``randint``, ``randperm``, ``normal`` and ``bernoulli``,
with PyTorch's signatures, drawn from the generator that :func:`~autograd.manual_seed` seeds.

Samples are not differentiable functions of their parameters. As in PyTorch, ``normal`` and
``bernoulli`` of tensors that require grad give a result that requires grad, and their gradient is 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .factories import _dtype, _float_dtype, _shape, _size, default_generator
from .ops._common import broadcasting, floating, is_int, pair, tensor_arg
from .tensor import ArrayLike, Tensor, TensorOp, constant_like, describe, result


def _zero_rule(node: Tensor, g: Tensor) -> tuple:
    return tuple(constant_like(np.zeros(p.data.shape), g) for p in node._parents)


NORMAL = TensorOp("normal", _zero_rule)
BERNOULLI = TensorOp("bernoulli", _zero_rule)


def _integer_dtype(name: str, dtype: Any) -> np.dtype:
    dt = np.dtype(np.int64) if dtype is None else _dtype(name, dtype)
    if dt.kind == "b":
        raise TypeError(f"{name}: got dtype bool; expected an integer or floating dtype")
    return dt


def _fits(name: str, dt: np.dtype, lo: int, hi: int) -> None:
    """Refuse values in ``[lo, hi]`` that an integer ``dt`` cannot hold (numpy would wrap them)."""
    if dt.kind in "iu" and (lo < np.iinfo(dt).min or hi > np.iinfo(dt).max):
        raise ValueError(f"{name}: values from {lo} to {hi} do not fit in dtype {dt}; expected a wider dtype")


def randint(low: int = 0, high: int | None = None, size: Any = None, *, dtype: Any = None,
            requires_grad: bool = False) -> Tensor:
    """Integers drawn uniformly from ``[low, high)``: ``randint(high, size)`` or ``randint(low, high,
    size)``, as in PyTorch; int64 unless ``dtype`` says otherwise.

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> x = autograd.randint(3, 7, (2, 5))
    >>> x.shape, x.dtype, bool(((3 <= x.numpy()) & (x.numpy() < 7)).all())
    ((2, 5), dtype('int64'), True)
    """
    if size is None:
        if high is None:
            raise TypeError("randint: got no size; expected randint(high, size) or randint(low, high, size)")
        low, high, size = 0, low, high
    for what, v in (("low", low), ("high", high)):
        if not is_int(v):
            raise TypeError(f"randint: got {what} {describe(v)}; expected an int")
    if not low < high:
        raise ValueError(f"randint: got low={low} and high={high}; expected low < high")
    shape = _shape("randint", tuple(size) if isinstance(size, (tuple, list)) else (size,))
    dt = _integer_dtype("randint", dtype)
    _fits("randint", dt, int(low), int(high) - 1)
    data = default_generator().integers(int(low), int(high), size=shape, dtype=np.int64)
    return Tensor(data.astype(dt), requires_grad=requires_grad)


def randperm(n: int, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A random permutation of ``0, ..., n - 1`` (int64 unless ``dtype`` says otherwise).

    Examples
    --------
    >>> import autograd
    >>> sorted(autograd.randperm(5).tolist())
    [0, 1, 2, 3, 4]
    """
    count = _size("randperm", n)
    dt = _integer_dtype("randperm", dtype)
    _fits("randperm", dt, 0, count - 1)
    return Tensor(default_generator().permutation(count).astype(dt), requires_grad=requires_grad)


def _number(v: Any, name: str, what: str) -> float:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: got {what} {describe(v)} with a size; expected a number")
    return float(v)


def normal(mean: ArrayLike, std: ArrayLike = 1.0, size: Any = None, *, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Normal samples with the given ``mean`` and standard deviation ``std``.

    As in PyTorch: ``normal(mean, std, size)`` takes two numbers and a shape (the default dtype unless
    ``dtype`` says otherwise); ``normal(mean, std)`` with a tensor (or array, or list) for either draws
    one sample per entry of their broadcast shape, in their float dtype. Standard deviations must be
    >= 0.

    Examples
    --------
    >>> import autograd
    >>> autograd.normal(2.0, 0.5, (3, 2)).shape
    (3, 2)
    >>> autograd.normal(autograd.zeros(4), 0.0).tolist()
    [0.0, 0.0, 0.0, 0.0]
    """
    gen = default_generator()
    if size is not None:
        m, s = _number(mean, "normal", "mean"), _number(std, "normal", "std")
        if not s >= 0:
            raise ValueError(f"normal: got std={s}; expected std >= 0")
        shape = _shape("normal", tuple(size) if isinstance(size, (tuple, list)) else (size,))
        dt = _float_dtype("normal", dtype)
        return Tensor((gen.standard_normal(shape) * s + m).astype(dt), requires_grad=requires_grad)
    if not any(isinstance(v, (Tensor, np.ndarray, list, tuple)) for v in (mean, std)):
        raise TypeError("normal: got numbers for mean and std and no size; expected a size, or a tensor for "
                        "mean or std")
    if dtype is not None or requires_grad:
        raise TypeError("normal: dtype= and requires_grad= go with a size; with tensors, the result takes "
                        "their dtype, and requires grad when they do")
    m, s = pair(mean, std, "normal")
    dt = np.result_type(floating(m.data), floating(s.data))
    if (s.data < 0).any():
        raise ValueError(f"normal: got std with a negative entry ({s.data.min()}); expected std >= 0")
    loc = broadcasting("normal", np.add, m.data, np.zeros_like(s.data))
    data = (loc + s.data * gen.standard_normal(loc.shape)).astype(dt)
    return result(data, (m, s), NORMAL)


def bernoulli(x: ArrayLike) -> Tensor:
    """1 with probability ``x`` and 0 otherwise, entry by entry, in ``x``'s (floating) dtype.

    Examples
    --------
    >>> import autograd
    >>> autograd.bernoulli(autograd.tensor([0.0, 1.0, 1.0])).tolist()
    [0.0, 1.0, 1.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "bernoulli")
    if x.data.dtype.kind != "f":
        raise TypeError(f"bernoulli: got probabilities of dtype {x.data.dtype}; expected a floating dtype")
    if x.data.size and not ((x.data >= 0) & (x.data <= 1)).all():
        raise ValueError(f"bernoulli: got probabilities from {x.data.min()} to {x.data.max()}; expected "
                         "values in [0, 1]")
    draws = default_generator().random(x.data.shape) < x.data
    return result(draws.astype(x.data.dtype), (x,), BERNOULLI)


__all__ = ["bernoulli", "normal", "randint", "randperm"]
