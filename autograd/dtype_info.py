"""What PyTorch's ``finfo`` and ``iinfo`` say about dtypes.

They take whatever a ``dtype=`` argument takes (numpy dtypes, types and names, ``autograd.float32``,
PyTorch's dtypes) and give Python numbers, as PyTorch's do, with numpy's values for each dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .default_dtype import get_default_dtype
from .tensor import Tensor, as_dtype, describe


def _dtype_argument(name: str, type: Any) -> np.dtype:
    if isinstance(type, (Tensor, np.ndarray)):  # numpy would take the array's dtype; PyTorch refuses it
        raise TypeError(f"{name}: got an argument {describe(type)}; expected a dtype (pass x.dtype for a "
                        "tensor's)")
    return as_dtype(type, name)


class _Info:
    """A read-only record of a dtype's numbers, equal to another for the same dtype."""

    __slots__: tuple[str, ...] = ()
    _SHOWN: tuple[str, ...] = ()  # the fields of the repr, in PyTorch's order

    def _fill(self, **fields: Any) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__}: attribute {name!r} is read-only")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.dtype == self.dtype  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.dtype))  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name):g}" for name in self._SHOWN)
        return f"{type(self).__name__}({shown}, dtype={self.dtype})"  # type: ignore[attr-defined]


class finfo(_Info):  # noqa: N801 - PyTorch's name
    """The numbers of a floating dtype (the default one, :func:`~autograd.get_default_dtype`, without an
    argument), as ``torch.finfo``.

    Attributes
    ----------
    bits : int
        The dtype's size in bits.
    eps : float
        The gap between 1.0 and the next larger number.
    max, min : float
        The largest and the most negative finite numbers.
    tiny, smallest_normal : float
        The smallest positive normal number (two names for it).
    resolution : float
        ``10 ** -precision``, with ``precision`` the number of decimal digits the dtype keeps.
    dtype : str
        The dtype's name, such as ``'float32'``.

    Raises
    ------
    TypeError
        For a dtype that is not floating-point (see :class:`iinfo` for integers), or something that is not
        a dtype.

    Examples
    --------
    >>> import autograd
    >>> autograd.finfo(autograd.float32).eps, autograd.finfo("float16").max
    (1.1920928955078125e-07, 65504.0)
    >>> autograd.finfo()  # doctest: +NORMALIZE_WHITESPACE
    finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07,
          smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)
    """

    __slots__ = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")
    _SHOWN = ("resolution", "min", "max", "eps", "smallest_normal", "tiny")

    def __init__(self, type: Any = None) -> None:
        dt = get_default_dtype() if type is None else _dtype_argument("finfo", type)
        if dt.kind != "f":
            raise TypeError(f"finfo: got dtype {dt}; expected a floating dtype, such as float32 (iinfo "
                            "describes integer dtypes)")
        info = np.finfo(dt)
        normal = float(info.smallest_normal)
        self._fill(bits=int(info.bits), eps=float(info.eps), max=float(info.max), min=float(info.min),
                   tiny=normal, smallest_normal=normal, resolution=10.0 ** -int(info.precision),
                   dtype=dt.name)


class iinfo(_Info):  # noqa: N801 - PyTorch's name
    """The numbers of an integer dtype, as ``torch.iinfo``.

    Attributes
    ----------
    bits : int
        The dtype's size in bits.
    max, min : int
        The largest and the smallest value.
    dtype : str
        The dtype's name, such as ``'int64'``.

    Raises
    ------
    TypeError
        For a dtype that is not an integer one (bool included, as in PyTorch; see :class:`finfo` for
        floating dtypes), or something that is not a dtype.

    Examples
    --------
    >>> import autograd
    >>> autograd.iinfo(autograd.int8).max, autograd.iinfo("uint8").min, autograd.iinfo(autograd.int64).bits
    (127, 0, 64)
    >>> autograd.iinfo(autograd.int16)
    iinfo(min=-32768, max=32767, dtype=int16)
    """

    __slots__ = ("bits", "max", "min", "dtype")
    _SHOWN = ("min", "max")

    def __init__(self, type: Any) -> None:
        dt = _dtype_argument("iinfo", type)
        if dt.kind not in "iu":
            raise TypeError(f"iinfo: got dtype {dt}; expected an integer dtype, such as int64 (finfo "
                            "describes floating dtypes)")
        info = np.iinfo(dt)
        self._fill(bits=int(info.bits), max=int(info.max), min=int(info.min), dtype=dt.name)
