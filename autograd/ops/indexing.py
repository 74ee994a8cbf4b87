"""Indexing ``t[...]``: basic and advanced, with scatter-add gradients for repeated indices."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import modifications
from ..grad_mode import grad_enabled
from ..tensor import ArrayLike, Tensor, TensorOp, result
from ._common import tensor_arg


def _plain_index(index: Any) -> Any:
    # Tensors used as indices (labels, masks) become their arrays.
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, np.integer, slice)) for i in items)


def _getitem_rule(node: Tensor, g: Tensor) -> tuple:
    index, shape = node._ctx
    return (scatter_add(g, index, shape),)


def _getitem_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    index, shape = node._ctx
    return (_scattered(g, index, shape),)


GETITEM = TensorOp("getitem", _getitem_rule, _getitem_array_rule, reads_values=False)


def getitem(x: Tensor, index: Any) -> Tensor:
    """``x[index]`` with numpy's basic and advanced indexing.

    Examples
    --------
    >>> from autograd import arange
    >>> arange(6).reshape(2, 3)[1, ::2].tolist()
    [3, 5]
    """
    index = _plain_index(index)
    try:
        out = x.data[index]
    except IndexError as exc:
        raise IndexError(f"getitem: {exc} (tensor of shape {x.data.shape})") from None
    return result(np.asarray(out), (x,), GETITEM, (index, x.data.shape))


def setitem(x: Tensor, index: Any, value: Any) -> None:
    """``x[index] = value``, in place, where nothing is being recorded through ``x`` or ``value``.

    Examples
    --------
    >>> from autograd import zeros
    >>> t = zeros(3); t[1] = 5.0; t.tolist()
    [0.0, 5.0, 0.0]
    """
    if grad_enabled() and (x._requires_grad or isinstance(value, Tensor) and value._requires_grad):
        raise RuntimeError(
            "setitem: cannot assign into a tensor while gradients are recorded through it; assign "
            "under `with autograd.no_grad():`, or build the result with autograd.where or scatter_add"
        )
    index = _plain_index(index)
    try:
        x.data[index] = value.data if isinstance(value, Tensor) else value
        modifications.record_change(x.data, "setitem")  # after: a write that fails changes nothing
    except IndexError as exc:
        raise IndexError(f"setitem: {exc} (tensor of shape {x.data.shape})") from None


def _scatter_rule(node: Tensor, g: Tensor) -> tuple:
    index, _ = node._ctx
    return (getitem(g, index),)


def _scatter_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return (np.asarray(g[node._ctx[0]]),)


SCATTER_ADD = TensorOp("scatter_add", _scatter_rule, _scatter_array_rule)


def _scattered(src: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(shape, dtype=src.dtype)
    if _is_basic(index):
        out[index] = src
    else:
        np.add.at(out, index, src)
    return out


def scatter_add(src: ArrayLike, index: Any, shape: tuple[int, ...]) -> Tensor:
    """A zero tensor of ``shape`` with ``src`` added at ``index`` (repeated positions add up).

    This is the gradient of indexing, and itself differentiable (its gradient is indexing).

    Examples
    --------
    >>> from autograd import tensor
    >>> scatter_add(tensor([1.0, 2.0, 3.0]), ([0, 0, 2],), (3,)).tolist()
    [3.0, 0.0, 3.0]
    """
    if type(src) is not Tensor:
        src = tensor_arg(src, "scatter_add")
    return result(_scattered(src.data, index, shape), (src,), SCATTER_ADD, (index, shape))


METHODS: dict[str, Any] = {"__getitem__": getitem, "__setitem__": setitem}
FUNCTIONS: dict[str, Any] = {"scatter_add": scatter_add}
