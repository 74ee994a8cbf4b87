"""Joining and cutting tensors: cat/concatenate, stack, split, chunk and constant padding.

``cat``, ``stack`` and ``pad`` are primitives whose rules slice the output gradient; ``split`` and
``chunk`` return basic-slicing views (``getitem``), whose gradients scatter back into place.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, describe, result
from ._common import is_int, tensor_arg
from .shape import _dim, _dim_of


def _tensors(tensors: Any, name: str) -> tuple[Tensor, ...]:
    """The tensors to join, as a tuple of Tensors (arrays and numbers among them made constants)."""
    if isinstance(tensors, (Tensor, np.ndarray)):
        raise TypeError(
            f"{name}: got a single {type(tensors).__name__} of shape {np.shape(tensors)}; expected a "
            "sequence (list or tuple) of tensors"
        )
    try:
        items = iter(tensors)
    except TypeError:
        items = None
    if items is None or isinstance(tensors, (str, bytes)):
        raise TypeError(f"{name}: got tensors {describe(tensors)}; expected a sequence (list or tuple) of "
                        "tensors")
    ts = []
    for i, t in enumerate(items):
        try:
            ts.append(t if isinstance(t, Tensor) else as_tensor(t))
        except (TypeError, ValueError) as exc:  # ValueError: a ragged nested list
            error = ValueError if isinstance(exc, ValueError) else TypeError
            raise error(f"{name}: got element {i} {describe(t)}; expected a Tensor (or an array or "
                        "rectangular nested list of numbers)") from None
    if not ts:
        raise ValueError(f"{name}: got an empty sequence; expected at least one tensor")
    return tuple(ts)


def _along(axis: int, index: Any) -> tuple:
    return (slice(None),) * axis + (index,)


# ----------------------------------------------------------------------------------------- cat


# The rules of cat, stack and pad only slice their gradient, which arrays do too: each serves as its own
# array rule.
def _cat_rule(node: Tensor, g: Tensor) -> tuple:
    axis, pieces = node._ctx
    return tuple(
        None if not p._requires_grad else _no_elements(g, axis) if piece is None else g[_along(axis, piece)]
        for p, piece in zip(node._parents, pieces)
    )


def _no_elements(g: Any, axis: int) -> Any:
    """The gradient of a tensor that cat skipped: shape (0,), cut from ``g`` (a Tensor or an array)."""
    return g[_along(axis, slice(0, 0))].reshape(0)


CAT = TensorOp("cat", _cat_rule, _cat_rule, reads_values=False)


def cat(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing ``axis``; their other sizes must agree (``torch.cat``).

    As in PyTorch, a 1-D tensor with no elements (shape ``(0,)``, such as ``tensor([])``) beside tensors of
    another number of dimensions is skipped, so that a result can be grown from it; it still takes part
    in the dtype of the result, and its gradient is an empty one of shape ``(0,)``.

    Parameters
    ----------
    tensors : sequence of Tensor
        At least one tensor, all with the same number of dimensions (at least 1), apart from skipped
        ones.
    axis : int, optional
        The axis to join along (default 0), counted in the dimensions of the tensors not skipped.

    Examples
    --------
    >>> from autograd import cat, ones, tensor, zeros
    >>> cat([zeros(2, 3), ones(1, 3)]).shape
    (3, 3)
    >>> cat([zeros(2, 3), ones(2, 1)], axis=1).tolist()[0]
    [0.0, 0.0, 0.0, 1.0]
    >>> cat([tensor([]), ones(1, 2)]).shape
    (1, 2)
    """
    return join(_tensors(tensors, "cat"), axis, "cat")


def join(ts: tuple[Tensor, ...], axis: int, name: str) -> Tensor:
    """:func:`cat` of tensors already made Tensors, for the op ``name`` (cat or a function built on it),
    which its errors name."""
    shapes = [t.data.shape for t in ts]
    first = 0  # the first tensor that is not skipped sets the number of dimensions and the other sizes
    while first < len(shapes) - 1 and shapes[first] == (0,):
        first += 1
    ref = shapes[first]
    ndim = len(ref)
    if ndim == 0:
        raise _zero_d_error(first, name)
    a = _dim(axis, ndim, name, "axis")
    pieces: list = []
    start = 0
    for i, shape in enumerate(shapes):
        if shape == (0,) and ndim != 1:
            pieces.append(None)
            continue
        if not shape:
            raise _zero_d_error(i, name)
        if len(shape) != ndim or any(n != m for j, (n, m) in enumerate(zip(shape, ref)) if j != a):
            raise ValueError(
                f"{name}: tensor {i} has shape {shape} and tensor {first} has shape {ref}; expected the same "
                f"number of dimensions and equal sizes except along axis {a}"
            )
        stop = start + shape[a]
        pieces.append(slice(start, stop))
        start = stop
    if None in pieces:
        kept = [t.data for t, piece in zip(ts, pieces) if piece is not None]
        out = np.concatenate(kept, axis=a, dtype=np.result_type(*[t.data for t in ts]))
    else:
        out = np.concatenate([t.data for t in ts], axis=a)
    return result(out, ts, CAT, (a, tuple(pieces)))


