"""PyTorch's shape helpers that numpy spells otherwise: ``unbind``, ``narrow``, ``movedim``/``moveaxis`` and
``unflatten``.

Each is written with the primitives of :mod:`autograd.ops.shape` and indexing, so their gradients come
from those; this module only reads PyTorch's arguments and checks them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, describe
from ._common import is_int, tensor_arg
from .indexing import getitem
from .shape import _dim, _dim_of, permuted, reshape


def unbind(x: ArrayLike, axis: int = 0) -> tuple[Tensor, ...]:
    """The slices of ``x`` along ``axis``, that axis removed: ``x[0], x[1], ...`` for ``axis=0``.

    Examples
    --------
    >>> from autograd import tensor
    >>> [t.tolist() for t in tensor([[1, 2], [3, 4]]).unbind(1)]
    [[1, 3], [2, 4]]
    """
    x, a = _dim_of(x, axis, "unbind", purpose=" to take apart")
    before = (slice(None),) * a
    return tuple(getitem(x, before + (i,)) for i in range(x.data.shape[a]))


def narrow(x: ArrayLike, axis: int, start: int, length: int) -> Tensor:
    """The ``length`` entries along ``axis`` from ``start`` on (a negative ``start`` counts from the end).

    Examples
    --------
    >>> from autograd import arange
    >>> arange(6).reshape(2, 3).narrow(1, 1, 2).tolist()
    [[1, 2], [4, 5]]
    """
    x, a = _dim_of(x, axis, "narrow")
    size = x.data.shape[a]
    for what, v in (("start", start), ("length", length)):
        if not is_int(v):
            raise TypeError(f"narrow: got {what} {describe(v)}; expected an int")
    if not -size <= start <= size:
        raise IndexError(f"narrow: got start={start} for dim {a} of size {size}; expected "
                         f"{-size} <= start <= {size}")
    begin = int(start) % size if start < 0 else int(start)
    if length < 0 or begin + length > size:
        raise ValueError(f"narrow: got start={start} and length={length} for dim {a} of size {size}; "
                         "expected a non-negative length with start + length <= size")
    return getitem(x, (slice(None),) * a + (slice(begin, begin + int(length)),))


def _dims(v: Any, ndim: int, name: str, what: str) -> tuple[int, ...]:
    items = (v,) if is_int(v) else tuple(v) if isinstance(v, (tuple, list)) else None
    if items is None:
        raise TypeError(f"{name}: got {what}={v!r}; expected an int or a tuple or list of ints")
    dims = tuple(_dim(d, ndim, name, what) for d in items)
    if len(set(dims)) != len(dims):
        raise ValueError(f"{name}: got {what}={v!r}, which repeats a dimension; expected distinct dimensions")
    return dims


def _moved(x: ArrayLike, source: Any, destination: Any, name: str) -> Tensor:
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    n = x.data.ndim
    src = _dims(source, n, name, "source")
    dst = _dims(destination, n, name, "destination")
    if len(src) != len(dst):
        raise ValueError(f"{name}: got {len(src)} source dims {source!r} and {len(dst)} destination dims "
                         f"{destination!r}; expected as many of each")
    if n == 0:
        return x
    order = [d for d in range(n) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permuted(x, tuple(order))


def movedim(x: ArrayLike, source: int | tuple[int, ...], destination: int | tuple[int, ...]) -> Tensor:
    """Move the dimensions ``source`` to the positions ``destination``; the others keep their order.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4).movedim(0, -1).shape
    (3, 4, 2)
    >>> zeros(2, 3, 4).movedim((0, 1), (2, 0)).shape
    (3, 4, 2)
    """
    return _moved(x, source, destination, "movedim")


def moveaxis(x: ArrayLike, source: int | tuple[int, ...], destination: int | tuple[int, ...]) -> Tensor:
    """:func:`movedim` under numpy's name (PyTorch has both).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4).moveaxis(-1, 0).shape
    (4, 2, 3)
    """
    return _moved(x, source, destination, "moveaxis")


def unflatten(x: ArrayLike, axis: int, sizes: tuple[int, ...] | list[int]) -> Tensor:
    """Split dimension ``axis`` into dimensions of ``sizes`` (whose product is its size; one may be -1).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 12).unflatten(1, (3, -1)).shape
    (2, 3, 4)
    """
    x, a = _dim_of(x, axis, "unflatten")
    if not isinstance(sizes, (tuple, list)) or not sizes or not all(is_int(s) for s in sizes):
        raise TypeError(f"unflatten: got sizes {describe(sizes)}; expected a non-empty tuple or list of ints")
    size = x.data.shape[a]
    known = [int(s) for s in sizes if s != -1]
    free = len(sizes) - len(known)
    product = int(np.prod(known))
    if any(s < 0 for s in known) or free > 1 or (
            product != size if free == 0 else product == 0 or size % product):
        raise ValueError(f"unflatten: got sizes {tuple(sizes)} for dim {a} of size {size}; expected "
                         "non-negative sizes (one may be -1) whose product is that size")
    new = tuple(size // product if s == -1 else int(s) for s in sizes)
    shape = x.data.shape
    return reshape(x, shape[:a] + new + shape[a + 1:])


_PUBLIC = (unbind, narrow, movedim, moveaxis, unflatten)
METHODS: dict[str, Any] = {fn.__name__: fn for fn in _PUBLIC}
FUNCTIONS: dict[str, Any] = dict(METHODS)
