"""More products with PyTorch's names: tensordot, kron, cross, inner, vdot, vecdot and matrix_power.

All are composites of recorded primitives (matmul, reshape, permute, roll, ``*``, sum), so their
gradients of every order come from those primitives' rules.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..tensor import Tensor, describe
from ._common import is_int, pair, tensor_arg
from .arithmetic import where
from .linalg import _vector_product, matmul
from .matrix_functions import inv
from .shape import _dim, permute, roll


def _axes_list(axes: Any, ndim: int, which: str) -> list[int]:
    if isinstance(axes, (str, bytes)) or not isinstance(axes, Sequence) and not isinstance(axes, np.ndarray):
        raise TypeError(f"tensordot: got dims for {which} {describe(axes)}; expected a list of ints")
    return [_dim(d, ndim, "tensordot", f"dim of {which}") for d in axes]


def _contracted_axes(dims: Any, ndim_a: int, ndim_b: int) -> tuple[list[int], list[int]]:
    """The axes of ``a`` and of ``b`` that ``tensordot`` contracts, checked."""
    if is_int(dims):
        n = int(dims)
        if n < 0 or n > min(ndim_a, ndim_b):
            raise ValueError(f"tensordot: got dims={n} for tensors with {ndim_a} and {ndim_b} dimensions; "
                             f"expected 0 <= dims <= {min(ndim_a, ndim_b)}")
        return list(range(ndim_a - n, ndim_a)), list(range(n))
    if isinstance(dims, (list, tuple)) and len(dims) == 2:
        axes_a = _axes_list(dims[0], ndim_a, "the first tensor")
        axes_b = _axes_list(dims[1], ndim_b, "the second tensor")
        if len(axes_a) != len(axes_b):
            raise ValueError(f"tensordot: got {len(axes_a)} dims {dims[0]} for the first tensor and "
                             f"{len(axes_b)} dims {dims[1]} for the second; expected as many for each")
        for axes, given in ((axes_a, dims[0]), (axes_b, dims[1])):
            if len(set(axes)) != len(axes):
                raise ValueError(f"tensordot: got dims {given}, which name a dimension more than once")
        return axes_a, axes_b
    raise TypeError(f"tensordot: got dims {describe(dims)}; expected an int or a pair of lists of ints, such "
                    "as ([1, 0], [0, 1])")


def tensordot(a: Any, b: Any, dims: int | Sequence[Sequence[int]] = 2) -> Tensor:
    """Sum the products of ``a`` and ``b`` over the dimensions ``dims`` names (``torch.tensordot``).

    ``dims`` is an int ``n`` (the last ``n`` dimensions of ``a`` with the first ``n`` of ``b``) or a pair
    of lists ``([dims of a], [dims of b])``. The result has ``a``'s other dimensions, then ``b``'s. As in
    PyTorch, a contracted dimension of size 1 broadcasts against the other tensor's.

    Examples
    --------
    >>> from autograd import ones, tensordot
    >>> tensordot(ones(2, 3, 4), ones(4, 3, 5), dims=([1, 2], [1, 0])).shape
    (2, 5)
    >>> tensordot(ones(2, 3), ones(3, 4), dims=1).tolist()[0]
    [3.0, 3.0, 3.0, 3.0]
    """
    a, b = pair(a, b, "tensordot")
    axes_a, axes_b = _contracted_axes(dims, a.data.ndim, b.data.ndim)
    for i, j in zip(axes_a, axes_b):
        n, m = a.data.shape[i], b.data.shape[j]
        if n != m and 1 not in (n, m):
            raise ValueError(f"tensordot: dimension {i} of the first tensor (shape {a.data.shape}) has size "
                             f"{n} and dimension {j} of the second (shape {b.data.shape}) size {m}; expected "
                             "contracted dimensions of the same size (or 1)")
    # a size-1 dimension against a larger one: sum the larger one first, then both are of size 1
    a_sums = tuple(i for i, j in zip(axes_a, axes_b) if a.data.shape[i] > 1 and b.data.shape[j] == 1)
    b_sums = tuple(j for i, j in zip(axes_a, axes_b) if b.data.shape[j] > 1 and a.data.shape[i] == 1)
    if a_sums:
        a = a.sum(a_sums, keepdims=True)
    if b_sums:
        b = b.sum(b_sums, keepdims=True)
    free_a = [i for i in range(a.data.ndim) if i not in axes_a]
    free_b = [j for j in range(b.data.ndim) if j not in axes_b]
    shape = tuple(a.data.shape[i] for i in free_a) + tuple(b.data.shape[j] for j in free_b)
    k = math.prod(a.data.shape[i] for i in axes_a)
    # one matrix product: (free of a, contracted) @ (contracted, free of b)
    left = _permuted(a, free_a + axes_a).reshape(-1 if k else math.prod(shape[:len(free_a)]), k)
    right = _permuted(b, axes_b + free_b).reshape(k, -1 if k else math.prod(shape[len(free_a):]))
    return matmul(left, right).reshape(shape)


def _permuted(x: Tensor, order: list[int]) -> Tensor:
    return x if order == list(range(len(order))) else permute(x, *order)


def kron(a: Any, b: Any) -> Tensor:
    """The Kronecker product (``torch.kron``): the block tensor whose block ``i`` is ``a[i] * b``.

    The tensor with fewer dimensions is given leading dimensions of size 1; each dimension of the result
    has size ``a.shape[d] * b.shape[d]``.

    Examples
    --------
    >>> from autograd import kron, tensor
    >>> kron(tensor([[1.0, 2.0]]), tensor([[1.0], [10.0]])).tolist()
    [[1.0, 2.0], [10.0, 20.0]]
    """
    a, b = pair(a, b, "kron")
    ndim = max(a.data.ndim, b.data.ndim)
    sa = (1,) * (ndim - a.data.ndim) + a.data.shape
    sb = (1,) * (ndim - b.data.ndim) + b.data.shape
    spread_a = a.reshape(tuple(x for n in sa for x in (n, 1)))  # (a0, 1, a1, 1, ...)
    spread_b = b.reshape(tuple(x for n in sb for x in (1, n)))  # (1, b0, 1, b1, ...)
    return (spread_a * spread_b).reshape(tuple(n * m for n, m in zip(sa, sb)))


def cross(a: Any, b: Any, axis: int = -1) -> Tensor:
    """The cross product of 3-vectors along ``axis`` (``torch.linalg.cross``; ``dim=`` works too).

    Both tensors need the same number of dimensions and size 3 along ``axis``; the other dimensions
    broadcast. The default axis is the last, as in ``torch.linalg.cross`` (``torch.cross`` without ``dim``
    takes the first dimension of size 3, a default PyTorch deprecates).

    Examples
    --------
    >>> from autograd import cross, tensor
    >>> cross(tensor([1.0, 0.0, 0.0]), tensor([0.0, 1.0, 0.0])).tolist()
    [0.0, 0.0, 1.0]
    """
    a, b = pair(a, b, "cross")
    sa, sb = a.data.shape, b.data.shape
    if len(sa) != len(sb):
        raise ValueError(f"cross: got shapes {sa} and {sb}; expected tensors with the same number of "
                         "dimensions")
    d = _dim(axis, len(sa), "cross", "axis")
    if sa[d] != 3 or sb[d] != 3:
        raise ValueError(f"cross: got shapes {sa} and {sb}, of sizes {sa[d]} and {sb[d]} along axis {d}; "
                         "expected size 3 (3-vectors) in both")
    try:
        np.broadcast_shapes(sa, sb)
    except ValueError:
        raise ValueError(f"cross: shapes {sa} and {sb} cannot be broadcast together") from None
    # (a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0): the components rolled by one and two places
    return roll(a, -1, d) * roll(b, -2, d) - roll(a, -2, d) * roll(b, -1, d)


def inner(a: Any, b: Any) -> Tensor:
    """Inner product over the last dimension (``torch.inner``): the result has shape
    ``a.shape[:-1] + b.shape[:-1]``; a 0-d operand multiplies the other.

    Examples
    --------
    >>> from autograd import inner, ones
    >>> inner(ones(2, 3), ones(4, 3)).shape
    (2, 4)
    """
    a, b = pair(a, b, "inner")
    if a.data.ndim == 0 or b.data.ndim == 0:
        return a * b
    if a.data.shape[-1] != b.data.shape[-1]:
        raise ValueError(f"inner: got shapes {a.data.shape} and {b.data.shape}; expected the same size of "
                         "the last dimension")
    return tensordot(a, b, ([-1], [-1]))


def vdot(a: Any, b: Any) -> Tensor:
    """Inner product of two 1-D tensors of the same length (``torch.vdot``; for real tensors the same as
    :func:`~autograd.dot`).

    Examples
    --------
    >>> from autograd import tensor, vdot
    >>> vdot(tensor([1.0, 2.0]), tensor([3.0, 4.0])).item()
    11.0
    """
    return _vector_product("vdot", a, b)


def vecdot(x: Any, y: Any, axis: int = -1) -> Tensor:
    """Dot products of vectors along ``axis`` (``torch.linalg.vecdot``; ``dim=`` works too): ``(x *
    y).sum(axis)``, with broadcasting.

    Examples
    --------
    >>> from autograd import linalg, ones
    >>> linalg.vecdot(ones(2, 3), ones(3)).tolist()
    [3.0, 3.0]
    """
    x, y = pair(x, y, "vecdot")
    if x.data.dtype.kind != "f" or y.data.dtype.kind != "f":
        raise TypeError(f"vecdot: got dtypes {x.data.dtype} and {y.data.dtype}; expected floating-point "
                        "tensors, as torch.linalg wants")
    try:
        shape = np.broadcast_shapes(x.data.shape, y.data.shape)
    except ValueError:
        raise ValueError(f"vecdot: shapes {x.data.shape} and {y.data.shape} cannot be broadcast "
                         "together") from None
    if not shape:
        raise ValueError("vecdot: got two 0-d tensors; expected vectors (at least one dimension)")
    d = _dim(axis, len(shape), "vecdot", "axis")
    return (x * y).sum(d)


def matrix_power(x: Any, n: int) -> Tensor:
    """The ``n``-th power of square matrices ``(..., m, m)`` (``torch.linalg.matrix_power``), by repeated
    squaring; ``n = 0`` gives the identity (gradient 0), a negative ``n`` the power of the inverse.

    Examples
    --------
    >>> from autograd import matrix_power, tensor
    >>> matrix_power(tensor([[1.0, 1.0], [0.0, 1.0]]), 3).tolist()
    [[1.0, 3.0], [0.0, 1.0]]
    >>> matrix_power(tensor([[2.0, 0.0], [0.0, 4.0]]), -1).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "matrix_power")
    if not is_int(n):
        raise TypeError(f"matrix_power: got n {describe(n)}; expected an int")
    shape = x.data.shape
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"matrix_power: got a tensor of shape {shape}; expected square matrices (..., m, m)")
    n = int(n)
    if n == 0:
        # the identity, computed from x by a where that never picks it, so that its gradient is 0
        eye = np.broadcast_to(np.eye(shape[-1], dtype=x.data.dtype), shape)
        return where(np.zeros(shape, dtype=bool), x, eye)
    if n < 0:
        if x.data.dtype.kind != "f":
            raise TypeError(f"matrix_power: got n={n} for a tensor of dtype {x.data.dtype}; expected a "
                            "floating-point tensor for a negative power (it takes the inverse)")
        x, n = inv(x), -n
    if n == 1:
        return x.clone()
    power = None
    while True:
        if n & 1:
            power = x if power is None else power @ x
        n >>= 1
        if not n:
            return power
        x = x @ x


METHODS: dict[str, Any] = {"kron": kron, "cross": cross, "inner": inner, "vdot": vdot,
                           "matrix_power": matrix_power}
FUNCTIONS: dict[str, Any] = {"tensordot": tensordot, "kron": kron, "cross": cross, "inner": inner,
                             "vdot": vdot, "vecdot": vecdot, "matrix_power": matrix_power}