def _zero_d_error(i: int, name: str) -> ValueError:
    return ValueError(f"{name}: tensor {i} is 0-d; expected tensors with at least one dimension (0-d tensors "
                      "have no axis to join along: join them with stack)")


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """numpy's name for :func:`cat`.

    Examples
    --------
    >>> from autograd import concatenate, tensor
    >>> concatenate([tensor([1, 2]), tensor([3])]).tolist()
    [1, 2, 3]
    """
    return cat(tensors, axis)


# ----------------------------------------------------------------------------------------- stack


def _stack_rule(node: Tensor, g: Tensor) -> tuple:
    axis = node._ctx
    return tuple(g[_along(axis, i)] if p._requires_grad else None for i, p in enumerate(node._parents))


STACK = TensorOp("stack", _stack_rule, _stack_rule, reads_values=False)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors of one shape along a new ``axis`` (``-ndim - 1 <= axis <= ndim``).

    Examples
    --------
    >>> from autograd import stack, zeros
    >>> stack([zeros(2, 3), zeros(2, 3)]).shape
    (2, 2, 3)
    >>> stack([zeros(2, 3), zeros(2, 3)], axis=-1).shape
    (2, 3, 2)
    """
    ts = _tensors(tensors, "stack")
    ref = ts[0].data.shape
    for i, t in enumerate(ts):
        if t.data.shape != ref:
            raise ValueError(f"stack: tensor {i} has shape {t.data.shape} and tensor 0 has shape {ref}; "
                             "expected all shapes equal")
    a = _dim(axis, len(ref), "stack", "axis", extra=1)
    return result(np.stack([t.data for t in ts], axis=a), ts, STACK, a)


# ----------------------------------------------------------------------------------------- split, chunk


def split(x: Tensor, split_size_or_sections: int | Sequence[int], axis: int = 0) -> tuple[Tensor, ...]:
    """Cut ``x`` into pieces along ``axis`` with PyTorch's semantics.

    An int is the size of every piece (the last one may be smaller); a list gives the size of each
    piece and must add up to ``x.shape[axis]``. (numpy's ``split`` reads an int as a number of pieces:
    that is :func:`chunk`.)

    Examples
    --------
    >>> from autograd import arange
    >>> [p.tolist() for p in arange(5).split(2)]
    [[0, 1], [2, 3], [4]]
    >>> [p.tolist() for p in arange(5).split([1, 4])]
    [[0], [1, 2, 3, 4]]
    """
    x, a = _dim_of(x, axis, "split", "axis", " to split")
    n = x.data.shape[a]
    if is_int(split_size_or_sections):
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and n > 0):
            raise ValueError(f"split: got split_size={size} for axis {a} of size {n}; "
                             "expected a positive int (0 only for an axis of size 0)")
        if n == 0:
            return (x[_along(a, slice(0, 0))],)
        sizes = [size] * (n // size) + ([n % size] if n % size else [])
    else:
        sections = split_size_or_sections
        if isinstance(sections, (str, bytes)) or not hasattr(sections, "__iter__"):
            raise TypeError(f"split: got split_size_or_sections {describe(sections)}; expected an int (the "
                            "size of the pieces) or a sequence of ints (one size per piece)")
        sizes = list(sections)
        for s in sizes:
            if not is_int(s):
                raise TypeError(f"split: got sections {sizes!r}, with a size {describe(s)}; expected a "
                                "sequence of ints")
        sizes = [int(s) for s in sizes]
        if any(s < 0 for s in sizes) or sum(sizes) != n:
            raise ValueError(
                f"split: got sections {sizes} for axis {a} of size {n} (tensor of shape {x.data.shape}); "
                f"expected non-negative ints that add up to {n}"
            )
    pieces = []
    start = 0
    for s in sizes:
        pieces.append(x[_along(a, slice(start, start + int(s)))])
        start += int(s)
    return tuple(pieces)


def chunk(x: Tensor, chunks: int, axis: int = 0) -> tuple[Tensor, ...]:
    """Cut ``x`` into ``chunks`` pieces of size ``ceil(n / chunks)`` along ``axis`` (``torch.chunk``);
    the last piece may be smaller and, as in PyTorch, there may be fewer than ``chunks`` pieces.

    Examples
    --------
    >>> from autograd import arange
    >>> [p.tolist() for p in arange(5).chunk(2)]
    [[0, 1, 2], [3, 4]]
    >>> len(arange(6).chunk(4))
    3
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "chunk")
    if not is_int(chunks):
        raise TypeError(f"chunk: got chunks {describe(chunks)}; expected a positive int")
    if chunks <= 0:
        raise ValueError(f"chunk: got chunks={chunks!r}; expected a positive int")
    x, a = _dim_of(x, axis, "chunk", "axis", " to split")
    n = x.data.shape[a]
    if n == 0:
        return tuple(x[_along(a, slice(0, 0))] for _ in range(int(chunks)))
    return split(x, math.ceil(n / int(chunks)), a)


