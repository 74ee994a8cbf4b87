"""The arguments of PyTorch's ``to(...)``, read in one place for ``Tensor.to`` and ``nn.Module.to``.

PyTorch's ``Tensor.to`` has three forms: ``to(dtype, non_blocking=False, copy=False)``,
``to(device=None, dtype=None, non_blocking=False, copy=False)`` and ``to(other, non_blocking=False,
copy=False)``, where ``other`` is a tensor whose dtype to take; ``nn.Module.to`` has the same forms
without ``copy``. :func:`parse_to` reads all of them, with chaingrad's dtypes and devices (see
:mod:`autograd.devices`), and refuses with an error that names the function what it cannot read.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .devices import check_device, is_device
from .tensor import Tensor, as_dtype, describe

__all__ = ["parse_to"]


def _is_tensor_like(x: Any) -> bool:
    """Whether ``x`` is a tensor whose dtype ``to(x)`` takes: chaingrad's, PyTorch's, a numpy array. A
    numpy dtype (which has a ``shape``) and a class (numpy's scalar types have ``dtype`` and ``shape``
    attributes) are dtypes."""
    return isinstance(x, Tensor) or (
        not isinstance(x, (type, np.dtype, str)) and hasattr(x, "dtype") and hasattr(x, "shape"))


def _usage(flags: tuple[str, ...]) -> str:
    return ("to(dtype), to(device), to(device, dtype) or to(tensor), each optionally followed by "
            f"{' and '.join(flags)} (bools)")


def parse_to(where: str, args: tuple, kwargs: dict[str, Any],
             flags: tuple[str, ...] = ("non_blocking", "copy")) -> tuple[np.dtype | None, dict[str, bool]]:
    """The dtype (None: keep it) and the bool flags that the arguments ``args`` and ``kwargs`` of a
    ``to(...)`` call name; ``where`` is the function, for errors (``"to"``, ``"Linear.to"``), and
    ``flags`` the bools it takes after the device and dtype, in order (``Module.to`` has no ``copy``).

    Takes PyTorch's forms (``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(tensor)``), each
    optionally followed by the flags as bools, and the keywords ``device=``, ``dtype=`` and the flags.
    A device is refused unless it is the CPU (RuntimeError, as :func:`~autograd.devices.check_device`).
    A dtype is a numpy dtype or its name, ``autograd.float64`` or a PyTorch dtype; a tensor (chaingrad's,
    PyTorch's or a numpy array) gives its dtype. ``None`` names nothing. Flags not given are False.

    Raises a TypeError for two devices or two dtypes (a tensor counts as a dtype), a flag given by
    position and by keyword, a flag that is not a bool, a positional argument after a flag, or a
    positional argument that is neither a device, a dtype nor a tensor. Positions are not otherwise
    checked: ``to(torch.float64, "cpu")``, which PyTorch refuses, is ``to("cpu", torch.float64)``.

    Examples
    --------
    >>> parse_to("to", ("cpu", "float64"), {})
    (dtype('float64'), {'non_blocking': False, 'copy': False})
    >>> parse_to("to", (np.float16, False, True), {})
    (dtype('float16'), {'non_blocking': False, 'copy': True})
    >>> parse_to("Linear.to", (), {"device": "cpu"}, flags=("non_blocking",))
    (None, {'non_blocking': False})
    >>> parse_to("to", ("float64",), {"dtype": "float32"})
    Traceback (most recent call last):
    TypeError: to: got two dtypes, 'float32' and 'float64'; expected one
    """
    keywords = ("device", "dtype") + flags
    for key in kwargs:
        if key not in keywords:
            raise TypeError(f"{where}: got the keyword {key}={kwargs[key]!r}; expected the keywords "
                            f"{', '.join(k + '=' for k in keywords[:-1])} or {keywords[-1]}=")
    if len(args) > 2 + len(flags):
        raise TypeError(f"{where}: got {len(args)} positional arguments; expected at most {2 + len(flags)}: "
                        f"{_usage(flags)}")
    device, dtype = kwargs.get("device"), kwargs.get("dtype")
    given_dtype = dtype
    positional_flags: list[Any] = []
    for i, arg in enumerate(args):
        if i > 0 and isinstance(arg, (bool, np.bool_)):  # PyTorch's positional non_blocking, then copy
            positional_flags.append(arg)
            continue
        if positional_flags:
            raise TypeError(f"{where}: got an argument {describe(arg)} after the bool "
                            f"{positional_flags[-1]!r}; expected {_usage(flags)}")
        if arg is None:
            continue
        if _is_tensor_like(arg):
            arg = arg.dtype
        elif is_device(arg):
            if device is not None:
                raise TypeError(f"{where}: got two devices, {device!r} and {arg!r}; expected one")
            device = arg
            continue
        if dtype is not None:
            raise TypeError(f"{where}: got two dtypes, {dtype!r} and {arg!r}; expected one")
        dtype = arg
    if len(positional_flags) > len(flags):
        raise TypeError(f"{where}: got {len(positional_flags)} bools after the device and dtype; expected at "
                        f"most {len(flags)}: {_usage(flags)}")
    values = {}
    for i, name in enumerate(flags):
        value = kwargs.get(name, False)
        if i < len(positional_flags):
            if name in kwargs:
                raise TypeError(f"{where}: got {name} twice, {positional_flags[i]!r} by position and "
                                f"{name}={value!r}; expected one")
            value = positional_flags[i]
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{where}: got {name} {describe(value)}; expected a bool")
        values[name] = bool(value)
    if device is not None:
        check_device(device, where)
    if dtype is None:
        return None, values
    try:
        return as_dtype(dtype, where), values
    except TypeError:
        if dtype is given_dtype:  # dtype=: as_dtype's error says what a dtype is
            raise
        # a positional argument that is neither a device, a dtype nor a tensor: say what to() takes
        raise TypeError(f"{where}: got an argument {describe(dtype)}; expected a device ('cpu'), a dtype "
                        "(such as 'float64' or torch.float64) or a tensor") from None
