"""Creating tensors: constants, ranges, identity and seeded random numbers."""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import DEFAULT_FLOAT, Tensor

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


def _shape(shape: tuple) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(n) for n in shape)


def _dtype(dtype: Any) -> np.dtype:
    return DEFAULT_FLOAT if dtype is None else np.dtype(dtype)


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros (float32 unless ``dtype`` says otherwise).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).shape
    (2, 3)
    """
    return Tensor(np.zeros(_shape(shape), dtype=_dtype(dtype)), requires_grad=requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones.

    Examples
    --------
    >>> from autograd import ones
    >>> ones(2).tolist()
    [1.0, 1.0]
    """
    return Tensor(np.ones(_shape(shape), dtype=_dtype(dtype)), requires_grad=requires_grad)


def full(shape: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``.

    Examples
    --------
    >>> from autograd import full
    >>> full((2,), 7.0).tolist()
    [7.0, 7.0]
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return Tensor(np.full(shape, fill_value, dtype=_dtype(dtype)), requires_grad=requires_grad)


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Evenly spaced values in ``[start, stop)``; integers give int64, floats float32.

    Examples
    --------
    >>> from autograd import arange
    >>> arange(3).tolist()
    [0, 1, 2]
    """
    data = np.arange(start, stop, step) if stop is not None else np.arange(start)
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
    return Tensor(np.eye(n, m, dtype=_dtype(dtype)), requires_grad=requires_grad)


def randn(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples from the seeded generator.

    Examples
    --------
    >>> from autograd import randn
    >>> randn(3, 2).shape
    (3, 2)
    """
    data = _generator.standard_normal(_shape(shape)).astype(_dtype(dtype))
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1) from the seeded generator.

    Examples
    --------
    >>> from autograd import rand
    >>> bool((rand(4).numpy() < 1).all())
    True
    """
    data = _generator.random(_shape(shape)).astype(_dtype(dtype))
    return Tensor(data, requires_grad=requires_grad)


def _like(fn: Any) -> Any:
    def like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
        return fn(*t.shape, dtype=t.dtype if dtype is None else dtype, requires_grad=requires_grad)

    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = (f"``{fn.__name__}`` with the shape and dtype of ``t``.\n\nExamples\n--------\n"
                    f">>> from autograd import ones, {like.__name__}\n>>> {like.__name__}(ones(2, 2)).shape\n"
                    "(2, 2)\n")
    return like


zeros_like = _like(zeros)
ones_like = _like(ones)
randn_like = _like(randn)
rand_like = _like(rand)


def full_like(t: Tensor, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``full`` with the shape and dtype of ``t``.

    Examples
    --------
    >>> from autograd import ones, full_like
    >>> full_like(ones(2), 3.0).tolist()
    [3.0, 3.0]
    """
    return full(t.shape, fill_value, dtype=t.dtype if dtype is None else dtype, requires_grad=requires_grad)