# ----------------------------------------------------------------------------------------- pad


def _pad_rule(node: Tensor, g: Tensor) -> tuple:
    widths = node._ctx
    shape = node._parents[0].data.shape
    return (g[tuple(slice(before, before + n) for (before, _), n in zip(widths, shape))],)


PAD = TensorOp("pad", _pad_rule, _pad_rule)


def pad(x: ArrayLike, pad_width: Any, value: float = 0.0) -> Tensor:
    """Pad with a constant ``value`` (``np.pad(mode="constant")``).

    Parameters
    ----------
    x : Tensor, array or (nested) list of numbers
    pad_width : int or sequence
        numpy's form: an int (the same before and after every axis), one ``(before, after)`` pair for
        every axis, or one pair per axis ``((before_0, after_0), (before_1, after_1), ...)``. Note the
        order: first axis first (``torch.nn.functional.pad`` lists the last axis first).
    value : float, optional
        The fill value (default 0).

    Examples
    --------
    >>> from autograd import tensor, pad
    >>> pad(tensor([[1, 2]]), 1).tolist()
    [[0, 0, 0, 0], [0, 1, 2, 0], [0, 0, 0, 0]]
    >>> pad(tensor([1.0, 2.0]), ((0, 2),), value=-1.0).tolist()
    [1.0, 2.0, -1.0, -1.0]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "pad")
    ndim = x.data.ndim
    try:
        widths_arr = np.asarray(pad_width)
        if widths_arr.size == 0 and ndim == 0:  # () for a 0-d tensor: no axes, no pairs
            widths_arr = np.zeros((0, 2), dtype=np.int64)
        ok = widths_arr.dtype.kind in "iu" and widths_arr.ndim <= 2
        widths_arr = np.broadcast_to(widths_arr, (ndim, 2)) if ok else widths_arr
    except ValueError:
        ok = False
    if not ok or (widths_arr < 0).any():
        raise ValueError(
            f"pad: got pad_width={pad_width!r} for a tensor of shape {x.data.shape}; expected an int, one "
            f"(before, after) pair, or {ndim} pairs of non-negative ints (numpy's order: first axis first)"
        )
    widths = tuple((int(b), int(e)) for b, e in widths_arr)
    out = np.pad(x.data, widths, mode="constant", constant_values=value) if ndim else x.data.copy()
    return result(out, (x,), PAD, widths)


# ----------------------------------------------------------------------------------------- numpy's stacking


def tensors_of(args: tuple, name: str) -> tuple[tuple[Tensor, ...], bool]:
    """The tensors that a function taking ``*tensors`` was given, and whether it was given one alone.

    As in PyTorch, a single list or tuple that holds Tensors (or arrays) stands for its items; any other
    argument is one tensor (a list of numbers too, as numpy reads it).

    Examples
    --------
    >>> from autograd import ones
    >>> [len(tensors_of(args, "f")[0]) for args in [(ones(2),), ([ones(2), ones(3)],), ([1.0, 2.0],)]]
    [1, 2, 1]
    """
    if (len(args) == 1 and isinstance(args[0], (list, tuple))
            and any(isinstance(t, (Tensor, np.ndarray)) for t in args[0])):
        items, single = tuple(args[0]), False
    else:
        items, single = args, len(args) == 1
    return tuple(t if type(t) is Tensor else tensor_arg(t, name) for t in items), single


def _at_least(x: Tensor, ndim: int) -> Tensor:
    shape = x.data.shape
    if len(shape) >= ndim:
        return x
    if ndim == 3 and shape:  # numpy's and PyTorch's choice: (n,) -> (1, n, 1), (m, n) -> (m, n, 1)
        return x.reshape(((1,) if len(shape) == 1 else ()) + shape + (1,))
    return x.reshape((1,) * (ndim - len(shape)) + shape)


def _at_least_all(tensors: tuple, ndim: int, name: str) -> Tensor | tuple[Tensor, ...]:
    ts, single = tensors_of(tensors, name)
    out = tuple(_at_least(t, ndim) for t in ts)
    return out[0] if single else out


def atleast_1d(*tensors: Any) -> Tensor | tuple[Tensor, ...]:
    """Tensors with at least one dimension: a 0-d tensor becomes ``(1,)`` (``torch.atleast_1d``).

    One tensor gives a tensor; several (or one list or tuple of them) give a tuple.

    Examples
    --------
    >>> from autograd import atleast_1d, tensor
    >>> atleast_1d(tensor(1.0)).shape, [t.shape for t in atleast_1d(tensor(1.0), tensor([2.0, 3.0]))]
    ((1,), [(1,), (2,)])
    """
    return _at_least_all(tensors, 1, "atleast_1d")


def atleast_2d(*tensors: Any) -> Tensor | tuple[Tensor, ...]:
    """Tensors with at least two dimensions: ``()`` becomes ``(1, 1)`` and ``(n,)`` becomes ``(1, n)``
    (``torch.atleast_2d``); as for :func:`atleast_1d`, several tensors give a tuple.

    Examples
    --------
    >>> from autograd import atleast_2d, ones
    >>> atleast_2d(ones(3)).shape
    (1, 3)
    """
    return _at_least_all(tensors, 2, "atleast_2d")


def atleast_3d(*tensors: Any) -> Tensor | tuple[Tensor, ...]:
    """Tensors with at least three dimensions: ``()`` becomes ``(1, 1, 1)``, ``(n,)`` becomes ``(1, n, 1)``
    and ``(m, n)`` becomes ``(m, n, 1)`` (``torch.atleast_3d``, numpy's rule); as for :func:`atleast_1d`,
    several tensors give a tuple.

    Examples
    --------
    >>> from autograd import atleast_3d, ones
    >>> atleast_3d(ones(3)).shape, atleast_3d(ones(2, 3)).shape
    ((1, 3, 1), (2, 3, 1))
    """
    return _at_least_all(tensors, 3, "atleast_3d")


def hstack(tensors: Sequence[Any]) -> Tensor:
    """Join tensors column-wise (``torch.hstack``): 1-D ones (and numbers) end to end, others along axis 1.

    Examples
    --------
    >>> from autograd import hstack, ones, tensor
    >>> hstack([tensor(1.0), tensor([2.0, 3.0])]).tolist()
    [1.0, 2.0, 3.0]
    >>> hstack([ones(2, 1), ones(2, 3)]).shape
    (2, 4)
    """
    ts = tuple(_at_least(t, 1) for t in _tensors(tensors, "hstack"))
    return join(ts, 0 if ts[0].data.ndim == 1 else 1, "hstack")


def vstack(tensors: Sequence[Any]) -> Tensor:
    """Join tensors row-wise (``torch.vstack``): along axis 0 of tensors made at least 2-D, so 1-D ones
    become rows.

    Examples
    --------
    >>> from autograd import ones, vstack
    >>> vstack([ones(3), ones(2, 3)]).shape
    (3, 3)
    """
    return _stack_rows(tensors, "vstack")


def row_stack(tensors: Sequence[Any]) -> Tensor:
    """PyTorch's other name for :func:`vstack` (``torch.row_stack``).

    Examples
    --------
    >>> from autograd import ones, row_stack
    >>> row_stack([ones(3), ones(3)]).shape
    (2, 3)
    """
    return _stack_rows(tensors, "row_stack")


def _stack_rows(tensors: Sequence[Any], name: str) -> Tensor:
    return join(tuple(_at_least(t, 2) for t in _tensors(tensors, name)), 0, name)


def dstack(tensors: Sequence[Any]) -> Tensor:
    """Join tensors depth-wise (``torch.dstack``): along axis 2 of tensors made at least 3-D as
    :func:`atleast_3d` does.

    Examples
    --------
    >>> from autograd import dstack, ones
    >>> dstack([ones(2, 3), ones(2, 3)]).shape
    (2, 3, 2)
    """
    return join(tuple(_at_least(t, 3) for t in _tensors(tensors, "dstack")), 2, "dstack")


def column_stack(tensors: Sequence[Any]) -> Tensor:
    """Join tensors as columns (``torch.column_stack``): 0-d and 1-D tensors become columns ``(n, 1)``,
    others are joined along axis 1 as they are.

    Examples
    --------
    >>> from autograd import column_stack, ones
    >>> column_stack([ones(2), ones(2, 3)]).shape
    (2, 4)
    """
    ts = _tensors(tensors, "column_stack")
    return join(tuple(t.reshape(-1, 1) if t.data.ndim <= 1 else t for t in ts), 1, "column_stack")


METHODS: dict[str, Any] = {"split": split, "chunk": chunk}
FUNCTIONS: dict[str, Any] = {"cat": cat, "concatenate": concatenate, "stack": stack, "split": split,
                             "chunk": chunk, "pad": pad}
FUNCTIONS.update({"atleast_1d": atleast_1d, "atleast_2d": atleast_2d, "atleast_3d": atleast_3d,
                  "hstack": hstack, "vstack": vstack, "row_stack": row_stack, "dstack": dstack,
                  "column_stack": column_stack})
