"""Creating tensors: constants, ranges, identity and seeded random numbers."""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from .default_dtype import get_default_dtype
from .tensor import Tensor, _as_array, _check_requires_grad, as_dtype, describe

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the generator behind :func:`randn`, :func:`rand` and the ``nn`` initialisers.

    Parameters
    ----------
    seed : int
        A non-negative int, or a negative one down to ``-2**63``, which stands for the 64-bit seed
        ``seed + 2**64`` (so ``-1`` and ``2**64 - 1`` give the same numbers, as in PyTorch). Floats,
        strings, bools and None are refused rather than converted.

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0); a = autograd.randn(2)
    >>> _ = autograd.manual_seed(0); b = autograd.randn(2)
    >>> bool((a.numpy() == b.numpy()).all())
    True
    """
    global _generator
    if type(seed) is not int or seed < 0:
        seed = _seed(seed)
    _generator = np.random.default_rng(seed)
    return _generator


def _seed(seed: Any) -> int:
    # int(seed) would take 2.7 as 2 and "3" as 3, and numpy would take None as "fresh entropy" and a list
    # as several seeds: each of these is more likely a mistake than a wish, so only integers pass.
    index = None
    if not isinstance(seed, (bool, np.bool_)):
        try:
            index = operator.index(seed)
        except TypeError:
            pass
    if index is None:
        raise TypeError(f"manual_seed: got seed {describe(seed)}; expected an int")
    if index < -2**63:
        raise ValueError(f"manual_seed: got seed {index}; expected an int >= -2**63 (a negative seed stands "
                         "for the 64-bit seed 2**64 + seed)")
    return index + 2**64 if index < 0 else index


def default_generator() -> np.random.Generator:
    """The generator seeded by :func:`manual_seed`."""
    return _generator


def _index(n: Any) -> int | None:
    """``n`` as an int if it is an integer, else None. operator.index takes ints, numpy integers and 0-d
    integer arrays, and refuses floats: int(2.7) would silently make 2. Bools are refused as well, as
    PyTorch does."""
    if isinstance(n, (bool, np.bool_)):
        return None
    try:
        return operator.index(n)
    except TypeError:
        return None


def _size(where: str, n: Any) -> int:
    index = _index(n)
    if index is None:
        raise TypeError(f"{where}: got size {describe(n)}; expected an int, or a tuple or "
                        "list of ints")
    if index < 0:
        raise ValueError(f"{where}: got size {index}; sizes must be non-negative")
    return index


def _shape(where: str, shape: tuple) -> tuple[int, ...]:
    """The sizes given as ``f(2, 3)``, ``f((2, 3))`` or ``f([2, 3])``, checked."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(_size(where, n) for n in shape)


def _dtype(where: str, dtype: Any) -> np.dtype:
    return get_default_dtype() if dtype is None else as_dtype(dtype, where)


def _float_dtype(where: str, dtype: Any) -> np.dtype:
    dt = _dtype(where, dtype)
    if dt.kind != "f":
        # casting the samples would truncate them: rand(3, dtype=int) would be all zeros
        raise TypeError(f"{where}: got dtype {dt}; expected a floating dtype (float16, float32 or float64)")
    return dt


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros (of the default dtype, float32, unless ``dtype`` says otherwise).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).shape
    (2, 3)
    """
    return _filled("zeros", np.zeros, shape, dtype, requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones.

    Examples
    --------
    >>> from autograd import ones
    >>> ones(2).tolist()
    [1.0, 1.0]
    """
    return _filled("ones", np.ones, shape, dtype, requires_grad)


