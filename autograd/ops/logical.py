"""Logic on truth values: logical_and, logical_or, logical_xor and logical_not elementwise (with numpy
broadcasting), and the reductions all and any. Any dtype is taken, a non-zero number (nan included)
being true; the results are bool tensors that carry no gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, as_tensor
from ._common import broadcasting, normalize_axis, pair, tensor_arg
from .reductions import _keepdims


def _connective(name: str, ufunc: np.ufunc) -> Any:
    def fn(a: Any, b: Any) -> Tensor:
        a, b = pair(a, b, name)
        return as_tensor(np.asarray(broadcasting(name, ufunc, a.data, b.data)))

    fn.__name__ = name
    fn.__doc__ = (f"Elementwise ``{name}`` of the truth values of ``a`` and ``b`` (non-zero is true), with "
                  "broadcasting. Returns a bool tensor that carries no gradient.\n\nExamples\n--------\n"
                  f">>> from autograd import tensor, {name}\n"
                  f">>> {name}(tensor([True, True, False]), tensor([1.0, 0.0, 0.0])).tolist()\n"
                  f"{ufunc([True, True, False], [1.0, 0.0, 0.0]).tolist()}\n")
    return fn


logical_and = _connective("logical_and", np.logical_and)
logical_or = _connective("logical_or", np.logical_or)
logical_xor = _connective("logical_xor", np.logical_xor)


def logical_not(x: ArrayLike) -> Tensor:
    """Elementwise negation of the truth values of ``x`` (zero is false); a bool tensor without gradient.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([0.0, 2.0]).logical_not().tolist()
    [True, False]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "logical_not")
    return as_tensor(np.asarray(np.logical_not(x.data)))


def _truth_reduction(name: str, fn: Any, x: ArrayLike, axis: Any, keepdims: Any) -> Tensor:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    axes = normalize_axis(axis, x.data.ndim, name)
    if keepdims is not True and keepdims is not False:
        keepdims = _keepdims(keepdims, name)
    return as_tensor(np.asarray(fn(x.data, axis=axes, keepdims=keepdims)))


def all(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Whether every element over ``axis`` (all axes by default) is true (non-zero); True for none.

    Takes PyTorch's ``dim`` and ``keepdim`` too. The result is a bool tensor, whatever the input's dtype
    (PyTorch keeps uint8 for uint8 input), and carries no gradient.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, 0.0], [2.0, 3.0]])
    >>> x.all().item(), x.all(dim=1).tolist()
    (False, [False, True])
    """
    return _truth_reduction("all", np.all, x, axis, keepdims)


def any(x: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Whether some element over ``axis`` (all axes by default) is true (non-zero); False for none.

    Takes PyTorch's ``dim`` and ``keepdim`` too; the result is a bool tensor that carries no gradient.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, 0.0], [0.0, 0.0]])
    >>> x.any().item(), x.any(axis=1, keepdims=True).tolist()
    (True, [[True], [False]])
    """
    return _truth_reduction("any", np.any, x, axis, keepdims)


METHODS = {"logical_and": logical_and, "logical_or": logical_or, "logical_xor": logical_xor,
           "logical_not": logical_not, "all": all, "any": any}
FUNCTIONS = dict(METHODS)
