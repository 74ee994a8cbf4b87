"""PyTorch's tensor-attribute methods: sizes, dtype conversions, device moves and copies.

These are the calls PyTorch code is full of (``x.size(0)``, ``x.numel()``, ``x.to(torch.float64)``,
``x.clone()``): a user coming from PyTorch should be able to write them unchanged. Everything runs on the
CPU, so the device moves accept the CPU and refuse anything else with an error saying so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..devices import CPU, device
from ..factories import _dtype
from ..tensor import ArrayLike, Tensor, TensorOp, describe, identity_rule, result
from ..to_arguments import parse_to
from ._common import is_int, tensor_arg


def numel(self: ArrayLike) -> int:
    """The number of elements (``nelement`` is another name for it). As a function, ``numel(x)`` also
    takes what other functions take for a tensor: an array, a (nested) list or a number.

    Examples
    --------
    >>> from autograd import numel, zeros
    >>> zeros(2, 3).numel(), numel([[1, 2, 3]])
    (6, 3)
    """
    if type(self) is not Tensor:
        self = tensor_arg(self, "numel")
    return int(self.data.size)


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a Tensor (a subclass, such as ``nn.Parameter``, included), as ``torch.is_tensor``.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import is_tensor, zeros
    >>> is_tensor(zeros(2)), is_tensor(np.zeros(2))
    (True, False)
    """
    return isinstance(obj, Tensor)


def dim(self: Tensor) -> int:
    """The number of dimensions (``ndim``).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).dim()
    2
    """
    return self.data.ndim


def size(self: Tensor, dim: int | None = None) -> tuple[int, ...] | int:
    """The shape, or the size of dimension ``dim`` (negative counts from the end), as in PyTorch.

    The number of elements is :meth:`numel`.

    Examples
    --------
    >>> from autograd import zeros
    >>> x = zeros(2, 3)
    >>> x.size(), x.size(0), x.size(-1)
    ((2, 3), 2, 3)
    """
    shape = self.data.shape
    if dim is None:
        return shape
    return shape[_checked_dim(self, dim, "size")]


def _checked_dim(x: Tensor, dim: Any, where: str) -> int:
    """``dim`` once it is an int that indexes ``x``'s dimensions (a 0-d tensor has none)."""
    if not is_int(dim):
        raise TypeError(f"{where}: got dim {describe(dim)}; expected an int or None")
    shape = x.data.shape
    if not -len(shape) <= dim < len(shape) or not shape:
        raise IndexError(f"{where}: dim {dim} is out of range for a tensor of shape {shape}")
    return int(dim)


def stride(self: Tensor, dim: int | None = None) -> tuple[int, ...] | int:
    """The steps in memory between neighbours along each dimension, in elements, as PyTorch's ``stride``
    (numpy's ``strides`` are in bytes); ``stride(dim)`` is one dimension's.

    Dimensions that were broadcast (:meth:`expand`) have stride 0, as in PyTorch. numpy can also step
    backwards: ``flip`` gives a view with negative strides, where PyTorch's ``flip`` copies.

    Examples
    --------
    >>> from autograd import zeros
    >>> x = zeros(2, 3)
    >>> x.stride(), x.T.stride(), x.stride(0)
    ((3, 1), (1, 3), 3)
    """
    itemsize = self.data.itemsize
    steps = []
    for step in self.data.strides:
        elements, rest = divmod(step, itemsize)
        if rest:  # only a hand-made strided view can get here
            raise ValueError(f"stride: got a tensor whose byte strides {self.data.strides} are not whole "
                             f"numbers of its {itemsize}-byte elements; expected strides in whole elements "
                             "(x.contiguous() has them)")
        steps.append(elements)
    if dim is None:
        return tuple(steps)
    return steps[_checked_dim(self, dim, "stride")]


def is_contiguous(self: Tensor) -> bool:
    """Whether the elements lie in memory in row-major (C) order without gaps, as PyTorch's
    ``is_contiguous``: dimensions of size 1 do not count, and an empty tensor is contiguous.

    See :meth:`contiguous` for a tensor that is.

    Examples
    --------
    >>> from autograd import zeros
    >>> x = zeros(2, 3)
    >>> x.is_contiguous(), x.T.is_contiguous(), x[:, 1:].is_contiguous()
    (True, False, False)
    """
    return bool(self.data.flags.c_contiguous)


def data_ptr(self: Tensor) -> int:
    """The address of the first element in memory, as PyTorch's ``data_ptr``: tensors that share
    memory (a view, :func:`~autograd.from_numpy`) can be told apart from copies with it.

    Unlike PyTorch, which gives 0 for an empty tensor, this is numpy's address even then.

    Examples
    --------
    >>> from autograd import zeros
    >>> x = zeros(4)
    >>> x[1:].data_ptr() - x.data_ptr() == x.element_size()
    True
    """
    return int(self.data.ctypes.data)


def element_size(self: Tensor) -> int:
    """Bytes per element.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2).element_size(), zeros(2, dtype="float64").element_size()
    (4, 8)
    """
    return self.data.itemsize


def is_floating_point(self: ArrayLike) -> bool:
    """Whether the dtype is a floating-point one (the tensors that can require grad). As a function,
    ``is_floating_point(x)`` also takes what other functions take for a tensor (an array, a list, a number),
    and answers for the tensor it would make.

    Examples
    --------
    >>> from autograd import is_floating_point, tensor
    >>> tensor([1.0]).is_floating_point(), tensor([1]).is_floating_point(), is_floating_point([1.5])
    (True, False, True)
    """
    if type(self) is not Tensor:
        self = tensor_arg(self, "is_floating_point")
    return self.data.dtype.kind == "f"


