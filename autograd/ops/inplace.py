"""PyTorch's in-place methods (``add_``, ``mul_``, ``zero_``, ``clamp_``, ``exp_``, ...).

They change a tensor's data where nothing is being recorded: under ``no_grad()`` (as initialisers and
optimizers run), or on tensors that do not take part in a recorded computation. chaingrad does not
record in-place operations in the graph, so while gradients are recorded through the tensor (or its
operand) they raise an error that names the out-of-place form, rather than computing a gradient that
would be wrong. The result keeps the tensor's dtype and shape, as ``x += y`` does; only ``squeeze_``,
``unsqueeze_``, ``t_`` and ``transpose_`` change the shape (of this tensor alone: its views keep theirs).

The random fills (``uniform_``, ``normal_``, ``bernoulli_``, ``random_``, ``exponential_``,
``geometric_``, ``cauchy_``, ``log_normal_``) draw from the generator that :func:`autograd.manual_seed`
seeds.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

from .. import modifications
from ..factories import default_generator
from ..grad_mode import grad_enabled, no_grad
from ..tensor import Tensor, describe
from . import arithmetic, gather_scatter, index_writes, shape, unary
from ._common import broadcasts_to, is_int, pair


def _recorded_through(self: Tensor, other: Any, name: str, rewrite: str) -> None:
    if grad_enabled() and (self._requires_grad or isinstance(other, Tensor) and other._requires_grad):
        raise RuntimeError(
            f"{name}: cannot change a tensor in place while gradients are recorded through it (in-place "
            f"operations are not recorded); call it under `with autograd.no_grad():`, as initialisers and "
            f"optimizers do, or write {rewrite} for a new tensor"
        )


def _binary(name: str, ufunc: np.ufunc, symbol: str) -> Callable[..., Tensor]:
    def method(self: Tensor, other: Any) -> Tensor:
        rewrite = f"`x {symbol} y`"
        _recorded_through(self, other, name, rewrite)
        return self._write(ufunc, other, name, rewrite)

    method.__name__ = name
    method.__doc__ = f"""``self {symbol}= other`` in place, where nothing is recorded; returns ``self``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 2.0]).{name}(2.0).tolist()
    {[float(ufunc(1.0, 2.0)), float(ufunc(2.0, 2.0))]}
    """
    return method


mul_ = _binary("mul_", np.multiply, "*")
div_ = _binary("div_", np.true_divide, "/")
pow_ = _binary("pow_", np.power, "**")


def _refuse_bools(name: str, x: Tensor, other: Any) -> None:
    """Refuse ``x -= other`` (the in-place subtraction ``name``) where either side is bool, as the
    subtraction itself does (:func:`~autograd.ops.arithmetic.bool_subtraction_error`); an operand that is
    not numbers is left to the write's own error.

    Examples
    --------
    >>> from autograd import tensor
    >>> _refuse_bools("sub_", tensor([1.0]), 2.0)  # numbers: nothing to say
    >>> try:
    ...     _refuse_bools("sub_", tensor([1.0]), True)
    ... except RuntimeError as exc:
    ...     print(str(exc).split(";")[0])
    sub_: got a bool operand and one of dtype float32
    """
    if isinstance(other, Tensor):
        dtype = other.data.dtype
    else:
        try:
            dtype = np.asarray(other).dtype
        except (TypeError, ValueError):
            return
    if x.data.dtype.kind == "b" or dtype.kind == "b":
        raise arithmetic.bool_subtraction_error(name, x.data.dtype, dtype)


def _scaled(name: str, ufunc: np.ufunc, symbol: str) -> Callable[..., Tensor]:
    """add_ and sub_, which take PyTorch's ``alpha``: ``self {symbol}= alpha * other``."""

    def method(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
        rewrite = f"`x {symbol} alpha * y`"
        _recorded_through(self, other, name, rewrite)
        if ufunc is np.subtract:
            _refuse_bools(name, self, other)
        if type(alpha) is not int or alpha != 1:
            # alpha * other as add and sub compute it (PyTorch's checks of alpha, in the result's dtype)
            _, operand = pair(self, other, name)
            other = arithmetic.scaled_operand(name, self.data, operand.data, alpha)[0]
        return self._write(ufunc, other, name, rewrite)

    method.__name__ = name
    method.__doc__ = f"""``self {symbol}= alpha * other`` in place, where nothing is recorded; returns
    ``self``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 2.0]).{name}(tensor([1.0, 1.0]), alpha=0.5).tolist()
    {[1.0 + 0.5, 2.0 + 0.5] if symbol == "+" else [1.0 - 0.5, 2.0 - 0.5]}
    """
    return method


add_ = _scaled("add_", np.add, "+")
sub_ = _scaled("sub_", np.subtract, "-")


def _isub(self: Tensor, other: Any) -> Any:
    """``x -= y``: in place when nothing is recorded, as ``x += y`` is (Tensor._update), refusing bool
    operands as ``x - y`` does."""
    _refuse_bools("-=", self, other)
    return self._update(np.subtract, other, "-")


def _assign(self: Tensor, value: Any, name: str, rewrite: str, casting: str = "same_kind") -> Tensor:
    """Write ``value``, broadcast to this tensor's shape, into its data with numpy's ``casting``."""
    self._prepare_write(name, rewrite)
    array = value.data if isinstance(value, Tensor) else np.asarray(value)
    try:
        np.copyto(self.data, np.broadcast_to(array, self.data.shape), casting=casting)
        modifications.record_change(self.data, name)  # after: a write that fails changes nothing
    except ValueError:
        raise ValueError(f"{name}: got a value of shape {array.shape}; expected one that broadcasts to "
                         f"{self.data.shape}") from None
    except TypeError as exc:
        raise TypeError(f"{name}: the result, of dtype {array.dtype}, cannot be stored in a tensor of dtype "
                        f"{self.data.dtype} ({exc})") from None
    return self


def fill_(self: Tensor, value: Any) -> Tensor:
    """Set every element to ``value``; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(3).fill_(2.5).tolist()
    [2.5, 2.5, 2.5]
    """
    return _fill(self, value, "fill_")


def _fill(self: Tensor, value: Any, name: str) -> Tensor:
    rewrite = "`autograd.full_like(x, value)`"
    _recorded_through(self, value, name, rewrite)
    if np.ndim(value.data if isinstance(value, Tensor) else value):
        raise ValueError(f"{name}: got a value of shape {np.shape(value)}; expected a number or a 0-d tensor")
    return _assign(self, value, name, rewrite, casting="unsafe")  # PyTorch truncates 2.5 into an int


def zero_(self: Tensor) -> Tensor:
    """Set every element to 0; returns ``self``.

    Examples
    --------
    >>> from autograd import ones
    >>> ones(2).zero_().tolist()
    [0.0, 0.0]
    """
    return _fill(self, 0, "zero_")


def copy_(self: Tensor, src: Any) -> Tensor:
    """Copy ``src`` (broadcast to this tensor's shape, converted to its dtype as PyTorch does, float to
    int truncating) into this tensor; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 2).copy_(tensor([1.0, 2.0])).tolist()
    [[1.0, 2.0], [1.0, 2.0]]
    """
    rewrite = "`src.clone()`"
    _recorded_through(self, src, "copy_", rewrite)
    return _assign(self, src, "copy_", rewrite, casting="unsafe")


def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Clamp into ``[min, max]`` in place (either bound may be None); returns ``self``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([-2.0, 0.5, 3.0]).clamp_(-1.0, 1.0).tolist()
    [-1.0, 0.5, 1.0]
    """
    return _through(unary.clamp, "clamp_", "`x.clamp(min, max)`", self, min, max)


def _through(fn: Callable[..., Tensor], name: str, rewrite: str, self: Tensor, *args: Any,
             operand: Any = None, rename: bool = False, **kwargs: Any) -> Tensor:
    """``fn(self, *args, **kwargs)`` (an out-of-place function, with its checks and conventions) written
    back into ``self``; ``operand`` is the tensor argument, if any, whose gradient would be recorded.
    With ``rename``, ``fn``'s errors name the method ``name`` (the elementwise methods keep the function's
    name, as PyTorch's messages do)."""
    _recorded_through(self, operand, name, rewrite)
    with no_grad():
        if rename:
            out = _named(fn, name, Tensor(self.data), *args, **kwargs)
        else:
            out = fn(Tensor(self.data), *args, **kwargs)
    return _assign(self, out, name, rewrite)


def _named(fn: Callable[..., Tensor], name: str, *args: Any, **kwargs: Any) -> Tensor:
    """``fn(*args, **kwargs)``, its errors naming the in-place method ``name`` rather than ``fn``."""
    try:
        return fn(*args, **kwargs)
    except (TypeError, ValueError, IndexError) as exc:
        message = str(exc)
        prefix = f"{fn.__name__}: "
        if not message.startswith(prefix):
            raise
        raise type(exc)(name + ": " + message[len(prefix):]) from None


def _unary(fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    name = fn.__name__ + "_"

    def method(self: Tensor) -> Tensor:
        return _through(fn, name, f"`x.{fn.__name__}()`", self)

    method.__name__ = name
    method.__doc__ = f"""``{fn.__name__}`` in place, where nothing is recorded; returns ``self``.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([0.0, 1.0])
    >>> x.{name}() is x
    True
    """
    return method


# ------------------------------------------------------------------------------------ masks and scatter


def masked_fill_(self: Tensor, mask: Any, value: Any) -> Tensor:
    """Set the elements where the bool tensor ``mask`` (broadcast to this tensor's shape) is True to
    ``value``, a number or a 0-d tensor (converted to this tensor's dtype, a float truncated into an
    integer one, as PyTorch does); returns ``self``.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([[1.0, -2.0], [-3.0, 4.0]])
    >>> x.masked_fill_(x < 0, 0.0).tolist()
    [[1.0, 0.0], [0.0, 4.0]]
    """
    return _through(gather_scatter.masked_fill, "masked_fill_", "`x.masked_fill(mask, value)`", self, mask,
                    value, operand=value, rename=True)


def scatter_(self: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None,
             reduce: str | None = None) -> Tensor:
    """:func:`~autograd.scatter` in place: write ``src`` (or the number ``value``) at ``index`` along
    ``dim``; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).scatter_(1, [[2], [0]], [[5.0], [7.0]]).tolist()
    [[0.0, 0.0, 5.0], [7.0, 0.0, 0.0]]
    """
    return _through(gather_scatter.scatter, "scatter_", "`x.scatter(dim, index, src)`", self, dim, index, src,
                    value=value, reduce=reduce, operand=src, rename=True)


def scatter_add_(self: Tensor, dim: int, index: Any, src: Any) -> Tensor:
    """:func:`~autograd.scatter_add` in place: add ``src`` at ``index`` along ``dim`` (repeated indices add
    up); returns ``self``.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(3).scatter_add_(0, [0, 0, 2], [1.0, 2.0, 3.0]).tolist()
    [3.0, 0.0, 3.0]
    """
    return _through(gather_scatter.scatter_add, "scatter_add_", "`x.scatter_add(dim, index, src)`", self, dim,
                    index, src, operand=src, rename=True)


def index_add_(self: Tensor, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
    """:func:`~autograd.index_add` in place: add ``alpha * source`` at the slices ``index`` along ``dim``
    (repeated indices add up); returns ``self``.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(3).index_add_(0, tensor([0, 0, 2]), tensor([1.0, 2.0, 3.0])).tolist()
    [3.0, 0.0, 3.0]
    """
    return _through(index_writes.index_add, "index_add_", "`x.index_add(dim, index, source, alpha=alpha)`",
                    self, dim, index, source, alpha=alpha, operand=source, rename=True)


def index_copy_(self: Tensor, dim: int, index: Any, source: Any) -> Tensor:
    """:func:`~autograd.index_copy` in place: write ``source``'s slices at the slices ``index`` along
    ``dim``; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(3).index_copy_(0, tensor([2, 0]), tensor([1.0, 2.0])).tolist()
    [2.0, 0.0, 1.0]
    """
    return _through(index_writes.index_copy, "index_copy_", "`x.index_copy(dim, index, source)`", self, dim,
                    index, source, operand=source, rename=True)


def index_reduce_(self: Tensor, dim: int, index: Any, source: Any, reduce: str, *,
                  include_self: bool = True) -> Tensor:
    """:func:`~autograd.index_reduce` in place: combine the slices ``index`` along ``dim`` with
    ``source``'s by ``reduce`` (``'prod'``, ``'mean'``, ``'amax'`` or ``'amin'``); returns ``self``.

    Examples
    --------
    >>> from autograd import ones, tensor
    >>> ones(3).index_reduce_(0, tensor([0, 0, 2]), tensor([2.0, 3.0, 4.0]), "prod").tolist()
    [6.0, 1.0, 4.0]
    """
    rewrite = "`x.index_reduce(dim, index, source, reduce, include_self=include_self)`"
    return _through(index_writes.index_reduce, "index_reduce_", rewrite, self, dim, index, source, reduce,
                    include_self=include_self, operand=source, rename=True)


def index_fill_(self: Tensor, dim: int, index: Any, value: Any) -> Tensor:
    """:func:`~autograd.index_fill` in place: set the slices ``index`` along ``dim`` to ``value``;
    returns ``self``.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 2).index_fill_(1, tensor([-1]), 7.0).tolist()
    [[0.0, 7.0], [0.0, 7.0]]
    """
    return _through(index_writes.index_fill, "index_fill_", "`x.index_fill(dim, index, value)`", self, dim,
                    index, value, operand=value, rename=True)


def masked_scatter_(self: Tensor, mask: Any, source: Any) -> Tensor:
    """:func:`~autograd.masked_scatter` in place: write ``source``'s first entries where ``mask`` (which
    must broadcast to this tensor's shape) is True, in row-major order; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(3).masked_scatter_(tensor([True, False, True]), tensor([1.0, 2.0])).tolist()
    [1.0, 0.0, 2.0]
    """
    rewrite = "`x.masked_scatter(mask, source)`"
    m = gather_scatter._mask_array(mask, "masked_scatter_")
    if not broadcasts_to(m.shape, self.data.shape):
        raise ValueError(f"masked_scatter_: got a mask of shape {m.shape} for a tensor of shape "
                         f"{self.data.shape}; expected a mask that broadcasts to the tensor's shape")
    return _through(index_writes.masked_scatter, "masked_scatter_", rewrite, self, m, source, operand=source,
                    rename=True)


def put_(self: Tensor, index: Any, source: Any, accumulate: bool = False) -> Tensor:
    """:func:`~autograd.put` in place: write (or with ``accumulate``, add) ``source``'s entries at
    ``index`` in this tensor seen as a vector in row-major order; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 2).put_(tensor([3, 0]), tensor([5.0, 6.0])).tolist()
    [[6.0, 0.0], [0.0, 5.0]]
    """
    return _through(index_writes.put, "put_", "`x.put(index, source, accumulate)`", self, index, source,
                    accumulate, operand=source, rename=True)


# ------------------------------------------------------------------------------------ random fills


def _real(v: Any, name: str, what: str) -> float:
    """A number argument as a float: Python and numpy numbers and 0-d tensors, not bools."""
    if isinstance(v, Tensor) and v.data.ndim == 0 and v.data.dtype.kind in "fiu":
        return float(v.data)
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: got {what} {describe(v)}; expected a number")
    return float(v)


def _floating(self: Tensor, name: str) -> np.dtype:
    dt = self.data.dtype
    if dt.kind != "f":
        raise TypeError(f"{name}: got a tensor of dtype {dt}; expected a floating-point tensor (samples "
                        "would be truncated)")
    return dt


def uniform_(self: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    """Fill with samples drawn uniformly from ``[a, b)``; returns ``self``.

    The samples come from the generator :func:`autograd.manual_seed` seeds. The tensor must be
    floating-point, and ``a <= b``, both finite.

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> w = autograd.zeros(1000).uniform_(-0.5, 0.5)
    >>> bool((w.numpy() >= -0.5).all() and (w.numpy() < 0.5).all())
    True
    """
    rewrite = "`autograd.rand_like(x) * (b - a) + a`"
    _recorded_through(self, None, "uniform_", rewrite)
    dt = _floating(self, "uniform_")
    low, high = _real(a, "uniform_", "a"), _real(b, "uniform_", "b")
    if not (np.isfinite(low) and np.isfinite(high) and low <= high):
        raise ValueError(f"uniform_: got a={a!r} and b={b!r}; expected finite bounds with a <= b")
    samples = default_generator().uniform(low, high, self.data.shape).astype(dt)
    if low < high:
        # a sample just below b can round up to b in the tensor's dtype; keep the interval half-open
        np.minimum(samples, np.nextafter(dt.type(high), dt.type(low)), out=samples)
    return _assign(self, samples, "uniform_", rewrite)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    """Fill with samples of the normal distribution with mean ``mean`` and standard deviation ``std``;
    returns ``self``.

    The samples come from the generator :func:`autograd.manual_seed` seeds. The tensor must be
    floating-point, and ``std >= 0``.

    Examples
    --------
    >>> import autograd
    >>> autograd.zeros(3).normal_(2.0, 0.0).tolist()
    [2.0, 2.0, 2.0]
    """
    rewrite = "`autograd.randn_like(x) * std + mean`"
    _recorded_through(self, None, "normal_", rewrite)
    dt = _floating(self, "normal_")
    m, s = _real(mean, "normal_", "mean"), _real(std, "normal_", "std")
    if not s >= 0:
        raise ValueError(f"normal_: got std={std!r}; expected std >= 0")
    samples = default_generator().standard_normal(self.data.shape) * s + m
    return _assign(self, samples.astype(dt), "normal_", rewrite)


def bernoulli_(self: Tensor, p: Any = 0.5) -> Tensor:
    """Set each element to 1 with probability ``p`` and to 0 otherwise; returns ``self``.

    ``p`` is a number in [0, 1] or a floating-point tensor of probabilities that broadcasts to this
    tensor's shape. The tensor keeps its dtype (integer and bool tensors get 1/0 and True/False), as in
    PyTorch; the draws come from the generator :func:`autograd.manual_seed` seeds.

    Examples
    --------
    >>> from autograd import zeros, tensor
    >>> zeros(2, 3).bernoulli_(tensor([0.0, 1.0, 1.0])).tolist()
    [[0.0, 1.0, 1.0], [0.0, 1.0, 1.0]]
    """
    rewrite = "`autograd.bernoulli(autograd.full_like(x, p))`"
    _recorded_through(self, p, "bernoulli_", rewrite)
    if isinstance(p, (Tensor, np.ndarray, list, tuple)):
        probs = p.data if isinstance(p, Tensor) else np.asarray(p)
        if probs.dtype.kind != "f":
            raise TypeError(f"bernoulli_: got probabilities of dtype {probs.dtype}; expected a floating "
                            "dtype")
        try:
            probs = np.broadcast_to(probs, self.data.shape)
        except ValueError:
            raise ValueError(f"bernoulli_: got probabilities of shape {probs.shape}; expected a number or a "
                             f"tensor that broadcasts to the tensor's shape {self.data.shape}") from None
        if probs.size and not ((probs >= 0) & (probs <= 1)).all():
            raise ValueError(f"bernoulli_: got probabilities from {probs.min()} to {probs.max()}; expected "
                             "values in [0, 1]")
    else:
        probs = _real(p, "bernoulli_", "p")
        if not 0 <= probs <= 1:
            raise ValueError(f"bernoulli_: got p={p!r}; expected a probability in [0, 1]")
    draws = default_generator().random(self.data.shape) < probs
    return _assign(self, draws, "bernoulli_", rewrite, casting="unsafe")


def _draws(self: Tensor, name: str, rewrite: str, samples: np.ndarray) -> Tensor:
    """Write ``samples`` (float64 or int64 draws) into this tensor in its dtype, as PyTorch stores them:
    past the dtype's range, floats become infinite and integers wrap around."""
    with np.errstate(over="ignore", invalid="ignore"):
        samples = samples.astype(self.data.dtype)
    return _assign(self, samples, name, rewrite)


def _positive(v: Any, name: str, what: str) -> float:
    number = _real(v, name, what)
    if not number > 0:
        raise ValueError(f"{name}: got {what}={v!r}; expected {what} > 0")
    return number


def _random_bounds(self: Tensor, args: tuple, kwargs: dict) -> tuple[int, int]:
    """random_'s ``from`` and ``to`` (PyTorch's overloads ``random_()``, ``random_(to)``, ``random_(from,
    to)``; ``to=None`` is the top of the dtype's range), as the inclusive range ``[low, high]`` to draw
    from, checked against the tensor's dtype."""
    unknown = set(kwargs) - {"from", "to"}
    if unknown or len(args) > 2 or len(args) + len(kwargs) > 2:
        raise TypeError(f"random_: got arguments {args} and keywords {sorted(kwargs)}; expected random_(), "
                        "random_(to) or random_(from, to)")
    if len(args) == 1 and not kwargs:
        args = (0, args[0])  # random_(to)
    named = dict(zip(("from", "to"), args))
    if set(named) & set(kwargs):
        raise TypeError(f"random_: got {sorted(set(named) & set(kwargs))} both by position and by keyword; "
                        "expected each once")
    named.update(kwargs)
    low, to = named.get("from", 0), named.get("to")
    for what, v in (("from", low), ("to", to)):
        if v is not None and not (is_int(v) and -2**63 <= v < 2**63):
            raise TypeError(f"random_: got {what} {describe(v)}; expected an int within int64's range" +
                            (" or None" if what == "to" else ""))
    dt = self.data.dtype
    if dt.kind == "f":
        top = 2 ** (np.finfo(dt).nmant + 1)  # every integer up to 2**digits is exact in the dtype
        lo_ok, hi_ok = -top, top
    elif dt.kind == "b":
        top, lo_ok, hi_ok = 1, 0, 1
    else:
        info = np.iinfo(dt)
        top, lo_ok, hi_ok = int(info.max), int(info.min), int(info.max)
    if to is None:
        high = top
        if dt.kind == "f" and not low < high:  # as PyTorch: a float range needs two values at least
            raise ValueError(f"random_: got from={low} and no to for a tensor of dtype {dt}; expected from < "
                             f"{high}, the top of the range of integers that {dt} holds exactly")
    else:
        if not low < to:
            raise ValueError(f"random_: got from={low} and to={to}; expected from < to")
        high = int(to) - 1
    for what, v, got in (("from", low, low), ("to - 1", high, to)):
        if not lo_ok <= v <= hi_ok:
            if dt.kind == "f":  # PyTorch warns (the draws get rounded to the dtype) and carries on
                warnings.warn(f"random_: {what} = {v} is outside [{lo_ok}, {hi_ok}], the integers that {dt} "
                              "holds exactly; draws beyond are rounded", stacklevel=3)
            else:
                name = what.split()[0]
                raise ValueError(f"random_: got {name}={got} for a tensor of dtype {dt}; expected {what} in "
                                 f"[{lo_ok}, {hi_ok}]")
    return int(low), int(high)


def random_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """``random_(from=0, to=None)``: fill with integers drawn uniformly from ``[from, to - 1]``; returns
    ``self``. As in PyTorch, ``random_(to)`` means ``random_(0, to)``, and ``from`` is given by position
    (or as ``**{"from": ...}``, since ``from`` is a Python keyword).

    Without ``to`` the range ends at the top of the dtype's: its largest value for integer dtypes
    (uint8: 255, int64: 2**63 - 1), 1 for bool, and ``2**digits`` for floating dtypes (float16: 2**11,
    float32: 2**24, float64: 2**53), so that every draw is exact. Bounds outside an integer dtype's range
    raise a ValueError; outside a float dtype's exact integers, a warning (the draws are rounded), as in
    PyTorch. The draws come from the generator :func:`autograd.manual_seed` seeds.

    Examples
    --------
    >>> import autograd
    >>> x = autograd.zeros(1000, dtype=autograd.int64).random_(3, 7)
    >>> sorted(set(x.tolist()))
    [3, 4, 5, 6]
    """
    rewrite = "`autograd.empty_like(x).random_(from, to)`"
    _recorded_through(self, None, "random_", rewrite)
    low, high = _random_bounds(self, args, kwargs)
    samples = default_generator().integers(low, high, size=self.data.shape, dtype=np.int64, endpoint=True)
    return _draws(self, "random_", rewrite, samples)


def exponential_(self: Tensor, lambd: float = 1.0) -> Tensor:
    """Fill with samples of the exponential distribution of rate ``lambd`` (mean ``1 / lambd``); returns
    ``self``.

    The tensor must be floating-point and ``lambd > 0`` (an infinite rate gives zeros, as in PyTorch). The
    samples come from the generator :func:`autograd.manual_seed` seeds.

    Examples
    --------
    >>> import autograd
    >>> bool((autograd.zeros(100).exponential_(2.0).numpy() >= 0).all())
    True
    """
    rewrite = "`autograd.empty_like(x).exponential_(lambd)`"
    _recorded_through(self, None, "exponential_", rewrite)
    _floating(self, "exponential_")
    rate = _positive(lambd, "exponential_", "lambd")
    samples = default_generator().standard_exponential(self.data.shape) / rate
    return _draws(self, "exponential_", rewrite, samples)


def geometric_(self: Tensor, p: float) -> Tensor:
    """Fill with samples of the geometric distribution: the number of Bernoulli trials of success
    probability ``p`` up to and including the first success (1, 2, ...; mean ``1 / p``); returns ``self``.

    ``p`` is in (0, 1). Integer and floating tensors keep their dtype (bool is refused, as in PyTorch);
    draws beyond the dtype's range wrap around for integers and are infinite for floats, as PyTorch
    stores them. The samples come from the generator :func:`autograd.manual_seed` seeds.

    Examples
    --------
    >>> import autograd
    >>> bool((autograd.zeros(100, dtype=autograd.int64).geometric_(0.5).numpy() >= 1).all())
    True
    """
    rewrite = "`autograd.empty_like(x).geometric_(p)`"
    _recorded_through(self, None, "geometric_", rewrite)
    if self.data.dtype.kind not in "iuf":
        raise TypeError(f"geometric_: got a tensor of dtype {self.data.dtype}; expected an integer or "
                        "floating-point tensor")
    prob = _real(p, "geometric_", "p")
    if not 0 < prob < 1:
        raise ValueError(f"geometric_: got p={p!r}; expected a probability in (0, 1)")
    return _draws(self, "geometric_", rewrite, default_generator().geometric(prob, self.data.shape))


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0) -> Tensor:
    """Fill with samples of the Cauchy distribution centred on ``median`` with scale ``sigma`` (half its
    samples lie within ``median ± sigma``; it has no mean); returns ``self``.

    The tensor must be floating-point and ``sigma > 0``. The samples come from the generator
    :func:`autograd.manual_seed` seeds.

    Examples
    --------
    >>> import autograd
    >>> autograd.zeros(2, 3).cauchy_(1.0, 0.5).shape
    (2, 3)
    """
    rewrite = "`autograd.empty_like(x).cauchy_(median, sigma)`"
    _recorded_through(self, None, "cauchy_", rewrite)
    _floating(self, "cauchy_")
    m, s = _real(median, "cauchy_", "median"), _positive(sigma, "cauchy_", "sigma")
    return _draws(self, "cauchy_", rewrite, default_generator().standard_cauchy(self.data.shape) * s + m)


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0) -> Tensor:
    """Fill with samples ``exp(z)`` where ``z`` is normal with mean ``mean`` and standard deviation ``std``
    (the parameters of the logarithm, as in PyTorch); returns ``self``.

    The tensor must be floating-point and ``std > 0``. The samples come from the generator
    :func:`autograd.manual_seed` seeds.

    Examples
    --------
    >>> import autograd
    >>> bool((autograd.zeros(100).log_normal_(0.0, 0.5).numpy() > 0).all())
    True
    """
    rewrite = "`autograd.empty_like(x).log_normal_(mean, std)`"
    _recorded_through(self, None, "log_normal_", rewrite)
    _floating(self, "log_normal_")
    m, s = _real(mean, "log_normal_", "mean"), _positive(std, "log_normal_", "std")
    with np.errstate(over="ignore"):
        samples = np.exp(default_generator().standard_normal(self.data.shape) * s + m)
    return _draws(self, "log_normal_", rewrite, samples)


# ------------------------------------------------------------------------------------ shape in place


def _new_shape(self: Tensor, fn: Callable[..., Tensor], name: str, *args: Any) -> Tensor:
    """Give this tensor the shape of ``fn(self, *args)`` (a view of the same memory), in place."""
    rewrite = f"`x = x.{name[:-1]}(...)`"
    _recorded_through(self, None, name, rewrite)
    with no_grad():
        out = _named(fn, name, Tensor(self.data), *args)
    if out.data.shape == self.data.shape and out.data.strides == self.data.strides:
        return self  # nothing changes (squeezing a tensor without dimensions of size 1, say)
    if self._grad is not None:
        raise RuntimeError(
            f"{name}: got a tensor with a .grad of shape {self._grad.data.shape}, which would no longer fit "
            f"its shape; expected a tensor without one: set x.grad = None first, or write {rewrite}"
        )
    modifications.record_shape_change(self, name)
    self.data = out.data
    return self


def squeeze_(self: Tensor, dim: Any = None) -> Tensor:
    """Remove dimensions of size 1 (all, or those in ``dim``) from this tensor's shape, in place; returns
    ``self``. Other tensors sharing its memory keep their shapes, as in PyTorch.

    Examples
    --------
    >>> from autograd import zeros
    >>> x = zeros(2, 1, 3)
    >>> x.squeeze_() is x, x.shape
    (True, (2, 3))
    """
    return _new_shape(self, shape.squeeze, "squeeze_", *(() if dim is None else (dim,)))


def unsqueeze_(self: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at ``dim`` into this tensor's shape, in place; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).unsqueeze_(0).shape
    (1, 2, 3)
    """
    return _new_shape(self, shape.unsqueeze, "unsqueeze_", dim)


def t_(self: Tensor) -> Tensor:
    """Transpose this tensor (of at most 2 dimensions) in place; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).t_().shape
    (3, 2)
    """
    return _new_shape(self, shape.t, "t_")


def transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap dimensions ``dim0`` and ``dim1`` of this tensor in place; returns ``self``.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4).transpose_(0, 2).shape
    (4, 3, 2)
    """
    return _new_shape(self, shape.transpose, "transpose_", dim0, dim1)


_UNARY = [arithmetic.neg, unary.abs, unary.exp, unary.log, unary.sqrt, unary.sin, unary.cos, unary.tanh,
          unary.sigmoid, unary.relu]

METHODS: dict[str, Any] = {fn.__name__ + "_": _unary(fn) for fn in _UNARY}
METHODS.update(add_=add_, sub_=sub_, mul_=mul_, div_=div_, pow_=pow_, fill_=fill_, zero_=zero_,
               copy_=copy_, clamp_=clamp_, __isub__=_isub)
METHODS.update(masked_fill_=masked_fill_, scatter_=scatter_, scatter_add_=scatter_add_, uniform_=uniform_,
               normal_=normal_, bernoulli_=bernoulli_, squeeze_=squeeze_, unsqueeze_=unsqueeze_, t_=t_,
               transpose_=transpose_)
METHODS.update(index_add_=index_add_, index_copy_=index_copy_, index_reduce_=index_reduce_,
               index_fill_=index_fill_, masked_scatter_=masked_scatter_, put_=put_, random_=random_,
               exponential_=exponential_, geometric_=geometric_, cauchy_=cauchy_, log_normal_=log_normal_)
FUNCTIONS: dict[str, Any] = {}
