"""Shape manipulation: reshape, transpose, broadcasting, flatten/squeeze/unsqueeze, flip, roll, tile/repeat,
and PyTorch's other names for some of them (t, swapdims, view_as, reshape_as, expand_as).

Joining and cutting tensors (cat, stack, split, chunk, pad) live in :mod:`autograd.ops.combine`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, describe, result
from ._common import DimError, is_int, normalize_axis, tensor_arg, torch_keywords


def _shape_arg(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _positional_or_keyword(name: str, given: tuple, keyword: Any, what: str) -> tuple | None:
    """The sizes or axes given one by one (``x.permute(1, 0)``), as one sequence (``x.permute((1, 0))``)
    or by keyword (``x.permute(dims=(1, 0))``), as a tuple; None when none are given."""
    if given:
        if keyword is not None:
            raise TypeError(f"{name}: got {what} both as arguments {given} and as {what}={keyword!r}; "
                            "expected one of them")
        return _shape_arg(given)
    if keyword is None:
        return None
    return _shape_arg((keyword,))


# The rules of reshape and broadcast_to use only what arrays have as well, so they serve as their array
# rules.
def _reshape_rule(node: Tensor, g: Tensor) -> tuple:
    return (g.reshape(node._parents[0].data.shape),)


RESHAPE = TensorOp("reshape", _reshape_rule, _reshape_rule, reads_values=False)


def reshape(x: ArrayLike, *shape: Any) -> Tensor:
    """The same elements in a new shape; one size may be -1, which stands for the size that makes the
    number of elements agree. Other negative sizes raise a ValueError (numpy would take any of them for
    -1; PyTorch refuses them).

    Examples
    --------
    >>> from autograd import arange
    >>> arange(6).reshape(2, 3).shape
    (2, 3)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "reshape")
    return _reshaped(x, shape, "reshape")


def view(x: Tensor, *shape: Any) -> Tensor:
    """PyTorch's ``view``: the same as :func:`reshape`, under its own name in errors.

    Unlike PyTorch's, it never refuses a tensor whose memory layout does not allow a view: it copies
    the elements then, as :func:`reshape` does.

    Examples
    --------
    >>> from autograd import arange
    >>> arange(6).view(3, -1).shape
    (3, 2)
    """
    return _reshaped(x, shape, "view")


def _reshaped(x: Tensor, shape: tuple, name: str) -> Tensor:
    if len(shape) == 1:  # only a single size or sequence needs unpacking; several sizes are a tuple already
        shape = _shape_arg(shape)
    try:
        out = x.data.reshape(shape)
    except (ValueError, TypeError):
        raise _reshape_error(name, x, shape) from None
    if shape and min(shape) < -1:  # numpy takes any negative size for the one to infer; PyTorch only -1
        raise _reshape_error(name, x, shape)
    return result(out, (x,), RESHAPE)


def _non_int_size(name: str, shape: tuple) -> TypeError | None:
    """The error for the first size in ``shape`` that is not an int, if there is one."""
    for n in shape:
        if not is_int(n):
            return TypeError(f"{name}: got shape {shape!r}, with a size {describe(n)}; expected ints")
    return None


def _reshape_error(name: str, x: Tensor, shape: tuple) -> Exception:
    error = _non_int_size(name, shape)
    if error is not None:
        return error
    for n in shape:
        if n < -1:
            return ValueError(f"{name}: got shape {shape} with size {n}; expected sizes >= 0 and at most one "
                              "-1 (the size to infer)")
    if shape.count(-1) > 1:
        return ValueError(f"{name}: got shape {shape} with {shape.count(-1)} negative sizes; expected at "
                          "most one -1 (the size to infer)")
    message = (f"{name}: cannot reshape a tensor of shape {x.data.shape} ({x.data.size} elements) into shape "
               f"{shape}")
    if -1 in shape and x.data.size == 0:
        return ValueError(f"{message}: the other sizes multiply to 0, so any size fits in place of the -1; "
                          "expected the size itself")
    return ValueError(message)


def _inverse(dims: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(range(len(dims)), key=dims.__getitem__))


def _transpose_rule(node: Tensor, g: Tensor) -> tuple:
    return (permuted(g, _inverse(node._ctx)),)


def _transpose_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return (g.transpose(_inverse(node._ctx)),)


TRANSPOSE = TensorOp("permute", _transpose_rule, _transpose_array_rule, reads_values=False)