def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """This tensor in another dtype and/or on a device, as PyTorch's ``to``.

    Takes PyTorch's forms: ``to(dtype)``, ``to(device)``, ``to(device, dtype)`` and ``to(other)`` (the
    dtype of the tensor ``other``: chaingrad's, PyTorch's or a numpy array), each optionally followed by
    ``non_blocking`` and ``copy`` as bools, and the keywords ``device=``, ``dtype=``, ``non_blocking=``
    and ``copy=`` (read by :func:`autograd.to_arguments.parse_to`). The device must be the CPU;
    ``non_blocking`` is ignored (nothing is asynchronous on the CPU). A dtype change is recorded
    (differentiable between float dtypes, as :meth:`astype`); when nothing changes the tensor itself is
    returned, unless ``copy=True``.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.5, 2.5])
    >>> x.to("float64").dtype, x.to("cpu") is x, x.to(tensor([1])).tolist()
    (dtype('float64'), True, [1, 2])
    >>> x.to("cpu", copy=True) is x, x.to(x.dtype, False, True) is x
    (False, False)
    """
    dtype, flags = parse_to("to", args, kwargs)
    out = self if dtype is None else self.astype(dtype)
    return clone(out) if flags["copy"] and out is self else out


def cpu(self: Tensor) -> Tensor:
    """This tensor: chaingrad's tensors always live in main memory.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0])
    >>> x.cpu() is x
    True
    """
    return self


def _device(self: Tensor) -> device:
    """Where the data lives: always ``device('cpu')``, as PyTorch's ``x.device`` of a CPU tensor."""
    return CPU


def type_as(self: Tensor, other: Tensor) -> Tensor:
    """This tensor in ``other``'s dtype.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1, 2]).type_as(tensor([0.5])).dtype
    dtype('float32')
    """
    if not isinstance(other, Tensor):
        raise TypeError(f"type_as: got other {describe(other)}; expected a Tensor")
    return self.astype(other.data.dtype)


# PyTorch's names of its CPU tensor types, which its ``type`` takes and gives
_TENSOR_TYPES = {"torch.FloatTensor": "float32", "torch.DoubleTensor": "float64",
                 "torch.HalfTensor": "float16", "torch.LongTensor": "int64", "torch.IntTensor": "int32",
                 "torch.ShortTensor": "int16", "torch.CharTensor": "int8", "torch.ByteTensor": "uint8",
                 "torch.BoolTensor": "bool"}


def type_(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> str | Tensor:
    """With no argument, the name of the dtype, such as ``'float32'``; with one, this tensor in that
    dtype (itself if it is in it already), as :meth:`to`.

    PyTorch's ``type()`` gives the name of a tensor class, such as ``'torch.FloatTensor'``: chaingrad
    has one tensor class, so it names the dtype instead, in the form every ``dtype=`` argument takes
    (``x.type(y.type())`` converts ``x`` to ``y``'s dtype). PyTorch's class names are accepted as
    arguments: ``x.type('torch.DoubleTensor')`` is ``x.to('float64')``.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.5, 2.5])
    >>> x.type(), x.type("torch.LongTensor").tolist(), x.type("float64").type()
    ('float32', [1, 2], 'float64')
    """
    del non_blocking  # nothing is asynchronous on the CPU
    if dtype is None:
        return self.data.dtype.name
    if isinstance(dtype, str) and "Tensor" in dtype:
        if dtype not in _TENSOR_TYPES:
            raise TypeError(f"type: got {dtype!r}; expected a dtype or one of PyTorch's CPU tensor types "
                            f"({', '.join(_TENSOR_TYPES)})")
        dtype = _TENSOR_TYPES[dtype]
    return self.astype(_dtype("type", dtype))


def _converter(dtype: str, name: str) -> Any:
    def convert(self: Tensor) -> Tensor:
        return self.astype(dtype)

    convert.__name__ = name
    convert.__doc__ = f"""This tensor as {dtype} (itself if it is already).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 0.0]).{name}().dtype
    dtype('{dtype}')
    """
    return convert


_CLONE = TensorOp("clone", identity_rule, identity_rule, reads_values=False)


def clone(self: Tensor) -> Tensor:
    """A copy of the data that stays in the graph: gradients flow through it to this tensor.

    Unlike :meth:`detach`, which shares the data and cuts the graph, ``clone`` copies the data and keeps
    the graph.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> y = x.clone()
    >>> y.data is x.data, y.requires_grad
    (False, True)
    """
    if type(self) is not Tensor:
        self = tensor_arg(self, "clone")
    return result(self.data.copy(), (self,), _CLONE)


def contiguous(self: Tensor) -> Tensor:
    """This tensor if its data is C-contiguous, else a C-contiguous copy that stays in the graph.

    Examples
    --------
    >>> from autograd import zeros
    >>> x = zeros(2, 3)
    >>> x.contiguous() is x, x.T.contiguous().data.flags.c_contiguous
    (True, True)
    """
    if self.data.flags.c_contiguous:
        return self
    return result(np.ascontiguousarray(self.data), (self,), _CLONE)


METHODS = {
    "numel": numel,
    "nelement": numel,
    "dim": dim,
    "size": size,
    "element_size": element_size,
    "is_floating_point": is_floating_point,
    "to": to,
    "cpu": cpu,
    "device": property(_device),
    "type_as": type_as,
    "half": _converter("float16", "half"),
    "int": _converter("int32", "int"),
    "long": _converter("int64", "long"),
    "bool": _converter("bool", "bool"),
    "clone": clone,
    "contiguous": contiguous,
    "stride": stride,
    "is_contiguous": is_contiguous,
    "data_ptr": data_ptr,
    "type": type_,
}
FUNCTIONS = {"clone": clone, "numel": numel, "is_tensor": is_tensor, "is_floating_point": is_floating_point}
