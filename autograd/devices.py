"""Devices. chaingrad computes on the CPU only; PyTorch's device names and objects are understood where
they name it, so that device-agnostic code (``device("cuda" if cuda.is_available() else "cpu")``) runs
unchanged, and any other device is refused with an error that says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["device", "cuda", "is_device", "check_device", "DEVICE_TYPES"]

DEVICE_TYPES = frozenset({
    "cpu", "cuda", "mps", "meta", "xpu", "xla", "hip", "hpu", "ipu", "mtia", "vulkan", "lazy", "mkldnn",
    "opengl", "opencl", "ideep", "fpga", "ve", "maia", "privateuseone",
})
"""The device types PyTorch knows: a string that starts with one of them names a device, any other string
is a dtype name."""


class device:  # noqa: N801 - PyTorch's name
    """A device, as ``torch.device``: ``device("cpu")``, ``device("cpu", 0)`` or ``device("cpu:0")``.

    Other device types can be named, as in PyTorch, but tensors and modules refuse them.

    Parameters
    ----------
    type : str or device
        ``"cpu"``, ``"cuda"``, ..., optionally with ``":index"``.
    index : int, optional
        The device's index.

    Examples
    --------
    >>> device("cpu"), str(device("cpu", 0)), device("cpu:0").index
    (device(type='cpu'), 'cpu:0', 0)
    >>> device("cuda" if cuda.is_available() else "cpu").type
    'cpu'
    """

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device: got {type!r}; expected a device name such as 'cpu' or 'cpu:0'")
        name, colon, number = type.partition(":")
        if name not in DEVICE_TYPES:
            raise RuntimeError(f"device: got {type!r}; expected a device type, one of "
                               f"{', '.join(sorted(DEVICE_TYPES))}, with an optional ':index'")
        if colon:
            if not number.isdigit() or index is not None:
                raise RuntimeError(f"device: got {type!r} (index {index!r}); expected one index, a "
                                   "non-negative int")
            index = int(number)
        if index is not None and (isinstance(index, bool) or not isinstance(index, (int, np.integer))
                                  or index < 0):
            raise RuntimeError(f"device: got index {index!r}; expected a non-negative int")
        self.type = name
        self.index = None if index is None else int(index)

    def __repr__(self) -> str:
        return f"device(type={self.type!r})" if self.index is None else \
            f"device(type={self.type!r}, index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            # PyTorch's device("cpu") == "cpu" is False; True here, as x.device was the string "cpu" before
            return str(self) == other
        if isinstance(getattr(other, "type", None), str):  # this class or torch.device
            return (self.type, self.index) == (other.type, getattr(other, "index", None))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))  # as the string it equals


CPU = device("cpu")
"""The one device chaingrad computes on: what ``Tensor.device`` returns."""


class _Cuda:
    """``cuda.is_available()`` is False and ``cuda.device_count()`` is 0: there is no accelerator."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 0


cuda = _Cuda()
"""PyTorch's ``torch.cuda`` queries, answering that there is no GPU."""


def is_device(x: Any) -> bool:
    """Whether ``x`` names a device rather than a dtype: a device name (``"cpu"``, ``"cuda:0"``), a
    :class:`device` or ``torch.device``, or a bare int (PyTorch's index of an accelerator).

    Examples
    --------
    >>> is_device("cpu:0"), is_device("float32"), is_device(device("cpu"))
    (True, False, True)
    """
    if isinstance(x, str):
        return x.split(":")[0] in DEVICE_TYPES
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return True
    return isinstance(getattr(x, "type", None), str)  # a numpy dtype's .type is a class, not a str


def check_device(where_to: Any, where: str) -> None:
    """Refuse any device but the CPU (``"cpu"``, ``"cpu:N"``, ``device("cpu")`` or ``torch.device("cpu")``),
    with an error that names the operation ``where`` and the device given.

    Examples
    --------
    >>> check_device("cpu:0", "Linear")
    >>> check_device("cuda", "Linear")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    RuntimeError: Linear: got device 'cuda'; chaingrad computes on the CPU only ...
    """
    kind = where_to if isinstance(where_to, str) else getattr(where_to, "type", None)
    if isinstance(kind, str):
        name, _, index = kind.partition(":")
        if name == "cpu" and (not index or index.isdigit()):
            return
    raise RuntimeError(f"{where}: got device {where_to!r}; chaingrad computes on the CPU only (expected "
                       "'cpu', 'cpu:0' or device('cpu'))")
