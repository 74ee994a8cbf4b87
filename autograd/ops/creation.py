"""PyTorch's ``new_*`` methods: a new tensor that takes its dtype from an existing one.

``x.new_zeros(2, 3)`` is ``zeros(2, 3, dtype=x.dtype)``: code that builds a buffer, a mask or a constant
next to a tensor writes it without knowing the tensor's dtype. The new tensor shares nothing with ``x``
and is a leaf (``requires_grad=`` as the factories take it). The device, if given, must be the CPU.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..devices import check_device
from ..factories import _data_array, _dtype, _filled, _full
from ..tensor import ArrayLike, Tensor, _check_requires_grad


def _own(x: Tensor, dtype: Any, device: Any, where: str) -> np.dtype:
    """``dtype``, or ``x``'s when it is None, once the device has been checked."""
    if device is not None:
        check_device(device, where)
    return x.data.dtype if dtype is None else _dtype(where, dtype)


def new_zeros(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    """Zeros of shape ``size``, in this tensor's dtype unless ``dtype`` says otherwise.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1, 2])
    >>> x.new_zeros(2, 3).dtype, x.new_zeros((2,), dtype="float64").tolist()
    (dtype('int64'), [0.0, 0.0])
    """
    return _filled("new_zeros", np.zeros, size, _own(self, dtype, device, "new_zeros"), requires_grad)


def new_ones(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """Ones of shape ``size``, in this tensor's dtype unless ``dtype`` says otherwise.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0], dtype="float64").new_ones(2).tolist()
    [1.0, 1.0]
    """
    return _filled("new_ones", np.ones, size, _own(self, dtype, device, "new_ones"), requires_grad)


def new_empty(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    """A tensor of shape ``size`` in this tensor's dtype, which chaingrad fills with zeros (PyTorch
    leaves it uninitialised: see :func:`~autograd.empty`).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(1).new_empty(2, 2).shape
    (2, 2)
    """
    return _filled("new_empty", np.zeros, size, _own(self, dtype, device, "new_empty"), requires_grad)


def new_full(self: Tensor, size: Any, fill_value: Any, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """A tensor of shape ``size`` filled with ``fill_value``, cast to this tensor's dtype unless
    ``dtype`` says otherwise (so a float fill of an integer tensor is truncated, as in PyTorch).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0]).new_full((2,), 7).tolist(), tensor([1]).new_full((2,), 2.5).tolist()
    ([7.0, 7.0], [2, 2])
    """
    return _full("new_full", size, fill_value, _own(self, dtype, device, "new_full"), requires_grad)


def new_tensor(self: Tensor, data: ArrayLike, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    """A copy of ``data`` (numbers, lists, an array or a Tensor) in this tensor's dtype unless ``dtype``
    says otherwise, as :func:`~autograd.tensor` makes it: a Tensor's values are copied, without its
    graph.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0], dtype="float64")
    >>> x.new_tensor([1, 2]).dtype, tensor([1]).new_tensor([1.5, 2.5]).tolist()
    (dtype('float64'), [1, 2])
    """
    dt = _own(self, dtype, device, "new_tensor")
    source = data.data if isinstance(data, Tensor) else data
    if not isinstance(source, (list, tuple, int, float, bool)):
        source = np.asarray(source)  # arrays, numpy scalars, anything with __array__
    array = _data_array("new_tensor", source, dt)
    if isinstance(source, np.ndarray) and np.may_share_memory(array, source):
        array = array.copy()
    if requires_grad:
        _check_requires_grad(array, "new_tensor")
    return Tensor(array, requires_grad=requires_grad)


METHODS: dict[str, Any] = {"new_zeros": new_zeros, "new_ones": new_ones, "new_empty": new_empty,
                           "new_full": new_full, "new_tensor": new_tensor}
FUNCTIONS: dict[str, Any] = {}
