"""Helpers shared by the op families: operand coercion and shape errors that name the op."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..default_dtype import get_default_dtype
from ..tensor import Tensor, _holds_tensor, as_tensor, describe


class DimError(IndexError, ValueError):
    """A dim (axis) out of range for a tensor's number of dimensions.

    PyTorch raises an IndexError there, and chaingrad used to raise a ValueError: being both, as numpy's
    ``AxisError`` is, lets ``except IndexError`` code written for PyTorch work and keeps older code
    working.

    Examples
    --------
    >>> from autograd import zeros
    >>> try:
    ...     zeros(2, 3).sum(dim=2)
    ... except IndexError as exc:
    ...     print(exc)
    sum: axis 2 is out of range for a tensor with 2 dimensions
    """


def pair(a: Any, b: Any, name: str) -> tuple[Tensor, Tensor]:
    """Coerce two operands to Tensors; a Python number takes the other operand's dtype.

    An operand that cannot be made a tensor of numbers raises an error that names the op ``name``.

    Examples
    --------
    >>> from autograd import tensor
    >>> a, b = pair(tensor([1.0, 2.0]), 3, "add")
    >>> b.dtype, b.tolist()
    (dtype('float32'), 3.0)
    """
    try:
        if not isinstance(a, Tensor):
            a = as_tensor(a, like=b if isinstance(b, Tensor) else None)
        if not isinstance(b, Tensor):
            b = as_tensor(b, like=a)
    except (TypeError, ValueError, OverflowError) as exc:
        raise operand_error(name, b if isinstance(a, Tensor) else a, exc) from None
    return a, b


OPERAND_EXPECTED = "expected a Tensor, a number, or an array or (nested) list of numbers"


def operand_error(name: str, x: Any, exc: Exception, what: str = "an operand") -> Exception:
    """The error for an operand ``x`` of op ``name`` that could not be made a tensor (``exc`` says why);
    ``what`` is how the message refers to ``x``.

    Examples
    --------
    >>> str(operand_error("maximum", "a", TypeError())).split(";")[0]
    "maximum: got an operand of type str ('a')"
    """
    if isinstance(x, (list, tuple)) and _holds_tensor(x):
        return TypeError(
            f"{name}: got a {type(x).__name__} that holds Tensors; {OPERAND_EXPECTED} (combine Tensors "
            "with autograd.stack or autograd.cat, which keep their gradients)"
        )
    if isinstance(exc, OverflowError):  # a Python int given the dtype of an integer tensor beside it
        return OverflowError(
            f"{name}: got {what} {describe(x)} that does not fit in the other operand's integer dtype; "
            "expected a number within its range (or cast the tensor to a wider dtype)"
        )
    if isinstance(exc, ValueError):  # numpy's refusal of a ragged list, the only ValueError on this path
        return ValueError(
            f"{name}: got {what} {describe(x)} whose nested lists differ in length; expected a "
            "rectangular (nested) list of numbers, a Tensor, an array or a number"
        )
    return TypeError(f"{name}: got {what} {describe(x)}; {OPERAND_EXPECTED}")


# What a public function turns into a constant tensor where it expects one, as numpy's functions accept
# lists and numbers (bool is an int; numpy scalars are np.generic). Anything else is more likely a mistake.
_CONVERTIBLE = (int, float, list, tuple, np.ndarray, np.generic)


def tensor_arg(x: Any, name: str, what: str = "an argument") -> Tensor:
    """``x`` as a Tensor, for the public function ``name`` that expects one.

    A Tensor (or a subclass, such as a parameter) is returned as it is. A number, a (nested) list or
    tuple of numbers, or a numpy array becomes a constant tensor by the rules of
    :func:`~autograd.tensor.as_tensor` (Python floats give float32, arrays keep their dtype). Anything
    else raises a TypeError that names ``name``, what it got (``what`` says how to call it) and what it
    expected. Callers test ``type(x) is not Tensor`` before calling, so a Tensor costs them that test
    alone.

    Examples
    --------
    >>> import numpy as np
    >>> tensor_arg(np.ones(2), "sum").dtype, tensor_arg([1.0, 2.0], "sum").dtype
    (dtype('float64'), dtype('float32'))
    >>> try:
    ...     tensor_arg("a", "sum")
    ... except TypeError as exc:
    ...     print(str(exc).split(";")[0])
    sum: got an argument of type str ('a')
    """
    if isinstance(x, Tensor):
        return x
    if isinstance(x, _CONVERTIBLE):
        try:
            return as_tensor(x)
        except (TypeError, ValueError) as exc:  # strings in a list, a ragged list, ...
            raise operand_error(name, x, exc, what) from None
    raise TypeError(f"{name}: got {what} {describe(x)}; {OPERAND_EXPECTED}")


def is_int(x: Any) -> bool:
    """Whether ``x`` is an integer (a Python int or a numpy integer), but not a bool, which Python would
    take for 0 or 1 (numpy's bool_ is no integer type).

    Examples
    --------
    >>> import numpy as np
    >>> is_int(3), is_int(np.int64(3)), is_int(True), is_int(3.0)
    (True, True, False, False)
    """
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def flag(value: Any, name: str, what: str) -> bool:
    """The bool argument ``what`` of ``name`` (a Python or numpy bool), or a TypeError saying what it got.

    Examples
    --------
    >>> flag(True, "sort", "stable")
    True
    >>> flag(1, "sort", "stable")
    Traceback (most recent call last):
    TypeError: sort: got stable of type int (1); expected a bool
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: got {what} {describe(value)}; expected a bool")
    return bool(value)

def is_real(x: Any) -> bool:
    """Whether ``x`` is a real number (a Python or numpy int or float), but not a bool, which Python would
    take for 0 or 1.

    Examples
    --------
    >>> import numpy as np
    >>> is_real(3), is_real(np.float32(0.5)), is_real(True), is_real(np.bool_(True)), is_real("1")
    (True, True, False, False, False)
    """
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def broadcasting(name: str, fn: Callable[..., np.ndarray], *arrays: np.ndarray) -> np.ndarray:
    """Run a numpy function, turning a broadcasting failure into an error that names the op."""
    try:
        return fn(*arrays)
    except ValueError as exc:
        if "broadcast" not in str(exc):
            raise
        shapes = " and ".join(str(a.shape) for a in arrays)
        raise ValueError(f"{name}: shapes {shapes} cannot be broadcast together") from None


def broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether an array of ``shape`` broadcasts to ``target`` exactly (not to something larger).

    Examples
    --------
    >>> broadcasts_to((3,), (2, 3)), broadcasts_to((2, 3), (3,)), broadcasts_to((2,), (3,))
    (True, False, False)
    """
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False

def floating(a: np.ndarray) -> np.ndarray:
    """``a`` itself when it holds floats, otherwise ``a`` in the float dtype ``np.exp`` would give it
    (float16 for bool and 8-bit integers, float32 for 16-bit, float64 for wider ones).

    Functions written with comparisons and ``np.where`` (sigmoid, leaky_relu, ...) would otherwise keep
    an integer dtype and truncate their results.

    Examples
    --------
    >>> import numpy as np
    >>> floating(np.array([1, 2])).dtype, floating(np.array([1.0], dtype=np.float32)).dtype
    (dtype('float64'), dtype('float32'))
    """
    if a.dtype.kind == "f":
        return a
    return a.astype(np.result_type(a.dtype, np.float16))


def default_floating(a: np.ndarray) -> np.ndarray:
    """``a`` itself when it holds floats, otherwise ``a`` in the default dtype (float32 unless
    :func:`~autograd.set_default_dtype` changed it), as PyTorch's ``logsumexp`` converts integers.

    Examples
    --------
    >>> import numpy as np
    >>> default_floating(np.array([1, 2])).dtype, default_floating(np.array([1.0])).dtype
    (dtype('float32'), dtype('float64'))
    """
    if a.dtype.kind == "f":
        return a
    return a.astype(get_default_dtype())


def normalize_axis(axis: Any, ndim: int, name: str) -> tuple[int, ...]:
    """Axis argument (None, an int, or a tuple or list of ints) as a sorted tuple of non-negative ints.

    A 0-d tensor accepts the axes 0 and -1 (as PyTorch does), which name the tensor itself: there is
    nothing to reduce, flip or squeeze, so they give the empty tuple, as None does.
    """
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int and 0 <= axis < ndim:  # the common case, spared the general checks
        return (axis,)
    try:
        axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    except TypeError:  # not iterable (a float, say): refused below with the other non-ints
        axes = (axis,)
    bound = max(ndim, 1)
    out = []
    for ax in axes:
        if not is_int(ax):
            raise TypeError(f"{name}: got axis={axis!r}; expected an int, a tuple or list of ints, or None")
        if not -bound <= ax < bound:
            raise DimError(f"{name}: axis {ax} is out of range for a tensor with {ndim} dimensions")
        out.append(int(ax) % bound)
    if len(set(out)) != len(out):
        raise ValueError(f"{name}: repeated axis in {axis}")
    if ndim == 0:
        return ()
    return tuple(sorted(out))


def torch_keywords(**names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a function whose parameters PyTorch calls by other names: ``@torch_keywords(dims="axis")``
    lets ``flip(x, dims=1)`` mean ``flip(x, axis=1)``. :mod:`autograd.ops` does the translating, with that
    of ``dim`` and ``keepdim`` (see ``accepts_torch_keywords``), when it binds the family's functions.

    Examples
    --------
    >>> @torch_keywords(dims="reps")
    ... def tile(x, reps): ...
    >>> tile.torch_keywords
    {'dims': 'reps'}
    """
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.torch_keywords = names  # type: ignore[attr-defined]
        return fn

    return mark