def permuted(x: Tensor, dims: tuple[int, ...]) -> Tensor:
    """:func:`permute` for callers whose ``dims`` are already a tuple of non-negative axes in order.

    The shape ops and rules that build their own permutations use it to skip the argument checks.
    """
    return result(x.data.transpose(dims), (x,), TRANSPOSE, dims)


def matrix_transpose(x: Tensor) -> Tensor:
    """Swap the last two axes (PyTorch's ``mT``), as the matmul rules need."""
    n = x.data.ndim
    return permuted(x, tuple(range(n - 2)) + (n - 1, n - 2))


def permute(x: ArrayLike, *order: Any, dims: Any = None) -> Tensor:
    """Reorder the axes: axis ``i`` of the result is axis ``dims[i]`` of ``x`` (a permutation of
    ``range(ndim)``), given one by one or as a sequence, or as the keyword ``dims``, as in PyTorch.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4).permute(2, 0, 1).shape
    (4, 2, 3)
    >>> zeros(2, 3, 4).permute(dims=[2, 0, 1]).shape
    (4, 2, 3)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "permute")
    n = x.data.ndim
    dims = _positional_or_keyword("permute", order, dims, "dims") or ()
    normalized = tuple(_dim(d, n, "permute") for d in dims) if n else dims
    if sorted(normalized) != list(range(n)):
        raise ValueError(f"permute: got dims {dims}; expected a permutation of {tuple(range(n))}")
    return permuted(x, normalized)


def transpose(x: ArrayLike, dim0: int | None = None, dim1: int | None = None) -> Tensor:
    """Swap two axes (PyTorch's ``transpose(dim0, dim1)``); with no arguments, reverse all axes.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).transpose(0, 1).shape
    (3, 2)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "transpose")
    if dim0 is None and dim1 is None:
        return _T(x)
    if dim0 is None or dim1 is None:
        raise ValueError("transpose: got one axis; expected two axes to swap, or none to reverse all")
    return _swapped(x, dim0, dim1, "transpose")


def swapdims(x: ArrayLike, dim0: int, dim1: int) -> Tensor:
    """Swap the axes ``dim0`` and ``dim1``: PyTorch's other name for ``transpose(dim0, dim1)`` (numpy's is
    :func:`~autograd.swapaxes`).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4).swapdims(0, -1).shape
    (4, 3, 2)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "swapdims")
    return _swapped(x, dim0, dim1, "swapdims")


def _swapped(x: Tensor, dim0: Any, dim1: Any, name: str) -> Tensor:
    n = x.data.ndim
    a, b = _dim(dim0, n, name, "dim0"), _dim(dim1, n, name, "dim1")
    dims = list(range(n))
    if n:  # a 0-d tensor has only the axis 0 == -1, which it swaps with itself
        dims[a], dims[b] = b, a
    return permuted(x, tuple(dims))


def t(x: ArrayLike) -> Tensor:
    """PyTorch's ``t``: the transpose of a matrix; a 1-D or 0-d tensor as it is (a new tensor all the
    same). Anything with more dimensions raises, as in PyTorch: name the axes with :func:`transpose`, or
    use ``.mT`` for a batch of matrices.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1, 2, 3]]).t().tolist(), tensor([1, 2]).t().tolist()
    ([[1], [2], [3]], [1, 2])
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "t")
    if x.data.ndim > 2:
        raise ValueError(f"t: got a tensor of shape {x.data.shape}; expected at most 2 dimensions (use "
                         "transpose(dim0, dim1) or .mT to swap two of its axes)")
    return _T(x)


def _broadcast_rule(node: Tensor, g: Tensor) -> tuple:
    return (g,)  # TensorOp.vjp sums it back to the input's shape


BROADCAST = TensorOp("broadcast_to", _broadcast_rule, _broadcast_rule)


