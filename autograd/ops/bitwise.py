"""Bitwise operations on bool and integer tensors, with PyTorch's names: ``bitwise_and bitwise_or
bitwise_xor bitwise_not bitwise_left_shift bitwise_right_shift`` and the operators ``& | ^ ~ << >>``
(reflected, and in place: ``&= |= ^= <<= >>=``).

Operands broadcast as in numpy, and their dtypes promote by numpy's rules, which PyTorch's match here
(bool with int64 gives int64, uint8 with int8 int16); a Python int takes the integer dtype of the tensor
beside it. On bool tensors ``& | ^ ~`` are logic and give bools. Floating tensors are refused, as PyTorch
refuses them, and so is a shift of two bool tensors (numpy would give int8). A shift by a negative count
or by at least the width of the dtype gives 0, or -1 for a negative number shifted right, as in PyTorch.
The results hold integers or booleans, so they carry no gradient.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..tensor import ArrayLike, Tensor, as_tensor
from ._common import broadcasting, pair, tensor_arg


def _check(name: str, a: np.ndarray, b: np.ndarray, shift: bool) -> None:
    if a.dtype.kind not in "biu" or b.dtype.kind not in "biu":
        raise TypeError(f"{name}: got operands of dtypes {a.dtype} and {b.dtype}; expected bool or integer "
                        "operands (floating ones are refused, as in PyTorch)")
    if shift and a.dtype.kind == "b" and b.dtype.kind == "b":
        raise TypeError(f"{name}: got two bool operands; expected an integer one (PyTorch does not shift "
                        "booleans)")


def _binary(name: str, ufunc: np.ufunc, symbol: str, example: tuple) -> Callable[[Any, Any], Tensor]:
    shift = symbol in ("<<", ">>")

    def fn(a: Any, b: Any) -> Tensor:
        a, b = pair(a, b, name)
        _check(name, a.data, b.data, shift)
        return as_tensor(np.asarray(broadcasting(name, ufunc, a.data, b.data)))

    call = ", ".join(f"tensor({v})" if isinstance(v, list) else repr(v) for v in example)
    fn.__name__ = name
    fn.__doc__ = (f"Elementwise ``a {symbol} b`` of bool or integer tensors (or numbers), with broadcasting; "
                  "the result carries no gradient.\n\nExamples\n--------\n"
                  f">>> from autograd import tensor, {name}\n>>> {name}({call}).tolist()\n"
                  f"{ufunc(*(np.array(v) for v in example)).tolist()}\n")
    return fn


bitwise_and = _binary("bitwise_and", np.bitwise_and, "&", ([12, 10], [10, 6]))
bitwise_or = _binary("bitwise_or", np.bitwise_or, "|", ([12, 10], [10, 6]))
bitwise_xor = _binary("bitwise_xor", np.bitwise_xor, "^", ([True, False], [True, True]))
bitwise_left_shift = _binary("bitwise_left_shift", np.left_shift, "<<", ([1, -3], 2))
bitwise_right_shift = _binary("bitwise_right_shift", np.right_shift, ">>", ([16, -16], 2))


def bitwise_not(x: ArrayLike) -> Tensor:
    """``~x``: each bit flipped in an integer tensor (``-x - 1`` for signed ones), the logical negation of
    a bool tensor. The result carries no gradient.

    Raises
    ------
    TypeError
        If ``x`` holds floats (as PyTorch refuses them).

    Examples
    --------
    >>> from autograd import tensor
    >>> (~tensor([0, 5])).tolist(), (~tensor([True, False])).tolist()
    ([-1, -6], [False, True])
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "bitwise_not")
    if x.data.dtype.kind not in "biu":
        raise TypeError(f"bitwise_not: got a tensor of dtype {x.data.dtype}; expected a bool or integer "
                        "tensor (floating ones are refused, as in PyTorch)")
    return as_tensor(np.asarray(np.invert(x.data)))


def _reflected(fn: Callable[[Any, Any], Tensor]) -> Callable[[Tensor, Any], Tensor]:
    def method(self: Tensor, other: Any) -> Tensor:
        return fn(other, self)

    return method


def _in_place(fn: Callable[[Any, Any], Tensor], ufunc: np.ufunc, symbol: str) -> Callable[[Tensor, Any], Any]:
    """``x <symbol>= y`` into ``x``'s data, after the checks of ``fn``; as for ``x += y``, a result that
    needs another dtype (an int64 into a bool tensor) is refused."""
    shift = symbol in ("<<", ">>")

    def update(self: Tensor, other: Any) -> Any:
        a, b = pair(self, other, fn.__name__)
        _check(fn.__name__, a.data, b.data, shift)
        return self._update(ufunc, other, symbol)  # integers never require grad: always in place

    return update


# operator name -> (function, ufunc, symbol)
_OPERATORS = {"and": (bitwise_and, np.bitwise_and, "&"), "or": (bitwise_or, np.bitwise_or, "|"),
              "xor": (bitwise_xor, np.bitwise_xor, "^"), "lshift": (bitwise_left_shift, np.left_shift, "<<"),
              "rshift": (bitwise_right_shift, np.right_shift, ">>")}
FUNCTIONS: dict[str, Any] = {fn.__name__: fn for fn, _, _ in _OPERATORS.values()}
FUNCTIONS["bitwise_not"] = bitwise_not
METHODS: dict[str, Any] = dict(FUNCTIONS)
for _name, (_fn, _ufunc, _symbol) in _OPERATORS.items():
    METHODS[f"__{_name}__"] = _fn
    METHODS[f"__r{_name}__"] = _reflected(_fn)
    METHODS[f"__i{_name}__"] = _in_place(_fn, _ufunc, _symbol)
METHODS["__invert__"] = bitwise_not
