"""PyTorch's ``scatter_reduce``: ``src`` reduced into a copy of a tensor along an axis, by ``'sum'``,
``'prod'``, ``'mean'``, ``'amax'`` or ``'amin'``, with or without the tensor's own values, and its in-place
form ``scatter_reduce_``.

The index rules are :func:`~autograd.ops.gather_scatter.scatter`'s. The forward pass applies numpy's
``ufunc.at``, so repeated indices reduce entry after entry. The backward rule is written with recorded
ops (indexing, its scatter-add, ``where`` and ``scatter_reduce`` itself), so it differentiates again,
and gives PyTorch's gradients: for ``'prod'``, the product of the other reduced values, exact where
some are zero; for ``'amax'`` and ``'amin'``, the gradient shared evenly among the values that took part
and equal the result. Where ``include_self=False`` leaves the tensor's own value out, it is not counted
among the ties: PyTorch counts it, and the share it would get is lost.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..grad_mode import grad_enabled
from ..tensor import ArrayLike, Tensor, TensorOp, _constant, result
from ._common import flag, tensor_arg
from .arithmetic import where
from .gather_scatter import _lifted, _scatter_index, along
from .index_writes import REDUCING_UFUNCS, _source, reduction_identity
from .indexing import getitem
from .inplace import _through

REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def _rule(node: Tensor, g: Tensor) -> tuple:
    pos, reduce, include_self, written, count = node._ctx
    x, src = node._parents
    if reduce == "sum":
        gx, gsrc = g, getitem(g, pos)
    elif reduce == "mean":
        share = g / _constant(count.astype(g.data.dtype))
        gx, gsrc = share, getitem(share, pos)
    elif reduce == "prod":
        gx, gsrc = _prod_grads(node, g, x, src)
    else:
        # every value that took part and equals the result shares its gradient; PyTorch also counts the
        # tensor's own value where include_self=False left it out, and so loses that share
        self_ties = x.data == node.data
        if not include_self:
            self_ties &= ~written
        src_ties = src.data == node.data[pos]
        ties = self_ties.astype(g.data.dtype)
        np.add.at(ties, pos, src_ties)
        share = g / _constant(ties)
        gx = where(self_ties, share, 0.0)
        gsrc = where(src_ties, getitem(share, pos), 0.0)
    if not include_self and gx is not None:
        gx = where(written, 0.0, gx)
    return (gx, gsrc)


def _prod_grads(node: Tensor, g: Tensor, x: Tensor, src: Tensor) -> tuple:
    """The gradients of a product: each reduced value gets the product of the others at its position."""
    pos, _, include_self, _, _ = node._ctx
    gx = None
    if x._requires_grad:  # the tensor's value times the product of src's
        gx = g * _reduced(_constant(np.ones(x.data.shape, x.data.dtype)), pos, src, "prod", True)
    if not src._requires_grad:
        return gx, None
    zero = src.data == 0
    zeros_at = np.zeros(x.data.shape, np.int64)
    np.add.at(zeros_at, pos, zero)
    zeros_with = zeros_at[pos]  # how many src zeros share each src entry's position
    lone = zero & (zeros_with == 1)
    # a nonzero value's others multiply to the result over it; a lone zero's to the product of the rest
    # with that zero taken as 1 (the result over it would be 0/0)
    gsrc = getitem(g * node, pos) / where(zero, 1.0, src)
    if lone.any():
        rest = _reduced(x, pos, where(lone, 1.0, src), "prod", include_self)
        gsrc = where(lone, getitem(g * rest, pos), gsrc)
    if grad_enabled() and (zero & (zeros_with > 1)).any():
        # right as a gradient (0), but the derivative of this formula misses the mixed second derivative
        # of two zeros at one position: refuse to differentiate it again, as PyTorch does
        gsrc = result(gsrc.data, (gsrc,), _NO_DOUBLE_BACKWARD)
    return gx, gsrc


def _no_double_backward(node: Tensor, g: Tensor) -> tuple:
    raise RuntimeError(
        "scatter_reduce: cannot differentiate the gradient of src twice with reduce='prod' where two or "
        "more src zeros reduce into one position (as PyTorch); expected at most one zero per position"
    )


_NO_DOUBLE_BACKWARD = TensorOp("scatter_reduce_prod_backward", _no_double_backward)
SCATTER_REDUCE = TensorOp("scatter_reduce", _rule)
# sum and mean read only the index and counts they keep: a later change to the values in place is harmless
SCATTER_REDUCE_LINEAR = TensorOp("scatter_reduce", _rule, reads_values=False)


def _reduced(x: Tensor, pos: tuple, src: Tensor, reduce: str, include_self: bool) -> Tensor:
    """A copy of ``x`` with ``src`` reduced at the numpy index ``pos`` (of ``src``'s shape), recorded."""
    out = x.data.copy()
    written = np.zeros(out.shape, dtype=bool)
    written[pos] = True
    if not include_self:
        out[written] = reduction_identity(reduce, out.dtype)
    with np.errstate(invalid="ignore"):  # a nan reduces to nan, as in PyTorch, without a warning
        REDUCING_UFUNCS[reduce].at(out, pos, src.data)
    count = None
    if reduce == "mean":
        count = np.full(out.shape, 1 if include_self else 0, np.int64)
        np.add.at(count, pos, 1)
        np.maximum(count, 1, out=count)  # a position nothing reduced into keeps its value
        if out.dtype.kind == "f":
            out /= count.astype(out.dtype)
        else:
            np.floor_divide(out, count.astype(out.dtype), out=out, casting="unsafe")
    op = SCATTER_REDUCE_LINEAR if reduce in ("sum", "mean") else SCATTER_REDUCE
    return result(out, (x, src), op, (pos, reduce, include_self, written, count))


def scatter_reduce(x: ArrayLike, axis: int, index: Any, src: Any, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """A copy of ``x`` with ``src[i][j][k]`` reduced into ``[index[i][j][k]][j][k]`` for ``axis=0`` (and
    likewise along any axis), as ``torch.scatter_reduce``.

    Parameters
    ----------
    x : Tensor
        The tensor reduced into.
    axis : int
        The axis ``index`` runs along (PyTorch's ``dim``).
    index : Tensor of integers
        As for :func:`~autograd.scatter`: as many dimensions as ``x`` and ``src``, no larger than ``src``,
        and no larger than ``x`` apart from ``axis``; entries in ``[0, size)``. Only the leading corner of
        ``src`` it covers is used.
    src : Tensor
        The values reduced, in ``x``'s dtype (numbers and lists take it).
    reduce : str
        ``'sum'``, ``'prod'``, ``'mean'``, ``'amax'`` or ``'amin'``. An integer ``'mean'`` rounds down.
    include_self : bool, optional
        Whether ``x``'s value at a position takes part in its reduction (a position nothing is reduced
        into keeps it either way).

    Returns
    -------
    Tensor
        ``x``'s shape and dtype. Gradients reach ``x`` (where its value took part) and ``src``.

    Examples
    --------
    >>> from autograd import tensor
    >>> x = tensor([1.0, 2.0, 3.0])
    >>> x.scatter_reduce(0, tensor([0, 0, 2]), tensor([4.0, 5.0, 6.0]), "amax").tolist()
    [5.0, 2.0, 6.0]
    >>> x.scatter_reduce(0, tensor([0, 0, 2]), tensor([4.0, 5.0, 6.0]), "mean", include_self=False).tolist()
    [4.5, 2.0, 6.0]
    """
    name = "scatter_reduce"
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    if not isinstance(reduce, str) or reduce not in REDUCTIONS:
        raise ValueError(f"{name}: got reduce={reduce!r}; expected one of 'sum', 'prod', 'mean', 'amax', "
                         "'amin'")
    include_self = flag(include_self, name, "include_self")
    if reduce == "mean" and x.data.dtype.kind == "b":
        raise TypeError(f"{name}: got a tensor of dtype bool with reduce='mean'; expected a number dtype")
    a, idx = _scatter_index(x, axis, index, name)
    s = _source(src, x, name)
    if s.data.ndim != idx.ndim or any(n > m for n, m in zip(idx.shape, s.data.shape)):
        raise ValueError(f"{name}: got an index of shape {idx.shape} for src of shape {s.data.shape}; "
                         "expected an index with as many dimensions and no larger in any")
    if s.data.shape != idx.shape:
        s = getitem(s, tuple(slice(0, n) for n in idx.shape))
    if x.data.ndim == 0:
        lifted, flat = _lifted(x, idx)
        return _reduced(lifted, (flat,), s.reshape(1), reduce, bool(include_self)).reshape(())
    return _reduced(x, along(idx, a), s, reduce, bool(include_self))


def scatter_reduce_(self: Tensor, dim: int, index: Any, src: Any, reduce: str, *,
                    include_self: bool = True) -> Tensor:
    """:func:`~autograd.scatter_reduce` in place: reduce ``src`` into this tensor at ``index`` along
    ``dim``; returns ``self``.

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([1.0, 2.0]).scatter_reduce_(0, tensor([1, 1]), tensor([3.0, 4.0]), "prod").tolist()
    [1.0, 24.0]
    """
    return _through(scatter_reduce, "scatter_reduce_", "`x.scatter_reduce(dim, index, src, reduce)`", self,
                    dim, index, src, reduce, include_self=include_self, operand=src, rename=True)


METHODS: dict[str, Any] = {"scatter_reduce": scatter_reduce, "scatter_reduce_": scatter_reduce_}
FUNCTIONS: dict[str, Any] = {"scatter_reduce": scatter_reduce}