def broadcast_to(x: ArrayLike, *shape: Any) -> Tensor:
    """A read-only broadcast view of ``x`` with the given shape; as in :func:`expand` (and PyTorch's
    ``broadcast_to``), a size of -1 keeps the size of the tensor's dimension in that place.

    Raises
    ------
    ValueError
        If ``x`` cannot be broadcast to ``shape``, or -1 stands for a new leading dimension.

    Examples
    --------
    >>> from autograd import tensor, zeros
    >>> tensor([1.0, 2.0]).broadcast_to(3, 2).shape
    (3, 2)
    >>> zeros(3, 1).broadcast_to(2, -1, 4).shape
    (2, 3, 4)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "broadcast_to")
    shape = _shape_arg(shape)
    try:
        keep = -1 in shape
    except ValueError:  # a size that is an array, which np.broadcast_to refuses below
        keep = False
    full = _kept_sizes(x, shape, "broadcast_to") if keep else shape
    try:
        out = np.broadcast_to(x.data, full)
    except (ValueError, TypeError):
        raise _broadcast_error("broadcast_to", x, shape) from None
    return result(out, (x,), BROADCAST)


def _kept_sizes(x: Tensor, shape: tuple, name: str) -> tuple:
    """``shape`` with each -1 replaced by the size of the tensor's dimension in that place (counting
    from the last), or an error that names ``name`` (expand or broadcast_to)."""
    error = _non_int_size(name, shape)
    if error is not None:
        raise error
    ndim = x.data.ndim
    lead = len(shape) - ndim
    if lead < 0:
        with_minus_one = " with -1" if -1 in shape else ""
        raise ValueError(f"{name}: got shape {shape}{with_minus_one} for a tensor of shape {x.data.shape}; "
                         f"expected at least {ndim} sizes, one per dimension")
    for i, n in enumerate(shape[:lead]):
        if n == -1:  # a new dimension has no size to keep
            raise ValueError(
                f"{name}: got size -1 for new leading dimension {i} of shape {shape} (the tensor's "
                f"shape is {x.data.shape}); expected -1 only for existing dimensions, the last {ndim} sizes"
            )
    return tuple(x.data.shape[i - lead] if n == -1 else n for i, n in enumerate(shape))


def _broadcast_error(name: str, x: Tensor, shape: tuple) -> Exception:
    error = _non_int_size(name, shape)
    if error is not None:
        return error
    for n in shape:  # -1 keeps a size, in expand as in broadcast_to
        if n < -1:
            return ValueError(f"{name}: got size {n} in shape {shape}; expected sizes >= 0, or -1 to keep "
                              "the tensor's size")
    verb = "expand" if name.startswith("expand") else "broadcast"
    return ValueError(f"{name}: cannot {verb} a tensor of shape {x.data.shape} to {shape}; expected each "
                      "size to equal the tensor's, or the tensor's to be 1")


def expand(x: ArrayLike, *shape: Any) -> Tensor:
    """PyTorch's ``expand``: like :func:`broadcast_to`, and -1 keeps an existing dimension's size.

    Raises
    ------
    ValueError
        If ``shape`` has fewer sizes than ``x`` has dimensions, or -1 for a new leading dimension.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(3, 1).expand(-1, 4).shape
    (3, 4)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "expand")
    return _expanded(x, _shape_arg(shape), "expand")


def _expanded(x: Tensor, shape: tuple, name: str) -> Tensor:
    full = _kept_sizes(x, shape, name)
    try:
        out = np.broadcast_to(x.data, full)
    except (ValueError, TypeError):
        raise _broadcast_error(name, x, shape) from None
    return result(out, (x,), BROADCAST)


def _other_shape(other: Any, name: str) -> tuple[int, ...]:
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}: got other {describe(other)}; expected a Tensor (whose shape to take)")
    return other.data.shape


def view_as(x: Tensor, other: Tensor) -> Tensor:
    """:meth:`view` with ``other``'s shape.

    Examples
    --------
    >>> from autograd import arange, zeros
    >>> arange(6).view_as(zeros(3, 2)).shape
    (3, 2)
    """
    return _reshaped(x, _other_shape(other, "view_as"), "view_as")


def reshape_as(x: Tensor, other: Tensor) -> Tensor:
    """:meth:`reshape` with ``other``'s shape.

    Examples
    --------
    >>> from autograd import arange, zeros
    >>> arange(6).reshape_as(zeros(2, 3)).shape
    (2, 3)
    """
    return _reshaped(x, _other_shape(other, "reshape_as"), "reshape_as")


def expand_as(x: Tensor, other: Tensor) -> Tensor:
    """:meth:`expand` to ``other``'s shape (a read-only broadcast view; the gradient sums the copies).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(3, 1).expand_as(zeros(2, 3, 4)).shape
    (2, 3, 4)
    """
    return _expanded(x, _other_shape(other, "expand_as"), "expand_as")


def _dim(d: Any, ndim: int, name: str, what: str = "dim", extra: int = 0) -> int:
    """One axis index in [-ndim - extra, ndim + extra) made non-negative, or an error naming the op."""
    if not is_int(d):
        raise TypeError(f"{name}: got {what}={d!r}; expected an int")
    n = ndim + extra
    lo, hi = -max(n, 1), max(n, 1)
    if not lo <= d < hi:
        raise DimError(
            f"{name}: {what} {d} is out of range for a tensor with {ndim} dimensions "
            f"(expected {lo} <= {what} < {hi})"
        )
    return int(d) % max(n, 1)


