"""PyTorch's tensor-attribute methods: sizes, dtype conversions, device moves and copies.

These are the calls PyTorch code is full of (``x.size(0)``, ``x.numel()``, ``x.to(torch.float64)``,
``x.clone()``): a user coming from PyTorch should be able to write them unchanged. Everything runs on the
CPU, so the device moves accept the CPU and refuse anything else with an error saying so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..factories import _dtype
from ..tensor import Tensor, TensorOp, result
from ._common import describe, is_int, tensor_arg


def numel(self: Tensor) -> int:
    """The number of elements.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).numel()
    6
    """
    return int(self.data.size)


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
    if not is_int(dim):
        raise TypeError(f"size: got dim {describe(dim)}; expected an int or None")
    if not -len(shape) <= dim < len(shape) or not shape:
        raise IndexError(f"size: dim {dim} is out of range for a tensor of shape {shape}")
    return shape[dim]


def element_size(self: Tensor) -> int:
    """Bytes per element.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2).element_size(), zeros(2, dtype="float64").element_size()
    (4, 8)
    """
    return self.data.itemsize


def is_floating_point(self: Tensor) -> bool:
    """Whether the dtype is a floating-point one (the tensors that can require grad).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0]).is_floating_point(), tensor([1]).is_floating_point()
    (True, False)
    """
    return self.data.dtype.kind == "f"


def _device_name(device: Any) -> str:
    """The type of ``device`` ("cpu", "cuda", ...), from a string such as "cuda:0" or a device object."""
    return str(getattr(device, "type", device)).split(":")[0]


def _check_device(device: Any, where: str) -> None:
    if _device_name(device) != "cpu":
        raise RuntimeError(f"{where}: got device {device!r}; chaingrad computes on the CPU only "
                           "(expected 'cpu')")


def _as_dtype(dtype: Any, where: str) -> np.dtype:
    # PyTorch's dtypes (torch.float64) print as "torch.float64"; numpy knows the name after the dot
    name = str(dtype)
    if name.startswith("torch."):
        dtype = name[len("torch."):]
    return _dtype(where, dtype)


def _is_device(x: Any) -> bool:
    return isinstance(x, str) and _device_name(x) in ("cpu", "cuda", "mps", "meta", "xpu") or (
        hasattr(x, "type") and not isinstance(x, (np.dtype, type)))


def to(self: Tensor, *args: Any, dtype: Any = None, device: Any = None, copy: bool = False,
       non_blocking: bool = False) -> Tensor:
    """This tensor in another dtype and/or on a device, as PyTorch's ``to``.

    Takes ``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(other)`` (the dtype of the tensor
    ``other``). The device must be the CPU. A dtype change is recorded (differentiable between float
    dtypes, as :meth:`astype`); when nothing changes the tensor itself is returned, unless ``copy=True``.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.5, 2.5])
    >>> x.to("float64").dtype, x.to("cpu") is x, x.to(tensor([1])).tolist()
    (dtype('float64'), True, [1, 2])
    """
    del non_blocking  # nothing is asynchronous on the CPU
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg.data.dtype if dtype is None else dtype
        elif _is_device(arg):
            device = arg
        elif dtype is None:
            dtype = arg
        else:
            raise TypeError(f"to: got {describe(arg)} after dtype {dtype!r}; expected to(dtype), "
                            "to(device), to(device, dtype) or to(other_tensor)")
    if device is not None:
        _check_device(device, "to")
    out = self if dtype is None else self.astype(_as_dtype(dtype, "to"))
    return clone(out) if copy and out is self else out


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


def _device(self: Tensor) -> str:
    """Where the data lives: always ``'cpu'``."""
    return "cpu"


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


def _identity_rule(node: Tensor, g: Any) -> tuple:
    return (g,)


_CLONE = TensorOp("clone", _identity_rule, _identity_rule)


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
}
FUNCTIONS = {"clone": clone}
