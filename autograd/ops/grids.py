"""Grids of tensors: ``meshgrid``, ``cartesian_prod`` and ``broadcast_tensors``, with PyTorch's semantics.

They are reshapes and broadcasts (``broadcast_to``'s gradient sums over the copies), and ``cartesian_prod``
stacks the flattened grids.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from .combine import stack, tensors_of


def _same_dtype(ts: tuple[Tensor, ...], name: str) -> None:
    dtypes = {t.data.dtype for t in ts}
    if len(dtypes) > 1:
        raise TypeError(f"{name}: got tensors of dtypes {sorted(str(d) for d in dtypes)}; expected one "
                        "dtype, as PyTorch does (convert them with .to())")


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D (or 0-d) tensors (``torch.meshgrid``): grid ``i`` repeats tensor ``i``
    along every other dimension.

    With ``indexing='ij'`` (the default, PyTorch's; numpy's default is ``'xy'``) the grids have shape
    ``(len(t0), len(t1), ...)``; with ``'xy'`` the first two sizes swap (Cartesian indexing). The tensors
    are given as arguments or as one list or tuple, and must share one dtype.

    Examples
    --------
    >>> from autograd import meshgrid, tensor
    >>> xs, ys = meshgrid(tensor([1, 2, 3]), tensor([10, 20]))
    >>> xs.tolist(), ys.tolist()
    ([[1, 1], [2, 2], [3, 3]], [[10, 20], [10, 20], [10, 20]])
    >>> [g.shape for g in meshgrid(tensor([1, 2, 3]), tensor([10, 20]), indexing="xy")]
    [(2, 3), (2, 3)]
    """
    ts, _ = tensors_of(tensors, "meshgrid")
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: got indexing={indexing!r}; expected 'ij' or 'xy'")
    if not ts:
        raise ValueError("meshgrid: got no tensors; expected at least one")
    for i, t in enumerate(ts):
        if t.data.ndim > 1:
            raise ValueError(f"meshgrid: tensor {i} has shape {t.data.shape}; expected 0-d or 1-D tensors")
    _same_dtype(ts, "meshgrid")
    order = list(range(len(ts)))
    if indexing == "xy" and len(ts) > 1:
        order[0], order[1] = 1, 0
    sizes = [t.data.size for t in ts]
    shape = tuple(sizes[i] for i in order)
    grids = []
    for i, t in enumerate(ts):
        along = tuple(-1 if i == j else 1 for j in order)
        grids.append(t.reshape(along).broadcast_to(shape))
    return tuple(grids)


def cartesian_prod(*tensors: Any) -> Tensor:
    """Every combination of one entry from each 1-D tensor, one per row, in the order of nested loops
    (``torch.cartesian_prod``): shape ``(n0 * n1 * ..., k)`` for ``k > 1`` tensors; one tensor is returned
    as it is.

    Examples
    --------
    >>> from autograd import cartesian_prod, tensor
    >>> cartesian_prod(tensor([1, 2]), tensor([3, 4, 5])).tolist()
    [[1, 3], [1, 4], [1, 5], [2, 3], [2, 4], [2, 5]]
    """
    ts, _ = tensors_of(tensors, "cartesian_prod")
    for i, t in enumerate(ts):
        if t.data.ndim != 1:
            raise ValueError(f"cartesian_prod: tensor {i} has shape {t.data.shape}; expected 1-D tensors")
    if not ts:
        raise ValueError("cartesian_prod: got no tensors; expected at least one")
    if len(ts) == 1:
        return ts[0]
    _same_dtype(ts, "cartesian_prod")
    return stack([grid.reshape(-1) for grid in meshgrid(*ts)], axis=1)


def broadcast_tensors(*tensors: Any) -> tuple[Tensor, ...]:
    """The tensors broadcast to their common shape (``torch.broadcast_tensors``); a tensor already of
    that shape is returned as it is.

    Examples
    --------
    >>> from autograd import broadcast_tensors, ones
    >>> [t.shape for t in broadcast_tensors(ones(2, 1), ones(3))]
    [(2, 3), (2, 3)]
    """
    ts, _ = tensors_of(tensors, "broadcast_tensors")
    try:
        shape = np.broadcast_shapes(*(t.data.shape for t in ts))
    except ValueError:
        raise ValueError(f"broadcast_tensors: shapes {', '.join(str(t.data.shape) for t in ts)} cannot be "
                         "broadcast together") from None
    return tuple(t if t.data.shape == shape else t.broadcast_to(shape) for t in ts)


METHODS: dict[str, Any] = {}
FUNCTIONS: dict[str, Any] = {"meshgrid": meshgrid, "cartesian_prod": cartesian_prod,
                             "broadcast_tensors": broadcast_tensors}