def _dim_of(x: ArrayLike, axis: Any, name: str, what: str = "dim", purpose: str = "") -> tuple[Tensor, int]:
    """``x`` as a Tensor and its axis ``axis`` made non-negative, for the ops that take one dimension
    apart (unbind, narrow, split, ...): a 0-d tensor has none, and is refused (``purpose`` ends that
    error, e.g. " to split")."""
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if x.data.ndim == 0:
        raise ValueError(f"{name}: got a 0-d tensor; expected at least one dimension{purpose}")
    return x, _dim(axis, x.data.ndim, name, what)


def flatten(x: ArrayLike, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge the axes ``start_dim`` ... ``end_dim`` (inclusive) into one, as ``torch.flatten``.

    A 0-d tensor becomes a 1-element 1-D tensor.

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4, 5).flatten(1).shape
    (2, 60)
    >>> zeros(2, 3, 4, 5).flatten(1, 2).shape
    (2, 12, 5)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "flatten")
    n = x.data.ndim
    s = _dim(start_dim, n, "flatten", "start_dim")
    e = _dim(end_dim, n, "flatten", "end_dim")
    if n == 0:
        return reshape(x, 1)
    if s > e:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} "
                         f"for a tensor of shape {x.data.shape}")
    shape = x.data.shape
    return reshape(x, shape[:s] + (int(np.prod(shape[s:e + 1])),) + shape[e + 1:])


def squeeze(x: ArrayLike, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Remove axes of size 1: all of them, or those listed in ``axis``.

    As in PyTorch, a listed axis whose size is not 1 is left as it is (numpy would raise).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(1, 3, 1).squeeze().shape
    (3,)
    >>> zeros(1, 3, 1).squeeze(0).shape
    (3, 1)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "squeeze")
    shape = x.data.shape
    axes = normalize_axis(axis, x.data.ndim, "squeeze")
    return reshape(x, tuple(n for i, n in enumerate(shape) if not (i in axes and n == 1)))


def unsqueeze(x: ArrayLike, axis: int) -> Tensor:
    """Insert an axis of size 1 at position ``axis`` (``-ndim - 1 <= axis <= ndim``).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3).unsqueeze(1).shape
    (2, 1, 3)
    >>> zeros(2, 3).unsqueeze(-1).shape
    (2, 3, 1)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "unsqueeze")
    a = _dim(axis, x.data.ndim, "unsqueeze", "axis", extra=1)
    shape = x.data.shape
    return reshape(x, shape[:a] + (1,) + shape[a:])


def _flip_rule(node: Tensor, g: Tensor) -> tuple:
    return (flip(g, node._ctx),)


FLIP = TensorOp("flip", _flip_rule, reads_values=False)


@torch_keywords(dims="axis")
def flip(x: ArrayLike, *axes: Any, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Reverse the order of the elements along ``axis`` (all axes by default).

    The axes may be given one by one (``x.flip(0, 1)``), as a sequence (``x.flip((0, 1))``) or by keyword,
    numpy's ``axis`` or PyTorch's ``dims``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1, 2], [3, 4]]).flip(1).tolist()
    [[2, 1], [4, 3]]
    >>> tensor([[1, 2], [3, 4]]).flip(0, 1).tolist()
    [[4, 3], [2, 1]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "flip")
    if axes == (None,):  # flip(x, None) is numpy's spelling of "all axes"
        axes = ()
    axis = _positional_or_keyword("flip", axes, axis, "axis")
    axes = normalize_axis(axis, x.data.ndim, "flip")
    # a copy, as PyTorch's flip: numpy's is a view, through which an in-place change would reach x
    return result(np.flip(x.data, axes).copy(), (x,), FLIP, axes)


def _roll_rule(node: Tensor, g: Tensor) -> tuple:
    shifts, axes = node._ctx
    if axes is None:
        return (roll(g, -shifts),)
    return (roll(g, tuple(-s for s in shifts), axes),)


ROLL = TensorOp("roll", _roll_rule)


@torch_keywords(dims="axis")
def roll(x: ArrayLike, shifts: int | tuple[int, ...], axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Shift the elements cyclically by ``shifts`` along ``axis`` (``np.roll``; PyTorch's keyword
    ``dims`` is taken for ``axis``); elements that leave at one end come back at the other. With
    ``axis=None`` the tensor is rolled as if flattened. One shift for several axes shifts each by it.

    The textbook's shift operators are cyclic: ``T_h A = roll(A, 1, axis=1)``, ``T_v A = roll(A, 1, axis=0)``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1, 2, 3, 4]).roll(1).tolist()
    [4, 1, 2, 3]
    >>> tensor([[1, 2], [3, 4]]).roll((1, -1), axis=(0, 1)).tolist()
    [[4, 3], [2, 1]]
    """
    def as_ints(v: Any, what: str) -> tuple[int, ...]:
        items = (v,) if isinstance(v, (int, np.integer)) else tuple(v)
        for i in items:
            if not is_int(i):
                raise TypeError(f"roll: got {what}={v!r}; expected an int or a tuple of ints")
        return tuple(int(i) for i in items)

    if type(x) is not Tensor:
        x = tensor_arg(x, "roll")
    if axis is None:
        s = as_ints(shifts, "shifts")
        if len(s) != 1:
            raise ValueError(f"roll: got shifts={shifts!r} with axis=None; expected one int (the flattened "
                             "tensor has one axis)")
        return result(np.roll(x.data, s[0]), (x,), ROLL, (s[0], None))
    axes = tuple(_dim(a, x.data.ndim, "roll", "axis") for a in as_ints(axis, "axis"))
    s = as_ints(shifts, "shifts")
    if len(s) == 1 and len(axes) > 1:
        s = s * len(axes)
    if len(s) != len(axes):
        raise ValueError(f"roll: got {len(s)} shifts {s} for {len(axes)} axes {axes}; expected one per axis")
    return result(np.roll(x.data, s, axes), (x,), ROLL, (s, axes))


