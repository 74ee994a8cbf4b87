"""Creating tensors: constants, ranges, identity and seeded random numbers."""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from .tensor import DEFAULT_FLOAT, Tensor, _as_array

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the generator behind :func:`randn`, :func:`rand` and the ``nn`` initialisers.

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0); a = autograd.randn(2)
    >>> _ = autograd.manual_seed(0); b = autograd.randn(2)
    >>> bool((a.numpy() == b.numpy()).all())
    True
    """
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_generator() -> np.random.Generator:
    """The generator seeded by :func:`manual_seed`."""
    return _generator


def _size(where: str, n: Any) -> int:
    # operator.index takes ints, numpy integers and 0-d integer arrays, and refuses floats: int(2.7)
    # would silently make a size of 2. Bools are refused as well, as PyTorch does.
    if isinstance(n, (bool, np.bool_)):
        index = None
    else:
        try:
            index = operator.index(n)
        except TypeError:
            index = None
    if index is None:
        raise TypeError(f"{where}: got size {n!r} of type {type(n).__name__}; expected an int, or a tuple or "
                        "list of ints")
    if index < 0:
        raise ValueError(f"{where}: got size {index}; sizes must be non-negative")
    return index


def _shape(where: str, shape: tuple) -> tuple[int, ...]:
    """The sizes given as ``f(2, 3)``, ``f((2, 3))`` or ``f([2, 3])``, checked."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(_size(where, n) for n in shape)


def _dtype(dtype: Any) -> np.dtype:
    return DEFAULT_FLOAT if dtype is None else np.dtype(dtype)


def _float_dtype(where: str, dtype: Any) -> np.dtype:
    dt = _dtype(dtype)
    if dt.kind != "f":
        # casting the samples would truncate them: rand(3, dtype=int) would be all zeros
        raise TypeError(f"{where}: got dtype {dt}; expected a floating dtype (float16, float32 or float64)")
    return dt


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros (float32 unless ``dtype`` says otherwise).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).shape
    (2, 3)
    """
    return Tensor(np.zeros(_shape("zeros", shape), dtype=_dtype(dtype)), requires_grad=requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones.

    Examples
    --------
    >>> from autograd import ones
    >>> ones(2).tolist()
    [1.0, 1.0]
    """
    return Tensor(np.ones(_shape("ones", shape), dtype=_dtype(dtype)), requires_grad=requires_grad)