def empty(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """PyTorch's ``empty``: a tensor of the given shape, which chaingrad fills with zeros.

    PyTorch leaves the memory uninitialised, so its values are whatever was there before; code that
    reads them before writing them gives results that change from run to run without any error.
    chaingrad gives zeros instead, so that such a slip is at least repeatable: do not rely on either.

    Examples
    --------
    >>> from autograd import empty
    >>> empty(2, 3).shape, empty(2, dtype="int64").dtype
    ((2, 3), dtype('int64'))
    """
    return _filled("empty", np.zeros, shape, dtype, requires_grad)


def _filled(where: str, fill: Any, shape: tuple, dtype: Any, requires_grad: bool) -> Tensor:
    """``fill(shape, dtype)`` (np.zeros or np.ones) as a tensor, with errors that name ``where``."""
    data = fill(_shape(where, shape), dtype=_dtype(where, dtype))
    if requires_grad:
        _check_requires_grad(data, where)
    return Tensor(data, requires_grad=requires_grad)


def full(shape: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``.

    Parameters
    ----------
    shape : int or tuple or list of ints
    fill_value : number
        One number. Without ``dtype`` it sets the dtype as in :func:`~autograd.tensor`: a Python float
        gives the default dtype (float32), an int int64, a bool bool; a numpy scalar keeps its dtype.
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
    return _full("full", shape, fill_value, dtype, requires_grad)


# what full takes as fill_value without looking further; other objects must hold one real number
_NUMBER_TYPES = (int, float, np.integer, np.floating, np.bool_)


def _full(where: str, shape: Any, fill_value: Any, dtype: Any, requires_grad: bool) -> Tensor:
    shape = _shape(where, shape if isinstance(shape, (tuple, list)) else (shape,))
    if not isinstance(fill_value, _NUMBER_TYPES):
        if np.ndim(fill_value) != 0:
            # np.full would broadcast an array into the shape; PyTorch takes one number only
            raise TypeError(f"{where}: got fill_value of shape {np.shape(fill_value)}; expected a single "
                            "number")
        # with a dtype, numpy would turn None into nan and "2" into 2.0
        kind = np.asarray(fill_value.data if isinstance(fill_value, Tensor) else fill_value).dtype.kind
        if kind not in "fiub":
            raise TypeError(f"{where}: got fill_value {describe(fill_value)}; "
                            "expected a real number (a bool, int or float)")
    fill = _as_array(fill_value, None if dtype is None else _dtype(where, dtype), where)
    data = np.full(shape, fill, dtype=fill.dtype)
    if requires_grad:
        _check_requires_grad(data, where)
    return Tensor(data, requires_grad=requires_grad)


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Evenly spaced values in ``[start, stop)``; integers give int64, floats the default dtype.

    ``arange(stop)`` starts at 0. With an integer ``dtype``, ``start``, ``stop`` and ``step`` are first
    truncated towards zero, as PyTorch does for int64: ``arange(0.5, 3, 1.5, dtype="int64")`` is
    ``[0, 1, 2]``, and a step that truncates to 0 raises a ValueError.

    Raises
    ------
    TypeError
        If ``start``, ``stop`` or ``step`` is not a real number (a string or None, say).
    ValueError
        If ``start``, ``stop`` or ``step`` is infinite or nan, ``step`` is 0, or the sign of ``step`` leads
        away from ``stop`` (``arange(0, 5, -1)``). Equal bounds give an empty tensor whatever the step's
        sign.

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
    dt = None if dtype is None else _dtype("arange", dtype)
    if dt is not None and dt.kind == "b":
        raise TypeError("arange: got dtype bool; expected a numeric dtype")
    integer = dt is not None and dt.kind in "iu"
    try:
        finite = (math.isfinite(start), math.isfinite(stop), math.isfinite(step))
    except (TypeError, ValueError):  # a str, None, a list, a Tensor of several elements: say which argument
        _arange_numbers(start, stop, step)
        raise
    if step == 0:
        raise ValueError(f"arange: got step {step}; expected a nonzero step")
    if not all(finite):
        # an infinite step has no answer numpy and PyTorch share: numpy gives [start], PyTorch nothing
        bad = ", ".join(f"{what} is {value}" for what, value, ok in zip(("start", "stop", "step"),
                                                                     (start, stop, step), finite) if not ok)
        raise ValueError(f"arange: got start={start}, stop={stop}, step={step}; expected finite start, stop "
                         f"and step ({bad})")
    if (step > 0 and stop < start) or (step < 0 and stop > start):
        # numpy gives an empty range here; a step of the wrong sign is more likely a slip, and PyTorch raises
        order, sign = ("<", "positive") if start < stop else (">", "negative")
        raise ValueError(f"arange: got step {step} with start {start} {order} stop {stop}; expected a {sign} "
                         "step, whose sign moves from start towards stop")
    if integer:
        bounds = (start, stop, step)
        # Computing in floats and casting would give arange(0, 2, 0.5, dtype=int64) == [0, 0, 1, 1]
        start, stop, step = (int(b) for b in bounds)
        if step == 0:
            raise ValueError(f"arange: step {bounds[2]} truncates to 0 for dtype {dt}; give an integer "
                             "step, or a floating dtype")
    data = np.arange(start, stop, step)
    if dt is not None:
        data = data.astype(dt)
    elif data.dtype.kind == "f":
        data = data.astype(get_default_dtype())
    return Tensor(data, requires_grad=requires_grad)


def _arange_numbers(start: Any, stop: Any, step: Any) -> None:
    """Raise the TypeError that names the first of arange's arguments that is not a real number."""
    for what, value in (("start", start), ("stop", stop), ("step", step)):
        array = np.asarray(value.data if isinstance(value, Tensor) else value)
        if isinstance(value, (str, bytes)) or array.ndim != 0 or array.dtype.kind not in "fiub":
            raise TypeError(f"arange: got {what} {describe(value)}; expected a real "
                            "number (an int or a float)") from None


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
    return Tensor(np.eye(n, m, dtype=_dtype("eye", dtype)), requires_grad=requires_grad)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Tensor:
    """The indices of the upper triangle of a ``row`` x ``col`` matrix, as PyTorch's ``triu_indices``: a
    ``(2, N)`` tensor whose first row holds the row indices and whose second the column indices, in
    row-major order.

    ``offset`` moves the diagonal that bounds the triangle: 1 leaves the main diagonal out, -1 takes in
    the one below it. ``dtype`` is int64 (the default) or int32.

    Raises
    ------
    TypeError
        If ``row``, ``col`` or ``offset`` is not an int (bools and floats are refused), or ``dtype`` is not
        int64 or int32.
    ValueError
        If ``row`` or ``col`` is negative.

    Examples
    --------
    >>> from autograd import tensor, triu_indices
    >>> triu_indices(3, 3).tolist()
    [[0, 0, 0, 1, 1, 2], [0, 1, 2, 1, 2, 2]]
    >>> x = tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> rows, cols = triu_indices(2, 2, 1)
    >>> x[rows, cols].tolist()
    [2.0]
    """
    return _triangle_indices("triu_indices", np.triu_indices, row, col, offset, dtype)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None) -> Tensor:
    """The indices of the lower triangle of a ``row`` x ``col`` matrix, as PyTorch's ``tril_indices``: a
    ``(2, N)`` tensor of row indices over column indices, in row-major order.

    ``offset`` moves the diagonal that bounds the triangle: -1 leaves the main diagonal out, 1 takes in
    the one above it. ``dtype`` is int64 (the default) or int32; the errors are :func:`triu_indices`'.

    Examples
    --------
    >>> from autograd import tril_indices
    >>> tril_indices(3, 2).tolist()
    [[0, 1, 1, 2, 2], [0, 0, 1, 0, 1]]
    """
    return _triangle_indices("tril_indices", np.tril_indices, row, col, offset, dtype)


def _triangle_indices(where: str, indices: Any, row: Any, col: Any, offset: Any, dtype: Any) -> Tensor:
    sizes = []
    for what, value in (("row", row), ("col", col), ("offset", offset)):
        index = _index(value)
        if index is None:
            raise TypeError(f"{where}: got {what} {describe(value)}; expected an int")
        if index < 0 and what != "offset":
            raise ValueError(f"{where}: got {what}={index}; expected a non-negative int")
        sizes.append(index)
    dt = np.dtype(np.int64) if dtype is None else _dtype(where, dtype)
    if dt not in (np.int64, np.int32):
        raise TypeError(f"{where}: got dtype {dt}; expected int64 or int32 (as in PyTorch)")
    n, m, k = sizes
    return Tensor(np.stack(indices(n, k, m)).astype(dt, copy=False))


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


def _shape_and_dtype(where: str, t: Any) -> tuple[tuple[int, ...], np.dtype]:
    try:
        return t.shape, t.dtype
    except AttributeError:
        raise TypeError(f"{where}: got {type(t).__name__}; expected a Tensor") from None


def _like(fn: Any, build: Any, tail: str = ".") -> Any:
    """``fn_like(t)``: ``fn`` with the shape and dtype of ``t``, made by ``build(where, shape, dtype,
    requires_grad)`` so that its errors name the ``_like`` function; ``tail`` ends the docstring's first
    sentence."""
    name = fn.__name__ + "_like"

    def like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
        shape, own = _shape_and_dtype(name, t)
        dtype = own if dtype is None else _dtype(name, dtype)  # checked here, so that errors name fn_like
        return build(name, shape, dtype, requires_grad)

    like.__name__ = name
    like.__doc__ = (f"``{fn.__name__}`` with the shape and dtype of ``t``{tail}\n\nExamples\n--------\n"
                    f">>> from autograd import ones, {name}\n>>> {name}(ones(2, 2)).shape\n(2, 2)\n")
    return like


def _filler(fill: Any) -> Any:
    return lambda where, shape, dtype, requires_grad: _filled(where, fill, shape, dtype, requires_grad)


zeros_like = _like(zeros, _filler(np.zeros))
ones_like = _like(ones, _filler(np.ones))
empty_like = _like(empty, _filler(np.zeros), ". chaingrad fills it with zeros, where PyTorch leaves the "
                   "memory uninitialised (see :func:`empty`).")
randn_like = _like(randn, _randn, " (which must then be floating).")
rand_like = _like(rand, _rand, " (which must then be floating).")


def full_like(t: Tensor, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``full`` with the shape and dtype of ``t`` (``fill_value`` is cast to it, as in PyTorch).

    Examples
    --------
    >>> from autograd import ones, full_like
    >>> full_like(ones(2), 3.0).tolist()
    [3.0, 3.0]
    """
    shape, own = _shape_and_dtype("full_like", t)
    return _full("full_like", shape, fill_value, own if dtype is None else dtype, requires_grad)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares ``array``'s memory, as ``torch.from_numpy`` (and ``Tensor(array)``) does.

    Writing to either changes both, and the dtype is kept (a float64 array gives a float64 tensor).

    Raises
    ------
    TypeError
        If ``array`` is not a numpy array (a list, a number, a numpy scalar, a masked array, whose
        mask a tensor would silently drop), or its dtype is not a floating-point, integer or bool one.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import from_numpy
    >>> a = np.zeros(2)
    >>> t = from_numpy(a); a[0] = 5.0
    >>> t.tolist(), t.dtype
    ([5.0, 0.0], dtype('float64'))
    """
    if not isinstance(array, np.ndarray) or isinstance(array, np.ma.MaskedArray):
        raise TypeError(f"from_numpy: got an argument {describe(array)}; expected a numpy array (use "
                        "autograd.tensor or autograd.as_tensor for other data)")
    if array.dtype.kind not in "fiub":
        raise TypeError(f"from_numpy: got an array of dtype {array.dtype}; expected a floating-point, "
                        "integer or bool dtype")
    return Tensor(array)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """``data`` as a tensor, copying only when it must, as ``torch.as_tensor`` does.

    A Tensor is returned as it is, or converted (recorded, so gradients flow back) when ``dtype`` differs.
    A numpy array, or an object numpy can view as one (a PyTorch CPU tensor), keeps its memory and
    dtype unless ``dtype`` asks for another. Numbers and (nested) lists follow :func:`~autograd.tensor`'s
    rules (Python floats give the default dtype).

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import as_tensor, tensor
    >>> a = np.zeros(2)
    >>> as_tensor(a).data is a, as_tensor(a, dtype="float32").dtype, as_tensor([1, 2]).dtype
    (True, dtype('float32'), dtype('int64'))
    >>> x = tensor([1.0]); as_tensor(x) is x
    True
    """
    dt = None if dtype is None else _dtype("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data if dt is None else data.astype(dt)
    if not isinstance(data, (list, tuple, int, float, bool, np.generic, np.ndarray)):
        # anything with __array__ or the buffer protocol: numpy views its memory where it can
        try:
            array = np.asarray(data)
        except (TypeError, ValueError):
            array = None
        if array is None or array.dtype.kind not in "fiub":
            raise TypeError(f"as_tensor: got data {describe(data)}; expected a Tensor, a numpy array, a "
                            "number or a (nested) list of numbers")
        data = array
    return Tensor(_data_array("as_tensor", data, dt))


def _data_array(where: str, data: Any, dtype: np.dtype | None) -> np.ndarray:
    """``data`` (a number, a nested list, an array) as an array by :func:`~autograd.tensor`'s rules, in
    ``dtype`` if it is given, with errors that name ``where``."""
    try:
        return _as_array(data, dtype, where)
    except ValueError:
        # numpy could not read the data as numbers of that dtype: see whether it could read it at all
        try:
            inferred = np.asarray(data)
        except ValueError:
            raise ValueError(f"{where}: got data {describe(data)} whose nested lists differ in length; "
                             "expected a rectangular (nested) list of numbers") from None
        if inferred.dtype.kind not in "fiub":
            raise TypeError(f"{where}: got data of dtype {inferred.dtype}; expected floating-point, integer "
                            "or bool values") from None
        raise