@torch_keywords(dims="reps")
def tile(x: ArrayLike, reps: int | tuple[int, ...]) -> Tensor:
    """Repeat the whole tensor ``reps[i]`` times along axis ``i`` (``np.tile``; PyTorch calls ``reps``
    ``dims``).

    When ``reps`` is shorter than ``x.ndim`` it is padded with leading 1s; when longer, ``x`` gets
    leading axes of size 1. The gradient sums the copies.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1, 2]).tile(2).tolist()
    [1, 2, 1, 2]
    >>> tensor([1, 2]).tile((2, 1)).tolist()
    [[1, 2], [1, 2]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "tile")
    return _tile(x, reps, "tile", "reps")


def _tile(x: Tensor, reps: Any, name: str, what: str) -> Tensor:
    if isinstance(reps, (int, np.integer)):
        reps_t: tuple = (reps,)
    else:
        try:
            reps_t = tuple(reps)
        except TypeError:
            reps_t = (reps,)  # not iterable (a float, say): refused below with the other non-ints
    for r in reps_t:
        if not is_int(r):
            raise TypeError(f"{name}: got {what} {reps!r}, with an entry {describe(r)}; expected "
                            "non-negative ints")
        if r < 0:
            raise ValueError(f"{name}: got {what}={reps!r}; expected non-negative ints")
    d = max(len(reps_t), x.data.ndim)
    reps_t = (1,) * (d - len(reps_t)) + tuple(int(r) for r in reps_t)
    shape = (1,) * (d - x.data.ndim) + x.data.shape
    inter: list[int] = []
    expanded: list[int] = []
    for r, n in zip(reps_t, shape):
        inter += [1, n]
        expanded += [r, n]
    final = tuple(r * n for r, n in zip(reps_t, shape))
    if all(r == 1 for r in reps_t):  # a copy, as PyTorch's: the route below would give a read-only view of x
        return reshape(x, final).clone()
    # a broadcast view does the copying; broadcast_to's rule sums the copies back
    return reshape(broadcast_to(reshape(x, tuple(inter)), tuple(expanded)), final)


def repeat(x: Tensor, *sizes: Any, repeats: Any = None) -> Tensor:
    """PyTorch's ``Tensor.repeat``: tile the tensor ``sizes[i]`` times along axis ``i`` (``np.tile``;
    not ``np.repeat``, which is :func:`repeat_interleave`). ``len(sizes)`` must be at least ``ndim``.
    The counts are given one by one, as a sequence, or as PyTorch's keyword ``repeats``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1, 2]).repeat(2, 2).tolist()
    [[1, 2, 1, 2], [1, 2, 1, 2]]
    >>> tensor([1, 2]).repeat(repeats=(1, 2)).tolist()
    [[1, 2, 1, 2]]
    """
    sizes = _positional_or_keyword("repeat", sizes, repeats, "repeats") or ()
    if len(sizes) < x.data.ndim:
        raise ValueError(
            f"repeat: got {len(sizes)} repeat counts {sizes} for a tensor of shape {x.data.shape}; "
            f"expected at least {x.data.ndim} (one per dimension)"
        )
    return _tile(x, sizes, "repeat", "sizes")


def repeat_interleave(x: ArrayLike, repeats: Any = None, axis: int | None = None) -> Tensor:
    """Repeat each element ``repeats`` times along ``axis`` (``np.repeat``; the flattened tensor when
    ``axis`` is None). ``repeats`` is an int or one count per element along the axis. With ``x`` alone,
    PyTorch's one-argument form: ``x`` holds 1-D integer counts, and the result repeats each index
    ``i`` ``x[i]`` times.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1, 2]).repeat_interleave(2).tolist()
    [1, 1, 2, 2]
    >>> tensor([[1, 2], [3, 4]]).repeat_interleave([1, 2], axis=0).tolist()
    [[1, 2], [3, 4], [3, 4]]
    >>> tensor([1, 0, 2]).repeat_interleave().tolist()
    [0, 2, 2]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "repeat_interleave")
    if repeats is None:
        if x.data.ndim != 1 or x.data.dtype.kind not in "iu" or (x.data < 0).any():
            raise ValueError(f"repeat_interleave: got counts of shape {x.data.shape} and dtype "
                             f"{x.data.dtype} alone; expected a 1-D tensor of non-negative integers")
        return Tensor(np.repeat(np.arange(x.data.shape[0]), x.data))
    if axis is None:
        x = reshape(x, -1)
        axis = 0
    a = _dim(axis, x.data.ndim, "repeat_interleave", "axis")
    n = x.data.shape[a]
    if is_int(repeats):
        if repeats < 0:
            raise ValueError(f"repeat_interleave: got repeats={repeats}; expected a non-negative int")
        shape = x.data.shape
        wide = reshape(x, shape[:a + 1] + (1,) + shape[a + 1:])
        wide = broadcast_to(wide, shape[:a + 1] + (int(repeats),) + shape[a + 1:])
        return reshape(wide, shape[:a] + (n * int(repeats),) + shape[a + 1:])
    counts = np.asarray(repeats.data if isinstance(repeats, Tensor) else repeats)
    if (counts.ndim != 1 or counts.dtype.kind not in "iu" or counts.shape[0] not in (1, n)
            or (counts < 0).any()):
        raise ValueError(
            f"repeat_interleave: got repeats of shape {counts.shape} and dtype {counts.dtype}; expected "
            f"non-negative integer counts, one per element along axis {a} (length {n}) or a single one"
        )
    index = np.repeat(np.arange(n), counts)
    return x[(slice(None),) * a + (index,)]


