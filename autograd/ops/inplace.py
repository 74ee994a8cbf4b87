"""PyTorch's in-place methods (``add_``, ``mul_``, ``zero_``, ``clamp_``, ``exp_``, ...).

They change a tensor's data where nothing is being recorded: under ``no_grad()`` (as initialisers and
optimizers run), or on tensors that do not take part in a recorded computation. chaingrad does not
record in-place operations in the graph, so while gradients are recorded through the tensor (or its
operand) they raise an error that names the out-of-place form, rather than computing a gradient that
would be wrong. The result keeps the tensor's dtype and shape, as ``x += y`` does.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..grad_mode import grad_enabled, no_grad
from ..tensor import Tensor
from . import arithmetic, unary
from ._common import is_int


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


def _scaled(name: str, ufunc: np.ufunc, symbol: str) -> Callable[..., Tensor]:
    """add_ and sub_, which take PyTorch's ``alpha``: ``self {symbol}= alpha * other``."""

    def method(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
        rewrite = f"`x {symbol} alpha * y`"
        _recorded_through(self, other, name, rewrite)
        if alpha != 1:
            if self.data.dtype.kind in "biu" and not is_int(alpha):
                # as PyTorch: a fractional alpha cannot be applied to integers without rounding it away
                raise TypeError(f"{name}: got alpha={alpha!r} for a tensor of dtype {self.data.dtype}; "
                                "expected an integer alpha for an integer tensor")
            value = other.data if isinstance(other, Tensor) else np.asarray(other)
            other = value * alpha
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


def _assign(self: Tensor, value: Any, name: str, rewrite: str, casting: str = "same_kind") -> Tensor:
    """Write ``value``, broadcast to this tensor's shape, into its data with numpy's ``casting``."""
    self._prepare_write(name, rewrite)
    array = value.data if isinstance(value, Tensor) else np.asarray(value)
    try:
        np.copyto(self.data, np.broadcast_to(array, self.data.shape), casting=casting)
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


def _through(fn: Callable[..., Tensor], name: str, rewrite: str, self: Tensor, *args: Any) -> Tensor:
    """``fn(self, *args)`` (an out-of-place function, with its checks and conventions) written back into
    ``self``."""
    _recorded_through(self, None, name, rewrite)
    with no_grad():
        out = fn(Tensor(self.data), *args)
    return _assign(self, out, name, rewrite)


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


_UNARY = [arithmetic.neg, unary.abs, unary.exp, unary.log, unary.sqrt, unary.sin, unary.cos, unary.tanh,
          unary.sigmoid, unary.relu]

METHODS: dict[str, Any] = {fn.__name__ + "_": _unary(fn) for fn in _UNARY}
METHODS.update(add_=add_, sub_=sub_, mul_=mul_, div_=div_, pow_=pow_, fill_=fill_, zero_=zero_,
               copy_=copy_, clamp_=clamp_)
FUNCTIONS: dict[str, Any] = {}
