"""Activations along one axis, with PyTorch's names: softmin and glu (the gated linear unit).

Both are written with other primitives (softmax, negation, slicing, sigmoid and a product), so their
gradients, of every order, are those primitives' rules.
"""

from __future__ import annotations

from typing import Any

from ..tensor import ArrayLike, Tensor
from ._common import is_int, normalize_axis, tensor_arg
from .softmax import softmax


def _one_axis(x: Tensor, axis: Any, name: str) -> tuple[int, ...]:
    """``axis`` as a tuple of one non-negative axis (empty for a 0-d tensor), refusing a tuple of axes."""
    if not is_int(axis):
        raise TypeError(f"{name}: got axis={axis!r}; expected one int axis")
    return normalize_axis(axis, x.data.ndim, name)


def softmin(x: ArrayLike, axis: int = -1, dtype: Any = None) -> Tensor:
    """``softmax(-x)`` along ``axis`` (the last by default): weights that favour the smallest entries.

    Takes PyTorch's ``dim`` too. With ``dtype`` (a floating dtype) the input is converted to it first,
    as PyTorch does. Integer tensors give softmax's default dtype; bool tensors are refused (PyTorch
    refuses the negation).

    Raises
    ------
    TypeError
        If ``x`` is a bool tensor, ``axis`` is not one int, or ``dtype`` is not a floating dtype.

    Examples
    --------
    >>> from autograd import tensor, softmin
    >>> softmin(tensor([0.0, 0.0])).tolist()
    [0.5, 0.5]
    >>> [round(v, 4) for v in tensor([1.0, 2.0]).softmin(dim=0).tolist()]
    [0.7311, 0.2689]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "softmin")
    if dtype is not None:
        x = x.to(dtype=dtype)
        if x.data.dtype.kind != "f":
            raise TypeError(f"softmin: got dtype={dtype!r}; expected a floating dtype (float16, float32 or "
                            "float64)")
    if x.data.dtype.kind == "b":
        raise TypeError("softmin: got a tensor of dtype bool; expected a tensor of numbers (as in PyTorch)")
    _one_axis(x, axis, "softmin")
    return softmax(-x, axis)


def glu(x: ArrayLike, axis: int = -1) -> Tensor:
    """The gated linear unit ``a * sigmoid(b)``, where ``a`` and ``b`` are the first and second halves of
    ``x`` along ``axis`` (the last by default); the result is half as long there.

    Takes PyTorch's ``dim`` too. Integers and booleans give np.exp's float dtype, as sigmoid does
    (PyTorch refuses them).

    Raises
    ------
    ValueError
        If ``x`` is 0-d, or its size along ``axis`` is odd.

    Examples
    --------
    >>> from autograd import tensor, glu
    >>> [round(v, 4) for v in glu(tensor([2.0, 0.0])).tolist()]
    [1.0]
    >>> glu(tensor([[1.0, 2.0], [3.0, 4.0]]), dim=0).shape
    (1, 2)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "glu")
    if x.data.ndim == 0:
        raise ValueError("glu: got a 0-d tensor; expected at least one dimension, whose halves are the value "
                         "and the gate")
    (a,) = _one_axis(x, axis, "glu")
    size = x.data.shape[a]
    if size % 2:
        raise ValueError(f"glu: got size {size} along axis {a} (shape {x.data.shape}); expected an even "
                         "size, whose halves are the value and the gate")
    before = (slice(None),) * a
    half = size // 2
    return x[before + (slice(0, half),)] * x[before + (slice(half, size),)].sigmoid()


METHODS: dict[str, Any] = {"softmin": softmin, "glu": glu}
FUNCTIONS: dict[str, Any] = dict(METHODS)