def full(shape: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``.

    Parameters
    ----------
    shape : int or tuple or list of ints
    fill_value : number
        One number. Without ``dtype`` it sets the dtype as in :func:`~autograd.tensor`: a Python float
        gives float32, an int int64, a bool bool; a numpy scalar keeps its dtype.
    dtype : numpy dtype or str, optional
    requires_grad : bool, optional

    Examples
    --------
    >>> from autograd import full
    >>> full((2,), 7.0).tolist()
    [7.0, 7.0]
    >>> (full((2,), 7.0).dtype, full(2, 7).dtype, full([2], True).dtype)
    (dtype('float32'), dtype('int64'), dtype('bool'))
    """
    shape = _shape("full", shape if isinstance(shape, (tuple, list)) else (shape,))
    if np.ndim(fill_value) != 0:
        # np.full would broadcast an array into the shape; PyTorch takes one number only
        raise TypeError(f"full: got fill_value of shape {np.shape(fill_value)}; expected a single number")
    fill = _as_array(fill_value, dtype, "full")
    return Tensor(np.full(shape, fill, dtype=fill.dtype), requires_grad=requires_grad)


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Evenly spaced values in ``[start, stop)``; integers give int64, floats float32.

    ``arange(stop)`` starts at 0. With an integer ``dtype``, ``start``, ``stop`` and ``step`` are first
    truncated towards zero, as PyTorch does for int64: ``arange(0.5, 3, 1.5, dtype="int64")`` is
    ``[0, 1, 2]``, and a step that truncates to 0 raises a ValueError.

    Examples
    --------
    >>> from autograd import arange
    >>> arange(3).tolist()
    [0, 1, 2]
    >>> arange(0, 1, 0.25).tolist()
    [0.0, 0.25, 0.5, 0.75]
    """
    if stop is None:
        start, stop = 0, start
    if dtype is not None:
        dt = np.dtype(dtype)
        if dt.kind == "b":
            raise TypeError("arange: got dtype bool; expected a numeric dtype")
        if dt.kind in "iu":
            bounds = (start, stop, step)
            if not all(math.isfinite(b) for b in bounds):
                raise ValueError(f"arange: got start={start}, stop={stop}, step={step}; an integer dtype "
                                 "needs finite values")
            # Computing in floats and casting would give arange(0, 2, 0.5, dtype=int64) == [0, 0, 1, 1]
            start, stop, step = (int(b) for b in bounds)
            if step == 0:
                raise ValueError(f"arange: step {bounds[2]} truncates to 0 for dtype {dt}; give an integer "
                                 "step, or a floating dtype")
    if step == 0:
        raise ValueError(f"arange: got step {step}; expected a nonzero step")
    data = np.arange(start, stop, step)
    if dtype is not None:
        data = data.astype(dtype)
    elif data.dtype.kind == "f":
        data = data.astype(DEFAULT_FLOAT)
    return Tensor(data, requires_grad=requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """The identity matrix (n x m).

    Examples
    --------
    >>> from autograd import eye
    >>> eye(2).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    n = _size("eye", n)
    m = None if m is None else _size("eye", m)
    return Tensor(np.eye(n, m, dtype=_dtype(dtype)), requires_grad=requires_grad)


def randn(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples from the seeded generator.

    Examples
    --------
    >>> from autograd import randn
    >>> randn(3, 2).shape
    (3, 2)
    """
    return _randn("randn", shape, dtype, requires_grad)


def rand(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1) from the seeded generator.

    Examples
    --------
    >>> from autograd import rand
    >>> bool((rand(4).numpy() < 1).all())
    True
    """
    return _rand("rand", shape, dtype, requires_grad)


def _randn(where: str, shape: tuple, dtype: Any, requires_grad: bool) -> Tensor:
    dt = _float_dtype(where, dtype)
    data = _generator.standard_normal(_shape(where, shape)).astype(dt)
    return Tensor(data, requires_grad=requires_grad)


def _rand(where: str, shape: tuple, dtype: Any, requires_grad: bool) -> Tensor:
    dt = _float_dtype(where, dtype)
    data = _generator.random(_shape(where, shape)).astype(dt)
    # float64 samples just below 1 round up to 1.0 in a narrower dtype; keep the interval half-open
    # without changing the seeded stream
    np.minimum(data, np.nextafter(dt.type(1), dt.type(0)), out=data)
    return Tensor(data, requires_grad=requires_grad)


def _like(fn: Any, build: Any = None) -> Any:
    """``fn_like(t)``: ``fn`` with the shape and dtype of ``t``. ``build(where, shape, dtype,
    requires_grad)``, when given, makes the tensor, so that its errors name the ``_like`` function."""
    name = fn.__name__ + "_like"

    def like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
        dtype = t.dtype if dtype is None else dtype
        if build is not None:
            return build(name, t.shape, dtype, requires_grad)
        return fn(*t.shape, dtype=dtype, requires_grad=requires_grad)

    floating = " (which must then be floating)" if build is not None else ""
    like.__name__ = name
    like.__doc__ = (f"``{fn.__name__}`` with the shape and dtype of ``t``{floating}.\n\nExamples\n--------\n"
                    f">>> from autograd import ones, {name}\n>>> {name}(ones(2, 2)).shape\n(2, 2)\n")
    return like


zeros_like = _like(zeros)
ones_like = _like(ones)
randn_like = _like(randn, _randn)
rand_like = _like(rand, _rand)


def full_like(t: Tensor, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``full`` with the shape and dtype of ``t`` (``fill_value`` is cast to it, as in PyTorch).

    Examples
    --------
    >>> from autograd import ones, full_like
    >>> full_like(ones(2), 3.0).tolist()
    [3.0, 3.0]
    """
    return full(t.shape, fill_value, dtype=t.dtype if dtype is None else dtype, requires_grad=requires_grad)