def _T(x: Tensor) -> Tensor:
    return permuted(x, tuple(range(x.data.ndim - 1, -1, -1)))


def _mT(x: Tensor) -> Tensor:
    if x.data.ndim < 2:
        raise ValueError(f"mT: got a tensor of shape {x.data.shape}; expected at least 2 dimensions")
    return matrix_transpose(x)


METHODS: dict[str, Any] = {
    "reshape": reshape, "view": view, "permute": permute, "transpose": transpose, "swapdims": swapdims,
    "t": t, "view_as": view_as, "reshape_as": reshape_as, "expand_as": expand_as,
    "broadcast_to": broadcast_to, "expand": expand, "T": property(_T),
    "mT": property(_mT, doc="The last two axes swapped (a batch of transposed matrices)."),
    "flatten": flatten, "squeeze": squeeze, "unsqueeze": unsqueeze, "flip": flip, "roll": roll,
    "tile": tile, "repeat": repeat, "repeat_interleave": repeat_interleave,
}
# `repeat` stays a method only: as a function, numpy users would read it as np.repeat (repeat_interleave)
FUNCTIONS: dict[str, Any] = {"reshape": reshape, "permute": permute, "transpose": transpose,
                             "broadcast_to": broadcast_to, "expand": expand, "flatten": flatten,
                             "squeeze": squeeze, "unsqueeze": unsqueeze, "flip": flip, "roll": roll,
                             "tile": tile, "repeat_interleave": repeat_interleave, "swapdims": swapdims,
                             "t": t}
